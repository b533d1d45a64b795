"""The SQL behind the `ckaquiz stats` figures: counted in SQL, no card content and no Review objects.

Each query returns typed rows (named tuples: the figures are read by name, and building one costs
little more than the plain row SQLite gives). Undone reviews, and attempts whose review was
undone, never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from ckaquiz.model import CardKind
from ckaquiz.store.cards import card_conditions
from ckaquiz.store.rows import plain_rows, to_text

if TYPE_CHECKING:
    from ckaquiz.store.database import Store


class CardFigures(NamedTuple):
    """What `ckaquiz stats` counts of one card (`stats_card_rows`)."""

    number: int
    recall_id: str | None
    """The card's id when it is a recall card, else None."""
    deck: str
    tags_json: str
    """The tags as stored (JSON text): cards share few tag sets, each parsed once by the caller."""
    active: int
    state: str
    lapses: int
    stability: float | None
    days_since_review: int | None
    """Whole days from `last_review` to now, at least 0; None unless the card is studied (not new,
    with a stability and a last review)."""
    flags: int
    """1: mature (in review state with an interval of `mature_days` or more); 2: still due today, as
    `ckaquiz.stats.still_due` says."""
    due_day: str | None
    """The study day of `due` (ISO date text) when the card is not new and may fall due by the
    forecast's last day; None when it falls due later."""
    fields_json: str | None
    """The `fields` JSON when note dates were asked for, else None."""


class ReviewCount(NamedTuple):
    """Live reviews of one period (an hour `YYYY-MM-DDTHH` or a study day), Again or not, and kind."""

    period: str
    again: int
    kind: int
    """0: not in review state before the answer, 1: young review answer, 2: mature review answer."""
    answers: int
    duration_ms: int


class ReviewTally(NamedTuple):
    """One card's live review-state answers (`review_tallies_by_card`)."""

    card_number: int
    passed: int
    failed: int


class AttemptScore(NamedTuple):
    """One scored attempt as stored: its card, when (stored text), and its score."""

    card_id: str
    created_at: str
    score: float


class LatestScore(NamedTuple):
    """The score of a card's last scored attempt."""

    card_id: str
    score: float


class AttemptSummary(NamedTuple):
    """A card's scored attempts of one kind: how many, the first (when, id, score) and the last score."""

    attempts: int
    first_at: str
    first_id: int
    first_score: float
    last_score: float


class ScorePoint(NamedTuple):
    """One scored attempt of a card: when (stored text) and its score."""

    created_at: str
    score: float


@dataclass(frozen=True)
class ReviewScope:
    """The reviews filtered stats count (`stats_scope`; None: all of them): those of the cards in
    the temporary table `stats_cards`, or (`complement`) those of every card not in it."""

    complement: bool = False


def stats_card_rows(
    store: Store,
    *,
    decks: Iterable[str],
    day_starts_at: int,
    note_dates: bool,
    now: datetime,
    day_end: datetime,
    forecast_last_day: date,
    mature_days: int,
) -> Iterator[CardFigures]:
    """Every card (retired too, narrowed by deck as `cards` narrows), in number order, reduced in SQL to
    what `ckaquiz stats` counts: no content, no time left to parse.

    One `CardFigures` a card (see its fields for what each holds).

    Times are compared as stored text (`to_text` writes one fixed-width UTC form) and measured in
    whole microseconds (`_whole_us`), so every figure is the one the datetimes give.
    """
    where, parameters = card_conditions(decks, (), None, None, True)
    studied = "state != 'new' AND stability IS NOT NULL AND last_review IS NOT NULL"
    columns = (
        f"number, CASE WHEN kind = '{CardKind.RECALL.value}' THEN id END, deck, tags, active, state, lapses,"
        f" stability, CASE WHEN {studied} THEN {_whole_days_since_sql('last_review', now)} END,"
        f" (state = 'review' AND {_interval_at_least_sql('due', 'last_review', mature_days)})"
        " + 2 * (CASE WHEN due IS NULL THEN 0 WHEN state IN ('learning', 'relearning') THEN due <= ?"
        " WHEN state = 'review' THEN due < ? ELSE 0 END),"
        f" CASE WHEN state != 'new' AND due < ? THEN {_study_day_sql('due')} END,"
        + (" fields" if note_dates else " NULL")
    )
    values = [to_text(now), to_text(day_end), _upper_bound(forecast_last_day), _day_shift(day_starts_at)]
    query = f"SELECT {columns} FROM cards{where} ORDER BY number"
    return map(CardFigures._make, plain_rows(store.connection, query, [*values, *parameters]))


