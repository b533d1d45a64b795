"""A simulated review history, written straight into a collection's database, for the benchmarks.

A learner studies every day: new cards in order (as many a day as it takes to meet them all
within about 80% of the period), then every card that is due, graded again 10%, hard 15%,
good 65% and easy 10% of the time. Intervals grow with each success (capped at 90 days) and
fall back to a day after a lapse, so the log has the shape of a real one: learning steps,
reviews, lapses, one session a day, scored attempts for recall cards. It starts on the day
of `start` and stops once it has written the number of reviews asked for; the cards are left
with the schedule of their last review, and the moment of the last review is returned (the
benchmarks then run with the clock half an hour later, on the same study day).

It is a stand-in for the FSRS scheduler (which would take minutes for a million reviews), so
the numbers are plausible rather than exact FSRS values. Deterministic for a given seed.

    python bench/history.py HOME --reviews 100000 --start 2025-01-01T00:00:00+00:00
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

RATINGS = (1, 2, 3, 4)
RATING_WEIGHTS = (0.10, 0.15, 0.65, 0.10)
MAXIMUM_INTERVAL_DAYS = 90.0
LEARNING_STEP = timedelta(minutes=10)
SESSION_START_HOUR = 9
_BATCH = 20_000


@dataclass
class _CardState:
    number: int
    card_id: str
    kind: str
    state: str = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def values(self) -> tuple[object, ...]:
        return (
            self.state,
            self.step,
            self.stability,
            self.difficulty,
            _text(self.due),
            _text(self.last_review),
            self.reps,
            self.lapses,
        )


def _text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def _answer(card: _CardState, rating: int, at: datetime, rng: random.Random) -> None:
    """Move a card's schedule on by one answer (a simple stand-in for FSRS)."""
    card.reps += 1
    card.last_review = at
    difficulty = card.difficulty if card.difficulty is not None else 5.0
    card.difficulty = min(10.0, max(1.0, difficulty + (2.5 - rating) * 0.6))
    if card.state in ("new", "learning", "relearning"):
        if rating == 1:
            card.state = "learning" if card.state == "new" else card.state
            card.step = 0
            card.due = at + LEARNING_STEP
            card.stability = card.stability or 0.4
            return
        card.state = "review"
        card.step = None
        card.stability = max(card.stability or 0.0, {2: 1.0, 3: 2.5, 4: 6.0}[rating])
    elif rating == 1:
        card.lapses += 1
        card.state = "relearning"
        card.step = 0
        card.stability = max(0.3, (card.stability or 1.0) * 0.3)
        card.due = at + LEARNING_STEP
        return
    else:
        growth = {2: 1.2, 3: rng.uniform(1.8, 2.6), 4: rng.uniform(3.0, 4.0)}[rating]
        card.stability = min(MAXIMUM_INTERVAL_DAYS, (card.stability or 1.0) * growth)
    card.due = at + timedelta(seconds=round(min(MAXIMUM_INTERVAL_DAYS, card.stability or 1.0) * 86400))


