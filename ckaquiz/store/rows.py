"""How cards, schedules and reviews are written as rows, and read back: the columns written once.

Times are stored as fixed-width ISO-8601 UTC text (`to_text`), so that stored times sort and
compare as text. A card's content fingerprint (`content_hash`) tells changed cards from
unchanged ones at a scan and must never change for the same content.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring as _json_string  # json's C string encoder when it has one
from typing import Any

from ckaquiz.model import Card, CardKind, CardState, Rating, Review, Schedule, SourceLocation

CARD_COLUMNS_SQL = (
    "number, id, deck, kind, prompt, answer, tags, key_points, sibling_key, explanation, reference, fields, "
    "source_path, source_line, active, state, step, stability, difficulty, due, last_review, reps, lapses"
)


CARD_COLUMNS = tuple(name.strip() for name in CARD_COLUMNS_SQL.split(","))
"""The columns of a card row (`stored_card`, `ckaquiz.store.cards.iter_card_rows`), in their order."""

CONTENT_COLUMNS = (
    "id", "deck", "kind", "prompt", "answer", "tags", "key_points", "sibling_key", "explanation", "reference", "fields"
)  # fmt: skip
"""The content columns of a card, in the order of the values `content_values_and_hash` gives."""
PLACE_COLUMNS = ("source_path", "source_line", "content_hash")
"""Where a card was read, and its fingerprint: written after the content by every writer of cards."""


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
    return content_values_and_hash(card)[1]


def content_values_and_hash(card: Card, json_seen: dict[Any, Any] | None = None) -> tuple[tuple[Any, ...], str]:
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


@dataclass(frozen=True)
class StoredCard:
    """A card as the store holds it: content, its scheduling state, and its row number."""

    number: int
    card: Card
    schedule: Schedule
    active: bool = True


CARD_STATES = {state.value: state for state in CardState}
CARD_KINDS = {kind.value: kind for kind in CardKind}


@functools.lru_cache(maxsize=4096)
def _tag_tuple(text: str) -> tuple[str, ...]:
    """A card's tags from their JSON; cards share few tag sets, and a tuple can be shared."""
    return tuple(json.loads(text))


def stored_card(row: Sequence[Any]) -> StoredCard:
    """Build a StoredCard from a row of `CARD_COLUMNS_SQL`: a `sqlite3.Row` or, faster to read, a plain tuple."""
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
        kind=CARD_KINDS[kind],
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
        state=CARD_STATES[state],
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=None if due is None else datetime.fromisoformat(due),
        last_review=None if last_review is None else datetime.fromisoformat(last_review),
        reps=reps,
        lapses=lapses,
    )
    return StoredCard(number=number, card=card, schedule=schedule, active=bool(active))


def schedule_values(schedule: Schedule) -> tuple[Any, ...]:
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


SCHEDULE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
"""A schedule's columns, in the order of `schedule_values`."""
_SCHEDULE_COLUMNS = {
    suffix: tuple(f"{name}{suffix}" for name in SCHEDULE_COLUMNS) for suffix in ("", "_before", "_after")
}


def schedule_from_row(row: sqlite3.Row, suffix: str = "") -> Schedule:
    state, step, stability, difficulty, due, last_review, reps, lapses = _SCHEDULE_COLUMNS[suffix]
    return Schedule(
        state=CARD_STATES[row[state]],
        step=row[step],
        stability=row[stability],
        difficulty=row[difficulty],
        due=from_text(row[due]),
        last_review=from_text(row[last_review]),
        reps=row[reps],
        lapses=row[lapses],
    )


def review_from_row(row: sqlite3.Row) -> Review:
    return Review(
        id=row["id"],
        card_id=row["card_id"],
        rating=Rating(row["rating"]),
        reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
        duration_ms=row["duration_ms"],
        before=schedule_from_row(row, "_before"),
        after=schedule_from_row(row, "_after"),
        session_id=row["session_id"] or "",
    )


NEW_SCHEDULE_VALUES = schedule_values(Schedule())


def plain_rows(connection: sqlite3.Connection, query: str, parameters: Sequence[Any]) -> sqlite3.Cursor:
    """Rows as plain tuples: building a `sqlite3.Row` for each of 100,000 rows costs more than the query."""
    cursor = connection.cursor()
    cursor.row_factory = None
    return cursor.execute(query, parameters)


def chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """`items` a slice at a time: SQLite takes a limited number of parameters in one statement."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
