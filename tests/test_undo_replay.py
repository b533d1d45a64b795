"""Undo derives the card's schedule again from the reviews left in the log, so a grade given
meanwhile by another session is never lost, and replaying a log gives the states it stored."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckaquiz import scheduling
from ckaquiz.collection import Collection
from ckaquiz.config import Settings
from ckaquiz.model import CardState, Rating, Schedule
from ckaquiz.session import Mode, Session
from tests.conftest import FrozenClock, run_cli
from tests.safety_helpers import no_builtin_home, yaml_deck

NOW = "2025-03-19T09:00:00+00:00"


def plain_session(home: Path, command: str = "study") -> pexpect.spawn:
    environment = dict(os.environ, CKAQUIZ_HOME=str(home), CKAQUIZ_NOW=NOW)
    return pexpect.spawn(
        sys.executable, ["-m", "ckaquiz", command, "--plain"], env=environment, encoding="utf-8", timeout=30
    )


def answer_basic(child: pexpect.spawn, grade: str) -> None:
    child.sendline("")
    child.expect("grade: ")
    child.sendline(grade)


def card_row(database: Path, card_id: str) -> sqlite3.Row:
    connection = sqlite3.connect(database)
    connection.row_factory = sqlite3.Row
    try:
        row: sqlite3.Row = connection.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()
        return row
    finally:
        connection.close()


def test_undo_keeps_a_grade_another_session_gave_meanwhile(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "one.yaml"
    deck.write_text(yaml_deck("one", 2), encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    first = plain_session(isolated_home)
    first.expect(r"--- card 1/2 one:c0")
    answer_basic(first, "good")  # learning: the card comes back later in this session
    first.expect(r"--- card 2/3 one:c1")  # shown, so leased: the second session passes over it
    second = plain_session(isolated_home, "review")
    second.expect(r"--- card 1/\d+ one:c0")
    answer_basic(second, "easy")  # committed on top of the first session's Good
    second.expect("reviewed 1 cards")
    second.expect(pexpect.EOF)
    first.sendline("")
    first.expect("grade: ")
    first.sendline("u")
    first.expect("undone")
    first.expect(r"--- card \d+/\d+ one:c0")  # the undone card comes back first
    first.sendline("")
    first.expect("grade: ")
    first.sendline("q")
    first.expect(pexpect.EOF)

    database = isolated_home / "ckaquiz.db"
    connection = sqlite3.connect(database)
    reviews = connection.execute("SELECT rating, undone_at IS NOT NULL FROM reviews ORDER BY id").fetchall()
    connection.close()
    assert reviews == [(Rating.GOOD.value, 1), (Rating.EASY.value, 0)]
    card = card_row(database, "one:c0")
    # The Easy answer alone, given to the new card: it is a review card now, not new again.
    scheduler = scheduling.make_scheduler(Settings(enable_fuzzing=False))
    alone = scheduling.review(scheduler, card["number"], Schedule(), Rating.EASY, datetime.fromisoformat(NOW))
    assert card["state"] == CardState.REVIEW.value == alone.state.value
    assert card["reps"] == 1
    assert card["stability"] == pytest.approx(alone.stability)
    assert datetime.fromisoformat(card["due"]) == alone.due


def test_a_session_cannot_undo_a_review_of_another_session(collection: Collection, tmp_path: Path) -> None:
    deck = tmp_path / "two.yaml"
    deck.write_text(yaml_deck("two", 1), encoding="utf-8")
    collection.import_path(deck)
    mine, theirs = Session(collection, mode=Mode.REVIEW), Session(collection, mode=Mode.REVIEW)
    assert theirs.next_card() is not None
    theirs.answer(Rating.GOOD)
    assert mine.undo() is None  # nothing of its own to take back
    assert [review.rating for review in collection.store.reviews()] == [Rating.GOOD]


# The property: whatever grades and undos two sessions interleave, every card's stored state is what
# recomputing its remaining reviews from scratch gives (fuzz on: the fuzz is seeded per card and review).

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["grade", "undo", "wait"]),
        st.integers(0, 1),
        st.sampled_from(list(Rating)),
        st.integers(1, 60 * 24 * 9),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_stored_states_equal_a_fresh_replay_of_the_log(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int, Rating, int]]
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / "config.toml").write_text("builtin_decks = false\nnew_per_day = 100\n", encoding="utf-8")
    deck = home / "three.yaml"
    deck.write_text(yaml_deck("three", 3), encoding="utf-8")
    clock = FrozenClock(datetime(2025, 3, 19, 9, 0, tzinfo=UTC))
    collection = Collection.open(home, clock=clock)
    try:
        collection.import_path(deck)
        sessions = [Session(collection, mode=Mode.REVIEW), Session(collection, mode=Mode.REVIEW)]
        for action, which, rating, minutes in operations:
            session = sessions[which]
            if action == "wait":
                clock.moment += timedelta(minutes=minutes)
            elif action == "undo":
                session.undo()
            elif session.next_card() is not None:
                session.answer(rating)
            else:
                sessions[which] = Session(collection, mode=Mode.REVIEW)
        assert_states_are_replays(collection)
    finally:
        collection.close()


def assert_states_are_replays(collection: Collection) -> None:
    scheduler = collection.scheduler
    for stored in collection.store.cards():
        log = collection.store.reviews(card_id=stored.card.id, include_undone=True)
        remaining = {review.id for review in collection.store.reviews(card_id=stored.card.id)}
        state = log[0].before if log else Schedule()
        for review in log:
            if review.id in remaining:
                state = scheduling.review(
                    scheduler, stored.number, state, review.rating, review.reviewed_at, card_id=stored.card.id
                )
        assert stored.schedule == state, stored.card.id


def test_a_replayed_review_keeps_the_interval_it_was_shown_with(collection: Collection, tmp_path: Path) -> None:
    deck = tmp_path / "four.yaml"
    deck.write_text(yaml_deck("four", 1), encoding="utf-8")
    collection.import_path(deck)
    session = Session(collection, mode=Mode.REVIEW)
    item = session.next_card()
    assert item is not None
    shown = item.outcomes[Rating.EASY]
    session.answer(Rating.EASY)
    stored = collection.store.cards()[0]
    assert scheduling.replay(collection.scheduler, stored.number, Schedule(), collection.store.reviews()) == shown


def test_fuzz_is_the_same_for_the_same_card_and_review_number() -> None:
    scheduler = scheduling.make_scheduler(Settings())
    moment = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
    studied = Schedule(
        state=CardState.REVIEW, stability=40.0, difficulty=5.0, due=moment, last_review=moment - timedelta(days=30),
        reps=6,
    )
    draws = {scheduling.review(scheduler, 7, studied, Rating.GOOD, moment).due for _ in range(5)}
    assert len(draws) == 1
    others = {scheduling.review(scheduler, number, studied, Rating.GOOD, moment).due for number in range(40)}
    assert len(others) > 1  # still fuzzed: different cards spread over the fuzz range
