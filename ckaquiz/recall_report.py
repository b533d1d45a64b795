"""What the learner's own blank-page recall of a day covered: per topic card of that day, the key
points recalled and missed, scored by the recall scorer (`coverage.score_recall`).

The recall text is read from the notes of every imported vault (their `백지 복습` sections, see
`decks.own_recall`); notes are only read, never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ckaquiz.decks.own_recall import RecallSection, recall_sections
from ckaquiz.model import CardKind
from ckaquiz.store import Store, registered_sources

MAX_NOTE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CardRecall:
    """One topic card of the day and how the day's own recall covered it."""

    card_id: str
    prompt: str
    coverage: float
    recalled: tuple[str, ...]
    missed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.card_id,
            "prompt": self.prompt,
            "coverage": round(self.coverage, 3),
            "recalled": list(self.recalled),
            "missed": list(self.missed),
        }


@dataclass(frozen=True)
class RecallReport:
    day: date
    sections: tuple[RecallSection, ...] = ()
    cards: tuple[CardRecall, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "recall_sections": [f"{section.path}:{section.line}" for section in self.sections],
            "cards": [card.to_dict() for card in self.cards],
        }


def day_sections(store: Store, day: date) -> list[RecallSection]:
    """The recall sections of every imported vault's notes that recall `day` (a day's or the next day's note)."""
    from ckaquiz.file_access import RefusedFile, read_regular_file
    from ckaquiz.importing import source_files

    found: list[RecallSection] = []
    wanted = {day.isoformat(), date.fromordinal(day.toordinal() + 1).isoformat()}
    for source in registered_sources(store):
        if source.builtin:
            continue
        for file, shown, relative in source_files(source):
            name = Path(relative).name
            note_day = next((text for text in wanted if text in name), None)
            if note_day is None or not name.endswith(".md"):
                continue
            try:
                text = read_regular_file(Path(file), limit=MAX_NOTE_BYTES).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError, RefusedFile):
                continue
            sections = recall_sections(text, shown, date.fromisoformat(note_day))
            found.extend(section for section in sections if section.day == day)
    return found


def recall_report(store: Store, day: date) -> RecallReport:
    """Each active topic card noted on `day`, scored against that day's own recall sections."""
    from ckaquiz.coverage import score_recall

    sections = day_sections(store, day)
    written = "\n".join(section.text for section in sections)
    rows: list[CardRecall] = []
    for stored in store.cards():
        card = stored.card
        if card.kind is not CardKind.RECALL or card.note_facts.note_date != day.isoformat() or not card.key_points:
            continue
        score = score_recall(card.key_points, written)
        recalled = tuple(point.text for point in score.points if point.status == "recalled")
        missed = tuple(point.text for point in score.points if point.status != "recalled")
        rows.append(CardRecall(card.id, card.prompt, score.coverage, recalled, missed))
    return RecallReport(day, tuple(sections), tuple(rows))
