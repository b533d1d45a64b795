"""Stable card ids: explicit where the author gave one, else derived from content; and which stored
card a card just read continues (`match`), so that edits, moves and renames keep its history.

A derived id depends only on the deck and the card's own identifying text, never on its
position, so reordering cards and sections keeps every card's history.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ckaquiz.model import Card, CardKind, Problem
from ckaquiz.text import fold_spaces

_NOT_SLUG = re.compile(r"[^\w.-]+")
_DERIVED_ID = re.compile(r":[0-9a-f]{10}(?:-\d+)?$")
"""A derived id (`deck:` and ten hex digits, a repeat's number after them), not one the author gave."""
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


SIMILARITY = 80.0
"""rapidfuzz ratio (0-100) from which an edited card in the same note counts as the same card."""


@dataclass(frozen=True)
class KnownCard:
    """What matching needs of a stored card, and what applying the match compares."""

    id: str
    kind: str
    prompt: str
    answer: str
    path: str
    active: bool = True
    source_id: int = 0
    line: int = 0
    content_hash: str = ""


@dataclass(frozen=True)
class Continued:
    """A card just read in file `path`, with the id it keeps, and the stored card it continues (None: new)."""

    path: str
    card: Card
    stored: KnownCard | None


@dataclass
class MatchPlan:
    """What a scan does to the stored cards: each card read continues one or is new; `claimed` are the
    stored ids continued; `skipped` are (path, message) for cards that repeat an id given elsewhere."""

    continued: list[Continued] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def match(
    scanned: Sequence[tuple[str, Sequence[Card]]],
    candidates: Mapping[str, KnownCard],
    elsewhere: Mapping[str, KnownCard] | None = None,
    held: Collection[str] = (),
) -> MatchPlan:
    """Match the cards just read (per file path) to stored cards, in this order, so edits keep history:

    1. the same id: among `candidates` (the stored cards of the re-read files and the retired cards of
       the source) or `elsewhere` (stored cards of other files and sources, matched by id only);
    2. identical content anywhere among the candidates not yet matched (a card moved between notes,
       a note renamed), one in the same file first;
    3. similar content of the same kind in the same file (rapidfuzz ratio >= SIMILARITY), the most
       similar first;
    otherwise the card is new. A card whose id an earlier card of the scan already has is skipped,
    with a message when the two are in different files (the parser reports a repeat within one).

    `held` are ids of `elsewhere` that a file the scan did not read still holds: such a card stays
    where it is. A card read with one of them is skipped when the id is the author's (two files
    give it), and otherwise goes on to content matching; made new, its id is scoped by its file.
    That happens when a card moved to another note (keeping its id) is written again in the note
    it came from.
    """
    elsewhere = elsewhere or {}
    plan = MatchPlan()
    pending: list[tuple[str, Card]] = []
    first_with_id: dict[str, tuple[str, Card]] = {}
    for path, cards in scanned:
        for card in cards:
            first = first_with_id.setdefault(card.id, (path, card))
            if first[1] is not card:
                if first[0] != path:
                    plan.skipped.append(
                        (
                            path,
                            f"{path}:{card.source.line}: duplicate id {card.id!r} (first at"
                            f" {first[0]}:{first[1].source.line}); this card is skipped",
                        )
                    )
                continue
            known = candidates.get(card.id)
            if known is None and card.id in held:
                holder = elsewhere[card.id]
                if not _DERIVED_ID.search(card.id):
                    plan.skipped.append(
                        (
                            path,
                            f"{path}:{card.source.line}: duplicate id {card.id!r} (first at"
                            f" {holder.path}:{holder.line}); this card is skipped",
                        )
                    )
                    continue
                pending.append((path, card))
                continue
            known = known or elsewhere.get(card.id)
            if known is not None:
                plan.claimed.add(card.id)
                plan.continued.append(Continued(path, card, known))
            else:
                pending.append((path, card))
    by_content: dict[str, list[str]] = {}
    for card_id, known in candidates.items():
        if card_id not in plan.claimed:
            by_content.setdefault(_content_key(known.kind, known.prompt, known.answer), []).append(card_id)
    similar: list[tuple[str, Card]] = []
    for path, card in pending:
        ids = [
            card_id
            for card_id in by_content.get(_content_key(card.kind.value, card.prompt, card.answer), [])
            if card_id not in plan.claimed
        ]
        if ids:
            chosen = ([card_id for card_id in ids if candidates[card_id].path == path] or ids)[0]
            plan.claimed.add(chosen)
            plan.continued.append(Continued(path, replace(card, id=chosen), candidates[chosen]))
        else:
            similar.append((path, card))
    if similar:
        from rapidfuzz import fuzz

        for path, card in similar:
            best: tuple[float, str] | None = None
            text = _similarity_text(card.kind.value, card.prompt, card.answer)
            for card_id, known in candidates.items():
                if card_id in plan.claimed or known.path != path or known.kind != card.kind.value:
                    continue
                score = fuzz.ratio(text, _similarity_text(known.kind, known.prompt, known.answer))
                if score >= SIMILARITY and (best is None or score > best[0]):
                    best = (score, card_id)
            if best is None:
                if card.id in held:
                    card = replace(card, id=f"{card.id}-{hashlib.sha1(path.encode('utf-8')).hexdigest()[:6]}")
                plan.continued.append(Continued(path, card, None))
            else:
                plan.claimed.add(best[1])
                plan.continued.append(Continued(path, replace(card, id=best[1]), candidates[best[1]]))
    return plan


def _content_key(kind: str, prompt: str, answer: str) -> str:
    """What "the same content" means: a recall section's body, or a card's question and answer."""
    if kind == CardKind.RECALL.value:
        return f"{kind}\n{fold_spaces(answer)}"
    return f"{kind}\n{fold_spaces(prompt)}\n{fold_spaces(answer)}"


def _similarity_text(kind: str, prompt: str, answer: str) -> str:
    if kind == CardKind.RECALL.value:
        return fold_spaces(answer)
    return f"{fold_spaces(prompt)} {fold_spaces(answer)}"
