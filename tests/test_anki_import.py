"""`ckaquiz import deck.apkg`: packages written by real Anki (the `anki` package from PyPI, the
backend of Anki's desktop app), with their review history, in the old and the current formats.
Skipped where the optional `anki` test extra is absent."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ckaquiz.anki_history import day_number
from ckaquiz.collection import Collection
from ckaquiz.model import CardState, Rating
from ckaquiz.session import Session
from tests.conftest import FrozenClock, run_cli

anki_collection = pytest.importorskip("anki.collection", reason="the optional anki test extra is not installed")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class AnkiSide:
    """What Anki holds after the study below: each card's schedule and the whole review log."""

    folder: Path
    today: int
    cards: dict[tuple[str, int], tuple[int, int, int, int]]  # (first field, ord) -> (type, due, reps, lapses)
    revlog: list[tuple[int, int, int, int]]  # (card's first field index key id, ease, time, type)
    answers_by_key: dict[tuple[str, int], list[tuple[int, int]]]  # (first field, ord) -> [(ms, ease)]

    def package(self, name: str) -> Path:
        return self.folder / name


def _build_anki(folder: Path, *, fsrs: bool) -> AnkiSide:
    folder.mkdir(parents=True, exist_ok=True)
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        if fsrs:
            col.set_config("fsrs", True)
        storage = col.decks.id("CKA::Storage")
        networking = col.decks.id("CKA::Networking")
        models = col.models
        term = models.new("Term")
        for name in ("Term", "Meaning", "Where"):
            models.add_field(term, models.new_field(name))
        template = models.new_template("Card 1")
        template["qfmt"] = "{{Term}}"
        template["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Where}}"
        models.add_template(term, template)
        models.add(term)
        image = col.media.write_data("volume-diagram.png", PNG)

        def add(model: str, deck: int, fields: list[str], tags: list[str]) -> None:
            note = col.new_note(models.by_name(model))
            for index, text in enumerate(fields):
                note.fields[index] = text
            note.tags = tags
            col.add_note(note, deck)

        add("Basic", storage, ["Which object asks for <b>storage</b>?", "a PersistentVolumeClaim<br>bound to one PV"],
            ["cka::storage", "pvc"])
        add("Basic (and reversed card)", networking, ["kube-proxy", "programs Service rules on each node"],
            ["cka::networking"])
        add("Cloze", storage, ["A {{c1::StorageClass}} names a {{c2::provisioner}}.", "dynamic provisioning"],
            ["cka::storage"])
        add("Term", networking, ["CNI", "Container Network Interface", "<pre><code>ls /etc/cni/net.d</code></pre>"],
            ["cka::networking::cni"])
        add("Basic", networking, [f'Which volume is drawn here? <img src="{image}">', "an emptyDir"], [])
        add("Basic", storage, ["Never studied here", "stays new"], [])

        def card_of(front: str, ordinal: int) -> int:
            for card_id in col.find_cards(""):
                card = col.get_card(card_id)
                if card.ord == ordinal and card.note().fields[0].startswith(front):
                    return int(card_id)
            raise AssertionError(front)

        def answer(card_id: int, ease: int) -> None:
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, ease)

        plan = {
            ("Which object", 0): [3, 3],  # learning, then a review card
            ("kube-proxy", 0): [4],  # easy: a review card at once
            ("kube-proxy", 1): [3, 4, 1],  # a review card that lapsed: relearning, due in minutes
            ("A {{c1", 0): [3],  # still learning, due in minutes
            ("A {{c1", 1): [4],
            ("CNI", 0): [3, 3],
            ("Which volume", 0): [4],
        }
        for (front, ordinal), eases in plan.items():
            for ease in eases:
                answer(card_of(front, ordinal), ease)
        col.sched.set_due_date([card_of("CNI", 0)], "9")  # a manual reschedule: a revlog row of type 4
        # a filtered deck that does not reschedule: its answer is logged as type 3 without an ease
        # factor; the cards not answered there stay in it (their home deck and due in odid, odue)
        cram = col.decks.new_filtered("Cram")
        settings = col.decks.get(cram)
        settings["resched"] = False
        settings["terms"] = [["deck:CKA::Networking is:review", 100, 0]]
        col.decks.save(settings)
        col.sched.rebuild_filtered_deck(cram)
        col.decks.select(cram)
        crammed = col.sched.getCard()
        assert crammed is not None
        crammed.start_timer()
        col.sched.answerCard(crammed, 3)
        assert col.db.scalar("SELECT count() FROM cards WHERE odid != 0") >= 1
        today = col.sched.today
        cards: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        keys: dict[int, tuple[str, int]] = {}
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            key = (card.note().fields[0], card.ord)
            cards[key] = (card.type, card.odue if card.odid else card.due, card.reps, card.lapses)
            keys[int(card_id)] = key
        rows = col.db.all("SELECT id, cid, ease, type FROM revlog ORDER BY id")
        answers: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for at, card_id, ease, kind in rows:
            if kind not in (3, 4):
                answers.setdefault(keys[card_id], []).append((at, ease))
        options = anki_collection.ExportAnkiPackageOptions
        for name, legacy in (("legacy.apkg", True), ("current.apkg", False)):
            col.export_anki_package(
                out_path=str(folder / name),
                options=options(with_scheduling=True, with_media=True, legacy=legacy),
                limit=None,
            )
        col.export_collection_package(str(folder / "whole.colpkg"), True, False)
    finally:
        col.close()
    return AnkiSide(folder, today, cards, [tuple(row) for row in rows], answers)


