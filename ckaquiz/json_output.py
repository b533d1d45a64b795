"""The one JSON writer of `--json` output: json's indented text, with DEL and C1 controls escaped.

`cards --json`, `stats --json` and the other listings write through it, so that every JSON a
script reads is the same dialect (ensure_ascii off, indent 1, controls escaped) and a long listing
is written record by record instead of held whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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
