"""`cards`: the cards with their scheduling state, as a table, tab-separated lines or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ckaquiz.cli.context import DeckOption, TagOption, chosen_filters, refreshed, shared_context, tab_lines
from ckaquiz.cli.failures import handled


@handled
def cards(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array (a stable format for scripts).")] = False,
    retired: Annotated[bool, typer.Option("--retired", help="Include retired cards.")] = False,
) -> None:
    """List cards with their scheduling state.

    Piped, one tab-separated line per card: id, kind, prompt, state, due.

    \b
    Examples:
      ckaquiz cards --deck cka-static-pods
      ckaquiz cards --tag 2025-03 | cut -f1
      ckaquiz cards --json > cards.json
    """
    from ckaquiz.catalog import iter_matching_records, matching_cards
    from ckaquiz.json_output import write_records_json

    shared = shared_context(context)
    filters = chosen_filters(refreshed(shared), deck, tag)
    if as_json:  # streamed: a listing of 100,000 cards never sits in memory whole
        write_records_json(iter_matching_records(shared.collection, filters, include_retired=retired), sys.stdout)
        return
    found = matching_cards(shared.collection, filters, include_retired=retired)
    from ckaquiz.ui.listings import card_fields, cards_table

    if not sys.stdout.isatty():  # piped: whole ids, tab-separated, one card a line
        tab_lines(card_fields(stored) for stored in found)
        return
    shared.console.print(cards_table(found))


def register(app: typer.Typer) -> None:
    """Add `cards` to the app."""
    app.command()(cards)
