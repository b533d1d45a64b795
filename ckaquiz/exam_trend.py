"""Mock exam results over time, for `ckaquiz stats`: the last attempts, their trend, and how they
weigh in CKA readiness.

Readiness from cards alone says how much is remembered; a finished mock exam says how much of a
paper was solved in time. When there is at least one finished attempt, the readiness `stats` shows
is the mean of the two: half the card readiness, half the mean score of the last
`READINESS_ATTEMPTS` finished attempts. Without a finished attempt it is the card readiness alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from ckaquiz.store import Store
from ckaquiz.store import exams as exam_store

ATTEMPTS_SHOWN = 5
"""Finished attempts `stats` lists (and `stats --json` gives), newest last."""
READINESS_ATTEMPTS = 3
"""Finished attempts whose mean score counts in readiness."""
EXAM_SHARE = 0.5
"""The share of readiness that mock exam scores make, once there is one."""


@dataclass(frozen=True)
class ExamScore:
    """One finished attempt: when it ended, its score in percent and whether it passed."""

    finished_at: datetime
    percent: float
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"finished_at": self.finished_at.isoformat(), "percent": round(self.percent, 4), "passed": self.passed}


@dataclass(frozen=True)
class ExamTrend:
    """The last finished attempts, oldest first, and the number of all finished ones."""

    attempts: tuple[ExamScore, ...]
    finished: int

    @property
    def trend(self) -> float | None:
        """Points gained from the first to the last attempt shown; None with fewer than two."""
        return self.attempts[-1].percent - self.attempts[0].percent if len(self.attempts) > 1 else None

    @property
    def recent_score(self) -> float:
        """Mean score, 0..1, of the last READINESS_ATTEMPTS attempts."""
        return fmean(item.percent for item in self.attempts[-READINESS_ATTEMPTS:]) / 100

    def to_dict(self) -> dict[str, Any]:
        trend = self.trend
        return {
            "finished": self.finished,
            "attempts": [item.to_dict() for item in self.attempts],
            "trend": None if trend is None else round(trend, 4),
            "recent_score": round(self.recent_score, 4),
        }


def exam_trend(store: Store) -> ExamTrend | None:
    """The finished attempts in the store, or None when none has ended."""
    finished = [
        ExamScore(record.finished_at, float(record.score), bool(record.passed))
        for record in exam_store.attempts(store)
        if record.finished_at is not None and record.score is not None
    ]
    finished.sort(key=lambda item: item.finished_at)
    if not finished:
        return None
    return ExamTrend(tuple(finished[-ATTEMPTS_SHOWN:]), len(finished))


def combined_readiness(card_readiness: float | None, trend: ExamTrend | None) -> float | None:
    """Readiness 0..1 with the recent exam scores folded in (see the module docstring)."""
    if trend is None:
        return card_readiness
    if card_readiness is None:
        return trend.recent_score
    return (1 - EXAM_SHARE) * card_readiness + EXAM_SHARE * trend.recent_score
