"""The Rich terminal UI: panels, a blank-page editor with a timer, and a grade picker.

Keys: 1-4 (or arrows and Enter) grade, `u` undoes the last grade, `s` skips, `!` suspends the card,
`-` buries it until the next study day, `f` flags or unflags it, `e` opens its note in the editor
at its line and `o` shows the note's Obsidian link (both come back to the grade), `q` ends the session;
Ctrl-C ends it cleanly too. In the editors, Ctrl-D (or Esc then Enter) submits.

What is typed is saved as the card's draft every second while typing, on Ctrl-C and on SIGTERM
(which ends the session as Ctrl-C does), and when submitted; the next time the card shows, the
editor opens with it.

Ctrl-C between prompts is only remembered (`CtrlC`), and the next prompt ends the session as
soon as it is drawn: Python drops a KeyboardInterrupt raised inside a weakref callback
or `__del__` ("Exception ignored in ..."), which garbage collection runs at any moment, and such
a Ctrl-C, pressed as the next card was being drawn, was lost. Prompts run with prompt_toolkit's
own SIGINT handling off for the same reason: it queued the signal as a key of a prompt that had
not started yet, or had just ended. While a prompt reads the terminal, Ctrl-C is its key `c-c`.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from ckaquiz.assessment import at_a_later_try
from ckaquiz.model import CardKind, ChoiceDetails, Rating
from ckaquiz.session import QueueItem, Session, Summary
from ckaquiz.source_note import editor_command
from ckaquiz.ui import render
from ckaquiz.ui.controls import CONTROL_KEYS, STAYING, Control
from ckaquiz.ui.format import format_clock
from ckaquiz.ui.note_actions import edit_note, obsidian_line
from ckaquiz.ui.session_summary import empty_start_line, started_empty
from ckaquiz.ui.text import neutralise

if TYPE_CHECKING:
    from prompt_toolkit.buffer import Buffer


class CtrlC:
    """Ctrl-C during a session, remembered: prompts that start after it end at once (see the module docstring)."""

    def __init__(self) -> None:
        self.pressed = False
        self._watched: Any = None

    def remember(self, signal_number: int, frame: FrameType | None) -> None:
        """The SIGINT handler while a session runs."""
        self.pressed = True

    def terminate(self, signal_number: int, frame: FrameType | None) -> None:
        """The SIGTERM handler while a session runs: a Ctrl-C that also ends the prompt reading the terminal.

        The prompt ends through its own event loop, so its text is saved as a draft on the way out.
        """
        self.pressed = True
        application = self._watched
        loop = getattr(application, "loop", None)
        if application is not None and application.is_running and loop is not None:

            def stop() -> None:
                if application.is_running and not application.is_done:
                    self.pressed = False
                    application.exit(exception=KeyboardInterrupt())

            loop.call_soon_threadsafe(stop)

    def check(self) -> None:
        """KeyboardInterrupt if Ctrl-C came since the last check."""
        if self.pressed:
            self.pressed = False
            raise KeyboardInterrupt

    def watch(self, application: Any) -> None:
        """End `application` with KeyboardInterrupt once drawn, if Ctrl-C came before it read the terminal.

        Its first drawing comes after it has put the terminal in raw mode, where Ctrl-C is a key:
        a Ctrl-C from before is either seen here or will not be lost to the prompt.
        """

        def stop_if_pressed(drawn: Any) -> None:
            if self.pressed and not drawn.is_done:
                self.pressed = False
                drawn.exit(exception=KeyboardInterrupt())

        self._watched = application
        application.after_render += stop_if_pressed

    def ask(self, application: Any) -> Any:
        """Run a prompt's application, watched, without prompt_toolkit's own SIGINT handling."""
        self.watch(application)
        return application.run(handle_sigint=False)




class TerminalFrontEnd:
    """Runs a session in an interactive terminal."""

    def __init__(self, session: Session, console: Console, *, use_editor: bool = False) -> None:
        self.session = session
        self.console = console
        self.use_editor = use_editor
        self.started = time.monotonic()
        self.ctrl_c = CtrlC()

    def run(self) -> Summary:
        """Show cards until done, `q` or Ctrl-C, then print the summary."""
        handling = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self.ctrl_c.remember) if handling else None
        previous_term = signal.signal(signal.SIGTERM, self.ctrl_c.terminate) if handling else None
        try:
            while (item := self.session.next_card()) is not None:
                if not self._show(item):
                    break
        except (KeyboardInterrupt, EOFError):
            self.console.print("[dim]session ended[/]")
        finally:
            if handling:
                signal.signal(signal.SIGINT, previous)
                signal.signal(signal.SIGTERM, previous_term)
        summary = self.session.finish()
        if summary.outlook is not None and started_empty(summary):
            self.console.print(Text(empty_start_line(summary.outlook)))
        else:
            self.console.print(render.summary_panel(summary))
        return summary

    def _show(self, item: QueueItem) -> bool:
        card = item.card
        self.console.print()
        leech = self.session.is_leech(item)
        self.console.print(render.queue_counts(self.session.counts()))
        self.console.print(render.card_panel(item, time.monotonic() - self.started, leech=leech))
        started = time.monotonic()
        response = self._response(item)
        if card.kind is not CardKind.CHOICE:
            self.session.save_draft(response)  # kept until graded: an undo, a skip or a kill loses nothing
        seconds = time.monotonic() - started
        assessment = self.session.assess(response, seconds_taken=seconds)
        tries = 1
        while card.kind is CardKind.MANIFEST and assessment is not None and "error" in assessment.result:
            problem = neutralise(str(assessment.result["error"]))
            self.console.print(Text(f"{problem} - fix it, or submit it empty to see the answer"))
            response = editor(
                "fix the manifest (Ctrl-D or Esc Enter submits)",
                default=response,
                watch=self.ctrl_c.watch,
                keep=self.session.save_draft,
            )
            if not response.strip():
                break
            self.session.save_draft(response)
            seconds = time.monotonic() - started
            tries += 1
            assessment = self.session.assess(response, seconds_taken=seconds)
            if assessment is not None:
                assessment = at_a_later_try(assessment, tries)
        verdict = assessment.result if assessment is not None and card.kind is CardKind.RECALL else None
        self.console.print(render.answer_panel(card, response, verdict=verdict))
        if assessment is not None:
            self.console.print(
                render.assessment_view(card.kind, assessment.result, assessment.lines, points_shown=verdict is not None)
            )
        choice = self._grade(item, assessment.suggested if assessment else None)
        while choice in STAYING:
            if choice is Control.FLAG:
                flagged = self.session.toggle_flag()
                self.console.print("[yellow]flagged[/]" if flagged else "[yellow]unflagged[/]")
            elif choice is Control.EDIT:
                self.ctrl_c.check()
                line = edit_note(card, self.session.collection.settings.editor_command)
                self.ctrl_c.pressed = False  # a Ctrl-C in the editor was the editor's
                self.console.print(Text(neutralise(line, single_line=True), style="yellow"))
            else:
                self.console.print(Text(neutralise(obsidian_line(card), single_line=True), style="yellow"))
            choice = self._grade(item, assessment.suggested if assessment else None)
        if choice is Control.QUIT:
            return False
        if choice is Control.SKIP:
            self.session.skip()
            return True
        if choice is Control.SUSPEND:
            self.session.suspend()
            self.console.print("[yellow]suspended: `ckaquiz unsuspend` brings it back[/]")
            return True
        if choice is Control.BURY:
            until = self.session.bury()
            self.console.print(f"[yellow]buried until {until:%Y-%m-%d %H:%M}[/]")
            return True
        if choice is Control.UNDO:
            undone = self.session.undo()
            if undone is None:
                self.console.print("[yellow]nothing to undo: the card again, with your answer[/]")
            else:
                self.console.print("[yellow]undone[/]")
            return True
        assert isinstance(choice, Rating)
        duration = int((time.monotonic() - started) * 1000)
        self.session.answer(choice, duration_ms=duration, response=response or None, assessment=assessment)
        return True

    def _response(self, item: QueueItem) -> str:
        card = item.card
        if card.kind is CardKind.CHOICE:
            return self._choose(item)
        draft, keep = self.session.draft(), self.session.save_draft
        if draft:
            self.console.print("[dim]your draft from last time is back[/]")
        if card.kind in (CardKind.RECALL, CardKind.MANIFEST):
            hint = "write everything you remember" if card.kind is CardKind.RECALL else "write the manifest"
            if self.use_editor:
                self.ctrl_c.check()
                configured = self.session.collection.settings.editor_command
                written = external_editor(hint, draft, keep=keep, configured=configured)
                self.ctrl_c.pressed = False  # a Ctrl-C in the editor was the editor's (vim users press it often)
                return written
            return editor(f"{hint} (Ctrl-D or Esc Enter submits)", default=draft, watch=self.ctrl_c.watch, keep=keep)
        if card.kind is CardKind.COMMAND:
            return line_prompt("$ ", default=draft, watch=self.ctrl_c.watch, keep=keep)
        return line_prompt(
            "your answer (optional), Enter to reveal: ", default=draft, watch=self.ctrl_c.watch, keep=keep
        )

    def _choose(self, item: QueueItem) -> str:
        import questionary

        # shown filtered, answered with the option's own text (which the judge compares)
        shuffled = [questionary.Choice(neutralise(option, single_line=True), value=option) for option in item.options]
        details = item.card.details
        if isinstance(details, ChoiceDetails) and len(details.answers) > 1:
            picked = self.ctrl_c.ask(questionary.checkbox("pick every right option", choices=shuffled).application)
            return "\n".join(picked or [])
        question = questionary.select("pick one", choices=shuffled, use_shortcuts=len(shuffled) <= 9)
        return str(self.ctrl_c.ask(question.application) or "")

    def _grade(self, item: QueueItem, suggested: Rating | None) -> Any:
        return grade_prompt(render.grade_labels(item.intervals()), suggested, watch=self.ctrl_c.watch)


def grade_prompt(
    labels: dict[Rating, str],
    suggested: Rating | None = None,
    *,
    watch: Callable[[Any], None] | None = None,
    **prompt_options: Any,
) -> Any:
    """Ask for a grade: 1-4 pick at once, arrows and Enter too, `u` undo, `s` skip, `!` suspend,
    `-` bury, `f` flag, `e` edit the note, `o` its Obsidian link, `q` quit."""
    import questionary
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    choices = [questionary.Choice(labels[rating], value=rating, shortcut_key=str(rating.value)) for rating in Rating]
    control_choice = _control_choice_class()
    choices += [control_choice(item.title, item.control, item.key) for item in CONTROL_KEYS]
    # The suggestion is the default; with none (a self-graded card), Good is, so that Enter out of
    # habit never fails a card.
    default = next(choice for choice in choices if choice.value == (suggested or Rating.GOOD))
    question = questionary.select(
        "grade" + (f" (suggested: {suggested.label})" if suggested else ""),
        choices=choices,
        use_shortcuts=True,
        default=default,
        **prompt_options,
    )
    from questionary.prompts.common import InquirerControl

    application = question.application
    control = next(found for found in application.layout.find_all_controls() if isinstance(found, InquirerControl))
    immediate = KeyBindings()
    for index, choice in enumerate(choices):
        _bind_immediate(immediate, control, index, getattr(choice, "key", str(choice.shortcut_key)), choice.value)
    application.key_bindings = merge_key_bindings([application.key_bindings or KeyBindings(), immediate])
    if watch is not None:
        watch(application)
    return application.run(handle_sigint=False)


@functools.cache
def _control_choice_class() -> type[Any]:
    import questionary

    class ControlChoice(questionary.Choice):
        """A grade-line control shown with its own key (`!) Suspend this card`): questionary takes only
        letters and digits as shortcuts, so `!` and `-` are shown here and bound by `grade_prompt`."""

        def __init__(self, title: str, control: Control, key: str) -> None:
            super().__init__(title, value=control, shortcut_key=key if key.isalnum() else False)
            self.key = key

        def get_shortcut_title(self) -> str:
            return f"{self.key}) "

    return ControlChoice


def _bind_immediate(bindings: Any, control: Any, index: int, key: str, value: Any) -> None:
    @bindings.add(key, eager=True)  # type: ignore[untyped-decorator]
    def _pick(event: Any) -> None:
        control.pointed_at = index  # answered on this choice, so the prompt line keeps it (as Enter does)
        control.is_answered = True
        event.app.exit(result=value)


DRAFT_EVERY = 1.0
"""Seconds between saves of what is being typed (only when it changed): a kill loses at most these."""

Keep = Callable[[str], None]
"""Where the text being typed is saved as a draft (`Session.save_draft`)."""


def _prompt_keeping(session: Any, keep: Keep | None, **prompt_arguments: Any) -> str:
    """`session.prompt(...)`, saving its text through `keep` every `DRAFT_EVERY` and when it is interrupted."""
    if keep is None:
        return str(session.prompt(**prompt_arguments))

    def start_keeping() -> None:
        session.app.create_background_task(_keep_saving(session.default_buffer, keep))

    try:
        return str(session.prompt(pre_run=start_keeping, **prompt_arguments))
    except (KeyboardInterrupt, EOFError):
        keep(session.default_buffer.text)
        raise


async def _keep_saving(buffer: Buffer, keep: Keep) -> None:
    import asyncio
    import sqlite3

    from ckaquiz.errors import CkaquizError

    while True:
        await asyncio.sleep(DRAFT_EVERY)
        try:
            keep(buffer.text)
        except (sqlite3.Error, CkaquizError):
            continue  # the database is busy or gone: the next tick, or the submit, saves it


def line_prompt(
    message: str,
    *,
    default: str = "",
    watch: Callable[[Any], None] | None = None,
    keep: Keep | None = None,
    **prompt_options: Any,
) -> str:
    """One line of input (Korean and other wide text work), starting from `default`."""
    from prompt_toolkit import PromptSession

    session: PromptSession[str] = PromptSession(message, **prompt_options)
    if watch is not None:
        watch(session.app)
    return _prompt_keeping(session, keep, handle_sigint=False, default=default)


def editor(
    message: str,
    default: str = "",
    *,
    watch: Callable[[Any], None] | None = None,
    keep: Keep | None = None,
    **prompt_options: Any,
) -> str:
    """A multi-line editor (blank, or holding `default`) with a running timer in the bottom bar."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings

    started = time.monotonic()
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _submit(event: Any) -> None:
        event.current_buffer.validate_and_handle()

    @bindings.add("enter", eager=True)
    def _newline(event: Any) -> None:
        # A plain line break: prompt_toolkit's Enter copies the line's indentation, which doubled
        # the indentation of YAML typed (or pasted without bracketed paste) line by line.
        event.current_buffer.newline(copy_margin=False)

    def toolbar() -> str:
        return f" {format_clock(time.monotonic() - started)}  ·  Ctrl-D or Esc Enter submits"

    print(message)
    session: PromptSession[str] = PromptSession(**prompt_options)
    if watch is not None:
        watch(session.app)
    return _prompt_keeping(
        session,
        keep,
        message="",
        handle_sigint=False,
        default=default,
        multiline=True,
        key_bindings=bindings,
        bottom_toolbar=toolbar,
        refresh_interval=1.0,
        prompt_continuation="",
    )


def external_editor(hint: str, draft: str = "", *, keep: Keep | None = None, configured: str = "") -> str:
    """Write the answer in the editor (`configured`, `$EDITOR`, `$VISUAL`, else vi) on a temporary file holding `draft`.

    While the editor runs, what it has saved to the file is kept as the draft every `DRAFT_EVERY`.
    """
    import os
    import subprocess
    import tempfile

    words = editor_command(configured)
    command = " ".join(words)
    with tempfile.TemporaryDirectory(prefix="ckaquiz-") as folder:
        path = os.path.join(folder, "answer.md")
        with open(path, "w", encoding="utf-8") as file:
            file.write(draft)

        def written() -> str:
            with open(path, encoding="utf-8", errors="replace") as file:
                return file.read()

        print(neutralise(f"{hint}: opening {command} ...", single_line=True))
        process = subprocess.Popen([*words, path])
        while True:
            try:
                process.wait(timeout=DRAFT_EVERY)
                break
            except subprocess.TimeoutExpired:
                if keep is not None:
                    keep(written())
        return written()
