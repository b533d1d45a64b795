"""The SQLite store. Every write is one explicit transaction; the review log is append-only.

The connection runs in autocommit mode (`isolation_level=None`) and writes `BEGIN IMMEDIATE`
itself, so a migration or a review is committed whole or not at all, and a second process
waits for the lock (busy timeout) instead of failing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from json.encoder import encode_basestring as _json_string  # json's C string encoder when it has one
from pathlib import Path
from time import time_ns
from typing import Any, NamedTuple

from ckaquiz.errors import StoreError
from ckaquiz.model import Card, CardKind, CardState, Rating, Review, Schedule, SourceLocation
from ckaquiz.store.integrity import refuse_damaged_file, refuse_missing_database, set_aside_stale_wal, write_marker
from ckaquiz.store.migrations import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 30_000
APPLICATION_ID = 0x636B7179
"""`PRAGMA application_id` of a database ckaquiz created ("ckqy"); older ones have 0."""
_CARD_COLUMNS = (
    "number, id, deck, kind, prompt, answer, tags, key_points, sibling_key, explanation, reference, fields, "
    "source_path, source_line, active, state, step, stability, difficulty, due, last_review, reps, lapses"
)
_NOT_SUSPENDED_OR_BURIED = (
    "number NOT IN (SELECT card_number FROM card_marks WHERE suspended_at IS NOT NULL OR buried_until > ?)"
)
"""The cards a queue may show at a moment (the one parameter): neither suspended nor buried then."""
CARD_COLUMNS = tuple(name.strip() for name in _CARD_COLUMNS.split(","))
"""The columns of a card row (`stored_card`, `Store.iter_card_rows`), in their order."""


def to_text(moment: datetime | None) -> str | None:
    """A datetime as sortable ISO-8601 UTC text (always with microseconds)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str | None) -> datetime | None:
    """Parse what `to_text` wrote."""
    return None if text is None else datetime.fromisoformat(text)


_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode
_SORTED_JSON_TEXT = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
"""`json.dumps` with these options, without building an encoder for every call."""


def content_hash(card: Card) -> str:
    """A fingerprint of what a learner sees, to tell changed cards from unchanged ones.

    The SHA-1 of `card.to_dict() | {"source": None}` as sorted JSON (a test holds the two
    equal): stored fingerprints must never change.
    """
    return _content_values_and_hash(card)[1]


def _content_values_and_hash(card: Card, json_seen: dict[Any, Any] | None = None) -> tuple[tuple[Any, ...], str]:
    """A card's content as `cards` row values, and `content_hash(card)`: they share the tags' and key points' JSON.

    The sorted JSON of the fingerprint is written out key by key (in sorted order, with json's
    default separators), each value by json's own encoders. `json_seen` keeps the JSON of
    fields and tag tuples already seen: the cards of one note mostly share both.
    """
    tags = _json_strings(card.tags) if json_seen is None else _tags_json(card.tags, json_seen)
    key_points = _json_strings(card.key_points)
    kind = _KIND_TEXT[card.kind]
    fields, sorted_fields = _fields_json(card.fields, json_seen)
    values = (
        card.id,
        card.deck,
        kind,
        card.prompt,
        card.answer,
        tags,
        key_points,
        card.sibling_key,
        card.explanation,
        card.reference,
        fields,
    )
    payload = "".join(
        (
            '{"answer": ',
            _json_string(card.answer),
            ', "deck": ',
            _json_string(card.deck),
            ', "explanation": ',
            _json_string(card.explanation),
            ', "fields": ',
            sorted_fields,
            ', "id": ',
            _json_string(card.id),
            ', "key_points": ',
            key_points,
            ', "kind": ',
            _json_string(kind),
            ', "prompt": ',
            _json_string(card.prompt),
            ', "reference": ',
            _json_string(card.reference),
            ', "sibling_key": ',
            _json_string(card.sibling_key),
            ', "source": null, "tags": ',
            tags,
            "}",
        )
    )
    return values, hashlib.sha1(payload.encode("utf-8")).hexdigest()


_KIND_TEXT = {kind: kind.value for kind in CardKind}
"""Each kind's text, without the enum's `value` property on every card."""


def _tags_json(tags: tuple[str, ...], seen: dict[Any, Any]) -> str:
    """The JSON of a tag tuple, once per tuple object: the cards of one note share theirs."""
    key = ("tags", id(tags))
    found = seen.get(key)
    if found is None or found[0] is not tags:
        found = seen[key] = (tags, _json_strings(tags))
    return str(found[1])


def _json_strings(items: tuple[str, ...]) -> str:
    """`json.dumps(list(items), ensure_ascii=False)` for strings, without the encoder's cost per call."""
    if not items:
        return "[]"
    if all(type(item) is str for item in items):
        return "[" + ", ".join(map(_json_string, items)) + "]"
    return _JSON_TEXT(items)


def _fields_json(fields: dict[str, Any], seen: dict[Any, Any] | None) -> tuple[str, str]:
    """The JSON of a card's fields, as stored and sorted by key, from `seen` when only strings are in them."""
    if seen is None or not all(type(value) is str for value in fields.values()):
        return _JSON_TEXT(fields), _SORTED_JSON_TEXT(fields)
    key = tuple(fields.items())
    texts = seen.get(key)
    if texts is None:
        if all(type(name) is str for name in fields):  # written out as json writes them
            texts = seen[key] = (_json_pairs(fields.items()), _json_pairs(sorted(fields.items())))
        else:
            texts = seen[key] = (_JSON_TEXT(fields), _SORTED_JSON_TEXT(fields))
    return texts


def _json_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """A JSON object of text keys and values, with json's default separators."""
    return "{" + ", ".join([f"{_json_string(name)}: {_json_string(value)}" for name, value in pairs]) + "}"


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
        values, fingerprint = _content_values_and_hash(card, json_seen)
        seeded = _seeded_schedule(card)
        schedule = _NEW_SCHEDULE_VALUES if seeded is None else _schedule_values(seeded)
        rows.append((*values, path, card.source.line, fingerprint, *schedule))
    return PreparedFile(path=path, size=size, mtime_ns=mtime_ns, problems=problems, rows=rows)


