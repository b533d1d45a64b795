"""A faster start for the command line: typer without pydantic for values that need no checking.

typer (from 0.2x) coerces every parameter that is not a flag through a pydantic TypeAdapter
built on first use. Importing pydantic and building those adapters costs more than all the
rest of a quick command such as `ckaquiz decks`. Yet a missing value (None), an empty list,
text for a plain `str` or `list[str]` parameter, and text for a `Path` with typer's default
checks (which only refuse a path that exists but cannot be read) come out of that coercion
unchanged or as `Path(text)`, so `install()` answers those directly and hands everything else
(numbers with limits, unreadable paths, choices, parsers, ...) to typer's own coercion,
exactly as before.

It wraps one private typer method, installed by `ckaquiz.cli.app.main` (not on import); a
typer without that method is left alone, and a value whose parameter lacks any attribute read
here goes to typer's own coercion.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, get_args, get_origin

_NO_SHORTCUT = object()
_PATH_CHECK_NAMES = ("exists", "file_okay", "dir_okay", "writable", "readable", "resolve_path", "allow_dash")
_DEFAULT_PATH_CHECKS = (False, True, True, False, True, False, False)
"""typer's default path checks, by name."""


def unchanged_value(parameter: Any, value: Any) -> Any:
    """What typer's coercion would return for `value`, when that needs no pydantic; else `_NO_SHORTCUT`."""
    is_multi_value = parameter.multiple or parameter.nargs == -1
    if value is None:
        return () if is_multi_value else None  # typer's RuntimeParam.coerce, before any adapter
    descriptor = parameter.type_descriptor
    if descriptor.parameter_info.parser is not None or descriptor.file_annotation is not None:
        return _NO_SHORTCUT
    annotation = descriptor.annotation
    if is_multi_value:
        if get_origin(annotation) is not list or not isinstance(value, list | tuple):
            return _NO_SHORTCUT
        if not value:
            return []
        if get_args(annotation) == (str,) and all(type(item) is str for item in value):
            return list(value)
        if get_args(annotation) == (Path,) and all(type(item) is str for item in value):
            paths = [_plain_path(descriptor.parameter_info, item) for item in value]
            return _NO_SHORTCUT if any(path is _NO_SHORTCUT for path in paths) else paths
        return _NO_SHORTCUT
    if annotation is str and type(value) is str:
        return value
    if annotation is Path and type(value) is str:
        return _plain_path(descriptor.parameter_info, value)
    return _NO_SHORTCUT


def _plain_path(info: Any, text: str) -> Any:
    """`Path(text)` when typer's default path checks would pass it unchanged; else `_NO_SHORTCUT`."""
    checks = tuple(getattr(info, name, _NO_SHORTCUT) for name in _PATH_CHECK_NAMES)
    if checks != _DEFAULT_PATH_CHECKS or getattr(info, "path_type", _NO_SHORTCUT) is not None:
        return _NO_SHORTCUT
    path = Path(text)
    try:
        os.stat(path)
    except OSError:
        return path  # a path that does not exist passes when `exists` is off
    except ValueError:
        return _NO_SHORTCUT  # e.g. a NUL byte: typer says what is wrong
    return path if os.access(path, os.R_OK) else _NO_SHORTCUT


class _Shortcut:
    """Stands in for typer's runtime parameter: builds the real one only when a value needs it."""

    def __init__(self, parameter: Any, build: Any) -> None:
        self.parameter = parameter
        self.build = build

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            shortcut = unchanged_value(param, value)
        except AttributeError:  # a typer whose parameters read differently: its own coercion
            shortcut = _NO_SHORTCUT
        if shortcut is not _NO_SHORTCUT:
            return shortcut
        return self.build(self.parameter).coerce(value, param=param, ctx=ctx)

    def __getattr__(self, name: str) -> Any:
        """Anything else typer asks of its runtime parameter, from the real one."""
        if name in ("parameter", "build"):  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.build(self.parameter), name)


def install() -> None:
    """Route typer's parameter coercion through `unchanged_value` first (idempotent)."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return
    original = getattr(_TyperParameter, "get_runtime_param", None)
    if not callable(original) or getattr(original, "ckaquiz_shortcut", False):
        return

    def get_runtime_param(self: Any) -> Any:
        return _Shortcut(self, original)

    get_runtime_param.ckaquiz_shortcut = True  # type: ignore[attr-defined]
    setattr(_TyperParameter, "get_runtime_param", get_runtime_param)  # noqa: B010


def install_help_format() -> None:
    """Help shows an argument by its metavar (`CARD_ID`), not also by its Python type (`<str>`).

    typer prints both for arguments and has no setting for it; for options it already prints
    the metavar alone. An argument without a metavar keeps typer's own display (idempotent;
    a typer without the method is left alone).
    """
    try:
        from typer.core import TyperArgument
    except ImportError:
        return
    original = getattr(TyperArgument, "display_type_rich", None)
    if original is None or getattr(original, "ckaquiz_metavar", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> Any:
        return None if self.metavar is not None else original(self, ctx)

    display_type_rich.ckaquiz_metavar = True  # type: ignore[attr-defined]
    setattr(TyperArgument, "display_type_rich", display_type_rich)  # noqa: B010
