"""CSV and TSV decks, in the shape of Anki's plain-text export: front, back and an optional tags column.

Anki writes header lines such as `#separator:tab`, `#html:true`, `#tags column:3`,
`#columns:Front	Back	Tags`, `#deck:...`, `#notetype column:1` and `#guid column:1`; they are
all understood. Without `#separator`, a tab in the first line (or a `.tsv` name) means tabs,
a `.csv` file uses commas, and otherwise the most frequent of `,` `;` `|` in the first line
wins. A first row naming its columns (`front`, `back`, `tags` ...) is a header. Rows become
the same entries as YAML cards, so ids, tags and problems work the same way; a front holding
Anki cloze deletions (`{{c1::...}}`) becomes a cloze card, and Anki's `a::b` tags become `a/b`.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ckaquiz.decks.entries import build_entry_cards
from ckaquiz.decks.entry_fields import EntryContext, merge_tags
from ckaquiz.model import Card, Deck, Problem

FIELD_NAMES = frozenset({"front", "back", "tags", "id", "explanation", "reference", "notetype", "deck", "guid"})
_ALIASES = {
    "question": "front",
    "answer": "back",
    "text": "front",
    "back extra": "explanation",
    "extra": "explanation",
    "note type": "notetype",
    "tag": "tags",
}
_IGNORED = frozenset({"deck", "guid"})
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_HEADER = re.compile(r"^#([a-z ]+):(.*)$")
# Inner text never runs over the next `{{`, so a cell of a million unclosed `{{c1::` takes linear time.
_ANKI_CLOZE = re.compile(r"\{\{c(\d+)::((?:(?!\{\{|\}\}).)*?)(?:::((?:(?!\{\{|\}\}).)*?))?\}\}", re.DOTALL)
MAX_COLUMNS = 100
"""Columns a header may name by number (Anki exports have a handful)."""
_HTML_BREAK = re.compile(r"<br\s*/?>|</div>|</p>|</li>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def _column_name(text: str) -> str:
    name = " ".join(text.strip().casefold().split())
    return _ALIASES.get(name, name)


def _plain(text: str) -> str:
    """Anki HTML as plain text: line breaks kept, tags dropped, entities decoded."""
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _tags(text: str) -> list[str]:
    """Space-separated tags; Anki's hierarchy `a::b` becomes ckaquiz's nesting `a/b`."""
    return [tag.replace("::", "/") for tag in text.split()]


def _separator(path: str, headers: dict[str, str], first_line: str) -> str:
    named = headers.get("separator", "").strip()
    if named:
        return _SEPARATORS.get(named.casefold(), named[:1])
    suffix = Path(path).suffix.casefold()
    if suffix in {".tsv", ".tab"} or "\t" in first_line:
        return "\t"
    counts = {separator: first_line.count(separator) for separator in ",;|"}
    if suffix == ".csv" and (counts[","] or not any(counts.values())):
        return ","
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else "\t"


def parse_delimited(
    text: str,
    path: str,
    *,
    deck_name: str | None,
    columns: Sequence[str] | None = None,
) -> Deck:
    """Read a CSV/TSV deck: one card per row, problems with their line numbers instead of raises."""
    lines = text.splitlines(keepends=True)
    headers: dict[str, str] = {}
    body_start = 0
    for index, text_line in enumerate(lines):
        match = _HEADER.match(text_line.rstrip("\r\n"))
        if match is None:
            break
        headers[match.group(1).strip()] = match.group(2).strip()
        body_start = index + 1
    name = deck_name or headers.get("deck", "").strip() or Path(path).stem
    problems: list[Problem] = []
    body = lines[body_start:]
    first_line = next((text_line for text_line in body if text_line.strip()), "")
    separator = _separator(path, headers, first_line)
    is_html = headers.get("html", "").casefold() == "true"
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(body, delimiter=separator, quotechar='"', skipinitialspace=separator == " ")
    line_number = body_start + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((line_number, row))
            line_number = body_start + reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(path, body_start + reader.line_num, f"cannot read the row: {error}"))
    names = _columns(headers, columns, rows, path, problems)
    context = EntryContext(deck=name, path=path)
    cards: list[Card] = []
    for line, row in rows:
        entry, row_problems = _entry(row, names, is_html=is_html, path=path, line=line)
        problems.extend(row_problems)
        if entry is None:
            continue
        entry_cards, entry_problems = build_entry_cards(entry, context, line=line)
        cards.extend(entry_cards)
        problems.extend(entry_problems)
    if not cards and not problems:
        problems.append(Problem(path, 1, "no cards: expected rows of front, back and optional tags"))
    return Deck(name=name, path=path, cards=tuple(cards), problems=tuple(problems))


def _columns(
    headers: dict[str, str],
    columns: Sequence[str] | None,
    rows: list[tuple[int, list[str]]],
    path: str,
    problems: list[Problem],
) -> list[str]:
    """The name of each column, from `columns`, a `#columns:` header, a header row, or the position."""
    if columns is not None:
        names = [_column_name(column) for column in columns]
        if rows and [_column_name(cell) for cell in rows[0][1]] == names:
            rows.pop(0)
    elif "columns" in headers:
        separator = "\t" if "\t" in headers["columns"] else ","
        names = [_column_name(column) for column in headers["columns"].split(separator)]
    elif rows and _looks_like_header(rows[0][1]):
        names = [_column_name(cell) for cell in rows.pop(0)[1]]
    else:
        names = ["front", "back"]
        width = max((len(row) for _, row in rows), default=2)
        special = {"tags": "tags column", "notetype": "notetype column", "deck": "deck column", "guid": "guid column"}
        placed: dict[int, str] = {}
        for field_name, header in special.items():
            if header in headers:
                number = _column_number(headers[header])
                if number is None:
                    message = (
                        f"#{header}: expected a column number from 1 to {MAX_COLUMNS}, got {headers[header][:20]!r}"
                    )
                    problems.append(Problem(path, 1, message))
                else:
                    placed[number - 1] = field_name
        if not placed and width >= 3:
            placed[2] = "tags"
        free = iter(["front", "back", "explanation"])
        names = [placed[index] if index in placed else next(free, "") for index in range(max(width, 2))]
    for name in names:
        if name and name not in FIELD_NAMES:
            allowed = ", ".join(sorted(FIELD_NAMES - _IGNORED))
            problems.append(Problem(path, 1, f"unknown column {name!r} is ignored (known: {allowed})"))
    return [name if name in FIELD_NAMES else "" for name in names]


def _column_number(text: str) -> int | None:
    """A header's column number: ASCII digits only (`²` and `①` count as digits to `str.isdigit`)."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4 or not 1 <= int(text) <= MAX_COLUMNS:
        return None
    return int(text)


