"""The SQLite store. Every write is one explicit transaction; the review log is append-only.

The connection runs in autocommit mode (`isolation_level=None`) and writes `BEGIN IMMEDIATE`
itself, so a migration or a review is committed whole or not at all, and a second process
waits for the lock (busy timeout) instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import time_ns

from ckaquiz.errors import StoreError
from ckaquiz.model import CardState, Review
from ckaquiz.store import cards, reviews
from ckaquiz.store.backups import BACKUPS_FOLDER_NAME, has_backups, restore_hint
from ckaquiz.store.integrity import refuse_damaged_file, refuse_missing_database, set_aside_stale_wal, write_marker
from ckaquiz.store.migrations import MIGRATIONS, SCHEMA_VERSION
from ckaquiz.store.rows import StoredCard, to_text

BUSY_TIMEOUT_MS = 30_000
APPLICATION_ID = 0x636B7179
"""`PRAGMA application_id` of a database ckaquiz created ("ckqy"); older ones have 0."""


class Store:
    """One SQLite database file (or `:memory:`), migrated to the current schema on open."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.connection = connection
        self.path = path
        self.notices: list[str] = []
        """What opening found and dealt with, for the user to hear (a stale log set aside)."""
        self._opened_as: str | None = None

    @classmethod
    def open(cls, path: Path | str, *, prepared: Preparation | None = None) -> Store:
        """Open (creating if needed) and migrate the database; damage is a StoreError.

        `prepared` is what `prepare_database` returned for this file just before, when the
        caller ran it itself (to back the file up between the checks and the first write).
        """
        location = str(path)
        notices: list[str] = []
        if location != ":memory:":
            notices = (prepared or prepare_database(Path(location))).notices
        try:
            connection = sqlite3.connect(location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"{location}: cannot open the database ({error})") from None
        try:
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            store = cls(connection, location)
            store.refuse_newer_schema()  # before any pragma that would write to the file
            if location != ":memory:":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            store.migrate()
        except sqlite3.DatabaseError as error:
            connection.close()
            if location != ":memory:" and is_damage(error):
                raise StoreError(
                    f"{location} is damaged, cannot open the database ({error}); {_restore_hint(location)}"
                ) from None
            raise StoreError(f"{location}: cannot open the database ({error})") from None
        except StoreError:
            connection.close()
            raise
        store.notices = notices
        if location != ":memory:":
            write_marker(Path(location))
            store._opened_as = _register_open(Path(location))
        return store

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
        if self._opened_as is not None:
            _OPEN_HERE[self._opened_as] -= 1
            if _OPEN_HERE[self._opened_as] <= 0:
                del _OPEN_HERE[self._opened_as]
            self._opened_as = None

    @property
    def version(self) -> int:
        """The schema version recorded in the file."""
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def refuse_newer_schema(self) -> None:
        """A database from a newer ckaquiz is left exactly as it is."""
        current = self.version
        if current > SCHEMA_VERSION:
            advice = "upgrade ckaquiz"
            if self.path != ":memory:" and "restore" in (hint := _restore_hint(self.path)):
                advice += f", or {hint}"
            raise StoreError(
                f"{self.path} was written by a newer ckaquiz (schema {current}, this one knows {SCHEMA_VERSION});"
                f" {advice}"
            )

    def migrate(self) -> None:
        """Apply each missing migration in its own transaction."""
        self.refuse_newer_schema()
        current = self.version
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            with self.transaction():
                if self.version >= version:
                    continue  # another process migrated while we waited for the lock
                for statement in _statements(migration.sql):
                    self.connection.execute(statement)
                if version > 1 or self._has_table("migrations"):
                    self.connection.execute(
                        "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        (version, migration.name, to_text(datetime.now(UTC))),
                    )
                self.connection.execute(f"PRAGMA user_version = {version}")

    def _has_table(self, name: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone()
        return row is not None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    # the three queries called from everywhere, kept on the handle ----------------------------

    def card(self, card_id: str) -> StoredCard | None:
        """One card by id, active or retired (`ckaquiz.store.cards.card`)."""
        return cards.card(self, card_id)

    def cards(
        self,
        *,
        decks: Iterable[str] = (),
        states: Iterable[CardState] = (),
        due_before: datetime | None = None,
        include_retired: bool = False,
        order: str = "number",
    ) -> list[StoredCard]:
        """Cards narrowed in SQL by deck, state and due time (`ckaquiz.store.cards.select_cards`)."""
        return cards.select_cards(
            self, decks=decks, states=states, due_before=due_before, include_retired=include_retired, order=order
        )

    def reviews(
        self,
        *,
        card_id: str | None = None,
        session_id: str | None = None,
        since: datetime | None = None,
        include_undone: bool = False,
    ) -> list[Review]:
        """Reviews in time order, narrowed by card, session or start time (`ckaquiz.store.reviews.review_log`)."""
        return reviews.review_log(
            self, card_id=card_id, session_id=session_id, since=since, include_undone=include_undone
        )


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def is_damage(error: sqlite3.Error) -> bool:
    """Whether SQLite reports a damaged file (not a database, malformed), not a lock or a permission."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(error)


def refuse_truncated_file(path: Path) -> None:
    """A database file that is empty, not SQLite, or cut short is damaged: refuse it before SQLite
    reads it (as a new database, or with zeros in place of the missing pages)."""
    refuse_damaged_file(path, hint=_hint_for)


_OPEN_HERE: dict[str, int] = {}
"""Database files this process holds open, by resolved path, with how many stores hold each."""


def _register_open(file: Path) -> str:
    key = str(file.resolve())
    _OPEN_HERE[key] = _OPEN_HERE.get(key, 0) + 1
    return key


@dataclass(frozen=True)
class Preparation:
    """What `prepare_database` did: whether it created the file, and notices for the user."""

    created: bool
    notices: list[str]


def prepare_database(file: Path) -> Preparation:
    """Make sure SQLite is handed a database file that is ours to open; StoreError otherwise.

    A missing file is created (whole, never empty on disk) only when nothing says a database
    was here before; an existing one must pass the cheap checks, and a write-ahead log that
    does not belong to it is moved into backups/ before SQLite could replay it.
    """
    if not file.exists():
        try:
            refuse_missing_database(
                file, earlier_backups=has_backups(file.parent / BACKUPS_FOLDER_NAME), hint=_hint_for
            )
        except StoreError:
            if not file.exists():
                raise
            # another process made the database (and its marker) between the two looks: open theirs
        else:
            _create_database(file)
            return Preparation(created=True, notices=[])
    if file.is_dir():
        raise StoreError(f"{file} is a folder, not a database")
    refuse_damaged_file(file, hint=_hint_for)
    stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d-%H%M%S")
    aside = file.parent / BACKUPS_FOLDER_NAME / f"ckaquiz-{stamp}-stale.db-wal"
    moved = set_aside_stale_wal(file, aside=aside, open_here=str(file.resolve()) in _OPEN_HERE)
    if moved is None:
        return Preparation(created=False, notices=[])
    refuse_damaged_file(file, hint=_hint_for)  # the sizes can be judged now that no log shadows them
    notice = f"{file}-wal did not belong to the database and was not applied; it is kept as {moved}"
    return Preparation(created=False, notices=[notice])


def _create_database(file: Path) -> None:
    """Create an empty SQLite database as a whole file: written aside, then linked into place."""
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = file.parent / f".ckaquiz-new-{os.getpid()}-{time_ns()}.db"
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
        os.chmod(temporary, 0o600)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # writes the header page
        finally:
            connection.close()
        with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
            os.link(temporary, file)
    except OSError as error:
        raise StoreError(f"{file}: cannot create the database ({error.strerror or error})") from None
    except sqlite3.Error as error:
        raise StoreError(f"{file}: cannot create the database ({error})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    write_marker(file)


def _hint_for(path: Path) -> str:
    return _restore_hint(str(path))


def _restore_hint(location: str) -> str:
    return restore_hint(Path(location))