@pytest.fixture(scope="module")
def anki_fsrs(tmp_path_factory: pytest.TempPathFactory) -> AnkiSide:
    return _build_anki(tmp_path_factory.mktemp("anki-fsrs"), fsrs=True)


@pytest.fixture(scope="module")
def anki_sm2(tmp_path_factory: pytest.TempPathFactory) -> AnkiSide:
    return _build_anki(tmp_path_factory.mktemp("anki-sm2"), fsrs=False)


def _home(isolated_home: Path) -> Path:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    return isolated_home


def _cards(home: Path) -> list[dict[str, Any]]:
    """`cards --json` as JSON gives it: values of any JSON type."""
    listed = run_cli("cards", "--json", env={"CKAQUIZ_HOME": str(home)})
    assert listed.returncode == 0, listed.stderr
    cards: list[dict[str, Any]] = json.loads(listed.stdout)
    return cards


def _check_schedules(home: Path, anki: AnkiSide) -> None:
    """Every ckaquiz card ends where Anki has it: the same state, due day (or due time) and log."""
    collection = Collection.open(home)
    try:
        day_start = collection.study_day_start()
        checked = 0
        for stored in collection.store.cards():
            card = stored.card
            if card.kind.value == "cloze":
                ordinal = int(card.id.rsplit(":c", 1)[1]) - 1
                matches = [key for key in anki.cards if key[0].startswith("A {{c1") and key[1] == ordinal]
            elif card.id.endswith(":r"):
                matches = [("kube-proxy", 1)]
            else:
                matches = [key for key in anki.cards if key[1] == 0 and key[0].startswith(card.prompt[:10])]
            assert len(matches) == 1, (card.id, matches)
            kind, due, _, lapses = anki.cards[matches[0]]
            schedule = stored.schedule
            reviews = collection.store.reviews(card_id=card.id)
            assert [(int(review.reviewed_at.timestamp() * 1000), int(review.rating)) for review in reviews] == (
                anki.answers_by_key.get(matches[0], [])
            ), card.id
            assert schedule.lapses == lapses, card.id
            if kind == 0:
                assert schedule.state is CardState.NEW and schedule.due is None, card.id
            elif kind == 2:
                assert schedule.state is CardState.REVIEW and schedule.due is not None, card.id
                assert day_number(schedule.due, day_start) == due - anki.today, card.id
                assert schedule.stability is not None and schedule.difficulty is not None
            else:
                assert schedule.state in (CardState.LEARNING, CardState.RELEARNING), card.id
                assert schedule.due is not None
                assert int(schedule.due.timestamp()) == due, card.id
            checked += 1
        assert checked == len(anki.cards) == 8
    finally:
        collection.close()


