"""Backups of the database: one a day before the first write, on demand, and restoring one.

Copies are made with SQLite's online backup API, so a copy taken while a session is writing
is still one consistent snapshot. Every copy is written to a hidden temporary file, checked,
and only then renamed into place, so a copy interrupted by a crash never looks like a backup
(and the partial file is removed on the next start). Backups, like the database, are readable
by their owner only. They are kept in tiers: the newest of each of the last days, weeks and
months, plus every copy a restore kept of the database it replaced.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from ckaquiz.config import Settings
from ckaquiz.errors import ConfigError, StoreError
from ckaquiz.store import (
    BACKUP_NAME,
    DAMAGED_SUFFIX,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    DamagedDatabaseError,
    is_damage,
    refuse_damaged_file,
    schema_objects_for,
    write_marker,
)
from ckaquiz.store import BACKUPS_FOLDER_NAME as BACKUPS_FOLDER_NAME
from ckaquiz.store import backups_folder as backups_folder
from ckaquiz.store import has_backups as has_backups
from ckaquiz.store import list_backups as list_backups
from ckaquiz.store import newest_backup as newest_backup
from ckaquiz.store import restore_hint as restore_hint

KEEP_SETTING = "backups_keep"
"""The older name of `backups_daily`, still read."""
BUSY_TIMEOUT_SECONDS = 30.0
_TEMPORARY_PREFIX = ".ckaquiz-partial-"
_SCRATCH_FOLDER_NAME = re.compile(r"^\.ckaquiz-walcheck-(\d+)-")
_TEMPORARY_NAME = re.compile(r"^\.ckaquiz-(?:partial|new)-(\d+)-\d+\.(?:tmp|db)(?:-journal|-wal|-shm)?$")
_STALE_TEMPORARY_SECONDS = 3600
REPLACED_SUFFIX = "-replaced"


@dataclass(frozen=True)
class Retention:
    """How many backups each tier keeps, and for how long copies kept by a restore stay."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    replaced_days: int = 90


RETENTION_SETTINGS = {
    "backups_daily": ("daily", 1),
    "backups_weekly": ("weekly", 0),
    "backups_monthly": ("monthly", 0),
    "backups_replaced_days": ("replaced_days", 1),
}
"""config.toml key -> (Retention field, smallest allowed value)."""


@dataclass(frozen=True)
class BackupEntry:
    """One backup file as `backup --list` shows it: its day, tier, size and review count."""

    path: Path
    day: date
    tier: str
    size: int
    reviews: int | None
    """None when the file cannot be read as a ckaquiz database."""


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


