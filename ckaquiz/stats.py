"""Progress numbers: today, the review calendar, the due forecast, true retention, leeches, CKA readiness.

Numbers only: every function here takes model objects (or a collection) and returns frozen
dataclasses with a JSON view; drawing lives in `ckaquiz.ui.stats_view`. A "day" is a study
day: it starts at `day_starts_at` local time (04:00 by default), as everywhere in ckaquiz.

The functions that take cards and reviews are the reference; `collect_stats` gives the same
numbers (tests hold them equal, floats included) without building a card or a review:

- Reviews per study day come from `review_hour_counts`, live reviews counted per UTC hour by
  triggers as they are written and undone (migration 0003): a few thousand rows, where grouping
  a million-review log took over a second. An hour in which a study day starts (time zones a
  half hour off UTC) is counted again review by review. Filtered stats count over the log.
- Retention per tag and deck needs each card's review answers of the last year: read from a
  narrow partial index of the review-state answers, by card, instead of the wide log rows.
- Cards come as one plain row each with SQL having done the time arithmetic (interval, days
  since the last review, still due, the due day), exact to the microsecond; they are summed per
  deck and tag set, the unit that filters, weak spots and readiness judge. Each studied card's
  predicted recall is FSRS's formula on those whole days (`forgetting_curve`), and means are
  `math.fsum`-exact, so they do not depend on the order cards come in.
- The screen shows ten recall topics with their last twenty attempts: `shown_topics` reads the
  per-card attempt summaries (count, first, last, kept by triggers) and only those topics'
  attempts; `--json`, which lists every attempt, still reads them all.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import fsum
from statistics import fmean
from typing import TYPE_CHECKING, Any, TextIO

from ckaquiz.clock import study_day, study_day_start
from ckaquiz.config import DEFAULT_LEECH_LAPSES, Settings
from ckaquiz.domains import CKA_DOMAINS, ExamDomain
from ckaquiz.exam_trend import ExamTrend, combined_readiness, exam_trend
from ckaquiz.filters import Filters, tag_matches
from ckaquiz.model import CardKind, CardState, Schedule
from ckaquiz.store import (
    StoredCard,
    attempt_summaries,
    cards_by_numbers,
    cards_studied_on,
    latest_scored_attempts,
    latest_scores,
    own_recall_totals,
    recall_prompts,
    review_days_between,
    review_hours,
    review_tallies_by_card,
    scored_attempt_rows,
    stats_card_rows,
    stats_scope,
)

if TYPE_CHECKING:
    from ckaquiz.library import Library
    from ckaquiz.store import LatestScore, OwnRecallTotals, ReviewCount, ReviewScope, Store

MATURE_DAYS = 21
"""A card (or an answer) is mature when its interval is at least 21 days, as in Anki."""

LEECH_LAPSES = DEFAULT_LEECH_LAPSES

CALENDAR_DAYS = 365
FORECAST_DAYS = 30
RETENTION_PERIODS: tuple[tuple[str, int], ...] = (("day", 1), ("week", 7), ("month", 30), ("year", 365))
WEAKEST_MINIMUM_ANSWERS = 5
"""A tag or deck needs this many review answers in the last year before it can be called weak."""
WEAKEST_COUNT = 5
RECALL_PROGRESS_MINIMUM_ATTEMPTS = 3


# building blocks ---------------------------------------------------------------------------


def interval_days(schedule: Schedule) -> float | None:
    """The scheduled interval in days (due minus last review), None before the first review."""
    if schedule.due is None or schedule.last_review is None:
        return None
    return (schedule.due - schedule.last_review).total_seconds() / 86400


def is_mature(schedule: Schedule) -> bool:
    """A review-state card whose interval is at least 21 days."""
    interval = interval_days(schedule)
    return schedule.state is CardState.REVIEW and interval is not None and interval >= MATURE_DAYS


def leech_lapses(settings: Settings) -> int:
    """The lapse count that makes a leech: `leech_lapses` in config.toml, 8 by default."""
    return settings.leech_lapses


def is_leech(schedule: Schedule, settings: Settings) -> bool:
    """Whether a card has lapsed often enough to be a leech (8 lapses unless configured)."""
    return schedule.lapses >= leech_lapses(settings)


def review_command(*, decks: Sequence[str] = (), tags: Sequence[str] = ()) -> str:
    """The command line that reviews the cards of these decks and tags."""
    parts = ["ckaquiz", "review"]
    for deck in decks:
        parts += ["--deck", shlex.quote(deck)]
    for tag in tags:
        parts += ["--tag", shlex.quote(tag)]
    return " ".join(parts)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


# today -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """Today's study day so far: cards studied, answers, time, again rate, and what is still due."""

    day: date
    cards_studied: int
    answers: int
    seconds: float
    again: int
    due: int

    @property
    def again_rate(self) -> float | None:
        return _rate(self.again, self.answers)

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "day": self.day.isoformat(),
            "cards_studied": self.cards_studied,
            "answers": self.answers,
            "seconds": round(self.seconds, 3),
            "again": self.again,
            "again_rate": _round(self.again_rate),
            "due": self.due,
        }


