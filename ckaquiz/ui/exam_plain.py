"""The plain line protocol of `ckaquiz exam --plain`, for scripts, screen readers and tests.

Each task starts with `--- task N/M ID weight W%`, then its domain, context, scenario and
documentation link, then one prompt per step: `step S/T command: ...` or `step S/T manifest:
...`. An answer is the lines up to a line holding only `.` (a `.` alone keeps the answer
given before). Instead of an answer, a line may hold `n` (next task), `p` (previous task),
`f` (flag or unflag this task), `g N` (go to task N) or `end` (finish and score). After a
task's last step the next task follows. End of input pauses the attempt (`ckaquiz exam
--resume` continues it); when the time is up the exam ends with the answers so far.
"""

from __future__ import annotations

from typing import TextIO

from ckaquiz.exam import PASS_MARK, WARNINGS_MINUTES, Exam, ExamResult
from ckaquiz.ui.format import format_seconds
from ckaquiz.ui.text import neutralise

_MOVES = frozenset({"n", "p", "f", "end"})


class PlainExamFrontEnd:
    """Runs an exam over a text input and output."""

    def __init__(self, exam: Exam, input_stream: TextIO, output_stream: TextIO) -> None:
        self.exam = exam
        self.input = input_stream
        self.output = output_stream
        self._warned = {minutes for minutes in WARNINGS_MINUTES if exam.seconds_left() <= minutes * 60}

    def _print(self, text: str = "") -> None:
        self.output.write(neutralise(text) + "\n")
        self.output.flush()

    def _read_line(self) -> str | None:
        line = self.input.readline()
        return None if line == "" else line.rstrip("\r\n")

    def run(self) -> ExamResult | None:
        """Show tasks until `end`, the time runs out, or the input ends (then None: paused)."""
        exam = self.exam
        self._print(
            f"exam {exam.id}: {len(exam.tasks)} tasks, {format_seconds(exam.seconds_left())} left,"
            f" pass mark {PASS_MARK:.0f}%"
        )
        try:
            finished = self._loop()
        except KeyboardInterrupt:
            finished = False
        if not finished:
            exam.pause()
            if not exam.time_is_up:
                left = format_seconds(exam.seconds_left())
                self._print(f"exam paused with {left} left: `ckaquiz exam --resume` continues it")
                return None
            self._print("time is up")
        result = exam.finish()
        for line in score_lines(result):
            self._print(line)
        return result

    def _loop(self) -> bool:
        """True once the exam should be scored, False when the input ended."""
        exam = self.exam
        show_header = True
        step = 0
        while True:
            if self._out_of_time():
                return True
            task = exam.tasks[exam.current]
            if show_header:
                self._header()
                show_header = False
                step = 0
            stored = exam.answer_to(exam.current, step)
            self._print(
                f"step {step + 1}/{len(task.steps)} {task.steps[step].kind}: {task.steps[step].question}".rstrip()
            )
            if stored.strip():
                self._print("current answer (a line holding only . keeps it):")
                for line in stored.splitlines():
                    self._print(f"  {line}")
            first = self._read_line()
            if first is None:
                return False
            if self._out_of_time():
                return True
            word = first.strip().lower()
            if word in _MOVES or (word.startswith("g ") and word[2:].strip().isdigit()):
                if word == "end":
                    return True
                if word == "f":
                    flagged = exam.toggle_flag()
                    self._print(f"{'flagged' if flagged else 'unflagged'} task {exam.current + 1}")
                    continue
                if word == "n":
                    exam.next()
                elif word == "p":
                    exam.previous()
                else:
                    number = int(word[2:].strip())
                    if not 1 <= number <= len(exam.tasks):
                        self._print(f"no task {number}: the tasks are 1 to {len(exam.tasks)}")
                        continue
                    exam.go(number - 1)
                show_header = True
                continue
            text = self._read_answer(first)
            if text is None:
                return False
            if self._out_of_time():
                return True
            if text.strip():
                exam.answer(step, text)
                self._print(f"saved step {step + 1}/{len(task.steps)} of task {exam.current + 1}")
            step += 1
            if step >= len(task.steps):
                if all(exam.state(index).value == "answered" for index in range(len(exam.tasks))):
                    self._print(f"all {len(exam.tasks)} tasks answered: `end` finishes, `g N` goes back to task N")
                exam.next()
                show_header = True

    def _read_answer(self, first: str) -> str | None:
        lines: list[str] = []
        line: str | None = first
        while line is not None:
            if line.strip() == ".":
                return "\n".join(lines)
            lines.append(line)
            line = self._read_line()
        return None

    def _header(self) -> None:
        exam = self.exam
        index = exam.current
        task = exam.tasks[index]
        flag = " flagged" if index in exam.flags else ""
        self._print(f"--- task {index + 1}/{len(exam.tasks)} {task.id} weight {task.weight}%{flag}")
        self._print(f"domain: {task.domain_name}")
        for line in task.context.splitlines():
            self._print(f"context: {line}")
        for line in task.scenario.splitlines():
            self._print(line)
        if task.reference:
            self._print(f"docs: {task.reference}")
        self._print(f"time left: {format_seconds(exam.seconds_left())}")

    def _out_of_time(self) -> bool:
        left = self.exam.seconds_left()
        if left <= 0:
            self._print("time is up")
            return True
        for minutes in WARNINGS_MINUTES:
            if minutes not in self._warned and left <= minutes * 60:
                self._warned.add(minutes)
                self._print(f"warning: {minutes} minutes left")
        return False


def score_lines(result: ExamResult) -> list[str]:
    """The score as plain lines: total, each domain, each task with the grader's differences."""
    verdict = "passed" if result.passed else "not passed"
    lines = ["--- score", f"score {result.percent:.1f}% (pass mark {PASS_MARK:.0f}%): {verdict}"]
    for domain in result.domains():
        tasks = "task" if domain.tasks == 1 else "tasks"
        lines.append(f"domain {domain.name}: {domain.percent:.1f}% ({domain.tasks} {tasks}, weight {domain.weight}%)")
    total = len(result.tasks)
    for number, task_result in enumerate(result.tasks, start=1):
        steps = len(task_result.steps)
        lines.append(
            f"task {number}/{total} {task_result.task.id}: {task_result.earned:.1f} of {task_result.task.weight}"
            f" ({task_result.steps_right} of {steps} {'step' if steps == 1 else 'steps'})"
            f" in {format_seconds(task_result.seconds)}"
        )
        for step_number, step in enumerate(task_result.steps, start=1):
            if step.correct:
                continue
            for difference in step.differences or ("not right",):
                lines.append(f"  step {step_number}: {difference}")
    lines.append(f"time used: {format_seconds(result.seconds_used)} of {format_seconds(result.minutes * 60)}")
    return lines
