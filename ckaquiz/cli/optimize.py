"""`optimize`: FSRS parameters fitted to the learner's own review log, or a desired retention recommended."""

from __future__ import annotations

from typing import Annotated

import typer

from ckaquiz.cli.context import refreshed, say, shared_context
from ckaquiz.cli.failures import handled


@handled
def optimize(
    context: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Save the new parameters without asking.")] = False,
    retention: Annotated[
        bool,
        typer.Option(
            "--retention",
            help="Recommend a desired retention instead: simulate a year of your study at several retentions.",
        ),
    ] = False,
) -> None:
    """Fit FSRS parameters to your own review log and save them, or recommend a desired retention.

    Examples: `ckaquiz optimize` (shows old and new parameters, asks before saving),
    `ckaquiz optimize --yes`, `ckaquiz optimize --retention`.
    """
    from ckaquiz.optimize import optimize as fit_collection
    from ckaquiz.optimize import retention_advice, save_parameters
    from ckaquiz.ui.optimize_view import optimization_view, retention_view

    shared = shared_context(context)
    collection = shared.collection
    if retention:
        shared.console.print(retention_view(retention_advice(refreshed(shared))))
        return
    result = fit_collection(collection)
    shared.console.print(optimization_view(result))
    if not yes:
        try:
            confirmed = typer.confirm("Save the new parameters to config.toml?", default=False)
        except typer.Abort:
            confirmed = False
        if not confirmed:
            typer.echo("not saved (pass --yes to save without asking)")
            return
    path = save_parameters(collection.home, result.new)
    say(f"saved to {path}")


def register(app: typer.Typer) -> None:
    """Add `optimize` to the app."""
    app.command()(optimize)