@contextmanager
def stats_scope(
    store: Store, card_numbers: Sequence[int] | None, *, complement: bool | None = None
) -> Iterator[ReviewScope | None]:
    """Which reviews `review_hours`, `review_days_between` and `cards_studied_on` count: those of
    these cards (all reviews for None). A review's `card_number` is the row of the card its
    `card_id` names (cards are never deleted).

    The numbers go into a temporary table. When they are most cards (`complement` None: more than
    half of them; True or False forces it), the table holds every other card instead, and hours
    are the summary's counts less that complement's: a filter that keeps nearly everything then
    reads few log rows instead of all of them.
    """
    if card_numbers is None:
        yield None
        return
    numbers: Iterable[int] = card_numbers
    if complement is None:
        complement = len(card_numbers) * 2 > store.connection.execute("SELECT count(*) FROM cards").fetchone()[0]
    if complement:
        kept = set(card_numbers)
        numbers = (
            number for (number,) in plain_rows(store.connection, "SELECT number FROM cards", []) if number not in kept
        )
    store.connection.execute("CREATE TEMP TABLE IF NOT EXISTS stats_cards (number INTEGER PRIMARY KEY)")
    store.connection.execute("DELETE FROM temp.stats_cards")
    store.connection.executemany(
        "INSERT OR IGNORE INTO temp.stats_cards (number) VALUES (?)", ((number,) for number in numbers)
    )
    try:
        yield ReviewScope(complement=complement)
    finally:
        store.connection.execute("DROP TABLE IF EXISTS temp.stats_cards")


def review_hours(store: Store, *, scope: ReviewScope | None = None) -> list[ReviewCount]:
    """Live (not undone) reviews counted per UTC hour (`YYYY-MM-DDTHH`), Again or not, and kind
    (0: not in review state before the answer, 1: young review answer, 2: mature review answer),
    with `ReviewCount.period` the hour.

    All reviews are read from `review_hour_counts`, the same grouping kept up to date by
    triggers as reviews are written and undone (migration 0003): a few thousand rows instead of the
    whole log. The reviews of some cards are counted over the log; those of all but some cards
    (`ReviewScope.complement`) are the summary less the others' counts over the log.
    """
    summary = "SELECT hour, again, kind, answers, duration_ms FROM review_hour_counts"
    if scope is None:
        return list(map(ReviewCount._make, plain_rows(store.connection, summary, [])))
    query = (
        f"SELECT substr(reviewed_at, 1, 13) AS hour, rating = 1 AS again, {_ANSWER_KIND_SQL} AS kind,"
        " count(*), total(duration_ms) FROM reviews WHERE undone_at IS NULL"
        " AND card_number IN (SELECT number FROM temp.stats_cards) GROUP BY hour, again, kind"
    )
    counted = _review_counts(plain_rows(store.connection, query, []))
    if not scope.complement:
        return counted
    others = {(other.period, other.again, other.kind): other for other in counted}
    kept = []
    for row in map(ReviewCount._make, plain_rows(store.connection, summary, [])):
        other = others.get((row.period, row.again, row.kind))
        if other is None:
            kept.append(row)
        elif row.answers > other.answers:
            kept.append(
                row._replace(answers=row.answers - other.answers, duration_ms=row.duration_ms - other.duration_ms)
            )
    return kept


def review_days_between(
    store: Store, start: datetime, end: datetime, *, day_starts_at: int, scope: ReviewScope | None = None
) -> list[ReviewCount]:
    """`review_hours` for the reviews from `start` (inclusive) to `end`, by study day instead of hour
    (`ReviewCount.period` the ISO date)."""
    query = (
        f"SELECT {_study_day_sql('reviewed_at')} AS day, rating = 1 AS again, {_ANSWER_KIND_SQL} AS kind,"
        " count(*), total(duration_ms) FROM reviews WHERE undone_at IS NULL AND reviewed_at >= ?"
        f" AND reviewed_at < ?{_scope_condition(scope)} GROUP BY day, again, kind"
    )
    parameters = [_day_shift(day_starts_at), to_text(start), to_text(end)]
    return _review_counts(plain_rows(store.connection, query, parameters))


