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


CKA_DOMAINS = {
    "cka/cluster-architecture": ("Cluster Architecture, Installation & Configuration", 0.25),
    "cka/workloads-scheduling": ("Workloads & Scheduling", 0.15),
    "cka/services-networking": ("Services & Networking", 0.20),
    "cka/storage": ("Storage", 0.10),
    "cka/troubleshooting": ("Troubleshooting", 0.30),
}


def deck_summary_markdown(paths: Iterable[Path]) -> str:
    """A Markdown page of card counts per deck, kind and CKA domain, for decks/README.md."""
    decks = load_decks(paths)
    by_deck: dict[str, dict[str, int]] = {}
    domains: dict[str, int] = dict.fromkeys(CKA_DOMAINS, 0)
    aws = 0
    for deck in decks:
        for card in deck.cards:
            counts = by_deck.setdefault(card.deck, {"cards": 0, "files": 0})
            counts["cards"] += 1
            counts[card.kind.value] = counts.get(card.kind.value, 0) + 1
            for tag in card.tags:
                if tag in domains:
                    domains[tag] += 1
            aws += "aws" in card.tags
    for deck in decks:
        if deck.cards:
            by_deck[deck.cards[0].deck]["files"] += 1
    kinds = ["recall", "basic", "cloze", "choice", "command", "manifest"]
    lines = [
        "# Built-in decks",
        "",
        "Generated by `ckaquiz decks --markdown decks/ > decks/README.md`; do not edit by hand.",
        "",
        "Every CKA card carries `cka` and exactly one domain tag; AWS cards carry `aws` and `aws/<service>`.",
        "Every card cites the documentation page it rests on (`reference`).",
        "",
        "| deck | files | cards | " + " | ".join(kinds) + " |",
        "|---|---:|---:|" + "---:|" * len(kinds),
    ]
    for name, counts in sorted(by_deck.items()):
        cells = " | ".join(str(counts.get(kind, 0)) for kind in kinds)
        lines.append(f"| {name} | {counts['files']} | {counts['cards']} | {cells} |")
    total = sum(counts["cards"] for counts in by_deck.values())
    lines += ["", f"{total} cards in all; {sum(domains.values())} CKA cards, {aws} AWS cards.", ""]
    lines += ["| CKA domain | tag | exam weight | cards | share |", "|---|---|---:|---:|---:|"]
    cka_total = sum(domains.values()) or 1
    for tag, (title, weight) in CKA_DOMAINS.items():
        lines.append(f"| {title} | `{tag}` | {weight:.0%} | {domains[tag]} | {domains[tag] / cka_total:.0%} |")
    return "\n".join(lines) + "\n"
