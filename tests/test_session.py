"""The session engine with scripted answers and a fixed clock, no terminal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.filters import Filters
from ckaquiz.model import CardState, Rating
from ckaquiz.session import Mode, Session
from tests.conftest import FrozenClock

DECK = """\
deck: practice
tags: [cka, cka/storage]
cards:
  - {front: one, back: "1", id: one}
  - {front: two, back: "2", id: two}
  - {front: three, back: "3", id: three, tags: [extra]}
  - {front: pair, back: both ways, id: pair, reverse: true}
  - kind: cloze
    id: cl
    text: "{{a}} and {{b}}"
"""


@pytest.fixture
def deck_collection(collection: Collection, tmp_path: Path) -> Collection:
    path = tmp_path / "practice.yaml"
    path.write_text(DECK, encoding="utf-8")
    collection.import_path(path)
    return collection


def answer_all(session: Session, rating: Rating = Rating.GOOD, limit: int = 100) -> list[str]:
    shown: list[str] = []
    while (item := session.next_card()) is not None and len(shown) < limit:
        shown.append(item.card.id)
        session.answer(rating)
    return shown


def test_new_cards_in_file_order_and_siblings_apart(deck_collection: Collection) -> None:
    session = Session(deck_collection)
    first_pass = []
    while (item := session.next_card()) is not None:
        first_pass.append((item.card.id, item.stored.schedule.state))
        session.answer(Rating.GOOD)
    new_ids = [card_id for card_id, state in first_pass if state is CardState.NEW]
    assert new_ids == ["practice:one", "practice:two", "practice:three", "practice:pair", "practice:cl:c1"]
    learning_again = [card_id for card_id, state in first_pass if state is CardState.LEARNING]
    assert learning_again == new_ids  # each came back after its 10m step, learning ahead at the end
    assert session.finish().counts[Rating.GOOD] == 10


def test_siblings_wait_for_another_day(deck_collection: Collection, clock: FrozenClock) -> None:
    answer_all(Session(deck_collection))
    assert [item for item in [Session(deck_collection).next_card()] if item] == []
    clock.moment += timedelta(days=1)
    second_day = answer_all(Session(deck_collection))
    assert "practice:pair:r" in second_day and "practice:cl:c2" in second_day


def test_new_cards_per_day_limit_counts_across_sessions(deck_collection: Collection, clock: FrozenClock) -> None:
    deck_collection.settings = type(deck_collection.settings)(enable_fuzzing=False, new_per_day=2)
    assert len(set(answer_all(Session(deck_collection)))) == 2
    assert answer_all(Session(deck_collection)) == []
    clock.moment += timedelta(days=1)
    assert len(set(answer_all(Session(deck_collection)))) >= 2


def test_again_comes_back_in_the_same_session(deck_collection: Collection) -> None:
    session = Session(deck_collection, Filters(tags=("extra",)))
    item = session.next_card()
    assert item is not None and item.card.id == "practice:three"
    session.answer(Rating.AGAIN)
    again = session.next_card()
    assert again is not None and again.card.id == "practice:three"
    assert again.stored.schedule.state is CardState.LEARNING


def test_intervals_count_from_the_answer_not_from_when_the_card_was_shown(
    deck_collection: Collection, clock: FrozenClock
) -> None:
    """A blank-page recall takes minutes to write: Again (1 minute) counted from the showing made the
    card due before it was answered, and it came straight back although new cards were waiting."""
    session = Session(deck_collection)
    first = session.next_card()
    assert first is not None
    shown_due = first.outcomes[Rating.AGAIN].due
    clock.moment += timedelta(minutes=3)  # the learner writes for three minutes
    after = session.answer(Rating.AGAIN)
    assert shown_due is not None and after.due is not None
    assert after.due == shown_due + timedelta(minutes=3)  # the same step, from the answer
    assert after.due > clock.moment
    following = session.next_card()
    assert following is not None and following.card.id != first.card.id  # a new card first


def test_due_reviews_come_most_overdue_first(deck_collection: Collection, clock: FrozenClock) -> None:
    session = Session(deck_collection, Filters(decks=("practice",)))
    for expected in ["practice:one", "practice:two"]:
        item = session.next_card()
        assert item is not None and item.card.id == expected
        session.answer(Rating.EASY)  # graduates at once: 8 days
    clock.moment += timedelta(minutes=5)
    item = session.next_card()
    assert item is not None
    session.skip()
    clock.moment += timedelta(days=30)
    later = Session(deck_collection, Filters(tags=("cka",)))
    first = later.next_card()
    assert first is not None and first.card.id == "practice:one"
    later.answer(Rating.GOOD)
    second = later.next_card()
    assert second is not None and second.card.id == "practice:two"


def test_undo_restores_the_schedule_and_shows_the_card_again(deck_collection: Collection) -> None:
    session = Session(deck_collection)
    item = session.next_card()
    assert item is not None
    session.answer(Rating.EASY)
    after = deck_collection.store.card(item.card.id)
    assert after is not None and after.schedule.state is CardState.REVIEW
    following = session.next_card()
    assert following is not None
    undone = session.undo()
    assert undone is not None and undone.id == item.card.id
    restored = deck_collection.store.card(item.card.id)
    assert restored is not None and restored.schedule.state is CardState.NEW
    again = session.next_card()
    assert again is not None and again.card.id == item.card.id
    assert session.summary.reviewed == 0
    assert deck_collection.store.reviews(session_id=session.id) == []


def test_review_mode_shows_every_matching_card_due_or_not(deck_collection: Collection) -> None:
    answer_all(Session(deck_collection), Rating.EASY)
    assert Session(deck_collection).next_card() is None
    review = Session(deck_collection, Filters(tags=("cka/storage",)), mode=Mode.REVIEW, limit=3)
    shown = answer_all(review)
    assert len(shown) == 3
    assert len(deck_collection.store.reviews(session_id=review.id)) == 3


def test_limit_caps_the_session(deck_collection: Collection) -> None:
    shown = answer_all(Session(deck_collection, limit=2), Rating.EASY)
    assert shown == ["practice:one", "practice:two"]


def test_two_sessions_at_once_keep_every_review(deck_collection: Collection, clock: FrozenClock) -> None:
    """The second session passes over the card the first is showing, and leaves it out once the first
    reviewed it; every review of both is kept."""
    other = Collection.open(deck_collection.home, clock=clock)
    first, second = Session(deck_collection), Session(other)
    item_a, item_b = first.next_card(), second.next_card()
    assert item_a is not None and item_b is not None and item_a.card.id != item_b.card.id
    first.answer(Rating.GOOD)
    second.answer(Rating.GOOD)
    shown_second = [item_b.card.id, *answer_all(second)]
    assert item_a.card.id not in shown_second
    assert {review.session_id for review in deck_collection.store.reviews(card_id=item_a.card.id)} == {first.id}
    assert {review.session_id for review in deck_collection.store.reviews(card_id=item_b.card.id)} == {second.id}
    other.close()
