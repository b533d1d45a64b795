"""`check --facts`: the misconception bank run over a learner's own notes, which are only ever read.

Frontmatter and fenced code blocks are left out (they hold settings and commands, not claims);
everything else keeps its line numbers, so each hit names the note's file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ckaquiz.misconceptions import Hit, Misconception, builtin_bank, find

NOTE_SUFFIXES = frozenset({".md", ".markdown"})
MAX_NOTE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class NoteHit:
    """A misconception found in a note: the note's path and the hit."""

    path: str
    hit: Hit

    def line(self) -> str:
        """`file:line: what the note says — what the documentation says (reference)`."""
        hit = self.hit
        return f"{self.path}:{hit.line}: {hit.sentence} — {hit.correction} ({hit.misconception.reference})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: the path first, then the hit."""
        return {"path": self.path} | self.hit.to_dict()


@dataclass(frozen=True)
class FactCheck:
    """What checking notes found: the hits, the notes read, and the files that could not be read."""

    hits: tuple[NoteHit, ...]
    notes: int
    problems: tuple[str, ...]


def note_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Markdown notes: files given by name (any suffix), and `.md`/`.markdown` under folders, hidden ones skipped."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, folders, files in os.walk(path):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and os.path.splitext(name)[1].lower() in NOTE_SUFFIXES:
                    yield Path(folder) / name


def claim_text(text: str) -> str:
    """The note with frontmatter and fenced code blanked out, line numbers kept."""
    lines = text.split("\n")
    kept: list[str] = []
    fence = ""
    in_frontmatter = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines):
        stripped = line.strip()
        if in_frontmatter:
            kept.append("")
            if number > 0 and stripped in {"---", "..."}:
                in_frontmatter = False
            continue
        if fence:
            kept.append("")
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            kept.append("")
            continue
        kept.append(line)
    return "\n".join(kept)


def check_text(text: str, entries: Iterable[Misconception] | None = None) -> list[Hit]:
    """The misconceptions a note's text states (frontmatter and code left out)."""
    return find(claim_text(text), entries=entries)


def check_notes(paths: Iterable[Path], *, entries: Iterable[Misconception] | None = None) -> FactCheck:
    """Run the bank over every note under `paths`; unreadable notes are problems, not errors."""
    chosen = tuple(entries) if entries is not None else builtin_bank().entries
    hits: list[NoteHit] = []
    problems: list[str] = []
    notes = 0
    for path in note_files(paths):
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_NOTE_BYTES + 1)
        except OSError as error:
            problems.append(f"{path}:1: cannot read: {error.strerror}")
            continue
        if len(data) > MAX_NOTE_BYTES:
            problems.append(f"{path}:1: skipped: larger than {MAX_NOTE_BYTES // (1024 * 1024)} MB")
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(f"{path}:{line}: skipped: not valid UTF-8 text")
            continue
        notes += 1
        hits.extend(NoteHit(str(path), hit) for hit in check_text(text.replace("\r\n", "\n"), chosen))
    return FactCheck(hits=tuple(hits), notes=notes, problems=tuple(problems))
