"""The summaries `ckaquiz stats` reads (migration 0003), kept by triggers, against the slow way.

Every write goes through the real Store API on a real SQLite file, as a session writes it:
reviews, their attempts, undos. After each step `review_hour_counts` must equal the live reviews
grouped by hand with `ckaquiz.stats`'s reference functions, and `attempt_summaries` the attempts
joined to their reviews by hand.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.model import CardKind, CardState, Rating, Review, Schedule
from ckaquiz.store import (
    Store,
    attempt_summaries,
    latest_scored_attempts,
    latest_scores,
    record_review_in_transaction,
    review_hours,
    review_tallies_by_card,
    to_text,
    undo_review,
)
from tests.summary_helpers import (
    add_attempt,
    assert_summaries_hold,
    attempt_summaries_by_hand,
    attempt_summaries_table,
    hours_by_hand,
    hours_table,
)

START = datetime(2025, 3, 19, 9, 15, 30, 123456, tzinfo=UTC)
DAY = timedelta(days=1)
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "ckaquiz.db")
    yield opened
    opened.close()


def review_schedule(interval: timedelta | None, *, at: datetime, state: CardState = CardState.REVIEW) -> Schedule:
    """A schedule due at `at`, last reviewed `interval` before it (no last review for None)."""
    return Schedule(
        state=state,
        stability=5.0,
        difficulty=5.0,
        due=at,
        last_review=None if interval is None else at - interval,
        reps=3,
    )


def answer(
    store: Store,
    card: str,
    number: int,
    rating: Rating,
    at: datetime,
    before: Schedule,
    *,
    score: float | None = None,
    attempt_at: datetime | None = None,
    attempts: int = 1,
) -> int:
    """Record a review (and its scored attempts, for a score) in one transaction, as a session does."""
    review = Review(
        card_id=card,
        rating=rating,
        reviewed_at=at,
        duration_ms=1000 + number * 7,
        before=before,
        after=review_schedule(timedelta(days=3), at=at + timedelta(days=3)),
        session_id="test",
    )
    with store.transaction() as connection:
        review_id = record_review_in_transaction(store, connection, review, number)
        for _ in range(attempts if score is not None else 0):
            add_attempt(
                store, connection, review_id=review_id, card_id=card, score=score, at=attempt_at or at, rating=rating
            )
    return review_id


# review_hour_counts ------------------------------------------------------------------------------

MATURITY_EDGES = [
    timedelta(days=21),  # exactly 21 days: mature
    timedelta(days=21) - MICROSECOND,  # a microsecond short: young
    timedelta(days=21) + MICROSECOND,
    timedelta(days=21) - timedelta(milliseconds=1),
    timedelta(days=20, hours=23, minutes=59, seconds=59, microseconds=999_500),
    timedelta(days=40),
    timedelta(days=3),
    None,  # no last review
]


def test_an_empty_store_has_empty_summaries(store: Store) -> None:
    assert hours_table(store) == {}
    assert attempt_summaries_table(store) == {}
    assert review_hours(store) == []


def test_hours_follow_every_answer_and_undo(store: Store) -> None:
    moment = START
    ids = []
    for index, interval in enumerate(MATURITY_EDGES):
        for rating in Rating:
            moment += timedelta(minutes=17, microseconds=3)
            ids.append(answer(store, f"c{index}", index + 1, rating, moment, review_schedule(interval, at=moment)))
            assert_summaries_hold(store)
    for state in (CardState.NEW, CardState.LEARNING, CardState.RELEARNING):
        moment += timedelta(minutes=41)
        ids.append(answer(store, "other", 99, Rating.AGAIN, moment, review_schedule(DAY * 30, at=moment, state=state)))
    assert_summaries_hold(store)
    kinds = {kind for _, _, kind in hours_table(store)}
    assert kinds == {0, 1, 2}, "the log has answers of every kind"
    undone = ids[::3]
    for review_id in undone:
        undo_review(store, review_id, now=moment + DAY)
        assert_summaries_hold(store)
    # the summary is what review_hours gives: the same rows as the GROUP BY over the log
    assert sorted(review_hours(store)) == sorted(
        (hour, again, kind, answers, milliseconds)
        for (hour, again, kind), (answers, milliseconds) in hours_by_hand(store).items()
    )


def test_an_hour_whose_answers_are_all_undone_disappears(store: Store) -> None:
    first = answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY * 30, at=START))
    second = answer(store, "a", 1, Rating.AGAIN, START + timedelta(hours=2), review_schedule(DAY, at=START))
    assert len(hours_table(store)) == 2
    undo_review(store, first, now=START + DAY)
    assert list(hours_table(store)) == [((to_text(START + timedelta(hours=2)) or "")[:13], 1, 1)]
    undo_review(store, second, now=START + DAY)
    assert hours_table(store) == {}
    assert review_hours(store) == []


def test_other_changes_to_a_review_move_it_between_hours(store: Store) -> None:
    """The log is append-only in use, but a summary must never drift: any change to a counted column,
    made in SQL, takes the old row out and puts the new one in."""
    review_id = answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY * 30, at=START))
    answer(store, "b", 2, Rating.HARD, START, review_schedule(DAY * 2, at=START))
    changes = [
        ("rating", 1),
        ("reviewed_at", to_text(START + timedelta(hours=5))),
        ("duration_ms", 123),
        ("state_before", "learning"),
        ("state_before", "review"),
        ("due_before", to_text(START + timedelta(days=9))),
        ("last_review_before", None),
        ("undone_at", to_text(START + DAY)),
        ("undone_at", None),  # undone, then back
    ]
    for column, value in changes:
        with store.transaction() as connection:
            connection.execute(f"UPDATE reviews SET {column} = ? WHERE id = ?", (value, review_id))
        assert_summaries_hold(store)


def test_reviews_are_still_never_deleted(store: Store) -> None:
    review_id = answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY * 30, at=START))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.transaction() as connection:
        connection.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    assert_summaries_hold(store)


# attempt_summaries -------------------------------------------------------------------------------


def test_attempt_summaries_follow_answers_and_undos(store: Store) -> None:
    moment = START
    ids: dict[str, list[int]] = {"a": [], "b": [], "c": []}
    for step in range(12):
        moment += timedelta(hours=5)
        for number, card in enumerate(ids, start=1):
            score = round(0.1 + (step * 7 + number * 3) % 10 / 11, 3)
            ids[card].append(
                answer(store, card, number, Rating.GOOD, moment, review_schedule(DAY, at=moment), score=score)
            )
            assert_summaries_hold(store)
    # undo the last attempt of a, the first of b, one in the middle of c, then everything of c
    undo_review(store, ids["a"][-1], now=moment)
    assert_summaries_hold(store)
    undo_review(store, ids["b"][0], now=moment)
    assert_summaries_hold(store)
    undo_review(store, ids["c"][5], now=moment)
    assert_summaries_hold(store)
    for review_id in ids["c"]:
        if review_id != ids["c"][5]:
            undo_review(store, review_id, now=moment)
    assert_summaries_hold(store)
    assert ("recall", "c") not in attempt_summaries_table(store)
    # answering again after an undo
    answer(store, "a", 1, Rating.EASY, moment + DAY, review_schedule(DAY, at=moment), score=0.99)
    assert_summaries_hold(store)
    assert attempt_summaries_table(store)[("recall", "a")][-1] == 0.99


def test_attempts_out_of_order_and_at_the_same_moment(store: Store) -> None:
    """First and last go by created_at, then by id, whatever order the attempts are written in."""
    later = START + timedelta(days=5)
    answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START), score=0.5, attempt_at=later)
    answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START), score=0.2, attempt_at=START)
    answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START), score=0.7, attempt_at=later)
    tie = answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START), score=0.3, attempt_at=START)
    answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START), score=0.9, attempts=2)
    assert_summaries_hold(store)
    count, first_at, _, first_score, last_at, _, last_score = attempt_summaries_table(store)[("recall", "a")]
    assert (count, first_score, last_score) == (6, 0.2, 0.7)
    assert (first_at, last_at) == (to_text(START), to_text(later))
    undo_review(store, tie, now=later)
    assert_summaries_hold(store)


def test_attempts_without_a_score_or_a_review(store: Store) -> None:
    answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY, at=START))  # no attempt
    with store.transaction() as connection:
        for score, card in ((None, "a"), (0.4, "a"), (None, "b"), (0.6, "c")):
            add_attempt(
                store,
                connection,
                review_id=None,
                card_id=card,
                score=score,
                at=START,
                kind=CardKind.COMMAND,
                response="kubectl get pods",
                duration_ms=10,
            )
    assert_summaries_hold(store)
    assert set(attempt_summaries_table(store)) == {("command", "a"), ("command", "c")}


def test_attempts_changed_or_deleted_in_sql_are_counted_again(store: Store) -> None:
    for step in range(4):
        answer(store, "a", 1, Rating.GOOD, START + DAY * step, review_schedule(DAY, at=START), score=0.1 * (step + 1))
    rows = [row[0] for row in store.connection.execute("SELECT id FROM attempts ORDER BY id")]
    statements = [
        ("UPDATE attempts SET score = 0.95 WHERE id = ?", rows[3]),
        ("UPDATE attempts SET created_at = '2020-01-01T00:00:00.000000+00:00' WHERE id = ?", rows[2]),
        ("UPDATE attempts SET card_id = 'b' WHERE id = ?", rows[1]),
        ("UPDATE attempts SET score = NULL WHERE id = ?", rows[0]),
        ("UPDATE attempts SET kind = 'command' WHERE id = ?", rows[3]),
        ("DELETE FROM attempts WHERE id = ?", rows[2]),
        ("DELETE FROM attempts WHERE id = ?", rows[1]),
    ]
    for statement, attempt_id in statements:
        with store.transaction() as connection:
            connection.execute(statement, (attempt_id,))
        assert_summaries_hold(store)


def test_store_reads_of_the_attempt_summaries(store: Store) -> None:
    moment = START
    ids = []
    for step in range(7):
        moment += DAY
        ids.append(answer(store, "a", 1, Rating.GOOD, moment, review_schedule(DAY, at=moment), score=step / 10))
        answer(store, "b", 2, Rating.GOOD, moment, review_schedule(DAY, at=moment), score=1 - step / 10)
    answer(store, "c", 3, Rating.GOOD, moment, review_schedule(DAY, at=moment), score=0.5)
    undo_review(store, ids[-1], now=moment)
    assert sorted(latest_scores(store, CardKind.RECALL, minimum_attempts=3)) == [("a", 0.5), ("b", 1 - 6 / 10)]
    assert sorted(latest_scores(store, CardKind.RECALL)) == [("a", 0.5), ("b", 1 - 6 / 10), ("c", 0.5)]
    by_hand = attempt_summaries_by_hand(store)
    found = attempt_summaries(store, CardKind.RECALL, ["a", "c", "nothing"])
    assert found == {
        "a": (by_hand[("recall", "a")][0], *by_hand[("recall", "a")][1:4], by_hand[("recall", "a")][6]),
        "c": (1, *by_hand[("recall", "c")][1:4], 0.5),
    }
    every = [
        (to_text(moment_), score) for moment_, score in ((START + DAY * (step + 1), step / 10) for step in range(6))
    ]
    assert latest_scored_attempts(store, "a", CardKind.RECALL, limit=4) == every[-4:]
    assert latest_scored_attempts(store, "a", CardKind.RECALL, limit=-1) == every
    assert latest_scored_attempts(store, "a", CardKind.COMMAND, limit=4) == []


# the tallies index ---------------------------------------------------------------------------------


def test_the_tallies_are_read_from_the_narrow_index(store: Store) -> None:
    captured: list[str] = []
    store.connection.set_trace_callback(captured.append)
    review_tallies_by_card(store, START.date(), day_starts_at=4)
    store.connection.set_trace_callback(None)
    query = captured[-1]
    plan = " ".join(str(row[3]) for row in store.connection.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "reviews_review_state_by_card" in plan


def test_the_tallies_index_holds_only_live_review_state_answers(store: Store) -> None:
    kept = answer(store, "a", 1, Rating.GOOD, START, review_schedule(DAY * 30, at=START))
    undone = answer(store, "a", 1, Rating.AGAIN, START + DAY, review_schedule(DAY * 30, at=START))
    answer(store, "a", 1, Rating.AGAIN, START + DAY, review_schedule(DAY, at=START, state=CardState.LEARNING))
    undo_review(store, undone, now=START + DAY)
    indexed = store.connection.execute(
        "SELECT count(*) FROM reviews INDEXED BY reviews_review_state_by_card"
        " WHERE state_before = 'review' AND undone_at IS NULL"
    ).fetchone()[0]
    assert indexed == 1
    assert review_tallies_by_card(store, START.date(), day_starts_at=4) == [(1, 1, 0)]
    assert kept
