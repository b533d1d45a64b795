"""A card as `ckaquiz cards --json` and the JSON export show it: one record, a documented contract.

`card_record` makes it from a stored card; `record_of_row` reads the same record straight off a
stored row, which is what listing many cards needs. A test holds the two equal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ckaquiz.model import CardKind, ChoiceDetails
from ckaquiz.store import StoredCard, to_text


def card_record(stored: StoredCard) -> dict[str, Any]:
    """The JSON shape of one card in `ckaquiz cards --json` (a documented contract)."""
    card, schedule = stored.card, stored.schedule
    return {
        "id": card.id,
        "deck": card.deck,
        "kind": card.kind.value,
        "prompt": card.prompt,
        "answer": card.answer,
        "tags": list(card.tags),
        "source": {"path": card.source.path, "line": card.source.line},
        "state": schedule.state.value,
        "due": to_text(schedule.due),
        "reps": schedule.reps,
        "lapses": schedule.lapses,
        "stability": schedule.stability,
        "difficulty": schedule.difficulty,
        "reference": card.reference or None,
        "explanation": card.explanation or None,
        "key_points": list(card.key_points),
        "active": stored.active,
        "options": list(card.details.options) if isinstance(card.details, ChoiceDetails) else None,
    }


def _options(fields_json: str | None) -> list[str]:
    """A choice card's options in their order, read off its stored fields."""
    return [str(option) for option in json.loads(fields_json or "{}").get("options", [])]


def record_of_row(row: Sequence[Any]) -> dict[str, Any]:
    """`card_record(stored_card(row))` read straight off a stored row (`CARD_COLUMNS`), without building
    the card: a listing of many cards is mostly that building. A test holds the two equal."""
    (_, card_id, deck, kind, prompt, answer, tags, key_points, _, explanation, reference, fields, path, line, active,
     state, _, stability, difficulty, due, _, reps, lapses) = row  # fmt: skip
    return {
        "id": card_id,
        "deck": deck,
        "kind": kind,
        "prompt": prompt,
        "answer": answer,
        "tags": json.loads(tags),
        "source": {"path": path, "line": line},
        "state": state,
        "due": due,  # stored as `to_text` writes it
        "reps": reps,
        "lapses": lapses,
        "stability": stability,
        "difficulty": difficulty,
        "reference": reference or None,
        "explanation": explanation or None,
        "key_points": json.loads(key_points),
        "active": bool(active),
        "options": _options(fields) if kind == CardKind.CHOICE.value else None,
    }