def retention_setting(settings: Settings) -> Retention:
    """The tiers from config.toml: `backups_daily` (or its older name `backups_keep`), `backups_weekly`,
    `backups_monthly` and `backups_replaced_days`; defaults 7, 4, 12 and 90."""
    values: dict[str, int] = {}
    chosen = dict(settings.extra)
    if KEEP_SETTING in chosen and "backups_daily" not in chosen:
        chosen["backups_daily"] = chosen[KEEP_SETTING]
        shown = {"backups_daily": KEEP_SETTING}
    else:
        shown = {}
    for key, (name, smallest) in RETENTION_SETTINGS.items():
        if key not in chosen:
            continue
        value = chosen[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
            raise ConfigError(f"config: {shown.get(key, key)}: expected a whole number >= {smallest}, not {value!r}")
        values[name] = value
    return Retention(**values)


def daily_backup_path(folder: Path, today: date) -> Path:
    """Where the backup of a given day goes: `ckaquiz-YYYY-MM-DD.db`."""
    return folder / f"ckaquiz-{today.isoformat()}.db"


def ensure_daily_backup(database_path: Path, backups_folder: Path, *, today: date, retention: Retention) -> Path | None:
    """Back the database up once a day, before its first write; None when today's copy exists.

    Nothing is copied when there is no database yet. The database must pass `PRAGMA quick_check`
    first: a damaged one raises DamagedDatabaseError (and no backup is rotated away). Other
    failures to copy raise StoreError, with the database untouched.
    """
    target = daily_backup_path(backups_folder, today)
    if target.exists() or not database_path.is_file():
        return None
    made = make_backup(database_path, target, overwrite=True, check_source=True)
    prune_backups(backups_folder, retention=retention, today=today, protect=(made,))
    return made


def backup_now(database_path: Path, backups_folder: Path, *, now: datetime, retention: Retention) -> Path:
    """An on-demand backup named by the local date and time, then the tiers pruned."""
    local = now.astimezone()
    stamp = local.strftime("%Y-%m-%d-%H%M%S")
    target = backups_folder / f"ckaquiz-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = backups_folder / f"ckaquiz-{stamp}-{counter}.db"
    made = make_backup(database_path, target, check_source=True)
    prune_backups(backups_folder, retention=retention, today=local.date(), protect=(made,))
    return made


def make_backup(database_path: Path, destination: Path, *, overwrite: bool = False, check_source: bool = False) -> Path:
    """Copy the database to `destination` with SQLite's backup API, readable by the owner only.

    The copy is a self-contained file (rollback journal, no `-wal` beside it) and passes
    `PRAGMA quick_check` before it is renamed into place; with `check_source` the database is
    checked first too, and damage there raises DamagedDatabaseError. An existing destination is
    kept unless `overwrite` is true.
    """
    if not database_path.is_file():
        raise StoreError(f"{database_path}: there is no database to back up yet")
    if destination.exists() and not overwrite:
        raise StoreError(f"{destination} already exists (use --force to overwrite it)")
    if destination.resolve() == database_path.resolve():
        raise StoreError(f"{destination} is the database itself")
    if check_source:
        refuse_damaged_file(database_path, hint=restore_hint)
    temporary = destination.parent / f"{_TEMPORARY_PREFIX}{os.getpid()}-{time.monotonic_ns()}.tmp"
    try:
        _make_private_folder(destination.parent)
        _create_private_file(temporary)
        try:
            _copy_database(database_path, temporary, check_source=check_source)
            _fsync(temporary)
            os.replace(temporary, destination)
        except BaseException:
            _remove_with_companions(temporary)
            raise
        _fsync_folder(destination.parent)
    except OSError as error:
        raise StoreError(f"cannot write {destination} ({error.strerror or error})") from None
    return destination


def prune_backups(folder: Path, *, retention: Retention, today: date, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Remove the backups no tier keeps (never those in `protect`); returns what was removed."""
    removed: list[Path] = []
    protected = {path.resolve() for path in protect}
    tiers = backup_tiers(list_backups(folder), retention=retention, today=today)
    for path, tier in tiers.items():
        if tier is not None or path.resolve() in protected:
            continue
        for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            _remove(companion)
        removed.append(path)
    return removed


def backup_tiers(backups: list[Path], *, retention: Retention, today: date) -> dict[Path, str | None]:
    """The tier that keeps each backup (`daily`, `weekly`, `monthly`, `replaced`, `damaged`), None if none does.

    As careful backup tools do: the newest backup of each of the last `daily` days that have
    one, then of each of the `weekly` weeks before those, then of each of the `monthly` months
    before those. Copies a restore kept stay `replaced_days` from their date.
    """
    tiers: dict[Path, str | None] = dict.fromkeys(backups)
    regular: list[tuple[date, Path]] = []
    for path in backups:
        day, kept_copy = _backup_day_and_kind(path)
        if kept_copy is not None:
            if today - day <= timedelta(days=retention.replaced_days):
                tiers[path] = kept_copy
            continue
        regular.append((day, path))
    newest_first = sorted(regular, key=lambda item: _sort_key(item[1]), reverse=True)
    rules = (
        ("daily", retention.daily, lambda day: day),
        ("weekly", retention.weekly, lambda day: tuple(day.isocalendar())[:2]),
        ("monthly", retention.monthly, lambda day: (day.year, day.month)),
    )
    for name, count, period_of in rules:
        kept = 0
        last: object = None
        for day, path in newest_first:
            if kept >= count:
                break
            period = period_of(day)
            if period == last:
                continue
            last = period
            if tiers[path] is None:
                tiers[path] = name
                kept += 1
    return tiers


def backup_entries(folder: Path, *, retention: Retention, today: date) -> list[BackupEntry]:
    """Every backup in the folder, oldest first, with its tier, size and review count."""
    backups = list_backups(folder)
    tiers = backup_tiers(backups, retention=retention, today=today)
    entries = []
    for path in backups:
        day, _ = _backup_day_and_kind(path)
        try:
            size = path.stat().st_size
        except OSError:
            continue
        entries.append(
            BackupEntry(path=path, day=day, tier=tiers[path] or "expired", size=size, reviews=_reviews_in(path))
        )
    return entries


def clear_partial_copies(home: Path) -> list[Path]:
    """Remove temporary files a killed backup or a killed first start left (their owner is gone)."""
    removed: list[Path] = []
    cutoff = time.time() - _STALE_TEMPORARY_SECONDS
    for folder in (home, backups_folder(home)):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            match = _TEMPORARY_NAME.match(name) or _SCRATCH_FOLDER_NAME.match(name)
            if match is None:
                continue
            path = folder / name
            try:
                if process_alive(int(match.group(1))) and path.stat().st_mtime >= cutoff:
                    continue  # another process is still writing it
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (ours included): its temporary files are still in use."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _backup_day_and_kind(path: Path) -> tuple[date, str | None]:
    """A backup's date (from its name) and, for a copy a restore kept, `replaced` or `damaged`."""
    match = BACKUP_NAME.match(path.name)
    assert match is not None  # only names list_backups accepted get here
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        day = date.min
    rest = match.group(3)
    for suffix, kind in ((REPLACED_SUFFIX, "replaced"), (DAMAGED_SUFFIX, "damaged")):
        if rest.startswith(suffix):
            return day, kind
    return day, None


def _sort_key(path: Path) -> tuple[str, str, str]:
    match = BACKUP_NAME.match(path.name)
    assert match is not None
    rest = match.group(3)
    number = rest[1:] if rest.startswith("-") and rest[1:].isdigit() else ""
    return match.group(1), match.group(2) or "", number.rjust(6, "0")


def _reviews_in(path: Path) -> int | None:
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        return int(connection.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def check_database_file(path: Path) -> DatabaseCheck:
    """Check a file before restoring it: a SQLite database, intact, a schema this ckaquiz knows,
    with a review log. Raises StoreError naming what is wrong."""
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
        unexpected = schema_difference(connection, version)
        if unexpected is not None:
            raise StoreError(f"{path} is not a ckaquiz database as this version writes it: {unexpected}")
        reviews = int(connection.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.Error as error:
        raise StoreError(f"{path} is damaged ({error})") from None
    finally:
        connection.close()
    return DatabaseCheck(path=path, schema_version=version, reviews=reviews)


def schema_difference(connection: sqlite3.Connection, version: int) -> str | None:
    """What differs between a database's schema objects and those the migrations make for `version`.

    Objects are compared by (type, name, table, SQL with whitespace normalised); SQLite's own
    statistics tables are left out. None when the schema is exactly ours.
    """
    found = _schema_objects(connection)
    expected = schema_objects_for(version)
    extra = sorted(found - expected)
    missing = sorted(expected - found)
    expected_names = {(kind, name) for kind, name, _, _ in expected}
    for kind, name, table, _ in extra:
        if (kind, name) in expected_names:
            return f"its {kind} {name} is not defined as ours"
        return f"an extra {kind} {name} on {table}" if kind in {"trigger", "index"} else f"an extra {kind} {name}"
    for kind, name, _, _ in missing:
        return f"its {kind} {name} is missing"
    return None


def _schema_objects(connection: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {
        (str(kind), str(name), str(table), " ".join(str(sql or "").split()))
        for kind, name, table, sql in rows
        if not str(name).startswith("sqlite_stat")
    }


def restore_backup(
    database_path: Path, backup: Path, backups_folder: Path, *, now: datetime, retention: Retention
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
    write_marker(database_path)
    protect = (backup,) if replaced is None else (backup, replaced)
    prune_backups(backups_folder, retention=retention, today=now.astimezone().date(), protect=protect)
    return RestoreResult(restored=checked, replaced=replaced)


def _copy_database(
    source_path: Path, destination_path: Path, *, into_live: bool = False, check_source: bool = False
) -> None:
    """Copy pages with the backup API; a fresh destination ends up in rollback-journal mode.

    With `check_source`, the source must pass `PRAGMA quick_check` first (DamagedDatabaseError).
    """
    try:
        source = sqlite3.connect(_read_only_uri(source_path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise StoreError(f"{source_path}: cannot open for copying ({error})") from None
    if check_source:
        try:
            _refuse_failed_check(source, source_path)
        except BaseException:
            source.close()
            raise
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


def _refuse_failed_check(connection: sqlite3.Connection, path: Path) -> None:
    """`PRAGMA quick_check` of the live database; damage is a DamagedDatabaseError naming the way back."""
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        result = str(connection.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise StoreError(f"cannot check {path} ({error})") from None
        result = str(error)
    if result != "ok":
        raise DamagedDatabaseError(
            f"{path} is damaged (quick check: {_first_line(result)}); nothing more is written to it;"
            f" {restore_hint(path)}"
        )


def _remove_with_companions(path: Path) -> None:
    for companion in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        _remove(companion)


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
