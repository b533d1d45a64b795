"""Personal FSRS parameters: fit them to the learner's review log and save them to config.toml.

The fitting itself is fsrs-rs (through `fsrs-rs-python`, the optimizer Anki uses; no torch);
this module gathers the log, refuses too little data, measures how well the old and new
parameters predict the log, recommends a desired retention by simulation, and rewrites
`parameters = [...]` in config.toml keeping every other line of the file as it was. Only
`ckaquiz.scheduling` touches an FSRS package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ckaquiz import scheduling
from ckaquiz.config import save_setting, with_setting
from ckaquiz.errors import CkaquizError
from ckaquiz.model import Review
from ckaquiz.scheduling import Answer, Fit, Histories
from ckaquiz.store import card_count

if TYPE_CHECKING:
    from ckaquiz.library import Library

PARAMETER_PLACES = 4

Fitter = Callable[[Histories], Sequence[float]]


class NotEnoughReviews(CkaquizError):
    """The review log is too small for the optimizer to learn anything."""


@dataclass(frozen=True)
class Optimization:
    """What fitting found: reviews used, old and new parameters, and how well each predicts the log."""

    answers: int
    cards: int
    counted: int
    old: tuple[float, ...]
    new: tuple[float, ...]
    old_fit: Fit
    new_fit: Fit
    personal_before: bool

    @property
    def improved(self) -> bool:
        return self.new_fit.log_loss < self.old_fit.log_loss


def answer_histories(reviews: Sequence[Review]) -> dict[int, list[Answer]]:
    """Each card's answers (undone ones already left out by the store), numbered by first appearance."""
    numbers: dict[str, int] = {}
    histories: dict[int, list[Answer]] = {}
    for review in reviews:
        number = numbers.setdefault(review.card_id, len(numbers) + 1)
        histories.setdefault(number, []).append(Answer(review.reviewed_at, review.rating, review.duration_ms))
    return histories


def optimize(collection: Library, *, fit: Fitter | None = None) -> Optimization:
    """Fit parameters to the whole review log; refuses below the optimizer's minimum or without the extra."""
    reviews = collection.store.reviews()
    histories = answer_histories(reviews)
    counted = scheduling.counted_reviews(histories)
    minimum = scheduling.OPTIMIZER_MINIMUM_REVIEWS
    if counted < minimum:
        raise NotEnoughReviews(
            f"{counted} reviews can train the optimizer (answers a day or more after the card's previous one);"
            f" it needs at least {minimum}. Keep studying and try again later."
        )
    if fit is None:
        fit = scheduling.fit_parameters
    personal = bool(collection.settings.parameters)
    old = tuple(collection.settings.parameters) if personal else scheduling.default_parameters()
    new = tuple(round(float(value), PARAMETER_PLACES) for value in fit(histories))
    return Optimization(
        answers=len(reviews),
        cards=len(histories),
        counted=counted,
        old=old,
        new=new,
        old_fit=scheduling.evaluate_parameters(old, histories),
        new_fit=scheduling.evaluate_parameters(new, histories),
        personal_before=personal,
    )


@dataclass(frozen=True)
class RetentionAdvice:
    """A recommended desired retention and the simulated daily workload at a few retentions."""

    recommended: float
    current: float
    workloads: tuple[scheduling.Workload, ...]
    personal_parameters: bool
    cards: int
    days: int


SHOWN_RETENTIONS = (0.80, 0.85, 0.90, 0.95)


def retention_advice(collection: Library) -> RetentionAdvice:
    """Simulate a year of the learner's own study at several retentions and recommend one.

    The simulator takes the collection's size, the daily limits and how the learner grades (the
    shares of first answers and of Hard/Good/Easy among passing answers, from the review log);
    the recommendation is the retention with the least study time per card remembered.
    """
    settings = collection.settings
    parameters = tuple(settings.parameters) or scheduling.default_parameters()
    first, passing = scheduling.rating_shares(answer_histories(collection.store.reviews()))
    habits = scheduling.StudyHabits(
        cards=card_count(collection.store),
        new_per_day=settings.new_per_day,
        reviews_per_day=settings.reviews_per_day,
        maximum_interval=settings.maximum_interval,
        first_ratings=first,
        passing_ratings=passing,
    )
    recommended = scheduling.recommended_retention(parameters, habits)
    retentions = sorted({*SHOWN_RETENTIONS, recommended, round(settings.desired_retention, 2)})
    return RetentionAdvice(
        recommended=recommended,
        current=settings.desired_retention,
        workloads=tuple(scheduling.workloads(parameters, habits, retentions)),
        personal_parameters=bool(settings.parameters),
        cards=habits.cards,
        days=habits.days,
    )


# config.toml -------------------------------------------------------------------------------

def parameters_line(parameters: Sequence[float]) -> str:
    """`parameters = [0.2172, 1.1771, ...]` as written to config.toml."""
    return "parameters = [" + ", ".join(repr(round(float(value), PARAMETER_PLACES)) for value in parameters) + "]"


def with_parameters(text: str, parameters: Sequence[float]) -> str:
    """config.toml text with `parameters` set (replaced where it was, else added before the first table)."""
    return with_setting(text, "parameters", _rounded(parameters), parameters_line(parameters))


def save_parameters(folder: Path, parameters: Sequence[float]) -> Path:
    """Write `parameters = [...]` into the data folder's config.toml, keeping the rest of the file."""
    return save_setting(folder, "parameters", _rounded(parameters), parameters_line(parameters))


def _rounded(parameters: Sequence[float]) -> list[float]:
    return [round(float(value), PARAMETER_PLACES) for value in parameters]
