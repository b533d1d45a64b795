"""Every command, option and argument of the command line says what it is for, and every command shows an example."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from ckaquiz.cli import app


def _commands(command: Any, path: str = "ckaquiz") -> Iterator[tuple[str, Any]]:
    """Each command with its full name; a group's subcommands after it (typer brings its own click)."""
    yield path, command
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{path} {name}")


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_walk_finds_every_command_group() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"ckaquiz study", "ckaquiz sources remove", "ckaquiz export csv", "ckaquiz restore"} <= names


def test_every_command_has_help_with_an_example() -> None:
    for path, command in COMMANDS:
        text = (command.help or "").strip()
        assert text, f"{path}: no help"
        if path != "ckaquiz":  # the app's own help lists the commands
            assert "example" in text.lower(), f"{path}: no example in its help"


def test_every_option_and_argument_has_help() -> None:
    for path, command in COMMANDS:
        for parameter in command.params:
            assert (getattr(parameter, "help", None) or "").strip(), f"{path} {parameter.name}: no help"


def test_each_command_runs_in_an_app_of_its_group_alone_with_the_same_help() -> None:
    from typer.testing import CliRunner

    from ckaquiz.cli.app import GROUP_OF_COMMAND, GROUPS, app_for

    whole = typer.main.get_command(app)
    assert set(GROUP_OF_COMMAND) == set(whole.commands)  # type: ignore[attr-defined]
    assert set(GROUP_OF_COMMAND.values()) == set(GROUPS)
    runner = CliRunner()
    for name, group in GROUP_OF_COMMAND.items():
        narrowed = app_for([name, "--help"])
        assert narrowed is not app
        alone = typer.main.get_command(narrowed)
        siblings = {other for other, owner in GROUP_OF_COMMAND.items() if owner is group}
        assert set(alone.commands) == siblings  # type: ignore[attr-defined]
        assert name in siblings
        shown = runner.invoke(narrowed, [name, "--help"], prog_name="ckaquiz")
        expected = runner.invoke(app, [name, "--help"], prog_name="ckaquiz")
        assert shown.exit_code == expected.exit_code == 0
        assert shown.output == expected.output
    for arguments in ([], ["--help"], ["--version"], ["no-such-command"], ["--install-completion"]):
        assert app_for(arguments) is app


def test_shell_completion_gets_the_whole_app(monkeypatch: Any) -> None:
    from ckaquiz.cli.app import app_for

    monkeypatch.setenv("_CKAQUIZ_COMPLETE", "complete_bash")
    assert app_for(["stats"]) is app
