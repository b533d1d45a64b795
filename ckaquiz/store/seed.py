"""A first schedule for a card that arrives with one: the Obsidian Spaced Repetition plugin's comment.

A note reviewed with that plugin carries its schedule in a comment the parser keeps in the card's
`sr` field (SM-2 due date, interval and ease, or the plugin's FSRS values); the card then starts
from that schedule instead of as new.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from ckaquiz.model import Card, CardState, Schedule


def seeded_schedule(card: Card) -> Schedule | None:
    """A review schedule from an Obsidian Spaced Repetition plugin comment, if the card has one."""
    entry = card.note_facts.plugin_schedule
    if entry is None:
        return None
    if entry.get("algorithm") == "fsrs":
        return _fsrs_schedule(entry)
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


def _fsrs_schedule(entry: Mapping[str, Any]) -> Schedule | None:
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
