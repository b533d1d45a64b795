"""The learner's own blank-page recall written in notes is kept as recall attempts of the day it recalls."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from ckaquiz.collection import Collection
from ckaquiz.config import DATABASE_NAME
from ckaquiz.model import CardKind
from ckaquiz.stats import collect_stats
from ckaquiz.store import SCHEMA_VERSION, card_attempts, own_recall_totals
from tests.conftest import FIXTURES, FrozenClock, run_cli, seed_vault
from tests.reference_stats import own_recall

EARLIER = (
    "# 공부 메모장\n## Services\n"
    "서비스는 파드 묶음에 고정된 가상 IP를 준다.\nIngress는 HTTP 경로와 호스트로 서비스를 고른다.\n"
)
"""A note three days before the next one: the previous dated note its `어제` recall recalls."""
LATER = (
    "# 어제 학습 내용 백지 복습\n서비스는 파드 묶음에 고정된 가상 IP를 준다.\n\n---\n"
    "# 오늘 학습 내용 백지 복습\nkubelet이 manifests 폴더의 파드를 직접 띄운다.\n"
    "# 공부 메모장\n## Static pods\nkubelet이 staticPodPath 폴더의 매니페스트로 파드를 만든다.\n"
    "API 서버에는 읽기 전용 미러 파드만 보인다.\n"
)
MARCH_18 = (
    "# 공부 메모장\n### Kubernetes\n"
    "taints\ntaint는 노드에 설정하고 toleration이 있는 파드만 그 노드에 스케쥴된다.\n"
    "NoExecute taint는 이미 실행 중인 파드도 내쫓는다(eviction).\n\n"
    "node affinity\nrequiredDuringScheduling 규칙을 만족하는 노드가 없으면 파드는 Pending으로 남는다.\n"
    "preferred 규칙은 맞는 노드가 없으면 다른 노드에 배치한다.\n"
)
"""Notes of the day before the seed note, in the shape the seed's `어제` recall recalls."""


def two_notes(folder: Path) -> Path:
    """A vault of two dated notes: the earlier one, and the later one whose recall sections recall both."""
    vault = folder / "daily"
    vault.mkdir()
    (vault / "2026-01-10.md").write_text(EARLIER, encoding="utf-8")
    (vault / "2026-01-13.md").write_text(LATER, encoding="utf-8")
    return vault


def own_attempts(collection: Collection, card_id: str) -> list[dict[str, object]]:
    return [attempt for attempt in card_attempts(collection.store, card_id) if attempt["review_id"] is None]


def cards_by_prompt(collection: Collection, deck: str) -> dict[str, str]:
    return {stored.card.prompt.split(" › ")[-1]: stored.card.id for stored in collection.store.cards()
            if stored.card.deck == deck and stored.card.kind is CardKind.RECALL}


def test_recall_sections_become_attempts_of_the_cards_they_recall(collection: Collection, tmp_path: Path) -> None:
    vault = two_notes(tmp_path)
    before = {path.name: path.read_bytes() for path in vault.iterdir()}
    collection.import_path(vault)
    cards = cards_by_prompt(collection, "daily")
    (services,) = [card for prompt, card in cards.items() if prompt == "Services"]
    (static,) = [card for prompt, card in cards.items() if prompt == "Static pods"]
    # `어제` in the 13th's note recalls the previous dated note (the 10th), `오늘` the 13th itself
    (recalled,) = own_attempts(collection, services)
    points = {point["text"]: point["status"] for point in recalled["result"]["points"]}  # type: ignore[index]
    assert points == {
        "서비스는 파드 묶음에 고정된 가상 IP를 준다.": "recalled",
        "Ingress는 HTTP 경로와 호스트로 서비스를 고른다.": "missed",
    }
    assert recalled["response"] == "서비스는 파드 묶음에 고정된 가상 IP를 준다."
    assert str(recalled["created_at"]).startswith("2026-01-13")
    assert recalled["result"]["own_recall"]["heading"] == "어제 학습 내용 백지 복습"  # type: ignore[index]
    (today,) = own_attempts(collection, static)
    assert today["response"] == "kubelet이 manifests 폴더의 파드를 직접 띄운다."
    assert {path.name: path.read_bytes() for path in vault.iterdir()} == before  # notes are only read

    # importing again, or touching a note without changing it, scores nothing again
    count = len(collection.store.connection.execute("SELECT id FROM attempts").fetchall())
    os.utime(vault / "2026-01-13.md", ns=(1, 1))
    collection.refresh()
    assert len(collection.store.connection.execute("SELECT id FROM attempts").fetchall()) == count
    assert own_attempts(collection, services) == [recalled]

    # an edited section updates its attempt in place: same attempt, new text and score
    edited = LATER.replace("고정된 가상 IP를 준다.\n", "고정된 가상 IP를 준다.\nIngress는 HTTP 경로와 호스트로 고른다.\n", 1)
    (vault / "2026-01-13.md").write_text(edited, encoding="utf-8")
    os.utime(vault / "2026-01-13.md", ns=(2, 2))
    collection.refresh()
    (again,) = own_attempts(collection, services)
    assert again["id"] == recalled["id"] and "Ingress" in str(again["response"])
    assert all(point["status"] == "recalled" for point in again["result"]["points"])  # type: ignore[index]
    assert len(collection.store.connection.execute("SELECT id FROM attempts").fetchall()) == count
    assert collection.store.connection.execute("SELECT count(*) FROM note_recalls").fetchone()[0] == 2
    totals = own_recall_totals(collection.store)
    assert totals == own_recall(collection.store, collection.store.cards(include_retired=True))
    assert (totals.sections, totals.attempts, totals.points_recalled, totals.points_missed) == (2, 2, 3, 1)


