"""Helpers for the safety tests: the CLI with `backup`/`restore`, and reading a killed session."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

_FULL_CLI = "import sys\nfrom ckaquiz.cli import app\nsys.argv[0] = 'ckaquiz'\napp()\n"


def run_full_cli(
    *arguments: str, input_text: str = "", env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the safety commands registered, in a subprocess."""
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", _FULL_CLI, *arguments],
        input=input_text,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )


def no_builtin_home(home: Path, extra: str = "") -> None:
    """A data folder without the built-in decks (and with any extra config lines)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = false\n" + extra, encoding="utf-8")


def integrity(database: Path) -> str:
    """`PRAGMA integrity_check` of a database file (recovering its WAL as SQLite does)."""
    connection = sqlite3.connect(database)
    try:
        return "\n".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def logged_reviews(database: Path) -> list[tuple[str, int]]:
    """(card id, rating) of every review in the log, in the order they were written."""
    connection = sqlite3.connect(database)
    try:
        return [(row[0], row[1]) for row in connection.execute("SELECT card_id, rating FROM reviews ORDER BY id")]
    finally:
        connection.close()


def yaml_deck(name: str, count: int, *, version: int = 0) -> str:
    """A YAML deck of `count` basic cards with explicit ids `c0`, `c1` ..."""
    entries = "".join(
        f"  - {{front: '{name} question {number}', back: 'answer {number} v{version}', id: c{number}}}\n"
        for number in range(count)
    )
    return f"deck: {name}\ncards:\n{entries}"
