"""A database made by every schema version ckaquiz shipped opens with this version, every review
intact. The fixtures are made by tests/fixtures/make_schema_db.py; add one before each new
migration."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from ckaquiz.store import Store
from ckaquiz.store.database import to_text
from ckaquiz.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import FIXTURES

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
