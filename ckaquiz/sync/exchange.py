"""An exchange: this device's new events into the folder, the other devices' new events into the store.

Local reviews, undos and marks are noted by triggers (`sync_outbox`); an exchange turns them into
events with this device's next sequence numbers and appends them to its own file. It then reads
what is new in the other devices' files and applies it in one transaction, together with how far
each file was read, so a process killed at any moment applies nothing twice and loses nothing:

- an event already known (by id) is dropped, so duplicates and conflict copies do no harm;
- a review is added to the log; a card this device does not know yet keeps it waiting until the
  card appears (its notes not synced yet), and an undo waits for its review the same way;
- each card given a review or an undo has its schedule derived again by replaying its merged log in
  time order through the scheduler. A device's own events keep their order whatever its clock did
  (each counts from the latest time of its earlier events of that card); equal times go by device
  and number. A review whose stored `before` is the state reached keeps its `after`; any other is
  computed anew, with the fuzz seeded by the card's text id and review number (the same on every
  device, however each numbers its cards), so every device derives the same;
- a card's marks are those of its latest marks event.
"""

from __future__ import annotations

import itertools
import json
import operator
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import fsrs

from ckaquiz import scheduling
from ckaquiz.model import Rating, Schedule
from ckaquiz.store import Store, sync_state, to_text
from ckaquiz.store.rows import chunks
from ckaquiz.sync.events import (
    MARK_COLUMNS,
    Event,
    EventProblem,
    ReviewData,
    decode,
    encode,
    event_id,
    marks_data,
    review_data,
    schedule_from,
    schedule_values,
    undo_target,
)
from ckaquiz.sync.folder import append_lines, device_file, read_new


@dataclass
class ExchangeReport:
    """What one exchange did: events written and applied, events waiting, warnings (file:line: ...)."""

    written: int = 0
    applied: int = 0
    waiting: int = 0
    problems: list[str] = field(default_factory=list)


def exchange(store: Store, scheduler: fsrs.Scheduler, folder: Path, *, now: datetime) -> ExchangeReport:
    """Write this device's new events to the folder, then apply what the other devices wrote."""
    device = sync_state.device_id(store) or sync_state.start_device(store)
    report = ExchangeReport()
    report.written = publish(store, folder, device, now=now)
    found = read_new(folder, device, sync_state.file_marks(store))
    report.problems.extend(found.problems)
    if not found.events and not found.marks:
        before, signature = sync_state.cards_seen(store.connection)
        if before == signature:  # nothing new, and no card came that a waiting event waits for
            report.waiting = sync_state.waiting_count(store.connection)
            return report  # a warm command's exchange: reads only, no transaction to commit
    with store.transaction() as connection:
        sync_state.set_importing(connection, True)
        applier = _Applier(connection)
        applier.apply_new(found.events)
        applier.retry_waiting()
        _replay_cards(connection, scheduler, applier.affected, device)
        sync_state.save_file_marks(connection, found.marks)
        sync_state.set_importing(connection, False)
    report.applied = applier.applied
    report.waiting = applier.waiting
    return report


# writing this device's events --------------------------------------------------------------------


def publish(store: Store, folder: Path, device: str, *, now: datetime) -> int:
    """Turn the outbox into events, then append every event not yet in the folder to this device's file.

    The events are kept with their lines first and the lines dropped only once written, so a process
    killed between the two writes the same lines again (readers drop the duplicates by id).
    """
    if sync_state.outbox(store.connection):  # read first: most exchanges have nothing to make events of
        with store.transaction() as connection:
            pending = sync_state.outbox(connection)
            if pending:
                _make_events(connection, device, pending, now)
                sync_state.clear_outbox(connection, pending[-1][0])
    lines = store.connection.execute(
        "SELECT seq, line FROM sync_events WHERE line IS NOT NULL AND applied = 1 AND device = ? ORDER BY seq",
        (device,),
    ).fetchall()
    if not lines:
        return 0
    append_lines(device_file(folder, device, now), [str(line) for _, line in lines])
    with store.transaction() as connection:
        connection.execute(
            "UPDATE sync_events SET line = NULL WHERE line IS NOT NULL AND applied = 1 AND device = ? AND seq <= ?",
            (device, int(lines[-1][0])),
        )
    return len(lines)


