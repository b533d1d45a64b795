"""How times and intervals read on screen: the one short form of an interval beside a grade."""

from __future__ import annotations

from datetime import timedelta


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
