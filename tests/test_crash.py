"""A session killed with SIGKILL keeps every grade it acknowledged; an interrupted import stores nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli

DECK = "deck: crash\ncards:\n" + "".join(f"  - {{front: question {n}, back: answer {n}, id: c{n}}}\n" for n in range(10))


def read_until_card(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        assert line, "the session ended early"
        if line.startswith("--- card"):
            return line.strip()


def test_sigkill_mid_session_loses_no_acknowledged_grade(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "crash.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "ckaquiz", "study", "--plain"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=dict(os.environ),
    )
    assert process.stdin is not None
    graded = []
    card_line = read_until_card(process)
    for grade in ["3", "1", "4", "2"]:
        graded.append(card_line.split()[-1])
        process.stdin.write(f"my answer\n{grade}\n")
        process.stdin.flush()
        card_line = read_until_card(process)  # the next card is shown only after the grade is committed
    process.stdin.write("half an answer\n")
    process.stdin.flush()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdin.close()
    assert process.stdout is not None
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = database.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
    assert rows == list(zip(graded, [3, 1, 4, 2], strict=True))
    again = run_cli("cards", "--json")
    assert again.returncode == 0


def test_ctrl_c_in_a_first_import_stores_nothing_and_leaves_nothing_behind(isolated_home: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import vault as bench_vault
    finally:
        sys.path.pop(0)
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    notes = tmp_path / "vault"
    bench_vault.write_vault(notes, 600, seed=11)  # about 3 MB: read by worker processes
    process = subprocess.Popen(
        [sys.executable, "-m", "ckaquiz", "import", str(notes)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ), preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while not list(isolated_home.glob(".ckaquiz-import-*")):  # the workers are staging rows
        assert process.poll() is None, "the import ended before it could be interrupted"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130
    assert errors.strip() == f"interrupted: nothing read from {notes} was stored; the next command reads it"
    assert not list(isolated_home.glob(".ckaquiz-import-*"))
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM cards").fetchone()[0] == 0
    assert database.execute("SELECT count(*) FROM files").fetchone()[0] == 0
    database.close()
    listed = run_cli("cards", "--json")  # the next command reads the vault
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) > 3000
