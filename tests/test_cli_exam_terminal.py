"""`ckaquiz exam` in a real pseudo-terminal: the question list, moving, flagging, answering, the clock."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import run_cli
from tests.test_cli_exam import DECK, RIGHT

FLOW_CLAIM = (
    "{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data},\n"
    "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}"
)
"""The claim as a learner types it in the built-in editor, which keeps each line's indentation for the next."""
TYPED = dict(RIGHT) | {"mock:claim": [FLOW_CLAIM, RIGHT["mock:claim"][1]]}
MANIFEST_STEPS = {("mock:claim", 0)}

ACTION = "action >"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(home: Path, *arguments: str, **variables: str) -> pexpect.spawn:
    environment = dict(
        os.environ,
        CKAQUIZ_HOME=str(home),
        TERM="xterm-256color",
        PROMPT_TOOLKIT_NO_CPR="1",
        COLUMNS="80",
        LINES="40",
        **variables,
    )
    return pexpect.spawn(
        sys.executable,
        ["-m", "ckaquiz", "exam", *arguments],
        env=environment,
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=20,
    )


@pytest.fixture
def home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "mock.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return isolated_home


def _paper(home: Path) -> list[str]:
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        (paper,) = database.execute("SELECT paper FROM exam_attempts ORDER BY started_at DESC LIMIT 1").fetchone()
    finally:
        database.close()
    return [task["id"] for task in json.loads(paper)]


def _answer_current(child: pexpect.spawn, task_id: str, answers: dict[str, list[str]]) -> None:
    child.sendline("a")
    for number, answer in enumerate(answers[task_id]):
        if (task_id, number) in MANIFEST_STEPS:
            child.expect("Esc Enter submits")
            child.send(answer.replace("\n", "\r"))
            child.send("\x04")
        else:
            child.expect(r"\$")
            child.sendline(answer)
        child.expect("saved")


def test_move_flag_answer_and_the_score_screen_at_80_columns(home: Path) -> None:
    child = spawn(home, "--tasks", "3", "--seed", "4", CKAQUIZ_NOW="2025-03-19T09:00:00Z")
    child.expect("time left 2:00:00")
    child.expect("questions")
    child.expect(ACTION)
    order = _paper(home)
    child.sendline("f")
    child.expect("task 1 flagged")
    child.expect("not started, flagged")
    child.expect(ACTION)
    child.sendline("3")
    child.expect("task 3/3 · weight")
    child.expect(ACTION)
    answers = dict(TYPED)
    answers["mock:logs"] = ["kubectl logs api > /root/api.log"]
    _answer_current(child, order[2], answers)
    child.expect(ACTION)
    child.sendline("p")
    child.expect("task 2/3")
    child.expect(ACTION)
    _answer_current(child, order[1], answers)
    child.expect(ACTION)
    child.sendline("1")
    child.expect("task 1/3")
    child.expect(ACTION)
    _answer_current(child, order[0], answers)
    child.expect(ACTION)
    child.sendline("e")
    child.expect("pass mark 66%")
    child.expect("by task")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = ESCAPES.sub("", child.before or "")
    earned = {"mock:scale": "7.0/7", "mock:claim": "5.0/5", "mock:logs": "0.0/8"}
    for number, task_id in enumerate(order, start=1):
        assert re.search(rf"│ *{number} │ {task_id} +│ +{earned[task_id]} │", screen), screen
    assert "missing flag --previous" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    listed = run_cli("exam", "--history").stdout
    assert "  60.0% not passed  3 tasks  " in listed  # (7 + 5) of 20


def test_the_clock_running_out_ends_the_exam_and_keeps_what_was_typed(home: Path) -> None:
    child = spawn(home, "--tasks", "3", "--seed", "4", "--minutes", "0.1")  # six seconds, real clock
    child.expect(ACTION)
    order = _paper(home)
    child.sendline("a")
    first = TYPED[order[0]][0]
    if (order[0], 0) in MANIFEST_STEPS:
        child.expect("Esc Enter submits")
        child.send(first.replace("\n", "\r"))
    else:
        child.expect(r"\$")
        child.send(first)  # typed, never submitted: the clock closes the prompt
    child.expect("time is up", timeout=20)
    child.expect("by task")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        (progress, finished) = database.execute("SELECT progress, finished_at FROM exam_attempts").fetchone()
    finally:
        database.close()
    assert finished is not None
    assert json.loads(progress)["answers"][0][0] == first


def test_ctrl_c_pauses_and_resume_shows_the_answer_again(home: Path) -> None:
    child = spawn(home, "--tasks", "3", "--seed", "4", CKAQUIZ_NOW="2025-03-19T09:00:00Z")
    child.expect(ACTION)
    order = _paper(home)
    _answer_current(child, order[0], {order[0]: TYPED[order[0]][:1]})
    child.sendcontrol("c")
    child.expect("exam paused with 2h00m left")
    child.expect(pexpect.EOF)
    child.close()
    resumed = run_cli("exam", "--plain", "--resume", input_text="end\n", env={"CKAQUIZ_NOW": "2025-03-19T09:00:00Z"})
    assert f"task 1/3 {order[0]}:" in resumed.stdout
    assert "current answer (a line holding only . keeps it):" in resumed.stdout


def test_ctrl_c_while_typing_keeps_the_typed_text(home: Path) -> None:
    child = spawn(home, "--tasks", "3", "--seed", "4", CKAQUIZ_NOW="2025-03-19T09:00:00Z")
    child.expect(ACTION)
    order = _paper(home)
    child.sendline("a")
    first = TYPED[order[0]][0]
    child.expect("Esc Enter submits" if (order[0], 0) in MANIFEST_STEPS else r"\$")
    child.send(first.replace("\n", "\r"))
    child.sendcontrol("c")
    child.expect("exam paused with 2h00m left")
    child.expect(pexpect.EOF)
    child.close()
    database = sqlite3.connect(home / "ckaquiz.db")
    try:
        (progress,) = database.execute("SELECT progress FROM exam_attempts").fetchone()
    finally:
        database.close()
    assert json.loads(progress)["answers"][0][0] == first
