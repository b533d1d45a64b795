"""The grade policy end to end: typed cloze answers judged in the plain protocol and by `score`,
`score --json` keeping its keys, a manifest right at its second try suggested hard in the terminal."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pexpect
import pytest

from ckaquiz.assessment import assess_response
from ckaquiz.config import settings_from_mapping
from ckaquiz.model import Card, CardKind, Rating, SourceLocation
from tests.conftest import run_cli
from tests.test_cli_study_terminal import spawn

DECK = """\
deck: judged
cards:
  - kind: cloze
    id: effect
    text: "A taint with the effect {{NoSchedule}} keeps new Pods off the node."
  - kind: command
    id: deploy
    question: Create a Deployment web from the image nginx with three replicas.
    answer: kubectl create deployment web --image=nginx --replicas=3
  - kind: manifest
    id: ns
    question: A namespace called team-a.
    answer: |
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
"""


@pytest.fixture
def judged_home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "judged.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0, "import failed"
    return isolated_home


def _reviews(home: Path) -> list[tuple[str, int]]:
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        return database.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
    finally:
        database.close()


def _cloze_id(home: Path) -> str:
    listed = json.loads(run_cli("cards", "--json").stdout)
    card_id: str = next(card["id"] for card in listed if card["kind"] == "cloze")
    return card_id


@pytest.mark.parametrize(
    ("typed", "lines", "rating"),
    [
        pytest.param("NoSchedule", ["correct", "suggested: easy"], Rating.EASY, id="right"),
        pytest.param("noschedule", ["not quite:", "  expected NoSchedule, got noschedule", "suggested: again"],
                     Rating.AGAIN, id="case-of-an-api-value"),
        pytest.param("NoExecute", ["not quite:", "  expected NoSchedule, got NoExecute", "suggested: again"],
                     Rating.AGAIN, id="other-effect"),
    ],
)
def test_a_typed_cloze_answer_is_judged_in_the_plain_protocol(
    judged_home: Path, typed: str, lines: list[str], rating: Rating
) -> None:
    done = run_cli("study", "--plain", "--deck", "judged", "--limit", "1", input_text=f"{typed}\n\n")
    assert done.returncode == 0, done.stderr
    shown = done.stdout.splitlines()
    start = shown.index(lines[0])
    assert shown[start : start + len(lines)] == lines
    assert _reviews(judged_home) == [(_cloze_id(judged_home), rating.value)]


def test_an_empty_cloze_line_only_reveals(judged_home: Path) -> None:
    done = run_cli("study", "--plain", "--deck", "judged", "--limit", "1", input_text="\n3\n")
    assert done.returncode == 0, done.stderr
    assert "suggested:" not in done.stdout and "not quite:" not in done.stdout
    assert _reviews(judged_home) == [(_cloze_id(judged_home), Rating.GOOD.value)]


def test_score_judges_a_cloze_and_keeps_the_json_keys(judged_home: Path) -> None:
    card_id = _cloze_id(judged_home)
    wrong = json.loads(run_cli("score", card_id, "--json", input_text="NoExecute\n").stdout)
    assert wrong == {
        "correct": False,
        "suggested": "again",
        "differences": ["expected NoSchedule, got NoExecute"],
        "score": 0.0,
        "kind": "cloze",
        "matched_answer": "",
        "coverage": 0.0,
    }
    right = json.loads(run_cli("score", card_id, "--json", input_text="NoSchedule\n").stdout)
    assert right["correct"] and right["suggested"] == "good"  # `score` has no timing: never easy
    assert _reviews(judged_home) == []


def test_score_json_of_a_command_keeps_every_key(judged_home: Path) -> None:
    swapped = run_cli("score", "judged:deploy", "--json",
                      input_text="kubectl create deployment nginx --image=web --replicas=3\n")
    graded = json.loads(swapped.stdout)
    assert set(graded) >= {"correct", "suggested", "differences", "score", "kind", "matched_answer", "coverage"}
    assert graded["suggested"] == "again"
    assert "web and nginx are swapped (argument 1 and --image)" in graded["differences"]
    plain = run_cli("score", "judged:deploy", input_text="kubectl create deploy web --replicas 3 --image nginx\n")
    assert plain.stdout.splitlines() == ["correct", "suggested: good"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_score_shows_kubectls_own_error_for_an_invalid_flag(judged_home: Path) -> None:
    scored = run_cli("score", "judged:deploy", input_text="kubectl create deployment web --imag=nginx --replicas=3\n")
    assert scored.stdout.splitlines()[:2] == ["not quite:", "  kubectl: Error: unknown flag: --imag"]
    assert scored.stdout.splitlines()[-1] == "suggested: again"


def _card(kind: CardKind, answer: str, **fields: object) -> Card:
    return Card(id="d:c", deck="d", kind=kind, prompt="?", answer=answer, source=SourceLocation("d.yaml", 1),
                fields=dict(fields))


@pytest.mark.parametrize(
    ("config", "seconds", "expected"),
    [
        pytest.param({}, 20.0, Rating.EASY, id="default-30s"),
        pytest.param({}, 40.0, Rating.GOOD, id="default-slow"),
        pytest.param({"easy_seconds": {"command": 10}}, 20.0, Rating.GOOD, id="configured-10s"),
        pytest.param({"easy_seconds": {"command": 60}}, 40.0, Rating.EASY, id="configured-60s"),
    ],
)
def test_the_easy_time_is_configured_per_kind(config: dict[str, object], seconds: float, expected: Rating) -> None:
    card = _card(CardKind.COMMAND, "kubectl get pods -n dev")
    assessment = assess_response(card, "kubectl get po -n dev", seconds, settings_from_mapping(config))
    assert assessment is not None and assessment.suggested is expected


def test_a_card_target_time_still_wins_over_the_kind_time() -> None:
    card = _card(CardKind.COMMAND, "kubectl get pods -n dev", time_seconds=20)
    settings = settings_from_mapping({})
    fast = assess_response(card, "kubectl get po -n dev", 10.0, settings)
    slow = assess_response(card, "kubectl get po -n dev", 15.0, settings)
    assert fast is not None and fast.suggested is Rating.EASY
    assert slow is not None and slow.suggested is Rating.GOOD


RETRY = """\
deck: retry
cards:
  - kind: manifest
    id: ns
    question: A namespace called team-a.
    answer: |
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
"""


def test_a_manifest_right_at_the_second_try_is_hard_in_the_terminal(judged_home: Path, tmp_path: Path) -> None:
    deck = tmp_path / "retry.yaml"
    deck.write_text(RETRY, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    child = spawn(judged_home, "study", "--deck", "retry")
    child.expect("A namespace called team-a")
    child.expect("submits")
    child.send("apiVersion: v1\rkind: Namespace\rmetadata: {name: team-a")
    child.send("\x04")
    child.expect("YAML error at line 3")
    child.expect("submits")
    child.send("}")
    child.send("\x04")
    child.expect("right at try 2")
    child.expect("suggested: hard")
    child.expect("Quit")
    child.send("\r")  # Enter accepts the pre-selected suggestion
    if child.expect(["session summary", "A namespace called team-a"]) == 1:  # shown again at its learning step
        child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert _reviews(judged_home) == [("retry:ns", Rating.HARD.value)]
