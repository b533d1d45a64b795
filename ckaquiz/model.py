"""The domain model: frozen dataclasses and enums shared by every layer.

Nothing here imports rich, sqlite or fsrs, so parsers, the store and the session engine can all
speak it without dragging in the terminal or the scheduler.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any


class CardKind(enum.StrEnum):
    """What a card asks for and how its answer is judged."""

    BASIC = "basic"
    CLOZE = "cloze"
    RECALL = "recall"
    CHOICE = "choice"
    COMMAND = "command"
    MANIFEST = "manifest"
    TASK = "task"
    """A timed exam task of command and manifest steps: exam material, kept out of study queues."""


class CardState(enum.StrEnum):
    """Where a card is in its life, as FSRS sees it (plus `new` for never reviewed)."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Rating(enum.IntEnum):
    """The learner's grade of one answer."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Rating | None:
        """Read `1`-`4` or `again`/`hard`/`good`/`easy` (any case); None when it is neither."""
        word = text.strip().lower()
        if word in {"1", "2", "3", "4"}:
            return cls(int(word))
        for rating in cls:
            if rating.label == word:
                return rating
        return None


@dataclass(frozen=True)
class SourceLocation:
    """Where a card was written: the file and the 1-based line of its entry."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True)
class ChoiceDetails:
    """A choice card's options in their order, and the right ones among them."""

    options: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()

    def to_fields(self) -> dict[str, Any]:
        return {"options": list(self.options), "answers": list(self.answers)}


@dataclass(frozen=True)
class CommandDetails:
    """The other commands a command card accepts, and the time an answer should take."""

    alternatives: tuple[str, ...] = ()
    time_seconds: int | None = None

    def to_fields(self) -> dict[str, Any]:
        written: dict[str, Any] = {"alternatives": list(self.alternatives)}
        if self.time_seconds is not None:
            written["time_seconds"] = self.time_seconds
        return written


@dataclass(frozen=True)
class ManifestDetails:
    """Whether a manifest answer may hold no field the model answer does not."""

    strict: bool = False

    def to_fields(self) -> dict[str, Any]:
        return {"strict": self.strict}


@dataclass(frozen=True)
class ClozeDetails:
    """The whole text of a cloze, its deletion marked `**...**`; empty when the card has none."""

    full_text: str = ""

    def to_fields(self) -> dict[str, Any]:
        return {"full_text": self.full_text} if self.full_text else {}


@dataclass(frozen=True)
class RecallDetails:
    """The misconceptions a recall card's notes name as pitfalls: each the id of an entry of the
    bank or an entry written out in the deck; None when the card names none."""

    pitfalls: tuple[str | Mapping[str, Any], ...] | None = None

    def to_fields(self) -> dict[str, Any]:
        return {} if self.pitfalls is None else {"pitfalls": list(self.pitfalls)}


@dataclass(frozen=True)
class TaskDetails:
    """An exam task's weight, topic, context, CKA domain and steps (each step as its deck wrote it)."""

    weight: int = 0
    topic: str = ""
    context: str = ""
    domain: str = ""
    steps: tuple[Mapping[str, Any], ...] = ()

    def to_fields(self) -> dict[str, Any]:
        return {
            "weight": self.weight,
            "topic": self.topic,
            "context": self.context,
            "domain": self.domain,
            "steps": [dict(step) for step in self.steps],
        }


CardDetails = ChoiceDetails | CommandDetails | ManifestDetails | ClozeDetails | RecallDetails | TaskDetails | None
"""What only one kind of card holds; None for basic cards."""


