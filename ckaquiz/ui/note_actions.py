"""`e` and `o` at the grade prompt, for both front ends: open the card's note in the editor, or link it.

Each returns the one line to show; the card stays shown, its answer and grade still to come.
"""

from __future__ import annotations

import subprocess

from ckaquiz.model import Card
from ckaquiz.source_note import editor_arguments, editor_command, note_file, obsidian_link

BUILTIN_NOTE = "a card of a built-in deck: there is no note of yours to open"


def edit_note(card: Card, configured: str = "", *, quiet: bool = False) -> str:
    """Run the editor at the card's file and line and wait for it; `quiet`: no terminal for it (piped input)."""
    note = note_file(card)
    if note is None:
        return BUILTIN_NOTE
    if not note.path.is_file():
        return f"cannot open {note.path}: the file is not there any more"
    arguments = editor_arguments(editor_command(configured), note)
    detached = subprocess.DEVNULL if quiet else None
    try:
        finished = subprocess.run(arguments, check=False, stdin=detached, stdout=detached)
    except OSError as error:
        return f"cannot run the editor {arguments[0]!r}: {error.strerror or error}"
    if finished.returncode != 0:
        return f"the editor {arguments[0]!r} exited with status {finished.returncode}"
    return f"edited {note.path}:{note.line}"


def obsidian_line(card: Card) -> str:
    """The card's `obsidian://open?...` link, or a line saying why there is none."""
    note = note_file(card)
    if note is None:
        return BUILTIN_NOTE
    return obsidian_link(note.path) or f"not from an Obsidian vault: {note.path}"