# calendar and streaks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Answers per study day over the last year (oldest first), with the study streaks."""

    start: date
    counts: tuple[int, ...]
    current_streak: int
    longest_streak: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.counts) - 1)

    @property
    def days_studied(self) -> int:
        return sum(1 for count in self.counts if count)

    def count_on(self, day: date) -> int:
        """Answers on one day of the calendar (0 outside it)."""
        index = (day - self.start).days
        return self.counts[index] if 0 <= index < len(self.counts) else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON view: `counts[i]` is the number of answers on `start + i` days."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "counts": list(self.counts),
            "days_studied": self.days_studied,
            "answers": sum(self.counts),
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
        }


def streaks(days: Iterable[date], *, today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days; today without answers yet does not break a run."""
    studied = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in studied:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    studied_set = set(studied)
    cursor = today if today in studied_set else today - timedelta(days=1)
    current = 0
    while cursor in studied_set:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


# forecast ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """Cards falling due on each of the next 30 study days; day 0 (today) holds the overdue ones too."""

    start: date
    counts: tuple[int, ...]
    overdue: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON view: `counts[0]` is today (overdue included), `counts[i]` is `start + i` days."""
        return {"start": self.start.isoformat(), "counts": list(self.counts), "overdue": self.overdue}


# retention ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Review answers passed (Hard, Good, Easy) and failed (Again)."""

    passed: int = 0
    failed: int = 0

    @property
    def answered(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        return _rate(self.passed, self.answered)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.passed + other.passed, self.failed + other.failed)

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {"passed": self.passed, "failed": self.failed, "retention": _round(self.rate)}


@dataclass(frozen=True)
class RetentionRow:
    """True retention of one period, young and mature answers apart."""

    period: str
    days: int
    young: Tally
    mature: Tally

    @property
    def total(self) -> Tally:
        return self.young + self.mature

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "period": self.period,
            "days": self.days,
            "young": self.young.to_dict(),
            "mature": self.mature.to_dict(),
            "total": self.total.to_dict(),
        }


def _retention_rows(tallies: Mapping[str, Sequence[int]]) -> tuple[RetentionRow, ...]:
    """Each period's row from its answers: young passed, young Again, mature passed, mature Again."""
    return tuple(
        RetentionRow(
            period=period,
            days=days,
            young=Tally(tallies[period][0], tallies[period][1]),
            mature=Tally(tallies[period][2], tallies[period][3]),
        )
        for period, days in RETENTION_PERIODS
    )


# cards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardCounts:
    """Cards by state, review cards split into young and mature."""

    new: int = 0
    learning: int = 0
    relearning: int = 0
    young: int = 0
    mature: int = 0
    leeches: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.relearning + self.young + self.mature

    def to_dict(self) -> dict[str, int]:
        """The JSON view."""
        return {
            "new": self.new,
            "learning": self.learning,
            "relearning": self.relearning,
            "young": self.young,
            "mature": self.mature,
            "total": self.total,
            "leeches": self.leeches,
        }


@dataclass(frozen=True)
class Leech:
    """A card that keeps lapsing."""

    card_id: str
    deck: str
    prompt: str
    lapses: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "card_id": self.card_id,
            "deck": self.deck,
            "prompt": self.prompt,
            "lapses": self.lapses,
            "source": self.source,
        }


