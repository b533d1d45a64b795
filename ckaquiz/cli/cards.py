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
    suspended: Annotated[bool, typer.Option("--suspended", help="Only the suspended cards.")] = False,
) -> None:
    """List cards with their scheduling state.

    Piped, one tab-separated line per card: id, kind, prompt, state, due.

    \b
    Examples:
      ckaquiz cards --deck cka-static-pods
      ckaquiz cards --tag 2025-03 | cut -f1
      ckaquiz cards --json > cards.json
      ckaquiz cards --suspended
    """
    from ckaquiz.catalog import iter_matching_records, matching_cards
    from ckaquiz.json_output import write_records_json

    shared = shared_context(context)
    filters = chosen_filters(refreshed(shared), deck, tag)
    if suspended:
        from ckaquiz.records import card_record
        from ckaquiz.store import suspended_numbers

        held = set(suspended_numbers(shared.collection.store))
        found = [
            stored
            for stored in matching_cards(shared.collection, filters, include_retired=retired)
            if stored.number in held
        ]
        if as_json:
            write_records_json((card_record(stored) for stored in found), sys.stdout)
            return
    elif as_json:  # streamed: a listing of 100,000 cards never sits in memory whole
        write_records_json(iter_matching_records(shared.collection, filters, include_retired=retired), sys.stdout)
        return
    else:
        found = matching_cards(shared.collection, filters, include_retired=retired)
    from ckaquiz.ui.listings import card_fields, cards_table

    if not sys.stdout.isatty():  # piped: whole ids, tab-separated, one card a line
        tab_lines(card_fields(stored) for stored in found)
        return
    shared.console.print(cards_table(found))


@handled
def unsuspend(
    context: typer.Context,
    card_ids: Annotated[list[str], typer.Argument(help="Ids of suspended cards (see `ckaquiz cards --suspended`).")],
) -> None:
    """Let suspended cards back into study and review queues.

    \b
    Examples:
      ckaquiz unsuspend cka-static-pods:kubelet
    """
    from ckaquiz.store import unsuspend_ids
    from ckaquiz.ui.plurals import plural

    shared = shared_context(context)
    changed = unsuspend_ids(shared.collection.store, card_ids)
    shared.console.print(f"unsuspended {plural(changed, 'card')}")


def register(app: typer.Typer) -> None:
    """Add `cards` and `unsuspend` to the app."""
    app.command()(cards)
    app.command()(unsuspend)
