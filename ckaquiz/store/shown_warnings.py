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
from ckaquiz.store.rows import chunks

_NAMED_FILE = re.compile(r"(?P<path>.+?):\d+: ")

NO_FILE = (-1, -1)
"""The size and mtime of a file that is not there: its problems are shown once, until it appears."""


def _file_states(store: Store, paths: list[str]) -> dict[str, tuple[int, int, int]]:
    """(source id, size, mtime_ns) of each file problems name: as last scanned (by the source of the
    lowest id that has it), else as it is on disk. Read in a few queries: a vault's first scan can
    name a thousand files."""
    states: dict[str, tuple[int, int, int]] = {}
    for part in chunks(paths):
        marks = ", ".join("?" * len(part))
        for source_id, path, size, mtime_ns in store.connection.execute(
            f"SELECT source_id, path, size, mtime_ns FROM files WHERE path IN ({marks}) ORDER BY source_id", part
        ):
            states.setdefault(str(path), (int(source_id), int(size), int(mtime_ns)))
    for path in paths:
        if path not in states:
            try:
                status = os.stat(path)
            except (OSError, ValueError):
                states[path] = (0, *NO_FILE)
            else:
                states[path] = (0, status.st_size, status.st_mtime_ns)
    return states


def _shown_states(store: Store, paths: list[str]) -> dict[tuple[int, str], tuple[int, int]]:
    """(size, mtime_ns) of each of these files when its problems were last shown, by (source id, path)."""
    shown: dict[tuple[int, str], tuple[int, int]] = {}
    for part in chunks(paths):
        marks = ", ".join("?" * len(part))
        for source_id, path, size, mtime_ns in store.connection.execute(
            f"SELECT source_id, path, size, mtime_ns FROM shown_warnings WHERE path IN ({marks})", part
        ):
            shown[(int(source_id), str(path))] = (int(size), int(mtime_ns))
    return shown


def unshown(store: Store, problems: list[str]) -> list[str]:
    """The problems whose file changed since its problems were last shown (or never were); those files
    are recorded as shown. A problem naming no file is always returned."""
    if not problems:
        return []
    named = [_NAMED_FILE.match(problem) for problem in problems]
    paths = list(dict.fromkeys(match["path"] for match in named if match is not None))
    on_file = _file_states(store, paths)
    shown = _shown_states(store, paths)
    states: dict[str, tuple[int, int, int] | None] = {}
    for path in paths:
        source_id, size, mtime_ns = on_file[path]
        unchanged = shown.get((source_id, path)) == (size, mtime_ns)
        states[path] = None if unchanged else (source_id, size, mtime_ns)
    kept = [problem for problem, match in zip(problems, named, strict=True) if match is None or states[match["path"]]]
    changed = [(path, state) for path, state in states.items() if state is not None]
    if changed:
        with store.transaction() as connection:
            connection.executemany(
                "INSERT INTO shown_warnings (source_id, path, size, mtime_ns) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns",
                [(source_id, path, size, mtime_ns) for path, (source_id, size, mtime_ns) in changed],
            )
    return kept
