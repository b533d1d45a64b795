"""`ckaquiz import deck.apkg`: an Anki package becomes deck files inside the data folder, and a source.

Each Anki deck becomes one YAML deck in `imported/<package>/` (inside `CKAQUIZ_HOME`), whose
entries carry explicit ids made from the note's GUID, so importing the same package again updates
those files in place and every card keeps its id and history. Notes map as follows:

- a cloze note type: a cloze entry (`{{c1::text::hint}}` -> `{{text}}`); when its numbers are not
  1, 2, 3 ... in reading order, one entry per Anki card;
- a note type of two templates asking the first field, then the second: a basic entry with
  `reverse: true` (when the note has its reverse card);
- any other note type: a basic card of the first two fields.

Fields after the ones used become the explanation. HTML becomes Markdown; `::` in tags and deck
names becomes `/`. With `--with-history`, each rated revlog row becomes a review (ease 1-4 as
Again..Easy, its id as the time, its time as the duration) replayed through the scheduler, and
the last one ends in the card's state as Anki had it (due date, and stability and difficulty
from the card's FSRS memory when Anki kept one). Rows that are not answers the card's schedule
followed are left out, and counted: manual reschedules and "set due date" (type 4), Anki's own
rescheduling (type 5), anything without a grade of 1-4, and answers in a filtered deck that
does not reschedule (type 3 with no ease factor, as Anki's FSRS leaves them out too). A filtered
deck that reschedules logs its answers with the card's ease factor: those count.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ckaquiz.anki_package import AnkiCard, AnkiNote, AnkiPackage, LogEntry, NoteType, read_package, replace_file
from ckaquiz.decks.identity import explicit_id, slugify
from ckaquiz.errors import UsageError
from ckaquiz.model import CardState, Rating, Review, Schedule
from ckaquiz.progress import Progress
from ckaquiz.store import find_source, record_review_in_transaction, register_source, set_schedule_in_transaction

IMPORTED_FOLDER = "imported"
HISTORY_SESSION = "anki-import"
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::((?:(?!\}\}).)*?))?\}\}", re.DOTALL)
_FIELD_REFERENCE = re.compile(r"\{\{([^#/^}][^}]*)\}\}")
_HARD_BREAK = re.compile(r" {2,}\n")
_EPOCH_SECONDS = 1_000_000_000  # due values above this are times (learning cards), below: day numbers
_FILTERED, _MANUAL, _RESCHEDULED = 3, 4, 5  # revlog types

if TYPE_CHECKING:
    from ckaquiz.collection import Collection
    from ckaquiz.importing import ScanReport
    from ckaquiz.store import SourceRecord



@dataclass
class PlannedCard:
    """Where one Anki card's history goes: the ckaquiz card id it became."""

    card_id: str
    anki: AnkiCard


@dataclass
class ImportPlan:
    """The deck files to write and the Anki card behind each ckaquiz card."""

    decks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cards: list[PlannedCard] = field(default_factory=list)
    notes: int = 0
    skipped_cards: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnkiImport:
    """What an import did, for its summary line."""

    source: SourceRecord
    report: ScanReport
    notes: int
    decks: int
    media: int | None
    reviews_added: int
    reviews_left_out: int
    format: str
    with_history: bool


def deck_name(anki_name: str) -> str:
    """An Anki deck name as a ckaquiz deck name: levels (`A::B`) joined by `/`, as tags are."""
    levels = [level.strip() for level in anki_name.split("::") if level.strip()]
    return "/".join(levels) or "Default"


def tag_name(anki_tag: str) -> str:
    """An Anki tag as a ckaquiz tag: its `::` hierarchy becomes `/`."""
    return "/".join(part for part in anki_tag.split("::") if part)


def entry_id(guid: str) -> str:
    """The explicit id of a note's entry: stable for its GUID, and safe to type in a shell."""
    return "anki-" + hashlib.sha1(guid.encode("utf-8")).hexdigest()[:12]


def _markdown(fragment: str) -> str:
    from ckaquiz.markdown_html import to_markdown

    # a `<br>` becomes a hard break (two spaces, a newline): the newline alone reads the same in a card
    return _HARD_BREAK.sub("\n", to_markdown(fragment)) if fragment.strip() else ""


def _is_reversed(notetype: NoteType) -> bool:
    if notetype.cloze or len(notetype.questions) != 2 or len(notetype.fields) < 2:
        return False
    first = {name.strip() for name in _FIELD_REFERENCE.findall(notetype.questions[0])}
    second = {name.strip() for name in _FIELD_REFERENCE.findall(notetype.questions[1])}
    front, back = notetype.fields[0], notetype.fields[1]
    return front in first and back in second and back not in first