@pytest.mark.parametrize("name", ["legacy.apkg", "current.apkg", "whole.colpkg"])
def test_a_package_arrives_with_its_cards_tags_decks_and_schedule(
    anki_fsrs: AnkiSide, isolated_home: Path, name: str
) -> None:
    home = _home(isolated_home)
    imported = run_cli("import", str(anki_fsrs.package(name)), "--with-history")
    assert imported.returncode == 0, imported.stderr
    assert "6 notes in 2 decks" in imported.stdout
    assert "1 media file listed (not copied)" in imported.stdout
    answers = sum(len(items) for items in anki_fsrs.answers_by_key.values())
    assert f"{answers} reviews added (2 log rows without a schedule effect left out)" in imported.stdout
    assert "Traceback" not in imported.stderr
    cards = {card["prompt"]: card for card in _cards(home)}
    assert {card["deck"] for card in cards.values()} == {"CKA/Storage", "CKA/Networking"}
    assert cards["Which object asks for **storage**?"]["answer"] == "a PersistentVolumeClaim\nbound to one PV"
    assert cards["Which object asks for **storage**?"]["tags"] == ["cka/storage", "pvc"]
    assert cards["kube-proxy"]["answer"] == "programs Service rules on each node"
    assert cards["programs Service rules on each node"]["answer"] == "kube-proxy"
    assert cards["CNI"]["tags"] == ["cka/networking/cni"]
    assert cards["CNI"]["explanation"] == "```\nls /etc/cni/net.d\n```"
    assert cards["Which volume is drawn here? ![](volume-diagram.png)"]["answer"] == "an emptyDir"
    clozes = sorted(card["answer"] for card in cards.values() if card["kind"] == "cloze")
    assert clozes == ["StorageClass", "provisioner"]
    assert len(cards) == 8
    # the deck files live in the data folder, nothing else was written, no scratch file stays
    written = sorted(path.relative_to(home).as_posix() for path in home.rglob("*.yaml"))
    stem = Path(name).stem
    assert written == [f"imported/{stem}/cka-networking.yaml", f"imported/{stem}/cka-storage.yaml"]
    assert not [path for path in home.iterdir() if path.name.startswith(".anki-import")]
    assert not [path for path in home.rglob("*") if path.name.startswith(("collection.", "media"))]
    _check_schedules(home, anki_fsrs)


def test_stability_and_difficulty_come_from_anki_fsrs_memory(anki_fsrs: AnkiSide, isolated_home: Path) -> None:
    home = _home(isolated_home)
    assert run_cli("import", str(anki_fsrs.package("current.apkg")), "--with-history").returncode == 0
    with zipfile.ZipFile(anki_fsrs.package("legacy.apkg")) as package:
        scratch = isolated_home.parent / "legacy.sqlite"
        scratch.write_bytes(package.read("collection.anki21"))
    connection = sqlite3.connect(scratch)
    memory = sorted(
        (round(json.loads(data)["s"], 4), round(json.loads(data)["d"], 4))
        for (data,) in connection.execute("SELECT data FROM cards WHERE type = 2")
    )
    connection.close()
    assert len(memory) == 5
    arrived = sorted(
        (round(float(str(card["stability"])), 4), round(float(str(card["difficulty"])), 4))
        for card in _cards(home)
        if card["state"] == "review"
    )
    assert arrived == memory


def test_without_fsrs_memory_the_schedule_is_replayed_and_the_due_day_is_still_anki_s(
    anki_sm2: AnkiSide, isolated_home: Path
) -> None:
    home = _home(isolated_home)
    imported = run_cli("import", str(anki_sm2.package("legacy.apkg")), "--with-history")
    assert imported.returncode == 0, imported.stderr
    _check_schedules(home, anki_sm2)


