"""Anki packages with real Anki: the `anki` package from PyPI (the backend of Anki's desktop app) reads
what `export anki --with-history` writes. Skipped where the optional `anki` test extra is absent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ckaquiz.anki_history import day_number
from ckaquiz.collection import Collection
from ckaquiz.model import CardState, Rating
from ckaquiz.session import Session
from tests.conftest import FrozenClock, run_cli

if TYPE_CHECKING:
    import anki.collection as anki_collection
else:
    anki_collection = pytest.importorskip("anki.collection", reason="the optional anki test extra is not installed")

DECK = """\
deck: anki-round
cards:
  - {id: static, front: "What runs **static pods**?", back: "the `kubelet`, from `staticPodPath`"}
  - {id: pair, front: kube-proxy, back: programs Service rules on each node, reverse: true}
  - {kind: cloze, id: sc, text: "A {{StorageClass}} names a {{provisioner}}."}
  - {id: lapse, front: "Which taint effect evicts running Pods?", back: NoExecute}
  - {id: fresh, front: Never studied, back: still new}
"""


@pytest.fixture
def studied(isolated_home: Path, tmp_path: Path) -> Iterator[Collection]:
    """Six days of study ending now (Anki schedules against the real clock), with lapses on one card."""
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\nnew_per_day = 4\n", encoding="utf-8")
    deck = tmp_path / "round.yaml"
    deck.write_text(DECK, encoding="utf-8")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=6)
    clock = FrozenClock(start)
    collection = Collection.open(isolated_home, clock=clock)
    collection.import_path(deck)
    for day in range(6):
        clock.moment = start + timedelta(days=day)
        session = Session(collection)
        for _ in range(12):
            item = session.next_card()
            if item is None:
                break
            reviewing = item.stored.schedule.state is CardState.REVIEW
            lapse = item.card.id == "anki-round:lapse" and day in (2, 3) and reviewing
            session.answer(Rating.AGAIN if lapse else Rating.GOOD, duration_ms=4200)
            clock.moment += timedelta(minutes=11)
        session.finish()
    clock.moment = datetime.now(UTC).replace(microsecond=0)
    yield collection
    collection.close()


def open_anki(folder: Path) -> anki_collection.Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return anki_collection.Collection(str(folder / "collection.anki2"))


def test_anki_imports_the_schedule_and_the_review_log(studied: Collection, tmp_path: Path) -> None:
    package = tmp_path / "round.apkg"
    environment = {"CKAQUIZ_HOME": str(studied.home), "CKAQUIZ_NOW": studied.now().isoformat()}
    exported = run_cli("export", "anki", str(package), "--with-history", env=environment)
    assert exported.returncode == 0, exported.stderr
    reviews = studied.store.reviews()
    assert f"with {len(reviews)} reviews" in exported.stdout

    target = open_anki(tmp_path / "anki")
    try:
        options = anki_collection.ImportAnkiPackageOptions(with_scheduling=True)
        target.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
        today = target.sched.today
        day_start = studied.study_day_start()
        by_text = {}
        for anki_id in target.find_cards(""):
            card = target.get_card(anki_id)
            by_text[(card.note().fields[0], card.ord)] = card
        stored = {card.card.id: card for card in studied.store.cards()}
        expected_cards = {
            "anki-round:static": ("What runs <strong>static pods</strong>?", 0),
            "anki-round:pair": ("kube-proxy", 0),
            "anki-round:pair:r": ("kube-proxy", 1),
            "anki-round:lapse": ("Which taint effect evicts running Pods?", 0),
            "anki-round:fresh": ("Never studied", 0),
        }
        for card_id, key in expected_cards.items():
            anki_card, schedule = by_text[key], stored[card_id].schedule
            assert (anki_card.reps, anki_card.lapses) == (schedule.reps, schedule.lapses), card_id
            if schedule.state is CardState.NEW:
                assert anki_card.type == 0, card_id
                continue
            if schedule.state is CardState.REVIEW:
                assert schedule.due is not None and schedule.last_review is not None
                assert anki_card.type == 2 and anki_card.queue == 2, card_id
                assert anki_card.due - today == day_number(schedule.due, day_start), card_id
                assert anki_card.ivl == max(1, round((schedule.due - schedule.last_review).total_seconds() / 86400))
                assert anki_card.memory_state is not None
                assert anki_card.memory_state.stability == pytest.approx(schedule.stability, abs=0.01)
                assert anki_card.memory_state.difficulty == pytest.approx(schedule.difficulty, abs=0.01)
        assert stored["anki-round:lapse"].schedule.lapses >= 1
        # every answer arrived as a revlog row of its card, with its grade and time
        assert target.db is not None
        logged = target.db.all("SELECT id, ease, time FROM revlog ORDER BY id")
        assert [ease for _, ease, _ in logged] == [int(review.rating) for review in reviews]
        assert [at for at, _, _ in logged] == [int(review.reviewed_at.timestamp() * 1000) for review in reviews]
        assert {time for _, _, time in logged} == {4200}
    finally:
        target.close()


def test_without_history_every_card_is_new_in_anki(studied: Collection, tmp_path: Path) -> None:
    package = tmp_path / "plain.apkg"
    environment = {"CKAQUIZ_HOME": str(studied.home), "CKAQUIZ_NOW": studied.now().isoformat()}
    assert run_cli("export", "anki", str(package), env=environment).returncode == 0
    target = open_anki(tmp_path / "anki")
    try:
        options = anki_collection.ImportAnkiPackageOptions(with_scheduling=True)
        target.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
        assert {target.get_card(anki_id).type for anki_id in target.find_cards("")} == {0}
        assert target.db is not None
        assert target.db.scalar("SELECT count() FROM revlog") == 0
    finally:
        target.close()


def test_markdown_arrives_as_html(studied: Collection, tmp_path: Path) -> None:
    package = tmp_path / "html.apkg"
    environment = {"CKAQUIZ_HOME": str(studied.home), "CKAQUIZ_NOW": studied.now().isoformat()}
    assert run_cli("export", "anki", str(package), env=environment).returncode == 0
    target = open_anki(tmp_path / "anki")
    try:
        target.import_anki_package(
            anki_collection.ImportAnkiPackageRequest(
                package_path=str(package), options=anki_collection.ImportAnkiPackageOptions()
            )
        )
        backs = {target.get_note(note_id).fields[0]: target.get_note(note_id).fields[1]
                 for note_id in target.find_notes("")}
        assert backs["What runs <strong>static pods</strong>?"].startswith(
            "the <code>kubelet</code>, from <code>staticPodPath</code>"
        )
        cloze = next(front for front in backs if "{{c1::" in front)
        assert cloze == "A {{c1::StorageClass}} names a {{c2::provisioner}}."
    finally:
        target.close()

