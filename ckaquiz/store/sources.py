"""The source registry: the built-in decks, deck files, folders and vaults a collection reads, and
what the last scan of each of their files found (size, mtime, problems)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ckaquiz.store.rows import to_text

if TYPE_CHECKING:
    from ckaquiz.store.database import Store


@dataclass(frozen=True)
class SourceRecord:
    """A registered deck source: the built-in decks, a deck file, a folder or a vault."""

    id: int
    name: str
    path: str
    builtin: bool
    deck: str | None
    options: dict[str, Any]
    active: bool


def register_source(
    store: Store,
    name: str,
    path: str,
    *,
    now: datetime,
    builtin: bool = False,
    deck: str | None = None,
    options: dict[str, Any] | None = None,
) -> SourceRecord:
    """Add a source, or update the path and options of one with the same name."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO sources (name, path, builtin, deck, options, added_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET path=excluded.path, deck=excluded.deck,"
            " options=excluded.options, active=1",
            (name, path, int(builtin), deck, json.dumps(options or {}), to_text(now)),
        )
    source = find_source(store, name)
    assert source is not None
    return source


def find_source(store: Store, name: str) -> SourceRecord | None:
    """The source with this name, if registered."""
    row = store.connection.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()
    return None if row is None else _source_record(row)


def registered_sources(store: Store, *, include_inactive: bool = False) -> list[SourceRecord]:
    """Registered sources, built-in first."""
    query = "SELECT * FROM sources" + ("" if include_inactive else " WHERE active = 1")
    return [_source_record(row) for row in store.connection.execute(query + " ORDER BY builtin DESC, name")]


def deactivate_source(store: Store, name: str, *, now: datetime) -> int:
    """Unregister a source: its cards are retired with their history kept. Returns cards retired."""
    source = find_source(store, name)
    if source is None:
        return 0
    with store.transaction() as connection:
        connection.execute("UPDATE sources SET active = 0 WHERE id = ?", (source.id,))
        cursor = connection.execute(
            "UPDATE cards SET active = 0, retired_at = ? WHERE source_id = ? AND active = 1",
            (to_text(now), source.id),
        )
        connection.execute("DELETE FROM files WHERE source_id = ?", (source.id,))
    return cursor.rowcount


def known_files(store: Store, source_id: int) -> dict[str, tuple[int, int]]:
    """Scanned files of a source with the size and mtime seen at the last scan."""
    rows = store.connection.execute("SELECT path, size, mtime_ns FROM files WHERE source_id = ?", (source_id,))
    return {path: (size, mtime_ns) for path, size, mtime_ns in rows}


def reader_version(store: Store, source_id: int) -> int | None:
    """The version of the readers that last scanned a source (None before migration 0007's first scan)."""
    row = store.connection.execute("SELECT version FROM source_readers WHERE source_id = ?", (source_id,)).fetchone()
    return None if row is None else int(row[0])


def set_reader_version(store: Store, source_id: int, version: int) -> None:
    """Record that a source's files were all read by readers of `version`."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO source_readers (source_id, version) VALUES (?, ?)"
            " ON CONFLICT (source_id) DO UPDATE SET version = excluded.version",
            (source_id, version),
        )


def file_problems(store: Store, source_id: int) -> list[str]:
    """Problems recorded at the last scan of each file of a source."""
    rows = store.connection.execute(  # files without problems (most) are skipped in SQL
        "SELECT problems FROM files WHERE source_id = ? AND problems != '[]' ORDER BY path", (source_id,)
    )
    return [problem for row in rows for problem in json.loads(row["problems"])]


def is_fresh_source(store: Store, source_id: int) -> bool:
    """Whether a source has no cards (active or retired) and no scanned files."""
    row = store.connection.execute(
        "SELECT 1 FROM cards WHERE source_id = ? UNION ALL SELECT 1 FROM files WHERE source_id = ? LIMIT 1",
        (source_id, source_id),
    ).fetchone()
    return row is None


def _source_record(row: sqlite3.Row) -> SourceRecord:
    return SourceRecord(
        id=row["id"],
        name=row["name"],
        path=row["path"],
        builtin=bool(row["builtin"]),
        deck=row["deck"],
        options=json.loads(row["options"]),
        active=bool(row["active"]),
    )
