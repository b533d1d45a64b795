"""The only module that speaks to `fsrs`: model schedules in, model schedules out.

Every call passes timezone-aware UTC times and an explicit card id, as py-fsrs requires for
reproducible results.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

import fsrs

from ckaquiz.config import CONFIG_NAME, Settings
from ckaquiz.errors import ConfigError
from ckaquiz.model import CardState, Rating, Review, Schedule

_STATE_TO_FSRS = {
    CardState.LEARNING: fsrs.State.Learning,
    CardState.REVIEW: fsrs.State.Review,
    CardState.RELEARNING: fsrs.State.Relearning,
}
_STATE_FROM_FSRS = {value: key for key, value in _STATE_TO_FSRS.items()}


class _SeededScheduler(fsrs.Scheduler):
    """py-fsrs's scheduler with its interval fuzz drawn from a seed instead of the global random state.

    The seed names the card and its review number, so the four previews of one showing share one
    draw, and replaying a card's log (after an undo) gives every review the interval it had.
    The fuzz range is py-fsrs's own (`FUZZ_RANGES`); only where the draw comes from differs.
    """

    fuzz_seed = ""

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        spread = 1.0 + sum(
            band["factor"] * max(min(float(days), band["end"]) - band["start"], 0.0)
            for band in fsrs.scheduler.FUZZ_RANGES
        )
        highest = min(round(days + spread), self.maximum_interval)
        lowest = min(max(2, round(days - spread)), highest)
        drawn = random.Random(self.fuzz_seed).random() * (highest - lowest + 1) + lowest
        return timedelta(days=min(round(drawn), self.maximum_interval))


def make_scheduler(settings: Settings) -> fsrs.Scheduler:
    """An FSRS-6 scheduler configured from the learner's settings.

    The parameters are checked against fsrs's bounds; the fuzz is seeded per card and review.
    """
    problem = parameters_problem(settings.parameters)
    if problem is not None:
        raise ConfigError(f"{CONFIG_NAME}: {problem}")
    return _SeededScheduler(
        parameters=settings.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(seconds=seconds) for seconds in settings.learning_steps),
        relearning_steps=tuple(timedelta(seconds=seconds) for seconds in settings.relearning_steps),
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.enable_fuzzing,
    )


def parameters_problem(parameters: Sequence[float]) -> str | None:
    """What is wrong with saved FSRS parameters, in one line, or None (an empty list means fsrs's defaults)."""
    if not parameters:
        return None
    lows, highs = fsrs.scheduler.LOWER_BOUNDS_PARAMETERS, fsrs.scheduler.UPPER_BOUNDS_PARAMETERS
    if len(parameters) != len(lows):
        return f"parameters: expected {len(lows)} numbers (FSRS-6's), got {len(parameters)}"
    for index, (value, low, high) in enumerate(zip(parameters, lows, highs, strict=True)):
        if not low <= value <= high:
            return f"parameters[{index}] = {value!r}: expected a number from {low} to {high} (fsrs's bounds)"
    return None


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
    if isinstance(scheduler, _SeededScheduler):
        scheduler.fuzz_seed = f"{card_number}:{schedule.reps}"
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


def replay(scheduler: fsrs.Scheduler, card_number: int, first: Schedule, reviews: Iterable[Review]) -> Schedule:
    """The schedule a card's reviews give, applied in the order given from its state `first`.

    A review whose stored `before` is the state reached so far keeps its stored `after`, the very
    intervals shown when it was given (so a change of settings never rewrites history); any other
    (a review given meanwhile by another session, or one after an undone review) is computed anew.
    """
    state = first
    for answer in reviews:
        state = answer.after if answer.before == state else review(
            scheduler, card_number, state, answer.rating, answer.reviewed_at
        )
    return state


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


# batches and the optimizer ---------------------------------------------------------------------

OPTIMIZER_MINIMUM_REVIEWS = 512
"""fsrs 6.3.2's optimizer returns the default parameters below one mini-batch (512) of reviews."""

OPTIMIZER_HISTORY_LENGTH = 64
"""The optimizer looks at no more than each card's first 64 reviews."""

OPTIMIZER_PACKAGES = ("torch", "numpy", "pandas", "tqdm")


class Answer(NamedTuple):
    """One logged answer of a card, as the optimizer sees it."""

    at: datetime
    rating: Rating
    duration_ms: int = 0


Histories = Mapping[int, Sequence[Answer]]
"""Each card's answers, by card number."""


def default_parameters() -> tuple[float, ...]:
    """FSRS-6's default parameters, used until the learner fits their own."""
    return tuple(float(value) for value in fsrs.scheduler.DEFAULT_PARAMETERS)


def retrievabilities(
    scheduler: fsrs.Scheduler, schedules: Iterable[tuple[int, Schedule]], now: datetime
) -> dict[int, float]:
    """Predicted recall probability now of each studied card, by card number (new cards left out)."""
    moment = _utc(now)
    found: dict[int, float] = {}
    for card_number, schedule in schedules:
        if schedule.state is CardState.NEW or schedule.stability is None or schedule.last_review is None:
            continue
        card = to_fsrs(card_number, schedule, moment)
        found[card_number] = float(scheduler.get_card_retrievability(card, current_datetime=moment))
    return found


def forgetting_curve(scheduler: fsrs.Scheduler) -> tuple[float, float]:
    """(factor, decay) of the scheduler's forgetting curve: a studied card's retrievability `elapsed` whole
    days after its last review is `(1 + factor * elapsed / stability) ** decay`, the very arithmetic of
    `Scheduler.get_card_retrievability` (a test holds the two equal), without an fsrs.Card per card."""
    return float(scheduler._FACTOR), float(scheduler._DECAY)


def optimizer_available() -> bool:
    """Whether the packages of fsrs's optimizer extra are installed (checked without importing torch)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in OPTIMIZER_PACKAGES)


def _first_answers(history: Sequence[Answer]) -> list[Answer]:
    return sorted(history, key=lambda answer: answer.at)[:OPTIMIZER_HISTORY_LENGTH]


def counted_reviews(histories: Histories) -> int:
    """Reviews the optimizer learns from: a card's later answers (of its first 64) a day or more after the last."""
    total = 0
    for history in histories.values():
        answers = _first_answers(history)
        total += sum(1 for previous, current in pairwise(answers) if (current.at - previous.at).days > 0)
    return total


def fit_parameters(histories: Histories) -> tuple[float, ...]:
    """FSRS parameters fitted to the learner's answers by fsrs's optimizer (needs the optimizer extra)."""
    from fsrs.optimizer import Optimizer

    logs = [
        fsrs.ReviewLog(
            card_id=card_number,
            rating=fsrs.Rating(int(answer.rating)),
            review_datetime=_utc(answer.at),
            review_duration=answer.duration_ms,
        )
        for card_number, history in histories.items()
        for answer in history
    ]
    return tuple(float(value) for value in Optimizer(logs).compute_optimal_parameters())


@dataclass(frozen=True)
class Fit:
    """How well parameters predict a review log: log loss and RMSE over the reviews counted."""

    log_loss: float
    rmse: float
    reviews: int


def evaluate_parameters(parameters: Sequence[float], histories: Histories) -> Fit:
    """Replay each card's answers as fsrs's optimizer does and score its recall predictions."""
    scheduler = fsrs.Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    total_loss = 0.0
    total_squared = 0.0
    counted = 0
    for card_number, history in histories.items():
        card: fsrs.Card | None = None
        for answer in _first_answers(history):
            when, rating = _utc(answer.at), answer.rating
            if card is None:
                card = fsrs.Card(card_id=card_number, due=when)
            if card.last_review is not None and (when - card.last_review).days > 0:
                predicted = float(scheduler.get_card_retrievability(card, current_datetime=when))
                predicted = min(max(predicted, 1e-7), 1 - 1e-7)
                recalled = 0.0 if rating is Rating.AGAIN else 1.0
                total_loss -= recalled * math.log(predicted) + (1 - recalled) * math.log(1 - predicted)
                total_squared += (recalled - predicted) ** 2
                counted += 1
            card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=when)
    if counted == 0:
        return Fit(log_loss=math.nan, rmse=math.nan, reviews=0)
    return Fit(log_loss=total_loss / counted, rmse=math.sqrt(total_squared / counted), reviews=counted)
