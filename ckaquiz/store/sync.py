"""Bringing the stored cards of a source in line with its files as they were just read.

A scan's cards are matched to the stored ones by `ckaquiz.decks.identity.match` (so that edits,
moves and renames keep each card's history), and the plan is applied here in one transaction:
new cards inserted, continued ones updated, the rest of the re-read files' cards retired.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ckaquiz.decks.identity import KnownCard, match
from ckaquiz.model import Card
from ckaquiz.store.reviews import set_schedule_in_transaction
from ckaquiz.store.rows import (
    CONTENT_COLUMNS,
    NEW_SCHEDULE_VALUES,
    PLACE_COLUMNS,
    chunks,
    content_values_and_hash,
    schedule_values,
    to_text,
)
from ckaquiz.store.seed import seeded_schedule

if TYPE_CHECKING:
    from ckaquiz.store.database import Store


@dataclass
class FileScan:
    """One re-read file: its cards, size and mtime, and the problems met reading it."""

    path: str
    cards: list[Card]
    size: int
    mtime_ns: int
    problems: list[str]
    kept: bool = False
    """The file could not be read: its stored cards stay as they are, only its problems are recorded."""


@dataclass
class PreparedFile:
    """A re-read file whose cards are already rows of the `cards` table (see `prepare_file`).

    Building a row (fingerprint, JSON) is most of the cost of storing a card and needs no
    database, so a worker process that parsed the file can do it too.
    """

    path: str
    size: int
    mtime_ns: int
    problems: list[str]
    rows: list[tuple[Any, ...]]


def prepare_file(path: str, cards: Iterable[Card], *, size: int, mtime_ns: int, problems: list[str]) -> PreparedFile:
    """A file's cards as new `cards` rows: content, place, fingerprint and schedule (seeded or new)."""
    rows = []
    json_seen: dict[Any, Any] = {}
    for card in cards:
        values, fingerprint = content_values_and_hash(card, json_seen)
        seeded = seeded_schedule(card)
        schedule = NEW_SCHEDULE_VALUES if seeded is None else schedule_values(seeded)
        rows.append((*values, path, card.source.line, fingerprint, *schedule))
    return PreparedFile(path=path, size=size, mtime_ns=mtime_ns, problems=problems, rows=rows)


@dataclass
class SyncCounts:
    """What a scan changed: cards new, changed, unchanged and retired."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0
    revived: int = 0

    def add(self, other: SyncCounts) -> None:
        """Add another file's counts to these."""
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.retired += other.retired
        self.revived += other.revived


def sync_file(
    store: Store,
    source_id: int,
    path: str,
    cards: Iterable[Card],
    *,
    size: int,
    mtime_ns: int,
    problems: Iterable[str],
    now: datetime,
) -> SyncCounts:
    """Make the store's cards of one file equal to `cards`, keeping every card's history."""
    scan = FileScan(path=path, cards=list(cards), size=size, mtime_ns=mtime_ns, problems=list(problems))
    return sync_source(store, source_id, [scan], removed=(), now=now)


def forget_file(store: Store, source_id: int, path: str, *, now: datetime) -> int:
    """A file that disappeared: retire its cards (history kept) and forget its scan record."""
    return sync_source(store, source_id, [], removed=[path], now=now).retired