def leeches(cards: Iterable[StoredCard], settings: Settings) -> tuple[Leech, ...]:
    """Leech cards, most lapses first."""
    found = [
        Leech(
            card_id=stored.card.id,
            deck=stored.card.deck,
            prompt=stored.card.prompt,
            lapses=stored.schedule.lapses,
            source=str(stored.card.source),
        )
        for stored in cards
        if is_leech(stored.schedule, settings)
    ]
    return tuple(sorted(found, key=lambda leech: (-leech.lapses, leech.card_id)))


# weakest tags and decks --------------------------------------------------------------------


@dataclass(frozen=True)
class WeakSpot:
    """A tag or deck with its retention over the last year, its lapses, and how to review it."""

    kind: str
    name: str
    cards: int
    answers: Tally
    lapses: int
    command: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "kind": self.kind,
            "name": self.name,
            "cards": self.cards,
            "answers": self.answers.answered,
            "retention": _round(self.answers.rate),
            "lapses": self.lapses,
            "command": self.command,
        }


# CKA readiness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainReadiness:
    """One exam domain: its cards, the share that is mature, and their average recall probability."""

    domain: ExamDomain
    cards: int
    mature: int
    recall: float

    @property
    def mature_share(self) -> float:
        return self.mature / self.cards if self.cards else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "tag": self.domain.tag,
            "name": self.domain.name,
            "weight": self.domain.weight,
            "cards": self.cards,
            "mature": self.mature,
            "mature_share": round(self.mature_share, 4),
            "recall": round(self.recall, 4),
            "command": review_command(tags=(self.domain.tag,)),
        }


@dataclass(frozen=True)
class Readiness:
    """CKA readiness: each domain's recall weighted by its share of the exam."""

    domains: tuple[DomainReadiness, ...]

    @property
    def score(self) -> float:
        total = sum(item.domain.weight for item in self.domains)
        return sum(item.domain.weight * item.recall for item in self.domains) / total if total else 0.0

    @property
    def weakest(self) -> DomainReadiness:
        return min(self.domains, key=lambda item: (item.recall, -item.domain.weight))

    def to_dict(self) -> dict[str, Any]:
        """The JSON view."""
        return {
            "score": round(self.score, 4),
            "weakest": self.weakest.domain.tag,
            "domains": [item.to_dict() for item in self.domains],
        }


# blank-page recall -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicProgress:
    """Coverage of one recall topic at each scored attempt, oldest first (slots: `--json` holds one per topic)."""

    card_id: str
    topic: str
    deck: str
    attempts: tuple[tuple[datetime, float], ...]
    left_out: int = 0
    """Earlier attempts not in `attempts`: the screen's stats keep only the last few (`collect_stats`)."""
    first_coverage: float | None = None
    """The first attempt's coverage, given when the first attempt may be left out."""

    @property
    def first(self) -> float:
        return self.attempts[0][1] if self.first_coverage is None else self.first_coverage

    @property
    def last(self) -> float:
        return self.attempts[-1][1]

    @property
    def average(self) -> float:
        self._refuse_shortened()
        return fsum([score for _, score in self.attempts]) / len(self.attempts)  # what fmean computes

    def _refuse_shortened(self) -> None:
        if self.left_out:
            raise ValueError(f"{self.card_id}: {self.left_out} attempts were left out; the topic has no average")

    def to_dict(self, *, attempts: bool = True) -> dict[str, Any]:
        """The JSON view (with an empty list of attempts for `attempts=False`)."""
        return self._view(list(self._attempt_views()) if attempts else [])

    def _view(self, attempts: Any) -> dict[str, Any]:
        self._refuse_shortened()
        return {
            "card_id": self.card_id,
            "topic": self.topic,
            "deck": self.deck,
            "first": round(self.first, 4),
            "last": round(self.last, 4),
            "average": round(self.average, 4),
            "attempts": attempts,
        }

    def _attempt_views(self) -> Iterator[dict[str, Any]]:
        return ({"at": moment.isoformat(), "coverage": round(score, 4)} for moment, score in self.attempts)

    def streamed_view(self) -> dict[str, Any]:
        """`to_dict()` made as it is written (see `json_output.write_json`): one topic's attempts are
        few, so they are held while the topic is written, and only the topics are streamed."""
        return self._view(list(self._attempt_views()))


