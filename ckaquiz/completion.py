"""Deck names and tags for shell completion, read from the database without writing anything.

The database is opened read-only and immutable: no lock and no -shm/-wal files are made beside
it, and a completion may read a moment-old state, which is all it needs. No database yet, or
one that cannot be read, completes nothing. The store itself is not loaded: a completion runs
a whole process for each key press.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def _rows(database: Path, query: str) -> list[str]:
    """The first column of a read-only query, as text; nothing when the database cannot be read."""
    if not database.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro&immutable=1", uri=True, timeout=0.2)
        try:
            return [str(row[0]) for row in connection.execute(query)]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def deck_names(database: Path, start: str) -> list[str]:
    """Names of the decks with active cards that begin with `start`, sorted."""
    names = _rows(database, "SELECT DISTINCT deck FROM cards WHERE active = 1 ORDER BY deck")
    return [name for name in names if name.startswith(start)]


def tag_names(database: Path, start: str) -> list[str]:
    """Tags of active cards, and the parents of nested tags (`cka` for `cka/storage`), that begin with `start`."""
    tags: set[str] = set()
    for encoded in _rows(database, "SELECT DISTINCT tags FROM cards WHERE active = 1"):
        try:
            for tag in json.loads(encoded):
                parts = str(tag).split("/")
                tags.update("/".join(parts[: index + 1]) for index in range(len(parts)))
        except (ValueError, TypeError):
            continue
    return sorted(tag for tag in tags if tag.startswith(start))
