"""A database made by the previous schema opens and imports the seed note, tasks and manifests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.config import DATABASE_NAME
from ckaquiz.model import CardKind
from ckaquiz.store.migrations import SCHEMA_VERSION
from tests.conftest import FIXTURES, SHARED, FrozenClock

SEED = SHARED / "seed" / "2025-03-19.md"
PREVIOUS = FIXTURES / f"schema-v{SCHEMA_VERSION - 1}.db"


def test_previous_schema_database_imports_the_seed_and_exercises(
    isolated_home: Path, clock: FrozenClock, tmp_path: Path
) -> None:
    if not SEED.exists():
        pytest.skip("the shared seed note is not here")
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    shutil.copyfile(PREVIOUS, isolated_home / DATABASE_NAME)
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURES / "notes_tasks", vault / "Exercises")
    shutil.copytree(FIXTURES / "notes_manifests" / "Manifests", vault / "Manifests")
    shutil.copy(SEED, vault)
    opened = Collection.open(isolated_home, clock=clock)
    try:
        before = len(opened.store.reviews(include_undone=True))
        assert opened.store.version == SCHEMA_VERSION
        _, report = opened.import_path(vault)
        assert report.problems == []
        cards = [stored.card for stored in opened.store.cards() if stored.card.deck == "vault"]
        kinds = {kind: sum(card.kind is kind for card in cards) for kind in CardKind}
        assert kinds[CardKind.COMMAND] == 6 and kinds[CardKind.MANIFEST] == 6
        assert any(card.prompt.startswith("2025-03-19 › 공부 메모장") for card in cards)
        assert len(opened.store.reviews(include_undone=True)) == before
    finally:
        opened.close()
