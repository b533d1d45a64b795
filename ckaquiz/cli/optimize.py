"""`optimize`: FSRS parameters fitted to the learner's own review log, or a desired retention recommended."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.cli.context import refreshed, say, shared_context
from ckaquiz.cli.failures import handled
from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ckaquiz.optimize import Optimization, RetentionAdvice


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

    shared = shared_context(context)
    collection = shared.collection
    if retention:
        shared.console.print(_retention_view(retention_advice(refreshed(shared))))
        return
    result = fit_collection(collection)
    shared.console.print(_optimization_view(result))
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


def _retention_view(advice: RetentionAdvice) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("desired retention", justify="right")
    table.add_column("reviews a day", justify="right")
    table.add_column("minutes a day", justify="right")
    table.add_column(f"remembered after {advice.days} days", justify="right")
    for workload in advice.workloads:
        marks = []
        if workload.retention == advice.recommended:
            marks.append("recommended")
        if abs(workload.retention - advice.current) < 0.005:
            marks.append("yours")
        label = f"{workload.retention:.2f}" + (f" ({', '.join(marks)})" if marks else "")
        table.add_row(
            label, f"{workload.reviews_per_day:.1f}", f"{workload.minutes_per_day:.1f}", f"{workload.memorized:.0f}"
        )
    parameters = "your fitted parameters" if advice.personal_parameters else "the FSRS default parameters"
    header = Text(
        f"a simulated year of study of {advice.cards} cards with your daily limits, your grading habits"
        f" and {parameters}"
    )
    footer = Text(
        f"recommended minimum: desired_retention = {advice.recommended:.2f}, the least study time per card"
        f" remembered; a higher one costs more time for more cards remembered (yours is {advice.current:.2f},"
        " set in config.toml)"
    )
    return Group(header, table, footer)


def _optimization_view(result: Optimization) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    source = "your saved parameters" if result.personal_before else "FSRS defaults"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("w", justify="right")
    table.add_column("old", justify="right")
    table.add_column("new", justify="right")
    table.add_column("change", justify="right")
    for index, (old, new) in enumerate(zip(result.old, result.new, strict=False)):
        table.add_row(str(index), f"{old:.4f}", f"{new:.4f}", f"{new - old:+.4f}")
    fit = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    fit.add_column("")
    fit.add_column("log loss", justify="right")
    fit.add_column("RMSE", justify="right")
    fit.add_row(f"old ({source})", f"{result.old_fit.log_loss:.4f}", f"{result.old_fit.rmse:.4f}")
    fit.add_row("new", f"{result.new_fit.log_loss:.4f}", f"{result.new_fit.rmse:.4f}")
    verdict = (
        "the new parameters predict your answers better (lower is better)"
        if result.improved
        else "the new parameters do not predict your answers better; keeping the old ones is fine"
    )
    header = Text(
        f"fitted to {plural(result.answers, 'answer')} on {plural(result.cards, 'card')}\n"
        f"{result.counted} of them train the optimizer (a day or more after the card's previous answer)"
    )
    return Group(header, table, fit, Text(verdict))


def register(app: typer.Typer) -> None:
    """Add `optimize` to the app."""
    app.command()(optimize)
