"""Sections: a recall card and the smaller cards written with it, read from where the cards were written.

A recall card asks for a whole topic (a note's section, or a deck's `recall` entry); the basic,
cloze, command, choice and manifest cards written after it in the same file, up to the next recall
card, practise pieces of that topic. They share a section, named by the file and the line of its
recall card (the section's heading in a note). No column holds it: it is found from each card's
source file and line, so no schema change and no rescan is needed. Cards written before a file's
first recall card, and exam tasks, are in no section.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from ckaquiz.model import CardKind
from ckaquiz.store.rows import plain_rows, to_text

if TYPE_CHECKING:
    from ckaquiz.store.database import Store


class Section(NamedTuple):
    """The section a card is in, and whether the card is its recall card (or one of its smaller cards)."""

    key: str
    recall: bool


_SECTION_OF = (
    "SELECT c.number, c.kind = ?, c.source_id, c.source_path, ("
    " SELECT r.source_line FROM cards r"
    " WHERE r.source_path = c.source_path AND r.source_id IS c.source_id AND r.kind = ? AND r.active = 1"
    " AND r.source_line <= c.source_line ORDER BY r.source_line DESC LIMIT 1)"
    " FROM cards c WHERE c.kind != ? AND c.number IN ({marks})"
)


def sections_of(store: Store, numbers: Iterable[int], *, chunk: int = 500) -> dict[int, Section]:
    """The section of each of these cards; cards in no section are left out."""
    wanted = list(dict.fromkeys(numbers))
    found: dict[int, Section] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        query = _SECTION_OF.format(marks=", ".join("?" * len(part)))
        kinds = [CardKind.RECALL.value, CardKind.RECALL.value, CardKind.TASK.value]
        for number, recall, source_id, path, line in plain_rows(store.connection, query, [*kinds, *part]):
            if line is not None:
                found[number] = Section(f"{source_id}:{line}:{path}", bool(recall))
    return found


def all_sections(store: Store) -> dict[int, Section]:
    """`sections_of` every card, in one pass over the cards in file and line order: what a queue of
    thousands of cards needs (one query instead of one per card)."""
    found: dict[int, Section] = {}
    place: tuple[object, str] | None = None
    recall_kind = CardKind.RECALL.value
    rows = plain_rows(
        store.connection,
        "SELECT number, kind, source_id, source_path, source_line, active FROM cards WHERE kind != ?"
        " ORDER BY source_id, source_path, source_line, kind != ?",  # a recall card before others on its line
        [CardKind.TASK.value, recall_kind],
    )
    sides: tuple[Section, Section] | None = None  # the current section, as its recall card's and its other cards'
    for number, kind, source_id, path, line, active in rows:
        if (source_id, path) != place:
            place, sides = (source_id, path), None
        is_recall = kind == recall_kind
        if is_recall and active:
            key = f"{source_id}:{line}:{path}"
            sides = Section(key, True), Section(key, False)
        if sides is not None:
            found[number] = sides[0] if is_recall else sides[1]
    return found


class SectionsSeen(NamedTuple):
    """Sections whose recall card, and sections one of whose smaller cards, was answered."""

    recall: set[str]
    other: set[str]


def sections_seen_since(store: Store, start: datetime) -> SectionsSeen:
    """The sections of the cards answered since `start` (undone answers left out), by side."""
    rows = plain_rows(
        store.connection,
        "SELECT DISTINCT card_number FROM reviews WHERE reviewed_at >= ? AND undone_at IS NULL",
        [to_text(start)],
    )
    seen = SectionsSeen(set(), set())
    for section in sections_of(store, (row[0] for row in rows)).values():
        (seen.recall if section.recall else seen.other).add(section.key)
    return seen
