"""The review log, undo, study sessions and attempts (what the learner typed and how it was judged).

The log is append-only: an undone review is marked, never deleted, and a card's schedule is
always the one its live reviews give.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ckaquiz.errors import StoreError
from ckaquiz.model import CardKind, CardState, Rating, Review, Schedule
from ckaquiz.store.rows import review_from_row, schedule_from_row, schedule_values, to_text

if TYPE_CHECKING:
    from ckaquiz.store.handle import Handle


def record_review(store: Handle, review: Review, card_number: int) -> int:
    """Append a review and set the card's schedule, in one transaction. Returns the review id."""
    with store.transaction() as connection:
        return record_review_in_transaction(store, connection, review, card_number)


def record_review_in_transaction(
    store: Handle, connection: sqlite3.Connection, review: Review, card_number: int
) -> int:
    """The writes of `record_review`, for callers that already hold the transaction."""
    cursor = connection.execute(
        "INSERT INTO reviews (card_id, card_number, session_id, rating, reviewed_at, duration_ms,"
        " state_before, step_before, stability_before, difficulty_before, due_before, last_review_before,"
        " reps_before, lapses_before, state_after, step_after, stability_after, difficulty_after, due_after,"
        " last_review_after, reps_after, lapses_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review.card_id,
            card_number,
            review.session_id,
            int(review.rating),
            to_text(review.reviewed_at),
            review.duration_ms,
            *schedule_values(review.before),
            *schedule_values(review.after),
        ),
    )
    set_schedule_in_transaction(store, connection, card_number, review.after)
    return int(cursor.lastrowid or 0)


def set_schedule_in_transaction(
    store: Handle, connection: sqlite3.Connection, card_number: int, schedule: Schedule
) -> None:
    """Write a card's scheduling state (inside the caller's transaction)."""
    connection.execute(
        "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, reps=?, lapses=?"
        " WHERE number=?",
        (*schedule_values(schedule), card_number),
    )


def schedule_of(store: Handle, card_number: int) -> Schedule:
    """A card's current scheduling state, read fresh (another session may have changed it)."""
    row = store.connection.execute(
        "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM cards WHERE number = ?",
        (card_number,),
    ).fetchone()
    if row is None:
        raise StoreError(f"card #{card_number} is not in the database")
    return schedule_from_row(row)


def undo_review(
    store: Handle,
    review_id: int,
    *,
    now: datetime,
    session_id: str | None = None,
    replay: Callable[[Schedule, list[Review]], Schedule] | None = None,
) -> Review:
    """Mark a review undone and derive the card's schedule again from the reviews left.

    `replay(first, reviews)` gets the card's state before its first review ever and its remaining
    reviews in time order, inside the same transaction, so a grade given meanwhile by another
    session is kept. Without it the schedule goes back to the undone review's `before`.
    `session_id` refuses to undo another session's review.
    """
    with store.transaction() as connection:
        row = connection.execute("SELECT * FROM reviews WHERE id = ? AND undone_at IS NULL", (review_id,)).fetchone()
        if row is None or (session_id is not None and row["session_id"] != session_id):
            raise StoreError(f"review {review_id} cannot be undone")
        review = review_from_row(row)
        card_number = int(row["card_number"])
        connection.execute("UPDATE reviews SET undone_at = ? WHERE id = ?", (to_text(now), review_id))
        schedule = review.before
        if replay is not None:
            rows = connection.execute(
                "SELECT * FROM reviews WHERE card_number = ? ORDER BY reviewed_at, id", (card_number,)
            ).fetchall()
            first = review_from_row(rows[0]).before
            schedule = replay(first, [review_from_row(other) for other in rows if other["undone_at"] is None])
        set_schedule_in_transaction(store, connection, card_number, schedule)
    return review


def review_log(
    store: Handle,
    *,
    card_id: str | None = None,
    session_id: str | None = None,
    since: datetime | None = None,
    include_undone: bool = False,
) -> list[Review]:
    """Reviews in time order, narrowed by card, session or start time."""
    clauses: list[str] = []
    parameters: list[Any] = []
    if card_id is not None:
        clauses.append("card_id = ?")
        parameters.append(card_id)
    if session_id is not None:
        clauses.append("session_id = ?")
        parameters.append(session_id)
    if since is not None:
        clauses.append("reviewed_at >= ?")
        parameters.append(to_text(since))
    if not include_undone:
        clauses.append("undone_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.connection.execute(f"SELECT * FROM reviews{where} ORDER BY reviewed_at, id", parameters)
    return [review_from_row(row) for row in rows]


def studied_since(store: Handle, start: datetime) -> tuple[int, int, set[str]]:
    """Since `start`: new cards introduced, review-state cards answered, sibling keys seen."""
    rows = store.connection.execute(
        "SELECT r.state_before, r.card_id, c.sibling_key FROM reviews r JOIN cards c ON c.number = r.card_number"
        " WHERE r.reviewed_at >= ? AND r.undone_at IS NULL",
        (to_text(start),),
    ).fetchall()
    new_cards = len({row["card_id"] for row in rows if row["state_before"] == CardState.NEW.value})
    reviews = sum(1 for row in rows if row["state_before"] == CardState.REVIEW.value)
    siblings = {row["sibling_key"] for row in rows if row["sibling_key"]}
    return new_cards, reviews, siblings


# sessions and attempts -----------------------------------------------------------------------


def start_session(store: Handle, session_id: str, mode: str, filters: dict[str, Any], *, now: datetime) -> None:
    """Record that a session began."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO sessions (id, mode, started_at, filters) VALUES (?, ?, ?, ?)",
            (session_id, mode, to_text(now), json.dumps(filters, ensure_ascii=False)),
        )


def end_session(store: Handle, session_id: str, *, now: datetime) -> None:
    """Record that a session ended."""
    with store.transaction() as connection:
        connection.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (to_text(now), session_id))


def record_attempt_in_transaction(
    store: Handle,
    connection: sqlite3.Connection,
    *,
    review_id: int | None,
    card_id: str,
    kind: CardKind,
    response: str,
    duration_ms: int,
    result: dict[str, Any],
    score: float | None,
    suggested: Rating | None,
    final: Rating | None,
    now: datetime,
) -> int:
    """Keep what the learner typed and how it was judged, linked to its review."""
    cursor = connection.execute(
        "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested, final,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review_id,
            card_id,
            kind.value,
            response,
            duration_ms,
            json.dumps(result, ensure_ascii=False),
            score,
            None if suggested is None else int(suggested),
            None if final is None else int(final),
            to_text(now),
        ),
    )
    return int(cursor.lastrowid or 0)


def card_attempts(store: Handle, card_id: str) -> list[dict[str, Any]]:
    """A card's attempts, oldest first, leaving out those whose review was undone."""
    rows = store.connection.execute(
        "SELECT a.* FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
        " WHERE a.card_id = ? AND (r.id IS NULL OR r.undone_at IS NULL) ORDER BY a.created_at, a.id",
        (card_id,),
    )
    return [dict(row) | {"result": json.loads(row["result"])} for row in rows]
