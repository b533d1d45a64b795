"""Sync events as JSON lines, and reading the synced folder as sync engines leave it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckaquiz.model import CardState, Rating, Schedule
from ckaquiz.store.sync_state import FileMark
from ckaquiz.sync.events import EVENT_VERSION, Event, EventProblem, decode, encode, review_data, schedule_values
from ckaquiz.sync.folder import append_lines, read_new

AT = "2025-03-19T09:00:00.000000+00:00"


def review_event(device: str, seq: int, card: str = "deck:c0", rating: Rating = Rating.GOOD) -> Event:
    after = Schedule(state=CardState.LEARNING, step=1, stability=2.5, difficulty=5.25, reps=1)
    data = {
        "rating": int(rating),
        "duration_ms": 1200,
        "session": "s1",
        "before": schedule_values(Schedule()),
        "after": schedule_values(after),
        "attempts": [
            {
                "kind": "recall",
                "response": "kubectl get pods ✓",
                "duration_ms": 1200,
                "result": {"coverage": 0.5},
                "score": 0.5,
                "suggested": 3,
                "final": 3,
                "at": AT,
            }
        ],
    }
    return Event(f"{device}-{seq}", device, seq, AT, "review", card, data)


def test_an_event_round_trips_through_its_line() -> None:
    event = review_event("aa11", 1)
    line = encode(event)
    assert "\n" not in line
    back = decode(line)
    assert back == event
    assert back.data == event.data
    review = review_data(back)
    assert review.rating is Rating.GOOD
    assert review.after.stability == 2.5
    assert review.attempts[0]["response"] == "kubectl get pods ✓"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"v": 1, "id": "a-1"}', "missing"),
        ('{"v": 99, "id": "a-1"}', "newer ckaquiz (event version 99"),
        ('{"hello": "world"}', "not a ckaquiz sync event"),
        (
            '{"v":1,"id":"a-2","device":"a","seq":1,"at":"2025-03-19T09:00:00+00:00","kind":"undo","card":"x",'
            '"review":"a-1"}',
            "its id is not",
        ),
        (
            '{"v":1,"id":"a-1","device":"a","seq":1,"at":"2025-03-19T09:00:00+00:00","kind":"review","card":"x"}',
            "bad field",
        ),
        (
            '{"v":1,"id":"a-1","device":"a","seq":1,"at":"yesterday","kind":"undo","card":"x","review":"a-0"}',
            "bad time",
        ),
    ],
)
def test_a_bad_line_says_what_is_wrong(line: str, words: str) -> None:
    with pytest.raises(EventProblem, match=words.replace("(", r"\(")):
        decode(line)


def device_folder(root: Path, device: str) -> Path:
    folder = root / "devices" / device
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_truncated_last_line_is_read_once_it_is_complete(tmp_path: Path) -> None:
    lines = [encode(review_event("bb22", seq)) for seq in (1, 2, 3)]
    file = device_folder(tmp_path, "bb22") / "2025-03.jsonl"
    text = "".join(line + "\n" for line in lines)
    cut = len(lines[0]) + 1 + len(lines[1]) // 2
    file.write_text(text[:cut], encoding="utf-8")
    first = read_new(tmp_path, "me", {})
    assert [event.seq for event in first.events] == [1]
    assert first.problems == []
    file.write_text(text, encoding="utf-8")
    second = read_new(tmp_path, "me", first.marks)
    assert [event.seq for event in second.events] == [2, 3]
    third = read_new(tmp_path, "me", first.marks | second.marks)
    assert third.events == [] and third.marks == {}  # unchanged files cost a stat


def test_conflict_copies_are_read_and_own_files_are_not(tmp_path: Path) -> None:
    lines = [encode(review_event("cc33", seq)) for seq in (1, 2)]
    folder = device_folder(tmp_path, "cc33")
    names = [
        "2025-03.jsonl",
        "2025-03.sync-conflict-20250319-090000-ABCDEFG.jsonl",
        "2025-03 (conflicted copy).jsonl",
        "2025-03 (Alex's conflicted copy 2025-03-19).jsonl",
        "2025-03 2.jsonl",
    ]
    for name in names:
        (folder / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    (device_folder(tmp_path, "me") / "2025-03.jsonl").write_text(encode(review_event("me", 1)) + "\n", "utf-8")
    (folder / ".hidden.jsonl").write_text("junk\n", encoding="utf-8")
    found = read_new(tmp_path, "me", {})
    assert found.problems == []
    assert len(found.events) == 2 * len(names)
    assert {event.id for event in found.events} == {"cc33-1", "cc33-2"}
    assert len(found.marks) == len(names)


def test_bad_lines_and_foreign_files_get_one_warning_each_naming_file_and_line(tmp_path: Path) -> None:
    folder = device_folder(tmp_path, "dd44")
    good = encode(review_event("dd44", 1))
    newer = good.replace(f'"v":{EVENT_VERSION}', '"v":7')
    (folder / "2025-03.jsonl").write_text(f"{good}\nnot json at all\n{newer}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("shopping list\n", encoding="utf-8")
    found = read_new(tmp_path, "me", {})
    assert [event.id for event in found.events] == ["dd44-1"]
    assert found.problems == [
        f"{folder / '2025-03.jsonl'}:2: not a ckaquiz sync event (not JSON)",
        f"{folder / '2025-03.jsonl'}:3: written by a newer ckaquiz (event version 7, this one reads 1)",
        f"{folder / 'notes.txt'}:1: not a ckaquiz sync file (skipped)",
    ]
    again = read_new(tmp_path, "me", found.marks)
    assert again.problems == [] and again.events == []
    with (folder / "2025-03.jsonl").open("a", encoding="utf-8") as file:
        file.write("\x00\x01\n")
    later = read_new(tmp_path, "me", found.marks)
    assert later.problems == [f"{folder / '2025-03.jsonl'}:4: not a ckaquiz sync event (not JSON)"]


def test_a_file_replaced_by_a_shorter_copy_is_read_again(tmp_path: Path) -> None:
    folder = device_folder(tmp_path, "ee55")
    lines = [encode(review_event("ee55", seq)) for seq in (1, 2, 3)]
    file = folder / "2025-03.jsonl"
    file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    first = read_new(tmp_path, "me", {})
    file.write_text(lines[0] + "\n", encoding="utf-8")
    second = read_new(tmp_path, "me", first.marks)
    assert [event.seq for event in second.events] == [1]


def test_appending_cuts_a_partial_last_line_of_its_own_file_first(tmp_path: Path) -> None:
    file = tmp_path / "devices" / "me" / "2025-03.jsonl"
    append_lines(file, ["one"])
    with file.open("a", encoding="utf-8") as handle:
        handle.write('{"half')  # a process killed while writing
    append_lines(file, ["two", "three"])
    assert file.read_text(encoding="utf-8") == "one\ntwo\nthree\n"
    assert FileMark().read_to == 0
