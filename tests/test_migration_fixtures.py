"""A database made by every schema version ckaquiz shipped opens with this version, every review
intact. The fixtures are made by tests/fixtures/make_schema_db.py; add one before each new
migration."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.model import CardKind, Rating, Review
from ckaquiz.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    record_attempt_in_transaction,
    record_review_in_transaction,
    to_text,
    undo_review,
)
from tests.conftest import FIXTURES
from tests.summary_helpers import assert_summaries_hold, attempt_summaries_table, hours_table

SCHEMA_FIXTURES = sorted(FIXTURES.glob("schema-v*.db"), key=lambda path: int(path.stem.removeprefix("schema-v")))


def test_there_is_a_fixture_for_every_schema_version() -> None:
    versions = [int(path.stem.removeprefix("schema-v")) for path in SCHEMA_FIXTURES]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    for path in SCHEMA_FIXTURES:
        assert path.with_suffix(".json").is_file(), f"{path.name} has no manifest"


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=[path.stem for path in SCHEMA_FIXTURES])
def test_old_database_opens_at_current_version_with_every_review(fixture: Path, tmp_path: Path) -> None:
    manifest = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    copy = tmp_path / "ckaquiz.db"
    shutil.copyfile(fixture, copy)
    raw = sqlite3.connect(copy)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == manifest["schema_version"]
    raw.close()

    store = Store.open(copy)
    try:
        assert store.version == SCHEMA_VERSION
        names = [row[0] for row in store.connection.execute("SELECT name FROM migrations ORDER BY version")]
        assert names == [migration.name for migration in MIGRATIONS]
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = store.reviews(include_undone=True)
        expected = manifest["reviews"]
        assert [(review.id, review.card_id, int(review.rating), to_text(review.reviewed_at)) for review in logged] == [
            (row["id"], row["card_id"], row["rating"], row["reviewed_at"]) for row in expected
        ]
        undone = {row["id"] for row in expected if row["undone_at"] is not None}
        assert undone, "the fixture should hold an undone review"
        assert {review.id for review in store.reviews()} == {row["id"] for row in expected} - undone
        stored_ids = [stored.card.id for stored in store.cards(include_retired=True)]
        assert stored_ids == manifest["cards"]
        # the newest schedule of each reviewed card is the `after` of its last kept review
        for card_id in {row["card_id"] for row in expected}:
            kept = store.reviews(card_id=card_id)
            stored = store.card(card_id)
            assert stored is not None
            if kept:
                assert stored.schedule == kept[-1].after
    finally:
        store.close()
    # opening again changes nothing
    again = Store.open(copy)
    assert again.version == SCHEMA_VERSION
    assert len(again.reviews(include_undone=True)) == len(manifest["reviews"])
    again.close()


def test_fixtures_are_never_written(tmp_path: Path) -> None:
    for fixture in SCHEMA_FIXTURES:
        before = fixture.read_bytes()
        copy = tmp_path / fixture.name
        shutil.copyfile(fixture, copy)
        Store.open(copy).close()
        assert fixture.read_bytes() == before


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=[path.stem for path in SCHEMA_FIXTURES])
def test_stats_summaries_after_upgrading_and_after_new_answers(fixture: Path, tmp_path: Path) -> None:
    """Migration 0003 counts the existing log into its summaries (scored attempts added here the way an
    older ckaquiz wrote them, one of an undone review among them); from then on the triggers keep them
    equal to the log through new answers and undos."""
    copy = tmp_path / "ckaquiz.db"
    shutil.copyfile(fixture, copy)
    raw = sqlite3.connect(copy)
    reviews = raw.execute("SELECT id, card_id, reviewed_at, undone_at FROM reviews ORDER BY id").fetchall()
    assert any(undone is not None for *_, undone in reviews)
    raw.executemany(
        "INSERT INTO attempts (review_id, card_id, kind, response, duration_ms, result, score, created_at)"
        " VALUES (?, ?, 'recall', 'what I remember', 1000, '{}', ?, ?)",
        [
            (review_id, card_id, round(0.1 + index / 20, 3), at)
            for index, (review_id, card_id, at, _) in enumerate(reviews)
        ]
        + [(None, reviews[0][1], 0.77, reviews[0][2]), (reviews[1][0], reviews[0][1], None, reviews[1][2])],
    )
    raw.commit()
    raw.close()

    store = Store.open(copy)
    try:
        assert_summaries_hold(store)
        assert hours_table(store), "the log was counted"
        assert attempt_summaries_table(store), "the attempts were counted"
        card = store.card(reviews[0][1])
        assert card is not None
        moment = datetime(2025, 4, 1, 9, tzinfo=UTC)
        ids = []
        for step, rating in enumerate((Rating.GOOD, Rating.AGAIN, Rating.EASY)):
            at = moment + timedelta(hours=step)
            review = Review(card.card.id, rating, at, 5000, card.schedule, card.schedule, "after-upgrade")
            with store.transaction() as connection:
                review_id = record_review_in_transaction(store, connection, review, card.number)
                record_attempt_in_transaction(store,
                    connection,
                    review_id=review_id,
                    card_id=card.card.id,
                    kind=CardKind.RECALL,
                    response="again",
                    duration_ms=5000,
                    result={},
                    score=0.5 + step / 10,
                    suggested=rating,
                    final=rating,
                    now=at,
                )
            ids.append(review_id)
            assert_summaries_hold(store)
        undo_review(store, ids[-1], now=moment + timedelta(days=1))
        assert_summaries_hold(store)
        if reviews[0][3] is None:  # an undo of a review written before the upgrade
            undo_review(store, reviews[0][0], now=moment + timedelta(days=1))
            assert_summaries_hold(store)
    finally:
        store.close()
