"""Stats over five simulated months of real sessions, checked against the raw tables by hand.

Every expected number is computed here from the `reviews`, `cards` and `attempts` tables with
plain SQL and Python, never copied from `collect_stats`.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import fmean

import pytest

from ckaquiz.clock import study_day
from ckaquiz.collection import Collection
from ckaquiz.config import Settings
from ckaquiz.domains import CKA_DOMAINS
from ckaquiz.errors import ConfigError
from ckaquiz.filters import Filters
from ckaquiz.model import CardState, Schedule
from ckaquiz.stats import (
    Stats,
    collect_stats,
    is_leech,
    leech_lapses,
    streaks,
)
from tests.conftest import FrozenClock
from tests.stats_helpers import DAYS, SKIPPED_DAYS, START, simulate, utc_timezone  # noqa: F401

pytestmark = pytest.mark.usefixtures("utc_timezone")

DEFAULT_DECAY = 0.1542


@pytest.fixture
def simulated(collection: Collection, clock: FrozenClock, tmp_path: Path) -> Collection:
    simulate(collection, clock, tmp_path)
    return collection


@pytest.fixture
def database(simulated: Collection) -> sqlite3.Connection:
    connection = sqlite3.connect(simulated.home / "ckaquiz.db")
    connection.row_factory = sqlite3.Row
    return connection


@pytest.fixture
def stats(simulated: Collection) -> Stats:
    return collect_stats(simulated)


def hand_day(text: str) -> date:
    """The study day of a stored UTC time: days start at 04:00, and local time is UTC here."""
    return (datetime.fromisoformat(text) - timedelta(hours=4)).date()


def live_reviews(database: sqlite3.Connection) -> list[sqlite3.Row]:
    return database.execute("SELECT * FROM reviews WHERE undone_at IS NULL ORDER BY id").fetchall()


def test_the_simulation_left_a_real_log(database: sqlite3.Connection) -> None:
    undone = database.execute("SELECT count(*) FROM reviews WHERE undone_at IS NOT NULL").fetchone()[0]
    assert undone == 1
    studied_days = {hand_day(row["reviewed_at"]) for row in live_reviews(database)}
    assert len(studied_days) == DAYS - len(SKIPPED_DAYS)


def test_today(stats: Stats, database: sqlite3.Connection, simulated: Collection) -> None:
    today = (START + timedelta(days=DAYS - 1)).date()
    rows = [row for row in live_reviews(database) if hand_day(row["reviewed_at"]) == today]
    assert rows, "the last day was studied"
    assert stats.today.day == today
    assert stats.today.answers == len(rows)
    assert stats.today.cards_studied == len({row["card_id"] for row in rows})
    assert stats.today.seconds == sum(row["duration_ms"] for row in rows) / 1000
    assert stats.today.again == sum(1 for row in rows if row["rating"] == 1)
    now = simulated.now().isoformat(timespec="microseconds")
    day_end = datetime(today.year, today.month, today.day, 4, tzinfo=UTC) + timedelta(days=1)
    still_due = database.execute(
        "SELECT count(*) FROM cards WHERE active = 1 AND ("
        " (state IN ('learning', 'relearning') AND due <= ?) OR (state = 'review' AND due < ?))",
        (now, day_end.isoformat(timespec="microseconds")),
    ).fetchone()[0]
    assert stats.today.due == still_due


def test_calendar_and_streaks(stats: Stats, database: sqlite3.Connection) -> None:
    per_day = Counter(hand_day(row["reviewed_at"]) for row in live_reviews(database))
    today = (START + timedelta(days=DAYS - 1)).date()
    assert stats.calendar.end == today
    assert len(stats.calendar.counts) == 365
    for offset, count in enumerate(stats.calendar.counts):
        assert count == per_day.get(stats.calendar.start + timedelta(days=offset), 0)
    # by hand: the simulation studied every day except SKIPPED_DAYS
    studied = [day for day in range(DAYS) if day not in SKIPPED_DAYS]
    runs, run = [], 0
    for day in range(DAYS):
        run = run + 1 if day in studied else 0
        runs.append(run)
    assert stats.calendar.longest_streak == max(runs) == 31  # days 68..98
    assert stats.calendar.current_streak == runs[-1] == DAYS - 1 - 120
    assert stats.calendar.days_studied == len(studied)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        ([], date(2025, 3, 10), (0, 0)),
        ([date(2025, 3, 10)], date(2025, 3, 10), (1, 1)),
        ([date(2025, 3, 8), date(2025, 3, 9)], date(2025, 3, 10), (2, 2)),  # not yet studied today
        ([date(2025, 3, 7), date(2025, 3, 9), date(2025, 3, 10)], date(2025, 3, 11), (2, 2)),
        ([date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3), date(2025, 3, 9)], date(2025, 3, 11), (0, 3)),
    ],
)
def test_streaks(days: list[date], today: date, expected: tuple[int, int]) -> None:
    assert streaks(days, today=today) == expected


def test_forecast(stats: Stats, database: sqlite3.Connection) -> None:
    today = (START + timedelta(days=DAYS - 1)).date()
    expected = [0] * 30
    overdue = 0
    for row in database.execute("SELECT due FROM cards WHERE active = 1 AND state != 'new'"):
        offset = (hand_day(row["due"]) - today).days
        if offset < 0:
            overdue += 1
        if max(offset, 0) < 30:
            expected[max(offset, 0)] += 1
    assert list(stats.forecast.counts) == expected
    assert stats.forecast.overdue == overdue
    assert sum(expected) > 0


def test_true_retention(stats: Stats, database: sqlite3.Connection) -> None:
    today = (START + timedelta(days=DAYS - 1)).date()
    rows = database.execute(
        "SELECT reviewed_at, rating, julianday(due_before) - julianday(last_review_before) AS interval"
        " FROM reviews WHERE undone_at IS NULL AND state_before = 'review'"
    ).fetchall()
    assert any(row["interval"] >= 21 for row in rows), "the simulation reaches mature intervals"
    for row_stats, days in zip(stats.retention, (1, 7, 30, 365), strict=True):
        window = [row for row in rows if (today - hand_day(row["reviewed_at"])).days < days]
        young = [row for row in window if row["interval"] < 21]
        mature = [row for row in window if row["interval"] >= 21]
        assert row_stats.days == days
        assert (row_stats.young.passed, row_stats.young.failed) == (
            sum(1 for row in young if row["rating"] > 1),
            sum(1 for row in young if row["rating"] == 1),
        )
        assert (row_stats.mature.passed, row_stats.mature.failed) == (
            sum(1 for row in mature if row["rating"] > 1),
            sum(1 for row in mature if row["rating"] == 1),
        )
    year = stats.retention[-1].total
    assert year.rate == pytest.approx(sum(1 for row in rows if row["rating"] > 1) / len(rows))


def hand_recall(row: sqlite3.Row, now: datetime) -> float:
    """FSRS-6 retrievability by its formula: (1 + factor * elapsed days / stability) ** -decay."""
    decay = -DEFAULT_DECAY
    factor = 0.9 ** (1 / decay) - 1
    elapsed = max(0, (now - datetime.fromisoformat(row["last_review"])).days)
    return float((1 + factor * elapsed / row["stability"]) ** decay)


def test_average_recall_and_card_counts(stats: Stats, database: sqlite3.Connection, simulated: Collection) -> None:
    now = simulated.now()
    rows = database.execute("SELECT * FROM cards WHERE active = 1").fetchall()
    studied = [row for row in rows if row["state"] != "new"]
    assert stats.recalled_cards == len(studied)
    assert stats.average_recall == pytest.approx(fmean(hand_recall(row, now) for row in studied))
    intervals = {
        row["id"]: (datetime.fromisoformat(row["due"]) - datetime.fromisoformat(row["last_review"])).days
        for row in studied
    }
    states = Counter(row["state"] for row in rows)
    mature = sum(1 for row in rows if row["state"] == "review" and intervals[row["id"]] >= 21)
    assert stats.cards.to_dict() == {
        "new": states["new"],
        "learning": states["learning"],
        "relearning": states["relearning"],
        "young": states["review"] - mature,
        "mature": mature,
        "total": len(rows),
        "leeches": sum(1 for row in rows if row["lapses"] >= 8),
    }


def test_leeches(stats: Stats, database: sqlite3.Connection) -> None:
    expected = database.execute("SELECT id, lapses FROM cards WHERE lapses >= 8 ORDER BY lapses DESC, id").fetchall()
    assert [(leech.card_id, leech.lapses) for leech in stats.leeches] == [tuple(row) for row in expected]
    assert "storage:leech" in {leech.card_id for leech in stats.leeches}
    assert stats.leech_lapses == 8


@pytest.mark.parametrize(
    ("extra", "lapses", "expected"),
    [({}, 7, False), ({}, 8, True), ({"leech_lapses": 3}, 3, True), ({"leech_lapses": 3}, 2, False)],
)
def test_is_leech(extra: dict[str, int], lapses: int, expected: bool) -> None:
    schedule = Schedule(state=CardState.REVIEW, lapses=lapses)
    assert is_leech(schedule, Settings(extra=extra)) is expected


@pytest.mark.parametrize("value", [0, -1, "8", True, 2.5])
def test_leech_lapses_must_be_a_whole_number(value: object) -> None:
    with pytest.raises(ConfigError, match="leech_lapses"):
        leech_lapses(Settings(extra={"leech_lapses": value}))


def test_weakest_tags_and_decks(stats: Stats, database: sqlite3.Connection) -> None:
    today = (START + timedelta(days=DAYS - 1)).date()
    tags_of = {row["id"]: json.loads(row["tags"]) for row in database.execute("SELECT id, tags FROM cards")}
    deck_of = dict(database.execute("SELECT id, deck FROM cards").fetchall())
    lapses = dict(database.execute("SELECT id, lapses FROM cards").fetchall())
    by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_deck: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in live_reviews(database):
        if row["state_before"] != "review" or (today - hand_day(row["reviewed_at"])).days >= 365:
            continue
        failed = 1 if row["rating"] == 1 else 0
        for tag in tags_of[row["card_id"]]:
            by_tag[tag][failed] += 1
        by_deck[deck_of[row["card_id"]]][failed] += 1

    def expected(groups: dict[str, list[int]], members: dict[str, list[str]]) -> list[tuple[str, float, int]]:
        rows = []
        for name, (passed, failed) in groups.items():
            lapsed = sum(lapses[card_id] for card_id in members[name])
            if passed + failed >= 5 and (failed or lapsed):
                rows.append((name, passed / (passed + failed), lapsed))
        rows.sort(key=lambda row: (row[1], -row[2], row[0]))
        return rows[:5]

    tag_members: dict[str, list[str]] = defaultdict(list)
    deck_members: dict[str, list[str]] = defaultdict(list)
    for card_id, tags in tags_of.items():
        for tag in tags:
            tag_members[tag].append(card_id)
        deck_members[deck_of[card_id]].append(card_id)
    got_tags = [(spot.name, spot.answers.rate, spot.lapses) for spot in stats.weakest_tags]
    got_decks = [(spot.name, spot.answers.rate, spot.lapses) for spot in stats.weakest_decks]
    assert got_tags == expected(by_tag, tag_members)
    assert got_decks == expected(by_deck, deck_members)
    assert got_tags[0][0] == "hard stuff"  # the leech's own tag is the weakest
    assert stats.weakest_tags[0].command == "ckaquiz review --tag 'hard stuff'"
    assert {spot.command for spot in stats.weakest_decks} >= {"ckaquiz review --deck storage"}


def test_readiness(stats: Stats, database: sqlite3.Connection, simulated: Collection) -> None:
    now = simulated.now()
    rows = database.execute("SELECT * FROM cards WHERE active = 1").fetchall()
    assert stats.readiness is not None
    weights = {domain.tag: domain.weight for domain in CKA_DOMAINS}
    scores = {}
    for domain in stats.readiness.domains:
        members = [row for row in rows if domain.domain.tag in json.loads(row["tags"])]
        recall = [hand_recall(row, now) if row["state"] != "new" else 0.0 for row in members]
        mature = [
            row
            for row in members
            if row["state"] == "review"
            and (datetime.fromisoformat(row["due"]) - datetime.fromisoformat(row["last_review"])).days >= 21
        ]
        assert domain.cards == len(members)
        assert domain.mature == len(mature)
        assert domain.recall == pytest.approx(fmean(recall) if recall else 0.0)
        scores[domain.domain.tag] = fmean(recall) if recall else 0.0
    assert {domain.domain.tag: domain.cards for domain in stats.readiness.domains} == {
        "cka/cluster-architecture": 0,
        "cka/workloads-scheduling": 0,
        "cka/services-networking": 0,
        "cka/storage": 10,
        "cka/troubleshooting": 4,
    }
    overall = sum(weights[tag] * score for tag, score in scores.items()) / 100
    assert stats.readiness.score == pytest.approx(overall)
    assert stats.readiness.weakest.domain.tag == "cka/cluster-architecture"  # no cards: 0, the heaviest of those


def test_readiness_is_none_without_cka_cards(simulated: Collection) -> None:
    assert collect_stats(simulated, Filters(decks=("aws",))).readiness is None


def test_recall_progress(stats: Stats, database: sqlite3.Connection) -> None:
    rows = database.execute(
        "SELECT a.card_id, a.score, a.created_at FROM attempts a JOIN reviews r ON r.id = a.review_id"
        " WHERE a.kind = 'recall' AND r.undone_at IS NULL ORDER BY a.created_at, a.id"
    ).fetchall()
    by_card: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        by_card[row["card_id"]].append(row["score"])
    assert {topic.card_id for topic in stats.recall_progress} == {"storage:pv", "trouble:kubelet"}
    for topic in stats.recall_progress:
        scores = by_card[topic.card_id]
        assert [score for _, score in topic.attempts] == scores
        assert (topic.first, topic.last) == (scores[0], scores[-1])
        assert topic.average == pytest.approx(fmean(scores))
        assert topic.last > topic.first
    topics = {topic.card_id: topic.topic for topic in stats.recall_progress}
    assert topics == {"storage:pv": "PersistentVolumes", "trouble:kubelet": "A kubelet that does not start"}


def test_filters_narrow_everything(simulated: Collection, database: sqlite3.Connection) -> None:
    narrowed = collect_stats(simulated, Filters(tags=("cka/troubleshooting",)))
    ids = {row[0] for row in database.execute("SELECT id FROM cards WHERE deck = 'trouble'")}
    rows = [row for row in live_reviews(database) if row["card_id"] in ids]
    assert sum(narrowed.calendar.counts) == len(rows)
    assert narrowed.cards.total == len(ids)
    assert [spot.name for spot in narrowed.weakest_decks] in (["trouble"], [])


def test_json_view_is_plain_data(stats: Stats) -> None:
    document = stats.to_dict()
    assert json.loads(json.dumps(document)) == document
    assert set(document) == {
        "generated_at",
        "filters",
        "today",
        "calendar",
        "forecast",
        "retention",
        "cards",
        "weakest",
        "leeches",
        "readiness",
        "exams",
        "exam_readiness",
        "own_recall",
        "recall_progress",
    }
    assert math.isclose(document["readiness"]["score"], round(stats.readiness.score, 4))  # type: ignore[union-attr]
    assert study_day(START, day_starts_at=4) == date(2025, 1, 6)