def _make_events(
    connection: sqlite3.Connection, device: str, pending: list[tuple[int, str, int]], now: datetime
) -> None:
    seq = sync_state.take_seq(connection, len(pending))
    for _, kind, ref in pending:
        made = _local_event(connection, device, seq, kind, ref, now)
        if made is None:
            continue
        event, review_id = made
        # each event is written before the next is made: an undo in the same batch names its review's event
        connection.execute(
            "INSERT OR IGNORE INTO sync_events (id, device, seq, kind, card_id, at, review_id, applied, line)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event.id, device, seq, kind, event.card, event.at, review_id, 1, encode(event)),
        )
        seq += 1


def _local_event(
    connection: sqlite3.Connection, device: str, seq: int, kind: str, ref: int, now: datetime
) -> tuple[Event, int | None] | None:
    """The event for one outbox entry, and the review row it stands for; None if nothing is left to tell."""
    identity = event_id(device, seq)
    if kind == "review":
        row = connection.execute("SELECT * FROM reviews WHERE id = ?", (ref,)).fetchone()
        if row is None:
            return None
        attempts = [
            {
                "kind": attempt["kind"],
                "response": attempt["response"],
                "duration_ms": attempt["duration_ms"],
                "result": json.loads(attempt["result"]),
                "score": attempt["score"],
                "suggested": attempt["suggested"],
                "final": attempt["final"],
                "at": attempt["created_at"],
            }
            for attempt in connection.execute("SELECT * FROM attempts WHERE review_id = ? ORDER BY id", (ref,))
        ]
        data: dict[str, Any] = {
            "rating": row["rating"],
            "duration_ms": row["duration_ms"],
            "session": row["session_id"] or "",
            "before": _row_schedule(row, "_before"),
            "after": _row_schedule(row, "_after"),
        }
        if attempts:
            data["attempts"] = attempts
        return Event(identity, device, seq, row["reviewed_at"], kind, row["card_id"], data), ref
    if kind == "undo":
        row = connection.execute(
            "SELECT r.card_id, r.undone_at, e.id FROM reviews r JOIN sync_events e ON e.review_id = r.id"
            " WHERE r.id = ? AND r.undone_at IS NOT NULL",
            (ref,),
        ).fetchone()
        if row is None:
            return None
        return Event(identity, device, seq, row[1], kind, row[0], {"review": row[2]}), None
    card = connection.execute("SELECT id FROM cards WHERE number = ?", (ref,)).fetchone()
    if card is None:
        return None
    marks = connection.execute(
        "SELECT suspended_at, buried_until, flagged_at FROM card_marks WHERE card_number = ?", (ref,)
    ).fetchone()
    values = dict(zip(MARK_COLUMNS, marks or (None, None, None), strict=True))
    return Event(identity, device, seq, str(to_text(now)), kind, card[0], values), None


_SCHEDULE_NAMES = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def _row_schedule(row: sqlite3.Row, suffix: str) -> list[Any]:
    return [row[f"{name}{suffix}"] for name in _SCHEDULE_NAMES]


# applying the other devices' events --------------------------------------------------------------


