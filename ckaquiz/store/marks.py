"""Cards suspended, buried until a moment, or flagged: the learner's marks, kept apart from the cards.

The table is made by migration 0005. A suspended card never joins a study or review queue until it
is unsuspended; a buried one stays out until its moment (the start of the next study day).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ckaquiz.errors import UsageError
from ckaquiz.store.database import Store
from ckaquiz.store.rows import from_text, to_text


@dataclass(frozen=True)
class CardMarks:
    """One card's marks."""

    suspended: bool = False
    buried_until: datetime | None = None
    flagged: bool = False

    def hidden_at(self, moment: datetime) -> bool:
        """Whether the card stays out of queues at `moment`: suspended, or buried past it."""
        return self.suspended or (self.buried_until is not None and self.buried_until > moment)


UNMARKED = CardMarks()



def marks_of(store: Store, numbers: Iterable[int] | None = None) -> dict[int, CardMarks]:
    """The marks of these cards (of every marked card when None); unmarked cards are left out."""
    rows = store.connection.execute("SELECT card_number, suspended_at, buried_until, flagged_at FROM card_marks")
    wanted = None if numbers is None else set(numbers)
    marks: dict[int, CardMarks] = {}
    for number, suspended_at, buried_until, flagged_at in rows:
        if wanted is None or number in wanted:
            marks[number] = CardMarks(suspended_at is not None, from_text(buried_until), flagged_at is not None)
    return marks


def suspend(store: Store, numbers: Iterable[int], *, now: datetime) -> None:
    """Keep these cards out of every queue until they are unsuspended."""
    _set(store, numbers, "suspended_at", to_text(now))


def unsuspend(store: Store, numbers: Iterable[int]) -> int:
    """Let these cards back into queues; returns how many were suspended."""
    listed = list(numbers)
    with store.transaction() as connection:
        changed = 0
        for number in listed:
            cursor = connection.execute(
                "UPDATE card_marks SET suspended_at = NULL WHERE card_number = ? AND suspended_at IS NOT NULL",
                (number,),
            )
            changed += cursor.rowcount
        _drop_empty(connection)
    return changed


def bury(store: Store, numbers: Iterable[int], *, until: datetime) -> None:
    """Keep these cards out of queues until `until`."""
    _set(store, numbers, "buried_until", to_text(until))


def toggle_flag(store: Store, number: int, *, now: datetime) -> bool:
    """Flag the card, or unflag it if it was flagged; returns whether it is flagged now."""
    flagged = marks_of(store, [number]).get(number, UNMARKED).flagged
    _set(store, [number], "flagged_at", None if flagged else to_text(now))
    return not flagged


def suspended_numbers(store: Store) -> list[int]:
    """The row numbers of the suspended cards, in order."""
    rows = store.connection.execute(
        "SELECT card_number FROM card_marks WHERE suspended_at IS NOT NULL ORDER BY card_number"
    )
    return [int(row[0]) for row in rows]


def unsuspend_ids(store: Store, card_ids: Iterable[str]) -> int:
    """Let the cards with these ids back into queues; returns how many were suspended.

    Every id is checked before anything changes: an unknown one is a `UsageError` naming it.
    """
    numbers: list[int] = []
    for card_id in card_ids:
        stored = store.card(card_id)
        if stored is None:
            raise UsageError(f"unknown card id '{card_id}' (see `ckaquiz cards`)")
        numbers.append(stored.number)
    return unsuspend(store, numbers)


def _set(store: Store, numbers: Iterable[int], column: str, value: str | None) -> None:
    with store.transaction() as connection:
        for number in numbers:
            connection.execute(
                f"INSERT INTO card_marks (card_number, {column}) VALUES (?, ?)"
                f" ON CONFLICT (card_number) DO UPDATE SET {column} = excluded.{column}",
                (number, value),
            )
        _drop_empty(connection)


def _drop_empty(connection: sqlite3.Connection) -> None:
    connection.execute(
        "DELETE FROM card_marks WHERE suspended_at IS NULL AND buried_until IS NULL AND flagged_at IS NULL"
    )