def test_without_history_every_card_arrives_new(anki_fsrs: AnkiSide, isolated_home: Path) -> None:
    home = _home(isolated_home)
    imported = run_cli("import", str(anki_fsrs.package("current.apkg")))
    assert imported.returncode == 0, imported.stderr
    assert "reviews added" not in imported.stdout
    assert {card["state"] for card in _cards(home)} == {"new"}
    collection = Collection.open(home)
    try:
        assert collection.store.reviews() == []
    finally:
        collection.close()


def test_importing_again_keeps_ids_and_history_and_adds_nothing_twice(anki_fsrs: AnkiSide, isolated_home: Path) -> None:
    home = _home(isolated_home)
    package = str(anki_fsrs.package("legacy.apkg"))
    assert run_cli("import", package, "--with-history").returncode == 0
    before = {card["id"]: card for card in _cards(home)}
    again = run_cli("import", package, "--with-history")
    assert again.returncode == 0, again.stderr
    assert "cards: 0 new, 0 changed" in again.stdout and "0 retired" in again.stdout
    assert "0 reviews added" in again.stdout
    after = {card["id"]: card for card in _cards(home)}
    assert after == before
    collection = Collection.open(home)
    try:
        total = len(collection.store.reviews())
        assert total == sum(len(items) for items in anki_fsrs.answers_by_key.values())
    finally:
        collection.close()


def test_a_note_edited_in_anki_updates_its_card_in_place(tmp_path: Path, isolated_home: Path) -> None:
    home = _home(isolated_home)
    folder = tmp_path / "edit"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[0], note.fields[1] = "Which flag pins etcd's data directory?", "--data-dir"
        col.add_note(note, col.decks.id("CKA"))
        package = folder / "etcd.apkg"
        options = anki_collection.ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False)
        col.export_anki_package(out_path=str(package), options=options, limit=None)
        assert run_cli("import", str(package)).returncode == 0
        [first] = _cards(home)
        note = col.get_note(note.id)
        note.fields[1] = "<code>--data-dir</code> (default /var/lib/etcd)"
        col.update_note(note)
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    again = run_cli("import", str(package))
    assert again.returncode == 0, again.stderr
    assert "0 new, 1 changed" in again.stdout
    [second] = _cards(home)
    assert second["id"] == first["id"]
    assert second["answer"] == "`--data-dir` (default /var/lib/etcd)"


# the round trip ----------------------------------------------------------------------------

ROUND = """\
deck: round
cards:
  - {id: sp, front: "What runs **static pods**?", back: "the `kubelet`, from `staticPodPath`"}
  - {id: kp, front: kube-proxy, back: programs Service rules on each node, reverse: true}
  - {kind: cloze, id: sc, text: "A {{StorageClass}} names a {{provisioner}}."}
  - {id: fresh, front: Never studied, back: still new}
"""


@pytest.fixture
def studied(isolated_home: Path, tmp_path: Path) -> Iterator[Collection]:
    """Five days of study ending now (Anki schedules against the real clock)."""
    _home(isolated_home)
    deck = tmp_path / "round.yaml"
    deck.write_text(ROUND, encoding="utf-8")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
    clock = FrozenClock(start)
    collection = Collection.open(isolated_home, clock=clock)
    collection.import_path(deck)
    for day in range(5):
        clock.moment = start + timedelta(days=day)
        session = Session(collection)
        for _ in range(10):
            item = session.next_card()
            if item is None or item.card.id == "round:fresh":
                break
            session.answer(Rating.AGAIN if day == 2 and item.card.id == "round:sp" else Rating.GOOD, duration_ms=3100)
            clock.moment += timedelta(minutes=13)
        session.finish()
    clock.moment = datetime.now(UTC).replace(microsecond=0)
    yield collection
    collection.close()


