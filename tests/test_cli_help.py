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
