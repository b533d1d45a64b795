"""The sections of many cards read in one query, and of every card in one pass, equal the section read card by card."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ckaquiz import siblings
from ckaquiz.collection import Collection
from ckaquiz.config import builtin_decks_folder
from ckaquiz.session import Session
from ckaquiz.store import sections
from tests.conftest import FIXTURES, FrozenClock


def test_sections_read_at_once_equal_each_cards_section(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURES / "notes_topics", vault / "topics")
    shutil.copytree(FIXTURES / "notes_tasks", vault / "tasks")
    shutil.copytree(FIXTURES / "vault", vault / "vault")
    collection.import_path(vault)
    collection.import_path(builtin_decks_folder(), deck=None)
    # one note edited so that a recall card is retired: its smaller cards look further up
    note = next(path for path in sorted((vault / "topics").rglob("*.md")) if "##" in path.read_text("utf-8"))
    note.write_text(note.read_text("utf-8").replace("##", "###", 1), encoding="utf-8")
    collection.refresh()
    numbers = [row[0] for row in collection.store.connection.execute("SELECT number FROM cards")]
    assert len(numbers) > 500
    at_once = sections.sections_of(collection.store, numbers)
    one_by_one = {}
    for number in numbers:
        one_by_one.update(sections.sections_of(collection.store, [number]))
    assert at_once == one_by_one
    assert sections.all_sections(collection.store) == one_by_one
    assert sum(section.recall for section in one_by_one.values()) > 20
    assert sum(not section.recall for section in one_by_one.values()) > 20


def test_a_queue_is_the_same_whether_sections_are_read_in_batches_or_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Siblings across kinds read sections a batch at a time, or every card's once the queue is long:
    the queue must not depend on which (here, every other built-in card due, and new cards too)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        "enable_fuzzing = false\nreviews_per_day = 9999\nnew_per_day = 60\n", encoding="utf-8"
    )
    clock = FrozenClock(datetime(2025, 3, 19, 9, 0, tzinfo=UTC))
    collection = Collection.open(home, clock=clock)
    try:
        collection.ensure_builtin_source()
        collection.refresh()
        with collection.store.transaction() as connection:
            connection.execute(
                "UPDATE cards SET state = 'review', stability = 9.0, difficulty = 5.0, reps = 1,"
                " due = '2025-03-18T09:00:00.000000+00:00', last_review = '2025-03-09T09:00:00.000000+00:00'"
                " WHERE number % 2 = 0"
            )
        queues = []
        for batch in (7, 256, 10**6):  # a full first batch, so every section in one pass; or one batch of all
            monkeypatch.setattr(siblings, "_BATCH", batch)
            session = Session(collection)
            session.start()
            queues.append(list(session._queue))
            session.finish()
        assert len(queues[0]) > 500
        assert queues[0] == queues[1] == queues[2]
        due = collection.store.connection.execute("SELECT count(*) FROM cards WHERE state = 'review'").fetchone()[0]
        assert len(queues[0]) < due + 60  # siblings were held back, so sections mattered
    finally:
        collection.close()
