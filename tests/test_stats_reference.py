"""`collect_stats` (summaries, SQL, card groups) against the slow reference path, number for number.

The reference is built from whole cards and the whole review log with the functions of
`ckaquiz.stats` that take model objects (`today_summary`, `review_calendar`, `true_retention`,
`card_counts`, `due_forecast`, `weakest`, `leeches`, `readiness`, `recall_progress`) and FSRS's own
`get_card_retrievability`. The two must agree exactly (floats included), unfiltered (read from the
summaries) and filtered (counted over the log), in time zones whose study days start inside a UTC
hour, and at the edges: intervals of 21 days give or take a microsecond, cards due exactly now or
when the day ends, last reviews a whole number of days ago give or take a microsecond.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import fmean

import pytest

from ckaquiz.clock import study_day, study_day_start
from ckaquiz.collection import Collection
from ckaquiz.config import Settings
from ckaquiz.filters import Filters
from ckaquiz.model import CardKind, CardState, Rating, Review, Schedule
from ckaquiz.scheduling import forgetting_curve, make_scheduler, retrievabilities, retrievability
from ckaquiz.stats import (
    Stats,
    collect_stats,
    leech_lapses,
    leeches,
)
from ckaquiz.store import (
    ScoredAttempt,
    cards_studied_on,
    record_review_in_transaction,
    review_days_between,
    review_hours,
    scored_attempt_rows,
    set_schedule_in_transaction,
    stats_scope,
    undo_review,
)
from tests.conftest import FrozenClock
from tests.reference_stats import (
    card_counts,
    due_forecast,
    own_recall,
    readiness,
    recall_progress,
    review_calendar,
    today_summary,
    true_retention,
    weakest,
)
from tests.stats_helpers import DAYS, START, simulate, utc_timezone  # noqa: F401
from tests.summary_helpers import add_attempt, assert_summaries_hold

ZONES = ["UTC", "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe"]
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = request.param
    if name != "UTC" and not Path("/usr/share/zoneinfo", name).exists():
        pytest.skip(f"no time zone data for {name}")
    monkeypatch.setenv("TZ", name)
    time.tzset()
    yield name
    monkeypatch.undo()
    time.tzset()


def reference_stats(collection: Collection, filters: Filters = Filters()) -> Stats:
    """Every figure of `ckaquiz stats` from whole cards and every review and attempt, the slow way."""
    store = collection.store
    settings = collection.settings
    hour = settings.day_starts_at
    now = collection.now()
    today = study_day(now, day_starts_at=hour)
    matching = [stored for stored in store.cards(include_retired=True) if filters.matches(stored.card)]
    active = [stored for stored in matching if stored.active]
    ids = {stored.card.id for stored in matching}
    reviews = [review for review in store.reviews() if review.card_id in ids]
    schedules = [stored.schedule for stored in active]
    recall = retrievabilities(collection.scheduler, ((stored.number, stored.schedule) for stored in active), now)
    attempts = [
        ScoredAttempt(card_id, datetime.fromisoformat(created_at), score)
        for card_id, created_at, score in scored_attempt_rows(store, CardKind.RECALL)
    ]
    calendar = review_calendar(reviews, today=today, day_starts_at=hour)
    return Stats(
        generated_at=now,
        filters=filters,
        today=today_summary(reviews, schedules, now=now, day_starts_at=hour),
        calendar=calendar,
        forecast=due_forecast(schedules, today=today, day_starts_at=hour),
        retention=true_retention(reviews, today=today, day_starts_at=hour),
        average_recall=fmean(recall.values()) if recall else None,
        recalled_cards=len(recall),
        cards=card_counts(schedules, settings),
        weakest_tags=weakest(active, reviews, kind="tag", today=today, day_starts_at=hour, filters=filters),
        weakest_decks=weakest(active, reviews, kind="deck", today=today, day_starts_at=hour, filters=filters),
        leech_lapses=leech_lapses(settings),
        leeches=leeches(active, settings),
        readiness=readiness(active, recall),
        recall_progress=recall_progress(matching, attempts),
        own_recall=own_recall(store, matching),
    )


def assert_same_stats(found: Stats, expected: Stats) -> None:
    for field in fields(Stats):
        if field.name == "recall_topic_count":
            continue
        assert getattr(found, field.name) == getattr(expected, field.name), field.name
    assert found.recall_topics == len(expected.recall_progress)
    assert found.to_dict() == expected.to_dict()


def assert_shortened_stats(collection: Collection, filters: Filters, full: Stats, topics: int, attempts: int) -> None:
    """What the screen reads: the first topics with their last attempts, everything else the same."""
    short = collect_stats(collection, filters, shown_topics=topics, shown_attempts=attempts)
    assert replace(short, recall_progress=()) == replace(full, recall_progress=())
    assert short.recall_topics == len(full.recall_progress)
    assert len(short.recall_progress) == min(topics, len(full.recall_progress))
    for shown, whole in zip(short.recall_progress, full.recall_progress, strict=False):
        assert (shown.card_id, shown.topic, shown.deck) == (whole.card_id, whole.topic, whole.deck)
        assert shown.attempts == whole.attempts[-attempts:]
        assert (shown.first, shown.last) == (whole.first, whole.last)
        assert shown.left_out == max(0, len(whole.attempts) - attempts)
    if short.recall_topics > len(short.recall_progress) or any(topic.left_out for topic in short.recall_progress):
        with pytest.raises(ValueError, match=r"JSON view|left out"):
            short.to_dict()


# five simulated months of sessions -----------------------------------------------------------------


@pytest.mark.usefixtures("utc_timezone")
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(decks=("storage", "trouble", "aws")),  # every card: the summary less an empty complement
        Filters(tags=("cka",)),
        Filters(decks=("aws",)),
        Filters(tags=("hard stuff",)),
    ],
    ids=["all", "every-deck", "tag-cka", "deck-aws", "tag-leech"],
)
def test_simulated_months_match_the_reference(
    collection: Collection, clock: FrozenClock, tmp_path: Path, filters: Filters
) -> None:
    simulate(collection, clock, tmp_path)
    assert_summaries_hold(collection.store)
    full = collect_stats(collection, filters)
    assert_same_stats(full, reference_stats(collection, filters))
    for topics, attempts in ((10, 20), (1, 5), (2, 1000), (0, 3)):
        assert_shortened_stats(collection, filters, full, topics, attempts)


@pytest.mark.usefixtures("utc_timezone")
def test_the_summary_and_the_log_give_the_same_stats(
    collection: Collection, clock: FrozenClock, tmp_path: Path
) -> None:
    simulate(collection, clock, tmp_path)
    every_deck = Filters(decks=("storage", "trouble", "aws"))
    unfiltered, counted = collect_stats(collection), collect_stats(collection, every_deck)
    for name in ("today", "calendar", "forecast", "retention", "average_recall", "cards", "readiness", "leeches"):
        assert getattr(unfiltered, name) == getattr(counted, name), name
    assert unfiltered.recall_progress == counted.recall_progress
    assert [(spot.name, spot.answers, spot.lapses) for spot in unfiltered.weakest_tags] == [
        (spot.name, spot.answers, spot.lapses) for spot in counted.weakest_tags
    ]


@pytest.mark.usefixtures("utc_timezone")
def test_a_scope_and_its_complement_count_the_same_reviews(
    collection: Collection, clock: FrozenClock, tmp_path: Path
) -> None:
    """Filtered stats count a scope's reviews over the log, or (most cards kept) the summary less the
    other cards' reviews: both ways give the same hours, days and cards studied."""
    simulate(collection, clock, tmp_path)
    store = collection.store
    numbers = [number for (number,) in store.connection.execute("SELECT number FROM cards ORDER BY number")]
    studied = {number for (number,) in store.connection.execute("SELECT DISTINCT card_number FROM reviews")}
    assert len(studied) > 10
    start, end = START - timedelta(days=1), clock.moment + timedelta(days=1)
    days = sorted({study_day(START + timedelta(days=offset), day_starts_at=4) for offset in range(DAYS)})
    subsets = [numbers[::3], numbers[1::2], numbers[:-1], numbers[:1], [], numbers, sorted(studied)[:5]]
    for subset in subsets:
        seen = []
        for complement in (False, True, None):
            with stats_scope(store, subset, complement=complement) as scope:
                seen.append(
                    (
                        sorted(review_hours(store, scope=scope)),
                        sorted(review_days_between(store, start, end, day_starts_at=4, scope=scope)),
                        [cards_studied_on(store, day, day_starts_at=4, scope=scope) for day in days],
                    )
                )
        assert seen[0] == seen[1] == seen[2]
        answers = sum(row[3] for row in seen[0][0])
        listed = ",".join(map(str, subset)) or "NULL"
        query = f"SELECT count(*) FROM reviews WHERE undone_at IS NULL AND card_number IN ({listed})"
        assert answers == store.connection.execute(query).fetchone()[0]


