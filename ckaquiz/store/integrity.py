"""Checks a database file must pass before SQLite may open it for writing.

SQLite is forgiving where ckaquiz must not be: it treats an empty file as a new database, reads
zeros in place of pages cut off a file, and replays any write-ahead log it finds beside a
database, even one left by another copy of it. Each check here is cheap (a few bytes read,
no SQL) except the stale-log check, which runs only when a log is left with no process using it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ckaquiz.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
MARKER_SUFFIX = ".created"
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_WAL_HEADER_SIZE = 32
_SHM_DEAD_MAN_SWITCH = 128
"""The byte of the `-shm` file every connection holds a shared lock on while it uses the log."""

Hint = Callable[[Path], str]


class DamagedDatabaseError(StoreError):
    """The database file is damaged: nothing may write to it or rotate its backups away."""


def marker_path(database: Path) -> Path:
    """The small file beside the database that says one was created here (`ckaquiz.db.created`)."""
    return database.with_name(database.name + MARKER_SUFFIX)


def write_marker(database: Path, *, now: datetime | None = None) -> None:
    """Record, once, that this folder holds a database: a missing one is then never taken for new."""
    marker = marker_path(database)
    if marker.exists():
        return
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    text = json.dumps({"database": database.name, "created": moment}) + "\n"
    with contextlib.suppress(OSError):  # a read-only folder keeps working; the marker is a safeguard
        descriptor = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)


def refuse_missing_database(database: Path, *, earlier_backups: bool, hint: Hint) -> None:
    """A missing database is new only when nothing says there was one before (no marker, no backup)."""
    marker = marker_path(database)
    if database.is_symlink():
        target = os.readlink(database)
        raise StoreError(f"{database} is a link to {target}, which does not exist; fix or remove the link")
    if earlier_backups:
        sign = f"{marker} says one was created here" if marker.exists() else "there are backups of it"
        raise StoreError(
            f"{database} is missing ({sign}); {hint(database)}"
            f" (or move backups/ aside and delete {marker.name} to start a new database)"
        )
    if marker.exists():
        raise StoreError(
            f"{database} is missing ({marker} says one was created here); put your copy back with"
            f" `ckaquiz restore FILE`, or delete {marker.name} to start a new database"
        )


def refuse_damaged_file(database: Path, *, hint: Hint) -> None:
    """Refuse a file that is empty, not SQLite, or shorter than its header says, before SQLite sees it.

    Sizes are compared only when no write-ahead log holds pages that may lengthen the file.
    """
    try:
        size = database.stat().st_size
        with database.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as error:
        raise StoreError(f"{database}: cannot read the database ({error.strerror or error})") from None

    def damaged(what: str) -> StoreError:
        return DamagedDatabaseError(f"{database} is damaged, cannot open the database ({what}); {hint(database)}")

    if size == 0:
        raise damaged("the file is empty")
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise damaged("file is not a database")
    page_size = page_size_of(header)
    if page_size is None:
        raise damaged(f"page size {int.from_bytes(header[16:18], 'big')} is not one SQLite writes")
    if wal_pages_waiting(database):
        return
    if size % page_size:
        raise damaged(f"truncated: {size} bytes is not a whole number of {page_size}-byte pages")
    counted = header_page_count(header)
    if counted is not None and counted * page_size > size:
        raise damaged(f"truncated: {size // page_size} of the {counted} pages its header counts")


def page_size_of(header: bytes) -> int | None:
    """The page size a database header records, or None when it is not a valid one."""
    value = int.from_bytes(header[16:18], "big")
    page_size = 65536 if value == 1 else value
    if page_size < 512 or page_size & (page_size - 1):
        return None
    return page_size


def header_page_count(header: bytes) -> int | None:
    """The page count in the header, when SQLite would trust it (valid-for matches the change counter)."""
    count = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    return count if count > 0 and change_counter == valid_for else None


def wal_pages_waiting(database: Path) -> bool:
    """Whether a non-empty `-wal` file lies beside the database."""
    try:
        return Path(f"{database}-wal").stat().st_size > 0
    except OSError:
        return False


def set_aside_stale_wal(database: Path, *, aside: Path, open_here: bool = False) -> Path | None:
    """Move a write-ahead log that does not belong to the database out of SQLite's way, untouched.

    Only a log that no process is using is judged (one in use is live by definition). It is
    stale when its page size differs from the database's, or when the database reads intact
    without it and damaged with it (SQLite would replay it onto pages it was never written
    over). `open_here` says this process already has the database open: the probe is skipped
    (closing its descriptor would drop SQLite's own locks). Returns where the log went, or None.
    """
    wal = Path(f"{database}-wal")
    if open_here or not wal_pages_waiting(database) or _log_in_use(database):
        return None
    try:
        with wal.open("rb") as handle:
            wal_header = handle.read(_WAL_HEADER_SIZE)
        with database.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError:
        return None
    magic = int.from_bytes(wal_header[0:4], "big") if len(wal_header) == _WAL_HEADER_SIZE else 0
    if magic not in _WAL_MAGICS:
        return None  # SQLite ignores a log without a valid header
    if int.from_bytes(wal_header[8:12], "big") == page_size_of(header) and not _log_damages(database, wal):
        return None
    aside.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(wal, aside)
    with contextlib.suppress(FileNotFoundError):
        Path(f"{database}-shm").unlink()
    return aside


def _log_in_use(database: Path) -> bool:
    """Whether some connection holds the shared-memory index open (SQLite's own liveness lock)."""
    shm = Path(f"{database}-shm")
    try:
        descriptor = os.open(shm, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DEAD_MAN_SWITCH)
    except OSError:
        return True
    else:
        fcntl.lockf(descriptor, fcntl.LOCK_UN, 1, _SHM_DEAD_MAN_SWITCH)
        return False
    finally:
        os.close(descriptor)


def _log_damages(database: Path, wal: Path) -> bool:
    """Whether replaying the log damages a database that is intact without it (checked on copies)."""
    prefix = f".ckaquiz-walcheck-{os.getpid()}-"  # the next start removes it if this process is killed
    with tempfile.TemporaryDirectory(prefix=prefix, dir=database.parent) as scratch:
        alone = Path(scratch) / "alone.db"
        replayed = Path(scratch) / "replayed.db"
        shutil.copyfile(database, alone)
        shutil.copyfile(database, replayed)
        shutil.copyfile(wal, f"{replayed}-wal")
        return _quick_check(alone) and not _quick_check(replayed)


def _quick_check(path: Path) -> bool:
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error:
        return False
    try:
        return bool(connection.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.Error:
        return False
    finally:
        connection.close()
