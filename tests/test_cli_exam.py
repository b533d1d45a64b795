"""`ckaquiz exam --plain` end to end in subprocesses: scores, time, SIGKILL and --resume, --history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

DECK = """\
deck: mock
cards:
  - kind: task
    id: scale
    weight: 7
    topic: deployments
    context: {namespace: shop}
    scenario: Run three replicas of the deployment `front`.
    tags: [cka/workloads-scheduling]
    reference: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
    steps:
      - kind: command
        answer: kubectl scale deployment front --replicas 3 -n shop
  - kind: task
    id: claim
    weight: 5
    topic: claims
    scenario: Give the team a 1Gi volume claim `data` and apply it.
    tags: [cka/storage]
    steps:
      - kind: manifest
        question: Write the claim.
        answer: |
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata:
            name: data
          spec:
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 1Gi
      - kind: command
        question: Apply it.
        answer: kubectl apply -f claim.yaml
  - kind: task
    id: logs
    weight: 8
    topic: logs
    scenario: Save the logs of the crashed container of pod `api` to /root/api.log.
    tags: [cka/troubleshooting]
    steps:
      - kind: command
        answer: kubectl logs api --previous > /root/api.log
"""
CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1024Mi"""
RIGHT = {
    "mock:scale": ["k scale deploy/front --replicas=3 -n shop"],
    "mock:claim": [CLAIM, "kubectl apply -f claim.yaml"],
    "mock:logs": ["kubectl logs api -p > /root/api.log"],
}
NOW = {"CKAQUIZ_NOW": "2025-03-19T09:00:00Z"}


@pytest.fixture
def home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "mock.yaml"
    deck.write_text(DECK, encoding="utf-8")
    result = run_cli("import", str(deck))
    assert result.returncode == 0, result.stderr
    return isolated_home