# a log made at the edges ------------------------------------------------------------------------------

EDGE_DECK = """\
deck: edges
tags: [cka, cka/storage]
cards:
{cards}
  - kind: recall
    id: alpha
    topic: Alpha
    notes: "- one point"
  - kind: recall
    id: alpha-upper
    topic: ALPHA
    notes: "- another point"
  - kind: recall
    id: beta
    topic: Beta
    notes: "- a third point"
    tags: [cka/troubleshooting]
  - kind: recall
    id: gamma
    topic: gamma
    notes: "- a fourth point"
  - {{front: "retired soon", back: "gone", id: retired}}
"""
NOW = datetime(2025, 3, 19, 12, 0, 0, 250_000, tzinfo=UTC)


def edge_schedules(now: datetime, day_end: datetime) -> list[Schedule]:
    """Schedules at every boundary the stats measure, relative to `now` and the end of today."""
    schedules = [Schedule()]  # new
    for days in (0, 1, 2, 7, 21, 400):
        for shift in (-MICROSECOND, timedelta(0), MICROSECOND, -timedelta(milliseconds=1), timedelta(seconds=1)):
            last = now - timedelta(days=days) + shift
            for interval in (timedelta(days=21), timedelta(days=21) - MICROSECOND, timedelta(days=3)):
                schedules.append(Schedule(CardState.REVIEW, None, 2.5 + days, 5.0, last + interval, last, 4, days % 9))
    for due in (
        now,
        now + MICROSECOND,
        now - MICROSECOND,
        day_end,
        day_end - MICROSECOND,
        day_end + timedelta(days=29),
    ):
        for state in (CardState.LEARNING, CardState.RELEARNING, CardState.REVIEW):
            schedules.append(Schedule(state, 0, 1.5, 6.0, due, due - timedelta(days=21), 2, 1))
    future = now + timedelta(days=3, hours=5)
    schedules.append(Schedule(CardState.REVIEW, None, 9.0, 4.0, future + timedelta(days=30), future, 5, 0))
    schedules.append(Schedule(CardState.REVIEW, None, None, None, now + timedelta(days=2), None, 1, 12))  # a leech
    return schedules


