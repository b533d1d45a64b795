"""The note a card was written in, to open: an editor command at its line, or an Obsidian link.

Editors are told the line as they understand it: `+LINE FILE` (vi, vim, nvim, nano, emacs,
micro and others of their family), `--goto FILE:LINE` (VS Code and its forks), `FILE:LINE`
(Sublime Text, Zed, Helix); any other editor gets the file alone. The editor is the
`editor_command` setting, else `$EDITOR`, else `$VISUAL`, else `vi`.

A card is from an Obsidian vault when a folder above its file holds `.obsidian/`; its link is
`obsidian://open?vault=<the vault folder's name>&file=<the note's path in the vault>`, both
URL-encoded, the note's `.md` left out as Obsidian writes its own links.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ckaquiz.model import Card

PLUS_LINE = frozenset(
    {"vi", "vim", "nvim", "gvim", "mvim", "view", "nano", "pico", "emacs", "emacsclient", "micro", "joe", "ne",
     "kak", "vis", "mg", "jed", "gedit"}
)
"""Editors that take `+LINE FILE`."""
GOTO = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor"})
"""Editors that take `--goto FILE:LINE`."""
FILE_COLON_LINE = frozenset({"subl", "sublime_text", "zed", "hx", "helix"})
"""Editors that take `FILE:LINE`."""


@dataclass(frozen=True)
class NoteFile:
    """A card's note on disk and the 1-based line of its entry."""

    path: Path
    line: int


def note_file(card: Card) -> NoteFile | None:
    """The file a card was read from, or None for a card of a built-in deck (its file is ckaquiz's own)."""
    path = Path(card.source.path)
    if not path.is_absolute():  # built-in decks are shown as `builtin/...`
        return None
    return NoteFile(path, max(1, card.source.line))


def editor_command(configured: str = "") -> list[str]:
    """The editor to run, split as a shell would: `editor_command`, `$EDITOR`, `$VISUAL`, else `vi`."""
    command = configured.strip() or os.environ.get("EDITOR") or os.environ.get("VISUAL") or "vi"
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    return words or ["vi"]


def editor_arguments(command: list[str], note: NoteFile) -> list[str]:
    """The command line that opens `note` at its line in this editor (see the module docstring)."""
    name = Path(command[0]).name.lower().removesuffix(".exe")
    if name in PLUS_LINE:
        return [*command, f"+{note.line}", str(note.path)]
    if name in GOTO:
        return [*command, "--goto", f"{note.path}:{note.line}"]
    if name in FILE_COLON_LINE:
        return [*command, f"{note.path}:{note.line}"]
    return [*command, str(note.path)]


def vault_of(path: Path) -> Path | None:
    """The Obsidian vault a file is in: the nearest folder above it holding `.obsidian/`."""
    for folder in path.parents:
        if (folder / ".obsidian").is_dir():
            return folder
    return None


def obsidian_link(path: Path) -> str | None:
    """`obsidian://open?vault=...&file=...` for a note in a vault, else None."""
    vault = vault_of(path)
    if vault is None:
        return None
    inside = path.relative_to(vault).as_posix()
    if inside.lower().endswith(".md"):
        inside = inside[: -len(".md")]
    return f"obsidian://open?vault={quote(vault.name, safe='')}&file={quote(inside, safe='')}"
