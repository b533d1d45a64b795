"""A file path's name, stem and suffix, as `pathlib.PurePath` gives them, without building one.

A vault has thousands of notes, and making a `PurePath` only to ask for its name cost more
than some of the parser's own passes.
"""

from __future__ import annotations

import os


def file_name(path: str) -> str:
    """`PurePath(path).name` for a file's path."""
    return os.path.basename(path.rstrip(os.sep) if path.endswith(os.sep) else path)


def split_suffix(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as `PurePath.stem` and `PurePath.suffix` split them."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return name[:dot], name[dot:]
    return name, ""
