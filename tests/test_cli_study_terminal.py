"""`ckaquiz study` in a real pseudo-terminal: keys in, Rich panels out, reviews in SQLite."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import run_cli

DECK = """\
deck: terminal
cards:
  - {front: "Which component runs static pods?", back: the kubelet, id: first}
  - {front: "Which taint effect evicts running pods?", back: NoExecute, id: second}
  - {front: "스태틱 파드를 만드는 것은?", back: kubelet, id: third}
  - kind: recall
    id: fourth
    topic: Static pods
    notes: |
      - created by the kubelet
      - manifests in staticPodPath
"""


def spawn(home: Path, *arguments: str, **variables: str) -> pexpect.spawn:
    environment = dict(os.environ, CKAQUIZ_HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                       CKAQUIZ_NOW="2025-03-19T09:00:00+00:00", COLUMNS="120", LINES="40", **variables)
    child = pexpect.spawn(sys.executable, ["-m", "ckaquiz", *arguments], env=environment, encoding="utf-8",
                          dimensions=(40, 120), timeout=20)
    return child


def reveal_and_grade(child: pexpect.spawn, key: str) -> None:
    """At a basic card: reveal its answer with Enter, then press `key` at the grade menu."""
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Easy")
    child.expect("Quit")
    child.send(key)


@pytest.fixture
def terminal_home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "terminal.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return isolated_home


def test_three_cards_graded_with_keys_then_quit(terminal_home: Path) -> None:
    child = spawn(terminal_home, "study")
    for prompt, key in [("Which component runs static pods", "3"), ("Which taint effect", "1"), ("스태틱 파드를", "4")]:
        child.expect(prompt)
        reveal_and_grade(child, key)
    child.expect("Static pods")
    child.expect("submits")
    child.send("kubelet 이 만든다")
    child.send("\x04")  # Ctrl-D submits the blank page
    child.expect("your recall against the notes")  # the notes' points, marked: the one verdict list
    child.expect("coverage")
    child.expect("grade")
    child.send("q")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    database = sqlite3.connect(terminal_home / "ckaquiz.db")
    rows = database.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
    assert rows == [("terminal:first", 3), ("terminal:second", 1), ("terminal:third", 4)]


def test_a_grade_picked_by_its_key_stays_on_the_prompt_line(terminal_home: Path) -> None:
    """As with Enter, the grade chosen with 1-4 is left on the screen, so the scrollback tells what was given."""
    child = spawn(terminal_home, "study")
    child.expect("Which component runs static pods")
    reveal_and_grade(child, "3")
    child.expect("Which taint effect")
    after_key = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert "Good" in after_key
    assert "Again" not in after_key  # the menu was not drawn again: only the answer was written
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()


def test_ctrl_c_inside_the_external_editor_is_the_editors(terminal_home: Path, tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal; one pressed in `$EDITOR` (vim users press it to
    leave insert mode) neither kills the editor nor ends the session."""
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nkill -INT "$PPID"\nsleep 0.3\nprintf "created by the kubelet\\n" > "$1"\n', encoding="utf-8"
    )
    editor.chmod(0o755)
    child = spawn(terminal_home, "study", "--editor", EDITOR=str(editor))
    while (seen := child.expect(["Enter to reveal", "coverage", "session summary"])) != 2:
        if seen == 0:
            child.send("\r")
        child.expect("Quit")  # for the recall card: its answer came back from the editor and was scored
        child.send("3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    database = sqlite3.connect(terminal_home / "ckaquiz.db")
    graded = database.execute("SELECT DISTINCT card_id FROM reviews ORDER BY card_id").fetchall()
    assert graded == [("terminal:first",), ("terminal:fourth",), ("terminal:second",), ("terminal:third",)]
    response = database.execute("SELECT response FROM attempts WHERE card_id = 'terminal:fourth'").fetchone()
    assert response == ("created by the kubelet\n",)


def test_undo_with_u_takes_back_the_last_grade(terminal_home: Path) -> None:
    child = spawn(terminal_home, "study")
    reveal_and_grade(child, "2")
    child.expect("Which taint effect")
    reveal_and_grade(child, "u")
    child.expect("undone")
    child.expect("Which component runs static pods")
    reveal_and_grade(child, "4")
    child.expect("Which taint effect")
    child.sendcontrol("c")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    database = sqlite3.connect(terminal_home / "ckaquiz.db")
    rows = database.execute("SELECT card_id, rating, undone_at IS NOT NULL FROM reviews ORDER BY id").fetchall()
    assert rows == [("terminal:first", 2, 1), ("terminal:first", 4, 0)]


QUIZ = """\
deck: quiz
cards:
  - kind: manifest
    id: ns
    question: A namespace called team-a.
    answer: |
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
  - kind: choice
    id: phase
    question: Which admission phase runs first?
    options: [Mutating, Validating]
    answer: Mutating
"""


def test_manifest_yaml_error_can_be_fixed_and_choice_picked_by_key(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "quiz.yaml"
    deck.write_text(QUIZ, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    child = spawn(isolated_home, "study")
    child.expect("A namespace called team-a")
    child.expect("submits")
    child.send("kind: Namespace\rmetadata: {name: team-a")
    child.send("\x04")
    child.expect("YAML error at line 2")
    child.expect("submits")
    child.send("}")
    child.send("\x04")
    child.expect("missing apiVersion")
    child.expect("grade")
    child.send("\r")  # Enter accepts the pre-selected suggestion
    child.expect("Which admission phase runs first")
    child.expect("pick one")
    child.send("\r")
    child.expect("suggested")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    response, final = database.execute("SELECT response, final FROM attempts WHERE card_id = 'quiz:ns'").fetchone()
    assert response == "kind: Namespace\nmetadata: {name: team-a}"
    assert final in (1, 2)


def test_enter_at_a_self_graded_card_grades_it_good(terminal_home: Path) -> None:
    child = spawn(terminal_home, "study")
    child.expect("Which component runs static pods")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("\r")  # Enter out of habit: the pre-selected grade
    child.expect("Which taint effect")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    rows = sqlite3.connect(terminal_home / "ckaquiz.db").execute("SELECT card_id, rating FROM reviews").fetchall()
    assert rows == [("terminal:first", 3)]


MANIFEST_DECK = """\
deck: typing
cards:
  - kind: manifest
    id: cm
    question: ConfigMap app with key mode set to fast
    answer: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app
      data:
        mode: fast
"""


def test_the_editor_keeps_indentation_as_typed(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "typing.yaml"
    deck.write_text(MANIFEST_DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    child = spawn(isolated_home, "study")
    child.expect("write the manifest")
    typed = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast"
    for line in typed.split("\n"):
        child.send(line)
        child.send("\r")  # Enter, line by line: no indentation is copied from the line above
    child.send("\x04")
    child.expect("Quit")
    child.send("3")
    child.expect("write the manifest")  # back from its learning step; the grade is stored
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    (response,) = sqlite3.connect(isolated_home / "ckaquiz.db").execute("SELECT response FROM attempts").fetchone()
    assert response.strip() == typed


@pytest.mark.parametrize("columns", [120, 50])
def test_a_recall_verdict_lists_each_point_once(terminal_home: Path, columns: int) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ckaquiz", "study"],
        env=dict(os.environ, CKAQUIZ_HOME=str(terminal_home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                 CKAQUIZ_NOW="2025-03-19T09:00:00+00:00", COLUMNS=str(columns), LINES="60"),
        encoding="utf-8", dimensions=(60, columns), timeout=20,
    )
    for key in ("3", "3", "3"):
        reveal_and_grade(child, key)
    child.expect("submits")
    child.send("스태틱 파드는 kubelet이 만든다")
    child.send("\x04")
    child.expect("coverage")
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    child.expect("Quit")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    flat = re.sub(r"[\s│╭╮╰╯─]", "", screen)
    assert flat.count("manifestsinstaticPodPath") == 1
    assert flat.count("createdbythekubelet") == 1
    assert "스태틱파드는kubelet이만든다" in flat  # the typed text, every character