def test_round_trip_through_an_anki_package_keeps_cards_and_the_review_log(
    studied: Collection, tmp_path: Path
) -> None:
    package = tmp_path / "round.apkg"
    environment = {"CKAQUIZ_HOME": str(studied.home), "CKAQUIZ_NOW": studied.now().isoformat()}
    assert run_cli("export", "anki", str(package), "--with-history", env=environment).returncode == 0
    fresh = _home(tmp_path / "fresh-home")
    imported = run_cli("import", str(package), "--with-history", env={"CKAQUIZ_HOME": str(fresh)})
    assert imported.returncode == 0, imported.stderr
    original = {card.card.prompt: card for card in studied.store.cards()}
    arrived = {card["prompt"]: card for card in _cards(fresh)}
    assert set(arrived) == set(original)
    for prompt, stored in original.items():
        assert arrived[prompt]["answer"] == stored.card.answer, prompt
        assert arrived[prompt]["kind"] == stored.card.kind.value, prompt
        assert arrived[prompt]["state"] == stored.schedule.state.value, prompt
    again = Collection.open(fresh)
    try:
        by_prompt = {card.card.id: card.card.prompt for card in again.store.cards()}
        got = sorted(
            (by_prompt[review.card_id], int(review.reviewed_at.timestamp() * 1000), int(review.rating))
            for review in again.store.reviews()
        )
        original_prompts = {card.card.id: card.card.prompt for card in studied.store.cards()}
        want = sorted(
            (original_prompts[review.card_id], int(review.reviewed_at.timestamp() * 1000), int(review.rating))
            for review in studied.store.reviews()
        )
        assert got == want
        day_start = studied.study_day_start()
        for stored in again.store.cards():
            before = original[stored.card.prompt].schedule
            if before.state is CardState.REVIEW:
                assert stored.schedule.due is not None and before.due is not None
                assert day_number(stored.schedule.due, day_start) == day_number(before.due, day_start)
    finally:
        again.close()


# hostile packages --------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _altered(anki: AnkiSide, tmp_path: Path, change: Callable[[sqlite3.Connection], object]) -> Path:
    """The legacy package with its collection changed by `change`."""
    with zipfile.ZipFile(anki.package("legacy.apkg")) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    scratch = tmp_path / "altered.sqlite"
    scratch.write_bytes(members["collection.anki21"])
    connection = sqlite3.connect(scratch)
    with connection:
        change(connection)
    connection.close()
    members["collection.anki21"] = scratch.read_bytes()
    return _zip(tmp_path / "altered.apkg", members)


def _refused(package: Path) -> str:
    result = run_cli("import", str(package), "--with-history")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(package) in lines[0]
    return lines[0]


def _nothing_written(home: Path) -> None:
    assert not (home / "imported").exists() or not list((home / "imported").rglob("*.yaml"))
    assert not [path for path in home.iterdir() if path.name.startswith(".anki-import")] if home.exists() else True


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    package = tmp_path / "notes.apkg"
    package.write_bytes(b"just some text, not an archive\n")
    assert "not a zip archive" in _refused(package)
    _nothing_written(isolated_home)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, isolated_home: Path) -> None:
    package = _zip(tmp_path / "bomb.apkg", {"collection.anki21": b"\x00" * (40 << 20)})
    assert "would grow" in _refused(package)
    _nothing_written(isolated_home)


def test_a_zstd_bomb_inside_a_current_package_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    import zstandard

    data = zstandard.ZstdCompressor(level=19).compress(b"SQLite format 3\x00" + b"\x00" * (300 << 20))
    package = _zip(tmp_path / "zbomb.apkg", {"collection.anki21b": data})
    assert "grows too large" in _refused(package)


@pytest.mark.parametrize("member", ["../../escape.txt", "/absolute/escape.txt", "media/../../x", "C:/windows.txt"])
def test_member_paths_that_leave_the_archive_are_refused(tmp_path: Path, isolated_home: Path, member: str) -> None:
    package = _zip(tmp_path / "paths.apkg", {"collection.anki21": b"x", member: b"x"})
    assert "unsafe member path" in _refused(package)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_collection_that_is_not_sqlite_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    package = _zip(tmp_path / "text.apkg", {"collection.anki21": b"hello, I am not a database" * 10})
    assert "not an SQLite database" in _refused(package)


def test_a_package_without_a_collection_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    assert "no collection inside" in _refused(_zip(tmp_path / "empty.apkg", {"media": b"{}"}))


