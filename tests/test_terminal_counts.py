"""New, learning and review cards still to come, shown above each card of the Rich session."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect

from ckaquiz.session import QueueCounts
from ckaquiz.ui import render
from tests.conftest import run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DECK = """\
deck: counts
cards:
  - {front: "First question", back: one, id: first}
  - {front: "Second question", back: two, id: second}
  - {front: "Third question", back: three, id: third}
"""


def test_queue_counts_read_without_colour() -> None:
    assert render.queue_counts(QueueCounts(new=12, learning=3, review=40)).plain == "new 12 · learning 3 · review 40"


def test_counts_above_each_card_follow_the_grades(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = false\n", encoding="utf-8")
    deck = tmp_path / "counts.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    environment = dict(os.environ, CKAQUIZ_HOME=str(isolated_home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                       CKAQUIZ_NOW="2025-03-19T09:00:00+00:00", COLUMNS="120", LINES="40")
    child = pexpect.spawn(sys.executable, ["-m", "ckaquiz", "study"], env=environment, encoding="utf-8",
                          dimensions=(40, 120), timeout=20)
    seen: list[str] = []
    for prompt, key in [("First question", "3"), ("Second question", "4"), ("Third question", "q")]:
        child.expect(prompt)
        seen.append(ANSI.sub("", child.before or ""))
        child.expect("Enter to reveal")
        child.send("\r")
        child.expect("Quit")
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    counts = [re.findall(r"new \d+ · learning \d+ · review \d+", text)[-1] for text in seen]
    # Good leaves the first card learning (back in 10 minutes); Easy makes the second a review card
    assert counts == [
        "new 3 · learning 0 · review 0",
        "new 2 · learning 1 · review 0",
        "new 1 · learning 1 · review 0",
    ]
