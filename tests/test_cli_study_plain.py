"""`ckaquiz study --plain` end to end in subprocesses, over a simulated week with CKAQUIZ_NOW."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import fsrs

from tests.conftest import run_cli


def fsrs_due(ratings: list[tuple[datetime, int]]) -> str:
    """The due date fsrs itself gives after these answers (fuzz off), as ckaquiz stores it.

    Written out here as Anki orders the four intervals: once Good (Easy) is a review interval, it is
    at least one day longer than Hard (Good) if that is a review interval too, else at least a day.
    """
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=ratings[0][0])
    for moment, rating in ratings:
        answers = {grade: scheduler.review_card(card, fsrs.Rating(grade), review_datetime=moment)[0] for grade in (2, 3, 4)}
        answers[1] = scheduler.review_card(card, fsrs.Rating(1), review_datetime=moment)[0]
        below = answers[2]
        for grade in (3, 4):
            current = answers[grade]
            if current.state is fsrs.State.Review:
                days = round((current.due - moment).total_seconds() / 86400)
                floor = round((below.due - moment).total_seconds() / 86400) + 1 if below.state is fsrs.State.Review else 1
                if days < floor:
                    current.due = moment + timedelta(days=floor)
            below = current
        card = answers[rating]
    return card.due.isoformat(timespec="microseconds")


DECK = """\
deck: week
tags: [cka]
cards:
  - {front: "What runs static pods?", back: the kubelet, id: kubelet}
  - {front: "Taint effect that evicts?", back: NoExecute, id: noexecute}
  - kind: recall
    id: webhooks
    topic: Admission webhooks
    notes: |
      - deploy a server
      - expose it with a Service
"""


def setup_home(home: Path, tmp_path: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "week.yaml"
    deck.write_text(DECK, encoding="utf-8")
    result = run_cli("import", str(deck))
    assert result.returncode == 0, result.stderr
    return deck


def cards_json(now: str) -> dict[str, dict[str, object]]:
    result = run_cli("cards", "--json", env={"CKAQUIZ_NOW": now})
    assert result.returncode == 0, result.stderr
    return {card["id"]: card for card in json.loads(result.stdout)}


def test_plain_protocol_lines(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    result = run_cli("study", "--plain", input_text="kubelet\n3\n\nq\n", env={"CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "--- card 1/3 week:kubelet",
        "What runs static pods?",
        "answer:",
        "the kubelet",
        "grade: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 8d",
        "--- card 2/4 week:noexecute",
    ]
    assert lines[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"


def test_recall_answer_reads_until_a_dot_line(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    answers = "\n".join(["", "s", "", "s", "deploy a server", "with a Service", ".", "good"]) + "\n"
    result = run_cli("study", "--plain", input_text=answers, env={"CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"})
    assert result.returncode == 0, result.stderr
    assert "--- card 3/3 week:webhooks" in result.stdout
    assert result.stdout.splitlines()[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT response FROM attempts").fetchall() == [("deploy a server\nwith a Service",)]


def test_a_week_of_study_moves_due_dates_as_fsrs_says(isolated_home: Path, tmp_path: Path) -> None:
    setup_home(isolated_home, tmp_path)
    # the recall card's second Good on day 0 comes through the learn-ahead window, as every card's does
    with (isolated_home / "config.toml").open("a", encoding="utf-8") as config:
        config.write("skip_recall_learn_ahead = false\n")
    start = datetime.fromisoformat("2025-03-19T09:00:00+00:00")
    # day 0: every card Good, twice (the 10 minute learning step comes back at the end)
    day0 = run_cli("study", "--plain", input_text=("x\n3\n" + "x\n3\n" + "x\n.\n3\n") * 2, env={"CKAQUIZ_NOW": start.isoformat()})
    assert day0.stdout.splitlines()[-1] == "reviewed 6 cards: again 0, hard 0, good 6, easy 0"
    state = cards_json(start.isoformat())
    assert {card_id: (card["state"], card["due"], card["reps"]) for card_id, card in state.items()} == {
        card_id: ("review", fsrs_due([(start, 3), (start, 3)]), 2) for card_id in ("week:kubelet", "week:noexecute", "week:webhooks")
    }
    # day 1: nothing is due yet
    day1 = run_cli("study", "--plain", input_text="", env={"CKAQUIZ_NOW": (start + timedelta(days=1)).isoformat()})
    assert day1.stdout.splitlines() == ["reviewed 0 cards: again 0, hard 0, good 0, easy 0"]
    # day 2: all three due; kubelet Good, noexecute Again (relearning), webhooks Easy
    day2_now = start + timedelta(days=2)
    day2 = run_cli("study", "--plain", input_text="x\n3\nx\n1\nx\n.\n4\nx\n3\n", env={"CKAQUIZ_NOW": day2_now.isoformat()})
    assert day2.stdout.splitlines()[-1] == "reviewed 4 cards: again 1, hard 0, good 2, easy 1"
    state = cards_json(day2_now.isoformat())
    day0_answers = [(start, 3), (start, 3)]
    assert state["week:kubelet"]["state"] == "review"
    assert state["week:kubelet"]["due"] == fsrs_due([*day0_answers, (day2_now, 3)])
    assert (state["week:noexecute"]["state"], state["week:noexecute"]["lapses"]) == ("review", 1)
    assert state["week:noexecute"]["due"] == fsrs_due([*day0_answers, (day2_now, 1), (day2_now, 3)])
    assert state["week:webhooks"]["due"] == fsrs_due([*day0_answers, (day2_now, 4)])
    # day 3: only the lapsed card is due
    day3 = run_cli("study", "--plain", input_text="x\n3\n", env={"CKAQUIZ_NOW": (start + timedelta(days=3)).isoformat()})
    assert day3.stdout.splitlines()[0] == "--- card 1/1 week:noexecute"
    assert day3.stdout.splitlines()[-1] == "reviewed 1 cards: again 0, hard 0, good 1, easy 0"
    day3_answers = [*day0_answers, (day2_now, 1), (day2_now, 3), (start + timedelta(days=3), 3)]
    assert cards_json((start + timedelta(days=3)).isoformat())["week:noexecute"]["due"] == fsrs_due(day3_answers)
    # day 6: the lapsed card is due again, as fsrs_due(day3_answers) says (2025-03-25: Hard was two
    # days, so Good is three)
    assert fsrs_due(day3_answers).startswith("2025-03-25")
    day5_now = start + timedelta(days=6)
    day5 = run_cli("study", "--plain", input_text="x\n3\n", env={"CKAQUIZ_NOW": day5_now.isoformat()})
    assert day5.stdout.splitlines()[0] == "--- card 1/1 week:noexecute"
    assert cards_json(day5_now.isoformat())["week:noexecute"]["due"] == fsrs_due([*day3_answers, (day5_now, 3)])
    # day 7: nothing due; the log holds every answer
    day7 = run_cli("study", "--plain", input_text="", env={"CKAQUIZ_NOW": (start + timedelta(days=7)).isoformat()})
    assert day7.stdout.splitlines() == ["reviewed 0 cards: again 0, hard 0, good 0, easy 0"]
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    assert database.execute("SELECT count(*) FROM reviews").fetchone()[0] == 12
