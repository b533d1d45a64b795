"""Suspend (`!`), bury (`-`) and flag (`f`) at the Rich grade menu, in a real pseudo-terminal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pexpect

from tests.conftest import run_cli
from tests.test_cli_study_terminal import spawn, terminal_home

__all__ = ["terminal_home"]  # the fixture, used by name


def test_flag_suspend_and_bury_keys(terminal_home: Path) -> None:
    child = spawn(terminal_home, "study")
    child.expect("Which component runs static pods")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("f")
    child.expect("flagged")
    child.expect("Quit")
    child.send("!")
    child.expect("suspended")
    child.expect("Which taint effect")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("-")
    child.expect("buried until")
    child.expect("Enter to reveal")
    child.send("\r")
    child.expect("Quit")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    database = sqlite3.connect(terminal_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    marks = database.execute(
        "SELECT c.id, m.suspended_at IS NOT NULL, m.buried_until IS NOT NULL, m.flagged_at IS NOT NULL"
        " FROM card_marks m JOIN cards c ON c.number = m.card_number ORDER BY c.id"
    ).fetchall()
    database.close()
    assert marks == [("terminal:first", 1, 0, 1), ("terminal:second", 0, 1, 0)]

    again = run_cli("study", "--plain", input_text="q\n", env={"CKAQUIZ_NOW": "2025-03-19T10:00:00+00:00"})
    assert again.returncode == 0, again.stderr
    assert "terminal:first" not in again.stdout and "terminal:second" not in again.stdout
