"""Text from decks made safe to print: no control codes, no Rich markup, readable links."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise(text: str) -> str:
    """Drop escape sequences and control characters (tabs and newlines stay)."""
    return _CONTROL.sub("", text)


def one_line(text: str, width: int = 70) -> str:
    """A single line for tables: newlines folded, cut with an ellipsis."""
    flat = " ".join(neutralise(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


_CALLOUT = re.compile(r"^(\s*>\s*)\[!(\w+)\][+-]?\s*(.*)$", re.MULTILINE)
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")


def display_markdown(text: str) -> str:
    """Deck or note Markdown made readable: Obsidian links as their text, callouts titled, highlights bold."""
    from ckaquiz.decks.markdown import readable

    shown = readable(neutralise(text))
    shown = _CALLOUT.sub(lambda match: f"{match.group(1)}**{match.group(2).capitalize()}: {match.group(3)}**", shown)
    return _HIGHLIGHT.sub(r"**\1**", shown)