# everything --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Everything `ckaquiz stats` shows, for the cards matching the filters."""

    generated_at: datetime
    filters: Filters
    today: Today
    calendar: Calendar
    forecast: Forecast
    retention: tuple[RetentionRow, ...]
    average_recall: float | None
    recalled_cards: int
    cards: CardCounts
    weakest_tags: tuple[WeakSpot, ...]
    weakest_decks: tuple[WeakSpot, ...]
    leech_lapses: int
    leeches: tuple[Leech, ...]
    readiness: Readiness | None
    recall_progress: tuple[TopicProgress, ...]
    exams: ExamTrend | None = None
    """Finished mock exams, whose recent scores `exam_readiness` folds into readiness."""
    recall_topic_count: int | None = None
    """Topics recalled at least 3 times, when `recall_progress` may hold only the first few (the screen's)."""
    own_recall: OwnRecallTotals | None = None
    """The blank-page recall written in notes (`백지 복습` sections) kept as attempts of the matching cards."""

    @property
    def recall_topics(self) -> int:
        """How many topics recall progress has, shown or not."""
        return len(self.recall_progress) if self.recall_topic_count is None else self.recall_topic_count

    def to_dict(self, *, recall_progress: bool = True) -> dict[str, Any]:
        """The JSON shape of `ckaquiz stats --json` (documented in docs/stats.md); `recall_progress=False`
        leaves its list empty."""
        return self._view([topic.to_dict() for topic in self.recall_progress] if recall_progress else [])

    def _view(self, recall_progress: Any) -> dict[str, Any]:
        if self.recall_topics != len(self.recall_progress):
            raise ValueError("these stats keep only the recall topics the screen shows; they have no JSON view")
        return {
            "generated_at": self.generated_at.isoformat(),
            "filters": self.filters.to_dict(),
            "today": self.today.to_dict(),
            "calendar": self.calendar.to_dict(),
            "forecast": self.forecast.to_dict(),
            "retention": {
                "periods": [row.to_dict() for row in self.retention],
                "average_recall": _round(self.average_recall),
                "recalled_cards": self.recalled_cards,
            },
            "cards": self.cards.to_dict(),
            "weakest": {
                "tags": [spot.to_dict() for spot in self.weakest_tags],
                "decks": [spot.to_dict() for spot in self.weakest_decks],
            },
            "leeches": {"lapses": self.leech_lapses, "cards": [leech.to_dict() for leech in self.leeches]},
            "readiness": None if self.readiness is None else self.readiness.to_dict(),
            **_exam_keys(self),
            "own_recall": None if self.own_recall is None else self.own_recall.to_dict(),
            "recall_progress": recall_progress,
        }

    def write_json(self, out: TextIO) -> None:
        """Write `json.dumps(self.to_dict(), ensure_ascii=False, indent=1)` and a line break, topic by topic.

        With every attempt of a long history listed, the whole text and the dicts behind it came to
        hundreds of MB (640 MB for 450,000 attempts); written this way, one topic's are held at a time.
        """
        from ckaquiz.json_output import Streamed, write_json

        write_json(self._view(Streamed(topic.streamed_view() for topic in self.recall_progress)), out)
        out.write("\n")


