"""The only module that speaks to `fsrs`: model schedules in, model schedules out.

Every call passes timezone-aware UTC times and an explicit card id, as py-fsrs requires for
reproducible results.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import fsrs

from ckaquiz.config import CONFIG_NAME, Settings
from ckaquiz.errors import ConfigError
from ckaquiz.model import CardState, Rating, Review, Schedule

if TYPE_CHECKING:
    import fsrs_rs_python

_STATE_TO_FSRS = {
    CardState.LEARNING: fsrs.State.Learning,
    CardState.REVIEW: fsrs.State.Review,
    CardState.RELEARNING: fsrs.State.Relearning,
}
_STATE_FROM_FSRS = {value: key for key, value in _STATE_TO_FSRS.items()}


class _SeededScheduler(fsrs.Scheduler):
    """py-fsrs's scheduler with its interval fuzz drawn from a seed instead of the global random state.

    The seed names the card (by its text id, the same on every device, when the caller gives it) and
    its review number, so the four previews of one showing share one draw, replaying a card's log
    (after an undo) gives every review the interval it had, and two devices that number the same
    card differently derive the same due dates from the same reviews.
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
    card_id: str | None = None,
) -> Schedule:
    """The schedule after answering with `rating` at `now`: the one `preview` shows for that grade.

    Only the grades up to `rating` from Hard are computed: the order of the intervals looks no higher.
    `card_id` (the card's text id) seeds the fuzz; without it the card number does.
    """
    key = _fuzz_key(card_number, card_id)
    if rating is Rating.AGAIN:
        return _answered(scheduler, card_number, schedule, rating, now, duration_ms, key)
    needed = [grade for grade in (Rating.HARD, Rating.GOOD, Rating.EASY) if grade <= rating]
    outcomes = {grade: _answered(scheduler, card_number, schedule, grade, now, duration_ms, key) for grade in needed}
    return _in_order(outcomes, _utc(now), int(getattr(scheduler, "maximum_interval", 36500)))[rating]


def _answered(
    scheduler: fsrs.Scheduler,
    card_number: int,
    schedule: Schedule,
    rating: Rating,
    now: datetime,
    duration_ms: int | None,
    fuzz_key: str | None = None,
) -> Schedule:
    """FSRS's own next schedule for one grade, before the intervals are put in order."""
    if isinstance(scheduler, _SeededScheduler):
        scheduler.fuzz_seed = f"{card_number if fuzz_key is None else fuzz_key}:{schedule.reps}"
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


def preview(
    scheduler: fsrs.Scheduler,
    card_number: int,
    schedule: Schedule,
    now: datetime,
    *,
    duration_ms: int | None = None,
    card_id: str | None = None,
) -> dict[Rating, Schedule]:
    """The schedule each grade would give; the session answers with exactly these, fuzz included.

    `card_id` (the card's text id) seeds the fuzz; without it the card number does.

    FSRS's intervals (after fuzz) are put in order as Anki does, so Hard < Good < Easy always holds:
    a passing grade that reaches whole days is at least one day longer than the grade below it
    (Good than Hard, Easy than Good), never past `maximum_interval`.
    """
    key = _fuzz_key(card_number, card_id)
    outcomes = {rating: _answered(scheduler, card_number, schedule, rating, now, duration_ms, key) for rating in Rating}
    return _in_order(outcomes, _utc(now), int(getattr(scheduler, "maximum_interval", 36500)))


def _fuzz_key(card_number: int, card_id: str | None) -> str:
    return str(card_number) if card_id is None else card_id


def _in_order(outcomes: dict[Rating, Schedule], now: datetime, maximum_interval: int) -> dict[Rating, Schedule]:
    ordered = dict(outcomes)
    below = ordered[Rating.HARD]
    for rating in (Rating.GOOD, Rating.EASY):
        if rating not in ordered:
            break
        current = ordered[rating]
        if current.state is CardState.REVIEW and current.due is not None and below.due is not None:
            days = _whole_days(current.due - now)
            floor = _whole_days(below.due - now) + 1 if below.state is CardState.REVIEW else 1
            wanted = min(max(days, floor), maximum_interval)
            if wanted != days:
                current = replace(current, due=now + timedelta(days=wanted))
                ordered[rating] = current
        below = current
    return ordered


def _whole_days(interval: timedelta) -> int:
    """An interval in days as FSRS counts review intervals (rounded to whole days)."""
    return round(interval.total_seconds() / 86400)


def replay(
    scheduler: fsrs.Scheduler,
    card_number: int,
    first: Schedule,
    reviews: Iterable[Review],
    *,
    card_id: str | None = None,
) -> Schedule:
    """The schedule a card's reviews give, applied in the order given from its state `first`.

    A review whose stored `before` is the state reached so far keeps its stored `after`, the very
    intervals shown when it was given (so a change of settings never rewrites history); any other
    (a review given meanwhile by another session, or one after an undone review) is computed anew.
    """
    state = first
    for answer in reviews:
        state = answer.after if answer.before == state else review(
            scheduler, card_number, state, answer.rating, answer.reviewed_at, card_id=card_id
        )
    return state


def retrievability(scheduler: fsrs.Scheduler, card_number: int, schedule: Schedule, now: datetime) -> float:
    """FSRS's predicted probability of recalling the card now (0 for new cards)."""
    if schedule.state is CardState.NEW:
        return 0.0
    return float(scheduler.get_card_retrievability(to_fsrs(card_number, schedule, now), current_datetime=_utc(now)))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# batches and the optimizer ---------------------------------------------------------------------

