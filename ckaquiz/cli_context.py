"""What every command module shares: the lazily opened collection and console, options, errors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.printable import neutralise

if TYPE_CHECKING:
    from rich.console import Console

    from ckaquiz.collection import Collection

def _known(query: str) -> list[str]:
    """Rows of a read-only query on the database, for shell completion: nothing is ever written.

    No database yet, or one that cannot be read, completes nothing.
    """
    import sqlite3

    from ckaquiz.config import DATABASE_NAME, home_folder

    path = home_folder() / DATABASE_NAME
    if not path.is_file():
        return []
    try:
        # immutable: no lock and no -shm/-wal files made beside the database; a completion may read
        # a moment-old state, which is all it needs.
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, timeout=0.2)
        try:
            return [str(row[0]) for row in connection.execute(query)]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def complete_deck(incomplete: str) -> list[str]:
    """Deck names starting with what was typed."""
    names = _known("SELECT DISTINCT deck FROM cards WHERE active = 1 ORDER BY deck")
    return [name for name in names if name.startswith(incomplete)]


def complete_tag(incomplete: str) -> list[str]:
    """Tags, and the parents of nested tags (`cka` for `cka/storage`), starting with what was typed."""
    import json

    tags: set[str] = set()
    for encoded in _known("SELECT DISTINCT tags FROM cards WHERE active = 1"):
        try:
            for tag in json.loads(encoded):
                parts = str(tag).split("/")
                tags.update("/".join(parts[: index + 1]) for index in range(len(parts)))
        except (ValueError, TypeError):
            continue
    return sorted(tag for tag in tags if tag.startswith(incomplete))


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


class Context:
    """What the commands share: the console and, opened on first use, the collection."""

    def __init__(self) -> None:
        self._console: Console | None = None
        self._collection: Collection | None = None

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
            self._exchange()
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._exchange()
            self._collection.close()

    def _exchange(self) -> None:
        """With sync set up, a cheap exchange with the sync folder (see `ckaquiz.cli_sync`)."""
        if self._collection is not None and self._collection.settings.sync_folder:
            from ckaquiz.cli_sync import exchange_for_command

            exchange_for_command(self._collection)


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


def fail(message: str) -> typer.Exit:
    """One line on stderr and exit status 1: how a user's mistake ends a command."""
    sys.stderr.write(f"error: {neutralise(message, single_line=True)}\n")
    return typer.Exit(1)
