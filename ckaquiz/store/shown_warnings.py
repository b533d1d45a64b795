"""Shown warnings: a file's problems are printed once per change of the file, not by every command.

The table is made by migration 0005: per file, its size and mtime when its problems were last
printed. A problem names its file first (`file:line: message`); the file's size and mtime are the
ones its last scan recorded (`files`), else the file's own (a settings file, a file not read).
`ckaquiz check` and `ckaquiz import` print every problem; the other commands print only those
of files changed since their problems were last shown.
"""

from __future__ import annotations

import os
import re

from ckaquiz.store.database import Store

_NAMED_FILE = re.compile(r"(?P<path>.+?):\d+: ")

NO_FILE = (-1, -1)
"""The size and mtime of a file that is not there: its problems are shown once, until it appears."""


def _file_state(store: Store, sources: list[int], path: str) -> tuple[int, int, int]:
    """(source id, size, mtime_ns) of the file a problem names: as last scanned, else as it is on disk."""
    for source_id in sources:
        row = store.connection.execute(
            "SELECT size, mtime_ns FROM files WHERE source_id = ? AND path = ?", (source_id, path)
        ).fetchone()
        if row is not None:
            return source_id, int(row[0]), int(row[1])
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return (0, *NO_FILE)
    return 0, status.st_size, status.st_mtime_ns


def unshown(store: Store, problems: list[str]) -> list[str]:
    """The problems whose file changed since its problems were last shown (or never were); those files
    are recorded as shown. A problem naming no file is always returned."""
    if not problems:
        return []
    sources = [int(row[0]) for row in store.connection.execute("SELECT id FROM sources ORDER BY id")]
    states: dict[str, tuple[int, int, int] | None] = {}
    kept: list[str] = []
    for problem in problems:
        named = _NAMED_FILE.match(problem)
        if named is None:
            kept.append(problem)
            continue
        path = named["path"]
        if path not in states:
            source_id, size, mtime_ns = _file_state(store, sources, path)
            shown = store.connection.execute(
                "SELECT size, mtime_ns FROM shown_warnings WHERE source_id = ? AND path = ?", (source_id, path)
            ).fetchone()
            unchanged = shown is not None and tuple(shown) == (size, mtime_ns)
            states[path] = None if unchanged else (source_id, size, mtime_ns)
        if states[path] is not None:
            kept.append(problem)
    changed = [(path, state) for path, state in states.items() if state is not None]
    if changed:
        with store.transaction() as connection:
            connection.executemany(
                "INSERT INTO shown_warnings (source_id, path, size, mtime_ns) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns",
                [(source_id, path, size, mtime_ns) for path, (source_id, size, mtime_ns) in changed],
            )
    return kept
