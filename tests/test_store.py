"""The SQLite store: migrations, the append-only log, syncing cards without losing history."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.errors import StoreError
from ckaquiz.model import Card, CardKind, CardState, Rating, Review, Schedule, SourceLocation
from ckaquiz.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    file_problems,
    forget_file,
    record_review,
    register_source,
    schedule_of,
    sync_file,
    undo_review,
)

NOW = datetime(2025, 3, 19, 12, 0, tzinfo=UTC)


def make_card(identity: str, prompt: str = "q", answer: str = "a", line: int = 1) -> Card:
    return Card(id=identity, deck="d", kind=CardKind.BASIC, prompt=prompt, answer=answer,
                source=SourceLocation("d.md", line), tags=("t",), sibling_key=identity)


def test_blank_database_migrates_to_current_version(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "ckaquiz.db")
    assert store.version == SCHEMA_VERSION
    names = [row[0] for row in store.connection.execute("SELECT name FROM migrations ORDER BY version")]
    assert names == [migration.name for migration in MIGRATIONS]
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "ckaquiz.db").stat().st_mode & 0o777 == 0o600
    store.close()


def test_memory_database_works() -> None:
    store = Store.open(":memory:")
    assert store.version == SCHEMA_VERSION


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    Store.open(tmp_path / "x.db").close()
    store = Store.open(tmp_path / "x.db")
    assert store.connection.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer ckaquiz"):
        Store.open(path)
    assert path.read_bytes() == before


def test_garbage_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store.open(path)


def test_review_log_is_append_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    source = register_source(store, "s", "/x", now=NOW)
    sync_file(store, source.id, "d.md", [make_card("d:1")], size=1, mtime_ns=1, problems=[], now=NOW)
    stored = store.card("d:1")
    assert stored is not None
    after = Schedule(state=CardState.LEARNING, step=1, stability=2.3, difficulty=5.0, due=NOW + timedelta(minutes=10),
                     last_review=NOW, reps=1)
    review_id = record_review(store,
        Review(card_id="d:1", rating=Rating.GOOD, reviewed_at=NOW, duration_ms=1500, before=stored.schedule,
               after=after, session_id="s1"),
        stored.number,
    )
    assert schedule_of(store, stored.number) == after
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connection.execute("DELETE FROM reviews")
    undone = undo_review(store, review_id, now=NOW)
    assert undone.rating is Rating.GOOD
    assert schedule_of(store, stored.number) == Schedule()
    assert store.reviews(card_id="d:1") == []
    assert len(store.reviews(card_id="d:1", include_undone=True)) == 1


def test_sync_counts_and_keeps_history_through_retire_and_revive(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    source = register_source(store, "s", "/x", now=NOW)
    first = sync_file(
        store, source.id, "d.md", [make_card("d:1"), make_card("d:2")], size=1, mtime_ns=1, problems=[], now=NOW
    )
    assert (first.new, first.changed, first.unchanged, first.retired) == (2, 0, 0, 0)
    stored = store.card("d:1")
    assert stored is not None
    record_review(store,
        Review(card_id="d:1", rating=Rating.EASY, reviewed_at=NOW, duration_ms=0, before=stored.schedule,
               after=Schedule(state=CardState.REVIEW, stability=8.0, difficulty=3.0, due=NOW + timedelta(days=8),
                              last_review=NOW, reps=1),
               session_id="s"),
        stored.number,
    )
    second = sync_file(store, source.id, "d.md", [make_card("d:2", answer="new answer")], size=2, mtime_ns=2,
                             problems=[], now=NOW)
    assert (second.new, second.changed, second.unchanged, second.retired) == (0, 1, 0, 1)
    retired = store.card("d:1")
    assert retired is not None and not retired.active
    third = sync_file(store, source.id, "d.md", [make_card("d:1"), make_card("d:2", answer="new answer")], size=3,
                            mtime_ns=3, problems=[], now=NOW)
    assert (third.new, third.revived, third.unchanged) == (0, 1, 1)
    revived = store.card("d:1")
    assert revived is not None and revived.active
    assert revived.schedule.reps == 1 and revived.schedule.state is CardState.REVIEW
    assert [review.rating for review in store.reviews(card_id="d:1")] == [Rating.EASY]


def test_forgetting_a_file_retires_its_cards(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    source = register_source(store, "s", "/x", now=NOW)
    sync_file(store, source.id, "d.md", [make_card("d:1")], size=1, mtime_ns=1, problems=["d.md:1: oops"], now=NOW)
    assert file_problems(store, source.id) == ["d.md:1: oops"]
    assert forget_file(store, source.id, "d.md", now=NOW) == 1
    assert store.cards() == []
    assert len(store.cards(include_retired=True)) == 1
