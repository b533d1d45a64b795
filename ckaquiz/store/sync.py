"""Bringing the stored cards of a source in line with its files as they were just read.

A scan's cards are matched to the stored ones by `ckaquiz.decks.identity.match` (so that edits,
moves and renames keep each card's history), and the plan is applied here in one transaction:
new cards inserted, continued ones updated, the rest of the re-read files' cards retired.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ckaquiz.model import Card, CardKind
from ckaquiz.store.reviews import set_schedule_in_transaction
from ckaquiz.store.rows import NEW_SCHEDULE_VALUES, chunks, content_values_and_hash, schedule_values, to_text
from ckaquiz.store.seed import seeded_schedule
from ckaquiz.text import fold_spaces as _normalised

if TYPE_CHECKING:
    from ckaquiz.store.database import Store


SIMILARITY = 80.0
"""rapidfuzz ratio (0-100) from which an edited card in the same note counts as the same card."""


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

    Each scanned card is matched to a stored card in this order, so that edits, moves and
    renames keep history: (1) the same id; (2) identical content anywhere among the
    source's cards that this scan no longer accounts for (moved between notes, note
    renamed); (3) the same note with similar content (rapidfuzz ratio >= SIMILARITY);
    otherwise it is new. Stored cards of these files left unmatched are retired.
    """
    from rapidfuzz import fuzz

    counts = SyncCounts()
    stamp = to_text(now)
    removed_paths = set(removed)
    touched = {scan.path for scan in scans if not scan.kept} | removed_paths
    with store.transaction() as connection:
        candidates: dict[str, sqlite3.Row] = {}
        if touched:
            for chunk in chunks(sorted(touched)):
                rows = connection.execute(
                    f"SELECT id, kind, prompt, answer, content_hash, active, source_id, source_path, source_line"
                    f" FROM cards WHERE source_id = ? AND source_path IN ({', '.join('?' * len(chunk))})",
                    (source_id, *chunk),
                )
                candidates.update({row["id"]: row for row in rows})
        for row in connection.execute(
            "SELECT id, kind, prompt, answer, content_hash, active, source_id, source_path, source_line"
            " FROM cards WHERE source_id = ? AND active = 0",
            (source_id,),
        ):
            candidates.setdefault(row["id"], row)
        claimed: set[str] = set()
        pending: list[tuple[FileScan, Card]] = []
        matched: list[tuple[FileScan, Card, sqlite3.Row | None]] = []
        first_with_id: dict[str, tuple[FileScan, Card]] = {}
        for scan in scans:
            for card in scan.cards:
                first = first_with_id.setdefault(card.id, (scan, card))
                if first[1] is not card:  # one id given twice (a block id in two notes): the first keeps it
                    if first[0] is not scan:  # the parser has already reported a repeat within one file
                        scan.problems.append(
                            f"{scan.path}:{card.source.line}: duplicate id {card.id!r} (first at"
                            f" {first[0].path}:{first[1].source.line}); this card is skipped"
                        )
                    continue
                row = candidates.get(card.id)
                if row is None:
                    row = connection.execute(
                        "SELECT id, kind, prompt, answer, content_hash, active, source_id, source_path, source_line"
                        " FROM cards WHERE id = ?",
                        (card.id,),
                    ).fetchone()
                if row is not None and card.id not in claimed:
                    claimed.add(card.id)
                    matched.append((scan, card, row))
                elif card.id not in claimed:
                    pending.append((scan, card))
        by_content: dict[str, list[str]] = {}
        for card_id, row in candidates.items():
            if card_id not in claimed:
                by_content.setdefault(_content_key(row["kind"], row["prompt"], row["answer"]), []).append(card_id)
        still_pending: list[tuple[FileScan, Card]] = []
        for scan, card in pending:
            ids = [
                card_id
                for card_id in by_content.get(_content_key(card.kind.value, card.prompt, card.answer), [])
                if card_id not in claimed
            ]
            if ids:
                same_path = [card_id for card_id in ids if candidates[card_id]["source_path"] == scan.path]
                chosen = (same_path or ids)[0]
                claimed.add(chosen)
                matched.append((scan, replace(card, id=chosen), candidates[chosen]))
            else:
                still_pending.append((scan, card))
        for scan, card in still_pending:
            best: tuple[float, str] | None = None
            text = _similarity_text(card.kind.value, card.prompt, card.answer)
            for card_id, row in candidates.items():
                if card_id in claimed or row["source_path"] != scan.path or row["kind"] != card.kind.value:
                    continue
                score = fuzz.ratio(text, _similarity_text(row["kind"], row["prompt"], row["answer"]))
                if score >= SIMILARITY and (best is None or score > best[0]):
                    best = (score, card_id)
            if best is not None:
                claimed.add(best[1])
                matched.append((scan, replace(card, id=best[1]), candidates[best[1]]))
            else:
                matched.append((scan, card, None))
        for scan, card, row in matched:
            values, fingerprint = content_values_and_hash(card)
            if row is None:
                connection.execute(
                    "INSERT INTO cards (id, deck, kind, prompt, answer, tags, key_points, sibling_key, explanation,"
                    " reference, fields, source_id, source_path, source_line, content_hash, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, source_id, scan.path, card.source.line, fingerprint, stamp, stamp),
                )
                seeded = seeded_schedule(card)
                if seeded is not None:
                    number = connection.execute("SELECT number FROM cards WHERE id = ?", (card.id,)).fetchone()[0]
                    set_schedule_in_transaction(store, connection, int(number), seeded)
                counts.new += 1
                continue
            same_place = row["source_id"] == source_id and row["source_path"] == scan.path
            if (
                row["content_hash"] == fingerprint
                and row["active"]
                and same_place
                and row["source_line"] == card.source.line
            ):
                counts.unchanged += 1
                continue
            connection.execute(
                "UPDATE cards SET deck=?, kind=?, prompt=?, answer=?, tags=?, key_points=?, sibling_key=?,"
                " explanation=?, reference=?, fields=?, source_id=?, source_path=?, source_line=?,"
                " content_hash=?, active=1, retired_at=NULL, updated_at=? WHERE id=?",
                (*values[1:], source_id, scan.path, card.source.line, fingerprint, stamp, card.id),
            )
            if not row["active"]:
                counts.revived += 1
            elif row["content_hash"] != fingerprint:
                counts.changed += 1
            else:
                counts.unchanged += 1
        for card_id, row in candidates.items():
            if card_id not in claimed and row["active"] and row["source_path"] in touched:
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


def _content_key(kind: str, prompt: str, answer: str) -> str:
    """What "the same content" means: a recall section's body, or a card's question and answer."""
    if kind == CardKind.RECALL.value:
        return f"{kind}\n{_normalised(answer)}"
    return f"{kind}\n{_normalised(prompt)}\n{_normalised(answer)}"


def _similarity_text(kind: str, prompt: str, answer: str) -> str:
    return _normalised(answer) if kind == CardKind.RECALL.value else f"{_normalised(prompt)} {_normalised(answer)}"
