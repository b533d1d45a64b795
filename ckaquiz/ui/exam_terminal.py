"""The terminal front end of `ckaquiz exam`: a question list, the task, a countdown clock.

Between tasks an action line reads `a` (answer the steps), `n` / `p` (next, previous task), `f`
(flag or unflag), a task number (go to it) and `e` (end). Commands are typed on one line;
manifests in the built-in editor (Ctrl-D or Esc Enter submits) or `$EDITOR`. The clock counts
down in the top right corner and in every prompt's bottom bar, warns at 15 and 5 minutes, and
when it reaches zero the prompt closes, what was typed is kept, and the score is shown. Ctrl-C
pauses the attempt; `ckaquiz exam --resume` continues it.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ckaquiz.exam import PASS_MARK, WARNINGS_MINUTES, Exam, ExamResult, TaskState
from ckaquiz.ui.format import format_clock, format_seconds
from ckaquiz.ui.terminal import CtrlC, external_editor
from ckaquiz.ui.text import neutralise

ACTIONS = "a answer · n next · p previous · f flag · 1-N go to · e end"


@dataclass(frozen=True)
class _TimeUp:
    """A prompt closed by the clock, with what had been typed."""

    text: str


@dataclass(frozen=True)
class _Interrupted:
    """A prompt closed by Ctrl-C, with what had been typed (kept before the exam pauses)."""

    text: str


class _Pause(KeyboardInterrupt):
    """Ctrl-C at a prompt, carrying what had been typed there."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TerminalExamFrontEnd:
    """Runs an exam in an interactive terminal."""

    def __init__(self, exam: Exam, console: Console, *, use_editor: bool = False) -> None:
        self.exam = exam
        self.console = console
        self.use_editor = use_editor
        self.ctrl_c = CtrlC()
        self._warned = {minutes for minutes in WARNINGS_MINUTES if exam.seconds_left() <= minutes * 60}

    def run(self) -> ExamResult | None:
        """Run until `e`, the end of the time, or Ctrl-C (then None: the attempt is paused)."""
        handling = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self.ctrl_c.remember) if handling else None
        try:
            finished = self._loop()
        except (KeyboardInterrupt, EOFError):
            finished = False
        finally:
            if handling:
                signal.signal(signal.SIGINT, previous)
        if not finished:
            self.exam.pause()
            if not self.exam.time_is_up:
                left = format_seconds(self.exam.seconds_left())
                self.console.print(f"exam paused with {left} left: `ckaquiz exam --resume` continues it")
                return None
        if self.exam.time_is_up:
            self.console.print(Text("time is up: your answers so far are scored", style="bold red"))
        result = self.exam.finish()
        self.console.print(score_view(result))
        return result

    # the loop ---------------------------------------------------------------------------------

    def _loop(self) -> bool:
        exam = self.exam
        while True:
            if self._check_time():
                return True
            self.console.print()
            self.console.print(self._clock_line())
            self.console.print(question_list(exam))
            self.console.print(task_panel(exam, exam.current))
            self.console.print(Text(ACTIONS, style="dim"))
            reply = self._prompt("action > ")
            if isinstance(reply, _TimeUp):
                return True
            word = reply.strip().lower()
            if word in {"e", "end"}:
                return True
            if word in {"n", "next"}:
                exam.next()
            elif word in {"p", "previous"}:
                exam.previous()
            elif word in {"f", "flag"}:
                flagged = exam.toggle_flag()
                self.console.print(f"task {exam.current + 1} {'flagged' if flagged else 'unflagged'}")
            elif word.isdigit() and 1 <= int(word) <= len(exam.tasks):
                exam.go(int(word) - 1)
            elif word in {"a", "answer", ""}:
                if self._answer_steps():
                    return True
            else:
                self.console.print(Text(f"not an action: {neutralise(reply, single_line=True)} ({ACTIONS})"))

    def _answer_steps(self) -> bool:
        """Answer each step of the current task in turn; True when the time ran out."""
        exam = self.exam
        index = exam.current
        task = exam.tasks[index]
        for number, step in enumerate(task.steps):
            label = f"step {number + 1}/{len(task.steps)} ({step.kind})"
            if step.question:
                label += f": {step.question}"
            self.console.print(Text(neutralise(label), style="bold"))
            previous = exam.answer_to(index, number)
            if step.kind == "manifest" and self.use_editor:
                self.ctrl_c.check()
                written: str | _TimeUp = external_editor("write the manifest")
                self.ctrl_c.pressed = False
            elif step.kind == "manifest":
                self.console.print("write the manifest (Ctrl-D or Esc Enter submits)")
                written = self._prompt_keeping("> ", number, previous=previous, multiline=True)
            else:
                written = self._prompt_keeping("$ ", number, previous=previous)
            text = written.text if isinstance(written, _TimeUp) else written
            if text.strip() and text != previous:
                exam.answer(number, text, task=index)
                self.console.print(f"[green]saved[/] {label.split(':')[0]} of task {index + 1}")
            if isinstance(written, _TimeUp) or self.exam.time_is_up:
                return True
        if index == exam.current and index + 1 < len(exam.tasks):
            exam.next()
        return False

    # the clock ----------------------------------------------------------------------------

    def _clock_line(self) -> Text:
        left = self.exam.seconds_left()
        style = (
            "bold red"
            if left <= WARNINGS_MINUTES[-1] * 60
            else "bold yellow"
            if left <= WARNINGS_MINUTES[0] * 60
            else "bold"
        )
        line = Text(f"time left {format_clock(left)}", style=style, justify="right")
        return line

    def _check_time(self) -> bool:
        left = self.exam.seconds_left()
        if left <= 0:
            return True
        for minutes in WARNINGS_MINUTES:
            if minutes not in self._warned and left <= minutes * 60:
                self._warned.add(minutes)
                self.console.print(Text(f"warning: {minutes} minutes left", style="bold yellow"))
        return False

    def _prompt_keeping(self, message: str, step: int, *, previous: str, multiline: bool = False) -> str | _TimeUp:
        """An answer prompt whose text, on Ctrl-C, is saved before the exam pauses."""
        try:
            return self._prompt(message, default=previous, multiline=multiline)
        except _Pause as pause:
            if pause.text.strip() and pause.text != previous:
                self.exam.answer(step, pause.text)
            raise

    def _prompt(self, message: str, *, default: str = "", multiline: bool = False) -> str | _TimeUp:
        return timed_prompt(
            message,
            self.exam.seconds_left,
            default=default,
            multiline=multiline,
            watch=self.ctrl_c.watch,
        )


