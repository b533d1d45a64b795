"""The end of a session: what was done, what is still due now and soon, and when the next card is due."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

import pexpect

from tests.conftest import run_cli


def spawn(home: Path, now: str) -> pexpect.spawn:
    environment = dict(os.environ, CKAQUIZ_HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                       CKAQUIZ_NOW=now, COLUMNS="120", LINES="40", TZ="UTC")
    return pexpect.spawn(sys.executable, ["-m", "ckaquiz", "study"], env=environment, encoding="utf-8",
                         dimensions=(40, 120), timeout=20)

DECK = """\
deck: week
cards:
  - {front: "What runs static pods?", back: the kubelet, id: kubelet}
  - {front: "Taint effect that evicts?", back: NoExecute, id: noexecute}
"""
MORNING = "2025-03-19T09:00:00+00:00"
UTC = {"TZ": "UTC"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def home_with_deck(home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "week.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0


def study(now: str, answers: str) -> tuple[list[str], list[str]]:
    """The plain session's output, and its summary: the lines before the last (or standard error's)."""
    result = run_cli("study", "--plain", input_text=answers, env={"CKAQUIZ_NOW": now, **UTC})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    stdout = result.stdout.splitlines()
    if result.stderr:
        return stdout, result.stderr.splitlines()
    start = next(index for index, line in enumerate(stdout) if line.startswith("learned: "))
    return stdout, stdout[start:-1]


def test_learning_cards_due_in_minutes_are_due_soon(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    stdout, notes = study(MORNING, "x\n3\nx\n3\nq\n")
    assert stdout[-1] == "reviewed 2 cards: again 0, hard 0, good 2, easy 0"  # the protocol's last line, as it was
    assert notes[0].startswith("learned: 2 new cards in ")
    assert notes[1:] == [
        "due now: none",
        "due soon: 2 learning cards back today",
        "next card: 2025-03-19 09:10 (in 10m)",
    ]


def test_cards_due_now_make_the_next_card_now(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    study(MORNING, "x\n4\nx\n4\n")  # both Easy: reviews due in 8 days
    stdout, notes = study("2025-03-27T09:00:00+00:00", "x\n3\nq\n")
    assert stdout[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"
    assert notes[0].startswith("learned: 0 new cards in ")
    assert notes[1:] == ["due now: 1 card (1 to review)", "due soon: none", "next card: now"]

    stdout, notes = study(MORNING.replace("09:00", "09:05").replace("19", "27"), "q\n")
    assert notes[1:] == ["due now: 1 card (1 to review)", "due soon: none", "next card: now"]


def test_a_session_with_nothing_due_says_when_the_next_card_is(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    study(MORNING, "x\n4\nx\n4\n")
    stdout, notes = study("2025-03-20T09:00:00+00:00", "")
    assert stdout == ["reviewed 0 cards: again 0, hard 0, good 0, easy 0"]
    assert notes == ["nothing is due now; next card at 2025-03-27 09:00 (in 7d)"]


def test_new_cards_over_the_daily_limit_come_with_the_next_study_day(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    (isolated_home / "config.toml").write_text(
        "enable_fuzzing = false\nbuiltin_decks = false\nnew_per_day = 1\n", encoding="utf-8"
    )
    study(MORNING, "x\n4\n")
    _, notes = study(MORNING.replace("09:00", "12:00"), "")
    assert notes == ["nothing is due now; next card at 2025-03-20 04:00 (in 16h)"]  # the study day starts at 04:00


def test_no_cards_at_all_points_to_import(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    stdout, notes = study(MORNING, "")
    assert stdout == ["reviewed 0 cards: again 0, hard 0, good 0, easy 0"]
    assert notes == ["no cards yet; import notes with ckaquiz import"]


def test_the_terminal_summary_and_the_empty_start(isolated_home: Path, tmp_path: Path) -> None:
    home_with_deck(isolated_home, tmp_path)
    child = spawn(isolated_home, MORNING)
    child.expect("What runs static pods")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("3")
    child.expect("Taint effect")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("q")
    child.expect("session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = ANSI.sub("", child.before or "")
    assert re.search(r"due now\s+1 card \(1 new\)", shown), shown
    assert re.search(r"due soon\s+1 learning card back today", shown), shown
    assert re.search(r"next card\s+now", shown), shown

    run_cli("study", "--plain", input_text="x\n4\nx\n4\n", env={"CKAQUIZ_NOW": "2025-03-19T09:20:00+00:00"})
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM cards WHERE state = 'review'").fetchone()[0] == 2  # both in review now
    database.close()
    empty = spawn(isolated_home, "2025-03-20T09:00:00+00:00")
    empty.expect(r"nothing is due now; next card at 2025-03-2\d 09:\d\d \(in \d+d\)")
    empty.expect(pexpect.EOF)
    empty.close()
    assert empty.exitstatus == 0
    assert "session summary" not in (empty.before or "")


SECTION_DECK = """\
deck: section
cards:
  - kind: recall
    id: static
    topic: Static pods
    notes: |
      - created by the kubelet
      - manifests in staticPodPath
  - {front: "Where are static pod manifests?", back: staticPodPath, id: path}
"""


def test_cards_held_back_by_their_recall_card_are_not_due_now(isolated_home: Path, tmp_path: Path) -> None:
    """A recall card's section waits for another study day once the recall card was shown: the
    summary does not call the waiting card due now, and names the next study day when only it is left."""
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "section.yaml"
    deck.write_text(SECTION_DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    stdout, notes = study(MORNING, "x\n.\n3\n")
    assert stdout[0] == "--- card 1/1 section:static"
    assert stdout[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"
    assert notes[1:] == ["due now: none", "due soon: 1 learning card back today", "next card: 2025-03-19 09:10 (in 10m)"]
    stdout, notes = study(MORNING.replace("09:00", "09:10"), "x\n.\n3\n")
    assert stdout[0] == "--- card 1/1 section:static"
    assert notes[1:] == ["due now: none", "due soon: none", "next card: 2025-03-20 04:00 (in 19h)"]
    stdout, notes = study(MORNING.replace("09:00", "09:20"), "")
    assert stdout == ["reviewed 0 cards: again 0, hard 0, good 0, easy 0"]
    assert notes == ["nothing is due now; next card at 2025-03-20 04:00 (in 19h)"]
    stdout, _ = study("2025-03-20T04:00:00+00:00", "x\n3\n")
    assert stdout[0] == "--- card 1/1 section:path"
