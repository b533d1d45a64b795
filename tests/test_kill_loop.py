"""SIGKILL at random moments (seeded) during sessions and imports: the database stays intact and
every grade the program acknowledged (by showing the next card) is in the review log."""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import run_cli
from tests.safety_helpers import integrity, logged_reviews, no_builtin_home, yaml_deck

SEED = 20250319
ROUNDS = 36
DECK_FILES = 6
CARDS_PER_FILE = 30
GUARD_SECONDS = 30.0  # only a guard against a hung child, never a timing assertion
START = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)


@dataclass
class Child:
    """A ckaquiz process whose stdout lines are read by a thread, so reads can give up."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, arguments: list[str], env: dict[str, str], stderr_path: Path) -> Child:
        with stderr_path.open("a", encoding="utf-8") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "ckaquiz", *arguments],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
            )
        child = cls(process)
        threading.Thread(target=child._pump, daemon=True).start()
        return child

    def _pump(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def read_until_card_or_end(self) -> str | None:
        """The next `--- card` line, or None once the session has ended."""
        deadline = time.monotonic() + GUARD_SECONDS
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                return None
            self.seen.append(line)
            if line.startswith("--- card"):
                return line

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(text)
            self.process.stdin.flush()
        except BrokenPipeError:
            pass

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=GUARD_SECONDS)
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()

    def drain(self) -> list[str]:
        """Every line written before the process died."""
        while True:
            line = self.lines.get(timeout=GUARD_SECONDS)
            if line is None:
                return self.seen
            self.seen.append(line)


def write_decks(folder: Path, rng: random.Random, versions: list[int]) -> None:
    """Change a few deck files (new answers, one more card): an import has real work to do."""
    for index in rng.sample(range(DECK_FILES), k=rng.randint(1, DECK_FILES)):
        versions[index] += 1
        count = CARDS_PER_FILE + versions[index] % 5
        (folder / f"k{index}.yaml").write_text(yaml_deck(f"k{index}", count, version=versions[index]), "utf-8")


def expected_ids(versions: list[int]) -> set[str]:
    return {
        f"k{index}:c{number}"
        for index in range(DECK_FILES)
        for number in range(CARDS_PER_FILE + versions[index] % 5)
    }


def active_ids(database: Path) -> set[str]:
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM cards WHERE active = 1")}
    finally:
        connection.close()


def session_round(child: Child, rng: random.Random) -> list[tuple[str, int]]:
    """Answer a random number of cards, then leave the process mid-card for the kill."""
    acknowledged: list[tuple[str, int]] = []
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.4))  # kill anywhere: opening, migrating, scanning, first card
        return acknowledged
    card = child.read_until_card_or_end()
    for _ in range(rng.randint(0, 6)):
        if card is None:
            return acknowledged
        grade = rng.randint(1, 4)
        child.send(f"answer\n{grade}\n")
        following = child.read_until_card_or_end()  # shown only after the grade is committed
        if following is None:
            # the session ended: its last line comes after the commit, so the grade is kept
            acknowledged.append((card.split()[-1], grade))
            return acknowledged
        acknowledged.append((card.split()[-1], grade))
        card = following
    ending = rng.choice(["nothing", "answer", "answer and grade"])
    if ending == "answer":
        child.send("half an answer\n")
    elif ending == "answer and grade":
        child.send(f"answer\n{rng.randint(1, 4)}\n")  # committed or not: either is fine, not acknowledged
    time.sleep(rng.uniform(0.0, 0.03))
    return acknowledged


def test_sigkill_at_random_moments_loses_no_acknowledged_grade(isolated_home: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    no_builtin_home(isolated_home, "new_per_day = 100000\nreviews_per_day = 100000\n")
    decks = tmp_path / "decks"
    decks.mkdir()
    versions = [0] * DECK_FILES
    for index in range(DECK_FILES):
        (decks / f"k{index}.yaml").write_text(yaml_deck(f"k{index}", CARDS_PER_FILE), "utf-8")
    first = run_cli("import", str(decks))
    assert first.returncode == 0, first.stderr
    database = isolated_home / "ckaquiz.db"
    stderr_path = tmp_path / "stderr.txt"
    confirmed: list[tuple[str, int]] = []
    kinds: list[str] = []
    for number in range(ROUNDS):
        kind = rng.choice(["study", "study", "review", "import"])
        kinds.append(kind)
        environment = dict(os.environ, CKAQUIZ_NOW=(START + timedelta(days=number)).isoformat())
        acknowledged: list[tuple[str, int]] = []
        if kind == "import":
            write_decks(decks, rng, versions)
            child = Child.start(["import", str(decks)], environment, stderr_path)
            time.sleep(rng.uniform(0.0, 0.6))
            child.kill()
            if any(line.startswith("imported ") for line in child.drain()):
                assert expected_ids(versions) <= active_ids(database), f"round {number}: imported cards missing"
        else:
            arguments = [kind, "--plain"] + (["--shuffle"] if kind == "review" and rng.random() < 0.5 else [])
            child = Child.start(arguments, environment, stderr_path)
            acknowledged = session_round(child, rng)
            child.kill()
            child.drain()
        assert integrity(database) == "ok", f"round {number} ({kind})"
        rows = logged_reviews(database)
        assert rows[: len(confirmed)] == confirmed, f"round {number} ({kind}): earlier reviews changed"
        new_rows = rows[len(confirmed) :]
        assert new_rows[: len(acknowledged)] == acknowledged, f"round {number} ({kind}): acknowledged grade lost"
        assert len(new_rows) - len(acknowledged) in (0, 1), f"round {number} ({kind}): unexpected reviews"
        confirmed = rows
    assert len(kinds) >= 30 and {"study", "review", "import"} <= set(kinds)
    assert confirmed, "the seed never got as far as a grade"
    stderr = stderr_path.read_text(encoding="utf-8")
    assert "Traceback" not in stderr and "database is locked" not in stderr
    after = run_cli("cards", "--json")
    assert after.returncode == 0, after.stderr
