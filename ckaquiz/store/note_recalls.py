"""The learner's own blank-page recall written in notes, kept as attempts without a review.

The tables are made by migration 0007. A recall section is one `note_recalls` row, found again by
its note, heading and number among the note's sections of that heading, so an edited section
updates its row. Each card it is scored against has one attempt in `attempts` (kind `recall`, no
review), linked by `note_recall_attempts` with the digest of what it was scored from. Nothing here
deletes a row: a section taken out of its note, or a card retired, keeps its attempts.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ckaquiz.store.database import Store
from ckaquiz.store.rows import to_text


@dataclass(frozen=True)
class NoteRecall:
    """One recall section as stored: where it is written, the note's day and what it recalls."""

    id: int
    path: str
    heading: str
    line: int
    note_day: date
    recalls: str
    """`today` (the note's own day) or `yesterday` (the previous dated note's day)."""
    text: str


@dataclass(frozen=True)
class FoundRecall:
    """A recall section read from a note, before it is stored."""

    heading: str
    occurrence: int
    line: int
    note_day: date
    recalls: str
    text: str


@dataclass(frozen=True)
class OwnRecallTotals:
    """What `stats` shows of the recall written in notes: sections, attempts and points."""

    sections: int
    attempts: int
    points_recalled: int
    points_partial: int
    points_missed: int
    last_day: date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sections": self.sections,
            "attempts": self.attempts,
            "points_recalled": self.points_recalled,
            "points_partial": self.points_partial,
            "points_missed": self.points_missed,
            "last_day": None if self.last_day is None else self.last_day.isoformat(),
        }


def read_stamps(store: Store, source_id: int) -> dict[str, tuple[int, int]]:
    """Each note's (size, mtime_ns) when its recall sections were last read."""
    rows = store.connection.execute(
        "SELECT path, size, mtime_ns FROM note_recall_files WHERE source_id = ?", (source_id,)
    )
    return {str(path): (int(size), int(mtime)) for path, size, mtime in rows}


def recalls_behind(store: Store, source_id: int) -> bool:
    """Whether a note of the source was scanned for cards since its recall sections were last read
    (a scan stopped between the two): the recall sections need reading although no file changed."""
    row = store.connection.execute(
        "SELECT 1 FROM files LEFT JOIN note_recall_files AS recall"
        " ON recall.source_id = files.source_id AND recall.path = files.path"
        " WHERE files.source_id = ? AND (files.path GLOB '*.md' OR files.path GLOB '*.markdown')"
        " AND (recall.path IS NULL OR recall.size != files.size OR recall.mtime_ns != files.mtime_ns) LIMIT 1",
        (source_id,),
    ).fetchone()
    return row is not None


def save_note_in_transaction(
    connection: sqlite3.Connection,
    source_id: int,
    path: str,
    stamp: tuple[int, int],
    found: list[FoundRecall],
    *,
    now: datetime,
) -> int:
    """Store a note's recall sections (new ones added, edited ones updated) and its stamp; how many changed."""
    changed = 0
    for recall in found:
        values = (recall.line, recall.note_day.isoformat(), recall.recalls, recall.text)
        row = connection.execute(
            "SELECT id, line, note_day, recalls, text FROM note_recalls"
            " WHERE source_id = ? AND path = ? AND heading = ? AND occurrence = ?",
            (source_id, path, recall.heading, recall.occurrence),
        ).fetchone()
        if row is None:
            connection.execute(
                "INSERT INTO note_recalls (source_id, path, heading, occurrence, line, note_day, recalls, text,"
                " found_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, path, recall.heading, recall.occurrence, *values, to_text(now), to_text(now)),
            )
            changed += 1
        elif tuple(row[1:]) != values:
            connection.execute(
                "UPDATE note_recalls SET line = ?, note_day = ?, recalls = ?, text = ?, updated_at = ? WHERE id = ?",
                (*values, to_text(now), row[0]),
            )
            changed += 1
    connection.execute(
        "INSERT INTO note_recall_files (source_id, path, size, mtime_ns) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns",
        (source_id, path, *stamp),
    )
    return changed


def source_recalls(store: Store, source_id: int) -> list[NoteRecall]:
    """Every recall section stored for a source, by note and line."""
    rows = store.connection.execute(
        "SELECT id, path, heading, line, note_day, recalls, text FROM note_recalls WHERE source_id = ?"
        " ORDER BY note_day, path, line",
        (source_id,),
    )
    return [
        NoteRecall(int(row[0]), str(row[1]), str(row[2]), int(row[3]), date.fromisoformat(row[4]), str(row[5]), row[6])
        for row in rows
    ]


