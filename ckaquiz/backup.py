"""Backups of the database: one a day before the first write, on demand, and restoring one.

Copies are made with SQLite's online backup API, so a copy taken while a session is writing
is still one consistent snapshot. Every copy is written to a hidden temporary file, checked,
and only then renamed into place, so a copy interrupted by a crash never looks like a backup.
Backups, like the database, are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from ckaquiz.config import Settings
from ckaquiz.errors import ConfigError, StoreError

BACKUPS_FOLDER_NAME = "backups"
DEFAULT_KEEP = 14
KEEP_SETTING = "backups_keep"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30.0
_BACKUP_NAME = re.compile(r"^ckaquiz-(\d{4}-\d{2}-\d{2})(?:-(\d{6}))?(.*)\.db$")
_TEMPORARY_PREFIX = ".ckaquiz-partial-"
_STALE_TEMPORARY_SECONDS = 3600
DAMAGED_SUFFIX = "-damaged"
REPLACED_SUFFIX = "-replaced"


@dataclass(frozen=True)
class DatabaseCheck:
    """What checking a database file found: its schema version and how many reviews it holds."""

    path: Path
    schema_version: int
    reviews: int


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup put in place and where the replaced database was kept."""

    restored: DatabaseCheck
    replaced: Path | None


def backups_folder(home: Path) -> Path:
    """The folder of backups inside the data folder."""
    return home / BACKUPS_FOLDER_NAME


def keep_setting(settings: Settings) -> int:
    """How many backups to keep: `backups_keep` in config.toml (default 14)."""
    value = settings.extra.get(KEEP_SETTING, DEFAULT_KEEP)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"config: {KEEP_SETTING}: expected a whole number >= 1")
    return value


def daily_backup_path(folder: Path, today: date) -> Path:
    """Where the backup of a given day goes: `ckaquiz-YYYY-MM-DD.db`."""
    return folder / f"ckaquiz-{today.isoformat()}.db"


def list_backups(folder: Path) -> list[Path]:
    """Backups in the folder, oldest first (by the date and time in their names)."""
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, str, str], Path]] = []
    for path in folder.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match is not None and path.is_file():
            found.append(((match.group(1), match.group(2) or "", match.group(3)), path))
    return [path for _, path in sorted(found)]


def newest_backup(folder: Path) -> Path | None:
    """The most recent backup worth restoring (copies of damaged databases are left out)."""
    candidates = [path for path in list_backups(folder) if not path.stem.endswith(DAMAGED_SUFFIX)]
    return candidates[-1] if candidates else None


def restore_hint(database_path: Path) -> str:
    """The advice added to a damaged-database error: the restore command, or where backups go."""
    folder = backups_folder(database_path.parent)
    newest = newest_backup(folder)
    if newest is None:
        return f"no backup found in {folder}; move the file aside to start a new database"
    return f"restore a backup with: ckaquiz restore {shlex.quote(str(newest))}"


def ensure_daily_backup(database_path: Path, backups_folder: Path, *, today: date, keep: int) -> Path | None:
    """Back the database up once a day, before its first write; None when today's copy exists.

    Nothing is copied when there is no database yet. Old backups beyond `keep` are removed.
    Raises StoreError when the copy cannot be made (the database is left untouched).
    """
    target = daily_backup_path(backups_folder, today)
    if target.exists():
        return None
    if not database_path.is_file() or database_path.stat().st_size == 0:
        return None
    made = make_backup(database_path, target, overwrite=True)
    prune_backups(backups_folder, keep=keep, protect=(made,))
    return made


def backup_now(database_path: Path, backups_folder: Path, *, now: datetime, keep: int) -> Path:
    """An on-demand backup named by the local date and time, then old ones pruned."""
    stamp = now.astimezone().strftime("%Y-%m-%d-%H%M%S")
    target = backups_folder / f"ckaquiz-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = backups_folder / f"ckaquiz-{stamp}-{counter}.db"
    made = make_backup(database_path, target)
    prune_backups(backups_folder, keep=keep, protect=(made,))
    return made


def make_backup(database_path: Path, destination: Path, *, overwrite: bool = False) -> Path:
    """Copy the database to `destination` with SQLite's backup API, readable by the owner only.

    The copy is a self-contained file (rollback journal, no `-wal` beside it) and passes
    `PRAGMA quick_check` before it is renamed into place. An existing destination is kept
    unless `overwrite` is true.
    """
    if not database_path.is_file():
        raise StoreError(f"{database_path}: there is no database to back up yet")
    if destination.exists() and not overwrite:
        raise StoreError(f"{destination} already exists (use --force to overwrite it)")
    if destination.resolve() == database_path.resolve():
        raise StoreError(f"{destination} is the database itself")
    temporary = destination.parent / f"{_TEMPORARY_PREFIX}{os.getpid()}-{time.monotonic_ns()}.tmp"
    try:
        _make_private_folder(destination.parent)
        _create_private_file(temporary)
        try:
            _copy_database(database_path, temporary)
            _fsync(temporary)
            os.replace(temporary, destination)
        except BaseException:
            _remove(temporary)
            raise
        _fsync_folder(destination.parent)
    except OSError as error:
        raise StoreError(f"cannot write {destination} ({error.strerror or error})") from None
    return destination


