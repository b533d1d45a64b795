"""Choice grading: the chosen set must equal the answer set."""

from __future__ import annotations

import pytest

from ckaquiz.grading import ChoiceGradeResult, grade_choice
from ckaquiz.model import Rating

CASES = [
    pytest.param(["Mutating"], ["Mutating"], True, [], 1.0, id="single-right"),
    pytest.param(
        ["Validating"],
        ["Mutating"],
        False,
        ["missing option Mutating", "wrongly chosen option Validating"],
        0.0,
        id="single-wrong",
    ),
    pytest.param(
        ["Static pods", "DaemonSet pods"],
        ["DaemonSet pods", "Static pods"],
        True,
        [],
        1.0,
        id="several-in-any-order",
    ),
    pytest.param(
        ["Static pods"],
        ["Static pods", "DaemonSet pods"],
        False,
        ["missing option DaemonSet pods"],
        0.5,
        id="one-of-two-missing",
    ),
    pytest.param(
        ["Static pods", "DaemonSet pods", "Pods with a nodeSelector"],
        ["Static pods", "DaemonSet pods"],
        False,
        ["wrongly chosen option Pods with a nodeSelector"],
        2 / 3,
        id="one-too-many",
    ),
    pytest.param([" Mutating ", "Mutating"], ["Mutating"], True, [], 1.0, id="whitespace-and-repeats-ignored"),
    pytest.param([], ["Mutating"], False, ["missing option Mutating"], 0.0, id="nothing-chosen"),
    pytest.param(
        ["mutating"],
        ["Mutating"],
        False,
        ["missing option Mutating", "wrongly chosen option mutating"],
        0.0,
        id="options-are-exact",
    ),
]


@pytest.mark.parametrize(("chosen", "answer", "correct", "differences", "score"), CASES)
def test_grade_choice(
    chosen: list[str], answer: list[str], correct: bool, differences: list[str], score: float
) -> None:
    result = grade_choice(chosen, answer)
    assert result.correct is correct
    assert list(result.differences) == differences
    assert result.score == pytest.approx(score)
    assert result.suggested is (Rating.GOOD if correct else Rating.AGAIN)


def test_to_dict_names_missing_and_wrong_options() -> None:
    result = grade_choice(["Validating"], ["Mutating"])
    assert isinstance(result, ChoiceGradeResult)
    assert result.to_dict() == {
        "correct": False,
        "suggested": "again",
        "differences": ["missing option Mutating", "wrongly chosen option Validating"],
        "score": 0.0,
        "kind": "choice",
        "missing": ["Mutating"],
        "wrongly_chosen": ["Validating"],
    }