def sync_source(
    store: Store, source_id: int, scans: Sequence[FileScan], *, removed: Iterable[str], now: datetime
) -> SyncCounts:
    """Bring a source's cards in line with re-read and removed files, in one transaction.

    The stored cards the scan may continue are read, `ckaquiz.decks.identity.match` decides which
    stored card each card read continues, and the plan is written: new cards inserted, continued
    ones updated (revived when retired), and the re-read files' cards left unmatched retired.
    """
    counts = SyncCounts()
    stamp = to_text(now)
    removed_paths = set(removed)
    touched = {scan.path for scan in scans if not scan.kept} | removed_paths
    with store.transaction() as connection:
        candidates: dict[str, KnownCard] = {}
        if touched:
            for chunk in chunks(sorted(touched)):
                rows = connection.execute(
                    f"{_KNOWN} WHERE source_id = ? AND source_path IN ({', '.join('?' * len(chunk))})",
                    (source_id, *chunk),
                )
                candidates.update({row["id"]: _known(row) for row in rows})
        for row in connection.execute(f"{_KNOWN} WHERE source_id = ? AND active = 0", (source_id,)):
            candidates.setdefault(row["id"], _known(row))
        unknown = sorted({card.id for scan in scans for card in scan.cards} - candidates.keys())
        elsewhere: dict[str, KnownCard] = {}
        for chunk in chunks(unknown):
            rows = connection.execute(f"{_KNOWN} WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
            elsewhere.update({row["id"]: _known(row) for row in rows})
        held = {  # live in a file of this source the scan did not read: they stay there
            card_id
            for card_id, known in elsewhere.items()
            if known.active and known.source_id == source_id and known.path not in touched
        }
        plan = match([(scan.path, scan.cards) for scan in scans], candidates, elsewhere, held)
        problems_of = {scan.path: scan.problems for scan in scans}
        for path, message in plan.skipped:
            problems_of[path].append(message)
        claimed = plan.claimed
        for continued in plan.continued:
            path, card, known = continued.path, continued.card, continued.stored
            values, fingerprint = content_values_and_hash(card)
            if known is None:
                connection.execute(_INSERT, (*values, path, card.source.line, fingerprint, source_id, stamp, stamp))
                seeded = seeded_schedule(card)
                if seeded is not None:
                    number = connection.execute("SELECT number FROM cards WHERE id = ?", (card.id,)).fetchone()[0]
                    set_schedule_in_transaction(store, connection, int(number), seeded)
                counts.new += 1
                continue
            same_place = known.source_id == source_id and known.path == path
            if known.content_hash == fingerprint and known.active and same_place and known.line == card.source.line:
                counts.unchanged += 1
                continue
            connection.execute(_UPDATE, (*values[1:], path, card.source.line, fingerprint, source_id, stamp, card.id))
            if not known.active:
                counts.revived += 1
            elif known.content_hash != fingerprint:
                counts.changed += 1
            else:
                counts.unchanged += 1
        for card_id, known in candidates.items():
            if card_id not in claimed and known.active and known.path in touched:
                connection.execute("UPDATE cards SET active = 0, retired_at = ? WHERE id = ?", (stamp, card_id))
                counts.retired += 1
        for scan in scans:
            connection.execute(
                "INSERT INTO files (source_id, path, size, mtime_ns, scanned_at, problems)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, path)"
                " DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns,"
                " scanned_at=excluded.scanned_at, problems=excluded.problems",
                (
                    source_id,
                    scan.path,
                    scan.size,
                    scan.mtime_ns,
                    stamp,
                    json.dumps(scan.problems, ensure_ascii=False),
                ),
            )
        for path in removed_paths:
            connection.execute("DELETE FROM files WHERE source_id = ? AND path = ?", (source_id, path))
    return counts


_INSERT = (
    f"INSERT INTO cards ({', '.join((*CONTENT_COLUMNS, *PLACE_COLUMNS))}, source_id, created_at, updated_at)"
    f" VALUES ({', '.join('?' * (len(CONTENT_COLUMNS) + len(PLACE_COLUMNS) + 3))})"
)
_UPDATE = (
    f"UPDATE cards SET {', '.join(f'{name}=?' for name in (*CONTENT_COLUMNS[1:], *PLACE_COLUMNS))},"
    " source_id=?, active=1, retired_at=NULL, updated_at=? WHERE id=?"
)
"""A card's row written new, or continued (its id kept): the content and place columns, in `rows`' order."""
_KNOWN = (
    "SELECT id, kind, prompt, answer, content_hash, active, source_id, source_path, source_line FROM cards"
)


def _known(row: sqlite3.Row) -> KnownCard:
    return KnownCard(
        id=row["id"],
        kind=row["kind"],
        prompt=row["prompt"],
        answer=row["answer"],
        path=row["source_path"],
        active=bool(row["active"]),
        source_id=row["source_id"],
        line=row["source_line"],
        content_hash=row["content_hash"],
    )
