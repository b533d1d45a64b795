"""`ckaquiz exam --schedule`: each task's result logged as a review of the task's card.

A task card holds no link to the flashcards it rests on, so the review goes to the task card
itself. The grade follows the share of the task's points earned, and only full or near-full
credit counts as a pass, because FSRS treats Hard as a pass:

- every point earned: Good
- at least 80 % of the points: Hard
- less than 80 %: Again (a failed or half-done task is never a pass)

The reviews go through the review log like any answer in a session (session id = the exam's id),
so history, undo and stats see them. Each review's duration is the time spent on the task.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ckaquiz import scheduling
from ckaquiz.collection import Collection
from ckaquiz.exam import ExamResult
from ckaquiz.model import Rating, Review
from ckaquiz.store import record_review_in_transaction, schedule_of

HARD_FROM = 0.8
"""The smallest share of a task's points graded Hard; a full score is Good, below this is Again."""


def grade_for(fraction: float) -> Rating:
    """The review grade for a task scored `fraction` (0..1) of its points."""
    if fraction >= 1.0:
        return Rating.GOOD
    return Rating.HARD if fraction >= HARD_FROM else Rating.AGAIN


@dataclass(frozen=True)
class ScheduledTask:
    """One task logged as a review: its card, the grade given, and the share earned."""

    card_id: str
    rating: Rating
    fraction: float


def schedule_results(collection: Collection, result: ExamResult, *, exam_id: str) -> list[ScheduledTask]:
    """Log each task of a scored paper as a review of its card; tasks whose card is gone are left out."""
    return list(_logged(collection, result, exam_id))


def _logged(collection: Collection, result: ExamResult, exam_id: str) -> Iterator[ScheduledTask]:
    store = collection.store
    for task_result in result.tasks:
        stored = store.card(task_result.task.id)
        if stored is None:
            continue
        rating = grade_for(task_result.fraction)
        now = collection.now()
        with store.transaction() as connection:
            before = schedule_of(store, stored.number)
            after = scheduling.review(collection.scheduler, stored.number, before, rating, now, card_id=stored.card.id)
            review = Review(
                card_id=stored.card.id,
                rating=rating,
                reviewed_at=now,
                duration_ms=max(0, int(task_result.seconds * 1000)),
                before=before,
                after=after,
                session_id=exam_id,
            )
            record_review_in_transaction(store, connection, review, stored.number)
        yield ScheduledTask(stored.card.id, rating, task_result.fraction)