class _Applier:
    """Applies events inside one transaction; remembers the cards whose logs changed."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.affected: dict[int, str] = {}
        """The cards whose logs changed: card number to card id."""
        self.applied = 0
        self.waiting = 0
        self._numbers: dict[str, int | None] = {}

    def _number(self, card_id: str) -> int | None:
        if card_id not in self._numbers:
            row = self.connection.execute("SELECT number FROM cards WHERE id = ?", (card_id,)).fetchone()
            self._numbers[card_id] = None if row is None else int(row[0])
        return self._numbers[card_id]

    def apply_new(self, events: list[Event]) -> None:
        """Apply the events read from the folder: reviews in a few statements, undos and marks one by one."""
        fresh = self._unknown(events)
        self._look_up_cards({event.card for event in fresh})
        reviews = [event for event in fresh if event.kind == "review"]
        self._add_reviews([event for event in reviews if self._numbers[event.card] is not None])
        waiting = [event for event in reviews if self._numbers[event.card] is None]
        self.connection.executemany(
            "INSERT INTO sync_events (id, device, seq, kind, card_id, at, review_id, applied, line)"
            " VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?)",
            [(event.id, event.device, event.seq, event.kind, event.card, event.at, encode(event)) for event in waiting],
        )
        self.waiting += len(waiting)
        for event in fresh:
            if event.kind != "review":
                self.apply(event, waiting_line=None)

    def _unknown(self, events: list[Event]) -> list[Event]:
        """The events not stored yet, each once (a conflict copy repeats a file's events)."""
        firsts: dict[str, Event] = {}
        for event in events:
            firsts.setdefault(event.id, event)
        ids = list(firsts)
        for chunk in chunks(ids):
            marks = ", ".join("?" * len(chunk))
            for (known,) in self.connection.execute(f"SELECT id FROM sync_events WHERE id IN ({marks})", chunk):
                firsts.pop(str(known), None)
        return list(firsts.values())

    def _look_up_cards(self, card_ids: set[str]) -> None:
        missing = [card_id for card_id in card_ids if card_id not in self._numbers]
        for card_id in missing:
            self._numbers[card_id] = None
        for chunk in chunks(missing):
            marks = ", ".join("?" * len(chunk))
            for card_id, number in self.connection.execute(
                f"SELECT id, number FROM cards WHERE id IN ({marks})", chunk
            ):
                self._numbers[str(card_id)] = int(number)

    def _add_reviews(self, events: list[Event]) -> None:
        """Add review events of known cards to the log and to the events known, in a few statements."""
        if not events:
            return
        connection = self.connection
        next_id = int(connection.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]) + 1
        reviews: list[tuple[Any, ...]] = []
        attempts: list[tuple[Any, ...]] = []
        known: list[tuple[Any, ...]] = []
        for review_id, event in enumerate(events, start=next_id):
            number = self._numbers[event.card]
            assert number is not None
            data = review_data(event)
            reviews.append(_review_row(review_id, event, number, data))
            attempts.extend(_attempt_row(review_id, event.card, attempt) for attempt in data.attempts)
            known.append((event.id, event.device, event.seq, event.kind, event.card, event.at, review_id))
            self.affected[number] = event.card
        connection.executemany(_INSERT_REVIEW, reviews)
        connection.executemany(_INSERT_ATTEMPT, attempts)
        connection.executemany(
            "INSERT INTO sync_events (id, device, seq, kind, card_id, at, review_id, applied, line)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL)",
            known,
        )
        self.applied += len(events)

    def apply(self, event: Event, *, waiting_line: str | None) -> bool:
        """Apply one event (a new one, or a waiting one when `waiting_line` is its line); False if it waits."""
        connection = self.connection
        known = "SELECT 1 FROM sync_events WHERE id = ?"
        if waiting_line is None and connection.execute(known, (event.id,)).fetchone() is not None:
            return True
        review_id: int | None = None
        if event.kind == "review":
            number = self._number(event.card)
            if number is None:
                return self._wait(event, waiting_line)
            review_id = self._add_review(event, number)
            self.affected[number] = event.card
        elif event.kind == "undo":
            row = connection.execute(
                "SELECT r.id, r.card_number, r.card_id FROM sync_events e JOIN reviews r ON r.id = e.review_id"
                " WHERE e.id = ? AND e.applied = 1",
                (undo_target(event),),
            ).fetchone()
            if row is None:
                return self._wait(event, waiting_line)
            connection.execute(
                "UPDATE reviews SET undone_at = ? WHERE id = ? AND undone_at IS NULL", (event.at, row[0])
            )
            self.affected[int(row[1])] = str(row[2])
        else:
            number = self._number(event.card)
            if number is None:
                return self._wait(event, waiting_line)
            self._set_marks(event, number)
        if waiting_line is None:
            connection.execute(
                "INSERT INTO sync_events (id, device, seq, kind, card_id, at, review_id, applied, line)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL)",
                (event.id, event.device, event.seq, event.kind, event.card, event.at, review_id),
            )
        else:
            connection.execute(
                "UPDATE sync_events SET applied = 1, line = NULL, review_id = ? WHERE id = ?", (review_id, event.id)
            )
        self.applied += 1
        return True

    def _wait(self, event: Event, waiting_line: str | None) -> bool:
        if waiting_line is None:
            self.connection.execute(
                "INSERT INTO sync_events (id, device, seq, kind, card_id, at, review_id, applied, line)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?)",
                (event.id, event.device, event.seq, event.kind, event.card, event.at, encode(event)),
            )
        self.waiting += 1
        return False

    def _add_review(self, event: Event, number: int) -> int:
        data = review_data(event)
        review_id = int(self.connection.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]) + 1
        self.connection.execute(_INSERT_REVIEW, _review_row(review_id, event, number, data))
        self.connection.executemany(
            _INSERT_ATTEMPT, [_attempt_row(review_id, event.card, attempt) for attempt in data.attempts]
        )
        return review_id

    def _set_marks(self, event: Event, number: int) -> None:
        latest = self.connection.execute(
            "SELECT at, device, seq FROM sync_events WHERE kind = 'marks' AND card_id = ? AND applied = 1"
            " ORDER BY at DESC, device DESC, seq DESC LIMIT 1",
            (event.card,),
        ).fetchone()
        if latest is not None and (str(latest[0]), str(latest[1]), int(latest[2])) > (
            event.at,
            event.device,
            event.seq,
        ):
            return
        values = marks_data(event)
        if all(value is None for value in values):
            self.connection.execute("DELETE FROM card_marks WHERE card_number = ?", (number,))
            return
        self.connection.execute(
            "INSERT INTO card_marks (card_number, suspended_at, buried_until, flagged_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (card_number) DO UPDATE SET suspended_at = excluded.suspended_at,"
            " buried_until = excluded.buried_until, flagged_at = excluded.flagged_at",
            (number, *values),
        )

    def retry_waiting(self) -> None:
        """Apply the waiting events whose card (or review) is there now; tried when anything changed."""
        before, signature = sync_state.cards_seen(self.connection)
        if before == signature and not self.applied:
            self.waiting = self._count_waiting()
            return
        self.waiting = 0
        progress = True
        while progress:
            progress = False
            self.waiting = 0
            rows = self.connection.execute(
                "SELECT id, line FROM sync_events WHERE applied = 0 ORDER BY kind = 'undo', at, id"
            ).fetchall()
            for _, line in rows:
                try:
                    event = decode(str(line))
                except EventProblem:
                    continue
                if self.apply(event, waiting_line=str(line)):
                    progress = True
        sync_state.set_cards_seen(self.connection, signature)

    def _count_waiting(self) -> int:
        return sync_state.waiting_count(self.connection)


