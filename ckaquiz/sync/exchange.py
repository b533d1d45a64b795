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
  computed anew, with the fuzz seeded by card and review number, so every device derives the same;
- a card's marks are those of its latest marks event.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import fsrs

from ckaquiz import scheduling
from ckaquiz.model import Review, Schedule
from ckaquiz.store import Store, sync_state, to_text
from ckaquiz.sync.events import (
    MARK_COLUMNS,
    Event,
    EventProblem,
    decode,
    encode,
    event_id,
    marks_data,
    review_data,
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
    with store.transaction() as connection:
        sync_state.set_importing(connection, True)
        applier = _Applier(connection)
        for event in found.events:
            applier.apply(event, waiting_line=None)
        applier.retry_waiting()
        for number in sorted(applier.affected):
            _replay_card(connection, scheduler, number, device)
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
        self.affected: set[int] = set()
        self.applied = 0
        self.waiting = 0
        self._numbers: dict[str, int | None] = {}

    def _number(self, card_id: str) -> int | None:
        if card_id not in self._numbers:
            row = self.connection.execute("SELECT number FROM cards WHERE id = ?", (card_id,)).fetchone()
            self._numbers[card_id] = None if row is None else int(row[0])
        return self._numbers[card_id]

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
            self.affected.add(number)
        elif event.kind == "undo":
            row = connection.execute(
                "SELECT r.id, r.card_number FROM sync_events e JOIN reviews r ON r.id = e.review_id"
                " WHERE e.id = ? AND e.applied = 1",
                (undo_target(event),),
            ).fetchone()
            if row is None:
                return self._wait(event, waiting_line)
            connection.execute(
                "UPDATE reviews SET undone_at = ? WHERE id = ? AND undone_at IS NULL", (event.at, row[0])
            )
            self.affected.add(int(row[1]))
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
        cursor = self.connection.execute(
            "INSERT INTO reviews (card_id, card_number, session_id, rating, reviewed_at, duration_ms,"
            " state_before, step_before, stability_before, difficulty_before, due_before, last_review_before,"
            " reps_before, lapses_before, state_after, step_after, stability_after, difficulty_after, due_after,"
            " last_review_after, reps_after, lapses_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.card,
                number,
                data.session or None,
                int(data.rating),
                to_text(datetime.fromisoformat(event.at)),
                data.duration_ms,
                *schedule_values(data.before),
                *schedule_values(data.after),
            ),
        )
        review_id = int(cursor.lastrowid or 0)
        for attempt in data.attempts:
            self.connection.execute(
                "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested,"
                " final, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review_id,
                    event.card,
                    str(attempt["kind"]),
                    str(attempt["response"]),
                    int(attempt["duration_ms"]),
                    json.dumps(attempt["result"], ensure_ascii=False),
                    attempt["score"],
                    attempt["suggested"],
                    attempt["final"],
                    str(attempt["at"]),
                ),
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
        return int(self.connection.execute("SELECT count(*) FROM sync_events WHERE applied = 0").fetchone()[0])


def _replay_card(connection: sqlite3.Connection, scheduler: fsrs.Scheduler, number: int, device: str) -> None:
    """Derive a card's schedule again from its merged review log."""
    from ckaquiz.store import review_from_row as _review

    rows = connection.execute(
        "SELECT r.*, e.device AS event_device, e.seq AS event_seq FROM reviews r"
        " LEFT JOIN sync_events e ON e.review_id = r.id WHERE r.card_number = ?",
        (number,),
    ).fetchall()
    if not rows:
        return
    ordered = _merged_order(rows, device)
    first = _review(ordered[0]).before
    live: list[Review] = [_review(row) for row in ordered if row["undone_at"] is None]
    state: Schedule = scheduling.replay(scheduler, number, first, live) if live else first
    current = connection.execute(
        "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM cards WHERE number = ?",
        (number,),
    ).fetchone()
    wanted = schedule_values(state)
    if current is None or list(current) != wanted:
        connection.execute(
            "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, reps=?, lapses=?"
            " WHERE number=?",
            (*wanted, number),
        )


_LAST = 1 << 62
"""The number given to a local review not yet made an event: after every event of this device."""


def _merged_order(rows: list[sqlite3.Row], device: str) -> list[sqlite3.Row]:
    """A card's reviews in time order, each device's own in the order it gave them."""
    keyed: list[tuple[str, str, int, int, sqlite3.Row]] = []
    for row in rows:
        owner = row["event_device"] or device
        seq = _LAST + int(row["id"]) if row["event_seq"] is None else int(row["event_seq"])
        keyed.append((owner, str(row["reviewed_at"]), seq, int(row["id"]), row))
    keyed.sort(key=lambda item: (item[0], item[2]))
    merged: list[tuple[str, str, int, sqlite3.Row]] = []
    latest: dict[str, str] = {}
    for owner, at, seq, _, row in keyed:
        effective = max(at, latest.get(owner, ""))
        latest[owner] = effective
        merged.append((effective, owner, seq, row))
    merged.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in merged]
