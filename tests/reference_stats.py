"""The reference implementation of the stats figures: plain Python over cards and review objects.

`ckaquiz.stats.collect_stats` computes every figure in SQL over the store's summaries; these
functions compute the same figures the slow, obvious way, and the tests hold the two equal.
Production never calls them, so they live with the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from statistics import fmean

from ckaquiz.clock import study_day, study_day_start
from ckaquiz.config import Settings
from ckaquiz.domains import CKA_DOMAINS, ExamDomain
from ckaquiz.filters import Filters, tag_matches
from ckaquiz.model import CardKind, CardState, Rating, Review, Schedule
from ckaquiz.stats import (
    CALENDAR_DAYS,
    FORECAST_DAYS,
    MATURE_DAYS,
    RECALL_PROGRESS_MINIMUM_ATTEMPTS,
    RETENTION_PERIODS,
    WEAKEST_COUNT,
    WEAKEST_MINIMUM_ANSWERS,
    Calendar,
    CardCounts,
    DomainReadiness,
    Forecast,
    Readiness,
    RetentionRow,
    Tally,
    Today,
    TopicProgress,
    WeakSpot,
    _retention_rows,
    interval_days,
    is_mature,
    leech_lapses,
    review_command,
    streaks,
)
from ckaquiz.store import OwnRecallTotals, Store, StoredCard, card_attempts
from ckaquiz.store.history import ScoredAttempt


def still_due(schedule: Schedule, *, now: datetime, day_end: datetime) -> bool:
    """Due in today's study: (re)learning cards due now, review cards due before the day ends."""
    if schedule.due is None or schedule.state is CardState.NEW:
        return False
    if schedule.state in (CardState.LEARNING, CardState.RELEARNING):
        return schedule.due <= now
    return schedule.due < day_end


def today_summary(
    reviews: Iterable[Review], schedules: Iterable[Schedule], *, now: datetime, day_starts_at: int
) -> Today:
    """Today's numbers from the review log and the cards' current schedules."""
    today = study_day(now, day_starts_at=day_starts_at)
    todays = [review for review in reviews if study_day(review.reviewed_at, day_starts_at=day_starts_at) == today]
    day_end = study_day_start(now, day_starts_at_hour=day_starts_at) + timedelta(days=1)
    return Today(
        day=today,
        cards_studied=len({review.card_id for review in todays}),
        answers=len(todays),
        seconds=sum(review.duration_ms for review in todays) / 1000,
        again=sum(1 for review in todays if review.rating is Rating.AGAIN),
        due=sum(1 for schedule in schedules if still_due(schedule, now=now, day_end=day_end)),
    )


def review_calendar(
    reviews: Iterable[Review], *, today: date, day_starts_at: int, days: int = CALENDAR_DAYS
) -> Calendar:
    """Answers per study day for the `days` days ending today, and the streaks over the whole log."""
    start = today - timedelta(days=days - 1)
    counts = [0] * days
    studied: set[date] = set()
    for review in reviews:
        day = study_day(review.reviewed_at, day_starts_at=day_starts_at)
        studied.add(day)
        index = (day - start).days
        if 0 <= index < days:
            counts[index] += 1
    current, longest = streaks(studied, today=today)
    return Calendar(start=start, counts=tuple(counts), current_streak=current, longest_streak=longest)


def due_forecast(
    schedules: Iterable[Schedule], *, today: date, day_starts_at: int, days: int = FORECAST_DAYS
) -> Forecast:
    """How many studied cards fall due on each day from today on (new cards are not due)."""
    counts = [0] * days
    overdue = 0
    for schedule in schedules:
        if schedule.state is CardState.NEW or schedule.due is None:
            continue
        offset = (study_day(schedule.due, day_starts_at=day_starts_at) - today).days
        if offset < 0:
            overdue += 1
            offset = 0
        if offset < days:
            counts[offset] += 1
    return Forecast(start=today, counts=tuple(counts), overdue=overdue)


def is_review_answer(review: Review) -> bool:
    """An answer given to a card in review state: the ones true retention counts."""
    return review.before.state is CardState.REVIEW


def answer_was_mature(review: Review) -> bool:
    """Whether the interval before this answer was 21 days or more."""
    interval = interval_days(review.before)
    return interval is not None and interval >= MATURE_DAYS


def true_retention(reviews: Iterable[Review], *, today: date, day_starts_at: int) -> tuple[RetentionRow, ...]:
    """Anki's true retention: review-state answers that were not Again, over the last day, week, month, year."""
    tallies = {period: [0, 0, 0, 0] for period, _ in RETENTION_PERIODS}
    for review in reviews:
        if not is_review_answer(review):
            continue
        age = (today - study_day(review.reviewed_at, day_starts_at=day_starts_at)).days
        slot = (2 if answer_was_mature(review) else 0) + (1 if review.rating is Rating.AGAIN else 0)
        for period, days in RETENTION_PERIODS:
            if 0 <= age < days:
                tallies[period][slot] += 1
    return _retention_rows(tallies)


def card_counts(schedules: Iterable[Schedule], settings: Settings) -> CardCounts:
    """Count cards by state (young/mature by their interval) and leeches."""
    counts = dict.fromkeys(("new", "learning", "relearning", "young", "mature", "leeches"), 0)
    threshold = leech_lapses(settings)
    for schedule in schedules:
        if schedule.state is CardState.REVIEW:
            counts["mature" if is_mature(schedule) else "young"] += 1
        else:
            counts[schedule.state.value] += 1
        if schedule.lapses >= threshold:
            counts["leeches"] += 1
    return CardCounts(**counts)