def recall_cards_by_day(store: Store, source_id: int) -> dict[date, list[tuple[str, tuple[str, ...]]]]:
    """The source's active recall cards with key points (id, points), by the day of the note they come from."""
    found: dict[date, list[tuple[str, tuple[str, ...]]]] = {}
    rows = store.connection.execute(
        "SELECT id, key_points, fields FROM cards WHERE source_id = ? AND active = 1 AND kind = 'recall'"
        " ORDER BY number",
        (source_id,),
    )
    for card_id, key_points, fields in rows:
        points = tuple(str(point) for point in json.loads(key_points))
        written = json.loads(fields).get("note_date")
        if not points or not isinstance(written, str):
            continue
        try:
            day = date.fromisoformat(written)
        except ValueError:
            continue
        found.setdefault(day, []).append((str(card_id), points))
    return found


def attempt_links(store: Store, recall_ids: list[int]) -> dict[tuple[int, str], tuple[int, str]]:
    """(recall id, card id) -> (attempt id, digest) of the attempts the recalls have made."""
    links: dict[tuple[int, str], tuple[int, str]] = {}
    for start in range(0, len(recall_ids), 500):
        chunk = recall_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = store.connection.execute(
            f"SELECT recall_id, card_id, attempt_id, digest FROM note_recall_attempts WHERE recall_id IN ({marks})",
            chunk,
        )
        for recall_id, card_id, attempt_id, digest in rows:
            links[(int(recall_id), str(card_id))] = (int(attempt_id), str(digest))
    return links


def write_attempt_in_transaction(
    connection: sqlite3.Connection,
    recall: NoteRecall,
    card_id: str,
    *,
    attempt_id: int | None,
    digest: str,
    result: dict[str, Any],
    score: float,
    suggested: int,
    at: datetime,
) -> None:
    """The recall's attempt at a card: added, or the one it made before updated in place, with the
    points it recalled, half recalled and missed counted beside its link (what `stats` sums)."""
    values = (recall.text, json.dumps(result, ensure_ascii=False), score, suggested, to_text(at))
    counts = _point_counts(result)
    if attempt_id is None:
        cursor = connection.execute(
            "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested, final,"
            " created_at) VALUES (NULL, ?, 'recall', ?, 0, ?, ?, ?, NULL, ?)",
            (card_id, *values),
        )
        connection.execute(
            "INSERT INTO note_recall_attempts (recall_id, card_id, attempt_id, digest, recalled, partial, missed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (recall.id, card_id, int(cursor.lastrowid or 0), digest, *counts),
        )
        return
    connection.execute(
        "UPDATE attempts SET response = ?, result = ?, score = ?, suggested = ?, created_at = ? WHERE id = ?",
        (*values, attempt_id),
    )
    connection.execute(
        "UPDATE note_recall_attempts SET digest = ?, recalled = ?, partial = ?, missed = ?"
        " WHERE recall_id = ? AND card_id = ?",
        (digest, *counts, recall.id, card_id),
    )


def _point_counts(result: dict[str, Any]) -> tuple[int, int, int]:
    """The points of a scored recall that were recalled, half recalled (partial) and missed."""
    statuses = [point.get("status") for point in result.get("points", [])]
    recalled, partial = statuses.count("recalled"), statuses.count("partial")
    return recalled, partial, len(statuses) - recalled - partial


def own_recall_totals(store: Store, card_ids: frozenset[str] | None = None) -> OwnRecallTotals:
    """The recall sections stored, their attempts and the points those recalled and missed (of `card_ids`)."""
    sections: set[int] = set()
    attempts = recalled = partial = missed = 0
    last: str | None = None
    rows = store.connection.execute(
        "SELECT l.recall_id, l.card_id, l.recalled, l.partial, l.missed, n.note_day FROM note_recall_attempts l"
        " JOIN attempts a ON a.id = l.attempt_id JOIN note_recalls n ON n.id = l.recall_id"
    )
    for recall_id, card_id, points_recalled, points_partial, points_missed, note_day in rows:
        if card_ids is not None and card_id not in card_ids:
            continue
        sections.add(recall_id)
        attempts += 1
        last = max(last or note_day, note_day)
        recalled += points_recalled
        partial += points_partial
        missed += points_missed
    last_day = None if last is None else date.fromisoformat(last)
    return OwnRecallTotals(len(sections), attempts, recalled, partial, missed, last_day)
