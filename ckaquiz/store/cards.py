"""Card queries: one card, cards narrowed by deck, state and due time, their summaries, tags and decks.

Listings over many cards read plain tuples (`plain_rows`) and parse each shared tag set once:
a queue over 100,000 cards costs about as much as their rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ckaquiz.model import CardKind, CardState
from ckaquiz.store.rows import (
    CARD_COLUMNS_SQL,
    CARD_STATES,
    StoredCard,
    from_text,
    plain_rows,
    stored_card,
    to_text,
)

if TYPE_CHECKING:
    from ckaquiz.store.handle import Handle

_NOT_SUSPENDED_OR_BURIED = (
    "number NOT IN (SELECT card_number FROM card_marks WHERE suspended_at IS NOT NULL OR buried_until > ?)"
)
"""The cards a queue may show at a moment (the one parameter): neither suspended nor buried then."""


class CardSummary(NamedTuple):
    """A card's row number, deck, tags, sibling key and schedule state, without its content."""

    number: int
    deck: str
    tags: tuple[str, ...]
    sibling_key: str
    state: CardState
    due: datetime | None
    active: bool
    note_date: Any = None
    """The note's date from the card's fields, when it was asked for (see `ckaquiz.store.cards.card_summaries`)."""


def card(store: Handle, card_id: str) -> StoredCard | None:
    """One card by id, active or retired."""
    row = store.connection.execute(f"SELECT {CARD_COLUMNS_SQL} FROM cards WHERE id = ?", (card_id,)).fetchone()
    return None if row is None else stored_card(row)


def card_by_number(store: Handle, number: int) -> StoredCard | None:
    """One card by its row number."""
    row = store.connection.execute(f"SELECT {CARD_COLUMNS_SQL} FROM cards WHERE number = ?", (number,)).fetchone()
    return None if row is None else stored_card(row)


def select_cards(
    store: Handle,
    *,
    decks: Iterable[str] = (),
    states: Iterable[CardState] = (),
    due_before: datetime | None = None,
    include_retired: bool = False,
    order: str = "number",
) -> list[StoredCard]:
    """Cards narrowed in SQL by deck, state and due time (tags are matched by the caller)."""
    where, parameters = card_conditions(decks, states, due_before, None, include_retired)
    ordering = {"number": "number", "due": "due, number"}[order]
    rows = plain_rows(store.connection, f"SELECT {CARD_COLUMNS_SQL} FROM cards{where} ORDER BY {ordering}", parameters)
    return [stored_card(row) for row in rows]


def card_count(store: Handle) -> int:
    """How many cards are active (their source still has them)."""
    return int(store.connection.execute("SELECT COUNT(*) FROM cards WHERE active = 1").fetchone()[0])


def card_summaries(
    store: Handle,
    *,
    decks: Iterable[str] = (),
    states: Iterable[CardState] = (),
    due_before: datetime | None = None,
    due_after: datetime | None = None,
    include_retired: bool = False,
    order: str = "number",
    note_dates: bool = False,
    exclude_kinds: Iterable[CardKind] = (),
    unmarked_at: datetime | None = None,
) -> Generator[CardSummary, None, None]:
    """`cards` without their content, read lazily: what filters, queues and counts need.

    Narrowed as `cards` narrows (plus `due_after`, exclusive), in the same order; the
    note date (for --since and --until) is read only when `note_dates` asks for it.
    `unmarked_at` leaves out the cards suspended, or buried at that moment (`ckaquiz.store.marks`).
    """
    where, parameters = card_conditions(decks, states, due_before, due_after, include_retired)
    if excluded := [kind.value for kind in exclude_kinds]:  # exam tasks stay out of study queues
        where += f"{' AND' if where else ' WHERE'} kind NOT IN ({', '.join('?' * len(excluded))})"
        parameters.extend(excluded)
    if unmarked_at is not None:
        where += f"{' AND' if where else ' WHERE'} {_NOT_SUSPENDED_OR_BURIED}"
        parameters.append(to_text(unmarked_at))
    ordering = {"number": "number", "due": "due, number"}[order]
    columns = "number, deck, tags, sibling_key, state, due, active" + (", fields" if note_dates else "")
    tag_sets: dict[str, tuple[str, ...]] = {}  # cards share few tag sets: parse each once
    for row in plain_rows(store.connection, f"SELECT {columns} FROM cards{where} ORDER BY {ordering}", parameters):
        tags_text = row[2]
        tags = tag_sets.get(tags_text)
        if tags is None:
            tags = tag_sets[tags_text] = tuple(json.loads(tags_text))
        note_date = json.loads(row[7]).get("note_date") if note_dates else None
        yield CardSummary(row[0], row[1], tags, row[3], CARD_STATES[row[4]], from_text(row[5]), bool(row[6]), note_date)


class DeckTagCounts(NamedTuple):
    """The active cards of one deck and tag set: how many, how many new and learning, how many due today."""

    deck: str
    tags: tuple[str, ...]
    total: int
    new: int
    learning: int
    due_today: int


def deck_tag_counts(store: Handle, *, now: datetime, day_end: datetime) -> list[DeckTagCounts]:
    """Per deck and tag set, counted in SQL on the summary index: a (re)learning card is due today
    when it is due now, a review card when it is due before the study day ends."""
    tag_sets: dict[str, tuple[str, ...]] = {}
    counts: list[DeckTagCounts] = []
    rows = store.connection.execute(
        "SELECT deck, tags, count(*), count(CASE WHEN state = 'new' THEN 1 END),"
        " count(CASE WHEN state IN ('learning', 'relearning') THEN 1 END),"
        " count(CASE WHEN state IN ('learning', 'relearning') AND due <= ? THEN 1"
        " WHEN state = 'review' AND due < ? THEN 1 END)"
        " FROM cards WHERE active = 1 GROUP BY deck, tags",
        (to_text(now), to_text(day_end)),
    )
    for deck, tags_text, total, new, learning, due_today in rows:
        tags = tag_sets.get(tags_text)
        if tags is None:
            tags = tag_sets[tags_text] = tuple(json.loads(tags_text))
        counts.append(DeckTagCounts(deck, tags, total, new, learning, due_today))
    return counts


