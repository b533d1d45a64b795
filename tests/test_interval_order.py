"""The four grade previews are in Anki's order, and the interval shown is the interval stored.

FSRS (with its fuzz) can give Hard and Good the same number of days, or Good and Easy the same,
and without a shared fuzz draw even Hard > Good. Anki never shows that: Good is at least Hard + 1
day and Easy at least Good + 1 day once they are review intervals. These tests hold ckaquiz to it
for any card state and any fuzz draw, and pin exact intervals of the constrained cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckaquiz import scheduling
from ckaquiz.config import Settings
from ckaquiz.model import CardState, Rating, Schedule
from ckaquiz.ui.format import format_interval

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PASSING = (Rating.HARD, Rating.GOOD, Rating.EASY)


def _days(schedule: Schedule, now: datetime = NOW) -> float:
    assert schedule.due is not None
    return (schedule.due - now).total_seconds() / 86400


def _raw(scheduler: object, number: int, schedule: Schedule) -> dict[Rating, Schedule]:
    """FSRS's own answers before ordering (what the previews were before the rule)."""
    return {rating: scheduling._answered(scheduler, number, schedule, rating, NOW, None) for rating in Rating}  # type: ignore[arg-type]


# Any card state FSRS can be in: new, on a learning or relearning step, or in review with any
# stability, difficulty and time since the last review (early, on time, long overdue).
review_states = st.builds(
    lambda stability, difficulty, elapsed, reps, lapses: Schedule(
        state=CardState.REVIEW,
        stability=stability,
        difficulty=difficulty,
        due=NOW,
        last_review=NOW - timedelta(days=elapsed),
        reps=reps,
        lapses=lapses,
    ),
    st.floats(0.1, 3000.0),
    st.floats(1.0, 10.0),
    st.floats(0.01, 400.0),
    st.integers(1, 60),
    st.integers(0, 10),
)
stepping_states = st.builds(
    lambda state, step, stability, difficulty, minutes, reps: Schedule(
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=NOW,
        last_review=NOW - timedelta(minutes=minutes),
        reps=reps,
        lapses=1 if state is CardState.RELEARNING else 0,
    ),
    st.sampled_from([CardState.LEARNING, CardState.RELEARNING]),
    st.integers(0, 1),
    st.floats(0.1, 30.0),
    st.floats(1.0, 10.0),
    st.integers(1, 60 * 48),
    st.integers(1, 10),
)
any_state = st.one_of(st.just(Schedule()), review_states, stepping_states)
any_settings = st.builds(
    lambda retention, steps, maximum: Settings(
        desired_retention=retention, learning_steps=steps, maximum_interval=maximum
    ),
    st.floats(0.7, 0.99),
    st.sampled_from([(60, 600), (600,), (60, 600, 3600), ()]),
    st.sampled_from([36500, 365, 3650]),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule=any_state, chosen=any_settings, number=st.integers(1, 10**9))
def test_hard_good_easy_strictly_increase_and_review_stores_the_shown_interval(
    schedule: Schedule, chosen: Settings, number: int
) -> None:
    scheduler = scheduling.make_scheduler(chosen)
    shown = scheduling.preview(scheduler, number, schedule, NOW)
    days = {rating: _days(shown[rating]) for rating in PASSING}
    room = days[Rating.EASY] < chosen.maximum_interval  # at the cap, nothing can be a day longer
    if room:
        assert days[Rating.HARD] < days[Rating.GOOD] < days[Rating.EASY], days
    for lower, higher in ((Rating.HARD, Rating.GOOD), (Rating.GOOD, Rating.EASY)):
        if shown[higher].state is CardState.REVIEW and room:
            floor = round(days[lower]) + 1 if shown[lower].state is CardState.REVIEW else 1
            assert round(days[higher]) >= floor, (lower, higher, days)
    for rating in Rating:  # answering stores exactly what was shown, fuzz included
        assert scheduling.review(scheduler, number, schedule, rating, NOW) == shown[rating]
    assert all(round(value) <= chosen.maximum_interval for value in days.values())


