"""Two and three devices sharing one history through copies of a synced folder.

Each device has its own data folder and its own copy of the sync folder; a "sync engine" copies files
between the copies in any order, late, twice, cut short or as conflict copies. After every file has
reached every device, every device has the same review log and the same card states, the same as one
device that gave all the reviews itself, and no review is lost or counted twice.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ckaquiz import scheduling
from ckaquiz.collection import Collection
from ckaquiz.filters import Filters
from ckaquiz.model import Rating, Review
from ckaquiz.session import Mode, Session
from ckaquiz.store import marks, record_review, schedule_of, sync_state
from ckaquiz.sync.exchange import exchange
from tests.conftest import FrozenClock

START = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
DECKS = ("d0", "d1", "d2")
CONFLICT_NAMES = (
    "{stem}.sync-conflict-20250319-090000-ABCDEFG.jsonl",
    "{stem} (conflicted copy).jsonl",
    "{stem} 2.jsonl",
)


def write_decks(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in DECKS:
        (folder / f"{name}.yaml").write_text(
            f"deck: {name}\ncards:\n  - {{front: '{name} question', back: '{name} answer', id: c}}\n", encoding="utf-8"
        )


@dataclass
class Device:
    home: Path
    folder: Path
    clock: FrozenClock
    skew: timedelta
    collection: Collection
    decks: list[str] = field(default_factory=list)
    last_session: Session | None = None

    @property
    def id(self) -> str:
        device = sync_state.device_id(self.collection.store)
        assert device is not None
        return device

    def exchange(self) -> None:
        exchange(self.collection.store, self.collection.scheduler, self.folder, now=self.clock())


def open_device(root: Path, index: int, decks: Path, skew_minutes: int, fuzz: bool) -> Device:
    home = root / f"home{index}"
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        f"builtin_decks = false\nenable_fuzzing = {'true' if fuzz else 'false'}\n", encoding="utf-8"
    )
    clock = FrozenClock(START)
    collection = Collection.open(home, clock=clock)
    folder = root / f"folder{index}"
    (folder / "devices").mkdir(parents=True)
    sync_state.start_device(collection.store)
    return Device(home, folder, clock, timedelta(minutes=skew_minutes), collection)


def import_deck(device: Device, decks: Path, name: str) -> None:
    if name not in device.decks:
        device.collection.import_path(decks / f"{name}.yaml")
        device.decks.append(name)


def copy_files(source: Device, target: Device, how: str, fraction: float) -> None:
    """What a sync engine does: the source copy's files of other devices reach the target copy."""
    for path in sorted((source.folder / "devices").glob("*/*")):
        owner = path.parent.name
        if owner == target.id or not path.is_file():
            continue
        there = target.folder / "devices" / owner / path.name
        there.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        old = there.read_bytes() if there.exists() else b""
        if how == "conflict":
            name = CONFLICT_NAMES[int(fraction * len(CONFLICT_NAMES)) % len(CONFLICT_NAMES)]
            (there.parent / name.format(stem=path.stem)).write_bytes(data)
            continue
        if not data.startswith(old):
            continue  # the target has a longer copy already
        if how == "truncated":
            data = data[: max(len(old), int(len(data) * fraction))]
        there.write_bytes(data)
        if how == "duplicate":
            (there.parent / f"{path.stem} 2.jsonl").write_bytes(data)


def live_log(collection: Collection) -> list[tuple[str, int, str]]:
    return sorted(
        (review.card_id, int(review.rating), review.reviewed_at.isoformat()) for review in collection.store.reviews()
    )


def full_log(collection: Collection) -> list[tuple[str, int, str, bool]]:
    rows = collection.store.connection.execute(
        "SELECT card_id, rating, reviewed_at, undone_at IS NOT NULL FROM reviews"
    )
    return sorted((str(a), int(b), str(c), bool(d)) for a, b, c, d in rows)


def states(collection: Collection) -> dict[str, Any]:
    return {stored.card.id: stored.schedule for stored in collection.store.cards(include_retired=True)}


def card_marks(collection: Collection) -> dict[str, Any]:
    found = marks.marks_of(collection.store)
    return {stored.card.id: found.get(stored.number) for stored in collection.store.cards(include_retired=True)}


action = st.one_of(
    st.tuples(
        st.just("review"), st.integers(0, 2), st.integers(0, 2), st.sampled_from(list(Rating)), st.integers(1, 4000)
    ),
    st.tuples(st.just("undo"), st.integers(0, 2)),
    st.tuples(st.just("suspend"), st.integers(0, 2), st.integers(0, 2), st.booleans(), st.integers(1, 600)),
    st.tuples(st.just("exchange"), st.integers(0, 2)),
    st.tuples(
        st.just("copy"),
        st.integers(0, 2),
        st.integers(0, 2),
        st.sampled_from(["full", "truncated", "conflict", "duplicate"]),
        st.floats(0.0, 1.0),
    ),
    st.tuples(st.just("import"), st.integers(0, 2), st.integers(0, 2)),
)


