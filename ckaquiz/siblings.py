"""Siblings: cards that are not shown on the same study day.

Cards made from one entry share a sibling key (the two sides of a reversed card, the deletions
of one cloze): once one is answered or queued today, the others wait for another day. Across
kinds (`bury_siblings_across_kinds`, on by default), a recall card and the smaller cards of its
section (`ckaquiz.store.sections`) are kept apart the same way: writing out a topic and then
answering its pieces minutes later, or the other way round, is not practice of either.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime

from ckaquiz.store import CardSummary, Store, sections

_BATCH = 256
"""Cards whose sections are read in one query while a queue is built."""
_NEIGHBOURS = 256
"""The numbers read with a new card's: the cards of its file that are introduced after it."""


class DaySiblings:
    """What today's answers and queue hold, and whether one more card may join them."""

    def __init__(self, store: Store, seen_keys: set[str], day_start: datetime, *, across_kinds: bool) -> None:
        self._store = store
        self._keys = set(seen_keys)
        self._across = across_kinds
        self._sections = sections.sections_seen_since(store, day_start) if across_kinds else None
        self._section_of: dict[int, sections.Section | None] = {}
        self._whole = False  # every card's section read (a card missing from _section_of has none)

    def admitted(self, cards: Iterable[CardSummary]) -> Iterator[CardSummary]:
        """The cards `admit` lets in, in order, as they are taken. Their sections are read a few
        hundred cards at a time, and every card's in one pass once the queue asks about more
        than that (every card due): a query a card would cost more than the queue."""
        waiting = iter(cards)
        while batch := list(itertools.islice(waiting, _BATCH)):
            if len(batch) == _BATCH and self._sections is not None and not self._whole:
                self._section_of = dict(sections.all_sections(self._store))
                self._whole = True
            self._read_sections(card.number for card in batch)
            for card in batch:
                if self.admit(card):
                    yield card

    def _read_sections(self, numbers: Iterable[int]) -> None:
        if self._whole or self._sections is None:
            return
        wanted = [number for number in numbers if number not in self._section_of]
        if wanted:
            found = sections.sections_of(self._store, wanted)
            for number in wanted:
                self._section_of[number] = found.get(number)

    def _section(self, number: int) -> sections.Section | None:
        if self._whole:
            return self._section_of.get(number)
        if number not in self._section_of:
            # Cards are numbered in file order as they are stored, and new cards are introduced
            # deck by deck in that order: the numbers after this one are asked about next.
            self._read_sections(range(number, number + _NEIGHBOURS))
        return self._section_of[number]

    def admit(self, card: CardSummary) -> bool:
        """Whether the card may join today's queue; if so, it is counted as shown today."""
        key = card.sibling_key
        if key and key in self._keys:
            return False
        if self._sections is not None:
            section = self._section(card.number)
            if section is not None:
                seen = self._sections
                if section.key in (seen.other if section.recall else seen.recall):
                    return False
                (seen.recall if section.recall else seen.other).add(section.key)
        if key:
            self._keys.add(key)
        return True

    def shown(self, numbers: list[int]) -> None:
        """Cards shown today whatever their siblings (learning cards): their sections are taken for the day."""
        if self._sections is None or not numbers:
            return
        seen = self._sections
        for section in sections.sections_of(self._store, numbers).values():
            (seen.recall if section.recall else seen.other).add(section.key)
