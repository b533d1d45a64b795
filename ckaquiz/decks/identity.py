"""Stable card ids: explicit where the author gave one, else derived from content.

A derived id depends only on the deck and the card's own identifying text, never on its
position, so reordering cards and sections keeps every card's history.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from ckaquiz.model import Card, Problem
from ckaquiz.text import fold_spaces

_NOT_SLUG = re.compile(r"[^\w.-]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=256)
def slugify(name: str) -> str:
    """A deck name as an id prefix: lower case, words joined by `-`, Unicode letters kept."""
    # `lower`, not `text.fold`: ids already stored were made this way, and an id must never change
    text = unicodedata.normalize("NFC", name).strip().lower()
    slug = _NOT_SLUG.sub("-", text).strip("-")
    return slug or "deck"


def normalise_for_identity(text: str) -> str:
    """Text with case, Unicode form and runs of whitespace evened out."""
    return fold_spaces(text)


def derived_id(deck: str, basis: str, *, occurrence: int = 1) -> str:
    """`deck:hash` from identifying text; a repeated basis in one file gets `-2`, `-3` ..."""
    return _id_from_normalised(deck, normalise_for_identity(basis), occurrence)


def _id_from_normalised(deck: str, normalised: str, occurrence: int) -> str:
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:10]
    suffix = f"-{occurrence}" if occurrence > 1 else ""
    return f"{slugify(deck)}:{digest}{suffix}"


def explicit_id(deck: str, given: str) -> str:
    """`deck:given` for an id written by the author."""
    return f"{slugify(deck)}:{given.strip()}"


class IdAllocator:
    """Hands out derived ids for one deck file, numbering repeats of the same basis.

    `scope` (a note's path inside its vault) keeps equal questions in two notes apart; a
    card moved between notes keeps its history through content matching in the store.
    """

    def __init__(self, deck: str, scope: str = "") -> None:
        self.deck = deck
        self.scope = scope
        self._scope_key = normalise_for_identity(scope)
        self._prefix = f"{slugify(deck)}:"
        self._seen: dict[str, int] = {}

    def allocate(self, basis: str) -> str:
        """The derived id for this basis, distinct from earlier ones in the same file (`derived_id`)."""
        key = normalise_for_identity(basis)
        count = self._seen.get(key, 0) + 1
        self._seen[key] = count
        # Normalising `scope + "\n" + basis` gives the two normalised parts joined by one space
        # (the newline is whitespace, and NFC and case folding never reach across it), so
        # each part is normalised once, not the whole path again for every card.
        scoped = f"{self._scope_key} {key}" if self._scope_key and key else self._scope_key or key
        digest = hashlib.sha1(scoped.encode("utf-8")).hexdigest()[:10]
        return f"{self._prefix}{digest}-{count}" if count > 1 else f"{self._prefix}{digest}"


def duplicate_id_problems(cards: list[Card]) -> list[Problem]:
    """One problem per card whose id an earlier card already has."""
    first_seen: dict[str, Card] = {}
    problems: list[Problem] = []
    for card in cards:
        earlier = first_seen.setdefault(card.id, card)
        if earlier is not card:
            problems.append(
                Problem(
                    card.source.path,
                    card.source.line,
                    f"duplicate id {card.id!r} (first at line {earlier.source.line})"
                    if earlier.source.path == card.source.path
                    else f"duplicate id {card.id!r} (first at {earlier.source})",
                )
            )
    return problems
