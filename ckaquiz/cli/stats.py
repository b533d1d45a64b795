"""`stats`: progress, on the screen or as one JSON object."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ckaquiz.cli.context import DeckOption, TagOption, chosen_filters, refreshed, shared_context
from ckaquiz.cli.failures import handled


@handled
def stats(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (see docs/stats.md).")] = False,
) -> None:
    """Progress: today, a year of reviews, the due forecast, true retention, weak spots, leeches, CKA readiness.

    \b
    Examples:
      ckaquiz stats
      ckaquiz stats --deck cka-ko
      ckaquiz stats --json | jq .retention
    """
    from ckaquiz.stats import collect_stats

    shared = shared_context(context)
    topics: int | None = None  # --json lists every recall topic and attempt
    attempts: int | None = None
    if not as_json:  # the screen shows a few topics and their last attempts: only those are read in full
        from ckaquiz.ui.stats_view import SPARK_ATTEMPTS, TOPICS_SHOWN

        topics, attempts = TOPICS_SHOWN, SPARK_ATTEMPTS
    collection = refreshed(shared)
    filters = chosen_filters(collection, deck, tag)
    found = collect_stats(collection, filters, shown_topics=topics, shown_attempts=attempts)
    if as_json:
        found.write_json(sys.stdout)
        return
    from ckaquiz.ui.stats_view import stats_view

    shared.console.print(stats_view(found))


def register(app: typer.Typer) -> None:
    """Add `stats` to the app."""
    app.command()(stats)