def collect_stats(
    collection: Library,
    filters: Filters = Filters(),
    *,
    shown_topics: int | None = None,
    shown_attempts: int | None = None,
) -> Stats:
    """Compute every number of `ckaquiz stats` for the cards matching the filters.

    The same numbers as the functions above give from whole cards and the whole review log, but
    counted mostly in SQL (see the module docstring), in three passes: the matching cards
    (`_count_cards`), the answers per study day (`_count_review_days`), and recall progress. With
    `shown_topics`, recall progress keeps only the first `shown_topics` topics, each with its last
    `shown_attempts` attempts (all when None): what the screen shows, read from the per-card attempt
    summaries instead of every attempt; `Stats.recall_topic_count` still counts every topic. Without
    it, every topic keeps every attempt, as `--json` lists them.
    """
    store, settings = collection.store, collection.settings
    hour = settings.day_starts_at
    threshold = leech_lapses(settings)
    now = collection.now()
    today = study_day(now, day_starts_at=hour)
    year_start = today - timedelta(days=CALENDAR_DAYS - 1)

    cards = _count_cards(collection, filters, now=now, today=today, year_start=year_start, threshold=threshold)
    filtering = bool(filters.decks or filters.tags or filters.by_date)
    with stats_scope(store, cards.known if filtering else None) as scope:
        per_day = _count_review_days(store, scope, day_starts_at=hour)
        cards_today = cards_studied_on(store, today, day_starts_at=hour, scope=scope)
    calendar, retention = _calendar_and_retention(per_day, today=today, start=year_start)
    todays = per_day.get(today, [0, 0, 0])
    current, longest = streaks(set(per_day), today=today)
    progress, topic_count = _collect_recall_progress(store, cards.recall_ids, shown_topics, shown_attempts)

    recall = [value for group in cards.groups for value in group.recall]
    return Stats(
        generated_at=now,
        filters=filters,
        today=Today(
            day=today,
            cards_studied=cards_today,
            answers=todays[0],
            seconds=todays[1] / 1000,
            again=todays[2],
            due=cards.due_now,
        ),
        calendar=Calendar(start=year_start, counts=tuple(calendar), current_streak=current, longest_streak=longest),
        forecast=Forecast(start=today, counts=tuple(cards.forecast), overdue=cards.overdue),
        retention=_retention_rows(retention),
        average_recall=fmean(recall) if recall else None,
        recalled_cards=len(recall),
        cards=CardCounts(**cards.counts),
        weakest_tags=_weakest(cards.groups, kind="tag", filters=filters),
        weakest_decks=_weakest(cards.groups, kind="deck", filters=filters),
        leech_lapses=threshold,
        leeches=leeches(cards_by_numbers(store, cards.leech_numbers), settings),
        readiness=_readiness(cards.groups),
        recall_progress=progress,
        recall_topic_count=topic_count,
        exams=exam_trend(store),
        own_recall=own_recall_totals(store, frozenset(cards.recall_ids)),
    )


@dataclass
class _CardPass:
    """What one pass over the matching cards counts (see `_count_cards`)."""

    known: list[int] = field(default_factory=list)
    """Numbers of the matching cards, retired too (kept only when filtering: they scope the reviews)."""
    recall_ids: set[str] = field(default_factory=set)
    groups: list[_CardGroup] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("new", "learning", "relearning", "young", "mature", "leeches"), 0)
    )
    forecast: list[int] = field(default_factory=lambda: [0] * FORECAST_DAYS)
    overdue: int = 0
    due_now: int = 0
    leech_numbers: list[int] = field(default_factory=list)


def _count_cards(
    collection: Library, filters: Filters, *, now: datetime, today: date, year_start: date, threshold: int
) -> _CardPass:
    """The matching cards (retired too), judged once per deck and tag set and summed per deck and tag
    set: states, the due forecast, leeches, predicted recall and the last year's answers."""
    from ckaquiz.scheduling import forgetting_curve

    store, hour = collection.store, collection.settings.day_starts_at
    factor, decay = forgetting_curve(collection.scheduler)
    tallies = {tally.card_number: tally for tally in review_tallies_by_card(store, year_start, day_starts_at=hour)}
    filtering = bool(filters.decks or filters.tags or filters.by_date)
    found = _CardPass()
    counts, forecast = found.counts, found.forecast
    verdicts: dict[tuple[str, str], bool] = {}
    tag_sets: dict[str, tuple[str, ...]] = {}
    groups: dict[tuple[str, str], _CardGroup] = {}
    offsets: dict[str, int] = {}

    def tags_of(tags_text: str) -> tuple[str, ...]:
        tags = tag_sets.get(tags_text)
        if tags is None:
            tags = tag_sets[tags_text] = tuple(json.loads(tags_text))
        return tags

    rows = stats_card_rows(
        store,
        decks=filters.decks,
        day_starts_at=hour,
        note_dates=filters.by_date,
        now=now,
        day_end=study_day_start(now, day_starts_at_hour=hour) + timedelta(days=1),
        forecast_last_day=today + timedelta(days=FORECAST_DAYS - 1),
        mature_days=MATURE_DAYS,
    )
    for row in rows:
        number, deck, tags_text = row.number, row.deck, row.tags_json
        if filtering:
            if filters.by_date:
                note_date = json.loads(row.fields_json or "{}").get("note_date")
                accepted = filters.matches_values(deck=deck, tags=tags_of(tags_text), note_date=note_date)
            else:
                verdict = verdicts.get((deck, tags_text))
                if verdict is None:
                    verdict = verdicts[(deck, tags_text)] = filters.matches_values(
                        deck=deck, tags=tags_of(tags_text), note_date=None
                    )
                accepted = verdict
            if not accepted:
                continue
            found.known.append(number)
        if row.recall_id is not None:
            found.recall_ids.add(row.recall_id)
        if not row.active:
            continue
        group = groups.get((deck, tags_text))
        if group is None:
            group = groups[(deck, tags_text)] = _CardGroup(deck, tags_of(tags_text))
        group.cards += 1
        group.lapses += row.lapses
        if row.state == "review":
            if row.flags & 1:
                counts["mature"] += 1
                group.mature += 1
            else:
                counts["young"] += 1
        else:
            counts[row.state] += 1
        if row.lapses >= threshold:
            found.leech_numbers.append(number)
        if row.flags & 2:
            found.due_now += 1
        if (due_day := row.due_day) is not None:
            offset = offsets.get(due_day)
            if offset is None:
                offset = offsets[due_day] = (date.fromisoformat(due_day) - today).days
            if offset < 0:
                found.overdue += 1
                offset = 0
            if offset < FORECAST_DAYS:
                forecast[offset] += 1
        if row.days_since_review is not None and row.stability is not None:
            group.recall.append((1 + factor * row.days_since_review / row.stability) ** decay)
        counted = tallies.get(number)
        if counted is not None:
            group.passed += counted.passed
            group.failed += counted.failed
    counts["leeches"] = len(found.leech_numbers)
    found.groups = list(groups.values())
    return found


