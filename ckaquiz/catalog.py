"""Listing what a collection holds: decks with counts, cards with schedules, deck checks."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from ckaquiz.errors import UsageError
from ckaquiz.filters import Filters, tag_matches
from ckaquiz.library import Library
from ckaquiz.model import CardState, Problem
from ckaquiz.records import record_of_row
from ckaquiz.store import (
    CardSummary,
    StoredCard,
    card_summaries,
    deck_names,
    deck_tag_counts,
    distinct_tags,
    iter_card_rows,
    iter_cards_by_numbers,
    matching_numbers,
    registered_sources,
)


@dataclass(frozen=True)
class DeckRow:
    """One line of `ckaquiz decks`."""

    name: str
    total: int
    new: int
    learning: int
    due_today: int


def validate_filters(collection: Library, filters: Filters) -> None:
    """Refuse filters that name nothing, so a typo is not an empty session."""
    if filters.decks:
        known = {name.casefold(): name for name in deck_names(collection.store)}
        for source in registered_sources(collection.store):  # a deck whose files hold no cards yet is known, and empty
            if not source.builtin:
                known.setdefault((source.deck or source.name).casefold(), source.deck or source.name)
        for deck in filters.decks:
            if deck.casefold() not in known:
                raise UsageError(f"unknown deck {deck!r} ({_deck_hint(deck, known)})")
    if filters.tags:
        tags = distinct_tags(collection.store, decks=filters.decks)
        for pattern in filters.tags:
            if not any(tag_matches(pattern, tag) for tag in tags):
                raise UsageError(f"no card is tagged {pattern!r}")


HINTED_DECKS = 5


def _deck_hint(deck: str, known: dict[str, str]) -> str:
    """A few deck names close to a mistyped one: every name when there are few, else the nearest ones."""
    if len(known) <= HINTED_DECKS:
        return "decks: " + (", ".join(sorted(known.values())) or "none")
    wanted = deck.casefold()
    containing = sorted(key for key in known if wanted and wanted in key)
    close = difflib.get_close_matches(wanted, list(known), n=HINTED_DECKS, cutoff=0.5)
    nearest = list(dict.fromkeys([*close, *containing]))[:HINTED_DECKS]
    everything = f"all {len(known)} decks: `ckaquiz decks`"
    if not nearest:
        return everything
    return "closest: " + ", ".join(known[key] for key in nearest) + "; " + everything


def matching_summaries(
    collection: Library, filters: Filters, *, include_retired: bool = False
) -> Iterator[CardSummary]:
    """Summaries (no content) of the cards passing the filters, in deck order."""
    summaries = card_summaries(collection.store,
        decks=filters.decks, include_retired=include_retired, note_dates=filters.by_date
    )
    matches = filters.matches_values
    return (card for card in summaries if matches(deck=card.deck, tags=card.tags, note_date=card.note_date))


def matching_cards(collection: Library, filters: Filters, *, include_retired: bool = False) -> list[StoredCard]:
    """Cards passing the filters, in deck order."""
    if not (filters.decks or filters.tags or filters.by_date):
        return collection.store.cards(include_retired=include_retired)  # every card passes
    return list(iter_matching_cards(collection, filters, include_retired=include_retired))


def iter_matching_cards(
    collection: Library, filters: Filters, *, include_retired: bool = False
) -> Iterator[StoredCard]:
    """`matching_cards`, read a chunk at a time: only the matching cards' content is ever read."""
    return iter_cards_by_numbers(collection.store, _matching_numbers(collection, filters, include_retired))


def iter_matching_records(
    collection: Library, filters: Filters, *, include_retired: bool = False
) -> Iterator[dict[str, Any]]:
    """`card_record` of each card `iter_matching_cards` gives, made from its stored row (`record_of_row`)."""
    numbers = _matching_numbers(collection, filters, include_retired)
    return (record_of_row(row) for row in iter_card_rows(collection.store, numbers))


def _matching_numbers(collection: Library, filters: Filters, include_retired: bool) -> list[int]:
    """The row numbers of the cards passing the filters, judged on their stored summaries."""

    def accept(deck: str, tags: tuple[str, ...], note_date: object) -> bool:
        return filters.matches_values(deck=deck, tags=tags, note_date=note_date)

    return matching_numbers(collection.store,
        accept, decks=filters.decks, include_retired=include_retired, note_dates=filters.by_date
    )


def deck_rows(collection: Library, filters: Filters = Filters()) -> list[DeckRow]:
    """Per deck: total, new, learning and due-today counts.

    Counted in SQL per deck and tag set (`deck_tag_counts`), so the cost grows with the decks and tag
    sets, not the cards; only a note-date filter reads the cards one by one.
    """
    day_end = collection.study_day_start() + timedelta(days=1)
    now = collection.now()
    rows: dict[str, list[int]] = {}
    if not filters.by_date:
        for group in deck_tag_counts(collection.store, now=now, day_end=day_end):
            if filters.matches_values(deck=group.deck, tags=group.tags, note_date=None):
                counts = rows.setdefault(group.deck, [0, 0, 0, 0])
                for index, value in enumerate((group.total, group.new, group.learning, group.due_today)):
                    counts[index] += value
        return [DeckRow(name, *counts) for name, counts in sorted(rows.items())]
    for card in matching_summaries(collection, filters):
        counts = rows.setdefault(card.deck, [0, 0, 0, 0])
        counts[0] += 1
        if card.state is CardState.NEW:
            counts[1] += 1
        elif card.state in (CardState.LEARNING, CardState.RELEARNING):
            counts[2] += 1
            if card.due is not None and card.due <= now:
                counts[3] += 1
        elif card.due is not None and card.due < day_end:
            counts[3] += 1
    return [DeckRow(name, *counts) for name, counts in sorted(rows.items())]


def check_paths(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Parse deck files and folders; returns the number of cards and every problem found."""
    from ckaquiz.decks.loader import load_decks

    return check_decks(load_decks(paths))


def check_decks(decks: list[Any]) -> tuple[int, list[Problem]]:
    """The number of cards and every problem of parsed decks, with ids given twice within one deck."""
    from ckaquiz.decks.identity import duplicate_id_problems

    problems = [problem for deck in decks for problem in deck.problems]
    by_deck: dict[str, list[Any]] = {}
    for deck in decks:
        by_deck.setdefault(deck.name.casefold(), []).append(deck)
    for group in by_deck.values():
        if len(group) > 1:
            cards = [card for deck in group for card in deck.cards]
            problems.extend(problem for problem in duplicate_id_problems(cards) if problem not in problems)
    return sum(len(deck.cards) for deck in decks), problems


def deck_summary_markdown(paths: Iterable[Path]) -> str:
    """A Markdown page of card counts per deck, kind and CKA domain, for decks/README.md."""
    from ckaquiz.decks.loader import load_decks

    decks = load_decks(paths)
    by_deck: dict[str, dict[str, int]] = {}
    from ckaquiz.domains import CKA_DOMAINS

    domains: dict[str, int] = {domain.tag: 0 for domain in CKA_DOMAINS}
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
    kinds = ["recall", "basic", "cloze", "choice", "command", "manifest", "task"]
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
    for domain in CKA_DOMAINS:
        count = domains[domain.tag]
        lines.append(f"| {domain.name} | `{domain.tag}` | {domain.weight}% | {count} | {count / cka_total:.0%} |")
    return "\n".join(lines) + "\n"
