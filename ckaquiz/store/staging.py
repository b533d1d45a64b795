"""Staging a first import: worker processes write card rows into scratch databases; SQLite copies them.

Handing 100,000 parsed cards back to the importing process as Python objects cost more than
parsing them: every string was pickled, unpickled and bound into an INSERT again, all in one
process while the workers waited for it. Instead each worker writes the rows of its share of
the files (`PreparedFile`, see `prepare_file`) into a scratch SQLite file of its own, and the
importing process attaches each finished file inside its one import transaction and copies it
with `INSERT ... SELECT`, which moves rows inside SQLite without a Python object per value.
Scratch files are written without a journal or syncs: they are thrown away whatever happens.
A first import read in the importing process itself (a few files, one core) stages the same way.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ckaquiz.store.database import Store
from ckaquiz.store.rows import CONTENT_COLUMNS, PLACE_COLUMNS, SCHEDULE_COLUMNS, to_text
from ckaquiz.store.sources import is_fresh_source
from ckaquiz.store.sync import PreparedFile, SyncCounts

MAXIMUM_CHUNKS = 10
"""Scratch files attached to one transaction at most (SQLite attaches at most 10 databases)."""
_ROW_COLUMNS = ", ".join((*CONTENT_COLUMNS, *PLACE_COLUMNS, *SCHEDULE_COLUMNS))
"""The columns of a `PreparedFile` row, in order."""
"""The columns of a prepared row, in its order."""


@dataclass(frozen=True)
class StagedChunk:
    """A scratch database holding the rows of consecutive files: where it is and how many cards it holds."""

    path: str
    cards: int


def write_chunk(path: Path, prepared: Iterable[PreparedFile]) -> StagedChunk:
    """Write prepared files' rows (in their order) into a new scratch database at `path`."""
    connection = sqlite3.connect(path, isolation_level=None)
    cards = 0
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA page_size = 65536")  # rows are only appended: fewer, bigger pages
        connection.execute(f"CREATE TABLE cards ({_ROW_COLUMNS})")
        connection.execute("CREATE TABLE files (path, size, mtime_ns, problems)")
        connection.execute("BEGIN")
        placeholders = ", ".join("?" * (_ROW_COLUMNS.count(",") + 1))
        for item in prepared:
            connection.executemany(f"INSERT INTO cards VALUES ({placeholders})", item.rows)
            connection.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?)",
                (item.path, item.size, item.mtime_ns, json.dumps(item.problems, ensure_ascii=False)),
            )
            cards += len(item.rows)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return StagedChunk(path=str(path), cards=cards)


def add_staged_files(
    store: Store, source_id: int, chunks: Iterable[StagedChunk], *, now: datetime
) -> SyncCounts | None:
    """Store the files of a source that has no cards and no scanned files yet, from rows staged in
    scratch databases, copied in the order given (cards are numbered in file order).

    What `ckaquiz.store.sync.sync_source` does for such a source, without its per-card matching, in one
    transaction. Returns None, having written nothing, when the source is not fresh after all
    or a card id is taken (by another source, or twice among these files): `sync_source` then
    decides. Each chunk is copied as soon as it arrives, while the workers go on with the next.
    """
    counts = SyncCounts()
    stamp = to_text(now)
    attached: list[str] = []
    connection = store.connection
    try:
        with store.transaction():
            if not is_fresh_source(store, source_id):  # checked under the write lock
                return None
            for chunk in chunks:
                name = f"staged{len(attached)}"
                connection.execute("ATTACH DATABASE ? AS " + name, (chunk.path,))
                attached.append(name)
                connection.execute(
                    f"INSERT INTO cards ({_ROW_COLUMNS}, source_id, created_at, updated_at)"
                    f" SELECT {_ROW_COLUMNS}, ?, ?, ? FROM {name}.cards ORDER BY rowid",
                    (source_id, stamp, stamp),
                )
                connection.execute(
                    "INSERT INTO files (source_id, path, size, mtime_ns, scanned_at, problems)"
                    f" SELECT ?, path, size, mtime_ns, ?, problems FROM {name}.files ORDER BY rowid",
                    (source_id, stamp),
                )
                counts.new += chunk.cards
    except sqlite3.IntegrityError:
        return None
    finally:
        for name in attached:  # a database attached in a transaction can only leave after it
            connection.execute(f"DETACH DATABASE {name}")

    return counts


SCRATCH_PREFIX = ".ckaquiz-import-"


@contextmanager
def scratch_folder(store: Store) -> Iterator[Path]:
    """A new folder for scratch databases beside the store's file (the disk it grows on), removed after.

    Its name holds the importing process's id, so that the folder of an import killed outright
    is found and removed by the next one.
    """
    parent = Path(tempfile.gettempdir()) if store.path == ":memory:" else Path(store.path).parent
    remove_abandoned_scratch(parent)
    while (folder := parent / f"{SCRATCH_PREFIX}{os.getpid()}-{secrets.token_hex(4)}").exists():
        continue  # only this process makes names with its id: a free one stays free
    try:
        folder.mkdir(mode=0o700)  # named before it is made: Ctrl-C at any moment after leaves nothing behind
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned_scratch(parent: Path) -> None:
    """Remove the scratch folders in `parent` whose importing process no longer runs."""
    for folder in parent.glob(f"{SCRATCH_PREFIX}*"):
        pid_text = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # another user's process, alive