def details_from_fields(kind: CardKind, fields: Mapping[str, Any]) -> CardDetails:
    """A card's typed details from its stored fields (the shape `cards --json` shows)."""
    if kind is CardKind.CHOICE:
        return ChoiceDetails(_texts(fields.get("options")), _texts(fields.get("answers")))
    if kind is CardKind.COMMAND:
        seconds = fields.get("time_seconds")
        return CommandDetails(_texts(fields.get("alternatives")), int(seconds) if seconds else None)
    if kind is CardKind.MANIFEST:
        return ManifestDetails(bool(fields.get("strict", False)))
    if kind is CardKind.CLOZE:
        return ClozeDetails(str(fields.get("full_text") or ""))
    if kind is CardKind.RECALL:
        pitfalls = fields.get("pitfalls")
        return RecallDetails(tuple(pitfalls) if isinstance(pitfalls, list | tuple) else None)
    if kind is CardKind.TASK:
        steps = fields.get("steps")
        return TaskDetails(
            weight=int(fields.get("weight") or 0),
            topic=str(fields.get("topic") or ""),
            context=str(fields.get("context") or ""),
            domain=str(fields.get("domain") or ""),
            steps=tuple(step for step in steps if isinstance(step, Mapping)) if isinstance(steps, list) else (),
        )
    return None


@dataclass(frozen=True)
class NoteFacts:
    """What a card knows of the note it was written in: the note's name, its date, and the Obsidian
    Spaced Repetition plugin's schedule comment for the card (its values as the plugin wrote them)."""

    note: str | None = None
    note_date: str | None = None
    plugin_schedule: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Card:
    """One reviewable card, as parsed from a deck.

    `sibling_key` groups cards made from one entry (a reversed pair, the deletions of one
    cloze) so that they are not shown on the same day. `fields` is the stored and JSON shape of
    what only some kinds hold and of the note's facts: code reads them typed, as `details`
    (per kind) and `note_facts`, made once per card.
    """

    id: str
    deck: str
    kind: CardKind
    prompt: str
    answer: str
    source: SourceLocation
    tags: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    sibling_key: str = ""
    explanation: str = ""
    reference: str = ""
    fields: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def details(self) -> CardDetails:
        """What only this card's kind holds, typed (None for a basic card)."""
        return details_from_fields(self.kind, self.fields)

    @cached_property
    def note_facts(self) -> NoteFacts:
        """The note the card was written in, as far as its deck told."""
        fields = self.fields
        if not fields:
            return _NO_NOTE
        note, day, schedule = fields.get("note"), fields.get("note_date"), fields.get("sr")
        return NoteFacts(
            note=None if note is None else str(note),
            note_date=None if day is None else str(day),
            plugin_schedule=schedule if isinstance(schedule, Mapping) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the card's content."""
        return {
            "id": self.id,
            "deck": self.deck,
            "kind": self.kind.value,
            "prompt": self.prompt,
            "answer": self.answer,
            "tags": list(self.tags),
            "key_points": list(self.key_points),
            "sibling_key": self.sibling_key,
            "explanation": self.explanation,
            "reference": self.reference,
            "fields": dict(self.fields),
            "source": {"path": self.source.path, "line": self.source.line},
        }


_NO_NOTE = NoteFacts()


def full_answer(card: Card) -> str:
    """What the answer side shows: a cloze's whole text with its deletion marked, else the answer."""
    details = card.details
    return details.full_text if isinstance(details, ClozeDetails) and details.full_text else card.answer


@dataclass(frozen=True)
class Problem:
    """A problem found in a deck file: reported as `file:line: message`, never raised."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Deck:
    """The cards of one deck file and the problems met while reading it."""

    name: str
    path: str
    description: str = ""
    cards: tuple[Card, ...] = ()
    problems: tuple[Problem, ...] = ()
    unread: bool = False
    """The file could not be read or parsed at all: a scan keeps the cards it gave before."""


@dataclass(frozen=True)
class Schedule:
    """A card's scheduling state. `due` is None only for new cards."""

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True)
class Review:
    """One answer, as kept forever in the review log."""

    card_id: str
    rating: Rating
    reviewed_at: datetime
    duration_ms: int
    before: Schedule
    after: Schedule
    session_id: str
    id: int | None = None
