"""Rich renderables for cards, answers, grades and summaries. Deck text is never markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ckaquiz.model import Card, CardKind, Rating, full_answer
from ckaquiz.session import QueueCounts, QueueItem, Summary
from ckaquiz.ui.format import format_clock, format_due, format_interval
from ckaquiz.ui.session_summary import outlook_rows
from ckaquiz.ui.text import display_markdown, neutralise

GRADE_STYLES = {
    Rating.AGAIN: "red",
    Rating.HARD: "yellow",
    Rating.GOOD: "green",
    Rating.EASY: "cyan",
}


def markdown(text: str) -> Markdown:
    """Deck Markdown, rendered with highlighted code and without Rich markup."""
    return Markdown(display_markdown(text), code_theme="monokai", hyperlinks=False)


def card_panel(item: QueueItem, elapsed_seconds: float = 0.0, *, leech: bool = False) -> Panel:
    """The question side: the prompt and the tags, in a panel titled with deck, kind and progress.

    `elapsed_seconds` is accepted for callers that pass the session time; it is not shown.
    """
    card = item.card
    body: list[RenderableType] = []
    if leech:
        body.append(
            Text(
                f"leech: forgotten {item.stored.schedule.lapses} times - consider rewriting this card", style="bold red"
            )
        )
    label = {CardKind.RECALL: "Blank-page recall: write everything you remember about"}.get(card.kind)
    if label:
        body.append(Text(label, style="dim"))
    body.append(markdown(card.prompt))
    if card.kind is CardKind.CHOICE:
        for number, option in enumerate(item.options, start=1):
            body.append(Text(f"{number}. {neutralise(option)}"))
    if card.tags:  # a line of their own, wrapped, so that a long tag is never cut by the border
        body.append(Text(" ".join(f"#{neutralise(tag)}" for tag in card.tags[:6]), style="dim"))
    title = Text(f" {neutralise(card.deck)} · {card.kind.value} ", style="bold")
    # No clock here: the editor's bottom bar has the one that runs.
    subtitle = Text(f" card {item.position} of {item.total} ", style="dim")
    return Panel(Group(*body), title=title, subtitle=subtitle, border_style="blue")


def queue_counts(counts: QueueCounts) -> Text:
    """`new 12 · learning 3 · review 40`: what is still to come, coloured as Anki colours it."""
    text = Text()
    for index, (label, number, style) in enumerate(
        (("new", counts.new, "blue"), ("learning", counts.learning, "red"), ("review", counts.review, "green"))
    ):
        if index:
            text.append(" · ", style="dim")
        text.append(f"{label} ")
        text.append(str(number), style=f"bold {style}")
    return text


SIDE_BY_SIDE_WIDTH = 100  # narrower terminals show the two panels one above the other


class SideBySide:
    """Two panels in two equal columns, or stacked when the terminal is narrow.

    The columns fold their text: with a table column's default overflow ("ellipsis"), lines of
    double-width (Korean) characters that fit were cut, a character replaced by "…".
    """

    def __init__(self, left: RenderableType, right: RenderableType) -> None:
        self.left, self.right = left, right

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < SIDE_BY_SIDE_WIDTH:
            yield self.left
            yield self.right
            return
        table = Table.grid(expand=True, padding=(0, 1))
        table.add_column(ratio=1, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        table.add_row(self.left, self.right)
        yield table


def answer_panel(
    card: Card,
    response: str | None = None,
    extra_lines: Sequence[str] = (),
    *,
    verdict: dict[str, object] | None = None,
) -> RenderableType:
    """The answer side: the learner's text (if any) beside the notes, then references.

    With a recall `verdict`, the notes are shown as its points, each marked recalled, partly or
    missed: one list, not the notes and then the same points again.
    """
    answer_text = full_answer(card)
    if card.kind is CardKind.MANIFEST:
        answer_text = f"```yaml\n{card.answer}\n```"
    elif card.kind is CardKind.COMMAND:
        answer_text = f"```sh\n{card.answer}\n```"
    if verdict is not None and card.kind is CardKind.RECALL and isinstance(verdict.get("points"), list):
        notes: RenderableType = verdict_panel(verdict)
    else:
        notes = Panel(markdown(answer_text), title="answer", border_style="green")
    parts: list[RenderableType] = []
    if response and response.strip() and card.kind in (CardKind.RECALL, CardKind.MANIFEST):
        parts.append(SideBySide(Panel(Text(neutralise(response)), title="you wrote", border_style="magenta"), notes))
    else:
        if response and response.strip():
            parts.append(Text.assemble(("you answered: ", "dim"), neutralise(response)))
        parts.append(notes)
    for line in extra_lines:
        parts.append(Text(neutralise(line)))
    if card.explanation:
        parts.append(Text.assemble(("why: ", "bold"), neutralise(card.explanation)))
    if card.reference:
        parts.append(Text.assemble(("docs: ", "dim"), neutralise(card.reference)))
    return Group(*parts)


def grade_labels(intervals: dict[Rating, timedelta]) -> dict[Rating, str]:
    """`Again 1m`, `Hard 6m` ... for each grade."""
    return {rating: f"{rating.label.capitalize()} {format_interval(intervals[rating])}" for rating in Rating}


def grade_line(intervals: dict[Rating, timedelta]) -> Text:
    """`1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 8d`, coloured."""
    text = Text()
    for rating, label in grade_labels(intervals).items():
        if rating is not Rating.AGAIN:
            text.append(" · ", style="dim")
        text.append(f"{rating.value} {label}", style=GRADE_STYLES[rating])
    return text


def summary_panel(summary: Summary) -> Panel:
    """What the session did, and when the next card is due."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("reviewed", str(summary.reviewed))
    table.add_row("grades", "  ".join(f"{rating.label} {summary.counts[rating]}" for rating in Rating))
    table.add_row("new cards learned", str(summary.new_learned))
    table.add_row("time", format_clock(summary.seconds))
    if summary.outlook is None:
        table.add_row("next due", format_due(summary.next_due))
    else:
        for label, value in outlook_rows(summary.outlook):
            table.add_row(label, value)
    return Panel(table, title="session summary", border_style="green")


