"""The plain line protocol, for scripts, screen readers and tests. No colours, no cursor moves.

Each card starts with `--- card N/M ID` and its prompt. Then one answer line (recall and
manifest cards: lines up to a line holding only `.`), the answer, and a grade line:
`1`-`4` or `again`/`hard`/`good`/`easy`, `s` to skip, `u` to undo, `q` to quit; an empty
line accepts a suggested grade. `!` suspends the card (line `suspended`) and `-` buries it until
the next study day (line `buried until <ISO time>`), both without a review, the next card
following; `f` flags or unflags it (line `flagged` or `unflagged`) and asks for the grade again.
`e` opens the card's note in the editor at its line (line `edited FILE:LINE`, or why not) and `o`
prints its `obsidian://open?...` link (or why there is none); both ask for the grade again.
End of input ends the session cleanly. The last line is
`reviewed N cards: again A, hard H, good G, easy E`, after the summary's lines `learned: ...`,
`due now: ...`, `due soon: ...` and `next card: ...`. When nothing was due as the session started,
the last line is the only one, and `nothing is due now; next card at <local time> (in 20h)` (or
`no cards yet; ...`) goes to standard error.

What is typed for a card is kept as its draft until the card is graded (saved line by line,
so even a killed process keeps it). When a card with a draft shows, its prompt is followed by
`draft (a line holding only . keeps it):` and the draft's lines, each indented by two spaces;
a line holding only `.` as the answer keeps the draft. `u` at a card's first grade prompt, with
no grade of this session to take back, shows the card again with its answer as the draft.

A recall answer that states a known misconception gets a line
`[!] misconception: <what the answer said> → <correction> (<reference>)` before its
`coverage:` line, whose suggestion it lowers to again (hard for a minor one).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType
from typing import TextIO

from ckaquiz.assessment import option_number
from ckaquiz.model import CardKind, Rating, full_answer
from ckaquiz.session import QueueItem, Session, Summary, is_typed_kind
from ckaquiz.ui.controls import GRADE_LINE_HINT, Control, read_grade_line
from ckaquiz.ui.format import format_interval
from ckaquiz.ui.note_actions import edit_note, obsidian_line
from ckaquiz.ui.session_summary import empty_start_line, started_empty, summary_lines
from ckaquiz.ui.text import display_markdown, neutralise


class PlainFrontEnd:
    """Runs a session over a text input and output."""

    def __init__(
        self, session: Session, input_stream: TextIO, output_stream: TextIO, notes_stream: TextIO | None = None
    ) -> None:
        self.session = session
        self.input = input_stream
        self.output = output_stream
        self.notes = notes_stream
        """Where `nothing is due now; ...` goes (standard error by default): that session prints its last line only."""

    def _print(self, text: str = "") -> None:
        self.output.write(neutralise(text) + "\n")
        self.output.flush()

    def _read_line(self) -> str | None:
        line = self.input.readline()
        if line == "":
            return None
        return line.rstrip("\r\n")

    def _read_block(self, draft: str = "") -> str | None:
        """Lines up to one holding only `.`; each line read is saved at once as the card's draft."""
        lines: list[str] = []
        while True:
            line = self._read_line()
            if line is None:
                return "\n".join(lines) if lines else None
            if line.strip() == ".":
                return "\n".join(lines) if lines or not draft else draft
            lines.append(line)
            self.session.save_draft("\n".join(lines))

    def _read_answer_line(self, draft: str) -> str | None:
        line = self._read_line()
        return draft if draft and line is not None and line.strip() == "." else line

    def run(self) -> Summary:
        """Show cards until the queue is empty, `q`, or the end of input."""
        handling = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if handling else None
        try:
            while (item := self.session.next_card()) is not None:
                if not self._show(item):
                    break
        except KeyboardInterrupt:
            pass
        finally:
            if handling:
                signal.signal(signal.SIGTERM, previous)
        summary = self.session.finish()
        if summary.outlook is not None and started_empty(summary):
            notes = self.notes or sys.stderr  # the output of a session with nothing due stays its one last line
            notes.write(neutralise(empty_start_line(summary.outlook)) + "\n")
            notes.flush()
        else:
            for line in summary_lines(summary):
                self._print(line)
        self._print(summary.line())
        return summary

    def _show(self, item: QueueItem) -> bool:
        card = item.card
        self._print(f"--- card {item.position}/{item.total} {card.id}")
        self._print(display_markdown(card.prompt))
        if card.kind is CardKind.CHOICE:
            for number, option in enumerate(item.options, start=1):
                self._print(f"{number}. {option}")
        draft = "" if card.kind is CardKind.CHOICE else self.session.draft()
        if draft:
            self._print("draft (a line holding only . keeps it):")
            for line in draft.splitlines():
                self._print(f"  {line}")
        started = time.monotonic()
        response = self._read_block(draft) if is_typed_kind(card.kind) else self._read_answer_line(draft)
        if response is None:
            return False
        seconds = time.monotonic() - started
        if card.kind is CardKind.CHOICE:
            response = chosen_options(response, item.options)
        else:
            self.session.save_draft(response)  # kept until graded: an undo, a skip or a kill loses nothing
        assessment = self.session.assess(response, seconds_taken=seconds)
        self._print("answer:")
        self._print(
            display_markdown(full_answer(card))
        )
        if assessment is not None:
            for line in assessment.lines:
                self._print(line)
        if card.explanation:
            self._print(f"explanation: {card.explanation}")
        if card.reference:
            self._print(f"reference: {card.reference}")
        suggested = assessment.suggested if assessment is not None else None
        intervals = item.intervals()
        choices = " · ".join(f"{rating.value} {rating.label} {format_interval(intervals[rating])}" for rating in Rating)
        while True:
            self._print(f"grade: {choices}")
            grade_line = self._read_line()
            if grade_line is None:
                return False
            read = suggested if grade_line.strip() == "" and suggested is not None else read_grade_line(grade_line)
            if read is Control.QUIT:
                return False
            if read is Control.SKIP:
                self.session.skip()
                return True
            if read is Control.SUSPEND:
                self.session.suspend()
                self._print("suspended")
                return True
            if read is Control.BURY:
                until = self.session.bury()
                self._print(f"buried until {until.isoformat()}")
                return True
            if read is Control.FLAG:
                self._print("flagged" if self.session.toggle_flag() else "unflagged")
                continue
            if read is Control.EDIT:
                configured = self.session.collection.settings.editor_command
                self._print(edit_note(card, configured, quiet=not _is_terminal(self.input)))
                continue
            if read is Control.LINK:
                self._print(obsidian_line(card))
                continue
            if read is Control.UNDO:
                undone = self.session.undo()
                self._print("undone" if undone is not None else "nothing to undo; the card again, with your answer")
                return True
            if not isinstance(read, Rating):
                self._print(GRADE_LINE_HINT)
                continue
            rating = read
            duration = int((time.monotonic() - started) * 1000)
            self.session.answer(rating, duration_ms=duration, response=response, assessment=assessment)
            return True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _interrupt(signal_number: int, frame: FrameType | None) -> None:
    """SIGTERM ends a plain session as Ctrl-C does: with its summary, every line typed kept."""
    raise KeyboardInterrupt


def chosen_options(line: str, options: tuple[str, ...]) -> str:
    """`2` or `1,3` (numbers as shown) as the chosen options' texts, one per line."""
    chosen: list[str] = []
    for part in line.replace(",", " ").split():
        number = option_number(part)
        if number is not None and 1 <= number <= len(options):
            chosen.append(options[number - 1])
        else:
            chosen.append(part)
    return "\n".join(chosen)