def test_a_current_package_whose_collection_is_not_zstd_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    package = _zip(tmp_path / "plain.apkg", {"collection.anki21b": b"SQLite format 3\x00 but not compressed"})
    assert "not zstd-compressed" in _refused(package)


def test_an_sqlite_file_of_another_schema_is_refused(tmp_path: Path, isolated_home: Path) -> None:
    scratch = tmp_path / "other.sqlite"
    with sqlite3.connect(scratch) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    package = _zip(tmp_path / "other.apkg", {"collection.anki21": scratch.read_bytes()})
    assert "is not an Anki collection (no table cards, col, notes, revlog)" in _refused(package)


def test_a_huge_field_skips_its_note_with_a_warning(anki_fsrs: AnkiSide, tmp_path: Path, isolated_home: Path) -> None:
    home = _home(isolated_home)
    package = _altered(
        anki_fsrs,
        tmp_path,
        lambda db: db.execute("UPDATE notes SET flds = ? || char(31) || 'x' WHERE flds LIKE 'CNI%'", ("y" * 200_001,)),
    )
    result = run_cli("import", str(package))
    assert result.returncode == 0, result.stderr
    assert "5 notes" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "a field of 200001 characters" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ") and str(package) in warnings[0]
    assert "CNI" not in {card["prompt"] for card in _cards(home)}


def test_invalid_utf8_skips_its_note_with_a_warning(anki_fsrs: AnkiSide, tmp_path: Path, isolated_home: Path) -> None:
    home = _home(isolated_home)
    package = _altered(
        anki_fsrs, tmp_path, lambda db: db.execute("UPDATE notes SET flds = X'4e6f7465ff1f6f6b' WHERE flds LIKE 'CNI%'")
    )
    result = run_cli("import", str(package))
    assert result.returncode == 0, result.stderr
    assert "not valid UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert len(_cards(home)) == 7


def test_a_note_type_without_fields_is_reported_once(anki_fsrs: AnkiSide, tmp_path: Path, isolated_home: Path) -> None:
    home = _home(isolated_home)

    def empty_term(db: sqlite3.Connection) -> None:
        (models_text,) = db.execute("SELECT models FROM col").fetchone()
        models = json.loads(models_text)
        for model in models.values():
            if model["name"] == "Term":
                model["flds"] = []
        db.execute("UPDATE col SET models = ?", (json.dumps(models),))

    result = run_cli("import", str(_altered(anki_fsrs, tmp_path, empty_term)))
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "'Term' has no fields" in line] != []
    assert len(_cards(home)) == 7


def test_note_types_and_decks_that_are_not_json_are_refused(anki_fsrs: AnkiSide, tmp_path: Path) -> None:
    package = _altered(anki_fsrs, tmp_path, lambda db: db.execute("UPDATE col SET models = '{not json'"))
    assert "not valid JSON" in _refused(package)


def test_a_truncated_package_is_refused(anki_fsrs: AnkiSide, tmp_path: Path) -> None:
    data = anki_fsrs.package("legacy.apkg").read_bytes()
    package = tmp_path / "cut.apkg"
    package.write_bytes(data[: len(data) // 2])
    _refused(package)


# the rule for log rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ease", "kind", "factor", "counts"),
    [
        (3, 0, 0, True),  # learning
        (1, 1, 2500, True),  # review
        (2, 2, 2300, True),  # relearning
        (4, 3, 2500, True),  # a filtered deck that reschedules
        (3, 3, 0, False),  # a filtered deck that does not (cramming, preview)
        (0, 4, 0, False),  # set due date, forget
        (3, 4, 2500, False),  # manual, whatever its ease says
        (0, 5, 0, False),  # rescheduled by Anki after FSRS settings changed
        (5, 1, 2500, False),  # no such grade
    ],
)
def test_which_log_rows_are_answers(ease: int, kind: int, factor: int, counts: bool) -> None:
    from ckaquiz.anki_import import counts_as_answer
    from ckaquiz.anki_package import LogEntry

    assert counts_as_answer(LogEntry(1, 1, ease, 1, 1000, kind, factor)) is counts
