"""`score` and `history`: an answer scored against a card (nothing recorded), and a card's attempts kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ckaquiz.cli.context import refreshed, say, shared_context, tab_lines
from ckaquiz.cli.failures import fail, handled
from ckaquiz.printable import escape_json_controls


@handled
def score(
    context: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="CARD_ID", help="The card's id (see `ckaquiz cards`).")],
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", metavar="FILE", help="Read the answer from this file (default: stdin)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print coverage, suggested and points as JSON.")] = False,
) -> None:
    """Score an answer against a card without recording anything (recall, choice, command, manifest, cloze).

    \b
    Examples:
      echo "grep staticPodPath /etc/kubelet/custom.yaml" | ckaquiz score cka-static-pods:grep-static-pod-path
      ckaquiz score CARD_ID --file recall.md --json
    """
    from ckaquiz.assessment import assess_response

    shared = shared_context(context)
    collection = refreshed(shared)
    stored = collection.store.card(card_id)
    if stored is None:
        raise fail(f"no card with id {card_id!r} (see `ckaquiz cards`)")
    if stored.card.kind.value == "task":
        raise fail(f"{card_id} is an exam task: its steps are answered and scored in `ckaquiz exam`")
    try:
        text = file.read_text(encoding="utf-8") if file is not None else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"{file}: cannot read ({error})") from None
    assessment = assess_response(stored.card, text, None, collection.settings)
    if assessment is None:
        raise fail(f"{stored.card.kind.value} cards are graded by the learner alone; nothing to score")
    if as_json:
        suggested = assessment.suggested.label if assessment.suggested is not None else None
        payload = assessment.result | {"coverage": round(assessment.score, 3), "suggested": suggested}
        typer.echo(escape_json_controls(json.dumps(payload, ensure_ascii=False, indent=1)))
        return
    for line in assessment.lines:
        say(line)


@handled
def history(
    context: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="CARD_ID", help="The card's id (see `ckaquiz cards`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the attempts as JSON.")] = False,
) -> None:
    """A card's attempts over time: date, coverage or score, grades, and points still missed.

    \b
    Examples:
      ckaquiz history cka-static-pods:grep-static-pod-path
      ckaquiz cards --deck cka-static-pods | cut -f1 | xargs -n1 ckaquiz history
    """
    shared = shared_context(context)
    store = shared.collection.store
    stored = store.card(card_id)
    if stored is None:
        raise fail(f"no card with id {card_id!r} (see `ckaquiz cards`)")
    from ckaquiz.store import card_attempts

    attempts = card_attempts(store, card_id)
    if as_json:
        typer.echo(escape_json_controls(json.dumps(attempts, ensure_ascii=False, indent=1)))
        return
    from ckaquiz.ui.listings import attempt_rows, attempts_table

    rows = attempt_rows(attempts)
    if not sys.stdout.isatty():  # piped: one attempt a line, the points still missed joined by ` | `
        tab_lines((*row[:5], " | ".join(row.missed) or "-") for row in rows)
        return
    shared.console.print(attempts_table(stored.card.prompt, rows))


@handled
def recall_report(
    context: typer.Context,
    day: Annotated[
        str | None, typer.Argument(metavar="DAY", help="The day recalled, YYYY-MM-DD (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Per topic card of a day, the key points your own blank-page recall of that day covered and missed.

    \b
    Examples:
      ckaquiz recall-report 2025-03-18
      ckaquiz recall-report --json
    """
    from datetime import date

    from ckaquiz.recall_report import recall_report as report_of
    from ckaquiz.ui.recall_report_view import recall_report_view

    shared = shared_context(context)
    try:
        wanted = date.fromisoformat(day) if day else shared.collection.now().astimezone().date()
    except ValueError:
        raise fail(f"not a day: {day!r} (write it as YYYY-MM-DD)") from None
    report = report_of(shared.collection.store, wanted)
    if as_json:
        typer.echo(escape_json_controls(json.dumps(report.to_dict(), ensure_ascii=False, indent=1)))
        return
    shared.console.print(recall_report_view(report))


def register(app: typer.Typer) -> None:
    """Add `score`, `recall-report` and `history` to the app."""
    app.command()(score)
    app.command("recall-report")(recall_report)
    app.command()(history)
