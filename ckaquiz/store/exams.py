"""Mock exam attempts in the database: one row each, rewritten after every answer.

The table is made by migration 0004_exam_attempts. Every write is one transaction, so a
killed process leaves the attempt as it was after the last answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ckaquiz.store.database import Store
from ckaquiz.store.rows import from_text, to_text

_COLUMNS = (
    "id, started_at, updated_at, finished_at, minutes, seconds_used, seed, filters, paper, progress,"
    " score, passed, result"
)


@dataclass(frozen=True)
class AttemptRecord:
    """One stored exam attempt: its paper (copies of the tasks), progress and, once ended, its score."""

    id: str
    started_at: datetime
    updated_at: datetime
    minutes: float
    seed: int
    paper: list[dict[str, Any]]
    filters: dict[str, Any] = field(default_factory=dict)
    progress: dict[str, Any] = field(default_factory=dict)
    seconds_used: float = 0.0
    finished_at: datetime | None = None
    score: float | None = None
    passed: bool | None = None
    result: dict[str, Any] | None = None


def create_attempt(store: Store, record: AttemptRecord) -> None:
    """Store a new attempt."""
    with store.transaction() as connection:
        connection.execute(
            f"INSERT INTO exam_attempts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                to_text(record.started_at),
                to_text(record.updated_at),
                to_text(record.finished_at),
                record.minutes,
                record.seconds_used,
                record.seed,
                json.dumps(record.filters, ensure_ascii=False),
                json.dumps(record.paper, ensure_ascii=False),
                json.dumps(record.progress, ensure_ascii=False),
                record.score,
                None if record.passed is None else int(record.passed),
                None if record.result is None else json.dumps(record.result, ensure_ascii=False),
            ),
        )


def save_progress(
    store: Store, attempt_id: str, *, progress: dict[str, Any], seconds_used: float, now: datetime
) -> None:
    """Rewrite an unfinished attempt's answers, flags and time used."""
    with store.transaction() as connection:
        connection.execute(
            "UPDATE exam_attempts SET progress = ?, seconds_used = ?, updated_at = ?"
            " WHERE id = ? AND finished_at IS NULL",
            (json.dumps(progress, ensure_ascii=False), seconds_used, to_text(now), attempt_id),
        )


def finish_attempt(
    store: Store,
    attempt_id: str,
    *,
    progress: dict[str, Any],
    seconds_used: float,
    now: datetime,
    score: float,
    passed: bool,
    result: dict[str, Any],
) -> None:
    """Close an attempt with its final answers and score."""
    with store.transaction() as connection:
        connection.execute(
            "UPDATE exam_attempts SET progress = ?, seconds_used = ?, updated_at = ?, finished_at = ?, score = ?,"
            " passed = ?, result = ? WHERE id = ?",
            (
                json.dumps(progress, ensure_ascii=False),
                seconds_used,
                to_text(now),
                to_text(now),
                score,
                int(passed),
                json.dumps(result, ensure_ascii=False),
                attempt_id,
            ),
        )


def unfinished_attempt(store: Store) -> AttemptRecord | None:
    """The newest attempt that has not ended, or None."""
    row = store.connection.execute(
        f"SELECT {_COLUMNS} FROM exam_attempts WHERE finished_at IS NULL ORDER BY started_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _record(row)


def attempt(store: Store, attempt_id: str) -> AttemptRecord | None:
    """The attempt with this id, or None."""
    row = store.connection.execute(f"SELECT {_COLUMNS} FROM exam_attempts WHERE id = ?", (attempt_id,)).fetchone()
    return None if row is None else _record(row)


def attempts(store: Store) -> list[AttemptRecord]:
    """Every attempt, oldest first."""
    rows = store.connection.execute(f"SELECT {_COLUMNS} FROM exam_attempts ORDER BY started_at, rowid").fetchall()
    return [_record(row) for row in rows]


def _record(row: Any) -> AttemptRecord:
    started_at, updated_at = from_text(row[1]), from_text(row[2])
    assert started_at is not None and updated_at is not None  # NOT NULL columns
    return AttemptRecord(
        id=str(row[0]),
        started_at=started_at,
        updated_at=updated_at,
        finished_at=from_text(row[3]),
        minutes=float(row[4]),
        seconds_used=float(row[5]),
        seed=int(row[6]),
        filters=json.loads(row[7]),
        paper=json.loads(row[8]),
        progress=json.loads(row[9]),
        score=None if row[10] is None else float(row[10]),
        passed=None if row[11] is None else bool(row[11]),
        result=None if row[12] is None else json.loads(row[12]),
    )
