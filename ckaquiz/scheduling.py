"""The only module that speaks to `fsrs`: model schedules in, model schedules out.

Every call passes timezone-aware UTC times and an explicit card id, as py-fsrs requires for
reproducible results.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs

from ckaquiz.config import Settings
from ckaquiz.model import CardState, Rating, Schedule

_STATE_TO_FSRS = {
    CardState.LEARNING: fsrs.State.Learning,
    CardState.REVIEW: fsrs.State.Review,
    CardState.RELEARNING: fsrs.State.Relearning,
}
_STATE_FROM_FSRS = {value: key for key, value in _STATE_TO_FSRS.items()}


def make_scheduler(settings: Settings) -> fsrs.Scheduler:
    """An FSRS-6 scheduler configured from the learner's settings."""
    return fsrs.Scheduler(
        parameters=settings.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=seconds) for seconds in settings.learning_steps),
        relearning_steps=tuple(timedelta(seconds=seconds) for seconds in settings.relearning_steps),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.enable_fuzzing,
    )


def to_fsrs(card_number: int, schedule: Schedule, now: datetime) -> fsrs.Card:
    """An fsrs.Card for a stored schedule; a new card starts learning now."""
    if schedule.state is CardState.NEW:
        return fsrs.Card(card_id=card_number, state=fsrs.State.Learning, step=0, due=_utc(now))
    return fsrs.Card(
        card_id=card_number,
        state=_STATE_TO_FSRS[schedule.state],
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=_utc(schedule.due or now),
        last_review=None if schedule.last_review is None else _utc(schedule.last_review),
    )


def review(
    scheduler: fsrs.Scheduler,
    card_number: int,
    schedule: Schedule,
    rating: Rating,
    now: datetime,
    *,
    duration_ms: int | None = None,
) -> Schedule:
    """The schedule after answering with `rating` at `now`."""
    updated, _ = scheduler.review_card(
        to_fsrs(card_number, schedule, now),
        fsrs.Rating(int(rating)),
        review_datetime=_utc(now),
        review_duration=duration_ms,
    )
    lapsed = rating is Rating.AGAIN and schedule.state is CardState.REVIEW
    return Schedule(
        state=_STATE_FROM_FSRS[updated.state],
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=updated.due.astimezone(UTC),
        last_review=_utc(now),
        reps=schedule.reps + 1,
        lapses=schedule.lapses + (1 if lapsed else 0),
    )


def preview(scheduler: fsrs.Scheduler, card_number: int, schedule: Schedule, now: datetime) -> dict[Rating, Schedule]:
    """The schedule each grade would give; the session answers with exactly these, fuzz included."""
    return {rating: review(scheduler, card_number, schedule, rating, now) for rating in Rating}


def retrievability(scheduler: fsrs.Scheduler, card_number: int, schedule: Schedule, now: datetime) -> float:
    """FSRS's predicted probability of recalling the card now (0 for new cards)."""
    if schedule.state is CardState.NEW:
        return 0.0
    return float(scheduler.get_card_retrievability(to_fsrs(card_number, schedule, now), current_datetime=_utc(now)))


def format_interval(interval: timedelta) -> str:
    """`1m`, `10m`, `3h`, `8d`, `4mo`, `1.5y`: the short form shown beside each grade."""
    seconds = max(0, int(interval.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