def record(
    collection: Collection, card_id: str, at: datetime, rating: Rating, before: Schedule, score: float | None
) -> int:
    store = collection.store
    stored = store.card(card_id)
    assert stored is not None
    after = Schedule(CardState.REVIEW, None, 4.0, 5.0, at + timedelta(days=4), at, before.reps + 1, before.lapses)
    review = Review(card_id, rating, at, 4321, before, after, "edges")
    with store.transaction() as connection:
        review_id = record_review_in_transaction(store, connection, review, stored.number)
        if score is not None:
            add_attempt(
                store,
                connection,
                review_id=review_id,
                card_id=card_id,
                score=score,
                at=at,
                rating=rating,
                duration_ms=4321,
            )
    return review_id


def build_edges(collection: Collection, clock: FrozenClock, folder: Path) -> None:
    hour = collection.settings.day_starts_at
    clock.moment = NOW
    day_end = study_day_start(NOW, day_starts_at_hour=hour) + timedelta(days=1)
    schedules = edge_schedules(NOW, day_end)
    cards = "\n".join(
        f'  - {{front: "question {index}", back: "answer {index}", id: q{index}, tags: [t{index % 7}, T{index % 5}]}}'
        for index in range(len(schedules))
    )
    deck = folder / "edges.yaml"
    deck.write_text(EDGE_DECK.format(cards=cards), encoding="utf-8")
    collection.import_path(deck)
    store = collection.store
    with store.transaction() as connection:
        for index, schedule in enumerate(schedules):
            stored = store.card(f"edges:q{index}")
            assert stored is not None
            set_schedule_in_transaction(store, connection, stored.number, schedule)
    # answers around every local study-day start of the last ten days (inside a UTC hour in some zones),
    # given with intervals at the mature edge, some undone
    moments = []
    for days_back in range(10):
        start = study_day_start(NOW - timedelta(days=days_back), day_starts_at_hour=hour)
        moments += [start - MICROSECOND, start, start + timedelta(minutes=20), start - timedelta(minutes=31)]
    intervals = [timedelta(days=21), timedelta(days=21) - MICROSECOND, timedelta(days=2), None]
    ratings = list(Rating)
    recall_scores = {"edges:alpha": 0.4, "edges:alpha-upper": 0.4, "edges:beta": 0.4, "edges:gamma": 0.9}
    undo = []
    # ALPHA was first recalled before Alpha: on a tie in coverage and folded topic it comes first
    first = min(moments) - timedelta(hours=1)
    record(collection, "edges:alpha-upper", first, Rating.GOOD, Schedule(), 0.3)
    for index, moment in enumerate(sorted(moments)):
        if moment > NOW:
            continue
        interval = intervals[index % len(intervals)]
        state = CardState.REVIEW if index % 5 else CardState.LEARNING
        before = Schedule(state, None, 3.0, 5.0, moment, None if interval is None else moment - interval, 3, 1)
        card_id = f"edges:q{index % 12}"
        undo_this = index % 7 == 3
        review_id = record(collection, card_id, moment, ratings[index % 4], before, None)
        if undo_this:
            undo.append(review_id)
        for recall_id, last_score in recall_scores.items():
            score = last_score if index >= len(moments) - 9 else round(0.1 + index % 5 / 10, 3)
            recall_review = record(
                collection, recall_id, moment + MICROSECOND * (index % 3), ratings[index % 4], before, score
            )
            if index % 11 == 5:
                undo.append(recall_review)
    for review_id in undo:
        undo_review(store, review_id, now=NOW)
    deck.write_text(
        EDGE_DECK.format(cards=cards).replace('  - {front: "retired soon", back: "gone", id: retired}\n', "")
    )
    collection.refresh()
    assert store.card("edges:retired") is not None and not store.card("edges:retired").active  # type: ignore[union-attr]


