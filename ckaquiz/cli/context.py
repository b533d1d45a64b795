"""What every command module shares: the lazily opened collection and console, options, report lines."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.printable import neutralise

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from ckaquiz.collection import Collection
    from ckaquiz.filters import Filters
    from ckaquiz.sync.exchange import ExchangeReport


def complete_deck(incomplete: str) -> list[str]:
    """Deck names starting with what was typed (the database is only read)."""
    from ckaquiz.completion import deck_names
    from ckaquiz.config import DATABASE_NAME, home_folder

    return deck_names(home_folder() / DATABASE_NAME, incomplete)


def complete_tag(incomplete: str) -> list[str]:
    """Tags, and the parents of nested tags, starting with what was typed (the database is only read)."""
    from ckaquiz.completion import tag_names
    from ckaquiz.config import DATABASE_NAME, home_folder

    return tag_names(home_folder() / DATABASE_NAME, incomplete)


DeckOption = Annotated[
    list[str],
    typer.Option(
        "--deck", "-d", metavar="DECK", help="Only cards of this deck (repeatable).", autocompletion=complete_deck
    ),
]
TagOption = Annotated[
    list[str],
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="Only cards with this tag; nested (cka matches cka/storage) and globs (2025-03*).",
        autocompletion=complete_tag,
    ),
]
PlainOption = Annotated[
    bool,
    typer.Option("--plain", help="Plain line protocol: no colours, for scripts and screen readers."),
]


class Context:
    """What the commands share: the console and, opened on first use, the collection."""

    def __init__(self) -> None:
        self._console: Console | None = None
        self._collection: Collection | None = None
        self.opening_exchange: ExchangeReport | None = None
        """What the exchange as the collection opened did (with sync set up): `ckaquiz sync` counts it too."""

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False)
        return self._console

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            from ckaquiz.collection import Collection

            self._collection = Collection.open()
            for notice in self._collection.notices:
                sys.stderr.write(f"warning: {notice}\n")
            self.opening_exchange = self._exchange()
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._exchange()
            self._collection.close()

    def _exchange(self) -> ExchangeReport | None:
        """With sync set up, the cheap exchange every command does at its start and end (see
        `ckaquiz.sync`): its warnings on stderr, a failure only warned about."""
        if self._collection is None or not self._collection.settings.sync_folder:
            return None
        import sqlite3

        from ckaquiz.errors import CkaquizError
        from ckaquiz.sync.setup import exchange_now

        try:
            report = exchange_now(self._collection)
        except (CkaquizError, OSError, sqlite3.OperationalError) as error:
            warn([f"sync: {error}"])
            return None
        if report is not None:
            warn(report.problems)
        return report


def shared_context(context: typer.Context) -> Context:
    """The app's shared Context; commands run in an app without ckaquiz's callback get their own."""
    shared = context.obj
    if isinstance(shared, Context):
        return shared
    own = Context()
    context.find_root().obj = own
    context.obj = own
    context.call_on_close(own.close)
    return own


def say(message: str, *, err: bool = False) -> None:
    """One line of a command's report, on stdout (or stderr), through the output filter."""
    typer.echo(neutralise(message, single_line=True), err=err)


def warn(problems: list[str]) -> None:
    """Each problem as a `warning:` line on stderr, through the output filter."""
    for problem in problems:
        sys.stderr.write(f"warning: {neutralise(problem, single_line=True)}\n")


def tab_lines(rows: Iterable[Iterable[object]]) -> None:
    """Rows as tab-separated lines for scripts: each field on one line, filtered like all output."""
    for row in rows:
        typer.echo("\t".join(neutralise(str(field), single_line=True).replace("\t", " ") for field in row))


def refreshed(shared: Context) -> Collection:
    """The collection with its sources re-read where they changed; their problems as warnings, once per
    change of their file (`ckaquiz check` shows them all)."""
    collection = shared.collection
    warn_once(collection, collection.refresh().problems)
    return collection


def warn_once(collection: Collection, problems: list[str]) -> None:
    """`warn` for the problems of files changed since their problems were shown (`ckaquiz.store.shown_warnings`)."""
    from ckaquiz.store import shown_warnings

    warn(shown_warnings.unshown(collection.store, problems))


def chosen_filters(
    collection: Collection, deck: list[str], tag: list[str], since: str | None = None, until: str | None = None
) -> Filters:
    """The filters of --deck, --tag, --since and --until, refused when a deck or tag matches nothing."""
    from ckaquiz.catalog import validate_filters
    from ckaquiz.filters import Filters, parse_day

    now = collection.now() if since or until else None
    filters = Filters(
        decks=tuple(deck),
        tags=tuple(tag),
        since=parse_day(since, now) if since and now else None,
        until=parse_day(until, now) if until and now else None,
    )
    validate_filters(collection, filters)
    return filters
