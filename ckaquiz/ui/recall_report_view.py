"""The recall report as a Rich table: per topic card, the key points recalled and missed."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ckaquiz.recall_report import RecallReport


def recall_report_view(report: RecallReport) -> Table | Text:
    """One row per topic card of the day; a line saying so when there is nothing to show."""
    if not report.cards:
        return Text(f"no topic cards noted on {report.day.isoformat()}")
    title = f"own recall of {report.day.isoformat()}: {len(report.sections)} recall section(s)"
    table = Table(title=title, show_lines=True)
    table.add_column("card")
    table.add_column("coverage", justify="right")
    table.add_column("recalled", style="green")
    table.add_column("missed", style="red")
    for card in report.cards:
        table.add_row(
            Text(card.prompt),
            f"{card.coverage:.2f}",
            Text("\n".join(f"- {point}" for point in card.recalled)),
            Text("\n".join(f"- {point}" for point in card.missed)),
        )
    return table