def cards_studied_on(store: Store, day: date, *, day_starts_at: int, scope: ReviewScope | None = None) -> int:
    """Distinct cards with a live review on this study day."""
    query = (
        "SELECT count(DISTINCT card_number) FROM reviews WHERE undone_at IS NULL AND reviewed_at >= ?"
        f" AND reviewed_at < ? AND {_study_day_sql('reviewed_at')} = ?{_scope_condition(scope)}"
    )
    parameters = [_lower_bound(day), _upper_bound(day), _day_shift(day_starts_at), day.isoformat()]
    return int(plain_rows(store.connection, query, parameters).fetchone()[0])


def review_tallies_by_card(store: Store, since: date, *, day_starts_at: int) -> list[ReviewTally]:
    """Live review-state answers on study days from `since` on, passed and failed, per card.

    Only the reviews within two days of `since` need their study day worked out. The answers are
    read from the partial index `reviews_review_state_by_card` (migration 0003), in card order,
    not from the wide rows of the log.
    """
    query = (
        "SELECT card_number, count(*) - sum(rating = 1), sum(rating = 1) FROM reviews"
        " WHERE undone_at IS NULL AND state_before = 'review' AND (reviewed_at >= ?"
        f" OR (reviewed_at >= ? AND {_study_day_sql('reviewed_at')} >= ?)) GROUP BY card_number"
    )
    parameters = [_upper_bound(since), _lower_bound(since), _day_shift(day_starts_at), since.isoformat()]
    return list(map(ReviewTally._make, plain_rows(store.connection, query, parameters)))


def scored_attempt_rows(store: Store, kind: CardKind) -> Iterator[AttemptScore]:
    """Scored attempts of one kind, oldest first, without undone ones."""
    rows = plain_rows(
        store.connection,
        "SELECT a.card_id, a.created_at, a.score FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
        " WHERE a.kind = ? AND a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)"
        " ORDER BY a.created_at, a.id",
        [kind.value],
    )
    return map(AttemptScore._make, rows)


def latest_scores(store: Store, kind: CardKind, *, minimum_attempts: int = 1) -> Iterator[LatestScore]:
    """The score of the last scored attempt of one kind (by created_at, then id; none undone) of each card
    with at least `minimum_attempts` such attempts. Read from
    `attempt_summaries`, kept up to date by triggers as attempts are written and reviews undone
    (migration 0003), not from the attempts."""
    rows = plain_rows(
        store.connection,
        "SELECT card_id, last_score FROM attempt_summaries WHERE kind = ? AND attempts >= ?",
        [kind.value, minimum_attempts],
    )
    return map(LatestScore._make, rows)


def attempt_summaries(store: Store, kind: CardKind, card_ids: Iterable[str]) -> dict[str, AttemptSummary]:
    """For these cards, their scored attempts of one kind that `scored_attempt_rows` gives (none undone):
    an `AttemptSummary` by card id, first and last by (created_at, id); cards without any are left out.
    Read from `attempt_summaries`."""
    found: dict[str, AttemptSummary] = {}
    wanted = list(card_ids)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        rows = plain_rows(
            store.connection,
            "SELECT card_id, attempts, first_at, first_id, first_score, last_score FROM attempt_summaries"
            f" WHERE kind = ? AND card_id IN ({', '.join('?' * len(part))})",
            [kind.value, *part],
        )
        found.update((row[0], AttemptSummary._make(row[1:])) for row in rows)
    return found


def latest_scored_attempts(store: Store, card_id: str, kind: CardKind, *, limit: int) -> list[ScorePoint]:
    """A card's last `limit` scored attempts of one kind, none undone, oldest first."""
    rows = plain_rows(
        store.connection,
        "SELECT a.created_at, a.score FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
        " WHERE a.card_id = ? AND a.kind = ? AND a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)"
        " ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
        [card_id, kind.value, limit],
    )
    points = list(map(ScorePoint._make, rows))
    points.reverse()
    return points


def _scope_condition(scope: ReviewScope | None) -> str:
    """The SQL condition on `reviews` that keeps the reviews a scope counts (empty: all)."""
    if scope is None:
        return ""
    return f" AND card_number {'NOT IN' if scope.complement else 'IN'} (SELECT number FROM temp.stats_cards)"


def _study_day_sql(column: str) -> str:
    """SQL for the study day (ISO date) of a stored UTC time, as `ckaquiz.stats.study_day` reckons it:
    the local date `day_starts_at` hours earlier; takes the shift (`_day_shift`) as its parameter.

    Written by `to_text`, times are `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`; the fraction is cut off, as
    SQLite would round it to milliseconds (and 03:59:59.9999 would land on the next day), and no
    day starts inside a second.
    """
    return f"date(substr({column}, 1, 19), 'localtime', ?)"


