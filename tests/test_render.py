"""Rich views rendered at width 80 without colour, compared as text."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console

from ckaquiz.model import Card, CardKind, Rating, Schedule, SourceLocation
from ckaquiz.session import QueueItem, Summary
from ckaquiz.store import StoredCard
from ckaquiz.ui import render

NOW = datetime(2025, 3, 19, 12, 0, tzinfo=UTC)


def text_of(renderable: object) -> str:
    console = Console(file=StringIO(), width=80, color_system=None)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def item(card: Card, lapses: int = 0) -> QueueItem:
    stored = StoredCard(number=1, card=card, schedule=Schedule(lapses=lapses))
    return QueueItem(stored=stored, outcomes={}, position=2, total=9, shown_at=NOW)


CARD = Card(
    id="d:1", deck="cka-static-pods", kind=CardKind.BASIC, prompt="Who runs [[Static pods|static pods]]?",
    answer="The **kubelet**", source=SourceLocation("d.md", 1), tags=("cka", "static-pods"),
    reference="https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/",
)


def test_card_panel_shows_deck_kind_progress_and_tags() -> None:
    lines = text_of(render.card_panel(item(CARD), 65)).splitlines()
    assert lines[0].startswith("╭") and "cka-static-pods · basic" in lines[0]
    assert "Who runs static pods?" in lines[1]
    assert "#cka #static-pods" in lines[-2]  # the tags: a line of their own inside the panel
    assert "card 2 of 9" in lines[-1] and "1:05" not in lines[-1]  # one clock only: the editor's
    assert all(len(line) == 80 for line in lines)


def test_long_tags_wrap_inside_the_panel_instead_of_being_cut() -> None:
    tags = ("cka", "cka/workloads-scheduling", "node-affinity-and-anti-affinity", "scheduling", "admission-control")
    shown = text_of(render.card_panel(item(replace(CARD, tags=tags)), 0))
    joined = "".join(line.strip("│ ") for line in shown.splitlines())
    assert all(f"#{tag}" in joined for tag in tags)
    assert "…" not in shown


def test_leech_marker() -> None:
    assert "leech: forgotten 9 times" in text_of(render.card_panel(item(CARD, lapses=9), 0, leech=True))
    assert "leech" not in text_of(render.card_panel(item(CARD), 0))


def test_answer_panel_shows_reference() -> None:
    output = text_of(render.answer_panel(CARD, "kubelet"))
    assert "you answered: kubelet" in output
    assert "kubelet" in output and "docs: https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/" in output


def test_recall_result_marks_points_without_colour() -> None:
    result = {
        "coverage": 0.5,
        "points": [
            {"text": "created by the kubelet", "score": 1.0, "status": "recalled"},
            {"text": "mirror pods are read-only", "score": 0.4, "status": "partial"},
            {"text": "staticPodPath", "score": 0.0, "status": "missed"},
        ],
        "unmatched": ["pods live on the moon"],
    }
    output = text_of(render.recall_result(result))
    assert "✔ created by the kubelet" in output
    assert "~ mirror pods are read-only" in output
    assert "✘ staticPodPath" in output
    assert "coverage ███████████████░░░░░░░░░░░░░░░ 50%" in output
    assert "? pods live on the moon" in output


def test_summary_panel() -> None:
    summary = Summary(session_id="s", counts={Rating.AGAIN: 1, Rating.HARD: 0, Rating.GOOD: 2, Rating.EASY: 0},
                      new_learned=2, seconds=125, next_due=None)
    output = text_of(render.summary_panel(summary))
    assert "reviewed           3" in output
    assert "again 1  hard 0  good 2  easy 0" in output
    assert "2:05" in output


def test_deck_text_is_never_markup_or_control_codes() -> None:
    hostile = Card(id="d:2", deck="[red]x[/red]", kind=CardKind.BASIC, prompt="\x1b]0;pwned\x07[bold]hi[/bold]\x1b[2J",
                   answer="[link=http://x]y[/link]", source=SourceLocation("d.md", 1))
    output = text_of(render.card_panel(item(hostile), 0)) + text_of(render.answer_panel(hostile))
    assert "\x1b" not in output
    assert "[red]x[/red]" in output and "[bold]hi[/bold]" in output and "[link=http://x]y[/link]" in output



def _characters(text: str) -> str:
    """Text without borders, spaces and line breaks."""
    return "".join(char for char in text if not char.isspace() and char not in "│╭╮╰╯─")


@pytest.mark.parametrize("width", [100, 80, 50])
@pytest.mark.parametrize("seed", range(12))
def test_the_written_recall_loses_no_character_at_any_width(width: int, seed: int) -> None:
    words = ["네임스페이스에", "삭제", "중인", "생성을", "막는다.", "스태틱(static)", "파드는", "kubelet이", "만든다"]
    chooser = random.Random(seed)
    written = " ".join(chooser.choice(words) for _ in range(40))
    notes = " ".join(chooser.choice(words) for _ in range(30))
    card = replace(CARD, kind=CardKind.RECALL, answer=notes, reference="")
    console = Console(file=StringIO(), width=width, color_system=None)
    console.print(render.answer_panel(card, written))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    lines = output.splitlines()
    assert "…" not in output
    assert max(cell_len(line) for line in lines) <= width
    if width >= render.SIDE_BY_SIDE_WIDTH:  # the first panel is the left part of each line
        left = [line.split("│")[1] for line in lines if line.count("│") >= 2]
        assert _characters("".join(left)) == _characters(written)
    else:  # stacked: the panel comes first, whole
        assert _characters(output).startswith("youwrote" + _characters(written))
