"""Two study sessions and an import at once on one data folder: nobody sees "database is
locked" or a traceback, and every review of both sessions is kept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.safety_helpers import integrity, no_builtin_home, yaml_deck

CARDS = 40
GRADES = 60  # more than the cards: learning cards come back within the session


def start(arguments: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ckaquiz", *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def run_together(commands: list[tuple[list[str], str]]) -> list[tuple[int, str, str]]:
    """Start every command before feeding any of them, then wait for all."""
    processes = [start(arguments) for arguments, _ in commands]
    results: list[tuple[int, str, str]] = [(0, "", "")] * len(commands)

    def feed(index: int) -> None:
        stdout, stderr = processes[index].communicate(commands[index][1], timeout=120)
        results[index] = (processes[index].returncode, stdout, stderr)

    threads = [threading.Thread(target=feed, args=(index,)) for index in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-database", "fresh-database"])
def test_two_sessions_and_an_import_at_once(isolated_home: Path, tmp_path: Path, fresh: bool) -> None:
    no_builtin_home(isolated_home, "new_per_day = 1000\n")
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.yaml").write_text(yaml_deck("a", CARDS), encoding="utf-8")
    if not fresh:
        assert run_cli("import", str(first)).returncode == 0
    more = tmp_path / "more"
    more.mkdir()
    for index in range(12):
        (more / f"m{index}.yaml").write_text(yaml_deck(f"m{index}", 50), encoding="utf-8")
    answers = "answer\n3\n" * GRADES
    results = run_together(
        [
            (["study", "--plain"], answers),
            (["study", "--plain"], answers),
            (["import", str(more), str(first)], ""),
        ]
    )
    for code, stdout, stderr in results:
        assert code == 0, stderr
        for output in (stdout, stderr):
            assert "database is locked" not in output
            assert "Traceback" not in output
    database = isolated_home / "ckaquiz.db"
    assert integrity(database) == "ok"
    connection = sqlite3.connect(database)
    logged = dict(connection.execute("SELECT session_id, count(*) FROM reviews GROUP BY session_id").fetchall())
    connection.close()
    reported = [int(stdout.splitlines()[-1].split()[1]) for _, stdout, _ in results[:2]]
    # every review a session reported is in the log, under that session
    assert sorted(logged.values()) == sorted(count for count in reported if count)
    if not fresh:
        # The session that builds its queue first finds every card new and shows each, whatever the
        # other then does to it. Neither need reach GRADES (a card both answered Good graduates and is
        # not shown a third time), and the later one may find nothing left to study.
        assert max(reported) >= CARDS
    imported = results[2][1]
    assert imported.count("imported ") == 2