@pytest.mark.parametrize("zone", ZONES, indirect=True)
@pytest.mark.parametrize("filters", [Filters(), Filters(tags=("t3", "cka/troubleshooting"))], ids=["all", "tags"])
def test_edges_match_the_reference(
    collection: Collection, clock: FrozenClock, tmp_path: Path, zone: str, filters: Filters
) -> None:
    build_edges(collection, clock, tmp_path)
    assert_summaries_hold(collection.store)
    full = collect_stats(collection, filters)
    expected = reference_stats(collection, filters)
    assert_same_stats(full, expected)
    assert sum(full.calendar.counts) > 0 and full.cards.mature > 0 and full.cards.young > 0
    for topics, attempts in ((1, 2), (2, 3), (3, 100), (10, 20)):
        assert_shortened_stats(collection, filters, full, topics, attempts)


@pytest.mark.parametrize("zone", ["Asia/Kolkata"], indirect=True)
def test_a_study_day_starting_inside_a_utc_hour_splits_that_hour(
    collection: Collection, clock: FrozenClock, tmp_path: Path, zone: str
) -> None:
    build_edges(collection, clock, tmp_path)
    start = study_day_start(NOW, day_starts_at_hour=4)
    assert start.astimezone(UTC).minute == 30, "04:00 in Kolkata is half past a UTC hour"
    stats = collect_stats(collection)
    today = study_day(NOW, day_starts_at=4)
    reviews = collection.store.reviews()
    assert stats.calendar.count_on(today) == sum(
        1 for review in reviews if study_day(review.reviewed_at, day_starts_at=4) == today
    )
    assert stats.calendar.count_on(today) > 0 and stats.calendar.count_on(today - timedelta(days=1)) > 0


@pytest.mark.usefixtures("utc_timezone")
def test_recall_topics_tied_on_their_latest_coverage(
    collection: Collection, clock: FrozenClock, tmp_path: Path
) -> None:
    """Alpha and ALPHA tie on coverage and on their folded topic: the first attempt decides, as in the full list."""
    build_edges(collection, clock, tmp_path)
    full = collect_stats(collection)
    latest = [(topic.last, topic.topic) for topic in full.recall_progress]
    assert latest == [(0.4, "ALPHA"), (0.4, "Alpha"), (0.4, "Beta"), (0.9, "gamma")]
    for topics in range(1, 5):
        assert_shortened_stats(collection, Filters(), full, topics, 4)


def test_the_forgetting_curve_is_fsrs_own() -> None:
    scheduler = make_scheduler(Settings(enable_fuzzing=False))
    factor, decay = forgetting_curve(scheduler)
    now = datetime(2025, 3, 19, 12, tzinfo=UTC)
    for stability in (0.001, 0.5, 2.3456789, 17.0, 365.25, 3650.0):
        for elapsed in (0, 1, 2, 20, 21, 365, 10_000):
            schedule = Schedule(CardState.REVIEW, None, stability, 5.0, now, now - timedelta(days=elapsed, hours=3), 3)
            assert (1 + factor * elapsed / stability) ** decay == retrievability(scheduler, 1, schedule, now)
