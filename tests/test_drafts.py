"""What the learner typed is kept as the card's draft until it is graded: through an undo, a skip,
Ctrl-C, SIGTERM and SIGKILL, in the terminal and in the plain protocol, and offered back the next
time the card shows."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pexpect
import pytest

from ckaquiz.collection import Collection
from ckaquiz.model import Rating
from ckaquiz.session import Session
from tests.conftest import run_cli
from tests.test_cli_study_terminal import spawn

DECK = """\
deck: drafts
cards:
  - kind: recall
    id: static
    topic: Static pods
    notes: |
      - created by the kubelet
      - manifests in staticPodPath
  - kind: command
    id: tls
    question: Create a TLS secret web-tls from tls.crt and tls.key.
    answer: kubectl create secret tls web-tls --cert=tls.crt --key=tls.key
"""
TYPED = "kubelet 이 만든다"


@pytest.fixture
def drafts_home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True)
    # both cards in one session: the command card is written after the recall card, in its section
    (isolated_home / "config.toml").write_text(
        "builtin_decks = false\nbury_siblings_across_kinds = false\n", encoding="utf-8"
    )
    deck = tmp_path / "drafts.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return isolated_home


def stored_drafts(home: Path) -> dict[str, str]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        rows = connection.execute(
            "SELECT c.id, d.response FROM drafts d JOIN cards c ON c.number = d.card_number ORDER BY c.id"
        )
        return dict(rows.fetchall())
    finally:
        connection.close()


def wait_for_draft(home: Path, card_id: str, text: str) -> None:
    """Poll the database (as another process would read it) until the draft holds `text`."""
    for _ in range(200):
        if stored_drafts(home).get(card_id) == text:
            return
        time.sleep(0.05)
    raise AssertionError(f"the draft of {card_id} never became {text!r}: {stored_drafts(home)}")


def attempt_responses(home: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        return connection.execute("SELECT card_id, response FROM attempts ORDER BY id").fetchall()
    finally:
        connection.close()


def submit_and_grade(child: pexpect.spawn, key: str = "3") -> None:
    child.send("\x04")  # Ctrl-D submits the editor
    child.expect("Quit")
    child.send(key)


def expect_command_prompt(child: pexpect.spawn) -> None:
    child.expect("Create a TLS secret")
    child.expect(r"\$")  # the command card's prompt (drawn with cursor moves after it)


def expect_editor(child: pexpect.spawn) -> None:
    """Wait for the built-in editor to read the keys: its hint is printed before it starts, and it
    turns bracketed paste on once the terminal is in raw mode (a Ctrl-C before that is a SIGINT
    that ends the session and drops the typed line the editor never read)."""
    child.expect("submits")
    child.expect_exact("\x1b[?2004h")


def expect_prefilled_editor(child: pexpect.spawn, text: str) -> None:
    child.expect("your draft from last time is back")
    child.expect("submits")
    child.expect(text)  # the editor opens holding the draft


# the terminal ---------------------------------------------------------------------------------


def test_undo_at_the_first_grade_prompt_brings_the_card_back_with_its_text(drafts_home: Path) -> None:
    child = spawn(drafts_home, "study")
    child.expect("Static pods")
    child.expect("submits")
    child.send(TYPED)
    child.send("\x04")
    child.expect("Quit")
    child.send("u")
    child.expect("the card again, with your answer")
    expect_prefilled_editor(child, TYPED)
    child.send(" 스태틱")
    submit_and_grade(child)
    expect_command_prompt(child)
    child.sendcontrol("c")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert attempt_responses(drafts_home) == [("drafts:static", TYPED + " 스태틱")]
    assert stored_drafts(drafts_home) == {}  # graded: the draft is gone


def test_ctrl_c_while_typing_keeps_the_draft_for_next_time(drafts_home: Path) -> None:
    child = spawn(drafts_home, "study")
    expect_editor(child)
    child.send(TYPED)
    child.sendcontrol("c")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert stored_drafts(drafts_home) == {"drafts:static": TYPED}
    again = spawn(drafts_home, "study")
    expect_prefilled_editor(again, TYPED)
    submit_and_grade(again)
    expect_command_prompt(again)
    again.sendcontrol("c")
    again.expect(pexpect.EOF)
    again.close()
    assert attempt_responses(drafts_home) == [("drafts:static", TYPED)]
    assert stored_drafts(drafts_home) == {}


def test_sigkill_while_typing_loses_only_the_last_second(drafts_home: Path) -> None:
    child = spawn(drafts_home, "study")
    child.expect("submits")
    child.send("created by the kubelet")
    wait_for_draft(drafts_home, "drafts:static", "created by the kubelet")  # saved while typing
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    again = spawn(drafts_home, "study")
    expect_prefilled_editor(again, "created by the kubelet")
    submit_and_grade(again)
    expect_command_prompt(again)
    again.sendcontrol("c")
    again.expect(pexpect.EOF)
    again.close()
    assert attempt_responses(drafts_home) == [("drafts:static", "created by the kubelet")]


def test_sigterm_while_typing_ends_the_session_and_keeps_the_text(drafts_home: Path) -> None:
    child = spawn(drafts_home, "study")
    expect_editor(child)
    child.send(TYPED)
    child.expect(TYPED)  # echoed: the editor holds it
    child.kill(signal.SIGTERM)
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert stored_drafts(drafts_home) == {"drafts:static": TYPED}


def test_a_skipped_command_keeps_its_text(drafts_home: Path) -> None:
    child = spawn(drafts_home, "study")
    child.expect("submits")
    child.send("x")
    submit_and_grade(child, "s")  # skip the recall card
    expect_command_prompt(child)
    child.send("kubectl create secret tls web-tls\r")
    child.expect("Quit")
    child.send("s")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert stored_drafts(drafts_home) == {"drafts:static": "x", "drafts:tls": "kubectl create secret tls web-tls"}


def test_the_external_editor_opens_on_the_draft_and_saves_while_it_runs(drafts_home: Path, tmp_path: Path) -> None:
    writer = tmp_path / "writer.sh"
    writer.write_text('#!/bin/sh\nprintf "created by the kubelet" > "$1"\nexec sleep 30\n', encoding="utf-8")
    writer.chmod(0o755)
    child = spawn(drafts_home, "study", "--editor", EDITOR=str(writer))
    wait_for_draft(drafts_home, "drafts:static", "created by the kubelet")  # saved while the editor runs
    child.kill(signal.SIGKILL)
    child.close()
    seen = tmp_path / "seen.txt"
    reader = tmp_path / "reader.sh"
    reader.write_text(f'#!/bin/sh\ncat "$1" > "{seen}"\n', encoding="utf-8")
    reader.chmod(0o755)
    again = spawn(drafts_home, "study", "--editor", EDITOR=str(reader))
    again.expect("Quit")
    again.send("3")
    expect_command_prompt(again)
    again.sendcontrol("c")
    again.expect(pexpect.EOF)
    again.close()
    assert seen.read_text(encoding="utf-8") == "created by the kubelet"
    assert attempt_responses(drafts_home) == [("drafts:static", "created by the kubelet")]


# the plain protocol -----------------------------------------------------------------------------


def plain(home: Path) -> pexpect.spawn:
    environment = dict(os.environ, CKAQUIZ_HOME=str(home))
    return pexpect.spawn(
        sys.executable, ["-m", "ckaquiz", "study", "--plain"], env=environment, encoding="utf-8", timeout=20
    )


def test_plain_lines_are_saved_as_typed_and_a_dot_keeps_the_draft(drafts_home: Path) -> None:
    child = plain(drafts_home)
    child.expect("--- card 1/2 drafts:static")
    child.sendline("created by the kubelet")
    child.sendline("manifests in staticPodPath")
    wait_for_draft(drafts_home, "drafts:static", "created by the kubelet\nmanifests in staticPodPath")
    child.kill(signal.SIGKILL)
    child.close()
    again = plain(drafts_home)
    again.expect("--- card 1/2 drafts:static")
    again.expect(r"draft \(a line holding only \. keeps it\):\r\n  created by the kubelet\r\n  manifests in staticPodPath")
    again.sendline(".")
    again.expect("coverage: 1.00")
    again.expect("grade: ")
    again.sendline("u")  # nothing graded yet: the card again, its answer the draft
    again.expect("nothing to undo; the card again, with your answer")
    again.expect("--- card 1/2 drafts:static")
    again.expect("  manifests in staticPodPath")
    again.sendline(".")
    again.expect("grade: ")
    again.sendline("")  # the suggestion
    again.expect("--- card 2/2 drafts:tls")
    again.sendline("kubectl create secret tls web-tls")
    again.expect("grade: ")
    again.sendline("q")
    again.expect(pexpect.EOF)
    again.close()
    assert attempt_responses(drafts_home) == [
        ("drafts:static", "created by the kubelet\nmanifests in staticPodPath")
    ]
    assert stored_drafts(drafts_home) == {"drafts:tls": "kubectl create secret tls web-tls"}


# the engine ----------------------------------------------------------------------------------------


def test_a_draft_lives_until_the_grade_and_is_written_only_when_it_changes(
    collection: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "drafts.yaml"
    deck.write_text(DECK, encoding="utf-8")
    collection.import_path(deck)
    session = Session(collection)
    item = session.next_card()
    assert item is not None and session.draft() == ""
    session.save_draft("first words")
    session.skip()
    session.finish()
    later = Session(collection)
    assert later.next_card() is not None
    assert later.draft() == "first words"
    later.save_draft("")  # emptied by the learner: nothing to keep
    assert stored_drafts(collection.home) == {}
    later.save_draft("second words")
    later.answer(Rating.GOOD, response="second words")
    assert stored_drafts(collection.home) == {}
    undone = later.undo()
    assert undone is not None
    assert later.next_card() is not None and later.draft() == ""  # the grade took it: nothing was lost
