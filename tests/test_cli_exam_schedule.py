"""`ckaquiz exam --plain --schedule`: each scored task logged as a review of its card, honestly graded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ckaquiz.exam_schedule import grade_for
from ckaquiz.model import Rating
from tests.test_cli_exam import CLAIM, NOW, RIGHT, PlainExam, _answer_all, home  # noqa: F401


def test_only_full_or_near_full_credit_is_a_pass() -> None:
    assert [grade_for(fraction) for fraction in (1.0, 0.8, 0.79, 0.5, 0.0)] == [
        Rating.GOOD,
        Rating.HARD,
        Rating.AGAIN,
        Rating.AGAIN,
        Rating.AGAIN,
    ]


def test_schedule_logs_each_task_as_a_review_of_its_card(home: Path) -> None:  # noqa: F811
    exam = PlainExam("--tasks", "3", "--seed", "4", "--schedule", env=NOW)
    answers = dict(RIGHT)
    answers["mock:claim"] = [CLAIM, "kubectl create -f claim.yaml"]  # half the points
    answers["mock:logs"] = ["kubectl logs api > /root/api.log"]  # none
    _answer_all(exam, answers)
    exam.read_until("all 3 tasks answered")
    exam.send("end")
    output, errors = exam.finish()
    assert exam.process.returncode == 0, errors
    assert "logged 3 task reviews:" in output
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        rows = dict(database.execute("SELECT card_id, rating FROM reviews").fetchall())
        sessions = {row[0] for row in database.execute("SELECT session_id FROM reviews")}
        exam_ids = {row[0] for row in database.execute("SELECT id FROM exam_attempts")}
    finally:
        database.close()
    assert rows == {"mock:scale": Rating.GOOD, "mock:claim": Rating.AGAIN, "mock:logs": Rating.AGAIN}
    assert sessions == exam_ids


def test_without_schedule_no_review_is_logged(home: Path) -> None:  # noqa: F811
    exam = PlainExam("--tasks", "3", "--seed", "4", env=NOW)
    _answer_all(exam, RIGHT)
    exam.send("end")
    output, errors = exam.finish()
    assert exam.process.returncode == 0, errors
    assert "task reviews" not in output
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        assert database.execute("SELECT COUNT(*) FROM reviews").fetchone() == (0,)
    finally:
        database.close()