def test_good_one_day_past_hard_when_fsrs_gives_them_the_same_day() -> None:
    scheduler = scheduling.make_scheduler(Settings())
    schedule = Schedule(
        state=CardState.REVIEW,
        stability=10.0,
        difficulty=9.0,
        due=NOW,
        last_review=NOW - timedelta(days=1),
        reps=5,
    )
    before = {rating: round(_days(outcome)) for rating, outcome in _raw(scheduler, 1, schedule).items()}
    assert (before[Rating.HARD], before[Rating.GOOD], before[Rating.EASY]) == (13, 13, 14)
    after = scheduling.preview(scheduler, 1, schedule, NOW)
    assert [round(_days(after[rating])) for rating in PASSING] == [13, 14, 15]
    # only the interval moves: the memory state is FSRS's own
    raw_good = _raw(scheduler, 1, schedule)[Rating.GOOD]
    assert (after[Rating.GOOD].stability, after[Rating.GOOD].difficulty) == (raw_good.stability, raw_good.difficulty)


def test_easy_one_day_past_good_when_a_learning_card_graduates_on_both() -> None:
    scheduler = scheduling.make_scheduler(Settings())
    schedule = Schedule(
        state=CardState.LEARNING,
        step=1,
        stability=0.24668918777567272,
        difficulty=6.402115069296838,
        due=datetime(2025, 3, 1, 13, 11, tzinfo=UTC),
        last_review=NOW - timedelta(hours=20),
        reps=2,
    )
    before = _raw(scheduler, 34, schedule)
    assert before[Rating.GOOD].state is before[Rating.EASY].state is CardState.REVIEW
    assert round(_days(before[Rating.GOOD])) == round(_days(before[Rating.EASY])) == 1
    after = scheduling.preview(scheduler, 34, schedule, NOW)
    assert round(_days(after[Rating.GOOD])) == 1
    assert round(_days(after[Rating.EASY])) == 2
    assert after[Rating.HARD].state is CardState.LEARNING  # a step of minutes, below both


def test_hard_past_good_is_put_in_order() -> None:
    """The unshared-fuzz case (Hard 9d, Good 6d, Easy 4d): Good becomes Hard + 1, Easy Good + 1."""

    def review_in(days: int) -> Schedule:
        return Schedule(state=CardState.REVIEW, stability=5.0, difficulty=5.0, due=NOW + timedelta(days=days))

    outcomes = {
        Rating.AGAIN: Schedule(state=CardState.RELEARNING, step=0, due=NOW + timedelta(minutes=10)),
        Rating.HARD: review_in(9),
        Rating.GOOD: review_in(6),
        Rating.EASY: review_in(4),
    }
    ordered = scheduling._in_order(outcomes, NOW, 36500)
    assert [round(_days(ordered[rating])) for rating in PASSING] == [9, 10, 11]
    assert ordered[Rating.AGAIN] == outcomes[Rating.AGAIN]
    capped = scheduling._in_order(outcomes, NOW, 10)
    assert [round(_days(capped[rating])) for rating in PASSING] == [9, 10, 10]


def test_a_plain_session_stores_the_interval_its_grade_line_showed(tmp_path: Path) -> None:
    """End to end: the `3 good Nd` a learner reads is the due date `cards --json` then reports."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: order\ncards:\n"
        + "".join(f"  - {{id: c{n}, front: 'question {n}', back: 'answer {n}'}}\n" for n in range(3)),
        encoding="utf-8",
    )
    env = {**os.environ, "CKAQUIZ_HOME": str(tmp_path / "home")}

    def run(*args: str, now: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ckaquiz", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**env, "CKAQUIZ_NOW": now},
            timeout=120,
        )

    start = "2025-03-01T09:00:00+00:00"
    assert run("import", str(deck), now=start).returncode == 0
    # learn the three cards (Good, Good), then come back after the learning steps
    first = run("study", "--deck", "order", "--plain", now=start, stdin="\n3\n" * 3 + "\n3\n" * 3)
    assert first.returncode == 0, first.stderr
    later = "2025-03-03T09:00:00+00:00"
    listed = {card["id"]: card for card in json.loads(run("cards", "--json", now=later).stdout)}
    due = {card_id: card["due"] for card_id, card in listed.items() if card_id.startswith("order")}
    assert due, listed.keys()
    session = run("review", "--deck", "order", "--plain", "--limit", "1", now=later, stdin="\n3\n")
    assert session.returncode == 0, session.stderr
    lines = [line for line in session.stdout.splitlines() if " good " in line and " easy " in line]
    assert lines, session.stdout
    shown = lines[0].split(" good ")[1].split()[0]
    after = {card["id"]: card for card in json.loads(run("cards", "--json", now=later).stdout)}
    changed = [card for card_id, card in after.items() if card_id in due and card["due"] != due[card_id]]
    assert len(changed) == 1
    stored = datetime.fromisoformat(changed[0]["due"]) - datetime.fromisoformat(later)
    assert format_interval(stored) == shown