def _looks_like_header(row: list[str]) -> bool:
    names = [_column_name(cell) for cell in row if cell.strip()]
    return {"front", "back"} <= set(names)


def _entry(
    row: list[str], names: list[str], *, is_html: bool, path: str, line: int
) -> tuple[dict[str, Any] | None, list[Problem]]:
    values: dict[str, str] = {}
    for name, cell in zip(names, row, strict=False):
        if name and name not in _IGNORED:
            values[name] = _plain(cell) if is_html and name not in {"tags", "id"} else cell.strip()
    front, back = values.get("front", ""), values.get("back", "")
    notetype = values.get("notetype", "").casefold()
    entry: dict[str, Any] = {}
    if "cloze" in notetype or _ANKI_CLOZE.search(front):
        if not _ANKI_CLOZE.search(front):
            return None, [Problem(path, line, "a cloze row needs {{c1::...}} deletions in its first column")]
        entry["kind"] = "cloze"
        entry["text"] = _ANKI_CLOZE.sub(lambda match: "{{" + match.group(2) + "}}", front)
        if back:
            entry["explanation"] = back
    else:
        if not front:
            return None, [Problem(path, line, "missing front (the first column)")]
        if not back:
            return None, [Problem(path, line, "missing back (the second column)")]
        entry["front"], entry["back"] = front, back
        if "reverse" in notetype:
            entry["reverse"] = True
        if values.get("explanation"):
            entry["explanation"] = values["explanation"]
    tags = merge_tags(_tags(values.get("tags", "")))
    if tags:
        entry["tags"] = list(tags)
    for key in ("id", "reference"):
        if values.get(key):
            entry[key] = values[key]
    return entry, []
