"""Finding deck files and reading them, turning every failure into a one-line problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ckaquiz.decks.filenames import file_name, split_suffix
from ckaquiz.file_access import MAX_DECK_BYTES, RefusedFile, read_regular_file
from ckaquiz.model import Deck, Problem

if TYPE_CHECKING:  # the parsers (and yaml) are imported when a file is read, not to list files
    from ckaquiz.decks.markdown import MarkdownOptions

DECK_SUFFIXES = frozenset({".md", ".markdown", ".yaml", ".yml"})
DELIMITED_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
"""Anki-style plain-text exports: read when imported one by one, never picked up from a folder."""
READER_VERSION = 3
"""The version of the deck and note readers. Raise it with any change that gives an unchanged file other
cards (topic cards, their names, their key points): each source is then read again whole once."""
NOT_DECKS = frozenset({"readme.md", "license.md", "changelog.md", "misconceptions.yaml"})
"""Files that are never decks: documents, and the misconception bank shipped beside the built-in decks."""
MAX_PROBLEM_CHARS = 300
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters, and the surrogates that stand for the bytes of a file name that is not UTF-8."""


def is_deck_file(path: Path) -> bool:
    """A file ckaquiz reads as a deck: Markdown or YAML, not a README."""
    return is_deck_name(path.name)


def is_deck_name(name: str) -> bool:
    """`is_deck_file` for a file name alone (a vault has thousands: no Path made for each)."""
    return split_suffix(name)[1].lower() in DECK_SUFFIXES and name.lower() not in NOT_DECKS


def find_deck_files(folder: Path) -> Iterator[Path]:
    """Deck files under a folder, sorted, skipping hidden files and folders."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and is_deck_file(path):
            yield path


def decode_deck_bytes(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Deck text from bytes: UTF-8 (a BOM is fine); anything else is a problem, not a crash."""
    if b"\x00" in data:
        return None, Problem(path, 1, "skipped: the file holds NUL bytes (binary?)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, Problem(path, line, "skipped: not valid UTF-8 text")


def parse_deck_text(
    text: str,
    path: str,
    *,
    deck_name: str | None = None,
    default_deck: str | None = None,
    scope: str | None = None,
    options: MarkdownOptions | None = None,
) -> Deck:
    """Parse text by the file's suffix: YAML, CSV/TSV (explicitly imported files) or Markdown."""
    suffix = split_suffix(file_name(path))[1].lower()
    if suffix in DELIMITED_SUFFIXES:
        from ckaquiz.decks.delimited import parse_delimited

        return parse_delimited(text, path, deck_name=deck_name)
    if suffix in {".yaml", ".yml"}:
        from ckaquiz.decks.manifest_files import is_manifest_file, parse_manifest_file

        if is_manifest_file(text):
            return parse_manifest_file(text, path, deck_name=deck_name or default_deck)
        from ckaquiz.decks.yaml_deck import parse_yaml_deck

        return parse_yaml_deck(text, path, deck_name=deck_name)
    from ckaquiz.decks.markdown import parse_markdown

    return parse_markdown(text, path, deck_name=deck_name, default_deck=default_deck, scope=scope, options=options)


def printable_problem(problem: Problem) -> Problem:
    """A problem that prints as one short harmless line, whatever the file name or the deck's text hold."""

    def clean(text: str) -> str:
        return _UNPRINTABLE.sub(lambda match: " " if match.group() in "\t\n\r" else "?", text)

    message = problem.message
    if len(message) > MAX_PROBLEM_CHARS:  # a message quoting a ten-megabyte value
        message = message[: MAX_PROBLEM_CHARS - 1] + "…"
    if message is not problem.message or _UNPRINTABLE.search(problem.path) or _UNPRINTABLE.search(message):
        return replace(problem, path=clean(problem.path), message=clean(message))
    return problem


def load_deck_file(
    path: Path,
    *,
    display_path: str | None = None,
    deck_name: str | None = None,
    default_deck: str | None = None,
    scope: str | None = None,
    options: MarkdownOptions | None = None,
) -> Deck:
    """Read and parse one deck file; a file that cannot be read gives a deck with one problem.

    This is where a single file is read, so it is where any failure of one file stops: whatever
    a parser raises becomes one problem naming the file, and the deck is marked `unread` so
    that a scan keeps the cards the file gave before instead of retiring them.
    """
    shown = display_path or str(path)
    try:
        deck = _read_deck_file(
            path, display_path=shown, deck_name=deck_name, default_deck=default_deck, scope=scope, options=options
        )
    except Exception as error:  # the file boundary: one bad note never stops the other files
        deck = Deck(name=deck_name or path.stem, path=shown, problems=(failure_problem(shown, error),), unread=True)
    if not deck.problems:
        return deck
    return replace(deck, problems=tuple(printable_problem(problem) for problem in deck.problems))


def failure_problem(path: str, error: BaseException) -> Problem:
    """The one-line problem for an unexpected failure while reading a file: its kind and first line."""
    if isinstance(error, RecursionError):
        return Problem(path, 1, "skipped: nested too deeply")
    if isinstance(error, MemoryError):
        return Problem(path, 1, "skipped: too large to read")
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    kind = type(error).__name__
    return Problem(
        path, 1, f"skipped: cannot be read ({kind}: {detail})" if detail else f"skipped: cannot be read ({kind})"
    )


def _read_deck_file(
    path: Path,
    *,
    display_path: str,
    deck_name: str | None,
    default_deck: str | None,
    scope: str | None,
    options: MarkdownOptions | None,
) -> Deck:
    shown = display_path
    name = deck_name or path.stem
    try:
        data = read_regular_file(path, limit=MAX_DECK_BYTES)
    except RefusedFile as refusal:
        return Deck(name=name, path=shown, problems=(Problem(shown, 1, str(refusal)),))
    except OSError as error:
        unreadable = Problem(shown, 1, f"cannot read: {error.strerror or error}")
        return Deck(name=name, path=shown, problems=(unreadable,), unread=True)
    text, problem = decode_deck_bytes(data, shown)
    if text is None:
        assert problem is not None
        return Deck(name=name, path=shown, problems=(problem,))
    return parse_deck_text(text, shown, deck_name=deck_name, default_deck=default_deck, scope=scope, options=options)


def load_decks(paths: Iterable[Path]) -> list[Deck]:
    """Decks from files and folders of deck files, in a stable order."""
    decks: list[Deck] = []
    for path in paths:
        if path.is_dir():
            decks.extend(load_deck_file(file) for file in find_deck_files(path))
        else:
            decks.append(load_deck_file(path))
    return decks
