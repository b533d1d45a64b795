"""Whatever the learner types, the session goes on: odd digits, unbuildable YAML, bytes that are not
UTF-8, huge answers, and a card whose own expected answer cannot be read all get one clear line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ckaquiz.assessment import assess_response, option_number
from ckaquiz.config import Settings
from ckaquiz.model import Card, CardKind, Rating, SourceLocation
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home

DECK = """\
deck: typed
cards:
  - kind: choice
    id: pick
    question: Which admission phase runs first?
    options: [Mutating, Validating, Both at once]
    answer: Mutating
  - kind: manifest
    id: pod
    question: A Pod `web` running nginx.
    answer: |
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: web
          image: nginx
  - kind: command
    id: run
    question: Run a Pod `web` from the image nginx.
    answer: kubectl run web --image=nginx
"""

BROKEN = """\
deck: broken
cards:
  - kind: manifest
    id: loop
    question: A manifest whose expected answer refers to itself.
    answer: |
      spec: &loop [*loop]
"""


@pytest.fixture
def typed_home(isolated_home: Path, tmp_path: Path) -> Path:
    no_builtin_home(isolated_home, "new_per_day = 100\n")
    deck = tmp_path / "typed.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return isolated_home


def study(stdin: bytes, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ckaquiz", "study", "--plain", *arguments],
        input=stdin, capture_output=True, env=dict(os.environ), timeout=120, check=False,
    )


def ratings(home: Path) -> list[tuple[str, int]]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        return connection.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "answer", ["²", "①", "9" * 5000, "٣", "-1", "0"],
    ids=["superscript", "circled", "5000-digits", "arabic-indic", "minus", "zero"],
)
def test_odd_choice_answers_are_judged_wrong_and_the_session_goes_on(typed_home: Path, answer: str) -> None:
    done = study(f"{answer}\n\n".encode(), "--deck", "typed", "--limit", "1")
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"suggested: again" in done.stdout
    assert ratings(typed_home) == [("typed:pick", Rating.AGAIN.value)]


@pytest.mark.parametrize(
    ("manifest", "where"),
    [
        ("apiVersion: v1\nkind: Pod\nspec: !!bool maybe\n", "line 3"),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  created: 2025-02-30\n", "line 4"),
        ("apiVersion: v1\nkind: Pod\nspec: !!int ''\n", "line 3"),
        ("apiVersion: v1\nkind: Pod\nspec: !!float abc\n", "line 3"),
        ("apiVersion: v1\nkind: Pod\nspec: " + "7" * 5000 + "\n", "line 3"),
        ("a: &x [*x]\n", "line 1"),
        ("a: " + "[" * 500 + "]" * 500 + "\n", "line 1"),
    ],
    ids=["bool-maybe", "impossible-date", "empty-int", "float-abc", "huge-int", "recursive-alias", "deep-nesting"],
)
def test_unbuildable_manifests_are_a_yaml_error_with_a_line(typed_home: Path, manifest: str, where: str) -> None:
    # the choice card comes first: answer it, then the manifest card, and accept the suggestion
    stdin = f"1\n3\n{manifest}.\n\n".encode()
    done = study(stdin, "--deck", "typed", "--limit", "2")
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode == 0
    assert f"YAML error at {where}" in done.stdout.decode()
    assert ratings(typed_home) == [("typed:pick", Rating.GOOD.value), ("typed:pod", Rating.AGAIN.value)]


def test_bytes_that_are_not_utf8_on_plain_stdin(typed_home: Path) -> None:
    done = study(b"\xff\xfe\x80\n\n", "--deck", "typed", "--limit", "1")
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert ratings(typed_home) == [("typed:pick", Rating.AGAIN.value)]


def test_a_megabyte_command_is_refused_in_one_line(typed_home: Path) -> None:
    huge = "kubectl run web " + "--image=nginx " * 75_000
    stdin = f"1\n3\n.\n1\n{huge}\n\n".encode()
    done = study(stdin, "--deck", "typed")
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert "characters; at most 4,000 are judged for a command card" in done.stdout.decode()
    assert ratings(typed_home)[-1] == ("typed:run", Rating.AGAIN.value)


def test_a_card_whose_expected_manifest_cannot_be_read_is_refused_at_import_and_the_rest_load(
    isolated_home: Path, tmp_path: Path
) -> None:
    no_builtin_home(isolated_home, "new_per_day = 100\n")
    deck = tmp_path / "broken.yaml"
    deck.write_text(BROKEN + DECK.replace("deck: typed\ncards:\n", ""), encoding="utf-8")
    imported = run_cli("import", str(deck))
    assert imported.returncode == 0
    assert f"{deck}:6: the expected manifest is refused: a YAML alias that contains itself" in imported.stderr
    stdin = b"1\n3\n"
    done = study(stdin)
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert "broken:loop" not in done.stdout.decode()
    assert ratings(isolated_home)[:1] == [("broken:pick", Rating.GOOD.value)]


def test_a_stored_card_whose_expected_manifest_cannot_be_read_is_left_to_the_learner() -> None:
    """A card synced before its answer was checked still never ends a session: nothing is suggested."""
    from dataclasses import replace

    from ckaquiz.assessment import assess_response
    from ckaquiz.config import Settings
    from ckaquiz.decks.loader import parse_deck_text
    from ckaquiz.model import CardKind

    cards = parse_deck_text(DECK, "typed.yaml").cards
    manifest = next(card for card in cards if card.kind is CardKind.MANIFEST)
    broken = replace(manifest, answer="spec: &loop [*loop]\n")
    assessment = assess_response(broken, "spec: []\n", 1.0, Settings())
    assert assessment is not None
    assert assessment.suggested is None
    assert any("cannot judge this card" in line for line in assessment.lines)


@pytest.mark.parametrize(
    ("text", "number"),
    [("2", 2), ("12", 12), ("²", None), ("①", None), ("٣", None), ("9" * 5000, None), ("", None), ("-1", None)],
)
def test_option_numbers(text: str, number: int | None) -> None:
    assert option_number(text) == number


def test_score_of_a_numeric_choice_answer_in_odd_digits_is_wrong() -> None:
    card = Card(
        id="d:c", deck="d", kind=CardKind.CHOICE, prompt="p", answer="a",
        source=SourceLocation("d.yaml", 1), fields={"options": ["a", "b"], "answers": ["a"]},
    )
    for answer in ("²", "①", "9" * 5000):
        assessment = assess_response(card, answer, 0.0, Settings())
        assert assessment is not None and assessment.suggested is Rating.AGAIN
