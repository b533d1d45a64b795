"""Korean recall in a real terminal at 100 and 50 columns: no character of what was typed or of the
notes is lost from the screen, and the two panels stack below 100 columns."""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

import pexpect
import pytest
from rich.cells import cell_len

from tests.conftest import run_cli

POINTS = (
    "요청(requests)은 스케줄러가 파드를 놓을 노드를 고를 때 쓰는 값이다",
    "한도(limits)는 kubelet과 컨테이너 런타임이 실행 중에 강제한다",
    "메모리 한도를 넘은 컨테이너는 OOMKilled로 종료되고 재시작 정책에 따라 다시 뜬다",
    "CPU 한도를 넘으면 종료되지 않고 스로틀링된다",
)
DECK = "deck: 한국어\ncards:\n  - kind: recall\n    id: resources\n    topic: 리소스 요청과 한도\n    notes: |\n" + "".join(
    f"      - {point}\n" for point in POINTS
)
TYPED = (
    "요청은 스케줄러가 노드를 고를 때 보는 값이고 한도는 kubelet이 실행 중에 지키게 한다. "
    "메모리 한도를 넘기면 OOMKilled로 죽고 CPU는 스로틀링된다. requiredDuringSchedulingIgnoredDuringExecution"
)
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
_DRAWING = re.compile(r"[\s│╭╮╰╯─┃━┏┓┗┛]")


@pytest.fixture
def korean_home(isolated_home: Path, tmp_path: Path) -> Path:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "korean.yaml"
    deck.write_text(DECK, encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    return isolated_home


def recall_screen(home: Path, columns: int) -> str:
    """Study the one recall card at `columns`, typing TYPED: the text the terminal received from
    the submit to the grade menu, without escape sequences."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ckaquiz", "study"],
        env=dict(os.environ, CKAQUIZ_HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                 CKAQUIZ_NOW="2025-03-19T09:00:00+00:00", COLUMNS=str(columns), LINES="50"),
        encoding="utf-8", dimensions=(50, columns), timeout=30,
    )
    child.expect("submits")
    child.send(TYPED)
    child.send("\x04")
    child.expect("coverage")
    screen = child.before
    child.expect("Quit")
    screen += child.before
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    return _ESCAPES.sub("", screen)


def missing_characters(expected: str, screen: str) -> Counter[str]:
    """The characters of `expected` (spaces aside) that the screen shows fewer times than `expected` holds them."""
    return Counter(_DRAWING.sub("", expected)) - Counter(_DRAWING.sub("", screen))


@pytest.mark.parametrize("columns", [100, 50])
def test_no_character_of_the_typed_text_or_the_notes_is_lost(korean_home: Path, columns: int) -> None:
    screen = recall_screen(korean_home, columns)
    assert "you wrote" in screen and "your recall against the notes" in screen
    assert not missing_characters(TYPED + "".join(POINTS), screen)
    assert "…" not in screen, "nothing is cut with an ellipsis"
    panel_lines = [line for line in screen.splitlines() if line.lstrip().startswith(("│", "╭", "╰"))]
    assert panel_lines
    assert max(cell_len(line.rstrip()) for line in panel_lines) <= columns, "every panel line fits, in cells"


@pytest.mark.parametrize(("columns", "side_by_side"), [(100, True), (50, False)])
def test_the_panels_stand_side_by_side_at_100_columns_and_stack_below(
    korean_home: Path, columns: int, side_by_side: bool
) -> None:
    screen = recall_screen(korean_home, columns)
    title_lines = [line for line in screen.splitlines() if "you wrote" in line]
    assert title_lines, "the typed text has its panel"
    assert ("your recall against the notes" in title_lines[-1]) is side_by_side
