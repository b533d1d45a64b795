"""The command line: the typer app, its callback and `main()`, with every command group added explicitly.

Each command is options -> one library call -> rendering (see the group modules of this package).
Heavy modules (fsrs, questionary, rich.markdown, yaml) are imported inside the commands that
need them, so `ckaquiz --help` and `--version` start fast.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from types import ModuleType
from typing import Annotated

import typer

from ckaquiz import __version__
from ckaquiz.cli import answers, backup, cards, check, decks, exam, export, imports, optimize, stats, study, sync
from ckaquiz.cli.context import Context
from ckaquiz.cli.failures import report
from ckaquiz.cli.startup import install as install_startup_shortcuts
from ckaquiz.cli.startup import install_help_format
from ckaquiz.errors import CkaquizError
from ckaquiz.printable import neutralise

install_help_format()  # arguments shown by their metavars


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ckaquiz {__version__}")
        raise typer.Exit()


def main_callback(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Study CKA and AWS notes with FSRS spaced repetition: `ckaquiz study` to start."""
    if context.invoked_subcommand is None:
        typer.echo(context.get_help())
        raise typer.Exit(0)
    shared = Context()
    context.obj = shared
    context.call_on_close(shared.close)


GROUPS: tuple[ModuleType, ...] = (
    study, imports, decks, cards, check, answers, stats, optimize, exam, backup, sync, export
)
"""The command groups, in the order the help lists their commands (groups of subcommands come last)."""

GROUP_OF_COMMAND: dict[str, ModuleType] = {
    "study": study,
    "review": study,
    "import": imports,
    "decks": decks,
    "sources": decks,
    "cards": cards,
    "unsuspend": cards,
    "check": check,
    "score": answers,
    "recall-report": answers,
    "history": answers,
    "stats": stats,
    "optimize": optimize,
    "exam": exam,
    "backup": backup,
    "restore": backup,
    "sync": sync,
    "export": export,
}
"""The group that adds each top-level command (a test holds it equal to what the groups add)."""


def build_app(groups: tuple[ModuleType, ...] = GROUPS) -> typer.Typer:
    """The typer app with the commands of `groups`."""
    built = typer.Typer(
        name="ckaquiz",
        help="Spaced-repetition study sessions in the terminal for the CKA exam, from Markdown and YAML notes.",
        no_args_is_help=False,
        invoke_without_command=True,  # bare `ckaquiz` prints the help and exits 0 (see main_callback)
        add_completion=True,  # --install-completion / --show-completion; decks and tags complete too
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    built.callback()(main_callback)
    for group in groups:
        group.register(built)
    return built


app = build_app()
"""The whole command line."""


def app_for(arguments: list[str]) -> typer.Typer:
    """The app to run `arguments` with: the whole one, or, for one named command, an app of its group
    alone. typer reads the parameters of every command it holds each time it runs (their signatures
    and type hints), which for one command costs more than running most commands; the help,
    completion and anything not starting with a command name get the whole app."""
    group = GROUP_OF_COMMAND.get(arguments[0]) if arguments else None
    if group is None or any(name.startswith("_CKAQUIZ_COMPLETE") for name in os.environ):
        return app
    return build_app((group,))


def _tolerant_stdin() -> None:
    """Bytes on standard input that are not UTF-8 become U+FFFD instead of ending the command."""
    import io

    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")


def main(arguments: list[str] | None = None) -> int:
    """Run the command line on `arguments` (default: the process's); the exit status
    (`python -m ckaquiz` passes it to `sys.exit`).

    typer's usage errors repeat what was typed (`No such option: ...`), so they are written
    through the output filter too. What escapes a command (its failures are ended by
    `ckaquiz.cli.failures.handled`) ends in the same one line.
    """
    install_startup_shortcuts()  # plain values skip typer's pydantic coercion (see ckaquiz.cli.startup)
    _tolerant_stdin()
    # click's ClickException, the base of every usage error, whichever click typer brings
    bases = typer.BadParameter.__mro__
    usage_error: type[Exception] = next(base for base in bases if base.__name__ == "ClickException")
    try:
        given = sys.argv[1:] if arguments is None else arguments
        status = app_for(given)(given, standalone_mode=False)
        return status if isinstance(status, int) else 0
    except typer.Abort:  # end of input at a confirmation prompt
        sys.stderr.write("Aborted!\n")
        return 1
    except (CkaquizError, sqlite3.DatabaseError) as error:  # from a callback, or closing the collection
        return report(error)
    except usage_error as error:
        from io import StringIO

        shown = StringIO()
        error.show(file=shown)  # type: ignore[attr-defined]
        sys.stderr.write(neutralise(shown.getvalue()))
        return int(error.exit_code)  # type: ignore[attr-defined]