def plan_import(package: AnkiPackage, *, deck_override: str | None = None) -> ImportPlan:
    """Entries per ckaquiz deck for every note the package holds, and the ckaquiz id of each Anki card."""
    plan = ImportPlan(problems=list(package.problems))
    cards_by_note: dict[int, list[AnkiCard]] = {}
    for card in package.cards:
        cards_by_note.setdefault(card.note, []).append(card)
    refused_types: set[int] = set()
    for note in package.notes:
        notetype = package.notetypes.get(note.notetype)
        where = f"{package.path}: note {note.guid}"
        if notetype is None or not notetype.fields:
            if note.notetype not in refused_types:
                name = f"note type {notetype.name!r}" if notetype else f"note type {note.notetype}"
                plan.problems.append(f"{package.path}: {name} has no fields: its notes are skipped")
                refused_types.add(note.notetype)
            continue
        cards = sorted(cards_by_note.get(note.id, []), key=lambda card: card.ordinal)
        if not cards:
            continue
        deck = deck_override or deck_name(package.decks.get(cards[0].deck, "Default"))
        tags = sorted({tag_name(tag) for tag in note.tags if tag_name(tag)})
        made = _note_entries(note, notetype, cards, deck, tags, plan, where)
        if made:
            plan.notes += 1
            plan.decks.setdefault(deck, []).extend(made)
    return plan


