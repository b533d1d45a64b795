"""Reading an Anki package (.apkg, .colpkg) safely: notes, note types, decks, cards, review log, media names.

The package is a zip archive holding one collection: `collection.anki21b` (zstd-compressed SQLite,
schema 18: `notetypes`, `fields`, `templates` and `decks` tables whose settings are protobuf
messages) or the older `collection.anki21` / `collection.anki2` (schema 11: note types and decks
as JSON in `col.models` and `col.decks`). Members are read into memory with size limits, never
extracted under their own names; the collection goes to one scratch file whose name is ours.
Every problem with the package as a whole is one `PackageError` line naming the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ckaquiz.errors import UsageError

PACKAGE_SUFFIXES = frozenset({".apkg", ".colpkg"})
COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAXIMUM_TOTAL_BYTES = 1 << 30
"""Uncompressed bytes a package may hold in all (a collection of years of study is well under this)."""
MAXIMUM_RATIO = 200
"""Uncompressed size over compressed size a member may have: SQLite pages compress well, bombs far better."""
MAXIMUM_MEMBERS = 100_000
MAXIMUM_MEDIA_LIST_BYTES = 64 << 20
MAXIMUM_FIELD_CHARACTERS = 100_000
"""A field longer than this is refused (its note is skipped with a warning)."""
_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 20


class PackageError(UsageError):
    """A package that cannot be read: one line naming the file and what is wrong."""


@dataclass(frozen=True)
class NoteType:
    """An Anki note type: its field names in order, whether it is a cloze type, its templates' question sides."""

    id: int
    name: str
    fields: tuple[str, ...]
    cloze: bool
    questions: tuple[str, ...]


@dataclass(frozen=True)
class AnkiNote:
    """One note: its GUID, note type, tags and field texts (HTML)."""

    id: int
    guid: str
    notetype: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    """One card's scheduling columns; a card in a filtered deck is read with its home deck and due."""

    id: int
    note: int
    deck: int
    ordinal: int
    type: int
    queue: int
    due: int
    interval: int
    reps: int
    lapses: int
    left: int
    data: str


@dataclass(frozen=True)
class LogEntry:
    """One revlog row: its id is the answer's time in milliseconds."""

    id: int
    card: int
    ease: int
    interval: int
    time_ms: int
    type: int
    factor: int = 0


@dataclass
class AnkiPackage:
    """What a package holds, read whole (collections are small next to memory)."""

    path: Path
    member: str
    created: int
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    notes: list[AnkiNote] = field(default_factory=list)
    cards: list[AnkiCard] = field(default_factory=list)
    revlog: list[LogEntry] = field(default_factory=list)
    media: list[str] | None = None
    problems: list[str] = field(default_factory=list)


def is_package(path: Path) -> bool:
    """Whether a path names an Anki package by its suffix."""
    return path.suffix.lower() in PACKAGE_SUFFIXES


def read_package(path: Path, *, scratch: Path) -> AnkiPackage:
    """Read a package; `scratch` is a folder of ours where the collection's SQLite file is put for reading."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        reason = "not a zip archive (an Anki package is one)" if isinstance(error, zipfile.BadZipFile) else error
        raise PackageError(f"{path}: {reason}") from None
    with archive:
        members = _checked_members(path, archive)
        member = next((name for name in COLLECTION_MEMBERS if name in members), None)
        if member is None:
            raise PackageError(f"{path}: no collection inside (expected one of {', '.join(COLLECTION_MEMBERS)})")
        data = _read_member(path, archive, members[member])
        media_data = _read_member(path, archive, members["media"]) if "media" in members else None
    if member.endswith("21b"):
        data = _unzstd(path, member, data, MAXIMUM_TOTAL_BYTES)
    if not data.startswith(_SQLITE_MAGIC):
        raise PackageError(f"{path}: {member} is not an SQLite database")
    database = scratch / "collection.sqlite"
    database.write_bytes(data)
    del data
    package = AnkiPackage(path=path, member=member, created=0)
    try:
        _read_collection(database, package)
    except sqlite3.DatabaseError as error:
        raise PackageError(f"{path}: {member} cannot be read as an Anki collection ({error})") from None
    finally:
        database.unlink(missing_ok=True)
    package.media = _media_names(media_data)
    return package


def _checked_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAXIMUM_MEMBERS:
        raise PackageError(f"{path}: refused: {len(infos)} members (at most {MAXIMUM_MEMBERS})")
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            raise PackageError(f"{path}: refused: unsafe member path {name!r}")
        total += info.file_size
        if total > MAXIMUM_TOTAL_BYTES:
            raise PackageError(f"{path}: refused: more than {MAXIMUM_TOTAL_BYTES >> 20} MB once uncompressed")
        if info.file_size > _CHUNK and info.file_size > MAXIMUM_RATIO * max(1, info.compress_size):
            raise PackageError(
                f"{path}: refused: {name} would grow {info.file_size // max(1, info.compress_size)} times "
                f"when uncompressed (at most {MAXIMUM_RATIO})"
            )
        members[name] = info
    return members


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its header declares (a header may lie about a bomb)."""
    limit = min(info.file_size, MAXIMUM_TOTAL_BYTES)
    pieces: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PackageError(f"{path}: refused: {info.filename} is larger than its header says")
                pieces.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise PackageError(f"{path}: {info.filename} cannot be read ({error})") from None
    return b"".join(pieces)