def test_history_and_stats_show_the_notes_own_recall(tmp_path: Path, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    vault = two_notes(tmp_path)
    assert run_cli("import", str(vault)).returncode == 0
    listing = run_cli("cards", "--json")
    services = next(card["id"] for card in json.loads(listing.stdout) if card["prompt"].endswith("› Services"))
    shown = run_cli("history", services)
    assert shown.returncode == 0, shown.stderr
    (line,) = shown.stdout.splitlines()
    assert line.startswith("2026-01-13") and line.endswith("Ingress는 HTTP 경로와 호스트로 서비스를 고른다.")
    as_json = json.loads(run_cli("history", services, "--json").stdout)
    assert [attempt["result"]["own_recall"]["note"] for attempt in as_json] == [str(vault / "2026-01-13.md")]
    stats = json.loads(run_cli("stats", "--json").stdout)
    assert stats["own_recall"] == {
        "sections": 2, "attempts": 2, "points_recalled": 2, "points_partial": 0, "points_missed": 2,
        "last_day": "2026-01-13",
    }
    assert "generated_at" in stats and "recall_progress" in stats  # the keys before stay
    screen = run_cli("stats", env={"COLUMNS": "120"})
    assert "Own recall in notes: 2 sections, 2 card attempts: 2 points recalled, 0 partly, 2 missed" in screen.stdout


def test_include_all_makes_recall_sections_cards_and_no_attempts(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "daily"
    vault.mkdir()
    (vault / "2026-01-13.md").write_text(LATER, encoding="utf-8")
    collection.import_path(vault, options={"include_all": True})
    assert collection.store.connection.execute("SELECT count(*) FROM note_recalls").fetchone()[0] == 0


def test_seed_note_recall_sections_are_kept_with_what_they_covered(collection: Collection, tmp_path: Path) -> None:
    vault = seed_vault(tmp_path)
    (vault / "2025-03-18.md").write_text(MARCH_18, encoding="utf-8")
    collection.import_path(vault)
    stored = collection.store.connection.execute(
        "SELECT heading, note_day, recalls FROM note_recalls ORDER BY line"
    ).fetchall()
    assert [tuple(row) for row in stored] == [
        ("어제 학습 내용 백지 복습", "2025-03-19", "yesterday"),
        ("오늘 학습 내용 백지 복습", "2025-03-19", "today"),
    ]
    cards = cards_by_prompt(collection, "seedvault")

    def statuses(title: str) -> dict[str, str]:
        (attempt,) = own_attempts(collection, cards[title])
        return {point["text"]: point["status"] for point in attempt["result"]["points"]}  # type: ignore[index]

    def recalled(title: str) -> int:
        return sum(status == "recalled" for status in statuses(title).values())

    # today's recall covered static pods and the admission plugins ...
    assert recalled("static pods") >= 3 and recalled("Admission Controller 플러그인") >= 3
    assert statuses("static pods")["`/etc/kubernetes/manifests`에 pod의 yaml 파일을 작성하면 kubelet이 해당 yaml 파일을 "
                                   "통해서 pod를 만든다."] == "recalled"
    # ... and missed LimitRange, ResourceQuota and the scheduler profiles
    assert statuses("LimitRange")["LimitRange를 통해서 디폴트로 파드가 생성되면 resource를 설정한다."] != "recalled"
    assert recalled("Resource Quotas") == 0 and recalled("스케쥴러 프로필") == 0
    # yesterday's recall is scored against the 18th's notes
    assert recalled("taints") == 1 and recalled("node affinity") >= 1
    totals = own_recall_totals(collection.store)
    assert totals.sections == 2 and totals.attempts == len(cards)
    assert totals == own_recall(collection.store, collection.store.cards(include_retired=True))
    stats = collect_stats(collection)
    assert stats.own_recall == totals


def test_previous_schema_database_keeps_notes_recall_after_upgrade(
    isolated_home: Path, clock: FrozenClock, tmp_path: Path
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    shutil.copyfile(FIXTURES / "schema-v6.db", isolated_home / DATABASE_NAME)
    raw = sqlite3.connect(isolated_home / DATABASE_NAME)
    reviews = raw.execute("SELECT count(*) FROM reviews").fetchone()[0]
    raw.close()
    vault = two_notes(tmp_path)
    opened = Collection.open(isolated_home, clock=clock)
    try:
        opened.import_path(vault)
        assert own_recall_totals(opened.store).attempts == 2
        assert len(opened.store.reviews(include_undone=True)) == reviews
    finally:
        opened.close()


def test_many_scorings_shared_among_workers_give_the_same_scores_in_order() -> None:
    from ckaquiz.coverage import score_recall
    from ckaquiz.own_recall_attempts import PARALLEL_MINIMUM_PAIRS, scored
    from ckaquiz.parallel import usable_workers

    cards = [
        ("kubelet이 staticPodPath 폴더의 매니페스트로 파드를 만든다.", "API 서버에는 읽기 전용 미러 파드만 보인다."),
        ("taint는 노드에 설정하고 toleration이 있는 파드만 스케쥴된다.", "NoExecute taint는 실행 중인 파드도 내쫓는다."),
        ("`kubectl get pvc -w`",),
    ]
    recalls = [f"kubelet이 {number}번째 폴더의 파드를 띄운다. taint는 노드에 있다." for number in range(40)]
    pairs = [(card, recall) for recall in recalls for card in cards]
    assert len(pairs) >= PARALLEL_MINIMUM_PAIRS
    if usable_workers(len(pairs)) < 2:
        pytest.skip("one core, or not Linux: the scorings run in this process")
    expected = [score_recall(card, recall) for card, recall in pairs]
    assert scored(pairs) == expected
    assert len({score.coverage for score in expected}) > 1  # the pairs differ, so their order is checked


def test_a_scan_stopped_before_its_recall_sections_were_read_reads_them_next_time(
    collection: Collection, tmp_path: Path
) -> None:
    vault = two_notes(tmp_path)
    collection.import_path(vault)
    services = cards_by_prompt(collection, "daily")["Services"]
    (recalled,) = own_attempts(collection, services)
    # The cards of that scan are stored, the recall sections not yet read: what a kill between the
    # scan's two transactions leaves (no file changes before the next command).
    with collection.store.transaction() as connection:
        attempt_ids = [row[0] for row in connection.execute("SELECT attempt_id FROM note_recall_attempts")]
        connection.execute("DELETE FROM note_recall_attempts")
        connection.executemany("DELETE FROM attempts WHERE id = ?", [(number,) for number in attempt_ids])
        connection.execute("DELETE FROM note_recalls")
        connection.execute("DELETE FROM note_recall_files")
    assert own_attempts(collection, services) == []
    report = collection.refresh()
    assert report.files_read == 0  # no file changed: the cards are not read again
    (again,) = own_attempts(collection, services)
    assert again["response"] == recalled["response"] and again["result"] == recalled["result"]
    count = collection.store.connection.execute("SELECT count(*) FROM attempts").fetchone()[0]
    collection.refresh()  # and once read, an unchanged vault reads nothing more
    assert collection.store.connection.execute("SELECT count(*) FROM attempts").fetchone()[0] == count


def test_migration_0009_counts_the_points_of_the_attempts_already_made(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    vault = two_notes(tmp_path)
    collection = Collection.open(home)
    collection.import_path(vault)
    expected = own_recall(collection.store, collection.store.cards(include_retired=True))
    collection.close()
    assert expected.points_recalled and expected.points_missed  # both kinds to count
    # The same attempts in a database of schema 8, before their points were counted beside them.
    connection = sqlite3.connect(home / DATABASE_NAME)
    with connection:
        for column in ("recalled", "partial", "missed"):
            connection.execute(f"ALTER TABLE note_recall_attempts DROP COLUMN {column}")
        # and the card indexes as they were before 0010 widened them
        connection.execute("DROP INDEX cards_summary")
        connection.execute("CREATE INDEX cards_summary ON cards (active, state, due, deck, tags, sibling_key)")
        connection.execute("DROP INDEX cards_by_source_file")
        connection.execute("CREATE INDEX cards_by_source_file ON cards (source_id, source_path)")
        connection.execute("DELETE FROM migrations WHERE version >= 9")
    connection.execute("PRAGMA user_version = 8")
    connection.close()
    collection = Collection.open(home)
    try:
        assert collection.store.version == SCHEMA_VERSION
        assert own_recall_totals(collection.store) == expected
    finally:
        collection.close()


def test_a_first_import_on_a_terminal_shows_the_scoring_of_the_notes_own_recall(
    isolated_home: Path, tmp_path: Path
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    vault = two_notes(tmp_path)
    environment = dict(os.environ, CKAQUIZ_HOME=str(isolated_home), TERM="xterm-256color", COLUMNS="100")
    child = pexpect.spawn(sys.executable, ["-m", "ckaquiz", "import", str(vault)], env=environment,
                          encoding="utf-8", dimensions=(30, 100), timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before or "")
    assert "reading 2026-01-1" in shown
    assert "scoring the notes' own blank-page recall" in shown  # the phase after reading, with its bar
    assert "imported 'daily'" in shown
