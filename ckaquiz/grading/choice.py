"""Choice grading: the chosen options must be exactly the correct ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ckaquiz.grading.policy import suggest
from ckaquiz.grading.results import ChoiceGradeResult


def grade_choice(
    chosen: Sequence[str],
    answer: Sequence[str],
    *,
    seconds_taken: float | None = None,
    easy_seconds: float | None = None,
) -> ChoiceGradeResult:
    """Grade chosen options against the correct ones: the sets must be equal (else *again*)."""
    chosen_set = _unique(option.strip() for option in chosen if option.strip())
    answer_set = _unique(option.strip() for option in answer if option.strip())
    missing = tuple(option for option in answer_set if option not in chosen_set)
    wrong = tuple(option for option in chosen_set if option not in answer_set)
    union = len(set(chosen_set) | set(answer_set))
    score = 1.0 if union == 0 else len(set(chosen_set) & set(answer_set)) / union
    correct = not missing and not wrong
    differences = tuple(
        [f"missing option {option}" for option in missing] + [f"wrongly chosen option {option}" for option in wrong]
    )
    return ChoiceGradeResult(
        correct=correct,
        suggested=suggest(correct=correct, seconds_taken=seconds_taken, easy_seconds=easy_seconds),
        differences=differences,
        score=score,
        missing=missing,
        wrongly_chosen=wrong,
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
