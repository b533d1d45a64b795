"""Siblings: cards that are not shown on the same study day.

Cards made from one entry share a sibling key (the two sides of a reversed card, the deletions
of one cloze): once one is answered or queued today, the others wait for another day. Across
kinds (`bury_siblings_across_kinds`, on by default), a recall card and the smaller cards of its
section (`ckaquiz.store.sections`) are kept apart the same way: writing out a topic and then
answering its pieces minutes later, or the other way round, is not practice of either.
"""

from __future__ import annotations

from datetime import datetime

from ckaquiz.store import CardSummary, Store, sections


class DaySiblings:
    """What today's answers and queue hold, and whether one more card may join them."""

    def __init__(self, store: Store, seen_keys: set[str], day_start: datetime, *, across_kinds: bool) -> None:
        self._store = store
        self._keys = set(seen_keys)
        self._across = across_kinds
        self._sections = sections.sections_seen_since(store, day_start) if across_kinds else None
        self._section_of: dict[int, sections.Section] | None = None

    def _section(self, number: int) -> sections.Section | None:
        if self._section_of is None:
            self._section_of = sections.all_sections(self._store)  # read once, on the first card asked about
        return self._section_of.get(number)

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
