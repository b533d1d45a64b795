"""What the grade line's keys mean, defined once for both front ends.

The terminal binds each key to its menu line; the plain protocol reads the key or the word on a
line of its own. After a grade-line control the session either moves on (undo, skip, suspend,
bury), comes back to the same grade line (flag, edit, link), or ends (quit).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ckaquiz.model import Rating


class Control(Enum):
    """A grade-line action other than a grade."""

    UNDO = "undo"
    SKIP = "skip"
    SUSPEND = "suspend"
    BURY = "bury"
    FLAG = "flag"
    EDIT = "edit"
    LINK = "link"
    QUIT = "quit"


@dataclass(frozen=True)
class ControlKey:
    """One control: its key, the word the plain protocol also takes, its menu line and its hint."""

    control: Control
    key: str
    word: str
    title: str
    hint: str


CONTROL_KEYS = (
    ControlKey(Control.UNDO, "u", "undo", "Undo last grade", "u (undo)"),
    ControlKey(Control.SKIP, "s", "skip", "Skip this card", "s (skip)"),
    ControlKey(Control.SUSPEND, "!", "suspend", "Suspend this card", "! (suspend)"),
    ControlKey(Control.BURY, "-", "bury", "Bury until tomorrow", "- (bury)"),
    ControlKey(Control.FLAG, "f", "flag", "Flag or unflag", "f (flag)"),
    ControlKey(Control.EDIT, "e", "edit", "Edit the note in the editor", "e (edit the note)"),
    ControlKey(Control.LINK, "o", "obsidian", "Obsidian link to the note", "o (Obsidian link)"),
    ControlKey(Control.QUIT, "q", "quit", "Quit", "q (quit)"),
)
"""The controls in the order the terminal's menu lists them."""

STAYING = frozenset({Control.FLAG, Control.EDIT, Control.LINK})
"""Controls after which the same card's grade line is asked again."""

_BY_TEXT = {text: item.control for item in CONTROL_KEYS for text in (item.key, item.word)}
_HINT_ORDER = (Control.SKIP, Control.UNDO, Control.SUSPEND, Control.BURY, Control.FLAG, Control.EDIT, Control.LINK)
_HINTS = {item.control: item.hint for item in CONTROL_KEYS}

GRADE_LINE_HINT = (
    "please answer 1-4, again, hard, good, easy, "
    + ", ".join(_HINTS[control] for control in _HINT_ORDER)
    + f" or {_HINTS[Control.QUIT]}"
)
"""What the plain protocol says to a line it cannot read."""


def read_grade_line(text: str) -> Rating | Control | None:
    """A grade (`1`-`4` or its word) or a control (its key or word) from a typed line; None for anything else."""
    word = text.strip().lower()
    control = _BY_TEXT.get(word)
    return control if control is not None else Rating.parse(word)