OPTIMIZER_MINIMUM_REVIEWS = 512
"""Below one mini-batch (512) of reviews that are a day or more apart, fitting learns nothing reliable."""

OPTIMIZER_HISTORY_LENGTH = 64
"""The optimizer looks at no more than each card's first 64 reviews."""


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
    """FSRS-6 parameters fitted to the learner's answers by fsrs-rs, the optimizer Anki itself uses."""
    import fsrs_rs_python

    items = [item for history in histories.values() for item in _training_items(history)]
    fitted = fsrs_rs_python.FSRS(default_parameters()).compute_parameters(items)
    return tuple(float(value) for value in fitted)


def _training_items(history: Sequence[Answer]) -> list[fsrs_rs_python.FSRSItem]:
    """One fsrs-rs item per answer given a day or more after the previous one: the answers up to it.

    Elapsed days are whole days between the answers, as `counted_reviews` and `evaluate_parameters` count them.
    """
    import fsrs_rs_python

    reviews: list[fsrs_rs_python.FSRSReview] = []
    items: list[fsrs_rs_python.FSRSItem] = []
    previous: datetime | None = None
    for answer in _first_answers(history):
        moment = _utc(answer.at)
        elapsed = 0 if previous is None else (moment - previous).days
        reviews.append(fsrs_rs_python.FSRSReview(int(answer.rating), elapsed))
        if elapsed > 0:
            items.append(fsrs_rs_python.FSRSItem(list(reviews)))
        previous = moment
    return items


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


# simulation: the workload of a desired retention -----------------------------------------------

RETENTION_RANGE = (0.70, 0.97)
"""The desired retentions a recommendation is drawn from, as Anki's own computation bounds them."""


FirstShares = tuple[float, float, float, float]
PassingShares = tuple[float, float, float]


@dataclass(frozen=True)
class Workload:
    """What a year of study at one desired retention costs and gives, by simulation."""

    retention: float
    reviews_per_day: float
    minutes_per_day: float
    memorized: float


@dataclass(frozen=True)
class StudyHabits:
    """The learner's collection and limits, and how they answer, as the simulator takes them."""

    cards: int
    new_per_day: int
    reviews_per_day: int
    maximum_interval: int
    first_ratings: FirstShares | None = None
    passing_ratings: PassingShares | None = None
    days: int = 365


def rating_shares(histories: Histories) -> tuple[FirstShares | None, PassingShares | None]:
    """How often each grade is the first answer of a card, and Hard/Good/Easy among later passing answers."""
    first = [0, 0, 0, 0]
    passing = [0, 0, 0]
    for history in histories.values():
        answers = sorted(history, key=lambda answer: answer.at)
        if not answers:
            continue
        first[int(answers[0].rating) - 1] += 1
        for answer in answers[1:]:
            if answer.rating is not Rating.AGAIN:
                passing[int(answer.rating) - 2] += 1
    first_total, passing_total = sum(first), sum(passing)
    first_shares: FirstShares | None = None
    passing_shares: PassingShares | None = None
    if first_total:
        first_shares = (first[0] / first_total, first[1] / first_total, first[2] / first_total, first[3] / first_total)
    if passing_total:
        passing_shares = (passing[0] / passing_total, passing[1] / passing_total, passing[2] / passing_total)
    return first_shares, passing_shares


def _simulator_config(habits: StudyHabits) -> fsrs_rs_python.SimulatorConfig:
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    config.deck_size = max(1, habits.cards)
    config.learn_span = habits.days
    config.learn_limit = max(0, habits.new_per_day)
    config.review_limit = max(0, habits.reviews_per_day)
    config.max_ivl = float(habits.maximum_interval)
    if habits.first_ratings is not None and min(habits.first_ratings) > 0:
        config.first_rating_prob = list(habits.first_ratings)
    if habits.passing_ratings is not None and min(habits.passing_ratings) > 0:
        config.review_rating_prob = list(habits.passing_ratings)
    return config


def workloads(parameters: Sequence[float], habits: StudyHabits, retentions: Sequence[float]) -> list[Workload]:
    """Simulate `habits.days` of study at each desired retention (seeded, so the table is reproducible)."""
    import fsrs_rs_python

    config = _simulator_config(habits)
    found: list[Workload] = []
    for retention in retentions:
        result = fsrs_rs_python.simulate(list(parameters), retention, config, 2023)
        days = max(1, len(result.review_cnt_per_day))
        found.append(
            Workload(
                retention=retention,
                reviews_per_day=sum(result.review_cnt_per_day) / days,
                minutes_per_day=sum(result.cost_per_day) / days / 60,
                memorized=float(result.memorized_cnt_per_day[-1]) if result.memorized_cnt_per_day else 0.0,
            )
        )
    return found


def recommended_retention(parameters: Sequence[float], habits: StudyHabits) -> float:
    """The desired retention that costs the least study time per card remembered, within RETENTION_RANGE."""
    import fsrs_rs_python

    found = float(fsrs_rs_python.optimal_retention(_simulator_config(habits), list(parameters)))
    low, high = RETENTION_RANGE
    return round(min(max(found, low), high), 2)