def _unzstd(path: Path, member: str, data: bytes, limit: int) -> bytes:
    import zstandard

    if not data.startswith(_ZSTD_MAGIC):
        raise PackageError(f"{path}: {member} is not zstd-compressed")
    pieces: list[bytes] = []
    size = 0
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            while chunk := reader.read(_CHUNK):
                size += len(chunk)
                if size > limit or size > MAXIMUM_RATIO * max(len(data), _CHUNK):
                    raise PackageError(f"{path}: refused: {member} grows too large when uncompressed")
                pieces.append(chunk)
    except zstandard.ZstdError as error:
        raise PackageError(f"{path}: {member} cannot be uncompressed ({error})") from None
    return b"".join(pieces)


# the collection ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A column read as bytes, as text; invalid UTF-8 raises UnicodeDecodeError for the caller to report."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _read_collection(database: Path, package: AnkiPackage) -> None:
    connection = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
    connection.text_factory = bytes
    try:
        tables = {_text(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        needed = {"col", "notes", "cards", "revlog"}
        if not needed <= tables:
            missing = ", ".join(sorted(needed - tables))
            raise PackageError(f"{package.path}: {package.member} is not an Anki collection (no table {missing})")
        row = connection.execute("SELECT crt, ver FROM col").fetchone()
        if row is None:
            raise PackageError(f"{package.path}: {package.member} is not an Anki collection (empty col table)")
        package.created = int(row[0] or 0)
        if {"notetypes", "fields", "templates", "decks"} <= tables:
            _read_schema_18(connection, package)
        else:
            _read_schema_11(connection, package)
        _read_notes(connection, package)
        package.cards = [
            _card(row)
            for row in connection.execute(
                "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, type, queue,"
                " CASE WHEN odid != 0 AND odue != 0 THEN odue ELSE due END, ivl, reps, lapses, left, data"
                " FROM cards ORDER BY id"
            )
        ]
        package.revlog = [
            LogEntry(*(int(value or 0) for value in row))
            for row in connection.execute("SELECT id, cid, ease, ivl, time, type, factor FROM revlog ORDER BY id")
        ]
    except UnicodeDecodeError:
        raise PackageError(f"{package.path}: {package.member} holds text that is not valid UTF-8") from None
    except (TypeError, ValueError) as error:
        raise PackageError(f"{package.path}: {package.member} has an unexpected value ({error})") from None
    finally:
        connection.close()


def _card(row: tuple[Any, ...]) -> AnkiCard:
    numbers = [int(value or 0) for value in row[:11]]
    identifier, note, deck, ordinal, kind, queue, due, interval, reps, lapses, left = numbers
    return AnkiCard(identifier, note, deck, ordinal, kind, queue, due, interval, reps, lapses, left, _lenient(row[11]))


def _lenient(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")


def _read_schema_11(connection: sqlite3.Connection, package: AnkiPackage) -> None:
    models_text, decks_text = connection.execute("SELECT models, decks FROM col").fetchone()
    try:
        models = json.loads(_text(models_text) or "{}")
        decks = json.loads(_text(decks_text) or "{}")
    except json.JSONDecodeError:
        raise PackageError(f"{package.path}: {package.member}: note types or decks are not valid JSON") from None
    if not isinstance(models, dict) or not isinstance(decks, dict):
        raise PackageError(f"{package.path}: {package.member}: note types or decks are not JSON objects")
    for key, model in models.items():
        if not isinstance(model, dict):
            continue
        field_list = sorted((item for item in model.get("flds", []) if isinstance(item, dict)),
                            key=lambda item: int(item.get("ord", 0)))
        templates = sorted((item for item in model.get("tmpls", []) if isinstance(item, dict)),
                           key=lambda item: int(item.get("ord", 0)))
        package.notetypes[int(key)] = NoteType(
            id=int(key),
            name=str(model.get("name", key)),
            fields=tuple(str(item.get("name", "")) for item in field_list),
            cloze=model.get("type") == 1,
            questions=tuple(str(item.get("qfmt", "")) for item in templates),
        )
    for key, deck in decks.items():
        if isinstance(deck, dict):
            package.decks[int(key)] = str(deck.get("name", key))


def _read_schema_18(connection: sqlite3.Connection, package: AnkiPackage) -> None:
    fields: dict[int, list[str]] = {}
    for notetype, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(int(notetype), []).append(_text(name))
    questions: dict[int, list[str]] = {}
    for notetype, config in connection.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        question = _message(config).get(1, [b""])[0]
        questions.setdefault(int(notetype), []).append(_text(question) if isinstance(question, bytes) else "")
    for notetype, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        kind = _message(config).get(1, [0])[0]  # NotetypeConfig.kind: 0 normal, 1 cloze
        package.notetypes[int(notetype)] = NoteType(
            id=int(notetype),
            name=_text(name),
            fields=tuple(fields.get(int(notetype), [])),
            cloze=kind == 1,
            questions=tuple(questions.get(int(notetype), [])),
        )
    for deck, name in connection.execute("SELECT id, name FROM decks"):
        package.decks[int(deck)] = _text(name).replace("\x1f", "::")  # schema 18 separates levels with 0x1f


def _read_notes(connection: sqlite3.Connection, package: AnkiPackage) -> None:
    for note, guid, notetype, tags, fields in connection.execute("SELECT id, guid, mid, tags, flds FROM notes"):
        try:
            texts = tuple(_text(fields).split("\x1f"))
            tag_text = _text(tags)
            guid_text = _text(guid)
        except UnicodeDecodeError:
            package.problems.append(f"{package.path}: note {int(note)}: skipped: its text is not valid UTF-8")
            continue
        longest = max((len(text) for text in texts), default=0)
        if longest > MAXIMUM_FIELD_CHARACTERS:
            package.problems.append(
                f"{package.path}: note {guid_text}: skipped: a field of {longest} characters "
                f"(at most {MAXIMUM_FIELD_CHARACTERS})"
            )
            continue
        package.notes.append(AnkiNote(int(note), guid_text, int(notetype), tuple(tag_text.split()), texts))


# protobuf, only as far as needed -----------------------------------------------------------


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def _message(data: Any) -> dict[int, list[int | bytes]]:
    """The fields of a protobuf message: varints as ints, length-delimited fields as bytes; {} when unreadable."""
    if not isinstance(data, bytes):
        return {}
    found: dict[int, list[int | bytes]] = {}
    position = 0
    try:
        while position < len(data):
            key, position = _varint(data, position)
            number, wire = key >> 3, key & 7
            value: int | bytes
            if wire == 0:
                value, position = _varint(data, position)
            elif wire == 2:
                length, position = _varint(data, position)
                if position + length > len(data):
                    raise ValueError("truncated field")
                value, position = data[position : position + length], position + length
            elif wire in (1, 5):
                size = 8 if wire == 1 else 4
                value, position = int.from_bytes(data[position : position + size], "little"), position + size
            else:
                raise ValueError("unknown wire type")
            found.setdefault(number, []).append(value)
    except ValueError:
        return {}
    return found


def _media_names(data: bytes | None) -> list[str] | None:
    """Media file names: a JSON object in old packages, a zstd-compressed `MediaEntries` message in new ones."""
    if not data:
        return [] if data is not None else None
    if data.startswith(_ZSTD_MAGIC):
        try:
            data = _unzstd(Path("media"), "media", data, MAXIMUM_MEDIA_LIST_BYTES)
        except PackageError:
            return None
        names: list[str] = []
        for entry in _message(data).get(1, []):
            if isinstance(entry, bytes):
                name = _message(entry).get(1, [b""])[0]
                if isinstance(name, bytes) and name:
                    names.append(name.decode("utf-8", "replace"))
        return names
    try:
        listing = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return [str(name) for name in listing.values()] if isinstance(listing, dict) else None


def scratch_folder(home: Path) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder inside the data folder (nothing an import does is written elsewhere)."""
    home.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=".anki-import-", dir=home)


def replace_file(path: Path, text: str) -> bool:
    """Write text to `path` through a temporary file beside it; False (nothing written) when it is unchanged."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
