"""A file's problems are warned about once per change of the file, not by every command; `check` shows them all."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.conftest import run_cli

GOOD = "deck: good\ncards:\n  - {front: What runs static pods?, back: the kubelet, id: one}\n"
BROKEN = "deck: broken\ncards:\n  - front: When?\n    back: x\n    date: [unclosed\n"


def warnings_of(*arguments: str) -> list[str]:
    result = run_cli(*arguments)
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_a_warning_once_per_change_of_its_file(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    broken = folder / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    imported = run_cli("import", str(folder))
    assert imported.returncode == 0
    first = [line for line in imported.stderr.splitlines() if line.startswith("warning: ")]
    assert len(first) == 1 and first[0].startswith(f"warning: {broken}:")

    assert warnings_of("cards", "--json") == first  # the first command after the import still says it
    assert warnings_of("decks") == []
    assert warnings_of("study", "--plain") == []
    checked = run_cli("check", str(folder))
    assert first[0].removeprefix("warning: ") in checked.stdout + checked.stderr  # check shows every problem

    status = broken.stat()
    os.utime(broken, ns=(status.st_atime_ns, status.st_mtime_ns + 5_000_000_000))  # touched: changed
    assert warnings_of("stats", "--json") == first
    assert warnings_of("cards") == []

    broken.write_text(BROKEN + "  - front: [also broken\n", encoding="utf-8")  # edited
    edited = warnings_of("decks")
    assert len(edited) == 1 and edited[0].startswith(f"warning: {broken}:")
    assert warnings_of("decks") == []

    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    shown = database.execute("SELECT path, size FROM shown_warnings").fetchall()
    database.close()
    assert shown == [(str(broken), broken.stat().st_size)]


def test_problems_of_two_files_are_each_shown_once(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    folder = tmp_path / "decks"
    folder.mkdir()
    first, second = folder / "a.yaml", folder / "b.yaml"
    first.write_text(BROKEN, encoding="utf-8")
    second.write_text(BROKEN.replace("broken", "other"), encoding="utf-8")
    assert run_cli("import", str(folder)).returncode == 0
    both = warnings_of("cards")
    assert [line.split(":")[0] for line in both] == ["warning", "warning"]
    assert {line.removeprefix("warning: ").split(":")[0] for line in both} == {str(first), str(second)}
    second.write_text(BROKEN.replace("broken", "other") + "# a comment\n", encoding="utf-8")
    again = warnings_of("cards")
    assert len(again) == 1 and again[0].startswith(f"warning: {second}:")
