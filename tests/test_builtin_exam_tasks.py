"""The built-in exam tasks: each one's own answers score 100 % through the graders, and the
tasks cover every CKA domain in proportion to its weight, with no topic twice."""

from __future__ import annotations

from collections import Counter

import pytest

from ckaquiz.config import builtin_decks_folder
from ckaquiz.decks.loader import load_decks
from ckaquiz.domains import CKA_DOMAINS
from ckaquiz.exam import ExamTask, draw_paper, exam_tasks, grade_step, score_paper

MINIMUM_TASKS = 66
SHARE_TOLERANCE = 0.05
KUBERNETES_DOCS = "https://kubernetes.io/docs/"


@pytest.fixture(scope="module")
def tasks() -> list[ExamTask]:
    return exam_tasks(card for deck in load_decks([builtin_decks_folder()]) for card in deck.cards)


def test_there_are_enough_tasks_with_a_kubernetes_io_reference(tasks: list[ExamTask]) -> None:
    assert len(tasks) >= MINIMUM_TASKS
    assert [task.id for task in tasks if not task.reference.startswith(KUBERNETES_DOCS)] == []


def test_every_task_s_own_answers_and_alternatives_score_full_marks(tasks: list[ExamTask]) -> None:
    wrong = []
    for task in tasks:
        for number, step in enumerate(task.steps, start=1):
            for answer in (step.answer, *step.alternatives):
                result = grade_step(step, answer)
                if not result.correct:
                    wrong.append(f"{task.id} step {number}: {result.differences}")
    assert wrong == []
    perfect = score_paper(
        tasks, [[step.answer for step in task.steps] for task in tasks], [0.0] * len(tasks), seconds_used=0, minutes=120
    )
    assert perfect.percent == 100.0


def test_tasks_are_shared_by_domain_like_the_exam_and_no_topic_repeats(tasks: list[ExamTask]) -> None:
    counts = Counter(task.domain for task in tasks)
    shares = {domain.tag: counts[domain.tag] / len(tasks) for domain in CKA_DOMAINS}
    assert {
        tag: round(share, 3)
        for tag, share in shares.items()
        if abs(share - next(domain.weight for domain in CKA_DOMAINS if domain.tag == tag) / 100) > SHARE_TOLERANCE
    } == {}
    topics = Counter(task.topic for task in tasks)
    assert [topic for topic, count in topics.items() if count > 1] == []


def test_a_full_paper_can_be_drawn_from_the_built_in_tasks(tasks: list[ExamTask]) -> None:
    paper = draw_paper(tasks, count=17, seed=1)
    assert len(paper) == 17
    counts = Counter(task.domain for task in paper)
    for domain in CKA_DOMAINS:
        assert abs(counts[domain.tag] - 17 * domain.weight / 100) < 1, (domain.tag, counts)
