"""A database of the release that read a note's section as one recall card keeps its history when the
same notes are read as topic cards: inline cards keep their ids and reviews, the section's card is
retired (never deleted) with its reviews and typed attempts, and the note's own recall is kept."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.config import DATABASE_NAME
from ckaquiz.store import card_attempts, own_recall_totals
from tests.conftest import FIXTURES, FrozenClock, run_cli

DATABASE = FIXTURES / "notes-before-topics.db"
MANIFEST = json.loads(DATABASE.with_suffix(".json").read_text(encoding="utf-8"))


def upgraded_home(home: Path, tmp_path: Path) -> Path:
    """The fixture database in `home`, its vault copied under `tmp_path` and the source pointed at it."""
    home.mkdir(parents=True)
    (home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = false\n", encoding="utf-8")
    vault = tmp_path / "daily"
    shutil.copytree(FIXTURES / "notes_release" / "daily", vault)
    shutil.copyfile(DATABASE, home / DATABASE_NAME)
    raw = sqlite3.connect(home / DATABASE_NAME)
    with raw:  # the same vault, at this machine's path: as if the notes had stayed where they were
        raw.execute("UPDATE sources SET path = ? WHERE name = ?", (str(vault), MANIFEST["source"]))
        raw.execute("UPDATE files SET path = replace(path, rtrim(path, replace(path, '/', '')), ?)", (f"{vault}/",))
        raw.execute("UPDATE cards SET source_path = ? WHERE source_path LIKE '%2025-03-19.md'",
                    (str(vault / "2025-03-19.md"),))
        for note in vault.iterdir():  # and unchanged since that release read them
            status = note.stat()
            raw.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                        (status.st_size, status.st_mtime_ns, str(note)))
    raw.close()
    return vault


def test_section_card_retired_with_its_history_inline_cards_kept(
    isolated_home: Path, clock: FrozenClock, tmp_path: Path
) -> None:
    upgraded_home(isolated_home, tmp_path)
    (section,) = [card for card in MANIFEST["cards"] if card["prompt"].endswith("› 공부 메모장 › Kubernetes")]
    (inline,) = [card for card in MANIFEST["cards"] if card["kind"] == "basic"]
    opened = Collection.open(isolated_home, clock=clock)
    try:
        before_attempts = {card["id"]: card_attempts(opened.store, card["id"]) for card in MANIFEST["cards"]}
        report = opened.refresh()
        assert report.problems == [] and report.files_read == 1  # unchanged, but read by the older reader
        again = opened.refresh()
        assert (again.files_read, again.files_unchanged) == (0, 1)  # read again once, not at every scan
        store = opened.store
        # every review is still there, and the inline card keeps its id and its reviews
        assert [(review.id, review.card_id) for review in store.reviews(include_undone=True)] == [
            (row["id"], row["card_id"]) for row in MANIFEST["reviews"]
        ]
        kept = store.card(inline["id"])
        assert kept is not None and kept.active and kept.schedule.reps == 2
        # the whole-section card is retired, not deleted: its reviews and typed attempts stay
        retired = store.card(section["id"])
        assert retired is not None and not retired.active and retired.schedule.reps == 2
        assert card_attempts(store, section["id"]) == before_attempts[section["id"]] != []
        # the section is now one card per topic
        topics = sorted(
            stored.card.prompt.rsplit(" › ", 1)[-1] for stored in store.cards() if stored.card.kind.value == "recall"
        )
        assert topics == ["LimitRange", "Resource Quotas", "static pods"]
        # the recall section that was a card is retired too, and kept as the note's own recall attempts
        assert own_recall_totals(store).attempts == 3
    finally:
        opened.close()
    shown = run_cli("history", section["id"])
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == len(before_attempts[section["id"]])