_INSERT_REVIEW = (
    "INSERT INTO reviews (id, card_id, card_number, session_id, rating, reviewed_at, duration_ms,"
    " state_before, step_before, stability_before, difficulty_before, due_before, last_review_before,"
    " reps_before, lapses_before, state_after, step_after, stability_after, difficulty_after, due_after,"
    " last_review_after, reps_after, lapses_after)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ATTEMPT = (
    "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested,"
    " final, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _review_row(review_id: int, event: Event, number: int, data: ReviewData) -> tuple[Any, ...]:
    return (
        review_id,
        event.card,
        number,
        data.session or None,
        int(data.rating),
        to_text(datetime.fromisoformat(event.at)),
        data.duration_ms,
        *schedule_values(data.before),
        *schedule_values(data.after),
    )


def _attempt_row(review_id: int, card_id: str, attempt: dict[str, Any]) -> tuple[Any, ...]:
    return (
        review_id,
        card_id,
        str(attempt["kind"]),
        str(attempt["response"]),
        int(attempt["duration_ms"]),
        json.dumps(attempt["result"], ensure_ascii=False),
        attempt["score"],
        attempt["suggested"],
        attempt["final"],
        str(attempt["at"]),
    )


_REPLAY_ROWS = (
    "SELECT r.id, r.rating, r.reviewed_at, r.undone_at,"
    " r.state_before, r.step_before, r.stability_before, r.difficulty_before, r.due_before,"
    " r.last_review_before, r.reps_before, r.lapses_before,"
    " r.state_after, r.step_after, r.stability_after, r.difficulty_after, r.due_after,"
    " r.last_review_after, r.reps_after, r.lapses_after, e.device, e.seq, r.card_number"
    " FROM temp.replay_cards t CROSS JOIN reviews r ON r.card_id = t.card_id AND r.card_number = t.number"
    " LEFT JOIN sync_events e ON e.review_id = r.id ORDER BY t.number"
)
"""The affected cards' reviews as plain values, card by card (each through the index by card id):
schedules before (4-11) and after (12-19), the event's device and number (20, 21), the card (22)."""


def _replay_rows(cursor: sqlite3.Cursor, affected: dict[int, str]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """Each affected card that has reviews, with them: one query for all the cards, read in order and
    a card at a time (a first exchange's log is not held whole)."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS replay_cards (number INTEGER PRIMARY KEY, card_id TEXT NOT NULL)")
    cursor.execute("DELETE FROM temp.replay_cards")
    cursor.executemany("INSERT INTO temp.replay_cards (number, card_id) VALUES (?, ?)", sorted(affected.items()))
    try:
        for number, card_rows in itertools.groupby(cursor.execute(_REPLAY_ROWS), key=operator.itemgetter(22)):
            yield int(number), list(card_rows)
    finally:
        cursor.execute("DELETE FROM temp.replay_cards")


def _replay_cards(
    connection: sqlite3.Connection, scheduler: fsrs.Scheduler, affected: dict[int, str], device: str
) -> None:
    """Derive the schedule of each card whose log changed again, then write those that differ."""
    cursor = connection.cursor()
    cursor.row_factory = None
    updates: list[tuple[Any, ...]] = []
    for number, rows in _replay_rows(cursor, affected):
        updates.append((*_replayed(scheduler, number, affected[number], rows, device), number))
    if not updates:
        return
    current = {}
    for chunk in chunks([update[-1] for update in updates]):
        marks = ", ".join("?" * len(chunk))
        for row in cursor.execute(
            "SELECT number, state, step, stability, difficulty, due, last_review, reps, lapses FROM cards"
            f" WHERE number IN ({marks})",
            chunk,
        ):
            current[int(row[0])] = tuple(row[1:])
    connection.executemany(
        "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, reps=?, lapses=?"
        " WHERE number=?",
        [update for update in updates if update[-1] in current and current[update[-1]] != update[:-1]],
    )


def _replayed(
    scheduler: fsrs.Scheduler, number: int, card_id: str, rows: list[tuple[Any, ...]], device: str
) -> tuple[Any, ...]:
    """The schedule values a card's reviews give (`scheduling.replay` on the merged log, read as plain values).

    A review whose `before` is the state reached keeps its `after` without being turned into objects;
    only where they differ as values are they compared as schedules, and a review computed anew (its
    fuzz seeded by the card's text id, which every device shares, and its review number).
    """
    ordered = _merged_order(rows, device)
    state: tuple[Any, ...] = tuple(ordered[0][4:12])
    reached: Schedule | None = None  # `state` as a schedule, once one was needed or computed
    for row in ordered:
        if row[3] is not None:
            continue
        before = tuple(row[4:12])
        if before == state:
            state, reached = tuple(row[12:20]), None
            continue
        if reached is None:
            reached = schedule_from(list(state))
        if schedule_from(list(before)) == reached:
            state, reached = tuple(row[12:20]), None
            continue
        moment = datetime.fromisoformat(row[2])
        reached = scheduling.review(scheduler, number, reached, Rating(int(row[1])), moment, card_id=card_id)
        state = tuple(schedule_values(reached))
    return tuple(schedule_values(schedule_from(list(state)) if reached is None else reached))


_LAST = 1 << 62
"""The number given to a local review not yet made an event: after every event of this device."""


def _merged_order(rows: list[tuple[Any, ...]], device: str) -> list[tuple[Any, ...]]:
    """A card's reviews in time order, each device's own in the order it gave them."""
    keyed: list[tuple[str, str, int, int, tuple[Any, ...]]] = []
    for row in rows:
        owner = row[20] or device
        seq = _LAST + int(row[0]) if row[21] is None else int(row[21])
        keyed.append((owner, str(row[2]), seq, int(row[0]), row))
    keyed.sort(key=lambda item: (item[0], item[2]))
    merged: list[tuple[str, str, int, tuple[Any, ...]]] = []
    latest: dict[str, str] = {}
    for owner, at, seq, _, row in keyed:
        effective = max(at, latest.get(owner, ""))
        latest[owner] = effective
        merged.append((effective, owner, seq, row))
    merged.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in merged]
