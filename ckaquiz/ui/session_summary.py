"""The words of a session's summary, shared by the Rich panel and the plain protocol.

`summary_rows` gives (label, value) pairs: what was reviewed, learned and how long it took, what
is still due now and soon, and when the next card is due. `empty_start_line` is the one line
shown instead when nothing was due as the session started.
"""

from __future__ import annotations

from ckaquiz.outlook import Outlook
from ckaquiz.session import Summary
from ckaquiz.ui.format import duration, format_due, format_interval
from ckaquiz.ui.plurals import plural


def started_empty(summary: Summary) -> bool:
    """Whether the session showed no card because none was due (not because another session held them)."""
    outlook = summary.outlook
    return summary.shown == 0 and outlook is not None and outlook.waiting_now == 0


def next_card_text(outlook: Outlook) -> str:
    """`now`, `2026-12-04 09:40 (in 10m)` (local time) or `none scheduled`."""
    if outlook.next_at is None:
        return "none scheduled"
    if outlook.waiting_now or outlook.next_at <= outlook.at:
        return "now"
    return f"{format_due(outlook.next_at)} (in {format_interval(outlook.next_at - outlook.at)})"


def empty_start_line(outlook: Outlook) -> str:
    """`nothing is due now; next card at <local time> (in 3h)`, or `no cards yet; ...`."""
    if not outlook.has_cards:
        return "no cards yet; import notes with ckaquiz import"
    if outlook.next_at is None:
        return "nothing is due now; no card is scheduled (suspended cards return with ckaquiz unsuspend)"
    return f"nothing is due now; next card at {next_card_text(outlook)}"


def due_now_text(outlook: Outlook) -> str:
    """`3 cards (2 to review, 1 new)` or `none`."""
    if not outlook.waiting_now:
        return "none"
    parts = [f"{outlook.due_now} to review"] if outlook.due_now else []
    parts += [f"{outlook.new_now} new"] if outlook.new_now else []
    return f"{plural(outlook.waiting_now, 'card')} ({', '.join(parts)})"


def outlook_rows(outlook: Outlook) -> list[tuple[str, str]]:
    """What is still due as (label, value) pairs: `due now`, `due soon` and `next card`."""
    soon = f"{plural(outlook.due_soon, 'learning card')} back today" if outlook.due_soon else "none"
    return [("due now", due_now_text(outlook)), ("due soon", soon), ("next card", next_card_text(outlook))]


def summary_lines(summary: Summary) -> list[str]:
    """The plain protocol's summary lines before its last (`reviewed N cards: ...`) line."""
    outlook = summary.outlook
    learned = f"learned: {plural(summary.new_learned, 'new card')} in {duration(summary.seconds)}"
    return [learned, *(f"{label}: {value}" for label, value in (outlook_rows(outlook) if outlook else []))]
