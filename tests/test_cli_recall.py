"""Blank-page recall end to end: plain-mode marks, stored attempts, `score` and `history`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cli

DECK = """\
deck: recall
cards:
  - kind: recall
    id: static
    topic: Static pods
    notes: |
      - The kubelet creates static pods from manifest files
      - kubeadm keeps them in /etc/kubernetes/manifests
      - The API server shows read-only mirror pods
      - staticPodPath in the kubelet config names the folder
"""
NOW = {"CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}


def setup(home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = false\n", encoding="utf-8")
    deck = tmp_path / "recall.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0


def test_plain_mode_marks_points_and_an_empty_grade_accepts_the_suggestion(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    recall = "kubelet가 manifest 파일로 static pod를 만든다\nkubeadm은 /etc/kubernetes/manifests 에 둔다\n.\n"
    result = run_cli("study", "--plain", input_text=recall + "\nq\n", env=NOW)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    marks = [line for line in lines if line.startswith(("[x]", "[~]", "[ ]"))]
    assert marks[0] == "[x] The kubelet creates static pods from manifest files"
    assert marks[1] == "[x] kubeadm keeps them in /etc/kubernetes/manifests"
    assert marks[2] == "[ ] The API server shows read-only mirror pods"
    coverage_line = next(line for line in lines if line.startswith("coverage:"))
    suggested = coverage_line.split("suggested: ")[1]
    assert lines[-1].startswith("reviewed 1 cards")
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    rating, = database.execute("SELECT rating FROM reviews").fetchone()
    assert {"again": 1, "hard": 2, "good": 3, "easy": 4}[suggested] == rating
    response, score, suggested_number, final, result_json = database.execute(
        "SELECT response, score, suggested, final, result FROM attempts"
    ).fetchone()
    assert response == recall.removesuffix(".\n").rstrip("\n")
    assert 0.4 <= score <= 0.7
    assert suggested_number == final == rating
    assert [point["status"] for point in json.loads(result_json)["points"]][:2] == ["recalled", "recalled"]
    history = run_cli("history", "recall:static", "--json")
    attempts = json.loads(history.stdout)
    assert len(attempts) == 1 and attempts[0]["final"] == rating


def test_score_records_nothing(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    answer = tmp_path / "answer.txt"
    answer.write_text("The kubelet creates static pods from manifest files.\nBananas grow in Ecuador.\n", encoding="utf-8")
    result = run_cli("score", "recall:static", "--file", str(answer), "--json")
    assert result.returncode == 0, result.stderr
    scored = json.loads(result.stdout)
    assert scored["suggested"] in {"again", "hard"}
    assert scored["coverage"] < 0.7
    statuses = [point["status"] for point in scored["points"]]
    assert statuses[0] == "recalled" and statuses[2:] == ["missed", "missed"]
    assert scored["unmatched"] == ["Bananas grow in Ecuador."]
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
    assert database.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_score_of_unknown_card_is_one_line(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    result = run_cli("score", "recall:nope", input_text="x")
    assert result.returncode == 1
    assert result.stderr == "error: no card with id 'recall:nope' (see `ckaquiz cards`)\n"
