"""A real sync engine end to end: git. Two clones of a bare repository, study sessions in plain mode on
each, commit, pull and push between them: merges never conflict and both devices end with every review."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DECK = "deck: g\ncards:\n" + "".join(f"  - {{front: q{n}, back: a{n}, id: c{n}}}\n" for n in range(4))


def git(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def reviews(home: Path) -> list[tuple[str, int, str]]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        rows = connection.execute("SELECT card_id, rating, reviewed_at FROM reviews WHERE undone_at IS NULL")
        return sorted((str(a), int(b), str(c)) for a, b, c in rows)
    finally:
        connection.close()


def schedules(home: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        return connection.execute(
            "SELECT id, state, stability, difficulty, due, reps FROM cards ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def test_two_git_clones_share_one_history_without_conflicts(tmp_path: Path) -> None:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-b", "main", str(bare))
    deck = tmp_path / "g.yaml"
    deck.write_text(DECK, encoding="utf-8")
    clones, homes = [], []
    for name in ("laptop", "desktop"):
        clone = tmp_path / name
        git(tmp_path, "clone", str(bare), str(clone))
        git(clone, "checkout", "-B", "main")
        home = tmp_path / f"{name}-home"
        home.mkdir()
        (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
        env = {"CKAQUIZ_HOME": str(home)}
        assert run_cli("import", str(deck), env=env).returncode == 0
        done = run_cli("sync", "init", str(clone / "ckaquiz"), env=env)
        assert done.returncode == 0, done.stderr
        clones.append(clone)
        homes.append(home)
    (clones[0] / "README").write_text("notes\n", encoding="utf-8")
    git(clones[0], "add", "-A")
    git(clones[0], "commit", "-m", "start")
    git(clones[0], "push", "-u", "origin", "main")
    git(clones[1], "pull", "origin", "main")

    moments = ["2025-03-19T09:00:00+00:00", "2025-03-19T09:30:00+00:00", "2025-03-20T10:00:00+00:00"]
    for day, moment in enumerate(moments):
        for index, (clone, home) in enumerate(zip(clones, homes, strict=True)):
            env = {"CKAQUIZ_HOME": str(home), "CKAQUIZ_NOW": moment.replace(":00+", f":{10 * index:02d}+")}
            grades = "\ngood\n\nhard\n" if (day + index) % 2 else "\neasy\n"
            studied = run_cli("study", "--plain", input_text=grades, env=env)
            assert studied.returncode == 0, studied.stderr
            assert "warning" not in studied.stderr
            git(clone, "add", "-A")
            git(clone, "commit", "-m", f"reviews {day} {index}", "--allow-empty")
            git(clone, "pull", "--no-rebase", "origin", "main")  # a merge: never a conflict
            git(clone, "push", "origin", "main")
    for clone, home in zip(clones, homes, strict=True):
        git(clone, "pull", "--no-rebase", "origin", "main")
        done = run_cli("sync", env={"CKAQUIZ_HOME": str(home)})
        assert done.returncode == 0, done.stderr
    assert reviews(homes[0]) == reviews(homes[1])
    assert len(reviews(homes[0])) >= 6
    assert schedules(homes[0]) == schedules(homes[1])
    status = run_cli("sync", "status", env={"CKAQUIZ_HOME": str(homes[0])})
    assert status.returncode == 0
    assert status.stdout.count("events applied") + status.stdout.count("event applied") == 2
