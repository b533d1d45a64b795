"""Text from decks made safe to print: no control codes, no Rich markup, readable links."""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise(text: str) -> str:
    """Drop escape sequences and control characters (tabs and newlines stay), in NFC form.

    NFC joins decomposed Korean jamo and accents (as macOS file names give them) into the
    characters every terminal draws at the width Rich measures.
    """
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def one_line(text: str, width: int = 70) -> str:
    """A single line for tables: newlines folded, cut to `width` terminal cells with an ellipsis."""
    flat = " ".join(neutralise(text).split())
    if cell_len(flat) <= width:
        return flat
    kept: list[str] = []
    used = 0
    for character in flat:
        size = get_character_cell_size(character)
        if used + size > width - 1:
            break  # a wide character never straddles the edge; combining marks stay with their base
        kept.append(character)
        used += size
    return "".join(kept) + "…"


def plain_cell(text: str, width: int | None = None) -> Text:
    """Deck text for a Rich table cell or title: shown as written, never read as markup."""
    return Text(one_line(text, width) if width is not None else neutralise(text))


_CALLOUT = re.compile(r"^(\s*>\s*)\[!(\w+)\][+-]?\s*(.*)$", re.MULTILINE)
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")


def display_markdown(text: str) -> str:
    """Deck or note Markdown made readable: Obsidian links as their text, callouts titled, highlights bold."""
    from ckaquiz.decks.markdown import readable

    shown = readable(neutralise(text))
    shown = _CALLOUT.sub(lambda match: f"{match.group(1)}**{match.group(2).capitalize()}: {match.group(3)}**", shown)
    return _HIGHLIGHT.sub(r"**\1**", shown)
