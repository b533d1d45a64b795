"""Text from decks made safe to print: no control codes, no Rich markup, readable links."""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from rich.markup import escape
from rich.text import Text

from ckaquiz.markup import CALLOUT, HIGHLIGHT, readable
from ckaquiz.printable import neutralise

__all__ = ["display_markdown", "markup_safe", "neutralise", "one_line", "plain_cell"]


def markup_safe(text: str) -> str:
    """Text from a note, file name or setting for a Rich markup string: filtered, its brackets escaped."""
    return escape(neutralise(text, single_line=True))


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




def display_markdown(text: str) -> str:
    """Deck or note Markdown made readable: Obsidian links as their text, callouts titled, highlights bold."""
    shown = CALLOUT.sub(_callout_title, readable(neutralise(text)))
    return HIGHLIGHT.sub(r"**\g<text>**", shown)


def _callout_title(match: re.Match[str]) -> str:
    if not match.group("quote"):
        return match.group(0)  # a callout is a quote; `[!note]` alone is text
    return f"{match.group('quote')}**{match.group('kind').capitalize()}: {match.group('title')}**"
