"""The start-up floor: a minimal typer app with one command, doing nothing of its own.

`python bench/floor_app.py` runs its command (typer parses the one option and coerces its
value, as it does for every ckaquiz command), so its time is what any typer CLI pays before
its own code runs.
"""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "floor") -> None:
    """Print a name."""
    typer.echo(name)


if __name__ == "__main__":
    app()