class PlainExam:
    """A `ckaquiz exam --plain` process, answered line by line as its prompts arrive."""

    def __init__(self, *arguments: str, env: dict[str, str] | None = None) -> None:
        environment = dict(os.environ) | (env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ckaquiz", "exam", "--plain", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        self.lines: list[str] = []

    def read_until(self, prefix: str) -> str:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            assert line, f"ended before {prefix!r}: {self.lines}"
            self.lines.append(line.rstrip("\n"))
            if line.startswith(prefix):
                return line.rstrip("\n")

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def answer(self, text: str) -> None:
        self.send(text + "\n.")

    def kill(self) -> None:
        """SIGKILL, as a crash or a closed terminal would end it, then close the pipes."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def finish(self) -> tuple[str, str]:
        output, errors = self.process.communicate(timeout=60)
        return "\n".join(self.lines) + "\n" + output, errors


def _answer_all(exam: PlainExam, answers: dict[str, list[str]]) -> list[str]:
    """Answer each task as it comes, by its id; the ids in the paper's order."""
    order = []
    for _ in range(3):
        header = exam.read_until("--- task ")
        task_id = header.split()[3]
        order.append(task_id)
        for answer in answers[task_id]:
            exam.read_until("step ")
            exam.answer(answer)
    return order


def test_a_full_paper_of_right_partly_right_and_wrong_answers_scores_exactly(home: Path) -> None:
    exam = PlainExam("--tasks", "3", "--seed", "4", env=NOW)
    answers = dict(RIGHT)
    answers["mock:claim"] = [CLAIM, "kubectl create -f claim.yaml"]  # the second step is wrong
    answers["mock:logs"] = ["kubectl logs api > /root/api.log"]  # not the crashed container
    order = _answer_all(exam, answers)
    exam.read_until("all 3 tasks answered")
    exam.send("end")
    output, errors = exam.finish()
    assert exam.process.returncode == 0, errors
    score = output[output.index("--- score") :].splitlines()
    numbers = {task_id: order.index(task_id) + 1 for task_id in order}
    assert score[:5] == [
        "--- score",
        "score 47.5% (pass mark 66%): not passed",  # (7 + 2.5 + 0) of 20
        "domain Workloads & Scheduling: 100.0% (1 task, weight 7%)",
        "domain Storage: 50.0% (1 task, weight 5%)",
        "domain Troubleshooting: 0.0% (1 task, weight 8%)",
    ]
    assert f"task {numbers['mock:scale']}/3 mock:scale: 7.0 of 7 (1 of 1 step) in 0s" in score
    assert f"task {numbers['mock:claim']}/3 mock:claim: 2.5 of 5 (1 of 2 steps) in 0s" in score
    assert f"task {numbers['mock:logs']}/3 mock:logs: 0.0 of 8 (0 of 1 step) in 0s" in score
    assert "  step 2: expected command kubectl apply, got kubectl create" in score
    assert any(line.startswith("  step 1: missing flag --previous") for line in score), score
    assert score[-1] == "time used: 0s of 2h00m"


def test_a_perfect_paper_scores_100_and_an_empty_one_0(home: Path) -> None:
    exam = PlainExam("--tasks", "3", "--seed", "9", env=NOW)
    _answer_all(exam, RIGHT)
    exam.send("end")
    output, _ = exam.finish()
    assert "score 100.0% (pass mark 66%): passed" in output.splitlines()

    empty = run_cli("exam", "--plain", "--tasks", "3", "--seed", "9", input_text="end\n", env=NOW)
    assert empty.returncode == 0, empty.stderr
    assert "score 0.0% (pass mark 66%): not passed" in empty.stdout.splitlines()
    assert empty.stdout.count(": no answer") == 4  # each step of each task says so


def test_the_same_seed_draws_the_same_paper(home: Path) -> None:
    headers = []
    for _ in range(2):
        result = run_cli("exam", "--plain", "--tasks", "2", "--seed", "11", input_text="n\nn\nend\n", env=NOW)
        assert result.returncode == 0, result.stderr
        headers.append([line for line in result.stdout.splitlines() if line.startswith("--- task")])
    assert headers[0] == headers[1]
    assert len({line.split()[3] for line in headers[0]}) == 2


def test_moving_and_flagging(home: Path) -> None:
    result = run_cli("exam", "--plain", "--tasks", "3", "--seed", "4", input_text="f\nn\np\ng 3\ng 9\nend\n", env=NOW)
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line.startswith("--- task")]
    assert [header.split()[2] for header in headers] == ["1/3", "2/3", "1/3", "3/3"]
    assert "flagged task 1" in lines
    assert headers[2].endswith(" flagged")
    assert "no task 9: the tasks are 1 to 3" in lines


def test_sigkill_in_the_middle_loses_no_answer_and_resume_keeps_the_time_left(home: Path) -> None:
    exam = PlainExam("--tasks", "3", "--seed", "4", "--minutes", "30", env=NOW)
    first = exam.read_until("--- task 1/3").split()[3]
    exam.read_until("step ")
    exam.answer(RIGHT[first][0])
    exam.read_until("saved step 1/")
    exam.kill()

    history = run_cli("exam", "--history")
    assert "unfinished (`ckaquiz exam --resume`)" in history.stdout
    again = run_cli("exam", "--plain", "--tasks", "3", env=NOW)
    assert again.returncode == 1
    assert "is not finished: `ckaquiz exam --resume` continues it" in again.stderr

    later = {"CKAQUIZ_NOW": "2025-03-20T18:00:00Z"}  # the clock stood still while no exam was open
    resumed = run_cli("exam", "--plain", "--resume", input_text="end\n", env=later)
    assert resumed.returncode == 0, resumed.stderr
    lines = resumed.stdout.splitlines()
    assert lines[0].endswith("3 tasks, 30m00s left, pass mark 66%")
    assert lines[1].startswith(f"--- task 1/3 {first} ")
    assert "current answer (a line holding only . keeps it):" in lines
    earned = next(line for line in lines if line.startswith(f"task 1/3 {first}:"))
    assert f"(1 of {len(RIGHT[first])} step" in earned

    history = run_cli("exam", "--history")
    assert "unfinished" not in history.stdout
    assert history.stdout.splitlines()[-1].startswith("1 scored, 0 passed; last ")


