"""Sync events: what one device tells the others, one JSON object a line.

Every event has a unique id (`<device>-<seq>`), the device that wrote it, that device's sequence
number and the time it happened. A review carries its card's text id (row numbers differ between
devices), its grade and the schedules before and after it, as the device that gave it computed
them; an undo names the review event it takes back; a marks event gives a card's suspension,
burial and flag as they were set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ckaquiz.model import CardState, Rating, Schedule

EVENT_VERSION = 1
"""The version of the line format this ckaquiz writes; lines of a later version are skipped with a warning."""

KINDS = ("review", "undo", "marks")

_STATES = {state.value: state for state in CardState}
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Event:
    """One event; `data` holds what its kind adds (see `review_data`, `undo_target`, `marks_data`)."""

    id: str
    device: str
    seq: int
    at: str
    kind: str
    card: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)


def event_id(device: str, seq: int) -> str:
    return f"{device}-{seq}"


def encode(event: Event) -> str:
    """The event as one line of JSON (without its newline)."""
    head = {
        "v": EVENT_VERSION,
        "id": event.id,
        "device": event.device,
        "seq": event.seq,
        "at": event.at,
        "kind": event.kind,
        "card": event.card,
    }
    return _ENCODE(head | event.data)


class EventProblem(ValueError):
    """A line that is not a usable event, in words for a warning."""


def decode(line: str) -> Event:
    """The event a line holds; EventProblem says what is wrong with it."""
    try:
        raw = json.loads(line)
    except (ValueError, RecursionError):
        raise EventProblem("not a ckaquiz sync event (not JSON)") from None
    if not isinstance(raw, dict):
        raise EventProblem("not a ckaquiz sync event (not a JSON object)")
    version = raw.get("v")
    if isinstance(version, int) and not isinstance(version, bool) and version > EVENT_VERSION:
        raise EventProblem(f"written by a newer ckaquiz (event version {version}, this one reads {EVENT_VERSION})")
    if version != EVENT_VERSION:
        raise EventProblem("not a ckaquiz sync event (no version 1)")
    head = {name: raw.pop(name, None) for name in ("v", "id", "device", "seq", "at", "kind", "card")}
    texts = all(isinstance(head[name], str) and head[name] for name in ("id", "device", "at", "kind", "card"))
    seq = head["seq"]
    if not texts or not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise EventProblem("not a ckaquiz sync event (id, device, seq, at, kind or card missing)")
    if head["kind"] not in KINDS:
        raise EventProblem(f"unknown event kind {str(head['kind'])[:40]!r}")
    if head["id"] != event_id(str(head["device"]), seq):
        raise EventProblem("not a ckaquiz sync event (its id is not its device and number)")
    try:
        moment = datetime.fromisoformat(str(head["at"]))
    except ValueError:
        raise EventProblem(f"bad time {str(head['at'])[:40]!r}") from None
    if moment.tzinfo is None:
        raise EventProblem(f"a time without its UTC offset {str(head['at'])[:40]!r}")
    at = moment.astimezone(UTC).isoformat(timespec="microseconds")
    event = Event(str(head["id"]), str(head["device"]), seq, at, str(head["kind"]), str(head["card"]), raw)
    _check_data(event)
    return event


def _check_data(event: Event) -> None:
    try:
        if event.kind == "review":
            review_data(event)
        elif event.kind == "undo":
            undo_target(event)
        else:
            marks_data(event)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise EventProblem(f"a {event.kind} event with a bad field ({error})") from None


# the schedules, attempts and marks inside events -----------------------------------------------


def schedule_values(schedule: Schedule) -> list[Any]:
    """A schedule as the 8 values an event keeps (times as the store writes them)."""
    from ckaquiz.store import to_text

    return [
        schedule.state.value,
        schedule.step,
        schedule.stability,
        schedule.difficulty,
        to_text(schedule.due),
        to_text(schedule.last_review),
        schedule.reps,
        schedule.lapses,
    ]


def schedule_from(values: Any) -> Schedule:
    if not isinstance(values, list) or len(values) != 8:
        raise ValueError("a schedule is 8 values")
    state, step, stability, difficulty, due, last_review, reps, lapses = values
    return Schedule(
        state=_STATES[state],
        step=None if step is None else int(step),
        stability=None if stability is None else float(stability),
        difficulty=None if difficulty is None else float(difficulty),
        due=None if due is None else datetime.fromisoformat(due),
        last_review=None if last_review is None else datetime.fromisoformat(last_review),
        reps=int(reps),
        lapses=int(lapses),
    )


@dataclass(frozen=True)
class ReviewData:
    rating: Rating
    duration_ms: int
    session: str
    before: Schedule
    after: Schedule
    attempts: tuple[dict[str, Any], ...]


_ATTEMPT_FIELDS = ("kind", "response", "duration_ms", "result", "score", "suggested", "final", "at")


def review_data(event: Event) -> ReviewData:
    data = event.data
    duration = data["duration_ms"]
    if not isinstance(duration, int) or duration < 0:
        raise ValueError("duration_ms")
    attempts = data.get("attempts", [])
    if not isinstance(attempts, list) or not all(
        isinstance(item, dict) and set(_ATTEMPT_FIELDS) <= set(item) for item in attempts
    ):
        raise ValueError("attempts")
    return ReviewData(
        rating=Rating(int(data["rating"])),
        duration_ms=duration,
        session=str(data.get("session") or ""),
        before=schedule_from(data["before"]),
        after=schedule_from(data["after"]),
        attempts=tuple(attempts),
    )


def undo_target(event: Event) -> str:
    target = event.data["review"]
    if not isinstance(target, str) or not target:
        raise ValueError("review")
    return target


MARK_COLUMNS = ("suspended_at", "buried_until", "flagged_at")


def marks_data(event: Event) -> tuple[str | None, str | None, str | None]:
    values = tuple(event.data[name] for name in MARK_COLUMNS)
    for value in values:
        if value is not None:
            datetime.fromisoformat(value)
    return values[0], values[1], values[2]