def prune_backups(folder: Path, *, keep: int, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Remove all but the newest `keep` backups (never those in `protect`), and partial copies left by crashes."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    removed: list[Path] = []
    backups = list_backups(folder)
    protected = {path.resolve() for path in protect}
    for path in backups[: max(0, len(backups) - keep)]:
        if path.resolve() in protected:
            continue
        for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            _remove(companion)
        removed.append(path)
    cutoff = time.time() - _STALE_TEMPORARY_SECONDS
    for path in folder.glob(f"{_TEMPORARY_PREFIX}*.tmp"):
        try:
            if path.stat().st_mtime < cutoff:
                _remove(path)
        except OSError:
            continue
    return removed


def check_database_file(path: Path) -> DatabaseCheck:
    """Check a file before restoring it: a SQLite database, intact, a schema this ckaquiz knows,
    with a review log. Raises StoreError naming what is wrong."""
    from ckaquiz.store.migrations import SCHEMA_VERSION

    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(f"{path}: cannot read ({error.strerror})") from None
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a SQLite database")
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open ({error})") from None
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check(3)")]
        if integrity != ["ok"]:
            raise StoreError(f"{path} is damaged (integrity check: {_first_line(integrity[0])})")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer ckaquiz (schema {version}, this one knows {SCHEMA_VERSION})"
            )
        has_reviews = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reviews'"
        ).fetchone()
        if version < 1 or has_reviews is None:
            raise StoreError(f"{path} is not a ckaquiz database (no review log)")
        reviews = int(connection.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.Error as error:
        raise StoreError(f"{path} is damaged ({error})") from None
    finally:
        connection.close()
    return DatabaseCheck(path=path, schema_version=version, reviews=reviews)


def restore_backup(
    database_path: Path, backup: Path, backups_folder: Path, *, now: datetime, keep: int
) -> RestoreResult:
    """Put a checked backup in place of the database, keeping the replaced one as a backup.

    Nothing is changed unless the backup passes `check_database_file`. A healthy database is
    copied to `backups/` and then overwritten through SQLite (so other connections see the
    change safely); a damaged one is moved aside whole, with its `-wal`, and never read.
    """
    checked = check_database_file(backup)
    if database_path.exists() and backup.resolve() == database_path.resolve():
        raise StoreError(f"{backup} is the database itself")
    stamp = now.astimezone().strftime("%Y-%m-%d-%H%M%S")
    replaced: Path | None = None
    if database_path.is_file() and database_path.stat().st_size > 0:
        if _is_healthy(database_path):
            replaced = _free_name(backups_folder, f"ckaquiz-{stamp}{REPLACED_SUFFIX}")
            make_backup(database_path, replaced)
            try:
                _copy_database(backup, database_path, into_live=True)
            except StoreError:
                # e.g. a backup with another page size cannot be copied into a WAL database:
                # nothing was written, so the whole file pair is moved aside instead
                _move_aside(database_path, replaced)
                make_backup(backup, database_path)
        else:
            replaced = _free_name(backups_folder, f"ckaquiz-{stamp}{DAMAGED_SUFFIX}")
            _move_aside(database_path, replaced)
            make_backup(backup, database_path)
    else:
        wal = Path(f"{database_path}-wal")
        if wal.exists():  # a log without its database must never be replayed onto another one
            _make_private_folder(backups_folder)
            os.replace(wal, Path(f"{_free_name(backups_folder, f'ckaquiz-{stamp}{DAMAGED_SUFFIX}')}-wal"))
        _remove(Path(f"{database_path}-shm"))
        make_backup(backup, database_path, overwrite=True)
    prune_backups(backups_folder, keep=keep, protect=(backup,) if replaced is None else (backup, replaced))
    return RestoreResult(restored=checked, replaced=replaced)


def _copy_database(source_path: Path, destination_path: Path, *, into_live: bool = False) -> None:
    """Copy pages with the backup API; a fresh destination ends up in rollback-journal mode."""
    try:
        source = sqlite3.connect(_read_only_uri(source_path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise StoreError(f"{source_path}: cannot open for copying ({error})") from None
    try:
        destination = sqlite3.connect(destination_path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        source.close()
        raise StoreError(f"{destination_path}: cannot open for writing ({error})") from None
    try:
        destination.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        source.backup(destination)
        if not into_live:
            destination.execute("PRAGMA journal_mode = DELETE")
            result = destination.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise StoreError(f"{source_path} is damaged (the copy fails its check: {_first_line(result)})")
    except sqlite3.Error as error:
        raise StoreError(f"cannot copy {source_path} ({error})") from None
    finally:
        destination.close()
        source.close()


def _is_healthy(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return False
        connection = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except (OSError, sqlite3.Error):
        return False
    try:
        return bool(connection.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _move_aside(database_path: Path, target: Path) -> None:
    """Move a damaged database and its `-wal` into backups/ untouched; drop its `-shm` index."""
    _make_private_folder(target.parent)
    os.replace(database_path, target)
    wal = Path(f"{database_path}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{target}-wal"))
    _remove(Path(f"{database_path}-shm"))
    _fsync_folder(target.parent)


def _free_name(folder: Path, stem: str) -> Path:
    target = folder / f"{stem}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{stem}-{counter}.db"
    return target


def _read_only_uri(path: Path) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _make_private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create_private_file(path: Path) -> None:
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _first_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip() and not line.startswith("***")]
    return lines[0] if lines else str(text).strip()
