"""The stats summaries (migration 0003) recomputed the slow way, from the whole review log and every attempt.

`review_hour_counts` is checked against `ckaquiz.stats`'s own reference functions applied to every
live `Review`; `attempt_summaries` against the attempts table joined to the reviews by hand.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from ckaquiz.model import CardKind, Rating
from ckaquiz.store import Store, record_attempt_in_transaction, to_text
from tests.reference_stats import (
    answer_was_mature,
    is_review_answer,
)


def add_attempt(
    store: Store,
    connection: sqlite3.Connection,
    *,
    review_id: int | None,
    card_id: str,
    score: float | None,
    at: datetime,
    rating: Rating | None = None,
    kind: CardKind = CardKind.RECALL,
    response: str = "what I remember",
    duration_ms: int = 1000,
) -> None:
    """Record one attempt in the open transaction, graded `rating` (suggested and final)."""
    record_attempt_in_transaction(store,
        connection,
        review_id=review_id,
        card_id=card_id,
        kind=kind,
        response=response,
        duration_ms=duration_ms,
        result={},
        score=score,
        suggested=rating,
        final=rating,
        now=at,
    )


def hours_by_hand(store: Store) -> dict[tuple[str, int, int], tuple[int, int]]:
    """Live reviews per UTC hour, Again or not, and kind (0 not review state, 1 young, 2 mature)."""
    found: dict[tuple[str, int, int], list[int]] = {}
    for review in store.reviews():
        kind = (2 if answer_was_mature(review) else 1) if is_review_answer(review) else 0
        key = ((to_text(review.reviewed_at) or "")[:13], int(review.rating is Rating.AGAIN), kind)
        entry = found.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] += review.duration_ms
    return {key: (answers, milliseconds) for key, (answers, milliseconds) in found.items()}


def hours_table(store: Store) -> dict[tuple[str, int, int], tuple[int, int]]:
    """`review_hour_counts` as it stands."""
    rows = store.connection.execute("SELECT hour, again, kind, answers, duration_ms FROM review_hour_counts")
    return {(row[0], row[1], row[2]): (row[3], row[4]) for row in rows}


def attempt_summaries_by_hand(store: Store) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Per (kind, card id): count, first and last (created_at, id, score) of the scored attempts whose
    review is not undone (or that have none)."""
    rows = store.connection.execute(
        "SELECT a.id, a.kind, a.card_id, a.created_at, a.score, a.review_id, r.id, r.undone_at"
        " FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
    ).fetchall()
    groups: dict[tuple[str, str], list[tuple[str, int, float]]] = {}
    for row in rows:
        if row[4] is None or (row[6] is not None and row[7] is not None):
            continue
        groups.setdefault((row[1], row[2]), []).append((row[3], row[0], row[4]))
    summaries = {}
    for key, points in groups.items():
        points.sort()
        first, last = points[0], points[-1]
        summaries[key] = (len(points), *first, *last)
    return summaries


def attempt_summaries_table(store: Store) -> dict[tuple[str, str], tuple[Any, ...]]:
    """`attempt_summaries` as it stands."""
    rows = store.connection.execute(
        "SELECT kind, card_id, attempts, first_at, first_id, first_score, last_at, last_id, last_score"
        " FROM attempt_summaries"
    )
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def assert_summaries_hold(store: Store) -> None:
    """Both summaries equal their slow computation."""
    assert hours_table(store) == hours_by_hand(store)
    assert attempt_summaries_table(store) == attempt_summaries_by_hand(store)
