"""The grade policy for judged kinds (command, manifest, choice, typed cloze), defined once.

FSRS counts *hard* as a pass, so a suggestion of *hard* or better claims the answer was right:

- anything wrong or missing (a value, a flag, a field, the kind or apiVersion, an option) is
  *again*;
- a right answer that needed a second try (fixed after a YAML error) or that differs from the
  expected one only cosmetically is *hard*;
- a right answer is *good*, and *easy* when it came at the first try within the kind's easy time.

Every grader calls `suggest`; the learner may still pick another grade.
"""

from __future__ import annotations

from ckaquiz.config import DEFAULT_EASY_SECONDS
from ckaquiz.model import Rating


def suggest(
    *,
    correct: bool,
    cosmetic: bool = False,
    tries: int = 1,
    seconds_taken: float | None = None,
    easy_seconds: float | None = None,
) -> Rating:
    """The suggested grade: again unless right; hard for a second try or a cosmetic difference; easy when fast."""
    if not correct:
        return Rating.AGAIN
    if cosmetic or tries > 1:
        return Rating.HARD
    if seconds_taken is not None and easy_seconds is not None and 0 <= seconds_taken <= easy_seconds:
        return Rating.EASY
    return Rating.GOOD


def easy_time(kind: str, configured: dict[str, float], card_limit: float | None = None) -> float:
    """The easy time of one card: half its own target time when it has one, else the kind's configured time."""
    if card_limit is not None and card_limit > 0:
        return card_limit / 2
    return configured.get(kind, DEFAULT_EASY_SECONDS.get(kind, 0.0))