def write_history(
    database: Path, reviews: int, *, start: datetime, months: float = 12.0, seed: int = 20250319
) -> tuple[datetime, str]:
    """Write `reviews` reviews (and sessions and recall attempts); returns the last review's moment and a summary."""
    rng = random.Random(seed)
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    cards = [
        _CardState(number, card_id, kind)
        for number, card_id, kind in connection.execute(
            "SELECT number, id, kind FROM cards WHERE active = 1 ORDER BY number"
        )
    ]
    if not cards or reviews <= 0:
        connection.close()
        return start, "no reviews written"
    days = max(1.0, months * 30.4)
    new_per_day = max(1, math.ceil(len(cards) / (days * 0.8)))
    first_day = start.astimezone(UTC).replace(hour=SESSION_START_HOUR, minute=0, second=0, microsecond=0)
    due: list[tuple[datetime, int]] = []
    introduced = 0
    written = 0
    review_rows: list[tuple[object, ...]] = []
    attempt_rows: list[tuple[object, ...]] = []
    session_rows: list[tuple[object, ...]] = []
    day = 0
    last_moment = first_day
    connection.execute("BEGIN IMMEDIATE")
    next_review_id = (connection.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0] or 0) + 1
    while written < reviews:
        day_start = first_day + timedelta(days=day)
        day_end = day_start + timedelta(days=1)
        session = f"bench-{day:05d}"
        moment = day_start
        todays: list[int] = []
        while due and due[0][0] < day_end:
            todays.append(heapq.heappop(due)[1])
        fresh = range(introduced, min(len(cards), introduced + new_per_day))
        introduced = fresh.stop
        todays.extend(fresh)
        if not todays:
            if introduced >= len(cards) and not due:
                break
            day += 1
            continue
        session_rows.append((session, "study", _text(day_start), None, "{}"))
        position = 0
        while position < len(todays) and written < reviews:
            card = cards[todays[position]]
            position += 1
            moment = max(moment + timedelta(seconds=rng.randint(3, 20)), card.due or moment)
            rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
            before = card.values()
            _answer(card, rating, moment, rng)
            duration = rng.randint(3_000, 60_000)
            review_rows.append(
                (
                    next_review_id,
                    card.card_id,
                    card.number,
                    session,
                    rating,
                    _text(moment),
                    duration,
                    *before,
                    *card.values(),
                )
            )
            if card.kind == "recall":
                score = round(rng.uniform(0.2, 1.0), 3)
                attempt_rows.append(
                    (next_review_id, card.card_id, "recall", "what I remembered", duration, "{}", score, rating, rating,
                     _text(moment))
                )
            next_review_id += 1
            written += 1
            assert card.due is not None
            if card.due < day_end:
                todays.append(todays[position - 1])  # a learning step comes back later today
            else:
                heapq.heappush(due, (card.due, todays[position - 1]))
        session_rows[-1] = (session, "study", _text(day_start), _text(moment), "{}")
        last_moment = moment
        if len(review_rows) >= _BATCH:
            _flush(connection, review_rows, attempt_rows, session_rows)
        day += 1
    _flush(connection, review_rows, attempt_rows, session_rows)
    connection.executemany(
        "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, reps=?, lapses=?"
        " WHERE number=?",
        [(*card.values(), card.number) for card in cards if card.reps],
    )
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    studied = sum(1 for card in cards if card.reps)
    return last_moment, f"{written} reviews over {day} days, {studied} cards studied"


def _flush(
    connection: sqlite3.Connection,
    reviews: list[tuple[object, ...]],
    attempts: list[tuple[object, ...]],
    sessions: list[tuple[object, ...]],
) -> None:
    connection.executemany(
        "INSERT INTO reviews (id, card_id, card_number, session_id, rating, reviewed_at, duration_ms,"
        " state_before, step_before, stability_before, difficulty_before, due_before, last_review_before,"
        " reps_before, lapses_before, state_after, step_after, stability_after, difficulty_after, due_after,"
        " last_review_after, reps_after, lapses_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    connection.executemany(
        "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested, final,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )
    connection.executemany(
        "INSERT OR REPLACE INTO sessions (id, mode, started_at, ended_at, filters) VALUES (?, ?, ?, ?, ?)",
        sessions,
    )
    reviews.clear()
    attempts.clear()
    sessions.clear()


def main() -> int:
    """Write a history from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path, help="the CKAQUIZ_HOME holding ckaquiz.db")
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--months", type=float, default=12.0)
    parser.add_argument("--start", default=(datetime.now(UTC) - timedelta(days=365)).isoformat())
    parser.add_argument("--seed", type=int, default=20250319)
    arguments = parser.parse_args()
    start = datetime.fromisoformat(arguments.start).astimezone(UTC)
    last, summary = write_history(
        arguments.home / "ckaquiz.db", arguments.reviews, start=start, months=arguments.months, seed=arguments.seed
    )
    print(f"{summary}; the last one at {last.isoformat()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
