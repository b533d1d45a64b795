"""`e` opens a card's note in the editor at its line, `o` prints its Obsidian link: both front ends."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pexpect

from ckaquiz.source_note import NoteFile, editor_arguments, obsidian_link
from tests.conftest import run_cli

MORNING = "2025-03-19T09:00:00+00:00"
DECK = """\
deck: week
cards:
  - {front: "What runs static pods?", back: the kubelet, id: kubelet}
  - kind: recall
    id: webhooks
    topic: Admission webhooks
    notes: |
      - deploy a server
      - expose it with a Service
"""


def recording_editor(folder: Path, name: str) -> tuple[Path, Path]:
    """An editor named `name`: a real script writing its arguments, one a line, to a file."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.argv"
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, record


def home_with_deck(home: Path, tmp_path: Path, settings: str = "") -> Path:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("builtin_decks = false\n" + settings, encoding="utf-8")
    deck = tmp_path / "notes" / "week.yaml"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return deck


def source_lines() -> dict[str, int]:
    listed = run_cli("cards", "--json")
    return {card["id"]: card["source"]["line"] for card in json.loads(listed.stdout)}


def test_editor_arguments_by_editor() -> None:
    note = NoteFile(Path("/notes/pods.md"), 12)
    assert editor_arguments(["nvim"], note) == ["nvim", "+12", "/notes/pods.md"]
    assert editor_arguments(["/usr/bin/emacsclient", "-t"], note) == ["/usr/bin/emacsclient", "-t", "+12", "/notes/pods.md"]
    assert editor_arguments(["code", "--wait"], note) == ["code", "--wait", "--goto", "/notes/pods.md:12"]
    assert editor_arguments(["subl"], note) == ["subl", "/notes/pods.md:12"]
    assert editor_arguments(["ed"], note) == ["ed", "/notes/pods.md"]


def test_obsidian_link_names_the_vault_and_the_note_in_it(tmp_path: Path) -> None:
    vault = tmp_path / "My Vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "CKA 노트").mkdir()
    note = vault / "CKA 노트" / "static pods & more.md"
    note.write_text("x", encoding="utf-8")
    assert obsidian_link(note) == (
        "obsidian://open?vault=My%20Vault&file=CKA%20%EB%85%B8%ED%8A%B8%2Fstatic%20pods%20%26%20more"
    )
    assert obsidian_link(tmp_path / "elsewhere.md") is None


def test_plain_e_opens_the_editor_at_the_line_and_keeps_the_answer(isolated_home: Path, tmp_path: Path) -> None:
    deck = home_with_deck(isolated_home, tmp_path)
    editor, record = recording_editor(tmp_path / "bin", "vim")
    lines_of = source_lines()
    answers = "kubelet\ne\n3\ndeploy a server\n.\ne\no\n3\n"
    result = run_cli("study", "--plain", input_text=answers, env={"CKAQUIZ_NOW": MORNING, "EDITOR": str(editor)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    edited = f"edited {deck}:{lines_of['week:webhooks']}"
    assert edited in lines
    assert lines[lines.index(edited) + 1].startswith("grade: ")  # the same card's grade line again
    assert f"not from an Obsidian vault: {deck}" in lines
    assert record.read_text(encoding="utf-8").splitlines() == [f"+{lines_of['week:webhooks']}", str(deck)]
    assert lines[-1] == "reviewed 2 cards: again 0, hard 0, good 2, easy 0"
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT response FROM attempts ORDER BY id").fetchall() == [
        ("kubelet",), ("deploy a server",)
    ]
    database.close()


def test_the_editor_setting_overrides_editor_and_code_gets_goto(isolated_home: Path, tmp_path: Path) -> None:
    editor, record = recording_editor(tmp_path / "bin", "code")
    deck = home_with_deck(isolated_home, tmp_path, f'editor_command = "{editor} --wait"\n')
    result = run_cli("study", "--plain", input_text="x\ne\nq\n", env={"CKAQUIZ_NOW": MORNING, "EDITOR": "false"})
    assert result.returncode == 0, result.stderr
    line = source_lines()["week:kubelet"]
    assert f"edited {deck}:{line}" in result.stdout.splitlines()
    assert record.read_text(encoding="utf-8").splitlines() == ["--wait", "--goto", f"{deck}:{line}"]


def test_an_editor_that_cannot_run_is_one_line(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    missing = str(tmp_path / "no-such-editor")
    result = run_cli("study", "--plain", input_text="x\ne\n3\n", env={"CKAQUIZ_NOW": MORNING, "EDITOR": missing})
    assert result.returncode == 0, result.stderr
    assert f"cannot run the editor {missing!r}: No such file or directory" in result.stdout.splitlines()
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"


def test_plain_o_prints_the_obsidian_link_of_a_vault_note(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    vault = tmp_path / "study vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "cka").mkdir()
    (vault / "cka" / "static pods.md").write_text("# Pods\n\nWho runs static pods?::the kubelet\n", encoding="utf-8")
    assert run_cli("import", str(vault)).returncode == 0
    result = run_cli("study", "--plain", input_text="x\no\nq\n", env={"CKAQUIZ_NOW": MORNING})
    assert result.returncode == 0, result.stderr
    assert "obsidian://open?vault=study%20vault&file=cka%2Fstatic%20pods" in result.stdout.splitlines()


def test_builtin_cards_have_no_note_to_open(isolated_home: Path, tmp_path: Path) -> None:
    editor, record = recording_editor(tmp_path / "bin", "vim")
    result = run_cli(
        "study", "--plain", "--deck", "cka-static-pods", input_text="x\n.\ne\no\nq\n",
        env={"CKAQUIZ_NOW": MORNING, "EDITOR": str(editor)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.count("a card of a built-in deck: there is no note of yours to open") == 2
    assert not record.exists()


def test_terminal_e_runs_the_editor_and_comes_back_to_the_card(isolated_home: Path, tmp_path: Path) -> None:
    deck = home_with_deck(isolated_home, tmp_path)
    editor, record = recording_editor(tmp_path / "bin", "nvim")
    environment = dict(os.environ, CKAQUIZ_HOME=str(isolated_home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                       CKAQUIZ_NOW=MORNING, COLUMNS="120", LINES="40", EDITOR=str(editor))
    child = pexpect.spawn(sys.executable, ["-m", "ckaquiz", "study"], env=environment, encoding="utf-8",
                          dimensions=(40, 120), timeout=20)
    child.expect("What runs static pods")
    child.expect("Enter to reveal")
    child.send("kubelet\r")
    child.expect("Quit")
    child.send("e")
    child.expect("edited ")
    child.expect("Quit")  # the grade menu again, for the same card
    child.send("o")
    child.expect("not from an Obsidian vault")
    child.expect("Quit")
    child.send("3")
    child.expect("Admission webhooks")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    line = source_lines()["week:kubelet"]
    assert record.read_text(encoding="utf-8").splitlines() == [f"+{line}", str(deck)]
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT card_id, rating FROM reviews").fetchall() == [("week:kubelet", 3)]
    assert database.execute("SELECT response FROM attempts").fetchall() == [("kubelet",)]
    database.close()
