"""Korean, Japanese, emoji and combining characters keep panels and tables lined up, and NFC and
NFD forms of the same Korean text match each other in tag filters."""

from __future__ import annotations

import unicodedata
from io import StringIO
from pathlib import Path
from typing import Literal

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ckaquiz.collection import Collection
from ckaquiz.filters import Filters, tag_matches
from ckaquiz.model import Card, CardKind, SourceLocation
from ckaquiz.session import QueueItem, Session
from ckaquiz.ui.render import answer_panel, card_panel
from ckaquiz.ui.text import neutralise, one_line, plain_cell
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home

KOREAN = "쿠버네티스 노드에서 정적 파드를 만드는 구성 요소는 무엇입니까?"
JAPANESE = "静的ポッドを作成するのはどのコンポーネントですか？"
EMOJI = "🚀 kubelet 👩‍💻 🇰🇷 👍🏽"
COMBINING = "cafe\u0301 nai\u0308ve re\u0301sume\u0301 Z\u0335\u0321a\u0336\u0322lgo"
NFD_KOREAN = unicodedata.normalize("NFD", "한국어 노트")

DECK = f"""deck: 다국어
tags: [한국어, 日本語, "🚀"]
cards:
  - {{front: "{KOREAN}", back: "{JAPANESE}", id: ko}}
  - {{front: "{JAPANESE} {EMOJI}", back: "{EMOJI} {KOREAN}", id: ja}}
  - {{front: "{COMBINING}", back: "{NFD_KOREAN}", id: marks}}
  - kind: recall
    id: recall
    topic: "{KOREAN}"
    notes: |
      - {KOREAN}
      - {JAPANESE} {EMOJI}
      | 구성 요소 | 役割 |
      |---|---|
      | kubelet 🚀 | 静的ポッド |
"""


def render(renderable: object, width: int = 80) -> list[str]:
    output = StringIO()
    Console(file=output, width=width, color_system=None, legacy_windows=False).print(renderable)
    return output.getvalue().splitlines()


def assert_lined_up(lines: list[str], width: int) -> None:
    """Every line of a bordered renderable fills the same number of terminal cells."""
    widths = {cell_len(line) for line in lines}
    assert widths == {width}, [(cell_len(line), line) for line in lines if cell_len(line) != width]


@pytest.fixture
def items(collection: Collection, tmp_path: Path) -> list[QueueItem]:
    deck = tmp_path / "multilingual.yaml"
    deck.write_text(DECK, encoding="utf-8")
    _, report = collection.import_path(deck)
    assert report.problems == []
    session = Session(collection)
    found: list[QueueItem] = []
    while (item := session.next_card()) is not None:
        found.append(item)
        session.skip()
    assert len(found) == 4
    return found


@pytest.mark.parametrize("width", [80, 60, 41])
def test_question_panels_line_up(items: list[QueueItem], width: int) -> None:
    for item in items:
        assert_lined_up(render(card_panel(item, 3725.0), width), width)


@pytest.mark.parametrize("width", [80, 50])
def test_answer_panels_line_up(items: list[QueueItem], width: int) -> None:
    for item in items:
        lines = render(answer_panel(item.card, f"{KOREAN}\n{EMOJI}\n{COMBINING}"), width)
        bordered = [line for line in lines if line[:1] in "╭│╰┌└"]
        assert bordered, lines
        assert_lined_up(bordered, width)


def test_panels_show_the_text(items: list[QueueItem]) -> None:
    shown = "\n".join(render(card_panel(items[0], 0.0), 80))
    assert "쿠버네티스" in shown and "#한국어" in shown and "다국어" in shown
    marks = next(item for item in items if item.card.id.endswith(":marks"))
    answer = "\n".join(render(answer_panel(marks.card), 80))
    assert "한국어 노트" in answer  # decomposed jamo are shown composed
    assert NFD_KOREAN not in answer


def test_tables_line_up() -> None:
    table = Table(title="cards")
    for column in ("id", "prompt"):
        table.add_column(column, overflow="fold" if column == "id" else "ellipsis")
    for text in (KOREAN, JAPANESE, EMOJI, COMBINING, NFD_KOREAN, "plain ascii"):
        table.add_row(plain_cell(f"deck:{text[:6]}"), plain_cell(text, 40))
    for width in (80, 45):
        lines = render(table, width)
        bordered = [line for line in lines if line[:1] in "┏┃┡│└"]
        assert len({cell_len(line) for line in bordered}) == 1, bordered


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("한국어 텍스트", 7, "한국어…"),  # 3 wide characters fill 6 cells, the ellipsis the 7th
        ("한국어 텍스트", 6, "한국…"),  # a wide character never straddles the edge
        ("日本語のテキスト", 9, "日本語の…"),
        ("🚀🚀🚀🚀", 5, "🚀🚀…"),
        ("cafe\u0301 au lait", 5, "café…"),  # the accent stays with its letter
        ("short", 10, "short"),
        ("한국어", 6, "한국어"),
    ],
)
def test_one_line_cuts_by_cells(text: str, width: int, expected: str) -> None:
    cut = one_line(text, width)
    assert cut == expected
    assert cell_len(cut) <= width


def test_neutralise_composes_decomposed_text() -> None:
    assert neutralise(NFD_KOREAN) == "한국어 노트"
    assert neutralise("e\u0301") == "é"
    assert neutralise("👩‍💻") == "👩‍💻"  # joiners inside emoji sequences are kept


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_nfc_and_nfd_tags_match(form: Literal["NFC", "NFD"]) -> None:
    nfc = "한국어/네트워크"
    other = unicodedata.normalize(form, nfc)
    assert tag_matches(other, nfc)
    assert tag_matches(nfc, other)
    assert tag_matches(unicodedata.normalize(form, "한국어"), unicodedata.normalize("NFD", nfc))
    assert tag_matches(unicodedata.normalize(form, "한국*"), nfc)
    card = Card(id="d:1", deck="d", kind=CardKind.BASIC, prompt="q", answer="a",
                source=SourceLocation("d.yaml", 1), tags=(unicodedata.normalize("NFD", nfc),))
    assert Filters(tags=(unicodedata.normalize(form, "한국어"),)).matches(card)


def test_nfd_tag_filter_finds_nfc_cards_through_the_cli(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "tags.yaml"
    deck.write_text(
        "deck: tags\ncards:\n"
        f"  - {{front: nfc, back: a, id: nfc, tags: [{unicodedata.normalize('NFC', '한국어')}]}}\n"
        f"  - {{front: nfd, back: a, id: nfd, tags: [{unicodedata.normalize('NFD', '한국어')}]}}\n"
        "  - {front: other, back: a, id: other, tags: [english]}\n",
        encoding="utf-8",
    )
    assert run_cli("import", str(deck)).returncode == 0
    for form in ("NFC", "NFD"):  # both spellings of the same tag
        result = run_cli("cards", "--json", "--tag", unicodedata.normalize(form, "한국어"))
        assert result.returncode == 0, result.stderr
        assert '"tags:nfc"' in result.stdout and '"tags:nfd"' in result.stdout
        assert '"tags:other"' not in result.stdout
