"""The stats views rendered at 80 columns without colour, compared as text."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from ckaquiz.collection import Collection
from ckaquiz.domains import CKA_DOMAINS
from ckaquiz.model import CardKind
from ckaquiz.stats import (
    Calendar,
    CardCounts,
    DomainReadiness,
    Forecast,
    Leech,
    Readiness,
    RetentionRow,
    Tally,
    Today,
    TopicProgress,
    WeakSpot,
    collect_stats,
)
from ckaquiz.store import record_attempt_in_transaction
from ckaquiz.ui.format import duration
from ckaquiz.ui.stats_view import (
    SPARK_ATTEMPTS,
    TOPICS_SHOWN,
    cards_view,
    forecast_view,
    heatmap_view,
    leeches_view,
    readiness_view,
    recall_progress_view,
    retention_view,
    sparkline,
    stats_view,
    today_view,
    weak_spots_view,
)
from tests.conftest import FrozenClock
from tests.stats_helpers import simulate, utc_timezone  # noqa: F401


def render(renderable: RenderableType) -> str:
    console = Console(file=StringIO(), width=80, color_system=None)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in output.splitlines())


def test_heatmap_weeks_are_columns_and_days_are_rows() -> None:
    counts = [0] * 365
    for index in range(300, 365):
        counts[index] = (index * 7) % 23 if index % 9 else 0
    calendar = Calendar(start=date(2024, 3, 20), counts=tuple(counts), current_streak=3, longest_streak=12)
    assert render(heatmap_view(calendar)) == "\n".join(
        [
            "      Apr  May Jun Jul  Aug Sep  Oct Nov Dec  Jan Feb Mar",
            "Mon  ············································▒▒▓▓██░░",
            "Tue  ··········································▒▒▓▓██·░▒▒",
            "Wed ···········································▓█··░▒▒▓▓█",
            "Thu ···········································█░░▒▒▓▓·█",
            "Fri ···········································░▒▒·██·░▒",
            "Sat ···········································▓▓██░░▒▒·",
            "Sun ···········································██░░·▒▓██",
            "    less ·░▒▓█ more · 22 answers on the busiest day",
            "653 answers on 56 days · streak: 3 days now, longest 12 days",
        ]
    )


def test_heatmap_of_an_empty_year() -> None:
    calendar = Calendar(start=date(2025, 1, 1), counts=(0,) * 365, current_streak=0, longest_streak=0)
    lines = render(heatmap_view(calendar)).splitlines()
    assert lines[1] == "Mon " + " " + "·" * 52  # 2025-01-01 is a Wednesday: Monday's first cell is before the year
    assert lines[-1] == "0 answers on 0 days · streak: 0 days now, longest 0 days"


def test_forecast_bars() -> None:
    counts = (12, 3, 0, 5, 8, 0, 1, 20, 0, 0, 4, 4, 4, 0, 0, 0, 9, 0, 2, 0, 0, 0, 0, 1, 0, 0, 6, 0, 0, 3)
    forecast = Forecast(start=date(2025, 3, 19), counts=counts, overdue=4)
    assert render(forecast_view(forecast)) == "\n".join(
        [
            "82 cards due in the next 30 days (12 today, 4 of them overdue)",
            "20 │              ██",
            "   │              ██",
            "   │▅▅            ██",
            "   │██      ▃▃    ██                ▆▆",
            "   │██    ▄▄██    ██    ▂▂▂▂▂▂      ██                  ▆▆",
            "   │██▇▇  ████  ▂▂██    ██████      ██  ▅▅        ▂▂    ██    ▇▇",
            " 0 └────────────────────────────────────────────────────────────",
            "    today         +7d           +14d          +21d          +28d",
        ]
    )


def test_forecast_with_nothing_due() -> None:
    assert render(forecast_view(Forecast(start=date(2025, 3, 19), counts=(0,) * 30, overdue=0))) == (
        "0 cards due in the next 30 days (0 today)"
    )


def test_one_card_due_reads_as_one_card() -> None:
    counts = (1,) + (0,) * 29
    first_line = render(forecast_view(Forecast(start=date(2025, 3, 19), counts=counts, overdue=0))).splitlines()[0]
    assert first_line == "1 card due in the next 30 days (1 today)"


def test_retention_table() -> None:
    rows = (
        RetentionRow("day", 1, Tally(3, 1), Tally(0, 0)),
        RetentionRow("week", 7, Tally(30, 4), Tally(12, 1)),
        RetentionRow("month", 30, Tally(120, 15), Tally(80, 9)),
        RetentionRow("year", 365, Tally(900, 120), Tally(400, 41)),
    )
    assert render(retention_view(rows, 0.8765, 240)) == "\n".join(
        [
            "last            young         mature             all",
            "────────────────────────────────────────────────────",
            "day        75.0% of 4              -      75.0% of 4",
            "week      88.2% of 34    92.3% of 13     89.4% of 47",
            "month    88.9% of 135    89.9% of 89    89.3% of 224",
            "year    88.2% of 1020   90.7% of 441   89.0% of 1461",
            "share of review answers that were not Again; mature: interval of 21 days or more",
            "predicted recall now (FSRS): 87.6% on average over 240 studied cards",
        ]
    )


def test_readiness_names_the_weakest_domain() -> None:
    readiness = Readiness(
        domains=tuple(
            DomainReadiness(domain, cards=cards, mature=mature, recall=recall)
            for domain, cards, mature, recall in zip(
                CKA_DOMAINS, [40, 30, 8, 12, 25], [10, 3, 4, 6, 5], [0.71, 0.55, 0.8, 0.9, 0.62], strict=True
            )
        )
    )
    assert render(readiness_view(readiness)) == "\n".join(
        [
            "domain                     weight   cards   mature   recall",
            "───────────────────────────────────────────────────────────",
            "cka/cluster-architecture      25%      40    25.0%    71.0%",
            "cka/workloads-scheduling      15%      30    10.0%    55.0%",
            "cka/services-networking       20%       8    50.0%    80.0%",
            "cka/storage                   10%      12    50.0%    90.0%",
            "cka/troubleshooting           30%      25    20.0%    62.0%",
            "readiness 69.6% (mean recall probability, new cards 0, weighted by exam share)",
            "weakest: Workloads & Scheduling (15% of the exam)",
            "  ckaquiz review --tag cka/workloads-scheduling",
        ]
    )


def test_readiness_with_an_empty_domain_says_what_to_import() -> None:
    readiness = Readiness(
        domains=tuple(
            DomainReadiness(domain, cards=0 if index == 2 else 5, mature=1, recall=0.0 if index == 2 else 0.5)
            for index, domain in enumerate(CKA_DOMAINS)
        )
    )
    assert render(readiness_view(readiness)).splitlines()[-2:] == [
        "weakest: Services & Networking (20% of the exam)",
        "  no cards yet: import a deck tagged cka/services-networking",
    ]
    assert render(readiness_view(None)) == "no card is tagged with a CKA domain (cka/storage, cka/troubleshooting ...)"


def test_small_sections() -> None:
    assert render(today_view(Today(date(2025, 3, 19), 12, 15, 245.4, 2, 20))) == (
        "12 cards studied (15 answers) in 4m 05s · again 13.3% · 20 still due"
    )
    assert render(cards_view(CardCounts(new=5, learning=1, relearning=2, young=10, mature=30))) == (
        "48 cards: 5 new · 1 learning · 2 relearning · 10 young · 30 mature"
    )
    spot = WeakSpot("tag", "cka/storage", 12, Tally(10, 6), 7, "ckaquiz review --tag cka/storage")
    assert render(weak_spots_view("Weakest tags", (spot,))) == "\n".join(
        [
            "Weakest tags (lowest retention over the last year, then most lapses)",
            "  cka/storage                     62.5% of   16 ·   7 lapses · 12 cards",
            "    ckaquiz review --tag cka/storage",
        ]
    )
    assert render(weak_spots_view("Weakest decks", ())) == (
        "Weakest decks: none (each needs a few review answers and a miss)"
    )
    assert render(leeches_view((Leech("storage:leech", "storage", "The leech", 9, "s.yaml:3"),), 8)) == "\n".join(
        ["Leeches (8 or more lapses): 1", "    9  The leech                                       storage"]
    )
    topic = TopicProgress(
        "storage:pv",
        "PersistentVolumes",
        "storage",
        (
            (datetime(2025, 1, 1, tzinfo=UTC), 0.3),
            (datetime(2025, 1, 5, tzinfo=UTC), 0.55),
            (datetime(2025, 1, 15, tzinfo=UTC), 0.9),
        ),
    )
    assert render(recall_progress_view((topic,))) == "\n".join(
        [
            "Blank-page recall: coverage per attempt, lowest latest first",
            "  ▂▄▇                  30.0% → 90.0%  PersistentVolumes",
        ]
    )


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (45.4, "45s"), (245, "4m 05s"), (3725, "1h 02m")])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_sparkline_is_absolute() -> None:
    assert sparkline([0.0, 0.5, 1.0]) == "▁▄█"


@pytest.mark.usefixtures("utc_timezone")
def test_the_whole_screen_fits_80_columns(collection: Collection, clock: FrozenClock, tmp_path: Path) -> None:
    simulate(collection, clock, tmp_path)
    text = render(stats_view(collect_stats(collection)))
    assert max(len(line) for line in text.splitlines()) <= 80
    for heading in ("Today", "Reviews in the last year", "Due forecast", "True retention", "Cards", "CKA readiness"):
        assert any(line.startswith(f"{heading} ─") for line in text.splitlines()), heading
    assert "ckaquiz review --tag 'hard stuff'" in text
    # as many leeches as the log holds cards with 8 lapses or more (the simulated leech always lapses)
    with sqlite3.connect(collection.home / "ckaquiz.db") as database:
        leeches = database.execute("SELECT count(*) FROM cards WHERE lapses >= 8").fetchone()[0]
    assert leeches >= 1
    assert f"Leeches (8 or more lapses): {leeches}" in text
    assert "  134  The leech" in text


def test_a_shortened_topic_list_says_how_many_more_there_are() -> None:
    moments = [datetime(2025, 1, day, tzinfo=UTC) for day in (20, 21)]
    shortened = TopicProgress(
        "storage:pv", "PersistentVolumes", "storage", ((moments[0], 0.55), (moments[1], 0.9)), 3, 0.3
    )
    assert (shortened.first, shortened.last) == (0.3, 0.9)
    assert render(recall_progress_view((shortened,), 15)) == "\n".join(
        [
            "Blank-page recall: coverage per attempt, lowest latest first",
            "  ▄▇                   30.0% → 90.0%  PersistentVolumes",
            "  and 14 more topics",
        ]
    )
    with pytest.raises(ValueError, match="left out"):
        shortened.to_dict()


RECALL_DECK_TOPICS = 13


@pytest.mark.usefixtures("utc_timezone")
def test_the_screen_from_shortened_stats_is_the_screen_from_all_of_them(
    collection: Collection, clock: FrozenClock, tmp_path: Path
) -> None:
    """What `ckaquiz stats` reads (TOPICS_SHOWN topics, their last SPARK_ATTEMPTS attempts) draws the very
    screen every topic and every attempt would draw."""
    simulate(collection, clock, tmp_path, days=40)
    lines = ["deck: topics", "tags: [cka]", "cards:"]
    for index in range(RECALL_DECK_TOPICS):
        lines += [f"  - kind: recall\n    id: t{index}\n    topic: Topic {index % 5}\n    notes: '- point {index}'"]
    deck = tmp_path / "topics.yaml"
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    collection.import_path(deck)
    store = collection.store
    with store.transaction() as connection:
        for index in range(RECALL_DECK_TOPICS):
            for attempt in range(SPARK_ATTEMPTS + index):
                record_attempt_in_transaction(store,
                    connection,
                    review_id=None,
                    card_id=f"topics:t{index}",
                    kind=CardKind.RECALL,
                    response="what I remember",
                    duration_ms=1000,
                    result={},
                    score=round((index * 7 + attempt * 3) % 10 / 10, 1),
                    suggested=None,
                    final=None,
                    now=clock.moment - timedelta(hours=attempt),
                )
    full = collect_stats(collection)
    shortened = collect_stats(collection, shown_topics=TOPICS_SHOWN, shown_attempts=SPARK_ATTEMPTS)
    assert len(full.recall_progress) > TOPICS_SHOWN and len(shortened.recall_progress) == TOPICS_SHOWN
    assert any(topic.left_out for topic in shortened.recall_progress)
    assert render(stats_view(shortened)) == render(stats_view(full))
    assert f"and {len(full.recall_progress) - TOPICS_SHOWN} more topics" in render(stats_view(shortened))
