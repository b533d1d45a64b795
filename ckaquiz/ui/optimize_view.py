"""What `ckaquiz optimize` shows: fitted FSRS parameters against the old ones, or retentions compared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from ckaquiz.optimize import Optimization, RetentionAdvice


def retention_view(advice: RetentionAdvice) -> RenderableType:
    """Workload and memory at each simulated desired retention, the recommended one marked."""
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


def optimization_view(result: Optimization) -> RenderableType:
    """Old and new FSRS parameters side by side, with how well each predicts the learner's answers."""
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
