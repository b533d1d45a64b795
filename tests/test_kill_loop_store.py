"""SIGKILL at random moments (seeded) during `backup`, `restore` and `export`: afterwards the live
database passes integrity_check and holds every acknowledged grade, and no partial copy is left
once ckaquiz has started again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import run_cli
from tests.safety_helpers import integrity, logged_reviews, no_builtin_home, run_full_cli, yaml_deck

SEED = 20250320
ROUNDS = 24
GUARD_SECONDS = 30.0  # only a guard against a hung child, never a timing assertion
START = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
_FULL_CLI = "import sys\nfrom ckaquiz.cli import app\nsys.argv[0] = 'ckaquiz'\napp()\n"


def killed(arguments: list[str], environment: dict[str, str], rng: random.Random, stderr: Path, *, span: float) -> bool:
    """Start a command and SIGKILL it after a random delay up to `span` seconds (about as long as a
    whole command takes on this machine, so kills land in start-up and in the work alike); False
    when it had finished first."""
    with stderr.open("a", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", _FULL_CLI, *arguments], stdout=subprocess.DEVNULL, stderr=errors, env=environment
        )
    time.sleep(rng.uniform(0.0, span))
    running = process.poll() is None
    if running:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=GUARD_SECONDS)
    return running


def timed_start(environment: dict[str, str]) -> float:
    """How long one quick command takes here, start-up included."""
    began = time.monotonic()
    assert run_full_cli("backup", "--list", env={"CKAQUIZ_NOW": environment["CKAQUIZ_NOW"]}).returncode == 0
    return time.monotonic() - began


def partial_files(home: Path) -> list[str]:
    found = [path.name for path in home.iterdir() if path.name.startswith(".ckaquiz-")]
    backups = home / "backups"
    if backups.is_dir():
        found += [path.name for path in backups.iterdir() if path.name.startswith(".ckaquiz-")]
    return found


def test_sigkill_during_backup_restore_and_export_loses_nothing(isolated_home: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    no_builtin_home(isolated_home, "new_per_day = 1000\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("kill", 400), encoding="utf-8")  # a database big enough to be caught mid-copy
    assert run_cli("import", str(deck)).returncode == 0
    database = isolated_home / "ckaquiz.db"
    latest = tmp_path / "latest.db"
    exports = tmp_path / "exports"
    exports.mkdir()
    stderr = tmp_path / "stderr.txt"
    confirmed: list[tuple[str, int]] = []
    kinds: list[str] = []
    kills = 0
    span = timed_start(dict(os.environ, CKAQUIZ_NOW=START.isoformat()))
    for number in range(ROUNDS):
        environment = dict(os.environ, CKAQUIZ_NOW=(START + timedelta(days=number)).isoformat())
        if number % 4 == 0:  # new grades, acknowledged by a session that ran to its end, then a copy of them
            grades = "".join(f"x\n{rng.randint(1, 4)}\n" for _ in range(rng.randint(1, 3)))
            session = run_cli("study", "--plain", input_text=grades, env={"CKAQUIZ_NOW": environment["CKAQUIZ_NOW"]})
            assert session.returncode == 0, session.stderr
            confirmed = logged_reviews(database)
            copied = run_full_cli("backup", str(latest), "--force", env={"CKAQUIZ_NOW": environment["CKAQUIZ_NOW"]})
            assert copied.returncode == 0, copied.stderr
        kind = rng.choice(["backup", "backup-to-file", "restore", "restore", "export"])
        kinds.append(kind)
        arguments = {
            "backup": ["backup"],
            "backup-to-file": ["backup", str(tmp_path / "mine.db"), "--force"],
            "restore": ["restore", str(latest)],
            "export": ["export", "json", str(exports / "all.json"), "--reviews", "--force"],
        }[kind]
        kills += killed(arguments, environment, rng, stderr, span=1.5 * span)
        began = time.monotonic()
        after = run_full_cli("backup", "--list", env={"CKAQUIZ_NOW": environment["CKAQUIZ_NOW"]})  # the next start
        span = time.monotonic() - began
        assert after.returncode == 0, f"round {number} ({kind}): {after.stderr}"
        assert partial_files(isolated_home) == [], f"round {number} ({kind})"
        assert integrity(database) == "ok", f"round {number} ({kind})"
        assert logged_reviews(database) == confirmed, f"round {number} ({kind}): acknowledged grades changed"
    assert {"backup", "backup-to-file", "restore", "export"} <= set(kinds)
    assert kills > 0, "no command was still running when its kill came"
    assert confirmed, "the seed never got as far as a grade"
    final = run_cli("export", "json", str(exports / "all.json"), "--reviews", "--force")
    assert final.returncode == 0, final.stderr
    assert [path.name for path in exports.iterdir()] == ["all.json"]  # the killed exports' parts are gone
    text = stderr.read_text(encoding="utf-8")
    assert "Traceback" not in text and "database is locked" not in text
