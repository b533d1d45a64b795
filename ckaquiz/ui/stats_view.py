"""Rich views of `ckaquiz.stats`: readable at 80 columns and without colour.

The heatmap and the forecast are drawn with block characters, so their shape shows in a
plain terminal or a log file too; colour only adds emphasis.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ckaquiz.stats import (
    Calendar,
    CardCounts,
    Forecast,
    Leech,
    Readiness,
    RetentionRow,
    Stats,
    Tally,
    Today,
    TopicProgress,
    WeakSpot,
)
from ckaquiz.ui.format import duration
from ckaquiz.ui.plurals import plural
from ckaquiz.ui.text import neutralise, one_line

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_LEVELS = ("·", "░", "▒", "▓", "█")
HEAT_STYLES = ("grey37", "green4", "green3", "green1", "bold bright_green")
BAR_EIGHTHS = " ▁▂▃▄▅▆▇█"
FORECAST_HEIGHT = 6
LEECHES_SHOWN = 10
TOPICS_SHOWN = 10
SPARK_ATTEMPTS = 20


def percent(value: float | None) -> str:
    """`92.3%`, or `-` when there is nothing to divide."""
    return "-" if value is None else f"{value * 100:.1f}%"


def _heading(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left", characters="─")


def _filters_line(stats: Stats) -> Text:
    parts = [f"deck {deck}" for deck in stats.filters.decks] + [f"tag {tag}" for tag in stats.filters.tags]
    scope = ", ".join(parts) if parts else "all cards"
    local = stats.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return Text(f"ckaquiz stats · {neutralise(scope)} · {local}", style="bold")


def today_view(today: Today) -> Text:
    """One line: cards studied, answers, time spent, again rate, still due."""
    text = Text()
    text.append(f"{plural(today.cards_studied, 'card')} studied", style="bold")
    text.append(f" ({plural(today.answers, 'answer')}) in {duration(today.seconds)}")
    text.append(" · again ")
    text.append(percent(today.again_rate), style="red" if today.again else "")
    text.append(" · ")
    text.append(f"{today.due} still due", style="yellow" if today.due else "green")
    return text


def _heat_level(count: int, highest: int) -> int:
    if count <= 0 or highest <= 0:
        return 0
    return min(4, max(1, -(-4 * count // highest)))


def heatmap_view(calendar: Calendar) -> Text:
    """A contribution-graph heatmap: one column per week (Monday first), one row per weekday."""
    first_monday = calendar.start - timedelta(days=calendar.start.weekday())
    weeks = (calendar.end - first_monday).days // 7 + 1
    highest = max(calendar.counts, default=0)
    text = Text()
    months = [" "] * weeks
    starts: list[tuple[int, str]] = []
    for column in range(weeks):
        shown = max(first_monday + timedelta(weeks=column), calendar.start)
        if not starts or MONTHS[shown.month - 1] != starts[-1][1]:
            starts.append((column, MONTHS[shown.month - 1]))
    for index, (column, label) in enumerate(starts):
        room = (starts[index + 1][0] if index + 1 < len(starts) else weeks) - column
        if room >= len(label) + 1 or (index + 1 == len(starts) and room >= len(label)):
            months[column : column + len(label)] = list(label)
    text.append("    " + "".join(months).rstrip() + "\n")
    for weekday in range(7):
        text.append(f"{WEEKDAYS[weekday]} ")
        for column in range(weeks):
            day = first_monday + timedelta(weeks=column, days=weekday)
            if day < calendar.start or day > calendar.end:
                text.append(" ")
                continue
            level = _heat_level(calendar.count_on(day), highest)
            text.append(HEAT_LEVELS[level], style=HEAT_STYLES[level])
        text.append("\n")
    text.append("    less ")
    for level, mark in enumerate(HEAT_LEVELS):
        text.append(mark, style=HEAT_STYLES[level])
    text.append(f" more · {plural(highest, 'answer')} on the busiest day\n")
    text.append(
        f"{plural(sum(calendar.counts), 'answer')} on {_days(calendar.days_studied)} · "
        f"streak: {_days(calendar.current_streak)} now, longest {_days(calendar.longest_streak)}"
    )
    return text


def _days(count: int) -> str:
    return plural(count, "day")


def forecast_view(forecast: Forecast) -> Text:
    """Vertical bars of cards due on each of the next 30 days, today on the left."""
    total = sum(forecast.counts)
    text = Text()
    overdue = f", {forecast.overdue} of them overdue" if forecast.overdue else ""
    days = len(forecast.counts)
    text.append(f"{plural(total, 'card')} due in the next {days} days ({forecast.counts[0]} today{overdue})")
    highest = max(forecast.counts, default=0)
    if highest == 0:
        return text
    text.append("\n")
    width = len(str(highest))
    eighths = [round(count * FORECAST_HEIGHT * 8 / highest) for count in forecast.counts]
    for row in range(FORECAST_HEIGHT, 0, -1):
        label = str(highest) if row == FORECAST_HEIGHT else ""
        text.append(f"{label:>{width}} │")
        floor = (row - 1) * 8
        for count, filled in zip(forecast.counts, eighths, strict=True):
            part = min(8, max(0, filled - floor))
            if count and row == 1 and part == 0:
                part = 1  # a day with any card shows at least a sliver
            text.append(BAR_EIGHTHS[part] * 2, style="cyan")
        text.append("\n")
    text.append(f"{0:>{width}} └" + "──" * len(forecast.counts) + "\n")
    axis = [" "] * (len(forecast.counts) * 2)
    for offset in range(0, len(forecast.counts), 7):
        label = "today" if offset == 0 else f"+{offset}d"
        position = offset * 2
        axis[position : position + len(label)] = list(label)
    text.append(" " * (width + 2) + "".join(axis).rstrip())
    return text


def _tally(tally: Tally) -> str:
    return f"{percent(tally.rate)} of {tally.answered}" if tally.answered else "-"


def retention_view(rows: Sequence[RetentionRow], average_recall: float | None, recalled_cards: int) -> Group:
    """True retention by period for young and mature answers, and the predicted recall now."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("last")
    for column in ("young", "mature", "all"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(row.period, _tally(row.young), _tally(row.mature), _tally(row.total))
    note = Text(
        "share of review answers that were not Again; mature: interval of 21 days or more\n"
        f"predicted recall now (FSRS): {percent(average_recall)} on average over {recalled_cards} studied cards"
    )
    return Group(table, note)


def cards_view(counts: CardCounts) -> Text:
    """Card counts by state."""
    return Text(
        f"{counts.total} cards: {counts.new} new · {counts.learning} learning · {counts.relearning} relearning · "
        f"{counts.young} young · {counts.mature} mature"
    )


def weak_spots_view(title: str, spots: Sequence[WeakSpot]) -> Text:
    """Weakest tags or decks: retention, lapses, and the command that reviews them."""
    text = Text(title, style="bold")
    if not spots:
        text.append(": none (each needs a few review answers and a miss)", style="dim")
        return text
    text.append(" (lowest retention over the last year, then most lapses)", style="dim")
    for spot in spots:
        text.append("\n  ")
        text.append(f"{one_line(spot.name, 30):<30}", style="bold")
        text.append(
            f" {percent(spot.answers.rate):>6} of {spot.answers.answered:>4} · {spot.lapses:>3} lapses"
            f" · {plural(spot.cards, 'card')}"
        )
        text.append("\n    ")
        text.append(neutralise(spot.command, single_line=True), style="cyan")
    return text


def leeches_view(leeches: Sequence[Leech], leech_lapses: int) -> Text:
    """The leeches, most lapses first."""
    text = Text(f"Leeches ({leech_lapses} or more lapses): ", style="bold")
    if not leeches:
        text.append("none", style="green")
        return text
    text.append(str(len(leeches)))
    for leech in leeches[:LEECHES_SHOWN]:
        text.append(f"\n  {leech.lapses:>3}  ")
        text.append(f"{one_line(leech.prompt, 46):<46}")
        text.append(f"  {one_line(leech.deck, 24)}", style="dim")
    if len(leeches) > LEECHES_SHOWN:
        text.append(f"\n  and {len(leeches) - LEECHES_SHOWN} more: ckaquiz stats --json lists them all", style="dim")
    return text


def readiness_view(readiness: Readiness | None) -> RenderableType:
    """Per CKA domain: weight, cards, mature share, mean recall; the weighted score and the weakest domain."""
    if readiness is None:
        return Text("no card is tagged with a CKA domain (cka/storage, cka/troubleshooting ...)", style="dim")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("domain")
    table.add_column("weight", justify="right")
    table.add_column("cards", justify="right")
    table.add_column("mature", justify="right")
    table.add_column("recall", justify="right")
    for item in readiness.domains:
        table.add_row(
            item.domain.tag,
            f"{item.domain.weight}%",
            str(item.cards),
            percent(item.mature_share) if item.cards else "-",
            percent(item.recall) if item.cards else "-",
        )
    weakest = readiness.weakest
    summary = Text()
    summary.append(f"readiness {percent(readiness.score)}", style="bold")
    summary.append(" (mean recall probability, new cards 0, weighted by exam share)\n")
    summary.append(f"weakest: {weakest.domain.name} ({weakest.domain.weight}% of the exam)\n  ")
    if weakest.cards:
        summary.append(f"ckaquiz review --tag {weakest.domain.tag}", style="cyan")
    else:
        summary.append(f"no cards yet: import a deck tagged {weakest.domain.tag}", style="yellow")
    return Group(table, summary)


def exams_view(stats: Stats) -> Text:
    """The last finished mock exams (date, score, pass or fail), their trend, and readiness with them."""
    from ckaquiz.exam_trend import READINESS_ATTEMPTS, combined_readiness

    trend = stats.exams
    if trend is None:
        return Text("no mock exam finished yet: ckaquiz exam", style="dim")
    text = Text()
    for item in trend.attempts:
        text.append(f"  {item.finished_at:%Y-%m-%d}  {item.percent:5.1f}%  ")
        text.append("pass" if item.passed else "fail", style="green" if item.passed else "red")
        text.append("\n")
    if trend.trend is not None:
        text.append(f"trend {trend.trend:+.1f} points over the last {len(trend.attempts)} attempts\n")
    combined = combined_readiness(None if stats.readiness is None else stats.readiness.score, trend)
    if combined is not None:
        text.append(f"readiness with exams {percent(combined)}", style="bold")
        text.append(f" (half cards, half the mean of the last {READINESS_ATTEMPTS} exam scores)")
    return text


def sparkline(scores: Sequence[float]) -> str:
    """Coverage 0..1 as block heights, one character per attempt."""
    return "".join(BAR_EIGHTHS[max(1, min(8, round(score * 8)))] for score in scores)


def recall_progress_view(topics: Sequence[TopicProgress], total: int | None = None) -> Text:
    """Blank-page recall coverage per topic across attempts (oldest left): the first TOPICS_SHOWN topics,
    then how many more there are of `total` (`len(topics)` unless given)."""
    text = Text("Blank-page recall: ", style="bold")
    if not topics:
        text.append("no topic recalled 3 times yet", style="dim")
        return text
    text.append("coverage per attempt, lowest latest first")
    for topic in topics[:TOPICS_SHOWN]:
        scores = [score for _, score in topic.attempts][-SPARK_ATTEMPTS:]
        text.append("\n  ")
        text.append(f"{sparkline(scores):<{SPARK_ATTEMPTS}}", style="magenta")
        text.append(f" {percent(topic.first)} → {percent(topic.last)}  ")
        text.append(one_line(topic.topic, 34))
    more = (len(topics) if total is None else total) - min(len(topics), TOPICS_SHOWN)
    if more > 0:
        text.append(f"\n  and {more} more topics", style="dim")
    return text


def own_recall_view(stats: Stats) -> Text:
    """The blank-page recall written in notes: sections, card attempts, points recalled and missed."""
    text = Text("Own recall in notes: ", style="bold")
    totals = stats.own_recall
    if totals is None or not totals.attempts:
        text.append("no recall section scored yet", style="dim")
        return text
    text.append(
        f"{plural(totals.sections, 'section')}, {plural(totals.attempts, 'card attempt')}: "
        f"{totals.points_recalled} points recalled, {totals.points_partial} partly, {totals.points_missed} missed"
    )
    if totals.last_day is not None:
        text.append(f" (last {totals.last_day.isoformat()})", style="dim")
    return text


def stats_view(stats: Stats) -> Group:
    """The whole `ckaquiz stats` screen."""
    return Group(
        _filters_line(stats),
        _heading("Today"),
        today_view(stats.today),
        _heading("Reviews in the last year"),
        heatmap_view(stats.calendar),
        _heading("Due forecast"),
        forecast_view(stats.forecast),
        _heading("True retention"),
        retention_view(stats.retention, stats.average_recall, stats.recalled_cards),
        _heading("Cards"),
        cards_view(stats.cards),
        weak_spots_view("Weakest tags", stats.weakest_tags),
        weak_spots_view("Weakest decks", stats.weakest_decks),
        leeches_view(stats.leeches, stats.leech_lapses),
        _heading("CKA readiness"),
        readiness_view(stats.readiness),
        _heading("Mock exams"),
        exams_view(stats),
        _heading("Progress"),
        recall_progress_view(stats.recall_progress, stats.recall_topics),
        own_recall_view(stats),
    )
