"""Card leases: the card a session is showing, so a second session on the same data folder skips it.

The table is made by migration 0005. A lease names its session and its process (`host:pid`) and
lasts `LEASE` unless renewed; a session renews its leases every `RENEW_EVERY` while it runs
(`LeaseRenewal`). A lease that expired, or whose process no longer runs on this host (it was
killed), can be taken by any session.

Leases are measured in real time even when `CKAQUIZ_NOW` stops the study clock: they are about
processes running side by side, not about the study day.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from datetime import datetime, timedelta

from ckaquiz.clock import Clock, system_clock
from ckaquiz.store.database import BUSY_TIMEOUT_MS, Store
from ckaquiz.store.rows import from_text, to_text

LEASE = timedelta(minutes=5)
RENEW_EVERY = timedelta(minutes=1)


def this_process() -> str:
    """The holder a lease names: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(store: Store, card_number: int, session_id: str, *, now: datetime, holder: str | None = None) -> bool:
    """Lease the card to the session; False when another live session holds an unexpired lease on it."""
    holder = holder or this_process()
    with store.transaction() as connection:
        row = connection.execute(
            "SELECT session_id, holder, expires_at FROM card_leases WHERE card_number = ?", (card_number,)
        ).fetchone()
        if row is not None and row[0] != session_id:
            expires = from_text(row[2])
            if expires is not None and expires > now and _running(str(row[1])):
                return False
        connection.execute(
            "INSERT INTO card_leases (card_number, session_id, holder, expires_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (card_number) DO UPDATE SET session_id = excluded.session_id,"
            " holder = excluded.holder, expires_at = excluded.expires_at",
            (card_number, session_id, holder, to_text(now + LEASE)),
        )
    return True


def release(store: Store, session_id: str, card_number: int | None = None) -> None:
    """Give up the session's lease on one card, or all its leases."""
    with store.transaction() as connection:
        release_in_transaction(connection, session_id, card_number)


def release_in_transaction(connection: sqlite3.Connection, session_id: str, card_number: int | None = None) -> None:
    """`release`, inside a transaction the caller holds (the one recording a grade)."""
    if card_number is None:
        connection.execute("DELETE FROM card_leases WHERE session_id = ?", (session_id,))
    else:
        connection.execute(
            "DELETE FROM card_leases WHERE session_id = ? AND card_number = ?", (session_id, card_number)
        )


def held_by_others(store: Store, session_id: str, *, now: datetime) -> set[int]:
    """The cards other live sessions hold unexpired leases on."""
    rows = store.connection.execute(
        "SELECT card_number, holder FROM card_leases WHERE session_id != ? AND expires_at > ?",
        (session_id, to_text(now)),
    )
    return {int(number) for number, holder in rows if _running(str(holder))}


def _running(holder: str) -> bool:
    """Whether the process a lease names may still run: False only when it is known to have ended."""
    host, _, pid_text = holder.rpartition(":")
    if host != socket.gethostname() or os.name == "nt" or not pid_text.isdigit():
        return True  # another machine's process (or Windows, where probing a process is not harmless)
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


class LeaseRenewal:
    """Renews a session's leases every `RENEW_EVERY` from a thread with its own connection."""

    def __init__(self, path: str, session_id: str, *, clock: Clock = system_clock) -> None:
        self.path = path
        self.session_id = session_id
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start renewing (nothing to do for an in-memory database: no other process can see it)."""
        if self.path == ":memory:" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="ckaquiz-lease-renewal", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(RENEW_EVERY.total_seconds()):
            try:
                self.renew()
            except sqlite3.Error:
                continue  # a lease not renewed this time expires later; the session goes on

    def renew(self) -> None:
        """Push back the expiry of every lease the session holds."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(
                "UPDATE card_leases SET expires_at = ? WHERE session_id = ?",
                (to_text(self.clock() + LEASE), self.session_id),
            )
        finally:
            connection.close()


def log_mark(store: Store) -> int:
    """The id of the newest review in the log (0 when empty): reviews after it are newer than now."""
    row = store.connection.execute("SELECT max(id) FROM reviews").fetchone()
    return int(row[0] or 0)


def reviewed_by_another_since(store: Store, card_id: str, session_id: str, mark: int) -> bool:
    """Whether another session recorded a review (not undone) of the card after review `mark`."""
    row = store.connection.execute(
        "SELECT 1 FROM reviews WHERE card_id = ? AND id > ? AND session_id IS NOT ? AND undone_at IS NULL LIMIT 1",
        (card_id, mark, session_id),
    ).fetchone()
    return row is not None
