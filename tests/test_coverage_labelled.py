"""The recall scorer against grades a careful teacher gave, case by case (fixtures/recall_labelled.yaml).

The human grades were written before the scorer was tuned and are never changed to fit it.
Run `pytest -s tests/test_coverage_labelled.py` to see the agreement figures and every case
where the scorer and the teacher disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ckaquiz.coverage import score_recall
from ckaquiz.model import Rating

LABELLED = Path(__file__).parent / "fixtures" / "recall_labelled.yaml"
EXACT_TARGET = 0.70
WITHIN_ONE_TARGET = 0.95


@dataclass(frozen=True)
class LabelledCase:
    """One learner recall with the teacher's grade."""

    id: str
    language: str
    points: tuple[str, ...]
    recall: str
    human: Rating


@dataclass(frozen=True)
class Agreement:
    """How often the suggested grade equals the human grade, or is one grade away."""

    total: int
    exact: int
    within_one: int
    disagreements: tuple[str, ...]

    @property
    def exact_share(self) -> float:
        return self.exact / self.total

    @property
    def within_one_share(self) -> float:
        return self.within_one / self.total

    def summary(self) -> str:
        """The figures as one line."""
        return (
            f"recall scorer vs human grades: exact {self.exact}/{self.total} = {self.exact_share:.1%}, "
            f"within one grade {self.within_one}/{self.total} = {self.within_one_share:.1%}"
        )


def load_cases(path: Path = LABELLED) -> list[LabelledCase]:
    """The labelled cases of the fixture file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for entry in data["cases"]:
        human = Rating.parse(str(entry["human"]))
        assert human is not None, f"{entry['id']}: unknown grade {entry['human']!r}"
        cases.append(
            LabelledCase(
                id=str(entry["id"]),
                language=str(entry["language"]),
                points=tuple(str(point) for point in entry["points"]),
                recall=str(entry["recall"]),
                human=human,
            )
        )
    return cases


def measure_agreement(cases: list[LabelledCase]) -> Agreement:
    """Score every case with the default cut-offs and compare with the human grade."""
    exact = 0
    within_one = 0
    disagreements = []
    for case in cases:
        result = score_recall(case.points, case.recall)
        distance = abs(int(result.suggested) - int(case.human))
        exact += distance == 0
        within_one += distance <= 1
        if distance:
            disagreements.append(
                f"{case.id}: human {case.human.label}, suggested {result.suggested.label} "
                f"(coverage {result.coverage:.2f})"
            )
    return Agreement(len(cases), exact, within_one, tuple(disagreements))


@pytest.fixture(scope="module")
def cases() -> list[LabelledCase]:
    return load_cases()


@pytest.fixture(scope="module")
def agreement(cases: list[LabelledCase]) -> Agreement:
    return measure_agreement(cases)


def test_the_labelled_set_is_broad(cases: list[LabelledCase]) -> None:
    assert len(cases) >= 64
    assert len({case.id for case in cases}) == len(cases)
    languages = Counter(case.language for case in cases)
    assert set(languages) <= {"en", "ko", "mixed"}
    assert abs(languages["en"] - languages["ko"]) <= len(cases) // 10
    grades = Counter(case.human for case in cases)
    assert all(grades[rating] >= len(cases) // 8 for rating in Rating)
    assert all(4 <= len(case.points) <= 8 for case in cases)


def test_suggested_grades_agree_with_the_human_grades(
    agreement: Agreement, record_property: Callable[[str, object], None]
) -> None:
    print()
    print(agreement.summary())
    for line in agreement.disagreements:
        print(f"  {line}")
    record_property("exact_share", round(agreement.exact_share, 3))
    record_property("within_one_share", round(agreement.within_one_share, 3))
    assert agreement.exact_share >= EXACT_TARGET, agreement.summary()
    assert agreement.within_one_share >= WITHIN_ONE_TARGET, agreement.summary()


# --------------------------------------------------------------------------- the second set

LABELLED_2 = Path(__file__).parent / "fixtures" / "recall_labelled_2.yaml"
CATEGORIES = {"false-statement", "paraphrase", "cross-language", "partial", "off-topic", "long", "spacing"}
EXTENDED_EXACT_TARGET = 0.75
EXTENDED_WITHIN_ONE_TARGET = 0.97


def suggested_with_misconceptions(points: tuple[str, ...], recall: str) -> Rating:
    """The grade a session suggests: coverage, lowered by any misconception of the whole bank."""
    from ckaquiz.misconceptions import find

    suggested = score_recall(points, recall).suggested
    for hit in find(recall):
        suggested = min(suggested, Rating.AGAIN if hit.misconception.severity == "major" else Rating.HARD)
    return suggested


@pytest.fixture(scope="module")
def second_set() -> list[tuple[str, LabelledCase]]:
    data: dict[str, Any] = yaml.safe_load(LABELLED_2.read_text(encoding="utf-8"))
    categories = [str(entry["category"]) for entry in data["cases"]]
    return list(zip(categories, load_cases(LABELLED_2), strict=True))


def test_the_second_set_is_broad(second_set: list[tuple[str, LabelledCase]]) -> None:
    assert len(second_set) >= 60
    assert {category for category, _ in second_set} == CATEGORIES
    assert sum(case.language in ("ko", "mixed") for _, case in second_set) * 2 >= len(second_set)
    assert sum(category == "false-statement" for category, _ in second_set) >= 15
    first_ids = {case.id for case in load_cases()}
    assert not first_ids & {case.id for _, case in second_set}


def test_no_false_statement_is_suggested_as_a_pass(second_set: list[tuple[str, LabelledCase]]) -> None:
    passed = [
        case.id
        for category, case in second_set
        if category == "false-statement" and suggested_with_misconceptions(case.points, case.recall) >= Rating.GOOD
    ]
    assert passed == []


def test_the_extended_set_agrees_with_the_human_grades(
    cases: list[LabelledCase], second_set: list[tuple[str, LabelledCase]]
) -> None:
    rows = [("first set", case) for case in cases] + second_set
    by_category: dict[str, list[int]] = {}
    for category, case in rows:
        distance = abs(int(suggested_with_misconceptions(case.points, case.recall)) - int(case.human))
        figures = by_category.setdefault(category, [0, 0, 0])
        figures[0] += 1
        figures[1] += distance == 0
        figures[2] += distance <= 1
    print()
    for category, (total, exact, within) in sorted(by_category.items()):
        print(f"  {category}: exact {exact}/{total}, within one {within}/{total}")
    total = sum(figures[0] for figures in by_category.values())
    exact = sum(figures[1] for figures in by_category.values())
    within = sum(figures[2] for figures in by_category.values())
    print(f"  all: exact {exact}/{total} = {exact / total:.1%}, within one {within}/{total} = {within / total:.1%}")
    assert exact / total >= EXTENDED_EXACT_TARGET
    assert within / total >= EXTENDED_WITHIN_ONE_TARGET
