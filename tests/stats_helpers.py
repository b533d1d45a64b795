"""A simulated study history: months of sessions through the real engine, with scripted grades."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.assessment import Assessment
from ckaquiz.collection import Collection
from ckaquiz.model import CardKind, CardState, Rating, Review
from ckaquiz.session import Session
from ckaquiz.store import StoredCard, record_review_in_transaction
from tests.conftest import FrozenClock

STORAGE_DECK = """\
deck: storage
tags: [cka, cka/storage]
cards:
  - {front: "Reclaim policy that keeps the data?", back: Retain, id: retain}
  - {front: "Access mode for one node read-write?", back: ReadWriteOnce, id: rwo, tags: [access-modes]}
  - {front: "Access mode for many nodes read-only?", back: ReadOnlyMany, id: rox, tags: [access-modes]}
  - {front: "Which object asks for storage?", back: PersistentVolumeClaim, id: pvc}
  - {front: "The leech", back: "always forgotten", id: leech, tags: [hard stuff]}
  - {front: pair, back: both ways, id: pair, reverse: true}
  - kind: cloze
    id: sc
    text: "A {{StorageClass}} enables {{dynamic provisioning}}."
  - kind: recall
    id: pv
    topic: PersistentVolumes
    notes: |
      - cluster-wide storage
      - bound to one claim
"""

TROUBLE_DECK = """\
deck: trouble
tags: [cka, cka/troubleshooting]
cards:
  - {front: "Where are static pod manifests?", back: /etc/kubernetes/manifests, id: manifests}
  - {front: "Logs of the previous container?", back: kubectl logs --previous, id: previous}
  - {front: "Node conditions live where?", back: kubectl describe node, id: conditions}
  - kind: recall
    id: kubelet
    topic: A kubelet that does not start
    notes: |
      - journalctl -u kubelet
      - check the config file
"""

AWS_DECK = """\
deck: aws
tags: [aws]
cards:
  - {front: "SQS visibility timeout default?", back: 30 seconds, id: visibility}
  - {front: "Max SQS message size?", back: 256 KiB, id: size}
"""

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAYS = 150
SKIPPED_DAYS = frozenset({5, 11, 12, 30, *range(60, 68), 99, 120})
GRADE_WEIGHTS = {Rating.AGAIN: 0.15, Rating.HARD: 0.1, Rating.GOOD: 0.65, Rating.EASY: 0.1}
FINAL_DAY = DAYS - 1


@pytest.fixture
def utc_timezone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Study days are local: pin the local zone to UTC so the hand computations agree."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write_decks(folder: Path) -> list[Path]:
    """The three deck files of the simulation."""
    paths = []
    for name, text in (("storage", STORAGE_DECK), ("trouble", TROUBLE_DECK), ("aws", AWS_DECK)):
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def recall_score(card_id: str, day: int) -> float:
    """Coverage that rises with practice: 0.3 at the start towards 0.95."""
    base = 0.3 if card_id.endswith(":pv") else 0.5
    return round(min(0.95, base + day * 0.004), 3)


def simulate(collection: Collection, clock: FrozenClock, folder: Path, *, days: int = DAYS) -> None:
    """Study every day but the skipped ones at 09:00 UTC with seeded grades; the leech always lapses."""
    for path in write_decks(folder):
        collection.import_path(path)
    generator = random.Random(20250106)
    for day in range(days):
        clock.moment = START + timedelta(days=day)
        if day in SKIPPED_DAYS:
            continue
        session = Session(collection)
        answered = 0
        undone = False
        while (item := session.next_card()) is not None and answered < 200:
            rating = generator.choices(list(GRADE_WEIGHTS), weights=list(GRADE_WEIGHTS.values()))[0]
            if item.card.id == "storage:leech":
                rating = Rating.AGAIN if item.stored.schedule.state is CardState.REVIEW else Rating.GOOD
            duration = generator.randint(3_000, 30_000)
            if item.card.kind is CardKind.RECALL:
                score = recall_score(item.card.id, day)
                assessment = Assessment(score=score, suggested=rating, result={"coverage": score})
                session.answer(rating, duration_ms=duration, response="what I remember", assessment=assessment)
            else:
                session.answer(rating, duration_ms=duration)
            if day == 10 and not undone:
                session.undo()  # an undone answer must count nowhere
                undone = True
                continue
            answered += 1
            clock.moment += timedelta(seconds=45)
        session.finish()
    clock.moment = START + timedelta(days=days - 1, hours=9)  # 18:00 on the last day


def environment_now(clock: FrozenClock) -> dict[str, str]:
    """The CKAQUIZ_NOW of the clock, for commands run after the simulation."""
    return {"CKAQUIZ_NOW": clock.moment.isoformat(), "TZ": os.environ.get("TZ", "UTC")}


def write_big_deck(folder: Path, cards: int) -> Path:
    """A deck of `cards` basic cards (ids c1, c2 ...)."""
    lines = ["deck: big", "tags: [cka, cka/workloads-scheduling]", "cards:"]
    lines += [
        f'  - {{front: "question {number}", back: "answer {number}", id: c{number}}}' for number in range(1, cards + 1)
    ]
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def synthetic_log(collection: Collection, folder: Path, *, cards: int = 80, answers: int = 12, seed: int = 7) -> None:
    """Answer each card `answers` times, each time when FSRS says it is due, straight into the store.

    Faster than sessions for the hundreds of spaced reviews the optimizer needs; the schedule
    after each answer is still FSRS's own.
    """
    collection.import_path(write_big_deck(folder, cards))
    generator = random.Random(seed)
    store = collection.store
    with store.transaction() as connection:
        for stored in store.cards(decks=("big",)):
            _answer_card(collection, connection, stored, answers, generator)


def _answer_card(
    collection: Collection, connection: sqlite3.Connection, stored: StoredCard, answers: int, generator: random.Random
) -> None:
    from ckaquiz import scheduling

    moment = START + timedelta(minutes=stored.number)
    schedule = stored.schedule
    for _ in range(answers):
        recalled = generator.random() < 0.85
        rating = generator.choice([Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.EASY]) if recalled else Rating.AGAIN
        after = scheduling.review(collection.scheduler, stored.number, schedule, rating, moment)
        record_review_in_transaction(collection.store,
            connection,
            Review(
                card_id=stored.card.id,
                rating=rating,
                reviewed_at=moment,
                duration_ms=generator.randint(2_000, 20_000),
                before=schedule,
                after=after,
                session_id="synthetic",
            ),
            stored.number,
        )
        schedule = after
        assert after.due is not None
        moment = max(after.due, moment + timedelta(minutes=1))
