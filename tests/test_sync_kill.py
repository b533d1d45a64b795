"""SIGKILL during an exchange and during a study session with sync on: nothing lost, nothing applied twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pexpect

from tests.conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from sync_history import write_device_events

DECK = "deck: k\ncards:\n" + "".join(f"  - {{front: q{n}, back: a{n}, id: c{n}}}\n" for n in range(20))
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def home_with_sync(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "k.yaml"
    deck.write_text(DECK, encoding="utf-8")
    env = {"CKAQUIZ_HOME": str(home), "CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}
    assert run_cli("import", str(deck), env=env).returncode == 0
    folder = tmp_path / "shared"
    assert run_cli("sync", "init", str(folder), env=env).returncode == 0
    return home, folder, env


def counts(home: Path) -> tuple[int, int, int]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        reviews = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
        events = connection.execute("SELECT count(*) FROM sync_events WHERE applied = 1").fetchone()[0]
        linked = connection.execute("SELECT count(DISTINCT review_id) FROM sync_events").fetchone()[0]
        return int(reviews), int(events), int(linked)
    finally:
        connection.close()


def test_a_killed_exchange_applies_nothing_twice_and_loses_nothing(tmp_path: Path) -> None:
    home, folder, env = home_with_sync(tmp_path)
    ids = [f"k:c{n}" for n in range(20)]
    total = 6000
    write_device_events(folder, "aaaa", ids, total // 2, start=START)
    write_device_events(folder, "bbbb", ids, total // 2, start=START)
    environment = dict(os.environ, **env)
    for delay in (0.3, 0.6, 0.9, 1.2):
        command = [sys.executable, "-m", "ckaquiz", "sync"]
        with subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ) as process:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
        reviews, events, linked = counts(home)
        assert reviews == events == linked  # each applied event is one review, or none at all
        assert reviews in (0, total)
    done = run_cli("sync", env=env)
    assert done.returncode == 0, done.stderr
    assert counts(home) == (total, total, total)
    again = run_cli("sync", env=env)
    assert again.returncode == 0
    assert counts(home) == (total, total, total)


def test_a_killed_session_with_sync_on_keeps_its_reviews_and_writes_each_once(tmp_path: Path) -> None:
    home, folder, env = home_with_sync(tmp_path)
    child = pexpect.spawn(
        sys.executable, ["-m", "ckaquiz", "study", "--plain"], env=dict(os.environ, **env), encoding="utf-8", timeout=30
    )
    for _ in range(3):
        child.expect("--- card")
        child.sendline("")
        child.expect("grade: ")
        child.sendline("good")
    child.expect("--- card")
    child.kill(signal.SIGKILL)
    child.close(force=True)
    done = run_cli("sync", env=env)
    assert done.returncode == 0, done.stderr
    run_cli("sync", env=env)
    lines = [line for path in (folder / "devices").glob("*/*.jsonl") for line in path.read_text("utf-8").splitlines()]
    ids = [line.split('"id":"', 1)[1].split('"', 1)[0] for line in lines]
    assert len(ids) == len(set(ids)) == 3
    assert counts(home)[0] == 3
