"""Export: an Anki package (.apkg), or cards with their scheduling state (and the review log) as CSV or JSON.

Nothing is ever overwritten without `force`, and every file is written to a temporary name
beside the target first, so an interrupted export leaves no half-written file behind.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ckaquiz.backup import process_alive
from ckaquiz.errors import UsageError
from ckaquiz.model import Card, CardKind, ChoiceDetails, ClozeDetails, CommandDetails, Review, Schedule
from ckaquiz.printable import escape_json_controls
from ckaquiz.records import card_record
from ckaquiz.store import StoredCard, to_text

EXPORT_FORMAT = "ckaquiz-export"
EXPORT_VERSION = 1
CSV_CARD_COLUMNS = (
    "id",
    "deck",
    "kind",
    "prompt",
    "answer",
    "tags",
    "state",
    "step",
    "due",
    "last_review",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "active",
    "source_path",
    "source_line",
    "reference",
    "explanation",
    "key_points",
    "options",
    "answers",
    "alternatives",
    "sibling_key",
    "fields",
)
CSV_REVIEW_COLUMNS = (
    "id",
    "card_id",
    "session_id",
    "rating",
    "reviewed_at",
    "duration_ms",
    "state_before",
    "stability_before",
    "difficulty_before",
    "due_before",
    "state_after",
    "stability_after",
    "difficulty_after",
    "due_after",
    "lapses_after",
)
_DELETION_NUMBER = re.compile(r":c(\d+)$")


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    cards: int
    notes: int = 0
    decks: int = 0
    reviews: int = 0
    reviews_path: Path | None = None


# files -------------------------------------------------------------------------------------


def refuse_overwrite(path: Path, *, force: bool) -> None:
    """Raise a UsageError when the file exists and `force` was not given."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists (use --force to overwrite it)")
    if path.is_dir():
        raise UsageError(f"{path} is a folder")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    _remove_abandoned_parts(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o600)  # the review log is the learner's own: readable by them only, whatever the umask
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_abandoned_parts(path: Path) -> None:
    """Remove half-written copies of this export left by a killed run (their process is gone)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[^.]+\.part$")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match is None or process_alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()


def reviews_path_for(path: Path) -> Path:
    """Where a CSV export puts the review log: `cards.csv` -> `cards.reviews.csv`."""
    return path.with_name(f"{path.stem}.reviews{path.suffix or '.csv'}")


# Anki --------------------------------------------------------------------------------------


@dataclass
class AnkiNote:
    """One Anki note to be: its note type, fields, tags, deck and stable GUID."""

    model: str
    fields: list[str]
    tags: list[str]
    deck: str
    guid: str
    cards: int = 1
    ids: list[str] = field(default_factory=list)


def anki_tag(tag: str) -> str:
    """A tag as Anki accepts it: no spaces (they become `_`)."""
    return "_".join(tag.split())


def anki_deck_id(name: str) -> int:
    """A stable Anki deck id for a deck name (in genanki's recommended range 2**30..2**31)."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")
    return (1 << 30) + digest % (1 << 30)


def _html(text: str) -> str:
    from ckaquiz.markdown_html import to_html

    return to_html(text)


def _code(text: str, language: str = "") -> str:
    from ckaquiz.markdown_html import code_html

    return code_html(text, language)


_CODE_LANGUAGE = {CardKind.COMMAND: "bash", CardKind.MANIFEST: "yaml"}


def _back_extras(card: Card) -> list[str]:
    parts: list[str] = []
    if card.explanation:
        parts.append(_html(card.explanation))
    if card.reference:
        link = html.escape(card.reference, quote=True)
        parts.append(f'<a href="{link}">{link}</a>')
    return parts


def _answer_html(card: Card) -> str:
    if card.kind in (CardKind.COMMAND, CardKind.MANIFEST):
        language = _CODE_LANGUAGE[card.kind]
        parts = [_code(card.answer, language)]
        details = card.details
        alternatives = list(details.alternatives) if isinstance(details, CommandDetails) else []
        if alternatives:
            parts.append("also accepted:" + "".join(_code(item, language) for item in alternatives))
        return "".join(parts)
    return _html(card.answer)


def _question_html(card: Card) -> str:
    if card.kind is CardKind.CHOICE:
        details = card.details
        options = list(details.options) if isinstance(details, ChoiceDetails) else []
        listing = "".join(f"<li>{_html(option)}</li>" for option in options)
        return f"{_html(card.prompt)}<ol>{listing}</ol>"
    if card.kind is CardKind.RECALL:
        return f"Write everything you remember about:<br><b>{_html(card.prompt)}</b>"
    return _html(card.prompt)


def cloze_text(cards: Sequence[Card]) -> str:
    """Rebuild an Anki cloze text (`{{c1::...}}`) from the deletion cards of one entry.

    Each card's prompt shows its deletion as `[...]` and its full text shows it as `**...**`;
    they differ only there, so the common prefix and suffix place every deletion exactly.
    """
    base: str | None = None
    spans: list[tuple[int, int, int]] = []
    for card in cards:
        match = _DELETION_NUMBER.search(card.id)
        number = int(match.group(1)) if match else len(spans) + 1
        details = card.details
        full = details.full_text if isinstance(details, ClozeDetails) else ""
        marked = f"**{card.answer}**"
        prompt = card.prompt
        start = _common_prefix(prompt, full)
        end = _common_suffix(prompt[start:], full[start:])
        if not full or full[start : len(full) - end] != marked or prompt[start : len(prompt) - end] != "[...]":
            return _html(prompt).replace("[...]", f"{{{{c{number}::{_html(card.answer)}}}}}", 1)
        text = full[:start] + card.answer + full[len(full) - end :]
        if base is None:
            base = text
        elif base != text:
            return _html(cards[0].prompt)
        spans.append((start, start + len(card.answer), number))
    if base is None:
        return ""
    from ckaquiz.markdown_html import cloze_html

    return cloze_html(base, spans)


def _common_prefix(first: str, second: str) -> int:
    length = 0
    for left, right in zip(first, second, strict=False):
        if left != right:
            break
        length += 1
    return length


def _common_suffix(first: str, second: str) -> int:
    return _common_prefix(first[::-1], second[::-1])


def anki_notes(cards: Iterable[Card]) -> list[AnkiNote]:
    """Map cards to Anki notes: reversed pairs share a note, cloze deletions of one entry share a note."""
    chosen = list(cards)
    ids = {card.id for card in chosen}
    notes: list[AnkiNote] = []
    clozes: dict[str, list[Card]] = {}
    for card in chosen:
        tags = [anki_tag(tag) for tag in card.tags if anki_tag(tag)]
        extras = _back_extras(card)
        if card.kind is CardKind.CLOZE:
            group = clozes.setdefault(card.sibling_key or card.id, [])
            if not group:
                notes.append(
                    AnkiNote(model="cloze", fields=[], tags=tags, deck=card.deck, guid=card.sibling_key or card.id)
                )
            group.append(card)
            continue
        if card.kind is CardKind.BASIC and card.id.endswith(":r") and card.id[:-2] in ids:
            continue  # the forward card's note makes both directions
        reversed_pair = card.kind is CardKind.BASIC and f"{card.id}:r" in ids
        back = "<br><br>".join([_answer_html(card), *extras])
        notes.append(
            AnkiNote(
                model="basic-reversed" if reversed_pair else "basic",
                fields=[_question_html(card), back],
                tags=tags,
                deck=card.deck,
                guid=card.id,
                cards=2 if reversed_pair else 1,
                ids=[card.id, f"{card.id}:r"] if reversed_pair else [card.id],
            )
        )
    for note in notes:
        if note.model == "cloze":
            group = sorted(clozes[note.guid], key=lambda card: _deletion_number(card.id))
            note.fields = [cloze_text(group), "<br><br>".join(_back_extras(group[0]))]
            note.cards = len(group)
            note.ids = [card.id for card in group]
    return notes


def _deletion_number(card_id: str) -> int:
    match = _DELETION_NUMBER.search(card_id)
    return int(match.group(1)) if match else 0


@dataclass(frozen=True)
class AnkiHistory:
    """What `--with-history` adds: the review log, the study day's start and the step counts."""

    reviews: Sequence[Review]
    day_start: datetime
    learning_steps: int
    relearning_steps: int
    desired_retention: float


def export_anki(
    cards: Sequence[StoredCard],
    path: Path,
    *,
    now: datetime,
    force: bool = False,
    history: AnkiHistory | None = None,
) -> ExportSummary:
    """Write an Anki package: one Anki deck per ckaquiz deck, note GUIDs stable across exports.

    With `history`, every card keeps its scheduling state and its answers become Anki revlog rows.
    """
    import genanki

    refuse_overwrite(path, force=force)
    models = {
        "basic": genanki.BASIC_MODEL,
        "basic-reversed": genanki.BASIC_AND_REVERSED_CARD_MODEL,
        "cloze": genanki.CLOZE_MODEL,
    }
    notes = anki_notes(stored.card for stored in cards)
    decks: dict[str, Any] = {}
    for note in notes:
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(anki_deck_id(note.deck), note.deck)
        deck.add_note(
            genanki.Note(model=models[note.model], fields=note.fields, tags=note.tags, guid=genanki.guid_for(note.guid))
        )
    package = genanki.Package([decks[name] for name in sorted(decks)])
    written_reviews = 0

    def write(temporary: Path) -> None:
        nonlocal written_reviews
        package.write_to_file(str(temporary), timestamp=now.timestamp())
        if history is not None:
            written_reviews = _add_history(temporary, notes, cards, history)

    _write_atomically(path, write)
    return ExportSummary(
        path=path,
        cards=sum(note.cards for note in notes),
        notes=len(notes),
        decks=len(decks),
        reviews=written_reviews,
    )


def _anki_card_ids(connection: sqlite3.Connection, notes: Sequence[AnkiNote]) -> dict[str, int]:
    """Each exported ckaquiz card id with the id genanki gave its Anki card (matched by note GUID and ord)."""
    import genanki

    by_guid = {genanki.guid_for(note.guid): note for note in notes}
    found: dict[str, int] = {}
    rows = connection.execute("SELECT c.id, c.ord, n.guid FROM cards c JOIN notes n ON n.id = c.nid")
    for anki_id, ordinal, guid in rows:
        note = by_guid.get(guid)
        if note is None:
            continue
        if note.model == "cloze":
            card_id = next((item for item in note.ids if _deletion_number(item) == ordinal + 1), None)
        else:
            card_id = note.ids[ordinal] if ordinal < len(note.ids) else None
        if card_id is not None:
            found[card_id] = int(anki_id)
    return found


def _add_history(
    package_path: Path, notes: Sequence[AnkiNote], cards: Sequence[StoredCard], history: AnkiHistory
) -> int:
    """Rewrite the package's collection with every card's schedule and the review log; the count of rows."""
    from ckaquiz.anki_history import card_state, revlog_rows, write_history

    with tempfile.TemporaryDirectory(prefix=".ckaquiz-anki-", dir=package_path.parent) as scratch:
        collection_path = Path(scratch) / "collection.anki2"
        with zipfile.ZipFile(package_path) as archive:
            collection_path.write_bytes(archive.read("collection.anki2"))
            media = archive.read("media")
        connection = sqlite3.connect(collection_path)
        try:
            anki_ids = _anki_card_ids(connection, notes)
            schedules = {stored.card.id: stored.schedule for stored in cards}
            states = {
                anki_id: card_state(
                    schedules[card_id],
                    created=history.day_start,
                    new_position=position,
                    learning_steps=history.learning_steps,
                    relearning_steps=history.relearning_steps,
                    desired_retention=history.desired_retention,
                )
                for position, (card_id, anki_id) in enumerate(anki_ids.items(), start=1)
                if card_id in schedules
            }
            revlog = revlog_rows(history.reviews, anki_ids)
            with connection:
                write_history(connection, created=history.day_start, states=states, revlog=revlog)
        finally:
            connection.close()
        with zipfile.ZipFile(package_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection_path, "collection.anki2")
            archive.writestr("media", media)
    return len(revlog)


# CSV and JSON ------------------------------------------------------------------------------


def _schedule_record(schedule: Schedule) -> dict[str, Any]:
    return {
        "state": schedule.state.value,
        "step": schedule.step,
        "stability": schedule.stability,
        "difficulty": schedule.difficulty,
        "due": to_text(schedule.due),
        "last_review": to_text(schedule.last_review),
        "reps": schedule.reps,
        "lapses": schedule.lapses,
    }


def _content_record(card: Card) -> dict[str, Any]:
    """What a re-import needs beyond `cards --json`: the kind's own fields (choice answers, accepted
    alternatives, a command's time, a manifest's strictness, a cloze's full text) and the entry it came from."""
    details = card.details
    return {
        "answers": list(details.answers) if isinstance(details, ChoiceDetails) else None,
        "alternatives": list(details.alternatives) if isinstance(details, CommandDetails) else None,
        "sibling_key": card.sibling_key,
        "fields": dict(card.fields),
    }


def export_card_record(stored: StoredCard) -> dict[str, Any]:
    """One card in a JSON export: the `cards --json` record, the kind's fields and its full scheduling state."""
    return card_record(stored) | _content_record(stored.card) | _schedule_record(stored.schedule)


def review_record(review: Review) -> dict[str, Any]:
    """One answer of the review log, with the card's schedule before and after it."""
    return {
        "id": review.id,
        "card_id": review.card_id,
        "session_id": review.session_id or None,
        "rating": int(review.rating),
        "reviewed_at": to_text(review.reviewed_at),
        "duration_ms": review.duration_ms,
        "before": _schedule_record(review.before),
        "after": _schedule_record(review.after),
    }


def _csv_text(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def _card_row(stored: StoredCard) -> list[Any]:
    card, schedule = stored.card, stored.schedule
    record, content = card_record(stored), _content_record(card)
    return [
        card.id,
        card.deck,
        card.kind.value,
        card.prompt,
        card.answer,
        " ".join(anki_tag(tag) for tag in card.tags),
        schedule.state.value,
        schedule.step,
        to_text(schedule.due),
        to_text(schedule.last_review),
        schedule.stability,
        schedule.difficulty,
        schedule.reps,
        schedule.lapses,
        int(stored.active),
        card.source.path,
        card.source.line,
        card.reference,
        card.explanation,
        _json_cell(list(card.key_points)),
        _json_cell(record["options"]),
        _json_cell(content["answers"]),
        _json_cell(content["alternatives"]),
        card.sibling_key,
        _json_cell(content["fields"]),
    ]


def _json_cell(value: Any) -> str:
    """A list or mapping in one CSV cell, as JSON; empty for None."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _review_row(review: Review) -> list[Any]:
    return [
        review.id,
        review.card_id,
        review.session_id,
        int(review.rating),
        to_text(review.reviewed_at),
        review.duration_ms,
        review.before.state.value,
        review.before.stability,
        review.before.difficulty,
        to_text(review.before.due),
        review.after.state.value,
        review.after.stability,
        review.after.difficulty,
        to_text(review.after.due),
        review.after.lapses,
    ]


def _write_text(path: Path, text: str) -> None:
    def write(temporary: Path) -> None:
        temporary.write_text(text, encoding="utf-8", newline="")

    _write_atomically(path, write)


def export_csv(
    cards: Sequence[StoredCard],
    path: Path,
    *,
    reviews: Sequence[Review] | None = None,
    force: bool = False,
) -> ExportSummary:
    """Cards with their scheduling state as CSV; with `reviews`, the log goes to `NAME.reviews.csv` beside it."""
    refuse_overwrite(path, force=force)
    log_path = reviews_path_for(path) if reviews is not None else None
    if log_path is not None:
        refuse_overwrite(log_path, force=force)
    _write_text(path, _csv_text((_card_row(stored) for stored in cards), CSV_CARD_COLUMNS))
    if log_path is not None and reviews is not None:
        _write_text(log_path, _csv_text((_review_row(review) for review in reviews), CSV_REVIEW_COLUMNS))
    return ExportSummary(
        path=path, cards=len(cards), reviews=len(reviews or ()), reviews_path=log_path, decks=_deck_count(cards)
    )


def export_json(
    cards: Sequence[StoredCard],
    path: Path,
    *,
    now: datetime,
    filters: dict[str, object],
    reviews: Sequence[Review] | None = None,
    force: bool = False,
) -> ExportSummary:
    """Cards with their scheduling state (and, with `reviews`, the review log) as one JSON document."""
    refuse_overwrite(path, force=force)
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": to_text(now),
        "filters": filters,
        "cards": [export_card_record(stored) for stored in cards],
    }
    if reviews is not None:
        document["reviews"] = [review_record(review) for review in reviews]
    _write_text(path, escape_json_controls(json.dumps(document, ensure_ascii=False, indent=1)) + "\n")
    return ExportSummary(path=path, cards=len(cards), reviews=len(reviews or ()), decks=_deck_count(cards))


def _deck_count(cards: Sequence[StoredCard]) -> int:
    return len({stored.card.deck for stored in cards})
