"""How a command ends when something goes wrong: one line on stderr and an exit status, no traceback.

Every command is wrapped by `handled`, and `ckaquiz.cli.app.main` sends what still escapes a
command (a callback, completion) through the same `report`: a `CkaquizError` is the user's
mistake or a file that cannot be read, said in one line; a damaged database also gets the way
out (restoring a backup).
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from ckaquiz.errors import CkaquizError
from ckaquiz.printable import neutralise

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")

FAILED = 1
"""The exit status of a command that failed (a usage error is typer's 2)."""


def error_line(message: str) -> None:
    """`error: message` on stderr, on one line, through the output filter."""
    sys.stderr.write(f"error: {neutralise(message, single_line=True)}\n")


def fail(message: str) -> typer.Exit:
    """One line on stderr and exit status 1: how a user's mistake ends a command (`raise fail(...)`)."""
    error_line(message)
    return typer.Exit(FAILED)


def report(error: CkaquizError | sqlite3.DatabaseError) -> int:
    """Say what went wrong in one line and return the exit status; a damaged database gets the restore hint."""
    if isinstance(error, CkaquizError):
        error_line(str(error))
        return FAILED
    from ckaquiz.backup import restore_hint
    from ckaquiz.config import DATABASE_NAME, home_folder
    from ckaquiz.store import is_damage

    database = home_folder() / DATABASE_NAME
    if is_damage(error):  # found in the middle of a command (inside a page): one line and the way out
        error_line(f"{database} is damaged ({error}); {restore_hint(database)}")
    else:
        error_line(f"{database}: {error}")
    return FAILED


def handled(command: Callable[Parameters, Result]) -> Callable[Parameters, Result]:
    """`command` with its failures ended by `report` (typer reads the wrapped signature and help)."""

    @functools.wraps(command)
    def run(*args: Parameters.args, **kwargs: Parameters.kwargs) -> Result:
        try:
            return command(*args, **kwargs)
        except (CkaquizError, sqlite3.DatabaseError) as error:
            raise typer.Exit(report(error)) from None

    run.ckaquiz_handled = True  # type: ignore[attr-defined]
    return run
