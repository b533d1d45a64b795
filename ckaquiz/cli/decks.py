"""`decks` and `sources`: what is registered and how much of it is due."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ckaquiz.cli.context import TagOption, chosen_filters, refreshed, say, shared_context, tab_lines
from ckaquiz.cli.failures import fail, handled
from ckaquiz.printable import neutralise
from ckaquiz.ui.plurals import plural


@handled
def decks(
    context: typer.Context,
    tag: TagOption = [],
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            metavar="FILE",
            help="Print a Markdown summary of the deck files in this folder (decks/README.md).",
        ),
    ] = None,
) -> None:
    """A table of decks with total, new, learning and due-today counts.

    Piped, one tab-separated line per deck: deck, total, new, learning, due today.

    \b
    Examples:
      ckaquiz decks
      ckaquiz decks --tag cka/storage
      ckaquiz decks --markdown decks/ > decks/README.md
    """
    from ckaquiz.catalog import deck_rows, deck_summary_markdown

    if markdown is not None:
        if not markdown.exists():
            raise fail(f"{markdown}: no such file or folder")
        sys.stdout.write(neutralise(deck_summary_markdown([markdown])))
        return
    shared = shared_context(context)
    collection = refreshed(shared)
    rows = deck_rows(collection, chosen_filters(collection, [], tag))
    if not sys.stdout.isatty():  # piped: one tab-separated line per deck, no totals
        tab_lines((row.name, row.total, row.new, row.learning, row.due_today) for row in rows)
        return
    from ckaquiz.ui.listings import decks_table

    shared.console.print(decks_table(rows))


@handled
def sources_list(context: typer.Context) -> None:
    """List registered deck sources: name, kind (built-in or user) and path, tab-separated.

    \b
    Examples:
      ckaquiz sources
      ckaquiz sources remove old-notes
    """
    if context.invoked_subcommand is not None:
        return
    shared = shared_context(context)
    from ckaquiz.store import registered_sources

    registered = registered_sources(shared.collection.store)
    for source in registered:
        kind = "built-in" if source.builtin else "user"
        typer.echo("\t".join(neutralise(field, single_line=True) for field in (source.name, kind, source.path)))


@handled
def sources_remove(
    context: typer.Context, name: Annotated[str, typer.Argument(metavar="NAME", help="The source's name.")]
) -> None:
    """Unregister a source: its cards are retired, their review history kept.

    \b
    Example:
      ckaquiz sources remove old-notes
    """
    shared = shared_context(context)
    store = shared.collection.store
    from ckaquiz.store import deactivate_source, find_source

    if find_source(store, name) is None:
        raise fail(f"no source named {name!r} (see `ckaquiz sources`)")
    retired = deactivate_source(store, name, now=shared.collection.now())
    say(f"removed {name}: {plural(retired, 'card')} retired (history kept)")


def register(app: typer.Typer) -> None:
    """Add `decks` and the `sources` group (list, remove) to the app."""
    app.command()(decks)
    sources = typer.Typer(
        help="List or remove registered deck sources. Examples: `ckaquiz sources`, `ckaquiz sources remove old-notes`.",
        invoke_without_command=True,
    )
    sources.callback()(sources_list)
    sources.command("remove")(sources_remove)
    app.add_typer(sources, name="sources")
