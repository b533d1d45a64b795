"""Which cards a command works on: decks and tags, case-insensitive, nested and globbed."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase

from ckaquiz.errors import UsageError
from ckaquiz.model import Card
from ckaquiz.text import fold


def _fold(text: str) -> str:
    return fold(text).lstrip("#")


def tag_matches(pattern: str, tag: str) -> bool:
    """`cka` matches `cka` and `cka/storage`; `2025-03*` is a glob; case never matters."""
    wanted, actual = _fold(pattern), _fold(tag)
    if any(character in wanted for character in "*?["):
        return fnmatchcase(actual, wanted) or fnmatchcase(actual, wanted + "/*")
    return actual == wanted or actual.startswith(wanted + "/")


@functools.lru_cache(maxsize=64)
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_fold(name) for name in names)


@functools.lru_cache(maxsize=8192)
def _any_tag_matches(patterns: tuple[str, ...], tags: tuple[str, ...]) -> bool:
    # Cards share a few hundred tag sets at most: a card list of any size costs that many checks.
    return any(tag_matches(pattern, tag) for pattern in patterns for tag in tags)


@dataclass(frozen=True)
class Filters:
    """Deck names and tag patterns; a card must be in one of the decks and carry one of the tags."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    @property
    def by_date(self) -> bool:
        """Whether the filters look at the note's date (--since, --until)."""
        return self.since is not None or self.until is not None

    def matches(self, card: Card) -> bool:
        """Whether the card passes every filter given."""
        return self.matches_values(deck=card.deck, tags=card.tags, note_date=card.note_facts.note_date)

    def matches_values(self, *, deck: str, tags: Sequence[str], note_date: object) -> bool:
        """`matches` for a card known only by its deck, tags and note date (`Card.note_facts.note_date`)."""
        if self.decks and _fold(deck) not in _folded(self.decks):
            return False
        if self.since is not None or self.until is not None:
            dated = note_date
            if not isinstance(dated, str):
                return False
            if self.since is not None and dated < self.since.isoformat():
                return False
            if self.until is not None and dated > self.until.isoformat():
                return False
        return not self.tags or _any_tag_matches(self.tags, tuple(tags))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, kept with each session."""
        return {
            "decks": list(self.decks),
            "tags": list(self.tags),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def parse_day(text: str, now: datetime) -> date:
    """`2025-03-19`, `today`, `yesterday` or `Nd` (N days ago), in local time."""
    word = text.strip().lower()
    today = now.astimezone().date()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    match = re.fullmatch(r"(\d+)d", word)
    if match:
        return today - timedelta(days=int(match.group(1)))
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise UsageError(f"not a date: {text!r} (use YYYY-MM-DD, today, yesterday or Nd)") from None