def test_when_the_time_runs_out_the_answers_so_far_count_and_later_ones_do_not(home: Path) -> None:
    exam = PlainExam("--tasks", "3", "--seed", "4", "--minutes", "0.05")  # three seconds, real clock
    first = exam.read_until("--- task 1/3").split()[3]
    exam.read_until("step ")
    exam.answer(RIGHT[first][0])
    exam.read_until("saved step 1/")
    time.sleep(3.5)
    exam.answer("kubectl get pods")
    output, errors = exam.finish()
    assert exam.process.returncode == 0, errors
    lines = output.splitlines()
    assert "time is up" in lines
    assert lines.count("saved step 1/1 of task 1") + lines.count("saved step 1/2 of task 1") == 1
    earned = next(line for line in lines if line.startswith(f"task 1/3 {first}:"))
    assert f"(1 of {len(RIGHT[first])} step" in earned
    assert lines[-1] == "time used: 3s of 3s"


def test_end_of_input_pauses_the_attempt_without_scoring_it(home: Path) -> None:
    paused = run_cli("exam", "--plain", "--tasks", "1", "--minutes", "0.05", input_text="")
    assert "exam paused with " in paused.stdout
    time.sleep(0.1)
    history = run_cli("exam", "--history", "--json")
    assert '"finished_at": null' in history.stdout


def test_history_lists_attempts_with_scores(home: Path) -> None:
    assert run_cli("exam", "--history").stdout == "no exam attempts yet: start one with `ckaquiz exam`\n"
    run_cli("exam", "--plain", "--tasks", "3", "--seed", "4", input_text="end\n", env=NOW)
    listed = run_cli("exam", "--history").stdout.splitlines()
    assert listed[0].startswith("2025-03-19 ")
    assert "  0.0% not passed  3 tasks  0s of 2h00m  seed 4  " in listed[0]
    assert listed[1] == "1 scored, 0 passed; last 0.0%, best 0.0%"


def test_no_tasks_is_one_clear_line(home: Path) -> None:
    result = run_cli("exam", "--plain", "--deck", "nothing-here", input_text="end\n")
    assert result.returncode == 1
    assert result.stderr.startswith("error: no exam tasks match")
    bad = run_cli("exam", "--plain", "--domain", "cooking")
    assert bad.returncode == 1
    assert "unknown CKA domain 'cooking'" in bad.stderr


def test_tasks_join_study_and_review_only_with_the_flag(home: Path) -> None:
    for command in ("study", "review"):
        without = run_cli(command, "--plain", input_text="")
        assert without.returncode == 0, without.stderr
        assert "--- card" not in without.stdout
        shown = run_cli(command, "--plain", "--with-tasks", input_text="\ns\n" * 3)  # no answer, then skip
        assert shown.returncode == 0, shown.stderr
        headers = [line for line in shown.stdout.splitlines() if line.startswith("--- card ")]
        assert sorted(line.split()[3] for line in headers) == ["mock:claim", "mock:logs", "mock:scale"]


def test_a_paper_smaller_than_asked_for_says_so_and_json_goes_with_history(home: Path) -> None:
    result = run_cli("exam", "--plain", "--tasks", "17", input_text="end\n", env=NOW)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "warning: only 3 tasks on different topics match; the paper has 3, not 17\n"
    assert "exam " in result.stdout and ": 3 tasks, 2h00m left" in result.stdout
    lonely = run_cli("exam", "--json")
    assert lonely.returncode == 1
    assert lonely.stderr.startswith("error: --json goes with --history")


def test_score_points_a_task_to_the_exam(home: Path) -> None:
    result = run_cli("score", "mock:scale", input_text="kubectl get pods\n")
    assert result.returncode == 1
    assert result.stderr == "error: mock:scale is an exam task: its steps are answered and scored in `ckaquiz exam`\n"