def _count_review_days(store: Store, scope: ReviewScope | None, *, day_starts_at: int) -> dict[date, list[int]]:
    """The answers of each study day: [answers, duration_ms, Again, young passed, young failed, mature
    passed, mature failed]. Counted per UTC hour in SQL; an hour in which a study day starts is
    counted review by review."""
    per_day: dict[date, list[int]] = {}

    def count(day: date, answered: ReviewCount) -> None:
        figures = per_day.get(day)
        if figures is None:
            figures = per_day[day] = [0] * 7
        answers = answered.answers
        figures[0] += answers
        figures[1] += answered.duration_ms
        if answered.again:
            figures[2] += answers
        if answered.kind:
            figures[1 + 2 * answered.kind + (1 if answered.again else 0)] += answers

    straddling: set[datetime] = set()
    hour_days: dict[str, date | None] = {}  # each hour's study day, None when one starts within it
    for answered in review_hours(store, scope=scope):
        hour_text = answered.period
        if hour_text in hour_days:
            first = hour_days[hour_text]
        else:
            hour_start = datetime.fromisoformat(hour_text + ":00:00+00:00")
            first = study_day(hour_start, day_starts_at=day_starts_at)
            if study_day(hour_start + _LAST_OF_HOUR, day_starts_at=day_starts_at) != first:
                straddling.add(hour_start)
                first = None
            hour_days[hour_text] = first
        if first is not None:
            count(first, answered)
    for hour_start in sorted(straddling):
        for answered in review_days_between(
            store, hour_start, hour_start + timedelta(hours=1), day_starts_at=day_starts_at, scope=scope
        ):
            count(date.fromisoformat(answered.period), answered)
    return per_day


def _calendar_and_retention(
    per_day: Mapping[date, list[int]], *, today: date, start: date
) -> tuple[list[int], dict[str, list[int]]]:
    """The year's answers per day from `start`, and the passed and failed answers of each retention period."""
    calendar = [0] * CALENDAR_DAYS
    retention = {period: [0, 0, 0, 0] for period, _ in RETENTION_PERIODS}
    for day, figures in per_day.items():
        index = (day - start).days
        if 0 <= index < CALENDAR_DAYS:
            calendar[index] += figures[0]
        age = (today - day).days
        for period, length in RETENTION_PERIODS:
            if 0 <= age < length:
                tally = retention[period]
                for slot in range(4):
                    tally[slot] += figures[3 + slot]
    return calendar, retention


