"""Markdown line helpers shared by the parsers: masking code and comments, key points.

Key points are what blank-page recall compares against: list items, table rows (not the
header or separator) and paragraph lines.
"""

from __future__ import annotations

import re

from ckaquiz.markup import CALLOUT

_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_TASK = re.compile(r"^\[[ xX]\]\s*")
_SEPARATOR_CELL = re.compile(r":?-{2,}:?")
_QUOTE = re.compile(r"^\s*>\s?")


def mask_inline_code(line: str) -> str:
    """The line with inline code spans blanked out, same length, so positions still match."""
    if "`" not in line:
        return line
    return _INLINE_CODE.sub(lambda match: " " * len(match.group(0)), line)


def is_table_row(line: str) -> bool:
    """A Markdown table row: starts with `|` after optional indentation."""
    return line.lstrip().startswith("|") and line.count("|") >= 2


def table_cells(line: str) -> list[str]:
    """The cells of a table row, trimmed; an escaped `\\|` stays inside its cell."""
    body = line.strip()
    body = body.removeprefix("|").removesuffix("|")
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def is_table_separator(line: str) -> bool:
    """The `|---|---|` line under a table header.

    Cell by cell rather than one pattern with a repeated group: such a pattern keeps a
    backtracking record per character, gigabytes for one long line of dashes.
    """
    if "-" not in line or line.lstrip()[:1] not in _SEPARATOR_STARTS:
        return False
    body = line.strip().removeprefix("|").removesuffix("|")
    return all(_SEPARATOR_CELL.fullmatch(cell.strip()) for cell in body.split("|"))


def is_horizontal_rule(text: str) -> bool:
    """Three or more of the same `-`, `*` or `_`, spaces allowed between them (`---`, `* * *`)."""
    marks = "".join(text.split())
    return len(marks) >= 3 and marks[0] in "-*_" and marks.count(marks[0]) == len(marks)


_SEPARATOR_STARTS = frozenset("|:-")
"""The characters a table separator line can start with (after spaces)."""


_RULED_STARTS = frozenset("#-*_|>[+")
"""First characters for which a line may be a heading, rule, table row, quote, callout or list item."""


def key_points(lines: list[str]) -> list[str]:
    """Key points of section lines that hold no code blocks: list items, table rows, lines."""
    points: list[str] = []
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if text[0] not in _RULED_STARTS and not text[0].isdigit():
            points.append(text)  # a plain line: none of the rules below applies
            continue
        if text.startswith("#") and text.lstrip("#").startswith(" "):
            continue
        # The first-character tests only skip patterns that could not match the stripped text.
        if text[0] in "-*_" and is_horizontal_rule(text):
            continue
        if text[0] == "|" and is_table_row(text):
            if is_table_separator(text):
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if is_table_separator(following):
                continue  # the header row names columns; it is not a point
            cells = [cell for cell in table_cells(text) if cell]
            if cells:
                points.append(" · ".join(cells))
            continue
        if text[0] == ">":
            text = _QUOTE.sub("", text)
        if text.startswith("[!"):
            text = CALLOUT.sub(lambda callout: callout.group("title"), text)
        text = text.strip()
        head = text[:1]
        item = _LIST_ITEM.match(text) if head and (head in "-*+" or head.isdigit()) else None
        if item:
            body = item.group(1)
            text = (_TASK.sub("", body) if body.startswith("[") else body).strip()
        if text:
            points.append(text)
    return points
