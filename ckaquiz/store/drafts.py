"""Drafts: the text typed for a card that is not graded yet, kept until its grade is recorded.

The table is made by migration 0005. A draft is written whole in its own transaction, so a killed
process leaves the last one saved; `Session.answer` deletes it in the transaction of the grade.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from ckaquiz.store.database import Store
from ckaquiz.store.rows import to_text


def draft_of(store: Store, card_number: int) -> str:
    """The draft kept for a card ("" when there is none)."""
    row = store.connection.execute("SELECT response FROM drafts WHERE card_number = ?", (card_number,)).fetchone()
    return "" if row is None else str(row[0])


def save_draft(store: Store, card_number: int, response: str, *, now: datetime) -> None:
    """Keep `response` as the card's draft; an empty one deletes it."""
    with store.transaction() as connection:
        if response:
            connection.execute(
                "INSERT INTO drafts (card_number, response, saved_at) VALUES (?, ?, ?)"
                " ON CONFLICT (card_number) DO UPDATE SET response = excluded.response, saved_at = excluded.saved_at",
                (card_number, response, to_text(now)),
            )
        else:
            delete_draft_in_transaction(connection, card_number)


def delete_draft_in_transaction(connection: sqlite3.Connection, card_number: int) -> None:
    """Forget a card's draft, inside a transaction the caller holds (the one recording its grade)."""
    connection.execute("DELETE FROM drafts WHERE card_number = ?", (card_number,))
