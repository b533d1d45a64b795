"""A simulated study history: months of sessions through the real engine, with scripted grades."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.model import CardKind, CardState, Rating
from ckaquiz.session import Assessment, Session
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
            if day == 10 and answered == 0:
                session.undo()  # an undone answer must count nowhere
                continue
            answered += 1
            clock.moment += timedelta(seconds=45)
        session.finish()
    clock.moment = START + timedelta(days=days - 1, hours=9)  # 18:00 on the last day


def environment_now(clock: FrozenClock) -> dict[str, str]:
    """The CKAQUIZ_NOW of the clock, for commands run after the simulation."""
    return {"CKAQUIZ_NOW": clock.moment.isoformat(), "TZ": os.environ.get("TZ", "UTC")}
