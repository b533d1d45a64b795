"""The exam engine without a terminal: drawing papers, scoring steps, saving an attempt."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.domains import CKA_DOMAINS
from ckaquiz.exam import Exam, ExamTask, Step, draw_paper, grade_step, score_paper
from ckaquiz.filters import Filters
from ckaquiz.session import Mode, Session
from ckaquiz.store.exams import attempt, unfinished_attempt
from tests.conftest import FrozenClock


def _pool(per_domain: int = 10) -> list[ExamTask]:
    tasks = []
    for domain in CKA_DOMAINS:
        short = domain.tag.removeprefix("cka/")
        for number in range(per_domain):
            tasks.append(
                ExamTask(
                    id=f"pool:{short}-{number}",
                    scenario=f"Task {number} of {short}",
                    weight=5,
                    domain=domain.tag,
                    topic=f"{short}-{number // 2}",  # two tasks share each topic
                    steps=(Step("command", "kubectl get pods"),),
                )
            )
    return tasks


def test_a_seeded_paper_is_reproducible_weighted_by_domain_and_has_no_topic_twice() -> None:
    first = draw_paper(_pool(), count=17, seed=7)
    again = draw_paper(list(reversed(_pool())), count=17, seed=7)
    assert [task.id for task in first] == [task.id for task in again]
    assert len(first) == 17
    assert len({task.topic for task in first}) == 17
    counts = Counter(task.domain for task in first)
    for domain in CKA_DOMAINS:
        assert abs(counts[domain.tag] - 17 * domain.weight / 100) < 1, (domain.tag, counts)
    assert [task.id for task in draw_paper(_pool(), count=17, seed=8)] != [task.id for task in first]


def test_a_domain_short_of_tasks_gives_its_places_to_the_others() -> None:
    storage = [task for task in _pool(2) if task.domain == "cka/storage"]
    pool = [task for task in _pool() if task.domain != "cka/storage"] + storage
    assert len(storage) == 2 and len({task.topic for task in storage}) == 1
    paper = draw_paper(pool, count=17, seed=1)
    assert len(paper) == 17
    assert Counter(task.domain for task in paper)["cka/storage"] == 1


def test_a_paper_of_one_domain() -> None:
    paper = draw_paper(_pool(), count=3, seed=2, domain="cka/storage")
    assert {task.domain for task in paper} == {"cka/storage"}
    assert len(paper) == 3


MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n"


@pytest.mark.parametrize(
    ("step", "answer", "correct", "difference"),
    [
        (Step("command", "kubectl scale deployment web --replicas 3"), "k scale deploy/web --replicas=3", True, None),
        (
            Step("command", "kubectl scale deployment web --replicas 3"),
            "kubectl scale deploy web --replicas 4",
            False,
            "--replicas",
        ),
        (Step("command", "kubectl get pods"), "   ", False, "no answer"),
        (Step("manifest", MANIFEST), MANIFEST.replace("fast", "slow"), False, "data.mode"),
        (Step("manifest", MANIFEST), "kind: [", False, "YAML error"),
        (Step("manifest", MANIFEST), MANIFEST + "  extra: \"yes\"\n", True, None),
        (Step("manifest", MANIFEST, strict=True), MANIFEST + "  extra: \"yes\"\n", False, "extra"),
        (Step("command", "kubectl get pods"), "kubectl get pods " + "-o wide " * 999, False, "at most 4,000 are"),
        (Step("manifest", MANIFEST), MANIFEST + "#" * 100_001, False, "at most 100,000 are judged"),
    ],
)
def test_a_step_earns_its_points_only_when_the_grader_finds_it_right(
    step: Step, answer: str, correct: bool, difference: str | None
) -> None:
    result = grade_step(step, answer)
    assert result.correct is correct
    if difference is None:
        assert result.differences == ()
    else:
        assert any(difference in line for line in result.differences), result.differences


def test_partial_credit_is_per_step_and_the_total_is_against_the_paper_weight() -> None:
    tasks = [
        ExamTask("a", "s", 6, "cka/storage", "a", (Step("command", "ls", points=1), Step("command", "pwd", points=2))),
        ExamTask("b", "s", 4, "cka/troubleshooting", "b", (Step("command", "ls"),)),
    ]
    result = score_paper(tasks, [["ls", "cd"], ["ls"]], [10.0, 20.0], seconds_used=30, minutes=10)
    assert [round(task.earned, 6) for task in result.tasks] == [2.0, 4.0]
    assert round(result.percent, 6) == 60.0
    assert result.passed is False
    assert [(domain.tag, round(domain.percent, 4)) for domain in result.domains()] == [
        ("cka/storage", 33.3333),
        ("cka/troubleshooting", 100.0),
    ]
    perfect = score_paper(tasks, [["ls", "pwd"], ["ls"]], [0, 0], seconds_used=0, minutes=10)
    assert perfect.percent == 100.0 and perfect.passed


def test_every_change_is_in_the_database_before_the_call_returns(collection: Collection, clock: FrozenClock) -> None:
    from datetime import timedelta

    tasks = _pool(1)[:3]
    exam = Exam.start(collection.store, clock, tasks, minutes=30, seed=3)
    clock.moment += timedelta(minutes=4)
    exam.answer(0, "kubectl get pods")
    clock.moment += timedelta(minutes=1)
    exam.toggle_flag()
    exam.next()
    stored = unfinished_attempt(collection.store)
    assert stored is not None and stored.id == exam.id
    assert stored.progress["answers"][0] == ["kubectl get pods"]
    assert stored.progress["flags"] == [0]
    assert stored.progress["current"] == 1
    assert stored.seconds_used == 300
    assert stored.progress["seconds"] == [300, 0, 0]

    resumed = Exam.resume(collection.store, clock)
    assert resumed.seconds_left() == 25 * 60
    clock.moment += timedelta(minutes=30)  # far past the end: only the 25 minutes left count
    result = resumed.finish()
    assert result.seconds_used == 30 * 60
    assert [task.steps_right for task in result.tasks] == [1, 0, 0]
    record = attempt(collection.store, exam.id)
    assert record is not None and record.finished_at is not None
    assert record.score == pytest.approx(100 / 3)
    assert unfinished_attempt(collection.store) is None


def test_tasks_stay_out_of_study_and_review_unless_asked_for(collection: Collection, tmp_path: Path) -> None:
    deck = tmp_path / "mixed.yaml"
    deck.write_text(
        "deck: mixed\ncards:\n  - {front: a card, back: yes}\n  - kind: task\n    weight: 5\n    scenario: a task\n"
        "    tags: [cka/storage]\n    steps: [{kind: command, answer: ls}]\n",
        encoding="utf-8",
    )
    from tests.conftest import run_cli

    assert run_cli("import", str(deck)).returncode == 0
    for mode in (Mode.STUDY, Mode.REVIEW):
        session = Session(collection, Filters(), mode=mode)
        shown = []
        while (item := session.next_card()) is not None:
            shown.append(item.card.prompt)
            session.skip()
        assert shown == ["a card"]
    session = Session(collection, Filters(), mode=Mode.REVIEW, include_tasks=True)
    item = session.next_card()
    assert item is not None
    prompts = {item.card.prompt}
    session.skip()
    while (item := session.next_card()) is not None:
        prompts.add(item.card.prompt)
        session.skip()
    assert prompts == {"a card", "a task"}


class _ClockedInput:
    """Lines of input, each read `minutes` after the one before on the test's clock."""

    def __init__(self, lines: list[str], clock: FrozenClock, minutes: float) -> None:
        self.lines = lines
        self.clock = clock
        self.minutes = minutes

    def readline(self) -> str:
        from datetime import timedelta

        self.clock.moment += timedelta(minutes=self.minutes)
        return self.lines.pop(0) + "\n" if self.lines else ""


def test_plain_warnings_at_15_and_5_minutes_then_the_time_runs_out(collection: Collection, clock: FrozenClock) -> None:
    import io

    from ckaquiz.ui.exam_plain import PlainExamFrontEnd

    tasks = _pool(1)[:3]
    exam = Exam.start(collection.store, clock, tasks, minutes=20, seed=3)
    typed = ["kubectl get pods", ".", "kubectl get pods", ".", "kubectl get pods", "."]
    output = io.StringIO()
    result = PlainExamFrontEnd(exam, _ClockedInput(typed, clock, 4), output).run()  # type: ignore[arg-type]
    lines = output.getvalue().splitlines()
    assert result is not None
    # a line every 4 minutes: task 1 is saved at 8, task 2 at 16, and at 20 the time is up
    first, second = lines.index("saved step 1/1 of task 1"), lines.index("saved step 1/1 of task 2")
    assert lines.index("warning: 15 minutes left") < first < lines.index("warning: 5 minutes left") < second
    assert lines.count("time is up") == 1
    assert [task.steps_right for task in result.tasks] == [1, 1, 0]
    assert [round(task.seconds) for task in result.tasks] == [480, 480, 240]
    assert lines[-1] == "time used: 20m00s of 20m00s"