STATUS_STYLES = {"recalled": ("✔", "green"), "partial": ("~", "yellow"), "missed": ("✘", "red")}


def coverage_bar(coverage: float, width: int = 30) -> Text:
    """`coverage ██████░░░░ 62%`, readable without colour."""
    filled = round(max(0.0, min(1.0, coverage)) * width)
    style = "green" if coverage >= 0.7 else "yellow" if coverage >= 0.4 else "red"
    return Text.assemble(
        ("coverage ", "bold"), ("█" * filled, style), ("░" * (width - filled), "dim"), f" {coverage:.0%}"
    )


def verdict_panel(result: dict[str, object]) -> Panel:
    """The notes' key points, each marked recalled, partly or missed."""
    points = result.get("points", [])
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(overflow="fold")
    if isinstance(points, list):
        for point in points:
            if not isinstance(point, dict):
                continue
            symbol, style = STATUS_STYLES.get(str(point.get("status")), ("?", ""))
            table.add_row(Text(symbol, style=style), Text(display_markdown(str(point.get("text", ""))), style=style))
    return Panel(table, title="your recall against the notes", border_style="cyan")


def recall_result(result: dict[str, object], *, points_shown: bool = False) -> RenderableType:
    """The marked key points (unless `points_shown` already), the coverage bar, and what was not in the notes."""
    parts: list[RenderableType] = [] if points_shown else [verdict_panel(result)]
    coverage = result.get("coverage", 0.0)
    parts.append(coverage_bar(float(coverage) if isinstance(coverage, int | float) else 0.0))
    unmatched = result.get("unmatched", [])
    if isinstance(unmatched, list) and unmatched:
        parts.append(Text("not in your notes (extra knowledge, or a misconception?):", style="bold magenta"))
        parts.extend(Text(f"  ? {neutralise(str(sentence))}", style="magenta") for sentence in unmatched)
    misconceptions = result.get("misconceptions", [])
    if isinstance(misconceptions, list):
        parts.extend(_misconception_line(hit) for hit in misconceptions if isinstance(hit, dict))
    return Group(*parts)


def _misconception_line(hit: dict[str, object]) -> Text:
    """`✘ misconception: what the answer said → the correction (reference)`."""
    said, correction, reference = (neutralise(str(hit.get(key, ""))) for key in ("said", "correction", "reference"))
    return Text(f"✘ misconception: {said} → {correction} ({reference})", style="bold red")


def assessment_view(
    kind: CardKind, result: dict[str, object], lines: Sequence[str], *, points_shown: bool = False
) -> RenderableType:
    """How a typed answer was judged: recall coverage, or the grader's differences."""
    if kind is CardKind.RECALL and "points" in result:
        return recall_result(result, points_shown=points_shown)
    return Group(*(Text(neutralise(line), style="green" if line == "correct" else "") for line in lines))
