"""The sections of many cards read in one query equal the section read card by card."""

from __future__ import annotations

import shutil
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.config import builtin_decks_folder
from ckaquiz.store import sections
from tests.conftest import FIXTURES


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
    assert sum(section.recall for section in one_by_one.values()) > 20
    assert sum(not section.recall for section in one_by_one.values()) > 20
