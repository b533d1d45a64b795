"""The start-up floor: a typer app with two commands and ckaquiz's own app settings, doing nothing of its own.

With one command typer skips the sub-command dispatch that every real CLI pays for, so the floor
has two. Like ckaquiz it answers `--version` from an eager callback and prints its help without
Rich markup. `python bench/floor_app.py hello` runs a command (typer parses the one option and
coerces its value, as it does for every ckaquiz command); `--version` and `--help` are the floors
of ckaquiz's own `--version` and `--help`.
"""

import typer

app = typer.Typer(name="floor", add_completion=True, rich_markup_mode=None, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        typer.echo("floor 1.0")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """A floor app."""


@app.command()
def hello(name: str = "floor") -> None:
    """Print a name."""
    typer.echo(name)


@app.command()
def bye(name: str = "floor") -> None:
    """Print a name, leaving."""
    typer.echo(name)


if __name__ == "__main__":
    app()
