"""Text from decks reaches the terminal as text: escape sequences and control characters are
dropped (a note cannot retitle or clear the terminal) and Rich markup shows literally."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from ckaquiz.collection import Collection
from ckaquiz.session import QueueItem, Session
from ckaquiz.ui.render import answer_panel, card_panel
from ckaquiz.ui.text import neutralise, one_line, plain_cell
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home

# YAML double-quoted escapes: \e is ESC, \a is BEL, \x9b is the one-byte CSI
EVIL_DECK = r"""deck: "evil\e]0;pwned\a deck"
tags: ["\e[2Jtag", "[red]tagged[/red]"]
cards:
  - id: basic
    front: "\e]0;pwned\aWhich \e[2Jcomponent\e[31m runs\e[0m static pods? [red]alarm[/red] [link=http://evil]click[/link]"
    back: "the \x9b2Jkubelet \e]8;;http://evil\e\\link\e]8;;\e\\ [bold]not bold[/bold]\rOVERWRITTEN\b\b"
    explanation: "\e[2J\e[H why [blink]it[/blink]"
    reference: "https://example.com/\e]0;pwned\a[/link]"
  - kind: choice
    id: choice
    question: "Pick \e[5mone\e[0m"
    options: ["\e[2Jfirst [red]x[/red]", "second"]
    answer: second
  - kind: recall
    id: recall
    topic: "Static pods \e]2;title\e\\"
    notes: |
      - created by the kubelet \e[2J
      - [red]markup[/red] in a note
"""
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9d", "\x08", "\r")
MARKUP = ("[red]alarm[/red]", "[link=http://evil]click[/link]")


def assert_no_controls(text: str) -> None:
    for character in FORBIDDEN:
        assert character not in text, (character, text[:300])


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07title", "title"),  # OSC set-title, ended by BEL
        ("\x1b]0;pwned\x1b\\title", "title"),  # OSC ended by ST
        ("a\x1b[2Jb", "ab"),  # clear screen
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear and home
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),  # hyperlink
        ("a\x9b2Jb", "ab"),  # one-byte CSI: removed whole, as its seven-bit form is
        ("a\x1bcb", "ab"),  # full reset
        ("safe\rEVIL", "safeEVIL"),  # carriage return cannot overwrite the line
        ("bell\x07\x08\x7f", "bell"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("lone escape at the end\x1b", "lone escape at the end"),
        ("[red]markup[/red] stays text", "[red]markup[/red] stays text"),
        ("한국어 日本語 🚀", "한국어 日本語 🚀"),
    ],
)
def test_neutralise(raw: str, shown: str) -> None:
    assert neutralise(raw) == shown
    assert neutralise(shown) == shown


def test_plain_protocol_prints_deck_text_as_text(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "evil.yaml"
    deck.write_text(EVIL_DECK, encoding="utf-8")
    imported = run_cli("import", str(deck))
    assert imported.returncode == 0, imported.stderr
    assert_no_controls(imported.stdout + imported.stderr)
    answers = "answer \x1b[2J\n3\n2\n3\n[red]typed[/red]\n.\n3\n"  # basic, choice, recall
    result = run_cli("review", "--plain", input_text=answers)
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout + result.stderr)
    for text in (*MARKUP, "Which component runs static pods?", "[bold]not bold[/bold]", "[blink]it[/blink]",
                 "first [red]x[/red]", "explanation:  why [blink]it[/blink]"):
        assert text in result.stdout, text
    assert "OVERWRITTEN" in result.stdout  # still shown, but can no longer overwrite the line
    assert result.stdout.splitlines()[-1] == "reviewed 3 cards: again 0, hard 0, good 3, easy 0"


def queue_items(collection: Collection, tmp_path: Path) -> list[QueueItem]:
    deck = tmp_path / "evil.yaml"
    deck.write_text(EVIL_DECK, encoding="utf-8")
    collection.import_path(deck)
    session = Session(collection)
    items: list[QueueItem] = []
    while (item := session.next_card()) is not None:
        items.append(item)
        session.skip()
    return items


def render(renderable: object, *, colour: bool = False, width: int = 80) -> str:
    output = StringIO()
    console = Console(
        file=output,
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        legacy_windows=False,
    )
    console.print(renderable)
    return output.getvalue()


def test_rich_panels_show_deck_text_as_text(collection: Collection, tmp_path: Path) -> None:
    items = queue_items(collection, tmp_path)
    assert [item.card.id.split(":")[-1] for item in items] == ["basic", "choice", "recall"]
    for item in items:
        for renderable in (
            card_panel(item, 65.0),
            answer_panel(item.card, "typed \x1b[2J [red]answer[/red]", ["line \x1b]0;x\x07 [red]one[/red]"]),
        ):
            plain = render(renderable)
            assert "\x1b" not in plain
            assert_no_controls(plain)
            coloured = render(renderable, colour=True)
            assert "\x1b]" not in coloured and "\x1b[2J" not in coloured and "\x1b[H" not in coloured
            assert "\x07" not in coloured and "\x9b" not in coloured
    question = render(card_panel(items[0], 65.0))
    for text in MARKUP:
        assert text in question.replace("│", "").replace("\n", "") or text in " ".join(question.split()), text
    answer = render(answer_panel(items[0].card, None))
    assert "[bold]not bold[/bold]" in answer and "[blink]it[/blink]" in answer
    choice = render(card_panel(items[1], 0.0))
    assert "[red]x[/red]" in choice
    recall = render(answer_panel(items[2].card, "[red]typed[/red] \x1b[2J"))
    assert "[red]typed[/red]" in recall and "[red]markup[/red]" in recall


def test_table_cells_show_markup_literally() -> None:
    table = Table()
    table.add_column("prompt")
    table.add_row(plain_cell("[red]alarm[/red] [link=http://evil]click[/link] \x1b[2J", 70))
    shown = render(table)
    assert "[red]alarm[/red] [link=http://evil]click[/link]" in shown
    assert "\x1b]" not in render(table, colour=True)


def test_one_line_is_one_line_without_controls() -> None:
    assert one_line("first\nsecond\r\nthird\x1b[2J\tfourth", 70) == "first second third fourth"
    assert one_line("x" * 100, 10) == "x" * 9 + "…"


def test_cards_and_decks_tables_show_markup_literally(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "markup.yaml"
    deck.write_text(
        'deck: "[bold]deck[/bold]"\ncards:\n'
        '  - {front: "[red]alarm[/red] [link=http://evil]click[/link] \\e[2J", back: b, id: one}\n',
        encoding="utf-8",
    )
    assert run_cli("import", str(deck)).returncode == 0
    listed = run_cli("cards")
    assert listed.returncode == 0, listed.stderr
    assert_no_controls(listed.stdout)
    assert "[red]alarm[/red]" in listed.stdout
    decks = run_cli("decks")
    assert decks.returncode == 0, decks.stderr
    assert "[bold]deck[/bold]" in decks.stdout
