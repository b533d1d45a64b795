"""What the store keeps for sync: the device id, how far each synced file was read, the events known.

The tables and the triggers that note local reviews, undos and marks in `sync_outbox` are made
by migration 0006; the triggers stay silent until a device id is set, and while `importing` is
set (an exchange writing other devices' events inside its transaction).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from ckaquiz.store.database import Store


@dataclass(frozen=True)
class FileMark:
    """How far a file was read: bytes and complete lines, and its size and mtime then."""

    read_to: int = 0
    lines: int = 0
    size: int = -1
    mtime_ns: int = -1


_DEVICE = "device"
_NEXT_SEQ = "next_seq"
_IMPORTING = "importing"
_CARDS_SEEN = "cards_seen"


def device_id(store: Store) -> str | None:
    """This database's device id, or None before sync was set up."""
    row = store.connection.execute("SELECT value FROM sync_state WHERE key = ?", (_DEVICE,)).fetchone()
    return None if row is None else str(row[0])


def start_device(store: Store) -> str:
    """Give this database a random device id (once), and queue its history so far for the folder."""
    with store.transaction() as connection:
        row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (_DEVICE,)).fetchone()
        if row is not None:
            return str(row[0])
        device = secrets.token_hex(6)
        connection.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)", (_DEVICE, device))
        connection.execute("INSERT INTO sync_state (key, value) VALUES (?, '1')", (_NEXT_SEQ,))
        connection.execute(
            "INSERT INTO sync_outbox (kind, ref) SELECT 'review', id FROM reviews WHERE undone_at IS NULL ORDER BY id"
        )
        connection.execute(
            "INSERT INTO sync_outbox (kind, ref) SELECT 'marks', card_number FROM card_marks ORDER BY card_number"
        )
    return device


def take_seq(connection: sqlite3.Connection, count: int) -> int:
    """Reserve `count` sequence numbers of this device (in the caller's transaction); returns the first."""
    row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (_NEXT_SEQ,)).fetchone()
    first = int(row[0]) if row else 1
    connection.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_NEXT_SEQ, str(first + count)),
    )
    return first


def set_importing(connection: sqlite3.Connection, on: bool) -> None:
    """Silence the outbox triggers for the writes of an exchange (inside its transaction)."""
    if on:
        connection.execute("INSERT OR IGNORE INTO sync_state (key, value) VALUES (?, '1')", (_IMPORTING,))
    else:
        connection.execute("DELETE FROM sync_state WHERE key = ?", (_IMPORTING,))


def outbox(connection: sqlite3.Connection) -> list[tuple[int, str, int]]:
    """Local writes not yet made events: (outbox id, kind, review id or card number), oldest first."""
    rows = connection.execute("SELECT id, kind, ref FROM sync_outbox ORDER BY id").fetchall()
    return [(int(row[0]), str(row[1]), int(row[2])) for row in rows]


def clear_outbox(connection: sqlite3.Connection, up_to: int) -> None:
    connection.execute("DELETE FROM sync_outbox WHERE id <= ?", (up_to,))


def file_marks(store: Store) -> dict[str, FileMark]:
    rows = store.connection.execute("SELECT path, read_to, lines, size, mtime_ns FROM sync_files")
    return {
        str(path): FileMark(int(read_to), int(lines), int(size), int(mtime))
        for path, read_to, lines, size, mtime in rows
    }


def save_file_marks(connection: sqlite3.Connection, marks: dict[str, FileMark]) -> None:
    connection.executemany(
        "INSERT INTO sync_files (path, read_to, lines, size, mtime_ns) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (path) DO UPDATE SET read_to = excluded.read_to, lines = excluded.lines,"
        " size = excluded.size, mtime_ns = excluded.mtime_ns",
        [(path, mark.read_to, mark.lines, mark.size, mark.mtime_ns) for path, mark in marks.items()],
    )


def cards_seen(connection: sqlite3.Connection) -> tuple[str, str]:
    """(the card signature when waiting events were last tried, the signature now)."""
    row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (_CARDS_SEEN,)).fetchone()
    now = connection.execute("SELECT count(*), max(number) FROM cards").fetchone()
    return ("" if row is None else str(row[0])), f"{now[0]}:{now[1]}"


def waiting_count(connection: sqlite3.Connection) -> int:
    """Events of other devices not applied yet (their card, or the review they undo, is not here)."""
    return int(connection.execute("SELECT count(*) FROM sync_events WHERE applied = 0").fetchone()[0])


def set_cards_seen(connection: sqlite3.Connection, signature: str) -> None:
    connection.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_CARDS_SEEN, signature),
    )


@dataclass(frozen=True)
class DeviceSummary:
    """One device as `ckaquiz sync status` lists it."""

    device: str
    last_at: str
    events: int
    applied: int


def device_summaries(store: Store) -> list[DeviceSummary]:
    rows = store.connection.execute(
        "SELECT device, max(at), count(*), sum(applied) FROM sync_events GROUP BY device ORDER BY device"
    )
    return [
        DeviceSummary(str(device), str(last), int(count), int(applied or 0)) for device, last, count, applied in rows
    ]
