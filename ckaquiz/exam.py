"""The mock exam engine: draw a paper of tasks, hold answers, flags and time, score it.

No terminal code: the plain protocol and the terminal front end drive an `Exam` through
`go`, `flag`, `answer` and `finish`. Every answer, flag and move is saved to the store before
the call returns, so a killed process loses nothing and `resume` continues with the time left.
The clock only runs while an attempt is open.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ckaquiz.clock import Clock
from ckaquiz.domains import CKA_DOMAINS, DOMAIN_NAMES, DOMAIN_WEIGHTS
from ckaquiz.errors import UsageError
from ckaquiz.model import Card, CardKind, TaskDetails
from ckaquiz.store import Store
from ckaquiz.store import exams as exam_store

PASS_MARK = 66.0
"""The CKA's pass mark, in percent of the paper's weight."""
DEFAULT_MINUTES = 120.0
DEFAULT_TASKS = 17
WARNINGS_MINUTES = (15, 5)
"""Minutes left at which the front ends warn."""



@dataclass(frozen=True)
class Step:
    """One part of a task, answered with a command or a manifest."""

    kind: str
    answer: str
    question: str = ""
    alternatives: tuple[str, ...] = ()
    strict: bool = False
    points: int = 1

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Step:
        """A step from a task card's `steps` field."""
        return cls(
            kind=str(value["kind"]),
            answer=str(value["answer"]),
            question=str(value.get("question", "")),
            alternatives=tuple(str(item) for item in value.get("alternatives", ())),
            strict=bool(value.get("strict", False)),
            points=int(value.get("points", 1)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The shape `from_dict` reads."""
        return {
            "kind": self.kind,
            "answer": self.answer,
            "question": self.question,
            "alternatives": list(self.alternatives),
            "strict": self.strict,
            "points": self.points,
        }


@dataclass(frozen=True)
class ExamTask:
    """A task as drawn for a paper: a copy of its card's content."""

    id: str
    scenario: str
    weight: int
    domain: str
    topic: str
    steps: tuple[Step, ...]
    context: str = ""
    reference: str = ""

    @classmethod
    def from_card(cls, card: Card) -> ExamTask:
        """The task a `task` card holds."""
        details = card.details
        if not isinstance(details, TaskDetails):
            raise ValueError(f"{card.id} is a {card.kind.value} card, not a task")
        return cls(
            id=card.id,
            scenario=card.prompt,
            weight=details.weight,
            domain=details.domain,
            topic=details.topic or card.id,
            steps=tuple(Step.from_dict(dict(step)) for step in details.steps),
            context=details.context,
            reference=card.reference,
        )

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> ExamTask:
        """A task from a stored paper."""
        return cls(
            id=str(value["id"]),
            scenario=str(value["scenario"]),
            weight=int(value["weight"]),
            domain=str(value["domain"]),
            topic=str(value["topic"]),
            steps=tuple(Step.from_dict(step) for step in value["steps"]),
            context=str(value.get("context", "")),
            reference=str(value.get("reference", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The shape `from_dict` reads."""
        return {
            "id": self.id,
            "scenario": self.scenario,
            "weight": self.weight,
            "domain": self.domain,
            "topic": self.topic,
            "steps": [step.to_dict() for step in self.steps],
            "context": self.context,
            "reference": self.reference,
        }

    @property
    def domain_name(self) -> str:
        return DOMAIN_NAMES.get(self.domain, self.domain)


# drawing a paper ------------------------------------------------------------------------------


def draw_paper(tasks: Iterable[ExamTask], *, count: int, seed: int, domain: str | None = None) -> list[ExamTask]:
    """`count` tasks with domains in proportion to the CKA weights and no two on one topic.

    Each domain gets its share by largest remainder (so within one task of its weight), from
    the domains that have tasks; a domain with too few tasks gives its places to the others.
    The same tasks and seed always give the same paper.
    """
    if count < 1:
        raise UsageError("--tasks must be at least 1")
    pool = sorted(tasks, key=lambda task: task.id)
    if domain is not None:
        pool = [task for task in pool if task.domain == domain]
    generator = random.Random(seed)
    by_domain: dict[str, list[ExamTask]] = {}
    for task in pool:
        by_domain.setdefault(task.domain, []).append(task)
    for group in by_domain.values():
        generator.shuffle(group)
    topics: set[str] = set()
    chosen: list[ExamTask] = []
    quotas = _quotas({tag: DOMAIN_WEIGHTS.get(tag, 1) for tag in by_domain}, count)
    while quotas:
        for tag, quota in quotas.items():
            group = by_domain[tag]
            while quota > 0 and group:
                task = group.pop(0)
                if task.topic.casefold() not in topics:
                    topics.add(task.topic.casefold())
                    chosen.append(task)
                    quota -= 1
        missing = count - len(chosen)
        left = {tag: DOMAIN_WEIGHTS.get(tag, 1) for tag, group in by_domain.items() if group}
        quotas = _quotas(left, missing) if missing > 0 and left else {}
    generator.shuffle(chosen)
    return chosen


def _quotas(weights: dict[str, int], count: int) -> dict[str, int]:
    """`count` places shared by weight, largest remainder first (ties by tag, for reproducibility)."""
    total = sum(weights.values())
    if total <= 0 or count <= 0:
        return {}
    exact = {tag: count * weight / total for tag, weight in weights.items()}
    quotas = {tag: int(share) for tag, share in exact.items()}
    by_remainder = sorted(exact, key=lambda tag: (-(exact[tag] - quotas[tag]), -weights[tag], tag))
    for tag in by_remainder[: count - sum(quotas.values())]:
        quotas[tag] += 1
    return quotas


def exam_tasks(cards: Iterable[Card]) -> list[ExamTask]:
    """The tasks among these cards."""
    return [ExamTask.from_card(card) for card in cards if card.kind is CardKind.TASK]


# scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    """One step's verdict: all its points or none, and the grader's differences."""

    points: int
    correct: bool
    differences: tuple[str, ...] = ()
    answered: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "correct": self.correct,
            "differences": list(self.differences),
            "answered": self.answered,
        }


@dataclass(frozen=True)
class TaskResult:
    """A task's share of its weight, earned step by step."""

    task: ExamTask
    steps: tuple[StepResult, ...]
    seconds: float

    @property
    def fraction(self) -> float:
        total = sum(step.points for step in self.steps)
        return sum(step.points for step in self.steps if step.correct) / total if total else 0.0

    @property
    def earned(self) -> float:
        return self.task.weight * self.fraction

    @property
    def steps_right(self) -> int:
        return sum(step.correct for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.task.id,
            "domain": self.task.domain,
            "weight": self.task.weight,
            "earned": round(self.earned, 4),
            "seconds": round(self.seconds, 1),
            "steps": [step.to_dict() for step in self.steps],
        }


@dataclass(frozen=True)
class DomainScore:
    """The share of one domain's weight on the paper that was earned."""

    tag: str
    weight: int
    earned: float
    tasks: int

    @property
    def percent(self) -> float:
        return 100 * self.earned / self.weight if self.weight else 0.0

    @property
    def name(self) -> str:
        return DOMAIN_NAMES.get(self.tag, self.tag)

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "weight": self.weight, "earned": round(self.earned, 4), "tasks": self.tasks}


@dataclass(frozen=True)
class ExamResult:
    """The score of a whole paper against the pass mark."""

    tasks: tuple[TaskResult, ...]
    seconds_used: float
    minutes: float

    @property
    def weight(self) -> int:
        return sum(result.task.weight for result in self.tasks)

    @property
    def percent(self) -> float:
        """Earned weight in percent of the paper's weight (the drawn weights need not add up to 100)."""
        return 100 * sum(result.earned for result in self.tasks) / self.weight if self.weight else 0.0

    @property
    def passed(self) -> bool:
        return round(self.percent, 6) >= PASS_MARK

    def domains(self) -> list[DomainScore]:
        """Per-domain scores, in the curriculum's order."""
        order = [domain.tag for domain in CKA_DOMAINS]
        tags = sorted(
            {result.task.domain for result in self.tasks},
            key=lambda tag: (tag not in order, order.index(tag) if tag in order else 0, tag),
        )
        scores = []
        for tag in tags:
            results = [result for result in self.tasks if result.task.domain == tag]
            weight = sum(result.task.weight for result in results)
            scores.append(DomainScore(tag, weight, sum(result.earned for result in results), len(results)))
        return scores

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 4),
            "passed": self.passed,
            "pass_mark": PASS_MARK,
            "seconds_used": round(self.seconds_used, 1),
            "minutes": self.minutes,
            "domains": [score.to_dict() for score in self.domains()],
            "tasks": [result.to_dict() for result in self.tasks],
        }


def grade_step(step: Step, answer: str) -> StepResult:
    """Judge one step's answer with the command or manifest grader; only a right answer earns points."""
    from ckaquiz import grading
    from ckaquiz.assessment import ANSWER_LIMITS

    if not answer.strip():
        return StepResult(step.points, False, ("no answer",), answered=False)
    limit = ANSWER_LIMITS[CardKind.COMMAND if step.kind == "command" else CardKind.MANIFEST]
    if len(answer) > limit:
        return StepResult(
            step.points, False, (f"the answer has {len(answer):,} characters; at most {limit:,} are judged",)
        )
    if step.kind == "command":
        command = grading.grade_command(answer, step.answer, list(step.alternatives))
        return StepResult(step.points, command.correct, tuple(command.differences))
    try:
        manifest = grading.grade_manifest(answer, step.answer, strict=step.strict)
    except grading.ManifestSyntaxError as error:
        return StepResult(
            step.points, False, (f"YAML error at line {error.line}, column {error.column}: {error.message}",)
        )
    return StepResult(step.points, manifest.correct, tuple(manifest.differences))


def score_paper(
    tasks: Sequence[ExamTask],
    answers: Sequence[Sequence[str]],
    seconds: Sequence[float],
    *,
    seconds_used: float,
    minutes: float,
) -> ExamResult:
    """Grade every step of every task."""
    results = []
    for index, task in enumerate(tasks):
        task_answers = answers[index] if index < len(answers) else []
        steps = tuple(
            grade_step(step, task_answers[number] if number < len(task_answers) else "")
            for number, step in enumerate(task.steps)
        )
        results.append(TaskResult(task, steps, seconds[index] if index < len(seconds) else 0.0))
    return ExamResult(tuple(results), seconds_used, minutes)


# an attempt -------------------------------------------------------------------------------


class TaskState(StrEnum):
    """What the question list shows for a task."""

    NOT_STARTED = "not started"
    ANSWERED = "answered"
    PARTLY = "partly answered"


@dataclass
class Exam:
    """One attempt at a paper, saved after every change."""

    store: Store
    clock: Clock
    id: str
    tasks: list[ExamTask]
    minutes: float
    seed: int
    answers: list[list[str]]
    flags: set[int] = field(default_factory=set)
    current: int = 0
    seconds_per_task: list[float] = field(default_factory=list)
    seconds_used: float = 0.0
    finished: bool = False
    result: ExamResult | None = None

    def __post_init__(self) -> None:
        self._mark = self.clock()
        if len(self.seconds_per_task) < len(self.tasks):
            self.seconds_per_task += [0.0] * (len(self.tasks) - len(self.seconds_per_task))

    @classmethod
    def start(
        cls,
        store: Store,
        clock: Clock,
        tasks: Sequence[ExamTask],
        *,
        minutes: float,
        seed: int,
        filters: dict[str, Any] | None = None,
    ) -> Exam:
        """Store a new attempt at this paper and return it."""
        if not tasks:
            raise UsageError("no exam tasks match: import a deck with `kind: task` entries, or widen --deck/--domain")
        if minutes <= 0:
            raise UsageError("--minutes must be more than 0")
        now = clock()
        exam = cls(store, clock, uuid.uuid4().hex, list(tasks), minutes, seed, [[] for _ in tasks])
        record = exam_store.AttemptRecord(
            id=exam.id,
            started_at=now,
            updated_at=now,
            minutes=minutes,
            seed=seed,
            paper=[task.to_dict() for task in tasks],
            filters=filters or {},
            progress=exam._progress(),
        )
        exam_store.create_attempt(store, record)
        return exam

    @classmethod
    def resume(cls, store: Store, clock: Clock) -> Exam:
        """The newest unfinished attempt, with the time it had left."""
        record = exam_store.unfinished_attempt(store)
        if record is None:
            raise UsageError("no unfinished exam to resume: start one with `ckaquiz exam`")
        progress = record.progress
        tasks = [ExamTask.from_dict(task) for task in record.paper]
        answers = [[str(text) for text in items] for items in progress.get("answers", [[] for _ in tasks])]
        return cls(
            store,
            clock,
            record.id,
            tasks,
            record.minutes,
            record.seed,
            answers + [[] for _ in range(len(tasks) - len(answers))],
            flags={int(index) for index in progress.get("flags", [])},
            current=min(int(progress.get("current", 0)), len(tasks) - 1),
            seconds_per_task=[float(seconds) for seconds in progress.get("seconds", [])],
            seconds_used=record.seconds_used,
        )

    # time -----------------------------------------------------------------------------------

    def _tick(self) -> None:
        """Count the time since the last tick against the exam and the current task."""
        now = self.clock()
        elapsed = max(0.0, (now - self._mark).total_seconds())
        self._mark = now
        if not self.finished:
            elapsed = min(elapsed, max(0.0, self.minutes * 60 - self.seconds_used))
            self.seconds_used += elapsed
            self.seconds_per_task[self.current] += elapsed

    def seconds_left(self) -> float:
        """Seconds left on the clock (never below 0)."""
        elapsed = max(0.0, (self.clock() - self._mark).total_seconds())
        return max(0.0, self.minutes * 60 - self.seconds_used - (0.0 if self.finished else elapsed))

    @property
    def time_is_up(self) -> bool:
        return self.seconds_left() <= 0

    # moving and answering -------------------------------------------------------------------

    def go(self, index: int) -> None:
        """Make task `index` (0-based, wrapping around) the current one."""
        self._tick()
        self.current = index % len(self.tasks)
        self.save()

    def next(self) -> None:
        self.go(self.current + 1)

    def previous(self) -> None:
        self.go(self.current - 1)

    def toggle_flag(self, index: int | None = None) -> bool:
        """Flag a task for later (or unflag it); whether it is flagged now."""
        self._tick()
        target = self.current if index is None else index
        self.flags ^= {target}
        self.save()
        return target in self.flags

    def answer(self, step: int, text: str, *, task: int | None = None) -> None:
        """Keep the answer to one step of the current task (or of `task`), saved at once."""
        self._tick()
        target = self.current if task is None else task
        answers = self.answers[target]
        while len(answers) <= step:
            answers.append("")
        answers[step] = text
        self.save()

    def state(self, index: int) -> TaskState:
        """Whether a task is not started, answered or partly answered."""
        given = [text for text in self.answers[index] if text.strip()]
        if not given:
            return TaskState.NOT_STARTED
        return TaskState.ANSWERED if len(given) >= len(self.tasks[index].steps) else TaskState.PARTLY

    def answer_to(self, task: int, step: int) -> str:
        answers = self.answers[task]
        return answers[step] if step < len(answers) else ""

    # keeping and ending -----------------------------------------------------------------------

    def _progress(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "flags": sorted(self.flags),
            "current": self.current,
            "seconds": [round(seconds, 3) for seconds in self.seconds_per_task],
        }

    def save(self) -> None:
        """Write answers, flags and time used to the store."""
        if self.finished:
            return
        exam_store.save_progress(
            self.store, self.id, progress=self._progress(), seconds_used=self.seconds_used, now=self.clock()
        )

    def pause(self) -> None:
        """Count the time so far and save: the attempt waits for `resume`."""
        self._tick()
        self.save()

    def finish(self) -> ExamResult:
        """Score the paper as it stands and close the attempt."""
        if self.result is not None:
            return self.result
        self._tick()
        result = score_paper(
            self.tasks, self.answers, self.seconds_per_task, seconds_used=self.seconds_used, minutes=self.minutes
        )
        exam_store.finish_attempt(
            self.store,
            self.id,
            progress=self._progress(),
            seconds_used=self.seconds_used,
            now=self.clock(),
            score=result.percent,
            passed=result.passed,
            result=result.to_dict(),
        )
        self.finished = True
        self.result = result
        return result


def domain_of(text: str) -> str:
    """A domain tag from `storage`, `cka/storage` or the start of its name (any case)."""
    word = text.strip().casefold()
    for domain in CKA_DOMAINS:
        short = domain.tag.removeprefix("cka/")
        if word in {domain.tag, short} or domain.name.casefold().startswith(word):
            return domain.tag
    known = ", ".join(domain.tag.removeprefix("cka/") for domain in CKA_DOMAINS)
    raise UsageError(f"--domain: unknown CKA domain {text!r} (known: {known})")
