"""What is still due when a session ends (or cannot start): cards due now, soon, and the next one's time.

`study` started now would show the cards *due now*: learning cards whose step has come, reviews
due today (up to what is left of `reviews_per_day`) and new cards (up to what is left of
`new_per_day`). Learning cards coming back later this study day are *due soon*. While any card is
due now, the next card is due now: never a review days away while cards wait. Cards held back
for their siblings (`ckaquiz.siblings`) are not due now: a session passes the counts its queue
builder finds as `waiting`, and when only held-back cards are left they come with the next study day.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from ckaquiz.library import Library
from ckaquiz.model import CardState
from ckaquiz.store import CardSummary, studied_since

CardQuery = Callable[..., Generator[CardSummary, None, None]]
"""The session's cards (its filters applied), narrowed as `ckaquiz.store.card_summaries` narrows."""

LEARNING_STATES = (CardState.LEARNING, CardState.RELEARNING)


@dataclass(frozen=True)
class Outlook:
    """Cards due now (reviews and learning, and new ones), learning cards due soon, and when the next is due."""

    due_now: int
    new_now: int
    due_soon: int
    next_at: datetime | None
    """`now` while cards are due now; None when no card is waiting at all (none, or all suspended)."""
    has_cards: bool
    """Whether the filters match any card at all (else: nothing imported yet)."""
    at: datetime
    """The moment this outlook was taken."""

    @property
    def waiting_now(self) -> int:
        return self.due_now + self.new_now


def _count(cards: Generator[CardSummary, None, None], up_to: int | None = None) -> int:
    with closing(cards):
        return sum(1 for _ in (cards if up_to is None else islice(cards, up_to)))


def _first(cards: Generator[CardSummary, None, None]) -> CardSummary | None:
    with closing(cards):
        return next(cards, None)


def outlook(library: Library, cards: CardQuery, now: datetime, waiting: tuple[int, int] | None = None) -> Outlook:
    """What `study` would show at `now`, and when the next card is due (see the module docstring).

    `waiting` is (cards to review, new cards) as the session's queue builder finds them, siblings
    held back; without it every due card within the daily limits counts."""
    settings = library.settings
    day_start = library.study_day_start()
    day_end = day_start + timedelta(days=1)
    new_today, reviews_today, _ = studied_since(library.store, day_start)
    review_room = max(0, settings.reviews_per_day - reviews_today)
    new_room = max(0, settings.new_per_day - new_today)
    learning_now = _count(cards(states=LEARNING_STATES, due_before=now))
    reviews_now = _count(cards(states=(CardState.REVIEW,), due_before=day_end), review_room)
    new_now = _count(cards(states=(CardState.NEW,)), new_room)
    soon = _count(cards(states=LEARNING_STATES, due_after=now, due_before=day_end))
    has_cards = _first(cards()) is not None
    due_now, new_count = waiting if waiting is not None else (learning_now + reviews_now, new_now)
    if due_now + new_count:
        return Outlook(due_now, new_count, soon, now, has_cards, now)
    candidates: list[datetime] = []
    upcoming = _first(cards(due_after=now, order="due"))
    if upcoming is not None and upcoming.due is not None:
        # a review due today but over the daily limit waits for the next study day
        limited = upcoming.state is CardState.REVIEW and upcoming.due <= day_end
        candidates.append(day_end if limited else upcoming.due)
    if new_room == 0 and _first(cards(states=(CardState.NEW,))) is not None:
        candidates.append(day_end)  # today's new cards are done; more come with the next study day
    if learning_now + reviews_now + new_now:
        candidates.append(day_end)  # due, but held back for a sibling shown today
    return Outlook(0, 0, soon, min(candidates) if candidates else None, has_cards, now)