def _collect_recall_progress(
    store: Store, recall_ids: set[str], shown_topics: int | None, shown_attempts: int | None
) -> tuple[tuple[TopicProgress, ...], int]:
    """Recall progress: every attempt of every topic, or what the screen shows; and how many topics."""
    if shown_topics is not None:
        return _shown_recall_progress(store, recall_ids, topics=shown_topics, attempts=shown_attempts)
    attempts: dict[str, list[tuple[datetime, float]]] = {}
    if recall_ids:
        parse = datetime.fromisoformat  # as each row comes: the texts of 100,000s of attempts are not kept
        for attempt in scored_attempt_rows(store, CardKind.RECALL):
            if attempt.card_id in recall_ids:
                points = attempts.get(attempt.card_id)
                if points is None:
                    points = attempts[attempt.card_id] = []
                points.append((parse(attempt.created_at), attempt.score))
    prompts = recall_prompts(store) if attempts else {}
    progress = _recall_progress_of(prompts, attempts)
    return progress, len(progress)


def _exam_keys(stats: Stats) -> dict[str, Any]:
    """The keys mock exams add to `stats --json`: `exams` and `exam_readiness`."""
    card_score = None if stats.readiness is None else stats.readiness.score
    combined = combined_readiness(card_score, stats.exams)
    return {
        "exams": None if stats.exams is None else stats.exams.to_dict(),
        "exam_readiness": None if combined is None else round(combined, 4),
    }


def _recall_progress_of(
    prompts: Mapping[str, tuple[str, str]],
    attempts: Mapping[str, list[tuple[datetime, float]]],
    *,
    minimum_attempts: int = RECALL_PROGRESS_MINIMUM_ATTEMPTS,
) -> tuple[TopicProgress, ...]:
    """`recall_progress` from each recall card's (prompt, deck) and its attempts (time, score)."""
    topics = []
    for card_id, points in attempts.items():
        if len(points) < minimum_attempts or card_id not in prompts:
            continue
        prompt, deck = prompts[card_id]
        points.sort(key=_moment)
        topics.append(TopicProgress(card_id=card_id, topic=prompt, deck=deck, attempts=tuple(points)))
    return tuple(sorted(topics, key=lambda topic: (topic.last, topic.topic.casefold())))


def _moment(point: tuple[datetime, float]) -> datetime:
    return point[0]


def _shown_recall_progress(
    store: Store,
    recall_ids: set[str],
    *,
    topics: int,
    attempts: int | None,
    minimum_attempts: int = RECALL_PROGRESS_MINIMUM_ATTEMPTS,
) -> tuple[tuple[TopicProgress, ...], int]:
    """The first `topics` topics of `recall_progress` (lowest latest coverage first, then by topic, then
    by first attempt, as `_recall_progress_of` orders them), each with its last `attempts` attempts
    (all for None), and how many topics there are in all.

    Counts and latest coverage come from the per-card attempt summaries; only the topics that may be
    shown (those at or below the `topics`-th lowest latest coverage) have their prompts and first
    attempts read, and only the shown ones their latest attempts.
    """
    if not recall_ids:
        return (), 0
    kind = CardKind.RECALL
    latest = [row for row in latest_scores(store, kind, minimum_attempts=minimum_attempts) if row.card_id in recall_ids]
    total = len(latest)
    if topics <= 0:
        return (), total
    if total > topics:
        latest.sort(key=_score)
        highest = latest[topics - 1].score
        latest = [row for row in latest if row.score <= highest]
    candidates = [row.card_id for row in latest]
    prompts = recall_prompts(store, candidates)
    summaries = attempt_summaries(store, kind, candidates)
    candidates = [card_id for card_id in candidates if card_id in prompts and card_id in summaries]
    candidates.sort(
        key=lambda card_id: (
            summaries[card_id].last_score,
            prompts[card_id][0].casefold(),
            summaries[card_id].first_at,
            summaries[card_id].first_id,
        )
    )
    shown = []
    for card_id in candidates[:topics]:
        summary = summaries[card_id]
        points = latest_scored_attempts(store, card_id, kind, limit=-1 if attempts is None else attempts)
        prompt, deck = prompts[card_id]
        shown.append(
            TopicProgress(
                card_id=card_id,
                topic=prompt,
                deck=deck,
                attempts=tuple((datetime.fromisoformat(point.created_at), point.score) for point in points),
                left_out=summary.attempts - len(points),
                first_coverage=summary.first_score,
            )
        )
    return tuple(shown), total


def _score(row: LatestScore) -> float:
    return float(row.score)


_LAST_OF_HOUR = timedelta(hours=1) - timedelta(microseconds=1)