def states_of(store: Handle, numbers: Iterable[int], *, chunk: int = 500) -> dict[int, CardState]:
    """The scheduling state of each of these cards (numbers not found are left out)."""
    wanted = list(numbers)
    states: dict[int, CardState] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        marks = ", ".join("?" * len(part))
        rows = plain_rows(store.connection, f"SELECT number, state FROM cards WHERE number IN ({marks})", part)
        states.update((row[0], CARD_STATES[row[1]]) for row in rows)
    return states


def cards_by_numbers(store: Handle, numbers: Iterable[int]) -> list[StoredCard]:
    """The cards with these row numbers, in the order given (numbers not found are left out)."""
    return list(iter_cards_by_numbers(store, numbers))


def iter_cards_by_numbers(store: Handle, numbers: Iterable[int]) -> Iterator[StoredCard]:
    """`cards_by_numbers`, read and built a chunk at a time (a long listing never sits in memory whole)."""
    return (stored_card(row) for row in iter_card_rows(store, numbers))


def iter_card_rows(store: Handle, numbers: Iterable[int], *, chunk: int = 500) -> Iterator[tuple[Any, ...]]:
    """The rows (plain tuples of `CARD_COLUMNS`) of the cards with these numbers, in the order given,
    read a chunk at a time; numbers not found are left out."""
    wanted = list(numbers)
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        rows = plain_rows(
            store.connection,
            f"SELECT {CARD_COLUMNS_SQL} FROM cards WHERE number IN ({', '.join('?' * len(part))})",
            part,
        )
        found = {row[0]: row for row in rows}
        yield from (found[number] for number in part if number in found)


def matching_numbers(
    store: Handle,
    accept: Callable[[str, tuple[str, ...], Any], bool],
    *,
    decks: Iterable[str] = (),
    include_retired: bool = False,
    note_dates: bool = False,
) -> list[int]:
    """Row numbers, in order, of the cards (narrowed by deck as `cards` does) that `accept(deck, tags,
    note_date)` takes. Without note dates each distinct deck and tag set is judged once, so a
    filter over 100,000 cards costs about as much as their few hundred tag sets."""
    where, parameters = card_conditions(decks, (), None, None, include_retired)
    columns = "number, deck, tags" + (", fields" if note_dates else "")
    verdicts: dict[tuple[str, str], bool] = {}
    numbers: list[int] = []
    for row in plain_rows(store.connection, f"SELECT {columns} FROM cards{where}", parameters):
        if note_dates:
            if accept(row[1], tuple(json.loads(row[2])), json.loads(row[3]).get("note_date")):
                numbers.append(row[0])
            continue
        key = (row[1], row[2])
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = accept(row[1], tuple(json.loads(row[2])), None)
        if verdict:
            numbers.append(row[0])
    numbers.sort()  # cheaper here than an ORDER BY that makes SQLite sort its index's rows
    return numbers


def recall_prompts(store: Handle, card_ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """Every recall card's (prompt, deck), by card id, retired ones too; or only those of `card_ids`."""
    if card_ids is None:
        rows = plain_rows(
            store.connection, "SELECT id, prompt, deck FROM cards WHERE kind = ?", [CardKind.RECALL.value]
        )
        return {row[0]: (row[1], row[2]) for row in rows}
    found: dict[str, tuple[str, str]] = {}
    wanted = list(card_ids)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        rows = plain_rows(
            store.connection,
            f"SELECT id, prompt, deck FROM cards WHERE kind = ? AND id IN ({', '.join('?' * len(part))})",
            [CardKind.RECALL.value, *part],
        )
        found.update((row[0], (row[1], row[2])) for row in rows)
    return found


def distinct_tags(store: Handle, *, decks: Iterable[str] = ()) -> set[str]:
    """Every tag of the active cards (of these decks)."""
    where, parameters = card_conditions(decks, (), None, None, False)
    rows = plain_rows(store.connection, f"SELECT DISTINCT tags FROM cards{where}", parameters)
    return {tag for (tags,) in rows for tag in json.loads(tags)}


def deck_names(store: Handle) -> list[str]:
    """Names of decks with active cards."""
    return [
        row[0] for row in store.connection.execute("SELECT DISTINCT deck FROM cards WHERE active = 1 ORDER BY deck")
    ]


def card_conditions(
    decks: Iterable[str],
    states: Iterable[CardState],
    due_before: datetime | None,
    due_after: datetime | None,
    include_retired: bool,
) -> tuple[str, list[Any]]:
    """The WHERE clause (with its parameters) that narrows cards by deck, state and due time."""
    clauses: list[str] = []
    parameters: list[Any] = []
    if not include_retired:
        clauses.append("active = 1")
    deck_list = [deck.casefold() for deck in decks]
    if deck_list:
        clauses.append(f"lower(deck) IN ({', '.join('?' * len(deck_list))})")
        parameters.extend(deck_list)
    state_list = [state.value for state in states]
    if state_list:
        clauses.append(f"state IN ({', '.join('?' * len(state_list))})")
        parameters.extend(state_list)
    if due_before is not None:
        clauses.append("due <= ?")
        parameters.append(to_text(due_before))
    if due_after is not None:
        clauses.append("due > ?")
        parameters.append(to_text(due_after))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, parameters
