"""The benchmark suite runs end to end at a small size and prints its table (no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "floor: a two-command typer app running a command",
    "floor: the same app's `--help`",
    "`ckaquiz --help`",
    "floor: the same app's `--version`",
    "`ckaquiz --version`",
    "`ckaquiz decks` on an empty home",
    "cold import of the whole vault",
    "rescan, nothing changed",
    "rescan, one note changed",
    "`ckaquiz study --plain` until the first card is printed",
    "grade -> next card, in-process",
    "grade -> next card, end to end",
    "`ckaquiz stats`",
    "`ckaquiz cards --tag",
    "today's queue with every card due",
)


def test_the_benchmark_prints_its_table(tmp_path: Path) -> None:
    environment = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--notes", "300", "--reviews", "3000", "--quick"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,  # a guard against a hang, not a timing assertion
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("300 notes (") for line in lines)
    header = "| figure | median | min | max | CPU (median) | target | ratio to floor | peak RSS | met |"
    assert header in lines
    rows = [line for line in lines if line.startswith("| ") and line != header]
    for figure in FIGURES:
        assert any(row.startswith(f"| {figure}") for row in rows), figure
    assert all(row.count(" | ") == header.count(" | ") for row in rows)
