"""Listing what a collection holds: decks with counts, cards with schedules, deck checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from ckaquiz.collection import Collection
from ckaquiz.decks.loader import load_decks
from ckaquiz.decks.yaml_deck import duplicate_id_problems
from ckaquiz.errors import UsageError
from ckaquiz.filters import Filters, tag_matches
from ckaquiz.model import CardState, Problem
from ckaquiz.store import StoredCard
from ckaquiz.store.database import to_text


@dataclass(frozen=True)
class DeckRow:
    """One line of `ckaquiz decks`."""

    name: str
    total: int
    new: int
    learning: int
    due_today: int


def validate_filters(collection: Collection, filters: Filters) -> None:
    """Refuse filters that name nothing, so a typo is not an empty session."""
    if filters.decks:
        known = {name.casefold(): name for name in collection.store.deck_names()}
        for deck in filters.decks:
            if deck.casefold() not in known:
                listing = ", ".join(sorted(known.values())) or "none"
                raise UsageError(f"unknown deck {deck!r} (decks: {listing})")
    if filters.tags:
        cards = collection.store.cards(decks=filters.decks)
        for pattern in filters.tags:
            if not any(tag_matches(pattern, tag) for stored in cards for tag in stored.card.tags):
                raise UsageError(f"no card is tagged {pattern!r}")


def matching_cards(collection: Collection, filters: Filters, *, include_retired: bool = False) -> list[StoredCard]:
    """Cards passing the filters, in deck order."""
    cards = collection.store.cards(decks=filters.decks, include_retired=include_retired)
    return [stored for stored in cards if filters.matches(stored.card)]


def deck_rows(collection: Collection, filters: Filters = Filters()) -> list[DeckRow]:
    """Per deck: total, new, learning and due-today counts."""
    day_end = collection.study_day_start() + timedelta(days=1)
    now = collection.now()
    rows: dict[str, list[int]] = {}
    for stored in matching_cards(collection, filters):
        counts = rows.setdefault(stored.card.deck, [0, 0, 0, 0])
        schedule = stored.schedule
        counts[0] += 1
        if schedule.state is CardState.NEW:
            counts[1] += 1
        elif schedule.state in (CardState.LEARNING, CardState.RELEARNING):
            counts[2] += 1
            if schedule.due is not None and schedule.due <= now:
                counts[3] += 1
        elif schedule.due is not None and schedule.due < day_end:
            counts[3] += 1
    return [DeckRow(name, *counts) for name, counts in sorted(rows.items())]


def card_record(stored: StoredCard) -> dict[str, Any]:
    """The JSON shape of one card in `ckaquiz cards --json` (a documented contract)."""
    card, schedule = stored.card, stored.schedule
    return {
        "id": card.id,
        "deck": card.deck,
        "kind": card.kind.value,
        "prompt": card.prompt,
        "answer": card.answer,
        "tags": list(card.tags),
        "source": {"path": card.source.path, "line": card.source.line},
        "state": schedule.state.value,
        "due": to_text(schedule.due),
        "reps": schedule.reps,
        "lapses": schedule.lapses,
        "stability": schedule.stability,
        "difficulty": schedule.difficulty,
        "reference": card.reference or None,
        "explanation": card.explanation or None,
        "key_points": list(card.key_points),
        "active": stored.active,
    }


def check_paths(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Parse deck files and folders; returns the number of cards and every problem found."""
    decks = load_decks(paths)
    problems = [problem for deck in decks for problem in deck.problems]
    by_deck: dict[str, list[Any]] = {}
    for deck in decks:
        by_deck.setdefault(deck.name.casefold(), []).append(deck)
    for group in by_deck.values():
        if len(group) > 1:
            cards = [card for deck in group for card in deck.cards]
            problems.extend(problem for problem in duplicate_id_problems(cards) if problem not in problems)
    return sum(len(deck.cards) for deck in decks), problems