def run_devices(root: Path, count: int, skews: list[int], steps: list[tuple[Any, ...]], fuzz: bool) -> None:
    decks = root / "decks"
    write_decks(decks)
    devices = [open_device(root, index, decks, skews[index], fuzz) for index in range(count)]
    try:
        for device in devices:
            import_deck(device, decks, "d0")
        moment = START
        given_reviews: list[tuple[str, int, str]] = []
        for step in steps:
            kind, who = step[0], devices[step[1] % count]
            if kind == "review":
                _, _, card, rating, minutes = step
                moment += timedelta(minutes=minutes)
                who.clock.moment = moment + who.skew
                name = DECKS[card]
                if name not in who.decks:
                    continue
                session = Session(who.collection, Filters(decks=(name,)), mode=Mode.REVIEW)
                item = session.next_card()
                if item is None:
                    continue
                session.answer(rating)
                who.last_session = session
                given_reviews.append((f"{name}:c", int(rating), who.clock().isoformat()))
            elif kind == "undo" and who.last_session is not None:
                moment += timedelta(seconds=5)
                who.clock.moment = moment + who.skew
                undone = who.collection.store.reviews(session_id=who.last_session.id)
                if who.last_session.undo() is not None:
                    gone = undone[-1]
                    given_reviews.remove((gone.card_id, int(gone.rating), gone.reviewed_at.isoformat()))
                who.last_session = None
            elif kind == "suspend":
                _, _, card, on, minutes = step
                moment += timedelta(minutes=minutes)
                who.clock.moment = moment + who.skew
                stored = who.collection.store.card(f"{DECKS[card]}:c")
                if stored is not None:
                    if on:
                        marks.suspend(who.collection.store, [stored.number], now=who.clock())
                    else:
                        marks.unsuspend(who.collection.store, [stored.number])
            elif kind == "exchange":
                who.exchange()
            elif kind == "copy":
                copy_files(who, devices[step[2] % count], step[3], step[4])
            elif kind == "import":
                import_deck(who, decks, DECKS[step[2]])
        # every file reaches every device
        for device in devices:
            for name in DECKS:
                import_deck(device, decks, name)
            device.exchange()
        for target in devices:
            for source in devices:
                if source is not target:
                    copy_files(source, target, "full", 1.0)
        for device in devices:
            device.exchange()

        expected = sorted(given_reviews)
        first = devices[0].collection
        for device in devices:
            assert live_log(device.collection) == expected  # none lost, none twice
            assert full_log(device.collection) == full_log(first)
            assert states(device.collection) == states(first)
            assert card_marks(device.collection) == card_marks(first)
        assert states(first) == states(alone(root, decks, first, fuzz))
    finally:
        for device in devices:
            device.collection.close()


def alone(root: Path, decks: Path, merged: Collection, fuzz: bool) -> Collection:
    """One device giving every kept review itself, in time order."""
    home = root / "alone"
    home.mkdir()
    (home / "config.toml").write_text(
        f"builtin_decks = false\nenable_fuzzing = {'true' if fuzz else 'false'}\n", encoding="utf-8"
    )
    collection = Collection.open(home, clock=FrozenClock(START))
    for name in DECKS:
        collection.import_path(decks / f"{name}.yaml")
    store = collection.store
    for review in sorted(merged.store.reviews(), key=lambda given: given.reviewed_at):
        stored = store.card(review.card_id)
        assert stored is not None
        before = schedule_of(store, stored.number)
        after = scheduling.review(
            collection.scheduler, stored.number, before, review.rating, review.reviewed_at, card_id=review.card_id
        )
        record_review(
            store,
            Review(review.card_id, review.rating, review.reviewed_at, 0, before, after, "alone"), stored.number
        )
    states_now = states(collection)
    collection.close()
    reopened = Collection.open(home, clock=FrozenClock(START))
    assert states(reopened) == states_now
    return reopened


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    count=st.sampled_from([2, 3]),
    skews=st.lists(st.integers(-5, 5), min_size=3, max_size=3),
    steps=st.lists(action, min_size=1, max_size=30),
    fuzz=st.booleans(),
)
# a grade taken back before the next exchange: the undo travels with its review
@example(count=2, skews=[0, 0, 0], steps=[("review", 0, 0, Rating.AGAIN, 1), ("undo", 0)], fuzz=False)
def test_every_device_ends_with_the_same_history_and_states(
    tmp_path_factory: Any, count: int, skews: list[int], steps: list[tuple[Any, ...]], fuzz: bool
) -> None:
    root = tmp_path_factory.mktemp("devices")
    run_devices(root, count, skews, steps, fuzz)
    shutil.rmtree(root, ignore_errors=True)


def test_an_exchange_with_nothing_new_writes_nothing_and_the_next_event_still_arrives(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_decks(decks)
    first = open_device(tmp_path, 0, decks, 0, fuzz=False)
    second = open_device(tmp_path, 1, decks, 0, fuzz=False)
    for device in (first, second):
        import_deck(device, decks, "d0")
        device.exchange()
    store = second.collection.store
    log = Path(f"{store.path}-wal")  # every commit appends to the write-ahead log
    changes, size = store.connection.total_changes, log.stat().st_size
    second.exchange()  # a warm command's exchange: nothing written, nothing read, nothing waiting
    assert store.connection.total_changes == changes and log.stat().st_size == size

    session = Session(first.collection, Filters(decks=("d0",)), mode=Mode.REVIEW)
    assert session.next_card() is not None
    session.answer(Rating.GOOD)
    first.exchange()
    copy_files(first, second, "whole", 1.0)
    second.exchange()
    assert live_log(second.collection) == live_log(first.collection) != []
    assert store.connection.total_changes > changes
