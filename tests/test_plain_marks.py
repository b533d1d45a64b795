"""Suspend (`!`), bury (`-`) and flag (`f`) at the plain protocol's grade line, end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cli
from tests.test_cli_study_plain import setup_home

MORNING = "2025-03-19T09:00:00+00:00"
EVENING = "2025-03-19T21:00:00+00:00"
NEXT_DAY = "2025-03-20T09:00:00+00:00"


def card_headers(stdout: str) -> list[str]:
    return [line.split()[-1] for line in stdout.splitlines() if line.startswith("--- card ")]


def test_suspend_bury_and_flag_log_no_review(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    result = run_cli("study", "--plain", input_text="kubelet\nf\n!\nNoExecute\n-\nq\n", env={"CKAQUIZ_NOW": MORNING})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert card_headers(result.stdout)[:2] == ["week:kubelet", "week:noexecute"]
    assert "flagged" in lines
    flagged_at = lines.index("flagged")
    assert lines[flagged_at - 1].startswith("grade: ") and lines[flagged_at + 1].startswith("grade: ")
    assert lines[flagged_at + 2] == "suspended"
    assert any(line.startswith("buried until 2025-03-20T") for line in lines)  # the next study day's start
    assert lines[-1] == "reviewed 0 cards: again 0, hard 0, good 0, easy 0"

    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    marks = database.execute(
        "SELECT suspended_at IS NOT NULL, buried_until IS NOT NULL, flagged_at IS NOT NULL FROM card_marks"
    ).fetchall()
    database.close()
    assert sorted(marks) == [(0, 1, 0), (1, 0, 1)]

    later = run_cli("study", "--plain", input_text="q\n", env={"CKAQUIZ_NOW": EVENING})
    assert later.returncode == 0, later.stderr
    assert card_headers(later.stdout) == ["week:webhooks"]

    tomorrow = run_cli("study", "--plain", input_text="q\n", env={"CKAQUIZ_NOW": NEXT_DAY})
    assert tomorrow.returncode == 0, tomorrow.stderr
    assert card_headers(tomorrow.stdout)[:1] == ["week:noexecute"]
    shown_tomorrow = run_cli("study", "--plain", input_text="\ns\n\n.\ns\n", env={"CKAQUIZ_NOW": NEXT_DAY})
    assert "week:kubelet" not in card_headers(shown_tomorrow.stdout)


def test_flag_twice_unflags_and_the_card_is_still_graded(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    result = run_cli("study", "--plain", input_text="kubelet\nf\nf\n3\nq\n", env={"CKAQUIZ_NOW": MORNING})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.index("flagged") + 2 == lines.index("unflagged")
    assert lines[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM card_marks").fetchone()[0] == 0
    assert database.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    database.close()


def test_cards_suspended_lists_them_and_unsuspend_brings_them_back(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    assert run_cli("study", "--plain", input_text="kubelet\n!\nq\n", env={"CKAQUIZ_NOW": MORNING}).returncode == 0
    listed = run_cli("cards", "--suspended", "--json", env={"CKAQUIZ_NOW": MORNING})
    assert listed.returncode == 0, listed.stderr
    assert [card["id"] for card in json.loads(listed.stdout)] == ["week:kubelet"]
    piped = run_cli("cards", "--suspended", env={"CKAQUIZ_NOW": MORNING})
    assert [line.split("\t")[0] for line in piped.stdout.splitlines()] == ["week:kubelet"]

    unknown = run_cli("unsuspend", "week:kubelet", "week:nothing")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [unknown.stderr.strip()] and "week:nothing" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    still = run_cli("cards", "--suspended", "--json", env={"CKAQUIZ_NOW": MORNING})
    assert [card["id"] for card in json.loads(still.stdout)] == ["week:kubelet"]  # nothing changed

    back = run_cli("unsuspend", "week:kubelet")
    assert back.returncode == 0, back.stderr
    assert json.loads(run_cli("cards", "--suspended", "--json").stdout) == []
    again = run_cli("study", "--plain", input_text="q\n", env={"CKAQUIZ_NOW": EVENING})
    assert card_headers(again.stdout)[:1] == ["week:kubelet"]
