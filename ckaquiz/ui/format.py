"""How times and intervals read on screen, defined once.

* `format_interval`: the short form of an interval beside a grade (`10m`, `8d`, `4mo`).
* `format_clock`: a running timer (`4:05`, `1:02:03`).
* `duration`: a time spent, in a report (`45s`, `4m 05s`, `1h 02m`), rounded to the second.
* `format_seconds`: an exam's time left or used (`45s`, `12m30s`, `1h05m`), cut to the second,
  so that the time left is never shown longer than it is.
* `format_due`: a due moment in local time (`2026-12-04 09:30`).
"""

from __future__ import annotations

from datetime import datetime, timedelta


def format_interval(interval: timedelta) -> str:
    """`1m`, `10m`, `3h`, `8d`, `4mo`, `1.5y`: the short form shown beside each grade."""
    seconds = max(0, int(interval.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y".replace(".0y", "y")


def format_clock(seconds: float) -> str:
    """`4:05` or `1:02:03`."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds_left:02d}" if hours else f"{minutes}:{seconds_left:02d}"


def duration(seconds: float) -> str:
    """`45s`, `4m 05s`, `1h 02m`."""
    return _hours_minutes_seconds(round(seconds), " ")


def format_seconds(seconds: float) -> str:
    """`1h05m`, `12m30s` or `45s`."""
    return _hours_minutes_seconds(int(seconds), "")


def _hours_minutes_seconds(whole: int, space: str) -> str:
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    if hours:
        return f"{hours}h{space}{minutes:02d}m"
    if minutes:
        return f"{minutes}m{space}{seconds_left:02d}s"
    return f"{seconds_left}s"


def format_due(moment: datetime | None) -> str:
    """A due time in local time, or `-`."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
