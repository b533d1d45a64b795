"""`ckaquiz exam`: a timed mock CKA exam of `task` cards, its resume and its history."""

from __future__ import annotations

import json
import random
import sys
from typing import Annotated

import typer

from ckaquiz.cli.context import DeckOption, PlainOption, say, shared_context, warn, warn_once
from ckaquiz.cli.failures import fail, handled
from ckaquiz.printable import escape_json_controls


@handled
def exam(
    context: typer.Context,
    minutes: Annotated[
        float, typer.Option("--minutes", min=0.01, metavar="M", help="Time for the whole exam (the CKA gives 120).")
    ] = 120.0,
    tasks: Annotated[int, typer.Option("--tasks", min=1, metavar="N", help="How many tasks to draw.")] = 17,
    domain: Annotated[
        str | None,
        typer.Option("--domain", metavar="D", help="Only tasks of this CKA domain (storage, troubleshooting, ...)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="Draw the same paper again from the same tasks.")
    ] = None,
    deck: DeckOption = [],
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the unfinished exam with the time it had left.")
    ] = False,
    history: Annotated[bool, typer.Option("--history", help="List past attempts with their scores.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --history: the attempts as JSON.")] = False,
    editor: Annotated[
        bool, typer.Option("--editor", help="Write answers in $EDITOR instead of the built-in editor.")
    ] = False,
    plain: PlainOption = False,
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule",
            help="Log each scored task as a review of its card: all points Good, at least 80 % Hard, less Again.",
        ),
    ] = False,
) -> None:
    """A timed mock CKA exam: tasks weighted by domain, scored against the 66 % pass mark.

    Examples: `ckaquiz exam` (17 tasks, 120 minutes), `ckaquiz exam --tasks 5 --minutes 30
    --domain troubleshooting`, `ckaquiz exam --resume` after an interruption, `ckaquiz exam
    --history`. Answers are saved after each one; the clock runs only while the exam is open.
    """
    from ckaquiz.exam import Exam, domain_of, draw_paper, exam_tasks

    shared = shared_context(context)
    if as_json and not history:
        raise fail("--json goes with --history (the exam itself speaks the plain protocol with --plain)")
    collection = shared.collection
    if history:
        _history(collection.store, as_json=as_json)
        return
    from ckaquiz.store import unfinished_attempt

    if resume:
        attempt = Exam.resume(collection.store, collection.clock)
    else:
        waiting = unfinished_attempt(collection.store)
        if waiting is not None:
            started = waiting.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            raise fail(
                f"the exam started {started} is not finished: `ckaquiz exam --resume` continues it"
                " (type `end` there to score it as it stands)"
            )
        report = collection.refresh()
        warn_once(collection, report.problems)
        wanted = {name.casefold() for name in deck}
        cards = [
            stored.card
            for stored in collection.store.cards(decks=deck)
            if not wanted or stored.card.deck.casefold() in wanted
        ]
        chosen_seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
        domain_tag = domain_of(domain) if domain else None
        paper = draw_paper(exam_tasks(cards), count=tasks, seed=chosen_seed, domain=domain_tag)
        if paper and len(paper) < tasks:
            warn([f"only {len(paper)} tasks on different topics match; the paper has {len(paper)}, not {tasks}"])
        filters = {"decks": list(deck), "domain": domain_tag, "tasks": tasks}
        attempt = Exam.start(
            collection.store, collection.clock, paper, minutes=minutes, seed=chosen_seed, filters=filters
        )
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        from ckaquiz.ui.exam_terminal import TerminalExamFrontEnd

        use_editor = editor or collection.settings.editor
        TerminalExamFrontEnd(attempt, shared.console, use_editor=use_editor).run()
    else:
        from ckaquiz.ui.exam_plain import PlainExamFrontEnd

        PlainExamFrontEnd(attempt, sys.stdin, sys.stdout).run()
    if schedule and attempt.result is not None:
        from ckaquiz.exam_schedule import schedule_results

        logged = schedule_results(collection, attempt.result, exam_id=attempt.id)
        say(
            f"logged {len(logged)} task reviews: "
            + ", ".join(f"{item.card_id} {item.rating.name.lower()}" for item in logged)
        )


def _history(store: object, *, as_json: bool) -> None:
    from ckaquiz.exam import PASS_MARK
    from ckaquiz.store import Store
    from ckaquiz.store import exam_attempts as attempts
    from ckaquiz.ui.format import format_seconds

    assert isinstance(store, Store)
    records = attempts(store)
    if as_json:
        rows = [
            {
                "id": record.id,
                "started_at": record.started_at.isoformat(),
                "finished_at": record.finished_at.isoformat() if record.finished_at else None,
                "minutes": record.minutes,
                "seconds_used": record.seconds_used,
                "tasks": len(record.paper),
                "seed": record.seed,
                "score": record.score,
                "passed": record.passed,
                "domains": (record.result or {}).get("domains", []),
            }
            for record in records
        ]
        typer.echo(escape_json_controls(json.dumps(rows, ensure_ascii=False, indent=1)))
        return
    if not records:
        say("no exam attempts yet: start one with `ckaquiz exam`")
        return
    for record in records:
        started = record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        used = f"{format_seconds(record.seconds_used)} of {format_seconds(record.minutes * 60)}"
        if record.score is None:
            outcome = "unfinished (`ckaquiz exam --resume`)"
        else:
            outcome = f"{record.score:.1f}% {'passed' if record.passed else 'not passed'}"
        say(f"{started}  {outcome}  {len(record.paper)} tasks  {used}  seed {record.seed}  {record.id}")
    finished = [record.score for record in records if record.score is not None]
    if finished:
        passed = sum(1 for score in finished if score >= PASS_MARK)
        say(f"{len(finished)} scored, {passed} passed; last {finished[-1]:.1f}%, best {max(finished):.1f}%")


def register(app: typer.Typer) -> None:
    """Add `exam` to the app."""
    app.command("exam")(exam)
