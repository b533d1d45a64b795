"""The session engine: builds the queue, answers, undoes, keeps limits. Never prints or prompts.

Front ends (the Rich terminal UI, the plain line protocol, tests) drive it through
`next_card`, `assess`, `answer`, `skip`, `undo` and `finish`. Each answer is committed to
the store before `answer` returns, so nothing the learner graded can be lost; what they typed
before grading is kept as the card's draft (`save_draft`), offered back the next time it shows.

Two sessions may run on one data folder at once: a session leases the card it shows
(`ckaquiz.store.leases`), passes over a card another session holds, and leaves out a card
another session reviewed after this one took it in, so one answer is never asked for twice.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ckaquiz import scheduling
from ckaquiz.assessment import Assessment
from ckaquiz.clock import Clock, system_clock
from ckaquiz.config import NewOrder
from ckaquiz.filters import Filters
from ckaquiz.library import Library
from ckaquiz.model import Card, CardKind, CardState, ChoiceDetails, Rating, Review, Schedule
from ckaquiz.new_order import domain_weakness, introduce
from ckaquiz.outlook import Outlook, outlook
from ckaquiz.siblings import DaySiblings
from ckaquiz.store import (
    CardSummary,
    StoredCard,
    card_by_number,
    card_summaries,
    drafts,
    end_session,
    leases,
    marks,
    record_attempt_in_transaction,
    record_review_in_transaction,
    schedule_of,
    start_session,
    states_of,
    studied_since,
    undo_review,
)

LEARN_AHEAD = timedelta(minutes=20)


class Mode(StrEnum):
    """`study`: what is due now plus new cards; `review`: every matching card, due or not."""

    STUDY = "study"
    REVIEW = "review"


Assessor = Callable[[Card, str, float], Assessment | None]


@dataclass(frozen=True)
class QueueItem:
    """The card to show now, the outcome each grade would have, and where it is in the session."""

    stored: StoredCard
    outcomes: dict[Rating, Schedule]
    position: int
    total: int
    shown_at: datetime
    options: tuple[str, ...] = ()

    @property
    def card(self) -> Card:
        return self.stored.card

    def intervals(self) -> dict[Rating, timedelta]:
        """How long until the card is due again after each grade."""
        return {rating: (schedule.due or self.shown_at) - self.shown_at for rating, schedule in self.outcomes.items()}


@dataclass
class Summary:
    """What a session did: answers per grade, new cards learned, time, the next due card."""

    session_id: str
    counts: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))
    new_learned: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None
    """The soonest due moment after the session's end, whatever is due now (see `outlook` for what to show)."""
    outlook: Outlook | None = None
    """What is still due now and soon, and when the next card is due (set by `Session.finish`)."""
    shown: int = 0
    """Cards shown in the session (0: nothing was due when it started)."""

    @property
    def reviewed(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        """`reviewed N cards: again A, hard H, good G, easy E` (the plain protocol's last line)."""
        parts = ", ".join(f"{rating.label} {self.counts[rating]}" for rating in Rating)
        return f"reviewed {self.reviewed} cards: {parts}"


@dataclass(frozen=True)
class QueueCounts:
    """The cards still to come in a session, the current one included, by what they are."""

    new: int
    learning: int
    review: int


@dataclass
class _Answered:
    review_id: int
    number: int
    rating: Rating
    was_new: bool


class Session:
    """One study or review session over a collection."""

    def __init__(
        self,
        collection: Library,
        filters: Filters = Filters(),
        *,
        mode: Mode = Mode.STUDY,
        limit: int | None = None,
        shuffle: bool = False,
        assessor: Assessor | None = None,
        seed: int | None = None,
        include_tasks: bool = False,
        lease_clock: Clock = system_clock,
    ) -> None:
        self.collection = collection
        self.include_tasks = include_tasks
        """Exam tasks (`task` cards) join the queue only when asked for: they are exam material."""
        self.store = collection.store
        self.filters = filters
        self.mode = mode
        self.limit = limit
        self.assessor = assessor
        self.id = uuid.uuid4().hex
        self._random = random.Random(seed)
        self._shuffle = shuffle
        self._queue: list[int] = []
        self._pending: dict[int, datetime] = {}
        self._not_ahead: set[int] = set()
        """Recall cards graded in this session: they come back when due, never early through LEARN_AHEAD."""
        self._current: QueueItem | None = None
        self._answered: list[_Answered] = []
        self._skipped = 0
        self._started = False
        self._started_monotonic = time.monotonic()
        self._finished = False
        self.summary = Summary(session_id=self.id)
        self._lease_clock = lease_clock
        """Leases are measured in real time, even when the study clock stands still (`ckaquiz.store.leases`)."""
        self._renewal = leases.LeaseRenewal(self.store.path, self.id, clock=lease_clock)
        self._taken_in: dict[int, int] = {}
        """Per card, the review-log mark when this session took it in (default: when it started)."""
        self._start_mark = 0
        self._passed_over: set[int] = set()
        self._states: dict[int, CardState] | None = None
        self._saved_draft = ""

    # building the queue -----------------------------------------------------------------

    def start(self) -> None:
        """Build the queue and record the session."""
        if self._started:
            return
        self._started = True
        self._started_monotonic = time.monotonic()
        now = self.collection.now()
        start_session(self.store, self.id, self.mode.value, self.filters.to_dict(), now=now)
        self._start_mark = leases.log_mark(self.store)
        self._queue = self._build_queue(now)
        self._renewal.start()

    def _summaries(self, **narrowing: Any) -> Generator[CardSummary, None, None]:
        """The filters' decks' cards without their content, read lazily (see `ckaquiz.store.cards.card_summaries`)."""
        excluded = () if self.include_tasks else (CardKind.TASK,)
        return card_summaries(self.store,
            decks=self.filters.decks,
            note_dates=self.filters.by_date,
            exclude_kinds=excluded,
            unmarked_at=self.collection.now(),
            **narrowing,
        )

    def _matching(self, summaries: Iterable[CardSummary]) -> Iterator[CardSummary]:
        matches = self.filters.matches_values
        return (card for card in summaries if matches(deck=card.deck, tags=card.tags, note_date=card.note_date))

    def _matching_summaries(self, **narrowing: Any) -> Generator[CardSummary, None, None]:
        """The session's cards (its filters applied) narrowed as `card_summaries` narrows, read lazily."""
        with closing(self._summaries(**narrowing)) as summaries:
            yield from self._matching(summaries)

    def _build_queue(self, now: datetime) -> list[int]:
        # Cards are read as summaries (no content), and a queue with a daily limit stops reading
        # once it is full: building today's queue costs the same for 1,000 cards or 100,000.
        if self.mode is Mode.REVIEW:
            cards = list(self._matching(self._summaries(order="due")))
            if self._shuffle:
                self._random.shuffle(cards)
            else:
                cards.sort(key=lambda card: (card.due is None, card.due or now, card.number))
            numbers = [card.number for card in cards]
            return numbers[: self.limit] if self.limit is not None else numbers
        queue = self._study_queue(now)
        return queue[: self.limit] if self.limit is not None else queue

    def _study_queue(self, now: datetime) -> list[int]:
        """What `study` shows at `now`: learning cards due, then today's reviews and new cards within
        the daily limits, siblings held back (no session limit)."""
        settings = self.collection.settings
        day_start = self.collection.study_day_start()
        day_end = day_start + timedelta(days=1)
        new_today, reviews_today, siblings_today = studied_since(self.store, day_start)
        learning = self._summaries(states=(CardState.LEARNING, CardState.RELEARNING), due_before=now, order="due")
        queue: list[int] = [card.number for card in self._matching(learning)]
        siblings = DaySiblings(self.store, siblings_today, day_start, across_kinds=settings.bury_siblings_across_kinds)
        siblings.shown(queue)

        review_room = max(0, settings.reviews_per_day - reviews_today)
        if review_room > 0:
            with closing(self._summaries(states=(CardState.REVIEW,), due_before=day_end, order="due")) as reviews:
                for card in siblings.admitted(self._matching(reviews)):
                    queue.append(card.number)
                    review_room -= 1
                    if review_room <= 0:
                        break
        new_room = max(0, settings.new_per_day - new_today)
        if new_room > 0:
            weakness = domain_weakness(self.store) if settings.new_order is NewOrder.WEIGHTED else None
            with closing(self._summaries(states=(CardState.NEW,))) as new_cards:
                queue.extend(introduce(
                    self._matching(new_cards),
                    settings.new_order,
                    day=day_start.date(),
                    admit=siblings.admit,
                    room=new_room,
                    weakness=weakness,
                ))
        return queue

    # driving ---------------------------------------------------------------------------------

    @property
    def remaining(self) -> int:
        """Cards still to come, counting learning cards waiting to come back."""
        return len(self._queue) + len(self._pending)

    def next_card(self) -> QueueItem | None:
        """The next card to show, or None when the session is done."""
        self.start()
        if self._current is not None:
            return self._current
        while True:
            now = self.collection.now()
            number = self._take_next(now)
            if number is None:
                return None
            stored = card_by_number(self.store, number)
            if stored is not None and stored.active and self._may_show(stored, now):
                break
        self.summary.shown += 1
        outcomes = scheduling.preview(
            self.collection.scheduler, stored.number, stored.schedule, now, card_id=stored.card.id
        )
        self._saved_draft = drafts.draft_of(self.store, stored.number)
        self._current = QueueItem(
            stored=stored,
            outcomes=outcomes,
            position=len(self._answered) + self._skipped + 1,
            total=len(self._answered) + self._skipped + 1 + self.remaining,
            shown_at=now,
            options=self._shuffled_options(stored.card),
        )
        return self._current

    def _may_show(self, stored: StoredCard, now: datetime) -> bool:
        """Whether to show a card taken from the queue now, leasing it if so.

        A card suspended or buried since the queue was built, or reviewed by another session since
        this one took it in, is left out. A card another session is showing is passed over once
        (it comes back at the end of the queue) and left out the second time.
        """
        number = stored.number
        if marks.marks_of(self.store, [number]).get(number, marks.UNMARKED).hidden_at(now):
            return False
        mark = self._taken_in.get(number, self._start_mark)
        if leases.reviewed_by_another_since(self.store, stored.card.id, self.id, mark):
            return False
        if leases.claim(self.store, number, self.id, now=self._lease_clock()):
            return True
        if number not in self._passed_over:
            self._passed_over.add(number)
            self._queue.append(number)
        return False

    def _shuffled_options(self, card: Card) -> tuple[str, ...]:
        """A choice card's options in a fresh order for each showing."""
        details = card.details
        options = list(details.options) if isinstance(details, ChoiceDetails) else []
        self._random.shuffle(options)
        return tuple(options)

    def _take_next(self, now: datetime) -> int | None:
        due_pending = sorted((due, number) for number, due in self._pending.items() if due <= now)
        if due_pending:
            return self._pop_pending(due_pending[0][1])
        if self._queue:
            return self._queue.pop(0)
        ahead = sorted(
            (due, number)
            for number, due in self._pending.items()
            if due <= now + LEARN_AHEAD and number not in self._not_ahead
        )
        if ahead:
            return self._pop_pending(ahead[0][1])
        return None

    def _pop_pending(self, number: int) -> int:
        del self._pending[number]
        return number

    def assess(self, response: str, *, seconds_taken: float = 0.0) -> Assessment | None:
        """Judge a typed response to the current card, when an assessor knows its kind."""
        item = self._require_current()
        if self.assessor is None:
            return None
        return self.assessor(item.card, response, seconds_taken)

    def answer(
        self,
        rating: Rating,
        *,
        duration_ms: int = 0,
        response: str | None = None,
        assessment: Assessment | None = None,
    ) -> Schedule:
        """Grade the current card; the review (and any attempt) is committed before returning."""
        item = self._require_current()
        now = self.collection.now()
        store = self.store
        with store.transaction() as connection:
            before = schedule_of(store, item.stored.number)
            after = item.outcomes[rating]
            if before != item.stored.schedule or now != item.shown_at:
                # Answered later than shown (or the card changed meanwhile): intervals count from
                # the answer, so a card that took minutes to write out is not due before it was answered.
                after = scheduling.review(
                    self.collection.scheduler, item.stored.number, before, rating, now, card_id=item.card.id
                )
            review = Review(
                card_id=item.card.id,
                rating=rating,
                reviewed_at=now,
                duration_ms=max(0, duration_ms),
                before=before,
                after=after,
                session_id=self.id,
            )
            review_id = record_review_in_transaction(store, connection, review, item.stored.number)
            if response is not None or assessment is not None:
                record_attempt_in_transaction(store,
                    connection,
                    review_id=review_id,
                    card_id=item.card.id,
                    kind=item.card.kind,
                    response=response or "",
                    duration_ms=max(0, duration_ms),
                    result=assessment.result if assessment else {},
                    score=assessment.score if assessment else None,
                    suggested=assessment.suggested if assessment else None,
                    final=rating,
                    now=now,
                )
            drafts.delete_draft_in_transaction(connection, item.stored.number)
            leases.release_in_transaction(connection, self.id, item.stored.number)
        was_new = before.state is CardState.NEW
        if after.state in (CardState.LEARNING, CardState.RELEARNING) and after.due is not None:
            self._pending[item.stored.number] = after.due
            self._taken_in[item.stored.number] = review_id
            if item.card.kind is CardKind.RECALL and self.collection.settings.skip_recall_learn_ahead:
                self._not_ahead.add(item.stored.number)  # rewriting a page minutes later is not practice
        self._answered.append(_Answered(review_id, item.stored.number, rating, was_new))
        self.summary.counts[rating] += 1
        if was_new:
            self.summary.new_learned += 1
        self._current = None
        return after

    def skip(self) -> None:
        """Leave the current card for another day (nothing is logged; its draft is kept)."""
        self._leave_current()

    def suspend(self) -> None:
        """Suspend the current card: it leaves this session and every queue until `ckaquiz unsuspend`."""
        item = self._require_current()
        marks.suspend(self.store, [item.stored.number], now=self.collection.now())
        self._leave_current()

    def bury(self) -> datetime:
        """Bury the current card until the next study day starts (returned); it leaves this session."""
        item = self._require_current()
        until = self.collection.study_day_start() + timedelta(days=1)
        marks.bury(self.store, [item.stored.number], until=until)
        self._leave_current()
        return until

    def toggle_flag(self) -> bool:
        """Flag the current card, or unflag it; returns whether it is flagged now. It stays shown."""
        item = self._require_current()
        return marks.toggle_flag(self.store, item.stored.number, now=self.collection.now())

    def _leave_current(self) -> None:
        item = self._require_current()
        leases.release(self.store, self.id, item.stored.number)
        self._skipped += 1
        self._current = None

    # drafts ------------------------------------------------------------------------------------

    def draft(self) -> str:
        """What was typed for the current card before and not graded ("" when nothing)."""
        self._require_current()
        return self._saved_draft

    def save_draft(self, response: str) -> None:
        """Keep what is typed for the current card so far (written only when it changed)."""
        item = self._require_current()
        if response == self._saved_draft:
            return
        drafts.save_draft(self.store, item.stored.number, response, now=self.collection.now())
        self._saved_draft = response

    def is_leech(self, item: QueueItem) -> bool:
        """Whether the card shown has lapsed as often as `leech_lapses` says a leech has."""
        from ckaquiz.stats import is_leech

        return is_leech(item.stored.schedule, self.collection.settings)

    def counts(self) -> QueueCounts:
        """New, learning and review cards still to come, the one shown now included."""
        if self._states is None:
            self._states = states_of(self.store, self._queue)
        missing = [number for number in self._queue if number not in self._states]
        if missing:
            self._states.update(states_of(self.store, missing))
        states = [self._states.get(number, CardState.NEW) for number in self._queue]
        if self._current is not None:
            states.append(self._current.stored.schedule.state)
        new = sum(1 for state in states if state is CardState.NEW)
        review = sum(1 for state in states if state is CardState.REVIEW)
        learning = len(states) - new - review
        return QueueCounts(new=new, learning=learning + len(self._pending), review=review)

    def undo(self) -> Card | None:
        """Take back the last grade of this session; its card comes next again."""
        if not self._answered:
            return None
        last = self._answered.pop()
        scheduler = self.collection.scheduler
        undo_review(self.store,
            last.review_id,
            now=self.collection.now(),
            session_id=self.id,
            replay=lambda first, reviews: scheduling.replay(
                scheduler, last.number, first, reviews, card_id=reviews[0].card_id if reviews else None
            ),
        )
        self.summary.counts[last.rating] -= 1
        if last.was_new:
            self.summary.new_learned -= 1
        self._pending.pop(last.number, None)
        self._not_ahead.discard(last.number)
        if self._current is not None:
            leases.release(self.store, self.id, self._current.stored.number)
            self._queue.insert(0, self._current.stored.number)
            self._current = None
        self._queue.insert(0, last.number)
        self._taken_in[last.number] = leases.log_mark(self.store)  # asked for again: shown whatever came before
        if self._states is not None:
            self._states.pop(last.number, None)
        stored = card_by_number(self.store, last.number)
        return None if stored is None else stored.card

    def finish(self) -> Summary:
        """End the session: record it and work out when the next card is due."""
        if self._finished:
            return self.summary
        self._finished = True
        self.start()
        self._renewal.stop()
        leases.release(self.store, self.id)
        now = self.collection.now()
        end_session(self.store, self.id, now=now)
        self.summary.seconds = time.monotonic() - self._started_monotonic
        with closing(self._summaries(due_after=now, order="due")) as upcoming:
            soonest = next(self._matching(upcoming), None)
        self.summary.next_due = soonest.due if soonest is not None else None
        self.summary.outlook = outlook(self.collection, self._matching_summaries, now, waiting=self._waiting(now))
        return self.summary

    def _waiting(self, now: datetime) -> tuple[int, int] | None:
        """(cards to review, new cards) a study session started at `now` would show; None in review mode."""
        if self.mode is Mode.REVIEW:
            return None
        numbers = self._study_queue(now)
        states = states_of(self.store, numbers)
        new = sum(1 for number in numbers if states.get(number) is CardState.NEW)
        return len(numbers) - new, new

    def _require_current(self) -> QueueItem:
        if self._current is None:
            raise RuntimeError("no card is being shown; call next_card() first")
        return self._current


def is_typed_kind(kind: CardKind) -> bool:
    """Kinds whose answer the learner types in full (several lines)."""
    return kind in (CardKind.RECALL, CardKind.MANIFEST)