def _common(identifier: str, tags: list[str], explanation: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": identifier}
    if tags:
        entry["tags"] = tags
    if explanation:
        entry["explanation"] = explanation
    return entry


def _note_entries(
    note: AnkiNote,
    notetype: NoteType,
    cards: list[AnkiCard],
    deck: str,
    tags: list[str],
    plan: ImportPlan,
    where: str,
) -> list[dict[str, Any]]:
    identifier = entry_id(note.guid)
    fields = list(note.fields) + [""] * (len(notetype.fields) - len(note.fields))
    if notetype.cloze:
        explanation = "\n\n".join(text for text in (_markdown(item) for item in fields[1:]) if text)
        return _cloze_entries(_markdown(fields[0]), cards, deck, identifier, tags, explanation, plan, where)
    front, back = _markdown(fields[0]), _markdown(fields[1] if len(fields) > 1 else "")
    if not front or not back:
        plan.problems.append(f"{where}: skipped: its {'front' if not front else 'back'} field is empty")
        return []
    explanation = "\n\n".join(text for text in (_markdown(item) for item in fields[2:]) if text)
    entry = {**_common(identifier, tags, explanation), "front": front, "back": back}
    base = explicit_id(deck, identifier)
    by_ordinal = {card.ordinal: card for card in cards}
    plan.cards.append(PlannedCard(base, by_ordinal.get(0, cards[0])))
    if _is_reversed(notetype) and 1 in by_ordinal:
        entry["reverse"] = True
        plan.cards.append(PlannedCard(f"{base}:r", by_ordinal[1]))
    plan.skipped_cards += sum(1 for card in cards if card.ordinal > (1 if entry.get("reverse") else 0))
    return [entry]


def _cloze_entries(
    text: str,
    cards: list[AnkiCard],
    deck: str,
    identifier: str,
    tags: list[str],
    explanation: str,
    plan: ImportPlan,
    where: str,
) -> list[dict[str, Any]]:
    deletions = list(_CLOZE.finditer(text))
    numbers = [int(match.group(1)) for match in deletions]
    if not deletions:
        plan.problems.append(f"{where}: skipped: a cloze note without a {{{{c1::...}}}} deletion")
        return []
    ordinals = sorted(card.ordinal for card in cards)
    if numbers == list(range(1, len(numbers) + 1)) and ordinals == [number - 1 for number in numbers]:
        entry = {"kind": "cloze", **_common(identifier, tags, explanation), "text": _CLOZE.sub(r"{{\2}}", text)}
        base = explicit_id(deck, identifier)
        plan.cards.extend(PlannedCard(f"{base}:c{card.ordinal + 1}", card) for card in cards)
        return [entry]
    entries: list[dict[str, Any]] = []
    for card in cards:  # numbers repeated, skipped or out of order: one entry per Anki card
        number = card.ordinal + 1
        own = [match for match in deletions if int(match.group(1)) == number]
        if not own:
            plan.skipped_cards += 1
            continue
        own_id = f"{identifier}-c{number}"
        if len(own) == 1:
            shown = _CLOZE.sub(functools.partial(_shown, number=number, hidden="{{%s}}"), text)
            entries.append({"kind": "cloze", **_common(own_id, tags, explanation), "text": shown})
            plan.cards.append(PlannedCard(f"{explicit_id(deck, own_id)}:c1", card))
            continue
        prompt = _CLOZE.sub(functools.partial(_shown, number=number, hidden=None), text)
        answer = "; ".join(match.group(2) for match in own)
        entries.append({**_common(own_id, tags, explanation), "front": prompt, "back": answer})
        plan.cards.append(PlannedCard(explicit_id(deck, own_id), card))
    return entries


def _shown(match: re.Match[str], *, number: int, hidden: str | None) -> str:
    """A deletion as the card of `number` shows it: its own hidden (`hidden % text`, or its hint), others as text."""
    if int(match.group(1)) != number:
        return match.group(2)
    return hidden % match.group(2) if hidden is not None else f"[{match.group(3) or '...'}]"


# deck files --------------------------------------------------------------------------------


def deck_file_text(deck: str, entries: list[dict[str, Any]], *, package: str) -> str:
    """One YAML deck of imported entries."""
    import yaml

    header = f"# Imported from the Anki package {package}; importing it again replaces this file.\n"
    body = yaml.safe_dump({"deck": deck, "cards": entries}, allow_unicode=True, sort_keys=False, width=1_000_000)
    return header + body


def write_deck_files(folder: Path, plan: ImportPlan, *, package: str) -> None:
    """The plan's decks as YAML files in `folder`; deck files no longer in the package are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, str] = {}
    for deck in sorted(plan.decks):
        stem = slugify(deck.replace("/", "-"))
        name, number = f"{stem}.yaml", 1
        while name in wanted:
            number += 1
            name = f"{stem}-{number}.yaml"
        wanted[name] = deck_file_text(deck, plan.decks[deck], package=package)
    for name, text in wanted.items():
        replace_file(folder / name, text)
    for stale in folder.glob("*.yaml"):
        if stale.name not in wanted:
            stale.unlink()


# history -----------------------------------------------------------------------------------


def _local_day(created: int, day: int, day_starts_at: int) -> datetime:
    """The start of study day `day` of an Anki collection: its creation's calendar date plus `day` days."""
    created_date: date = datetime.fromtimestamp(created, UTC).astimezone().date()
    local = datetime.combine(created_date + timedelta(days=day), time(day_starts_at)).astimezone()
    return local.astimezone(UTC)


def anki_due(card: AnkiCard, *, created: int, day_starts_at: int) -> datetime | None:
    """When Anki has the card due; None for a new card."""
    if card.type == 0:
        return None
    if card.type in (1, 3) and card.due > _EPOCH_SECONDS:
        return datetime.fromtimestamp(card.due, UTC)
    return _local_day(created, card.due, day_starts_at)


def _memory(card: AnkiCard) -> tuple[float | None, float | None, int | None]:
    try:
        data = json.loads(card.data or "{}")
    except json.JSONDecodeError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None

    def number(key: str) -> float | None:
        value = data.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    last = number("lrt")
    return number("s"), number("d"), None if last is None else int(last)


_STATES = {1: CardState.LEARNING, 2: CardState.REVIEW, 3: CardState.RELEARNING}


def final_schedule(card: AnkiCard, replayed: Schedule, *, created: int, day_starts_at: int, steps: int) -> Schedule:
    """The replayed schedule with Anki's own state, due date and (when kept) FSRS memory."""
    if card.type == 0:
        return replace(Schedule(), reps=replayed.reps, lapses=card.lapses)
    stability, difficulty, last = _memory(card)
    state = _STATES.get(card.type, CardState.REVIEW)
    step = None
    if state is not CardState.REVIEW:
        remaining = card.left % 1000
        step = max(0, steps - remaining) if remaining else replayed.step or 0
    return Schedule(
        state=state,
        step=step,
        stability=stability if stability is not None else replayed.stability,
        difficulty=difficulty if difficulty is not None else replayed.difficulty,
        due=anki_due(card, created=created, day_starts_at=day_starts_at),
        last_review=datetime.fromtimestamp(last, UTC) if last is not None else replayed.last_review,
        reps=replayed.reps,
        lapses=card.lapses,
    )


def counts_as_answer(entry: LogEntry) -> bool:
    """Whether a revlog row is an answer the schedule followed (see the module's rule)."""
    if not 1 <= entry.ease <= 4 or entry.type in (_MANUAL, _RESCHEDULED):
        return False
    return entry.type != _FILTERED or entry.factor != 0


def import_history(collection: Collection, package: AnkiPackage, plan: ImportPlan) -> tuple[int, int]:
    """Add each planned card's rated revlog rows as reviews and set its schedule; (added, left out).

    Rows already in the card's log (same time) are not added twice; a card answered in ckaquiz
    after its last Anki answer keeps its ckaquiz schedule.
    """
    from ckaquiz.scheduling import make_scheduler, review

    settings = collection.settings
    scheduler = make_scheduler(replace(settings, enable_fuzzing=False))
    steps = len(settings.learning_steps)
    by_card: dict[int, list[LogEntry]] = {}
    for entry in package.revlog:
        by_card.setdefault(entry.card, []).append(entry)
    added = left_out = 0
    store = collection.store
    with store.transaction() as connection:
        for planned in plan.cards:
            entries = by_card.get(planned.anki.id, [])
            answers = [entry for entry in entries if counts_as_answer(entry)]
            left_out += len(entries) - len(answers)
            stored = store.card(planned.card_id)
            if stored is None or not answers:
                continue
            known = {item.reviewed_at for item in store.reviews(card_id=planned.card_id, include_undone=True)}
            latest_known = max(known, default=None)
            schedule = Schedule()
            new_reviews: list[Review] = []
            for index, entry in enumerate(answers):
                at = datetime.fromtimestamp(entry.id / 1000, UTC)
                after = review(scheduler, stored.number, schedule, Rating(entry.ease), at, card_id=stored.card.id)
                if index == len(answers) - 1:
                    after = final_schedule(
                        planned.anki, after, created=package.created, day_starts_at=settings.day_starts_at, steps=steps
                    )
                if at not in known:
                    new_reviews.append(
                        Review(planned.card_id, Rating(entry.ease), at, max(0, entry.time_ms), schedule, after,
                               HISTORY_SESSION)
                    )
                schedule = after
            for item in new_reviews:
                record_review_in_transaction(store, connection, item, stored.number)
            added += len(new_reviews)
            last_answer = datetime.fromtimestamp(answers[-1].id / 1000, UTC)
            if latest_known is not None and latest_known > last_answer:
                set_schedule_in_transaction(store, connection, stored.number, stored.schedule)
    return added, left_out


# the command -------------------------------------------------------------------------------


def import_package(
    collection: Collection,
    path: Path,
    *,
    deck: str | None = None,
    with_history: bool = False,
    progress: Progress | None = None,
) -> AnkiImport:
    """Convert a package into deck files inside the data folder, register them as a source, scan it."""
    from ckaquiz.anki_package import scratch_folder

    resolved = path.expanduser().resolve()
    if not resolved.exists():
        raise UsageError(f"{path}: no such file")
    if not resolved.is_file():
        raise UsageError(f"{path}: not a regular file (an Anki package is a .apkg or .colpkg file)")
    name = deck or resolved.stem
    folder = collection.home / IMPORTED_FOLDER / slugify(name)
    clash = find_source(collection.store, name)
    if clash is not None and clash.path != str(folder) and clash.active:
        raise UsageError(f"a source named {name!r} already reads {clash.path}; choose another --deck name")
    with scratch_folder(collection.home) as scratch:
        package = read_package(resolved, scratch=Path(scratch))
    plan = plan_import(package, deck_override=deck)
    write_deck_files(folder, plan, package=resolved.name)
    source = register_source(collection.store, name, str(folder), now=collection.now())
    report = collection.refresh(progress=progress, only=[source])
    report.problems[:0] = plan.problems
    added = left_out = 0
    if with_history:
        added, left_out = import_history(collection, package, plan)
    return AnkiImport(
        source=source,
        report=report,
        notes=plan.notes,
        decks=len(plan.decks),
        media=None if package.media is None else len(package.media),
        reviews_added=added,
        reviews_left_out=left_out,
        format=package.member,
        with_history=with_history,
    )


def summary_line(result: AnkiImport, path: Path) -> str:
    """The one line `ckaquiz import` prints for a package."""
    from ckaquiz.ui.plurals import plural

    counts = result.report.counts
    media = "" if result.media is None else f", {plural(result.media, 'media file')} listed (not copied)"
    history = ""
    if result.with_history:
        history = f"; {plural(result.reviews_added, 'review')} added"
        if result.reviews_left_out:
            history += f" ({plural(result.reviews_left_out, 'log row')} without a schedule effect left out)"
    return (
        f"imported {result.source.name!r} from {path} ({result.format}): {plural(result.notes, 'note')} in "
        f"{plural(result.decks, 'deck')}{media}; cards: {counts.new} new, {counts.changed} changed, "
        f"{counts.unchanged} unchanged, {counts.retired} retired{history}; "
        f"{plural(len(result.report.problems), 'warning')}"
    )
