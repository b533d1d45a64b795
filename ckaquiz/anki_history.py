"""Scheduling state and review log in Anki's own columns, for `export anki --with-history`.

An Anki card keeps its state in `type`, `queue`, `due`, `ivl`, `factor`, `reps`, `lapses` and
`left`, and its FSRS memory in the JSON of `data` (`s`, `d`, `dr`, `lrt`); every answer is a
`revlog` row whose id is its time in milliseconds. Review due dates are days since the
collection's creation (`col.crt`), so the package's collection is created at the start of the
current study day: day 0 is today, and a card due in 12 days has `due = 12`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ckaquiz.model import CardState, Review, Schedule

DAY = 86_400
ANKI_DEFAULT_EASE = 2500
ANKI_MAXIMUM_ANSWER_MS = 60_000

# Anki's card types and queues
_NEW, _LEARNING, _REVIEW, _RELEARNING = 0, 1, 2, 3
_QUEUE_NEW, _QUEUE_LEARNING, _QUEUE_REVIEW, _QUEUE_DAY_LEARNING = 0, 1, 2, 3
# revlog types
_LOG_LEARN, _LOG_REVIEW, _LOG_RELEARN = 0, 1, 2


@dataclass(frozen=True)
class AnkiCardState:
    """The columns of one Anki card that hold its schedule."""

    type: int
    queue: int
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int
    left: int
    data: str


def day_number(moment: datetime, created: datetime) -> int:
    """Anki's day number of `moment`: whole days since the collection's creation."""
    return int((moment - created).total_seconds() // DAY)


def _days_between(later: datetime | None, earlier: datetime | None) -> int:
    if later is None or earlier is None:
        return 0
    return max(1, round((later - earlier).total_seconds() / DAY))


def card_state(
    schedule: Schedule,
    *,
    created: datetime,
    new_position: int,
    learning_steps: int,
    relearning_steps: int,
    desired_retention: float,
) -> AnkiCardState:
    """A ckaquiz schedule as Anki's card columns."""
    memory = ""
    if schedule.stability is not None and schedule.difficulty is not None:
        memory_state: dict[str, float | int] = {
            "s": round(schedule.stability, 4),
            "d": round(schedule.difficulty, 4),
            "dr": desired_retention,
        }
        if schedule.last_review is not None:
            memory_state["lrt"] = int(schedule.last_review.timestamp())
        memory = json.dumps(memory_state, separators=(",", ":"))
    reps, lapses = schedule.reps, schedule.lapses
    if schedule.state is CardState.NEW or schedule.due is None:
        return AnkiCardState(_NEW, _QUEUE_NEW, new_position, 0, 0, reps, lapses, 0, memory)
    if schedule.state is CardState.REVIEW:
        due = day_number(schedule.due, created)
        interval = _days_between(schedule.due, schedule.last_review)
        return AnkiCardState(_REVIEW, _QUEUE_REVIEW, due, interval, ANKI_DEFAULT_EASE, reps, lapses, 0, memory)
    learning = schedule.state is CardState.LEARNING
    steps = learning_steps if learning else relearning_steps
    remaining = max(1, steps - (schedule.step or 0))
    interval = 0 if learning else _days_between(schedule.due, schedule.last_review)
    if day_number(schedule.due, created) > 0:  # a step that ends on a later day waits in the day-learning queue
        queue, due = _QUEUE_DAY_LEARNING, day_number(schedule.due, created)
    else:
        queue, due = _QUEUE_LEARNING, int(schedule.due.timestamp())
    return AnkiCardState(
        _LEARNING if learning else _RELEARNING,
        queue,
        due,
        interval,
        0 if learning else ANKI_DEFAULT_EASE,
        reps,
        lapses,
        remaining * 1000 + remaining,
        memory,
    )


def _logged_interval(schedule: Schedule, at: datetime) -> int:
    """revlog's ivl/lastIvl: days for a review card, minus the seconds to the next step otherwise."""
    if schedule.state is CardState.NEW or schedule.due is None:
        return 0
    if schedule.state is CardState.REVIEW:
        return _days_between(schedule.due, at)
    return -max(1, int((schedule.due - at).total_seconds()))


def _log_type(before: Schedule) -> int:
    if before.state is CardState.REVIEW:
        return _LOG_REVIEW
    if before.state is CardState.RELEARNING:
        return _LOG_RELEARN
    return _LOG_LEARN


def revlog_rows(reviews: Iterable[Review], anki_card_ids: Mapping[str, int]) -> list[tuple[int, ...]]:
    """Anki revlog rows (id, cid, usn, ease, ivl, lastIvl, factor, time, type) for the cards exported."""
    rows: list[tuple[int, ...]] = []
    used: set[int] = set()
    for review in sorted(reviews, key=lambda item: (item.reviewed_at, item.id or 0)):
        card = anki_card_ids.get(review.card_id)
        if card is None:
            continue
        identifier = int(review.reviewed_at.timestamp() * 1000)
        while identifier in used:  # two answers in one millisecond: Anki's ids must differ
            identifier += 1
        used.add(identifier)
        factor = ANKI_DEFAULT_EASE if review.after.state is not CardState.LEARNING else 0
        rows.append(
            (
                identifier,
                card,
                -1,
                int(review.rating),
                _logged_interval(review.after, review.reviewed_at),
                _logged_interval(review.before, review.reviewed_at),
                factor,
                min(max(0, review.duration_ms), ANKI_MAXIMUM_ANSWER_MS),
                _log_type(review.before),
            )
        )
    return rows


def write_history(
    connection: sqlite3.Connection,
    *,
    created: datetime,
    states: Mapping[int, AnkiCardState],
    revlog: Sequence[tuple[int, ...]],
) -> None:
    """Put the states and the log into an Anki collection written by genanki (schema 11).

    The collection is marked as using the v2 scheduler's grades: without `schedVer` Anki takes it for
    the old three-button learning scheduler and turns a logged Good (3) on a learning card into Easy.
    """
    (configuration,) = connection.execute("SELECT conf FROM col").fetchone()
    settings = json.loads(configuration or "{}")
    settings["schedVer"] = 2
    connection.execute("UPDATE col SET crt = ?, conf = ?", (int(created.timestamp()), json.dumps(settings)))
    connection.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?,"
        " data = ? WHERE id = ?",
        [
            (
                state.type, state.queue, state.due, state.interval, state.factor, state.reps, state.lapses,
                state.left, state.data, card_id,
            )
            for card_id, state in states.items()
        ],
    )
    connection.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        revlog,
    )
