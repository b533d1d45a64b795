"""Choice, command and manifest cards through the plain protocol, end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cli

DECK = """\
deck: quiz
cards:
  - kind: choice
    id: phase
    question: Which admission phase runs first?
    options: [Mutating, Validating, Authorization]
    answer: Mutating
    explanation: Validation must see the final object.
  - kind: choice
    id: effects
    question: Which are taint effects?
    options: [NoSchedule, NoExecute, NoRestart]
    answer: [NoSchedule, NoExecute]
  - kind: command
    id: tls
    question: Create TLS secret web-tls from tls.crt and tls.key in namespace shop.
    answer: kubectl create secret tls web-tls --cert=tls.crt --key=tls.key -n shop
  - kind: manifest
    id: toleration
    question: A pod web (nginx) tolerating app=blue:NoSchedule.
    answer: |
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: web
          image: nginx
        tolerations:
        - key: app
          operator: Equal
          value: blue
          effect: NoSchedule
"""

MANIFEST = """\
kind: Pod
apiVersion: v1
metadata: {name: web}
spec:
  tolerations:
  - {key: app, operator: Equal, value: blue, effect: NoExecute}
  containers:
  - {name: web, image: nginx}
.
"""


def option_number(stdout: str, card_id: str, option: str) -> str:
    lines = stdout.splitlines()
    start = lines.index(next(line for line in lines if line.endswith(card_id)))
    for line in lines[start:]:
        if line.endswith(f". {option}"):
            return line.split(".")[0]
    raise AssertionError(f"{option} not shown")


def test_quiz_kinds_in_plain_mode(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "quiz.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    # first pass only to learn where the shuffled options landed: quit at once
    probe = run_cli("review", "--plain", "--limit", "1", input_text="")
    assert probe.stdout.startswith("--- card 1/1 quiz:phase")
    answers = "\n".join([
        "1",  # phase: a number; which option it names depends on the shuffle, so it is judged below
        "",  # accept the suggestion
        "",  # effects: chosen below
        "",
        "kubectl -n shop create secret tls web-tls --key tls.key --cert=tls.crt",
        "",
        MANIFEST.rstrip("\n"),
        "",
    ]) + "\n"
    result = run_cli("review", "--plain", input_text=answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    phase_block = out.split("--- card 2/")[0]
    picked_first = phase_block.splitlines()[2].removeprefix("1. ")
    if picked_first == "Mutating":
        assert "correct\nsuggested: easy" in phase_block  # right at once: within the choice kind's easy time
    else:
        assert "suggested: again" in phase_block and "Mutating" in phase_block
    assert "Validation must see the final object." in phase_block
    command_block = out.split("quiz:tls")[1].split("---")[0]
    assert "correct" in command_block and "suggested: easy" in command_block
    manifest_block = out.split("quiz:toleration")[1]
    assert "spec.tolerations[key=app].effect: expected NoSchedule, got NoExecute" in manifest_block
    assert "suggested: again" in manifest_block
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    rows = dict(database.execute("SELECT card_id, rating FROM reviews").fetchall())
    assert rows["quiz:tls"] == 4
    assert rows["quiz:toleration"] == 1
    attempts = dict(database.execute("SELECT card_id, response FROM attempts").fetchall())
    assert attempts["quiz:tls"] == "kubectl -n shop create secret tls web-tls --key tls.key --cert=tls.crt"


def test_score_grades_commands_and_manifests(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "quiz.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    wrong = run_cli("score", "quiz:tls", "--json", input_text="kubectl create secret generic web-tls --from-file=tls.crt\n")
    graded = json.loads(wrong.stdout)
    assert graded["suggested"] == "again" and not graded["correct"]
    choice = run_cli("score", "quiz:effects", "--json", input_text="1,2\n")
    assert json.loads(choice.stdout)["suggested"] == "good"
    broken = run_cli("score", "quiz:toleration", input_text="kind: [Pod\n")
    assert broken.stdout.startswith("YAML error at line 2, column 1:")
