"""Which cards a command works on: decks and tags, case-insensitive, nested and globbed."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fnmatch import fnmatchcase

from ckaquiz.model import Card


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().lstrip("#")


def tag_matches(pattern: str, tag: str) -> bool:
    """`cka` matches `cka` and `cka/storage`; `2025-03*` is a glob; case never matters."""
    wanted, actual = _fold(pattern), _fold(tag)
    if any(character in wanted for character in "*?["):
        return fnmatchcase(actual, wanted) or fnmatchcase(actual, wanted + "/*")
    return actual == wanted or actual.startswith(wanted + "/")


@dataclass(frozen=True)
class Filters:
    """Deck names and tag patterns; a card must be in one of the decks and carry one of the tags."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def matches(self, card: Card) -> bool:
        """Whether the card passes every filter given."""
        if self.decks and _fold(card.deck) not in {_fold(deck) for deck in self.decks}:
            return False
        return not self.tags or any(tag_matches(pattern, tag) for pattern in self.tags for tag in card.tags)

    def to_dict(self) -> dict[str, list[str]]:
        """A JSON-ready view, kept with each session."""
        return {"decks": list(self.decks), "tags": list(self.tags)}
