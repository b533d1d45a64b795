"""The one JSON writer of `--json` output: json's indented text, with DEL and C1 controls escaped.

`cards --json`, `stats --json` and the other listings write through it, so that every JSON a
script reads is the same dialect (ensure_ascii off, indent 1, controls escaped) and a long listing
is written record by record instead of held whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _json_string  # json's C string encoder when it has one
from typing import Any, TextIO

from ckaquiz.printable import escape_json_controls


def write_records_json(records: Iterable[dict[str, Any]], stream: TextIO) -> None:
    """Write `indented_json([record, ...])` and a newline, record by record.

    Written record by record, so the listing never sits in memory whole, and by `indented_json`
    (json's own indented writer is pure Python, and the slowest part of a long listing).
    """
    separator = "[\n "
    for record in records:
        stream.write(separator)
        stream.write(indented_json(record, " "))
        separator = ",\n "
    stream.write("[]\n" if separator == "[\n " else "\n]\n")


def indented_json(value: Any, prefix: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)` for a value whose lines start with `prefix`,
    with DEL and C1 controls escaped (`escape_json_controls`): the one JSON writer of `--json` output.

    Byte for byte that text (a test compares the two on random values); strings go through
    json's C encoder. Types json would need its own rules for (subclasses, other keys) fall back to it.
    """
    try:
        return escape_json_controls(_indented(value, prefix))
    except TypeError:
        return escape_json_controls(json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + prefix))


def _indented(value: Any, prefix: str) -> str:
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        return _JSON_FLOATS.get(value) or float.__repr__(value)
    inner = prefix + " "
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[\n" + inner + (",\n" + inner).join(_indented(item, inner) for item in value) + "\n" + prefix + "]"
    if kind is dict:
        if not value:
            return "{}"
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("json writes keys of this type by its own rules")
            items.append(_json_string(key) + ": " + _indented(item, inner))
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + prefix + "}"
    raise TypeError(f"json writes {kind.__name__} by its own rules")


_JSON_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


class Streamed:
    """A JSON list whose items are made as it is written: `write_json` never holds it whole."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


def write_json(value: Any, out: TextIO, prefix: str = "") -> None:
    """Write `indented_json(value, prefix)` to `out`, byte for byte, with every `Streamed` list in
    `value` written item by item as its items are made.

    A part of `value` that holds no `Streamed` list is written in one piece, by `indented_json`:
    walking it value by value would cost more than writing it (an attempt of `stats --json` is
    two values, and there are hundreds of thousands of them).
    """
    kind = type(value)
    if kind is dict:
        if not value or not all(type(key) is str for key in value) or not _holds_streamed(value):
            out.write(indented_json(value, prefix))  # json's own rules for other keys (no Streamed inside)
            return
        inner = prefix + " "
        opening = "{\n" + inner
        for key, item in value.items():
            out.write(opening + escape_json_controls(_json_string(key)) + ": ")
            opening = ",\n" + inner
            write_json(item, out, inner)
        out.write("\n" + prefix + "}")
    elif kind is Streamed or ((kind is list or kind is tuple) and _holds_streamed(value)):
        inner = prefix + " "
        opening = "[\n" + inner
        for item in value:
            out.write(opening)
            opening = ",\n" + inner
            write_json(item, out, inner)
        out.write("[]" if opening[0] == "[" else "\n" + prefix + "]")
    else:
        out.write(indented_json(value, prefix))


def _holds_streamed(value: Any) -> bool:
    """Whether a `Streamed` list is inside this dict or list, at any depth."""
    kind = type(value)
    if kind is Streamed:
        return True
    if kind is dict:
        return any(_holds_streamed(item) for item in value.values() if type(item) in _CONTAINERS)
    if kind is list or kind is tuple:
        return any(_holds_streamed(item) for item in value if type(item) in _CONTAINERS)
    return False


_CONTAINERS = frozenset({dict, list, tuple, Streamed})