@dataclass(frozen=True)
class StoredCard:
    """A card as the store holds it: content, its scheduling state, and its row number."""

    number: int
    card: Card
    schedule: Schedule
    active: bool = True


@dataclass(frozen=True)
class ReviewScope:
    """The reviews filtered stats count (`Store.stats_scope`; None: all of them): those of the cards in
    the temporary table `stats_cards`, or (`complement`) those of every card not in it."""

    complement: bool = False


@dataclass(frozen=True)
class SourceRecord:
    """A registered deck source: the built-in decks, a deck file, a folder or a vault."""

    id: int
    name: str
    path: str
    builtin: bool
    deck: str | None
    options: dict[str, Any]
    active: bool


class CardSummary(NamedTuple):
    """A card's row number, deck, tags, sibling key and schedule state, without its content."""

    number: int
    deck: str
    tags: tuple[str, ...]
    sibling_key: str
    state: CardState
    due: datetime | None
    active: bool
    note_date: Any = None
    """The note's date from the card's fields, when it was asked for (see `Store.card_summaries`)."""


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

    # sources and files -------------------------------------------------------------------

    def register_source(
        self,
        name: str,
        path: str,
        *,
        now: datetime,
        builtin: bool = False,
        deck: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> SourceRecord:
        """Add a source, or update the path and options of one with the same name."""
        with self.transaction() as connection:
            connection.execute(
                "INSERT INTO sources (name, path, builtin, deck, options, added_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET path=excluded.path, deck=excluded.deck,"
                " options=excluded.options, active=1",
                (name, path, int(builtin), deck, json.dumps(options or {}), to_text(now)),
            )
        source = self.source(name)
        assert source is not None
        return source

    def source(self, name: str) -> SourceRecord | None:
        """The source with this name, if registered."""
        row = self.connection.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()
        return None if row is None else _source(row)

    def sources(self, *, include_inactive: bool = False) -> list[SourceRecord]:
        """Registered sources, built-in first."""
        query = "SELECT * FROM sources" + ("" if include_inactive else " WHERE active = 1")
        return [_source(row) for row in self.connection.execute(query + " ORDER BY builtin DESC, name")]

    def deactivate_source(self, name: str, *, now: datetime) -> int:
        """Unregister a source: its cards are retired with their history kept. Returns cards retired."""
        source = self.source(name)
        if source is None:
            return 0
        with self.transaction() as connection:
            connection.execute("UPDATE sources SET active = 0 WHERE id = ?", (source.id,))
            cursor = connection.execute(
                "UPDATE cards SET active = 0, retired_at = ? WHERE source_id = ? AND active = 1",
                (to_text(now), source.id),
            )
            connection.execute("DELETE FROM files WHERE source_id = ?", (source.id,))
        return cursor.rowcount

    def known_files(self, source_id: int) -> dict[str, tuple[int, int]]:
        """Scanned files of a source with the size and mtime seen at the last scan."""
        rows = self.connection.execute("SELECT path, size, mtime_ns FROM files WHERE source_id = ?", (source_id,))
        return {path: (size, mtime_ns) for path, size, mtime_ns in rows}

    def file_problems(self, source_id: int) -> list[str]:
        """Problems recorded at the last scan of each file of a source."""
        rows = self.connection.execute(  # files without problems (most) are skipped in SQL
            "SELECT problems FROM files WHERE source_id = ? AND problems != '[]' ORDER BY path", (source_id,)
        )
        return [problem for row in rows for problem in json.loads(row["problems"])]

    # cards ---------------------------------------------------------------------------------

    def sync_file(
        self,
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
        return self.sync_source(source_id, [scan], removed=(), now=now)

    def forget_file(self, source_id: int, path: str, *, now: datetime) -> int:
        """A file that disappeared: retire its cards (history kept) and forget its scan record."""
        return self.sync_source(source_id, [], removed=[path], now=now).retired

    def sync_source(
        self, source_id: int, scans: Sequence[FileScan], *, removed: Iterable[str], now: datetime
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
        with self.transaction() as connection:
            candidates: dict[str, sqlite3.Row] = {}
            if touched:
                for chunk in _chunks(sorted(touched), 500):
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
                values, fingerprint = _content_values_and_hash(card)
                if row is None:
                    connection.execute(
                        "INSERT INTO cards (id, deck, kind, prompt, answer, tags, key_points, sibling_key, explanation,"
                        " reference, fields, source_id, source_path, source_line, content_hash, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, source_id, scan.path, card.source.line, fingerprint, stamp, stamp),
                    )
                    seeded = _seeded_schedule(card)
                    if seeded is not None:
                        number = connection.execute("SELECT number FROM cards WHERE id = ?", (card.id,)).fetchone()[0]
                        self.set_schedule_in_transaction(connection, int(number), seeded)
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

    def is_fresh_source(self, source_id: int) -> bool:
        """Whether a source has no cards (active or retired) and no scanned files."""
        row = self.connection.execute(
            "SELECT 1 FROM cards WHERE source_id = ? UNION ALL SELECT 1 FROM files WHERE source_id = ? LIMIT 1",
            (source_id, source_id),
        ).fetchone()
        return row is None

    def card(self, card_id: str) -> StoredCard | None:
        """One card by id, active or retired."""
        row = self.connection.execute(f"SELECT {_CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,)).fetchone()
        return None if row is None else stored_card(row)

    def card_by_number(self, number: int) -> StoredCard | None:
        """One card by its row number."""
        row = self.connection.execute(f"SELECT {_CARD_COLUMNS} FROM cards WHERE number = ?", (number,)).fetchone()
        return None if row is None else stored_card(row)

    def cards(
        self,
        *,
        decks: Iterable[str] = (),
        states: Iterable[CardState] = (),
        due_before: datetime | None = None,
        include_retired: bool = False,
        order: str = "number",
    ) -> list[StoredCard]:
        """Cards narrowed in SQL by deck, state and due time (tags are matched by the caller)."""
        where, parameters = _card_conditions(decks, states, due_before, None, include_retired)
        ordering = {"number": "number", "due": "due, number"}[order]
        rows = self._plain_rows(f"SELECT {_CARD_COLUMNS} FROM cards{where} ORDER BY {ordering}", parameters)
        return [stored_card(row) for row in rows]

    def card_count(self) -> int:
        """How many cards are active (their source still has them)."""
        return int(self.connection.execute("SELECT COUNT(*) FROM cards WHERE active = 1").fetchone()[0])

    def card_summaries(
        self,
        *,
        decks: Iterable[str] = (),
        states: Iterable[CardState] = (),
        due_before: datetime | None = None,
        due_after: datetime | None = None,
        include_retired: bool = False,
        order: str = "number",
        note_dates: bool = False,
        exclude_kinds: Iterable[CardKind] = (),
        unmarked_at: datetime | None = None,
    ) -> Generator[CardSummary, None, None]:
        """`cards` without their content, read lazily: what filters, queues and counts need.

        Narrowed as `cards` narrows (plus `due_after`, exclusive), in the same order; the
        note date (for --since and --until) is read only when `note_dates` asks for it.
        `unmarked_at` leaves out the cards suspended, or buried at that moment (`ckaquiz.store.marks`).
        """
        where, parameters = _card_conditions(decks, states, due_before, due_after, include_retired)
        if excluded := [kind.value for kind in exclude_kinds]:  # exam tasks stay out of study queues
            where += f"{' AND' if where else ' WHERE'} kind NOT IN ({', '.join('?' * len(excluded))})"
            parameters.extend(excluded)
        if unmarked_at is not None:
            where += f"{' AND' if where else ' WHERE'} {_NOT_SUSPENDED_OR_BURIED}"
            parameters.append(to_text(unmarked_at))
        ordering = {"number": "number", "due": "due, number"}[order]
        columns = "number, deck, tags, sibling_key, state, due, active" + (", fields" if note_dates else "")
        tag_sets: dict[str, tuple[str, ...]] = {}  # cards share few tag sets: parse each once
        for row in self._plain_rows(f"SELECT {columns} FROM cards{where} ORDER BY {ordering}", parameters):
            tags_text = row[2]
            tags = tag_sets.get(tags_text)
            if tags is None:
                tags = tag_sets[tags_text] = tuple(json.loads(tags_text))
            note_date = json.loads(row[7]).get("note_date") if note_dates else None
            yield CardSummary(
                row[0], row[1], tags, row[3], _CARD_STATES[row[4]], from_text(row[5]), bool(row[6]), note_date
            )

    def states_of(self, numbers: Iterable[int], *, chunk: int = 500) -> dict[int, CardState]:
        """The scheduling state of each of these cards (numbers not found are left out)."""
        wanted = list(numbers)
        states: dict[int, CardState] = {}
        for start in range(0, len(wanted), chunk):
            part = wanted[start : start + chunk]
            marks = ", ".join("?" * len(part))
            rows = self._plain_rows(f"SELECT number, state FROM cards WHERE number IN ({marks})", part)
            states.update((row[0], _CARD_STATES[row[1]]) for row in rows)
        return states

    def cards_by_numbers(self, numbers: Iterable[int]) -> list[StoredCard]:
        """The cards with these row numbers, in the order given (numbers not found are left out)."""
        return list(self.iter_cards_by_numbers(numbers))

    def iter_cards_by_numbers(self, numbers: Iterable[int]) -> Iterator[StoredCard]:
        """`cards_by_numbers`, read and built a chunk at a time (a long listing never sits in memory whole)."""
        return (stored_card(row) for row in self.iter_card_rows(numbers))

    def iter_card_rows(self, numbers: Iterable[int], *, chunk: int = 500) -> Iterator[tuple[Any, ...]]:
        """The rows (plain tuples of `CARD_COLUMNS`) of the cards with these numbers, in the order given,
        read a chunk at a time; numbers not found are left out."""
        wanted = list(numbers)
        for start in range(0, len(wanted), chunk):
            part = wanted[start : start + chunk]
            rows = self._plain_rows(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE number IN ({', '.join('?' * len(part))})", part
            )
            found = {row[0]: row for row in rows}
            yield from (found[number] for number in part if number in found)

    def matching_numbers(
        self,
        accept: Callable[[str, tuple[str, ...], Any], bool],
        *,
        decks: Iterable[str] = (),
        include_retired: bool = False,
        note_dates: bool = False,
    ) -> list[int]:
        """Row numbers, in order, of the cards (narrowed by deck as `cards` does) that `accept(deck, tags,
        note_date)` takes. Without note dates each distinct deck and tag set is judged once, so a
        filter over 100,000 cards costs about as much as their few hundred tag sets."""
        where, parameters = _card_conditions(decks, (), None, None, include_retired)
        columns = "number, deck, tags" + (", fields" if note_dates else "")
        verdicts: dict[tuple[str, str], bool] = {}
        numbers: list[int] = []
        for row in self._plain_rows(f"SELECT {columns} FROM cards{where}", parameters):
            if note_dates:
                if accept(row[1], tuple(json.loads(row[2])), json.loads(row[3]).get("note_date")):
                    numbers.append(row[0])
                continue
            key = (row[1], row[2])
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = verdicts[key] = accept(row[1], tuple(json.loads(row[2])), None)
            if verdict:
                numbers.append(row[0])
        numbers.sort()  # cheaper here than an ORDER BY that makes SQLite sort its index's rows
        return numbers

    def _plain_rows(self, query: str, parameters: Sequence[Any]) -> sqlite3.Cursor:
        """Rows as plain tuples: building a `sqlite3.Row` for each of 100,000 rows costs more than the query."""
        cursor = self.connection.cursor()
        cursor.row_factory = None
        return cursor.execute(query, parameters)

    # figures for `ckaquiz stats`: counted in SQL, no card content and no Review objects ----------

    def stats_card_rows(
        self,
        *,
        decks: Iterable[str],
        day_starts_at: int,
        note_dates: bool,
        now: datetime,
        day_end: datetime,
        forecast_last_day: date,
        mature_days: int,
    ) -> sqlite3.Cursor:
        """Every card (retired too, narrowed by deck as `cards` narrows), in number order, reduced in SQL to
        what `ckaquiz stats` counts: no content, no time left to parse.

        Plain rows of: number, the id of a recall card (None for other kinds), deck, tags (JSON text),
        active, state, lapses, stability, the whole days from `last_review` to `now` (at least 0; None
        unless the card is studied: not new, with a stability and a last review), flags (1: mature, in
        review state with an interval of `mature_days` or more; 2: still due today, as
        `ckaquiz.stats.still_due` says with `day_end`), the study day of `due` (ISO date text) when the
        card is not new and may fall due by `forecast_last_day` (else None: it falls due later), and
        the `fields` JSON when `note_dates` asks for it (else None).

        Times are compared as stored text (`to_text` writes one fixed-width UTC form) and measured in
        whole microseconds (`_whole_us`), so every figure is the one the datetimes give.
        """
        where, parameters = _card_conditions(decks, (), None, None, True)
        studied = "state != 'new' AND stability IS NOT NULL AND last_review IS NOT NULL"
        columns = (
            f"number, CASE WHEN kind = '{CardKind.RECALL.value}' THEN id END, deck, tags, active, state, lapses,"
            f" stability, CASE WHEN {studied} THEN {_whole_days_since_sql('last_review', now)} END,"
            f" (state = 'review' AND {_interval_at_least_sql('due', 'last_review', mature_days)})"
            " + 2 * (CASE WHEN due IS NULL THEN 0 WHEN state IN ('learning', 'relearning') THEN due <= ?"
            " WHEN state = 'review' THEN due < ? ELSE 0 END),"
            f" CASE WHEN state != 'new' AND due < ? THEN {_study_day_sql('due')} END,"
            + (" fields" if note_dates else " NULL")
        )
        values = [to_text(now), to_text(day_end), _upper_bound(forecast_last_day), _day_shift(day_starts_at)]
        return self._plain_rows(f"SELECT {columns} FROM cards{where} ORDER BY number", [*values, *parameters])

    @contextmanager
    def stats_scope(
        self, card_numbers: Sequence[int] | None, *, complement: bool | None = None
    ) -> Iterator[ReviewScope | None]:
        """Which reviews `review_hours`, `review_days_between` and `cards_studied_on` count: those of
        these cards (all reviews for None). A review's `card_number` is the row of the card its
        `card_id` names (cards are never deleted).

        The numbers go into a temporary table. When they are most cards (`complement` None: more than
        half of them; True or False forces it), the table holds every other card instead, and hours
        are the summary's counts less that complement's: a filter that keeps nearly everything then
        reads few log rows instead of all of them.
        """
        if card_numbers is None:
            yield None
            return
        numbers: Iterable[int] = card_numbers
        if complement is None:
            complement = len(card_numbers) * 2 > self.connection.execute("SELECT count(*) FROM cards").fetchone()[0]
        if complement:
            kept = set(card_numbers)
            numbers = (number for (number,) in self._plain_rows("SELECT number FROM cards", []) if number not in kept)
        self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS stats_cards (number INTEGER PRIMARY KEY)")
        self.connection.execute("DELETE FROM temp.stats_cards")
        self.connection.executemany(
            "INSERT OR IGNORE INTO temp.stats_cards (number) VALUES (?)", ((number,) for number in numbers)
        )
        try:
            yield ReviewScope(complement=complement)
        finally:
            self.connection.execute("DROP TABLE IF EXISTS temp.stats_cards")

    def review_hours(self, *, scope: ReviewScope | None = None) -> list[tuple[Any, ...]]:
        """Live (not undone) reviews counted per UTC hour (`YYYY-MM-DDTHH`), Again or not, and kind
        (0: not in review state before the answer, 1: young review answer, 2: mature review answer):
        rows of (hour, again, kind, answers, total duration_ms).

        All reviews are read from `review_hour_counts`, the same grouping kept up to date by
        triggers as reviews are written and undone (migration 0003): a few thousand rows instead of the
        whole log. The reviews of some cards are counted over the log; those of all but some cards
        (`ReviewScope.complement`) are the summary less the others' counts over the log.
        """
        summary = "SELECT hour, again, kind, answers, duration_ms FROM review_hour_counts"
        if scope is None:
            return self._plain_rows(summary, []).fetchall()
        query = (
            f"SELECT substr(reviewed_at, 1, 13) AS hour, rating = 1 AS again, {_ANSWER_KIND_SQL} AS kind,"
            " count(*), total(duration_ms) FROM reviews WHERE undone_at IS NULL"
            " AND card_number IN (SELECT number FROM temp.stats_cards) GROUP BY hour, again, kind"
        )
        counted = [(row[0], row[1], row[2], row[3], int(row[4])) for row in self._plain_rows(query, [])]
        if not scope.complement:
            return counted
        others = {(hour, again, kind): (answers, milliseconds) for hour, again, kind, answers, milliseconds in counted}
        kept = []
        for hour, again, kind, answers, milliseconds in self._plain_rows(summary, []):
            other_answers, other_milliseconds = others.get((hour, again, kind), (0, 0))
            if answers > other_answers:
                kept.append((hour, again, kind, answers - other_answers, milliseconds - other_milliseconds))
        return kept

    def review_days_between(
        self, start: datetime, end: datetime, *, day_starts_at: int, scope: ReviewScope | None = None
    ) -> list[tuple[Any, ...]]:
        """`review_hours` for the reviews from `start` (inclusive) to `end`, by study day instead of hour."""
        query = (
            f"SELECT {_study_day_sql('reviewed_at')} AS day, rating = 1 AS again, {_ANSWER_KIND_SQL} AS kind,"
            " count(*), total(duration_ms) FROM reviews WHERE undone_at IS NULL AND reviewed_at >= ?"
            f" AND reviewed_at < ?{_scope_condition(scope)} GROUP BY day, again, kind"
        )
        parameters = [_day_shift(day_starts_at), to_text(start), to_text(end)]
        return [(row[0], row[1], row[2], row[3], int(row[4])) for row in self._plain_rows(query, parameters)]

    def cards_studied_on(self, day: date, *, day_starts_at: int, scope: ReviewScope | None = None) -> int:
        """Distinct cards with a live review on this study day."""
        query = (
            "SELECT count(DISTINCT card_number) FROM reviews WHERE undone_at IS NULL AND reviewed_at >= ?"
            f" AND reviewed_at < ? AND {_study_day_sql('reviewed_at')} = ?{_scope_condition(scope)}"
        )
        parameters = [_lower_bound(day), _upper_bound(day), _day_shift(day_starts_at), day.isoformat()]
        return int(self._plain_rows(query, parameters).fetchone()[0])

    def review_tallies_by_card(self, since: date, *, day_starts_at: int) -> list[tuple[int, int, int]]:
        """Live review-state answers on study days from `since` on, per card: (card number, passed, failed).

        Only the reviews within two days of `since` need their study day worked out. The answers are
        read from the partial index `reviews_review_state_by_card` (migration 0003), in card order,
        not from the wide rows of the log.
        """
        query = (
            "SELECT card_number, count(*) - sum(rating = 1), sum(rating = 1) FROM reviews"
            " WHERE undone_at IS NULL AND state_before = 'review' AND (reviewed_at >= ?"
            f" OR (reviewed_at >= ? AND {_study_day_sql('reviewed_at')} >= ?)) GROUP BY card_number"
        )
        parameters = [_upper_bound(since), _lower_bound(since), _day_shift(day_starts_at), since.isoformat()]
        rows: list[tuple[int, int, int]] = self._plain_rows(query, parameters).fetchall()
        return rows

    def scored_attempt_rows(self, kind: CardKind) -> sqlite3.Cursor:
        """Scored attempts of one kind, oldest first, without undone ones: rows of (card id, created_at, score)."""
        return self._plain_rows(
            "SELECT a.card_id, a.created_at, a.score FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
            " WHERE a.kind = ? AND a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)"
            " ORDER BY a.created_at, a.id",
            [kind.value],
        )

    def latest_scores(self, kind: CardKind, *, minimum_attempts: int = 1) -> sqlite3.Cursor:
        """The score of the last scored attempt of one kind (by created_at, then id; none undone) of each card
        with at least `minimum_attempts` such attempts: rows of (card id, score). Read from
        `attempt_summaries`, kept up to date by triggers as attempts are written and reviews undone
        (migration 0003), not from the attempts."""
        return self._plain_rows(
            "SELECT card_id, last_score FROM attempt_summaries WHERE kind = ? AND attempts >= ?",
            [kind.value, minimum_attempts],
        )

    def attempt_summaries(self, kind: CardKind, card_ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """For these cards, their scored attempts of one kind that `scored_attempt_rows` gives (none undone):
        (attempts, first created_at, first id, first score, last score) by card id, first and last by
        (created_at, id); cards without any are left out. Read from `attempt_summaries`."""
        found: dict[str, tuple[Any, ...]] = {}
        wanted = list(card_ids)
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            rows = self._plain_rows(
                "SELECT card_id, attempts, first_at, first_id, first_score, last_score FROM attempt_summaries"
                f" WHERE kind = ? AND card_id IN ({', '.join('?' * len(part))})",
                [kind.value, *part],
            )
            found.update((row[0], row[1:]) for row in rows)
        return found

    def latest_scored_attempts(self, card_id: str, kind: CardKind, *, limit: int) -> list[tuple[str, float]]:
        """A card's last `limit` scored attempts of one kind, none undone, oldest first: (created_at, score)."""
        rows = self._plain_rows(
            "SELECT a.created_at, a.score FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
            " WHERE a.card_id = ? AND a.kind = ? AND a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)"
            " ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
            [card_id, kind.value, limit],
        ).fetchall()
        rows.reverse()
        return rows

    def recall_prompts(self, card_ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
        """Every recall card's (prompt, deck), by card id, retired ones too; or only those of `card_ids`."""
        if card_ids is None:
            rows = self._plain_rows("SELECT id, prompt, deck FROM cards WHERE kind = ?", [CardKind.RECALL.value])
            return {row[0]: (row[1], row[2]) for row in rows}
        found: dict[str, tuple[str, str]] = {}
        wanted = list(card_ids)
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            rows = self._plain_rows(
                f"SELECT id, prompt, deck FROM cards WHERE kind = ? AND id IN ({', '.join('?' * len(part))})",
                [CardKind.RECALL.value, *part],
            )
            found.update((row[0], (row[1], row[2])) for row in rows)
        return found

    def distinct_tags(self, *, decks: Iterable[str] = ()) -> set[str]:
        """Every tag of the active cards (of these decks)."""
        where, parameters = _card_conditions(decks, (), None, None, False)
        rows = self._plain_rows(f"SELECT DISTINCT tags FROM cards{where}", parameters)
        return {tag for (tags,) in rows for tag in json.loads(tags)}

    def deck_names(self) -> list[str]:
        """Names of decks with active cards."""
        return [
            row[0] for row in self.connection.execute("SELECT DISTINCT deck FROM cards WHERE active = 1 ORDER BY deck")
        ]

    # reviews ---------------------------------------------------------------------------------

    def record_review(self, review: Review, card_number: int) -> int:
        """Append a review and set the card's schedule, in one transaction. Returns the review id."""
        with self.transaction() as connection:
            return self.record_review_in_transaction(connection, review, card_number)

    def record_review_in_transaction(self, connection: sqlite3.Connection, review: Review, card_number: int) -> int:
        """The writes of `record_review`, for callers that already hold the transaction."""
        cursor = connection.execute(
            "INSERT INTO reviews (card_id, card_number, session_id, rating, reviewed_at, duration_ms,"
            " state_before, step_before, stability_before, difficulty_before, due_before, last_review_before,"
            " reps_before, lapses_before, state_after, step_after, stability_after, difficulty_after, due_after,"
            " last_review_after, reps_after, lapses_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                review.card_id,
                card_number,
                review.session_id,
                int(review.rating),
                to_text(review.reviewed_at),
                review.duration_ms,
                *_schedule_values(review.before),
                *_schedule_values(review.after),
            ),
        )
        self.set_schedule_in_transaction(connection, card_number, review.after)
        return int(cursor.lastrowid or 0)

    def set_schedule_in_transaction(self, connection: sqlite3.Connection, card_number: int, schedule: Schedule) -> None:
        """Write a card's scheduling state (inside the caller's transaction)."""
        connection.execute(
            "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, reps=?, lapses=?"
            " WHERE number=?",
            (*_schedule_values(schedule), card_number),
        )

    def schedule_of(self, card_number: int) -> Schedule:
        """A card's current scheduling state, read fresh (another session may have changed it)."""
        row = self.connection.execute(
            "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM cards WHERE number = ?",
            (card_number,),
        ).fetchone()
        if row is None:
            raise StoreError(f"card #{card_number} is not in the database")
        return _schedule(row)

    def undo_review(
        self,
        review_id: int,
        *,
        now: datetime,
        session_id: str | None = None,
        replay: Callable[[Schedule, list[Review]], Schedule] | None = None,
    ) -> Review:
        """Mark a review undone and derive the card's schedule again from the reviews left.

        `replay(first, reviews)` gets the card's state before its first review ever and its remaining
        reviews in time order, inside the same transaction, so a grade given meanwhile by another
        session is kept. Without it the schedule goes back to the undone review's `before`.
        `session_id` refuses to undo another session's review.
        """
        with self.transaction() as connection:
            row = connection.execute(
                "SELECT * FROM reviews WHERE id = ? AND undone_at IS NULL", (review_id,)
            ).fetchone()
            if row is None or (session_id is not None and row["session_id"] != session_id):
                raise StoreError(f"review {review_id} cannot be undone")
            review = _review(row)
            card_number = int(row["card_number"])
            connection.execute("UPDATE reviews SET undone_at = ? WHERE id = ?", (to_text(now), review_id))
            schedule = review.before
            if replay is not None:
                rows = connection.execute(
                    "SELECT * FROM reviews WHERE card_number = ? ORDER BY reviewed_at, id", (card_number,)
                ).fetchall()
                first = _review(rows[0]).before
                schedule = replay(first, [_review(other) for other in rows if other["undone_at"] is None])
            self.set_schedule_in_transaction(connection, card_number, schedule)
        return review

    def reviews(
        self,
        *,
        card_id: str | None = None,
        session_id: str | None = None,
        since: datetime | None = None,
        include_undone: bool = False,
    ) -> list[Review]:
        """Reviews in time order, narrowed by card, session or start time."""
        clauses: list[str] = []
        parameters: list[Any] = []
        if card_id is not None:
            clauses.append("card_id = ?")
            parameters.append(card_id)
        if session_id is not None:
            clauses.append("session_id = ?")
            parameters.append(session_id)
        if since is not None:
            clauses.append("reviewed_at >= ?")
            parameters.append(to_text(since))
        if not include_undone:
            clauses.append("undone_at IS NULL")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.connection.execute(f"SELECT * FROM reviews{where} ORDER BY reviewed_at, id", parameters)
        return [_review(row) for row in rows]

    def studied_since(self, start: datetime) -> tuple[int, int, set[str]]:
        """Since `start`: new cards introduced, review-state cards answered, sibling keys seen."""
        rows = self.connection.execute(
            "SELECT r.state_before, r.card_id, c.sibling_key FROM reviews r JOIN cards c ON c.number = r.card_number"
            " WHERE r.reviewed_at >= ? AND r.undone_at IS NULL",
            (to_text(start),),
        ).fetchall()
        new_cards = len({row["card_id"] for row in rows if row["state_before"] == CardState.NEW.value})
        reviews = sum(1 for row in rows if row["state_before"] == CardState.REVIEW.value)
        siblings = {row["sibling_key"] for row in rows if row["sibling_key"]}
        return new_cards, reviews, siblings

    # sessions and attempts -----------------------------------------------------------------------

    def start_session(self, session_id: str, mode: str, filters: dict[str, Any], *, now: datetime) -> None:
        """Record that a session began."""
        with self.transaction() as connection:
            connection.execute(
                "INSERT INTO sessions (id, mode, started_at, filters) VALUES (?, ?, ?, ?)",
                (session_id, mode, to_text(now), json.dumps(filters, ensure_ascii=False)),
            )

    def end_session(self, session_id: str, *, now: datetime) -> None:
        """Record that a session ended."""
        with self.transaction() as connection:
            connection.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (to_text(now), session_id))

    def record_attempt_in_transaction(
        self,
        connection: sqlite3.Connection,
        *,
        review_id: int | None,
        card_id: str,
        kind: CardKind,
        response: str,
        duration_ms: int,
        result: dict[str, Any],
        score: float | None,
        suggested: Rating | None,
        final: Rating | None,
        now: datetime,
    ) -> int:
        """Keep what the learner typed and how it was judged, linked to its review."""
        cursor = connection.execute(
            "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, suggested, final,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                review_id,
                card_id,
                kind.value,
                response,
                duration_ms,
                json.dumps(result, ensure_ascii=False),
                score,
                None if suggested is None else int(suggested),
                None if final is None else int(final),
                to_text(now),
            ),
        )
        return int(cursor.lastrowid or 0)

    def attempts(self, card_id: str) -> list[dict[str, Any]]:
        """A card's attempts, oldest first, leaving out those whose review was undone."""
        rows = self.connection.execute(
            "SELECT a.* FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
            " WHERE a.card_id = ? AND (r.id IS NULL OR r.undone_at IS NULL) ORDER BY a.created_at, a.id",
            (card_id,),
        )
        return [dict(row) | {"result": json.loads(row["result"])} for row in rows]


_CARD_STATES = {state.value: state for state in CardState}
_CARD_KINDS = {kind.value: kind for kind in CardKind}


@functools.lru_cache(maxsize=4096)
def _tag_tuple(text: str) -> tuple[str, ...]:
    """A card's tags from their JSON; cards share few tag sets, and a tuple can be shared."""
    return tuple(json.loads(text))


def _scope_condition(scope: ReviewScope | None) -> str:
    """The SQL condition on `reviews` that keeps the reviews a scope counts (empty: all)."""
    if scope is None:
        return ""
    return f" AND card_number {'NOT IN' if scope.complement else 'IN'} (SELECT number FROM temp.stats_cards)"


def _study_day_sql(column: str) -> str:
    """SQL for the study day (ISO date) of a stored UTC time, as `ckaquiz.stats.study_day` reckons it:
    the local date `day_starts_at` hours earlier; takes the shift (`_day_shift`) as its parameter.

    Written by `to_text`, times are `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`; the fraction is cut off, as
    SQLite would round it to milliseconds (and 03:59:59.9999 would land on the next day), and no
    day starts inside a second.
    """
    return f"date(substr({column}, 1, 19), 'localtime', ?)"


def _day_shift(day_starts_at: int) -> str:
    return f"-{int(day_starts_at)} hours"


def _lower_bound(day: date) -> str:
    """A stored time before any moment of this study day in any time zone (an index bound)."""
    return to_text(datetime.combine(day, time(0), tzinfo=UTC) - timedelta(days=2)) or ""


def _upper_bound(day: date) -> str:
    """A stored time after every moment of this study day in any time zone: later ones are later days."""
    return to_text(datetime.combine(day, time(0), tzinfo=UTC) + timedelta(days=2)) or ""


def _whole_us(column: str) -> str:
    return (
        f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
        f" + CAST(substr({column}, 21, 6) AS INTEGER))"
    )


_MATURE_BEFORE_SQL = (
    "(due_before IS NOT NULL AND last_review_before IS NOT NULL"
    f" AND {_whole_us('due_before')} - {_whole_us('last_review_before')} >= 21 * 86400 * 1000000)"
)
"""Whether a review's interval before the answer was 21 days or more, in whole microseconds."""
_INTERVAL_BEFORE_SQL = "(julianday(due_before) - julianday(last_review_before))"
_ANSWER_KIND_SQL = (
    f"(CASE WHEN state_before != 'review' THEN 0 WHEN {_INTERVAL_BEFORE_SQL} > 21.00001 THEN 2"
    f" WHEN {_INTERVAL_BEFORE_SQL} < 20.99999 THEN 1 ELSE 1 + {_MATURE_BEFORE_SQL} END)"
)
"""0: not a review-state answer, 1: young, 2: mature. julianday (milliseconds, floating point) settles
all but the intervals within a second of 21 days, which are measured in whole microseconds."""


def _interval_at_least_sql(later: str, earlier: str, days: int) -> str:
    """SQL: whether the time in column `later` is at least `days` whole days after `earlier` (0 or 1; 0
    when either is NULL). As in `_ANSWER_KIND_SQL`, julianday settles all but the intervals within a
    second of `days`, which are measured in whole microseconds, as Python's timedelta measures them."""
    whole = int(days)
    interval = f"(julianday({later}) - julianday({earlier}))"
    return (
        f"(CASE WHEN {later} IS NULL OR {earlier} IS NULL THEN 0 WHEN {interval} > {whole}.00001 THEN 1"
        f" WHEN {interval} < {whole - 1}.99999 THEN 0"
        f" ELSE {_whole_us(later)} - {_whole_us(earlier)} >= {whole} * 86400 * 1000000 END)"
    )


def _whole_days_since_sql(column: str, moment: datetime) -> str:
    """SQL: the whole days from the stored time in `column` to `moment`, at least 0, as Python's
    `max(0, (moment - time).days)` counts them. julianday (milliseconds, floating point) settles all but
    the differences within a second of a whole number of days, which are counted in whole microseconds."""
    whole_us = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    days = f"({whole_us / 86_400_000_000 + 2440587.5!r} - julianday({column}))"  # the moment's julian day, inline
    return (
        f"(CASE WHEN {days} < 0.99999 THEN 0"
        f" WHEN {days} - CAST({days} AS INTEGER) BETWEEN 0.00001 AND 0.99999 THEN CAST({days} AS INTEGER)"
        f" ELSE max(0, ({whole_us} - {_whole_us(column)}) / 86400000000) END)"
    )


def _card_conditions(
    decks: Iterable[str],
    states: Iterable[CardState],
    due_before: datetime | None,
    due_after: datetime | None,
    include_retired: bool,
) -> tuple[str, list[Any]]:
    """The WHERE clause (with its parameters) that narrows cards by deck, state and due time."""
    clauses: list[str] = []
    parameters: list[Any] = []
    if not include_retired:
        clauses.append("active = 1")
    deck_list = [deck.casefold() for deck in decks]
    if deck_list:
        clauses.append(f"lower(deck) IN ({', '.join('?' * len(deck_list))})")
        parameters.extend(deck_list)
    state_list = [state.value for state in states]
    if state_list:
        clauses.append(f"state IN ({', '.join('?' * len(state_list))})")
        parameters.extend(state_list)
    if due_before is not None:
        clauses.append("due <= ?")
        parameters.append(to_text(due_before))
    if due_after is not None:
        clauses.append("due > ?")
        parameters.append(to_text(due_after))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, parameters


def stored_card(row: Sequence[Any]) -> StoredCard:
    """Build a StoredCard from a row of `_CARD_COLUMNS`: a `sqlite3.Row` or, faster to read, a plain tuple."""
    (
        number,
        card_id,
        deck,
        kind,
        prompt,
        answer,
        tags,
        key_points,
        sibling_key,
        explanation,
        reference,
        fields,
        source_path,
        source_line,
        active,
        state,
        step,
        stability,
        difficulty,
        due,
        last_review,
        reps,
        lapses,
    ) = row
    card = Card(
        id=card_id,
        deck=deck,
        kind=_CARD_KINDS[kind],
        prompt=prompt,
        answer=answer,
        source=SourceLocation(source_path, source_line),
        tags=_tag_tuple(tags),
        key_points=tuple(json.loads(key_points)),
        sibling_key=sibling_key,
        explanation=explanation,
        reference=reference,
        fields=json.loads(fields),
    )
    schedule = Schedule(
        state=_CARD_STATES[state],
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=None if due is None else datetime.fromisoformat(due),
        last_review=None if last_review is None else datetime.fromisoformat(last_review),
        reps=reps,
        lapses=lapses,
    )
    return StoredCard(number=number, card=card, schedule=schedule, active=bool(active))


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


def _schedule_values(schedule: Schedule) -> tuple[Any, ...]:
    return (
        schedule.state.value,
        schedule.step,
        schedule.stability,
        schedule.difficulty,
        to_text(schedule.due),
        to_text(schedule.last_review),
        schedule.reps,
        schedule.lapses,
    )


_SCHEDULE_NAMES = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_SCHEDULE_COLUMNS = {
    suffix: tuple(f"{name}{suffix}" for name in _SCHEDULE_NAMES) for suffix in ("", "_before", "_after")
}


def _schedule(row: sqlite3.Row, suffix: str = "") -> Schedule:
    state, step, stability, difficulty, due, last_review, reps, lapses = _SCHEDULE_COLUMNS[suffix]
    return Schedule(
        state=_CARD_STATES[row[state]],
        step=row[step],
        stability=row[stability],
        difficulty=row[difficulty],
        due=from_text(row[due]),
        last_review=from_text(row[last_review]),
        reps=row[reps],
        lapses=row[lapses],
    )


def _review(row: sqlite3.Row) -> Review:
    return Review(
        id=row["id"],
        card_id=row["card_id"],
        rating=Rating(row["rating"]),
        reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
        duration_ms=row["duration_ms"],
        before=_schedule(row, "_before"),
        after=_schedule(row, "_after"),
        session_id=row["session_id"] or "",
    )


def _source(row: sqlite3.Row) -> SourceRecord:
    return SourceRecord(
        id=row["id"],
        name=row["name"],
        path=row["path"],
        builtin=bool(row["builtin"]),
        deck=row["deck"],
        options=json.loads(row["options"]),
        active=bool(row["active"]),
    )


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
    from ckaquiz.backup import BACKUPS_FOLDER_NAME, has_backups

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
    from ckaquiz.backup import restore_hint

    return restore_hint(Path(location))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _normalised(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _content_key(kind: str, prompt: str, answer: str) -> str:
    """What "the same content" means: a recall section's body, or a card's question and answer."""
    if kind == CardKind.RECALL.value:
        return f"{kind}\n{_normalised(answer)}"
    return f"{kind}\n{_normalised(prompt)}\n{_normalised(answer)}"


def _similarity_text(kind: str, prompt: str, answer: str) -> str:
    return _normalised(answer) if kind == CardKind.RECALL.value else f"{_normalised(prompt)} {_normalised(answer)}"


def _seeded_schedule(card: Card) -> Schedule | None:
    """A review schedule from an Obsidian Spaced Repetition plugin comment, if the card has one."""
    entry = card.fields.get("sr")
    if not isinstance(entry, dict):
        return None
    if entry.get("algorithm") == "fsrs":
        return _seeded_fsrs_schedule(entry)
    try:
        due_day = datetime.fromisoformat(str(entry["due"])).date()
        interval = max(1.0, float(entry.get("interval", 1)))
        ease = float(entry.get("ease", 250))
        due = datetime.combine(due_day, time(4, 0)).astimezone(UTC)
        last_review = due - timedelta(days=interval)
    except (KeyError, TypeError, ValueError, OverflowError):  # the parser keeps such numbers out; never crash
        return None
    difficulty = min(10.0, max(1.0, 11.0 - ease / 50.0))
    return Schedule(
        state=CardState.REVIEW,
        stability=interval,
        difficulty=difficulty,
        due=due,
        last_review=last_review,
        reps=1,
    )


def _seeded_fsrs_schedule(entry: dict[str, Any]) -> Schedule | None:
    """The plugin's FSRS fields as they are: state, stability, difficulty, due time, counts."""
    try:
        due = datetime.fromisoformat(str(entry["due"])).astimezone(UTC)
        state = CardState(str(entry["state"]))
        interval = float(entry.get("interval", 0))
        last_given = entry.get("last_review")
        last_review = (
            datetime.fromisoformat(str(last_given)).astimezone(UTC)
            if last_given
            else due - timedelta(days=max(interval, 0.0))
        )
        # ckaquiz's own learning steps take over from the first step (the plugin's step count is its own).
        step = 0 if state in (CardState.LEARNING, CardState.RELEARNING) else None
        return Schedule(
            state=state,
            step=step,
            stability=float(entry["stability"]),
            difficulty=float(entry["difficulty"]),
            due=due,
            last_review=last_review,
            reps=max(1, int(entry.get("reps", 1))),
            lapses=int(entry.get("lapses", 0)),
        )
    except (KeyError, TypeError, ValueError, OverflowError):  # the parser keeps such values out; never crash
        return None


_NEW_SCHEDULE_VALUES = _schedule_values(Schedule())