class _CardGroup:
    """What `collect_stats` keeps of the active matching cards of one deck and tag set: sums, no cards."""

    __slots__ = ("cards", "deck", "failed", "lapses", "mature", "passed", "recall", "tags")

    def __init__(self, deck: str, tags: tuple[str, ...]) -> None:
        self.deck = deck
        self.tags = tags
        self.cards = 0
        self.lapses = 0
        self.mature = 0
        self.passed = 0
        """Review-state answers in the last year that were not Again (the cards' tallies added up)."""
        self.failed = 0
        self.recall: list[float] = []
        """The predicted recall now of each studied card (new cards have none)."""


def _weakest(
    groups: Sequence[_CardGroup],
    *,
    kind: str,
    filters: Filters,
    limit: int = WEAKEST_COUNT,
) -> tuple[WeakSpot, ...]:
    """`weakest` from the card groups (in the order of their first card).

    The groups are first summed per tag set (or deck): cards, lapses, passed, failed; then each set's
    sums go to its tags, a tag written twice (in two spellings) counting the cards twice, as `weakest` does.
    """
    sets: dict[object, list[Any]] = {}  # tag set or deck -> [names, cards, lapses, passed, failed]
    for group in groups:
        set_key: object = group.tags if kind == "tag" else group.deck
        found = sets.get(set_key)
        if found is None:
            found = sets[set_key] = [group.tags if kind == "tag" else (group.deck,), 0, 0, 0, 0]
        found[1] += group.cards
        found[2] += group.lapses
        found[3] += group.passed
        found[4] += group.failed
    names: dict[str, str] = {}
    members: dict[str, int] = {}
    lapses: dict[str, int] = {}
    answers: dict[str, list[int]] = {}
    for group_names, count, group_lapses, passed, failed in sets.values():
        keys: set[str] = set()
        for name in group_names:
            key = name.casefold()
            if key not in names:
                names[key] = name
                members[key] = lapses[key] = 0
                answers[key] = [0, 0]
            members[key] += count
            lapses[key] += group_lapses
            keys.add(key)
        for key in keys:
            answers[key][0] += passed
            answers[key][1] += failed
    spots: list[WeakSpot] = []
    for key, name in names.items():
        tally = Tally(*answers[key])
        if tally.answered < WEAKEST_MINIMUM_ANSWERS or (tally.failed == 0 and lapses[key] == 0):
            continue
        command = (
            review_command(decks=filters.decks, tags=(name,))
            if kind == "tag"
            else review_command(decks=(name,), tags=filters.tags)
        )
        spots.append(
            WeakSpot(kind=kind, name=name, cards=members[key], answers=tally, lapses=lapses[key], command=command)
        )
    spots.sort(key=lambda spot: (spot.answers.rate or 0.0, -spot.lapses, spot.name.casefold()))
    return tuple(spots[:limit])


def _readiness(groups: Sequence[_CardGroup], domains: Sequence[ExamDomain] = CKA_DOMAINS) -> Readiness | None:
    """`readiness` from the card groups, each distinct tag set matched against the domains once.

    A domain's recall is the exact sum (`math.fsum`, as `fmean` adds) of its studied cards' recall over
    all its cards, new ones counting 0: the mean `readiness` takes, whatever order the cards come in.
    """
    members: dict[str, list[_CardGroup]] = {domain.tag: [] for domain in domains}
    matched: dict[tuple[str, ...], list[str]] = {}
    of_tag: dict[str, frozenset[str]] = {}  # tag sets share their tags: match each tag once
    for group in groups:
        found = matched.get(group.tags)
        if found is None:
            hits: set[str] = set()
            for tag in group.tags:
                domain_tags = of_tag.get(tag)
                if domain_tags is None:
                    domain_tags = of_tag[tag] = frozenset(
                        domain.tag for domain in domains if tag_matches(domain.tag, tag)
                    )
                hits |= domain_tags
            found = matched[group.tags] = [domain.tag for domain in domains if domain.tag in hits]
        for tag in found:
            members[tag].append(group)
    if not any(members.values()):
        return None
    results = []
    for domain in domains:
        domain_groups = members[domain.tag]
        cards = sum(group.cards for group in domain_groups)
        results.append(
            DomainReadiness(
                domain=domain,
                cards=cards,
                mature=sum(group.mature for group in domain_groups),
                recall=fsum(value for group in domain_groups for value in group.recall) / cards if cards else 0.0,
            )
        )
    return Readiness(domains=tuple(results))