def weakest(
    cards: Sequence[StoredCard],
    reviews: Iterable[Review],
    *,
    kind: str,
    today: date,
    day_starts_at: int,
    filters: Filters = Filters(),
    limit: int = WEAKEST_COUNT,
) -> tuple[WeakSpot, ...]:
    """Tags (kind="tag") or decks (kind="deck") by lowest retention over the last year, then most lapses.

    Only groups with enough review answers, and some failure or lapse, are listed.
    """
    groups: dict[str, tuple[str, list[StoredCard]]] = {}
    for stored in cards:
        names = stored.card.tags if kind == "tag" else (stored.card.deck,)
        for name in names:
            groups.setdefault(name.casefold(), (name, []))[1].append(stored)
    card_groups: dict[str, set[str]] = {}
    for key, (_, members) in groups.items():
        for stored in members:
            card_groups.setdefault(stored.card.id, set()).add(key)
    tallies: dict[str, list[int]] = {key: [0, 0] for key in groups}
    for review in reviews:
        if not is_review_answer(review) or review.card_id not in card_groups:
            continue
        if (today - study_day(review.reviewed_at, day_starts_at=day_starts_at)).days >= CALENDAR_DAYS:
            continue
        for key in card_groups[review.card_id]:
            tallies[key][1 if review.rating is Rating.AGAIN else 0] += 1
    spots: list[WeakSpot] = []
    for key, (name, members) in groups.items():
        tally = Tally(*tallies[key])
        lapses = sum(stored.schedule.lapses for stored in members)
        if tally.answered < WEAKEST_MINIMUM_ANSWERS or (tally.failed == 0 and lapses == 0):
            continue
        command = (
            review_command(decks=filters.decks, tags=(name,))
            if kind == "tag"
            else review_command(decks=(name,), tags=filters.tags)
        )
        spots.append(WeakSpot(kind=kind, name=name, cards=len(members), answers=tally, lapses=lapses, command=command))
    spots.sort(key=lambda spot: (spot.answers.rate or 0.0, -spot.lapses, spot.name.casefold()))
    return tuple(spots[:limit])


def readiness(
    cards: Iterable[StoredCard], recall: Mapping[int, float], domains: Sequence[ExamDomain] = CKA_DOMAINS
) -> Readiness | None:
    """Per domain: mature share and mean recall probability (new cards count 0); None without CKA cards."""
    members: dict[str, list[StoredCard]] = {domain.tag: [] for domain in domains}
    for stored in cards:
        for domain in domains:
            if any(tag_matches(domain.tag, tag) for tag in stored.card.tags):
                members[domain.tag].append(stored)
    if not any(members.values()):
        return None
    results = []
    for domain in domains:
        group = members[domain.tag]
        results.append(
            DomainReadiness(
                domain=domain,
                cards=len(group),
                mature=sum(1 for stored in group if is_mature(stored.schedule)),
                recall=fmean([recall.get(stored.number, 0.0) for stored in group]) if group else 0.0,
            )
        )
    return Readiness(domains=tuple(results))


def recall_progress(
    cards: Iterable[StoredCard],
    attempts: Iterable[ScoredAttempt],
    *,
    minimum_attempts: int = RECALL_PROGRESS_MINIMUM_ATTEMPTS,
) -> tuple[TopicProgress, ...]:
    """Topics recalled at least `minimum_attempts` times, lowest latest coverage first."""
    recall_cards = {stored.card.id: stored.card for stored in cards if stored.card.kind is CardKind.RECALL}
    by_card: dict[str, list[tuple[datetime, float]]] = {}
    for attempt in attempts:
        if attempt.card_id in recall_cards:
            by_card.setdefault(attempt.card_id, []).append((attempt.created_at, attempt.score))
    topics = [
        TopicProgress(
            card_id=card_id,
            topic=recall_cards[card_id].prompt,
            deck=recall_cards[card_id].deck,
            attempts=tuple(sorted(points, key=lambda point: point[0])),
        )
        for card_id, points in by_card.items()
        if len(points) >= minimum_attempts
    ]
    return tuple(sorted(topics, key=lambda topic: (topic.last, topic.topic.casefold())))


def own_recall(store: Store, cards: Iterable[StoredCard]) -> OwnRecallTotals:
    """The notes' own recall: each card's attempts without a review that name the section they came from."""
    sections: set[tuple[str, int, str]] = set()
    attempts = recalled = partial = missed = 0
    days: list[date] = []
    for stored in cards:
        for attempt in card_attempts(store, stored.card.id):
            result = attempt["result"]
            if attempt["review_id"] is not None or not isinstance(result, dict) or "own_recall" not in result:
                continue
            where = result["own_recall"]
            sections.add((where["note"], where["line"], where["heading"]))
            attempts += 1
            days.append(datetime.fromisoformat(attempt["created_at"]).date())
            statuses = [point["status"] for point in result["points"]]
            recalled += statuses.count("recalled")
            partial += statuses.count("partial")
            missed += len(statuses) - statuses.count("recalled") - statuses.count("partial")
    return OwnRecallTotals(len(sections), attempts, recalled, partial, missed, max(days, default=None))
