"""Two plain sessions on one data folder over 40 cards, driven in step as real processes: no card is
shown by one while the other shows it, and no showing of a card is answered twice."""

from __future__ import annotations

import os
import queue
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home, yaml_deck

CARDS = 40
NOW = "2025-03-19T09:00:00+00:00"


class PlainSession:
    """A `study --plain` process whose output is read line by line as it comes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ckaquiz", "study", "--plain"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ, CKAQUIZ_NOW=NOW),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.shown: str | None = None
        """The card on screen, not graded yet."""
        self.showings: list[str] = []
        self.done = False
        self.errors = ""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _line(self) -> str | None:
        return self.lines.get(timeout=60)

    def next_card(self) -> str | None:
        """Wait for the next card's header (its id) or the end of the session (None)."""
        while (line := self._line()) is not None:
            if line.startswith("--- card "):
                self.shown = line.split()[-1]
                self.showings.append(self.shown)
                return self.shown
            if line.startswith("reviewed "):
                break
        self.shown = None
        self.done = True
        return None

    def grade(self) -> None:
        """Answer the card shown, wait for its grade line, grade it Good."""
        self._send("x")
        while (line := self._line()) is not None and not line.startswith("grade: "):
            pass
        self._send("3")
        self.shown = None

    def _send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def close(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None and self.process.stderr is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=60)
        self.errors = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        return code


def test_two_sessions_in_step_never_show_or_answer_a_card_twice(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home, "new_per_day = 1000\n")
    deck = tmp_path / "a.yaml"
    deck.write_text(yaml_deck("a", CARDS), encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0

    sessions = [PlainSession(), PlainSession()]
    try:
        for session in sessions:
            session.next_card()
        while not all(session.done for session in sessions):
            for index, session in enumerate(sessions):
                if session.done:
                    continue
                other = sessions[1 - index]
                assert session.shown is not None
                assert session.shown != other.shown, f"{session.shown} shown by both sessions at once"
                session.grade()
                shown = session.next_card()
                assert shown is None or shown != other.shown, f"{shown} shown while the other session shows it"
    finally:
        codes = [session.close() for session in sessions]
    assert codes == [0, 0], [session.errors for session in sessions]
    assert not any("Traceback" in session.errors or "locked" in session.errors for session in sessions)
    assert all(len(session.showings) >= CARDS // 2 for session in sessions), [s.showings for s in sessions]  # in step

    connection = sqlite3.connect(isolated_home / "ckaquiz.db")
    reviews = connection.execute("SELECT card_id, session_id, state_before FROM reviews WHERE undone_at IS NULL").fetchall()
    attempts = connection.execute("SELECT review_id FROM attempts").fetchall()
    connection.close()
    # each card: answered new once, then learning once (its 10 minute step, within the session), by one session
    assert Counter((card, state) for card, _, state in reviews) == Counter(
        {(f"a:c{number}", state): 1 for number in range(CARDS) for state in ("new", "learning")}
    )
    assert all(len({session for card, session, _ in reviews if card == wanted}) == 1 for wanted, _, _ in reviews)
    assert len(attempts) == len(reviews) == 2 * CARDS and len(set(attempts)) == len(attempts)
    assert sum(len(session.showings) for session in sessions) == 2 * CARDS
