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
from ckaquiz.ui.plurals import plural


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
    from rich.table import Table

    from ckaquiz.model import Rating
    from ckaquiz.ui.render import format_due
    from ckaquiz.ui.text import one_line, plain_cell

    shared = shared_context(context)
    store = shared.collection.store
    stored = store.card(card_id)
    if stored is None:
        raise fail(f"no card with id {card_id!r} (see `ckaquiz cards`)")
    attempts = store.attempts(card_id)
    if as_json:
        typer.echo(escape_json_controls(json.dumps(attempts, ensure_ascii=False, indent=1)))
        return
    from datetime import datetime

    rows = []
    for attempt in attempts:
        points = attempt["result"].get("points", []) if isinstance(attempt["result"], dict) else []
        missed = [str(point.get("text", "")) for point in points if point.get("status") == "missed"]
        rows.append(
            (
                format_due(datetime.fromisoformat(attempt["created_at"])),
                "-" if attempt["score"] is None else f"{attempt['score']:.0%}",
                "-" if attempt["suggested"] is None else Rating(attempt["suggested"]).label,
                "-" if attempt["final"] is None else Rating(attempt["final"]).label,
                f"{attempt['duration_ms'] / 1000:.0f}",
                missed,
            )
        )
    if not sys.stdout.isatty():  # piped: one attempt a line, the points still missed joined by ` | `
        tab_lines((*row[:5], " | ".join(row[5]) or "-") for row in rows)
        return
    table = Table(title=plain_cell(f"{one_line(stored.card.prompt, 60)}: {plural(len(attempts), 'attempt')}"))
    for column in ("date", "score", "suggested", "grade", "seconds", "still missed"):
        table.add_column(column)
    for *fields, missed in rows:
        table.add_row(*fields, plain_cell("\n".join(one_line(text, 50) for text in missed) or "-"))
    shared.console.print(table)


def register(app: typer.Typer) -> None:
    """Add `score` and `history` to the app."""
    app.command()(score)
    app.command()(history)
