"""FSRS through ckaquiz's model: exact intervals with fuzz off (re-record on an fsrs bump)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from ckaquiz.config import Settings
from ckaquiz.model import CardState, Rating, Schedule
from ckaquiz.scheduling import make_scheduler, preview, retrievability, review
from ckaquiz.ui.format import format_interval

NOW = datetime(2025, 3, 19, 12, 0, tzinfo=UTC)


def test_fsrs_version_is_the_pinned_one() -> None:
    from importlib.metadata import version

    assert version("fsrs") == "6.3.2"


def test_new_card_previews() -> None:
    scheduler = make_scheduler(Settings(enable_fuzzing=False))
    outcomes = preview(scheduler, 1, Schedule(), NOW)
    intervals: dict[str, str] = {}
    for rating, schedule in outcomes.items():
        assert schedule.due is not None
        intervals[rating.label] = format_interval(schedule.due - NOW)
    assert intervals == {
        "again": "1m", "hard": "6m", "good": "10m", "easy": "8d",
    }


def test_exact_interval_sequence_with_a_lapse() -> None:
    scheduler = make_scheduler(Settings(enable_fuzzing=False))
    schedule, moment = Schedule(), NOW
    seen = []
    for rating in [Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.GOOD]:
        schedule = review(scheduler, 7, schedule, rating, moment)
        assert schedule.due is not None
        seen.append((schedule.state, schedule.due - moment, round(schedule.stability or 0, 4), schedule.reps, schedule.lapses))
        moment = schedule.due
    assert seen == [
        (CardState.LEARNING, timedelta(minutes=10), 2.3065, 1, 0),
        (CardState.REVIEW, timedelta(days=2), 2.3065, 2, 0),
        (CardState.REVIEW, timedelta(days=11), 10.971, 3, 0),
        (CardState.REVIEW, timedelta(days=46), 46.3169, 4, 0),
        (CardState.RELEARNING, timedelta(minutes=10), 2.9338, 5, 1),
        (CardState.REVIEW, timedelta(days=3), 2.9338, 6, 1),
        (CardState.REVIEW, timedelta(days=8), 7.7991, 7, 1),
    ]


def test_settings_reach_the_scheduler() -> None:
    scheduler = make_scheduler(
        Settings(desired_retention=0.8, learning_steps=(120,), relearning_steps=(), maximum_interval=30)
    )
    assert scheduler.desired_retention == 0.8
    assert scheduler.learning_steps == (timedelta(minutes=2),)
    assert scheduler.relearning_steps == ()
    assert scheduler.maximum_interval == 30
    assert isinstance(scheduler, fsrs.Scheduler)


def test_retrievability_falls_with_time() -> None:
    scheduler = make_scheduler(Settings(enable_fuzzing=False))
    schedule = review(scheduler, 1, Schedule(), Rating.EASY, NOW)
    soon = retrievability(scheduler, 1, schedule, NOW + timedelta(days=1))
    later = retrievability(scheduler, 1, schedule, NOW + timedelta(days=30))
    assert 1.0 > soon > later > 0.0
    assert retrievability(scheduler, 1, Schedule(), NOW) == 0.0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30s"), (60, "1m"), (600, "10m"), (3 * 3600, "3h"), (8 * 86400, "8d"), (90 * 86400, "3mo"), (730 * 86400, "2y")],
)
def test_format_interval(seconds: int, text: str) -> None:
    assert format_interval(timedelta(seconds=seconds)) == text
