"""The interval fuzz of a review computed anew on an exchange is seeded by the card's text id and review
number, so two devices that number the same card differently derive the same due dates and stability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.filters import Filters
from ckaquiz.model import Rating
from ckaquiz.session import Mode, Session
from ckaquiz.store import sync_state
from ckaquiz.sync.exchange import exchange
from tests.conftest import FrozenClock

START = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
EXTRA = "deck: extra\ncards:\n" + "".join(f"  - {{front: e{n}, back: f{n}, id: e{n}}}\n" for n in range(7))
SHARED = "deck: k\ncards:\n  - {front: 'shared question', back: 'shared answer', id: c}\n"


def open_home(root: Path, name: str, decks: list[Path]) -> tuple[Collection, FrozenClock]:
    home = root / name
    home.mkdir()
    (home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = true\n", encoding="utf-8")
    clock = FrozenClock(START)
    collection = Collection.open(home, clock=clock)
    for deck in decks:
        collection.import_path(deck)
    sync_state.start_device(collection.store)
    return collection, clock


def answer(collection: Collection, clock: FrozenClock, moment: datetime, rating: Rating) -> None:
    clock.moment = moment
    session = Session(collection, Filters(decks=("k",)), mode=Mode.REVIEW)
    assert session.next_card() is not None
    session.answer(rating)


def test_devices_numbering_a_card_differently_derive_the_same_schedule(tmp_path: Path) -> None:
    extra, shared = tmp_path / "extra.yaml", tmp_path / "k.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    shared.write_text(SHARED, encoding="utf-8")
    folder = tmp_path / "folder"
    (folder / "devices").mkdir(parents=True)
    first, first_clock = open_home(tmp_path, "first", [extra, shared])
    second, second_clock = open_home(tmp_path, "second", [shared])
    try:
        numbers = {collection.store.card("k:c").number for collection in (first, second)}  # type: ignore[union-attr]
        assert len(numbers) == 2  # the same card, numbered differently on each device
        day = timedelta(days=1)
        # each device studies the card on its own, days apart, so its intervals reach the fuzzed range
        for offset in (0, 1, 5, 16, 40):
            answer(first, first_clock, START + offset * day, Rating.GOOD)
        for days in (0.5, 3, 9, 27):
            answer(second, second_clock, START + days * day, Rating.EASY)
        end = START + 60 * day
        for collection in (first, second, first):
            exchange(collection.store, collection.scheduler, folder, now=end)
        schedules = [collection.store.card("k:c").schedule for collection in (first, second)]  # type: ignore[union-attr]
        assert [len(collection.store.reviews()) for collection in (first, second)] == [9, 9]
        assert schedules[0].due == schedules[1].due
        assert schedules[0].stability == schedules[1].stability
        assert schedules[0] == schedules[1]
        assert schedules[0].reps == 9
    finally:
        first.close()
        second.close()