def timed_prompt(
    message: str,
    seconds_left: Callable[[], float],
    *,
    default: str = "",
    multiline: bool = False,
    watch: Callable[[Any], None] | None = None,
    **prompt_options: Any,
) -> str | _TimeUp:
    """A prompt with the countdown at its right that closes itself, keeping what was typed, when the time is up."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("c-c", eager=True)
    def _pause(event: Any) -> None:
        event.app.exit(result=_Interrupted(event.current_buffer.text))

    if multiline:

        @bindings.add("c-d", eager=True)
        def _submit(event: Any) -> None:
            event.current_buffer.validate_and_handle()

    session: PromptSession[Any] = PromptSession(**prompt_options)
    application = session.app

    async def close_when_time_is_up() -> None:
        while (left := seconds_left()) > 0:
            await asyncio.sleep(min(0.25, left))
        if not application.is_done:
            application.exit(result=_TimeUp(application.current_buffer.text))

    def start_clock() -> None:
        application.create_background_task(close_when_time_is_up())

    def clock() -> str:
        left = seconds_left()
        warning = ""
        for minutes in reversed(WARNINGS_MINUTES):
            if left <= minutes * 60:
                warning = f"under {minutes} min · "
                break
        return f"{warning}time left {format_clock(left)}"

    if watch is not None:
        watch(application)
    result = session.prompt(
        message,
        handle_sigint=False,
        default=default,
        multiline=multiline,
        key_bindings=bindings,
        rprompt=clock,
        refresh_interval=0.5,
        prompt_continuation="",
        pre_run=start_clock,
    )
    if isinstance(result, _Interrupted):
        raise _Pause(result.text)
    return result if isinstance(result, _TimeUp) else str(result)


# views ------------------------------------------------------------------------------------------


def question_list(exam: Exam) -> Table:
    """Every task with its weight, domain and state (not started, answered, flagged)."""
    table = Table(title="questions", title_justify="left", expand=False, pad_edge=False)
    for column in ("#", "task", "weight", "domain", "state"):
        table.add_column(column, justify="right" if column in {"#", "weight"} else "left")
    for index, task in enumerate(exam.tasks):
        state = exam.state(index)
        words = [state.value]
        if index in exam.flags:
            words.append("flagged")
        style = "green" if state is TaskState.ANSWERED else "yellow" if state is TaskState.PARTLY else ""
        marker = ">" if index == exam.current else ""
        table.add_row(
            f"{marker}{index + 1}",
            neutralise(task.id, single_line=True),
            f"{task.weight}%",
            task.domain.removeprefix("cka/"),
            Text(", ".join(words), style=style),
        )
    return table


def task_panel(exam: Exam, index: int) -> Panel:
    """The task as the exam shows it: context, scenario, steps and its documentation link only."""
    task = exam.tasks[index]
    parts: list[Any] = []
    for line in task.context.splitlines():
        parts.append(Text(neutralise(line), style="cyan"))
    parts.append(Text(neutralise(task.scenario)))
    for number, step in enumerate(task.steps, start=1):
        done = "x" if exam.answer_to(index, number - 1).strip() else " "
        parts.append(Text(neutralise(f"[{done}] step {number} ({step.kind}) {step.question}".rstrip())))
    if task.reference:
        parts.append(Text(f"docs: {neutralise(task.reference, single_line=True)}", style="dim"))
    flag = " · flagged" if index in exam.flags else ""
    title = f"task {index + 1}/{len(exam.tasks)} · weight {task.weight}% · {task.domain_name}{flag}"
    return Panel(Group(*parts), title=neutralise(title, single_line=True), title_align="left")


def score_view(result: ExamResult) -> Group:
    """The score: the total against the pass mark, each domain, each task with the grader's differences."""
    verdict = "passed" if result.passed else "not passed"
    headline = Text(
        f"score {result.percent:.1f}% (pass mark {PASS_MARK:.0f}%): {verdict}",
        style="bold green" if result.passed else "bold red",
    )
    domains = Table(title="by domain", title_justify="left", pad_edge=False)
    for column in ("domain", "score", "tasks", "weight"):
        domains.add_column(column, justify="left" if column == "domain" else "right")
    for domain in result.domains():
        domains.add_row(domain.name, f"{domain.percent:.1f}%", str(domain.tasks), f"{domain.weight}%")
    tasks = Table(title="by task", title_justify="left", pad_edge=False)
    for column in ("#", "task", "earned", "steps", "time", "differences"):
        tasks.add_column(column, justify="right" if column in {"#", "earned", "time"} else "left")
    for number, task_result in enumerate(result.tasks, start=1):
        differences = [
            f"step {step_number}: {difference}"
            for step_number, step in enumerate(task_result.steps, start=1)
            if not step.correct
            for difference in (step.differences or ("not right",))
        ]
        tasks.add_row(
            str(number),
            neutralise(task_result.task.id, single_line=True),
            f"{task_result.earned:.1f}/{task_result.task.weight}",
            f"{task_result.steps_right}/{len(task_result.steps)}",
            format_seconds(task_result.seconds),
            neutralise("\n".join(differences)) or "-",
        )
    used = Text(f"time used {format_seconds(result.seconds_used)} of {format_seconds(result.minutes * 60)}")
    return Group(headline, domains, tasks, used)
