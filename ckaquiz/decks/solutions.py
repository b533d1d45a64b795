"""Exercises with solutions in notes: a task followed by its solution becomes a command or manifest card.

CKA exercise collections write a task and its solution in a few shapes, and these are read:

- a task (a heading, or the text above) with its solution in a code block folded inside
  `<details><summary>…</summary> … </details>`;
- a task in a blockquote (`> Create a pod …`), or a question ending in `?`, right above the
  solution block;
- a task heading numbered `q9` (`Q9`, `문제 9`, `Question 9`) whose solution is in a later
  heading `answer-9` (`a9`, `풀이 9`, `Answer 9`, `Solution 9`).

A solution is a shell block whose every line is a command of a known program (at least one
`kubectl`), which makes a `command` card, or a YAML block holding `apiVersion` and `kind`,
which makes a `manifest` card. Everything is found by walking the section's lines once, with
plain string tests: no pattern can backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ckaquiz.decks.topics import (
    MAX_COMMAND_CHARACTERS,
    SHELL_BLOCKS,
    SUBCOMMANDS,
    YAML_BLOCKS,
    SourceLine,
    is_manifest_point,
    is_noise_line,
)

MAX_TASK_CHARACTERS = 2_000
"""A task longer than this is notes, not an exercise: its block stays with the recall card."""
_QUESTION_HEADING = re.compile(r"(?i)(?:q|question|task|문제)[ ._-]?(\d{1,4})(?!\w)")
_ANSWER_HEADING = re.compile(r"(?i)(?:a|answer|solution|sol|풀이|정답|해설)[ ._-]?(\d{1,4})(?!\w)")


@dataclass(frozen=True)
class Solution:
    """One task and its solution block, as found in a section's lines."""

    kind: str
    """`command` or `manifest`."""
    task: str
    answer: str
    line: int
    """The line the task starts on (the block's opener when the task is the heading)."""
    lines: tuple[int, ...]
    """Numbers of every line the card takes: task, wrappers and block."""


def solution_answer(block: Sequence[SourceLine]) -> tuple[str, str] | None:
    """(kind, answer) when a fenced block is a solution: kubectl commands or a Kubernetes manifest."""
    if not block or not block[0].fence_opener:
        return None
    info = block[0].fence_info
    inner = [line.raw for line in block[1:]]
    if inner and inner[-1].strip().startswith(("```", "~~~")):
        inner = inner[:-1]
    if info in YAML_BLOCKS:
        text = "\n".join(inner).strip("\n")
        return ("manifest", text) if is_manifest_point(text) else None
    if info not in SHELL_BLOCKS:
        return None
    commands: list[str] = []
    for raw in inner:
        text = raw.strip()
        if text.startswith("$ "):
            text = text[2:].strip()
        if not text or text.startswith("#"):
            continue
        words = text.split()
        if len(text) > MAX_COMMAND_CHARACTERS or words[0] not in SUBCOMMANDS or not text.isascii():
            return None
        commands.append(text)
    if not commands or not any(command.startswith("kubectl ") for command in commands):
        return None
    return "command", "\n".join(commands)


def _is_wrapper(text: str) -> bool:
    """A line that only opens or closes a fold (`<details>`, `<summary>show</summary>`, `</p>`)."""
    stripped = text.strip()
    return stripped.startswith("<") and is_noise_line(stripped)


def section_solutions(lines: Sequence[SourceLine], heading: str, *, answers: bool = False) -> list[Solution]:
    """The tasks with solutions among a section's lines; `heading` is the task when no text comes first.

    With `answers` (a solution heading paired with its task heading) every solution block is one,
    its task being `heading`.
    """
    found: list[Solution] = []
    task_lines: list[SourceLine] = []  # text since the last solution or block
    wrappers: list[int] = []
    in_details = answers
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.fence_opener:
            block = [line]
            index += 1
            while index < len(lines) and lines[index].in_fence and not lines[index].fence_opener:
                block.append(lines[index])
                index += 1
            solution = solution_answer(block)
            task = (heading, 0) if answers else _task_for(task_lines, heading, in_details)
            if solution is not None and task is not None:
                kind, answer = solution
                text, first = task
                taken = (*(item.number for item in task_lines), *wrappers, *(item.number for item in block))
                found.append(Solution(kind, text, answer, first or line.number, tuple(sorted(taken))))
                if not answers:
                    heading = ""  # the heading names one task only
                task_lines, wrappers = [], []
            else:
                task_lines, wrappers = [], []
            continue
        text = line.visible
        if "<" in text and _is_wrapper(text):
            lowered = text.casefold()
            if "<details" in lowered:
                in_details = True
            if "</details" in lowered:
                in_details = False
                if found and not task_lines and found[-1].lines[-1] < line.number:
                    found[-1] = _with_line(found[-1], line.number)
                    index += 1
                    continue
            wrappers.append(line.number)
        elif text.strip():
            task_lines.append(line)
        index += 1
    return found


def _with_line(solution: Solution, number: int) -> Solution:
    return Solution(solution.kind, solution.task, solution.answer, solution.line, (*solution.lines, number))


def _task_for(task_lines: list[SourceLine], heading: str, in_details: bool) -> tuple[str, int] | None:
    """(task text, its first line) when what comes before a block reads as a task for it, else None."""
    texts = [line.visible.strip() for line in task_lines]
    quoted = bool(texts) and all(text.startswith(">") for text in texts)
    if quoted:
        texts = [text.lstrip(">").strip() for text in texts]
    text = "\n".join(item for item in texts if item).strip()
    if len(text) > MAX_TASK_CHARACTERS:
        return None
    if text and (in_details or quoted or text.endswith("?")):
        return text, task_lines[0].number
    if not text and in_details and heading:
        return heading, 0
    return None


def question_number(heading: str) -> int | None:
    """The number of a `q9` / `문제 9` task heading, else None."""
    match = _QUESTION_HEADING.match(heading.strip())
    return int(match.group(1)) if match else None


def answer_number(heading: str) -> int | None:
    """The number of an `answer-9` / `풀이 9` solution heading, else None."""
    match = _ANSWER_HEADING.match(heading.strip())
    return int(match.group(1)) if match else None