def _day_shift(day_starts_at: int) -> str:
    return f"-{int(day_starts_at)} hours"


def _lower_bound(day: date) -> str:
    """A stored time before any moment of this study day in any time zone (an index bound)."""
    return to_text(datetime.combine(day, time(0), tzinfo=UTC) - timedelta(days=2)) or ""


def _upper_bound(day: date) -> str:
    """A stored time after every moment of this study day in any time zone: later ones are later days."""
    return to_text(datetime.combine(day, time(0), tzinfo=UTC) + timedelta(days=2)) or ""


def _whole_us(column: str) -> str:
    return (
        f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
        f" + CAST(substr({column}, 21, 6) AS INTEGER))"
    )


_MATURE_BEFORE_SQL = (
    "(due_before IS NOT NULL AND last_review_before IS NOT NULL"
    f" AND {_whole_us('due_before')} - {_whole_us('last_review_before')} >= 21 * 86400 * 1000000)"
)
"""Whether a review's interval before the answer was 21 days or more, in whole microseconds."""
_INTERVAL_BEFORE_SQL = "(julianday(due_before) - julianday(last_review_before))"
_ANSWER_KIND_SQL = (
    f"(CASE WHEN state_before != 'review' THEN 0 WHEN {_INTERVAL_BEFORE_SQL} > 21.00001 THEN 2"
    f" WHEN {_INTERVAL_BEFORE_SQL} < 20.99999 THEN 1 ELSE 1 + {_MATURE_BEFORE_SQL} END)"
)
"""0: not a review-state answer, 1: young, 2: mature. julianday (milliseconds, floating point) settles
all but the intervals within a second of 21 days, which are measured in whole microseconds."""


def _interval_at_least_sql(later: str, earlier: str, days: int) -> str:
    """SQL: whether the time in column `later` is at least `days` whole days after `earlier` (0 or 1; 0
    when either is NULL). As in `_ANSWER_KIND_SQL`, julianday settles all but the intervals within a
    second of `days`, which are measured in whole microseconds, as Python's timedelta measures them."""
    whole = int(days)
    interval = f"(julianday({later}) - julianday({earlier}))"
    return (
        f"(CASE WHEN {later} IS NULL OR {earlier} IS NULL THEN 0 WHEN {interval} > {whole}.00001 THEN 1"
        f" WHEN {interval} < {whole - 1}.99999 THEN 0"
        f" ELSE {_whole_us(later)} - {_whole_us(earlier)} >= {whole} * 86400 * 1000000 END)"
    )


def _whole_days_since_sql(column: str, moment: datetime) -> str:
    """SQL: the whole days from the stored time in `column` to `moment`, at least 0, as Python's
    `max(0, (moment - time).days)` counts them. julianday (milliseconds, floating point) settles all but
    the differences within a second of a whole number of days, which are counted in whole microseconds."""
    whole_us = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    days = f"({whole_us / 86_400_000_000 + 2440587.5!r} - julianday({column}))"  # the moment's julian day, inline
    return (
        f"(CASE WHEN {days} < 0.99999 THEN 0"
        f" WHEN {days} - CAST({days} AS INTEGER) BETWEEN 0.00001 AND 0.99999 THEN CAST({days} AS INTEGER)"
        f" ELSE max(0, ({whole_us} - {_whole_us(column)}) / 86400000000) END)"
    )


def _review_counts(rows: Iterable[Sequence[Any]]) -> list[ReviewCount]:
    """Counted review rows, the total duration (SQLite's `total`, a float) as whole milliseconds."""
    return [ReviewCount(row[0], row[1], row[2], row[3], int(row[4])) for row in rows]


def lapses_by_tag_set(store: Store) -> list[tuple[str, int, int]]:
    """Per tag set (as stored, JSON text) of the active cards studied so far: their lapses and answers.

    Read through the summary index's states, grouped in SQL: cards share few tag sets.
    """
    rows = plain_rows(
        store.connection,
        "SELECT tags, SUM(lapses), SUM(reps) FROM cards"
        " WHERE active = 1 AND state IN ('learning', 'review', 'relearning') GROUP BY tags",
        [],
    )
    return [(str(tags), int(lapses or 0), int(reps or 0)) for tags, lapses, reps in rows]
