"""The one source of "now": real time, or the moment `CKAQUIZ_NOW` freezes it at."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ckaquiz.errors import UsageError

Clock = Callable[[], datetime]

NOW_VARIABLE = "CKAQUIZ_NOW"


FIRST_YEAR = 1970
LAST_YEAR = 2200
"""The years `CKAQUIZ_NOW` may name: far enough inside datetime's 1..9999 that the study day, a
year of statistics before it and the longest interval (36,500 days) after it all fit."""


def parse_instant(text: str) -> datetime:
    """Read an ISO-8601 date-time; one without an offset is taken as local time. Returns UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{NOW_VARIABLE}: not an ISO-8601 date-time: {text!r}") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(
            f"{NOW_VARIABLE}: {text.strip()!r} is out of range: "
            f"use a date-time from {FIRST_YEAR} to {LAST_YEAR}, such as 2025-03-21T09:00"
        )
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)


def system_clock() -> datetime:
    """The real current time, timezone-aware UTC."""
    return datetime.now(UTC)


def clock_from_environment(environment: dict[str, str] | None = None) -> Clock:
    """A clock that stands still at `CKAQUIZ_NOW` when it is set, else the system clock."""
    environment = dict(os.environ) if environment is None else environment
    frozen = environment.get(NOW_VARIABLE, "").strip()
    if not frozen:
        return system_clock
    moment = parse_instant(frozen)
    return lambda: moment


def study_day(moment: datetime, *, day_starts_at: int) -> date:
    """The study day a moment belongs to: the local date, counted from `day_starts_at` o'clock.

    The store's SQL reckons it the same way (`store.database._study_day_sql`); a test holds the two equal.
    """
    return (moment.astimezone() - timedelta(hours=day_starts_at)).date()


def study_day_start(moment: datetime, *, day_starts_at_hour: int) -> datetime:
    """The start (UTC) of the study day holding `moment`: it begins at the given local hour."""
    local = moment.astimezone()
    start = local.replace(hour=day_starts_at_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(UTC)
