"""A learner's library: the data folder with its settings, store and clock, opened once per command.

Every use case takes a Library: the session engine, stats, listings, exports. Reading deck sources
into the store is `ckaquiz.importing`'s work, which `Collection` adds for the commands that rescan.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ckaquiz.backup import backups_folder, clear_partial_copies, ensure_daily_backup, retention_setting
from ckaquiz.clock import Clock, clock_from_environment, study_day_start
from ckaquiz.config import DATABASE_NAME, Settings, home_folder, load_settings
from ckaquiz.errors import StoreError
from ckaquiz.store import DamagedDatabaseError, Store, prepare_database

if TYPE_CHECKING:
    import fsrs


@dataclass
class Library:
    """Everything a command needs, built once from the environment."""

    home: Path
    settings: Settings
    store: Store
    clock: Clock
    _scheduler: fsrs.Scheduler | None = None
    notices: list[str] = field(default_factory=list)
    """Warnings from opening (a backup that failed, a stale log set aside), for the user to see."""

    @classmethod
    def open(cls, home: Path | None = None, *, clock: Clock | None = None) -> Self:
        """Open the library in `home` (default: `CKAQUIZ_HOME` or the user data folder).

        The database is checked before anything touches it, backed up once a day before its
        first write, and refused (StoreError naming the restore command) when damaged. A backup
        that could not be made is not fatal: it is one of the library's `notices`.
        """
        folder = open_data_folder(home or home_folder())
        settings = load_settings(folder)
        retention = retention_setting(settings)
        clock = clock or clock_from_environment()
        clear_partial_copies(folder)
        database = folder / DATABASE_NAME
        prepared = prepare_database(database)
        notices = list(prepared.notices)
        if not prepared.created:
            today = clock().astimezone().date()
            try:
                ensure_daily_backup(database, backups_folder(folder), today=today, retention=retention)
            except DamagedDatabaseError:
                raise
            except StoreError as error:
                notices.append(f"no backup was made today: {error}")
        store = Store.open(database, prepared=prepared)
        return cls(home=folder, settings=settings, store=store, clock=clock, notices=notices)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def now(self) -> datetime:
        """The current moment from the library's clock."""
        return self.clock()

    def study_day_start(self) -> datetime:
        """When today's study day began (04:00 local by default)."""
        return study_day_start(self.now(), day_starts_at_hour=self.settings.day_starts_at)

    @property
    def scheduler(self) -> fsrs.Scheduler:
        """The FSRS scheduler, built on first use (fsrs is slow to import)."""
        if self._scheduler is None:
            from ckaquiz.scheduling import make_scheduler

            self._scheduler = make_scheduler(self.settings)
        return self._scheduler


def open_data_folder(folder: Path) -> Path:
    """The data folder, created private (0700) when missing; one clear StoreError when unusable.

    A path that is a file (or a device such as /dev/null), that cannot be created, or that is
    not writable is refused rather than failing later, half-way through a write.
    """
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"data folder {folder} (CKAQUIZ_HOME) is not a folder; point CKAQUIZ_HOME at a folder")
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        except FileExistsError:
            pass
        except OSError as error:
            raise StoreError(f"cannot create the data folder {folder} ({error.strerror or error})") from None
    if not _writable(folder):
        raise StoreError(f"data folder {folder} is not writable; fix its permissions or set CKAQUIZ_HOME")
    return folder


def _writable(folder: Path) -> bool:
    """Whether a file can be made in the folder (tried, as permissions alone do not tell for root)."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=".ckaquiz-probe-", dir=folder)
    except OSError:
        return False
    os.close(descriptor)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return True
