"""What every command module shares: the lazily opened collection and console, options, errors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.printable import neutralise

if TYPE_CHECKING:
    from rich.console import Console

    from ckaquiz.collection import Collection

DeckOption = Annotated[
    list[str], typer.Option("--deck", "-d", metavar="DECK", help="Only cards of this deck (repeatable).")
]
TagOption = Annotated[
    list[str],
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="Only cards with this tag; nested (cka matches cka/storage) and globs (2025-03*).",
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
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._collection.close()


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
