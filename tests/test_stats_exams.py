"""`stats` and mock exams: the last finished attempts, their trend, and readiness with them."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from rich.console import Console

from ckaquiz.collection import Collection
from ckaquiz.exam import Exam, ExamTask, Step
from ckaquiz.exam_trend import combined_readiness, exam_trend
from ckaquiz.stats import collect_stats
from ckaquiz.ui.stats_view import stats_view
from tests.conftest import FrozenClock

TASKS = [
    ExamTask(
        id=f"t:{number}",
        scenario="List the pods.",
        weight=5,
        domain="cka/troubleshooting",
        topic=f"topic-{number}",
        steps=(Step("command", "kubectl get pods"),),
    )
    for number in range(4)
]


def _attempt(collection: Collection, clock: FrozenClock, right: int) -> None:
    exam = Exam.start(collection.store, clock, TASKS, minutes=120, seed=1)
    for index in range(right):
        exam.answer(0, "kubectl get pods", task=index)
    exam.finish()
    clock.moment += timedelta(days=1)


def test_stats_json_gains_the_exam_trend_and_readiness_with_exams(collection: Collection, clock: FrozenClock) -> None:
    assert collect_stats(collection).to_dict()["exams"] is None
    for right in (1, 2, 4):
        _attempt(collection, clock, right)
    Exam.start(collection.store, clock, TASKS, minutes=120, seed=2)  # unfinished: not counted
    found = collect_stats(collection).to_dict()
    exams = found["exams"]
    assert exams["finished"] == 3
    assert [(item["percent"], item["passed"]) for item in exams["attempts"]] == [
        (25.0, False),
        (50.0, False),
        (100.0, True),
    ]
    assert exams["trend"] == 75.0
    assert exams["recent_score"] == round((0.25 + 0.5 + 1.0) / 3, 4)
    assert found["readiness"] is None  # no cards tagged with a domain
    assert found["exam_readiness"] == exams["recent_score"]
    assert list(found)[-1] == "recall_progress"
    buffer = io.StringIO()
    collection_stats = collect_stats(collection)
    collection_stats.write_json(buffer)
    assert json.loads(buffer.getvalue())["exams"] == exams
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(stats_view(collection_stats))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    assert "2025-03-19   25.0%  fail" in screen
    assert "100.0%  pass" in screen
    assert "trend +75.0 points" in screen


def test_readiness_is_half_cards_half_recent_exams(collection: Collection, clock: FrozenClock) -> None:
    assert combined_readiness(0.8, None) == 0.8
    assert combined_readiness(None, None) is None
    for right in (0, 4, 4, 4):
        _attempt(collection, clock, right)
    trend = exam_trend(collection.store)
    assert trend is not None and trend.recent_score == 1.0  # the oldest of four is left out
    assert combined_readiness(0.6, trend) == 0.8
