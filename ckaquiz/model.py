"""The domain model: frozen dataclasses and enums shared by every layer.

Nothing here imports rich, sqlite or fsrs, so parsers, the store and the session engine can all
speak it without dragging in the terminal or the scheduler.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class CardKind(enum.StrEnum):
    """What a card asks for and how its answer is judged."""

    BASIC = "basic"
    CLOZE = "cloze"
    RECALL = "recall"
    CHOICE = "choice"
    COMMAND = "command"
    MANIFEST = "manifest"


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


@dataclass(frozen=True)
class Card:
    """One reviewable card, as parsed from a deck.

    `sibling_key` groups cards made from one entry (a reversed pair, the deletions of one
    cloze) so that they are not shown on the same day. `fields` holds what only some kinds
    need (choice options, accepted command alternatives, strictness of a manifest).
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
