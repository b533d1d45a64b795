"""Synthetic sync events: other devices' files in a sync folder, for the benchmark and the kill tests.

    write_device_events(folder, device, card_ids, count, start=...)

Writes `count` review events of `device` (each a card's Good answer a minute after the last) into
`devices/<device>/<year-month>.jsonl`, as ckaquiz itself writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from ckaquiz.model import CardState, Schedule
from ckaquiz.sync.events import Event, encode, event_id, schedule_values
from ckaquiz.sync.folder import append_lines, device_file


def write_device_events(folder: Path, device: str, card_ids: Sequence[str], count: int, *, start: datetime) -> Path:
    """`count` review events of `device`, cycling through `card_ids`; returns the file written."""
    path = device_file(folder, device, start)
    lines: list[str] = []
    before = schedule_values(Schedule())
    for seq in range(1, count + 1):
        moment = start + timedelta(minutes=seq)
        after = Schedule(
            state=CardState.LEARNING, step=1, stability=2.3, difficulty=5.0, due=moment, last_review=moment, reps=1
        )
        data = {"rating": 3, "duration_ms": 4000, "session": "", "before": before, "after": schedule_values(after)}
        at = moment.isoformat(timespec="microseconds")
        lines.append(
            encode(Event(event_id(device, seq), device, seq, at, "review", card_ids[seq % len(card_ids)], data))
        )
        if len(lines) >= 10_000:
            append_lines(path, lines)
            lines = []
    if lines:
        append_lines(path, lines)
    return path
