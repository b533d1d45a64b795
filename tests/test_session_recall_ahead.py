"""A recall card graded in a session does not come back in it early, through the learn-ahead window."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.model import CardState, Rating
from ckaquiz.session import LEARN_AHEAD, Session
from tests.conftest import FrozenClock

DECK = """\
deck: topics
tags: [cka, cka/storage]
cards:
  - kind: recall
    id: volumes
    topic: Volumes
    notes: |
      - emptyDir lives as long as its pod
      - hostPath mounts a node's file or folder
  - {front: basic, back: "1", id: basic}
"""


@pytest.fixture
def topics(collection: Collection, tmp_path: Path) -> Collection:
    path = tmp_path / "topics.yaml"
    path.write_text(DECK, encoding="utf-8")
    collection.import_path(path)
    return collection


def test_a_recall_card_graded_good_does_not_come_back_in_the_same_session(topics: Collection) -> None:
    session = Session(topics, limit=1)
    item = session.next_card()
    assert item is not None and item.card.id == "topics:volumes"
    after = session.answer(Rating.GOOD)
    assert after.state is CardState.LEARNING and after.due is not None
    assert after.due - topics.now() <= LEARN_AHEAD  # within the window it would have come back in
    assert session.next_card() is None
    assert session.finish().reviewed == 1


def test_the_same_card_comes_back_with_the_setting_off(topics: Collection) -> None:
    topics.settings = dataclasses.replace(topics.settings, skip_recall_learn_ahead=False)
    session = Session(topics, limit=1)
    item = session.next_card()
    assert item is not None and item.card.id == "topics:volumes"
    session.answer(Rating.GOOD)
    again = session.next_card()
    assert again is not None and again.card.id == "topics:volumes"
    assert again.stored.schedule.state is CardState.LEARNING


def test_a_recall_card_comes_back_once_it_is_due(topics: Collection, clock: FrozenClock) -> None:
    session = Session(topics, limit=1)
    assert session.next_card() is not None
    after = session.answer(Rating.AGAIN)
    assert after.due is not None
    assert session.next_card() is None
    clock.moment = after.due
    again = session.next_card()
    assert again is not None and again.card.id == "topics:volumes"


def test_other_cards_still_come_back_through_learn_ahead(topics: Collection) -> None:
    topics.settings = dataclasses.replace(topics.settings, bury_siblings_across_kinds=False)
    session = Session(topics)
    shown: list[str] = []
    while (item := session.next_card()) is not None and len(shown) < 10:
        shown.append(item.card.id)
        session.answer(Rating.GOOD)
    assert shown == ["topics:volumes", "topics:basic", "topics:basic"]


def test_the_recall_cards_section_waits_for_another_day(topics: Collection, clock: FrozenClock) -> None:
    session = Session(topics)
    shown: list[str] = []
    while (item := session.next_card()) is not None and len(shown) < 10:
        shown.append(item.card.id)
        session.answer(Rating.GOOD)
    assert shown == ["topics:volumes"]
    clock.moment += timedelta(days=1)  # the recall card is due again (learning): its section still waits
    second_day = Session(topics)
    item = second_day.next_card()
    assert item is not None and item.card.id == "topics:volumes"
    assert second_day.answer(Rating.GOOD).state is CardState.REVIEW
    assert second_day.next_card() is None
    second_day.finish()
    clock.moment += timedelta(days=1)
    third_day = Session(topics).next_card()
    assert third_day is not None and third_day.card.id == "topics:basic"
