"""What an Obsidian vault adds around its notes: the walk, and the plugin's own settings.

ckaquiz only ever reads a vault. The walk skips hidden folders (`.obsidian`, `.trash`),
the user's exclude globs, links that lead outside the vault and loops of links.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ckaquiz.decks.loader import is_deck_name
from ckaquiz.file_access import RefusedFile, read_regular_file

if TYPE_CHECKING:
    from ckaquiz.decks.markdown import MarkdownOptions

PLUGIN_SETTINGS = Path(".obsidian") / "plugins" / "obsidian-spaced-repetition" / "data.json"
SEPARATOR_KEYS = {
    "singleLineCardSeparator": "single_separator",
    "singleLineReversedCardSeparator": "double_separator",
    "multilineCardSeparator": "multiline_separator",
    "multilineReversedCardSeparator": "multiline_reverse_separator",
    "multilineCardEndMarker": "multiline_end_marker",
}
MAX_PLUGIN_SETTINGS_BYTES = 1024 * 1024
"""The plugin writes a few kilobytes of settings; anything near this size is not its settings file."""
OPTION_NAMES = {
    "card_separator": "single_separator",
    "reversed_card_separator": "double_separator",
    "multiline_separator": "multiline_separator",
    "multiline_reversed_separator": "multiline_reverse_separator",
    "multiline_end_marker": "multiline_end_marker",
}


def plugin_settings(vault: Path, problems: list[str] | None = None) -> dict[str, Any]:
    """The Spaced Repetition plugin's separators and cloze options, when the vault has them.

    The settings file is read only as a regular file inside the vault, of at most
    MAX_PLUGIN_SETTINGS_BYTES; a file refused or unreadable adds one line to `problems` and
    the defaults are used.
    """
    path = vault / PLUGIN_SETTINGS
    try:
        text = read_regular_file(path, limit=MAX_PLUGIN_SETTINGS_BYTES, within=vault).decode("utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        return {}
    except (RefusedFile, OSError, ValueError, RecursionError) as error:
        if problems is not None:
            problems.append(f"{path}:1: plugin settings not used: {_settings_failure(error)}")
        return {}
    settings = data.get("settings", data) if isinstance(data, dict) else {}
    if not isinstance(settings, dict):
        return {}
    options: dict[str, Any] = {}
    for key, name in SEPARATOR_KEYS.items():
        value = settings.get(key)
        if isinstance(value, str) and (value or name == "multiline_end_marker"):
            options[name] = value
    styles: list[str] = []
    patterns = settings.get("clozePatterns")
    if isinstance(patterns, list):
        for pattern in patterns:
            text = str(pattern)
            style = (
                "highlight"
                if text.startswith("==")
                else "bold"
                if text.startswith("**")
                else "curly"
                if text.startswith("{{")
                else None
            )
            if style and style not in styles:
                styles.append(style)
    else:
        for key, style in (
            ("convertHighlightsToClozes", "highlight"),
            ("convertBoldTextToClozes", "bold"),
            ("convertCurlyBracketsToClozes", "curly"),
        ):
            if settings.get(key) is True or (key not in settings and style == "highlight"):
                styles.append(style)
    if isinstance(patterns, list) or any(
        key in settings for key in ("convertHighlightsToClozes", "convertBoldTextToClozes")
    ):
        options["cloze_styles"] = tuple(styles)
    return options


def markdown_options(root: Path, source_options: dict[str, Any], problems: list[str] | None = None) -> MarkdownOptions:
    """Parser options for a user source: plugin settings first, then the command line's overrides."""
    from ckaquiz.decks.markdown import MarkdownOptions

    vault = root if root.is_dir() else root.parent
    values: dict[str, Any] = {"title_in_prompt": True, "topics": True}
    values.update(plugin_settings(vault, problems))
    for key, name in OPTION_NAMES.items():
        if source_options.get(key) is not None:
            values[name] = source_options[key]
    if source_options.get("cloze_styles"):
        values["cloze_styles"] = tuple(source_options["cloze_styles"])
    if source_options.get("tag_folder"):
        values["tag_folder"] = source_options["tag_folder"]
    values["skip_headings"] = tuple(source_options.get("skip_headings", ()))
    if not source_options.get("include_all"):
        from ckaquiz.decks.topics import NOT_STUDY_HEADINGS, RECALL_HEADINGS

        values["not_study_headings"] = tuple(source_options.get("not_study_headings", NOT_STUDY_HEADINGS))
        values["recall_headings"] = tuple(source_options.get("recall_headings", RECALL_HEADINGS))
    return MarkdownOptions(**values)


def _settings_failure(error: BaseException) -> str:
    if isinstance(error, RefusedFile):
        return str(error)
    if isinstance(error, RecursionError):
        return "refused: nested too deeply"
    if isinstance(error, UnicodeDecodeError):
        return "not valid UTF-8 text"
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON (line {error.lineno}: {error.msg})"
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror or error}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def excluded(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a vault-relative path, or a folder above it, matches an exclude glob."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    return any(
        fnmatchcase(candidate, pattern) or fnmatchcase(parts[index], pattern)
        for pattern in patterns
        for index, candidate in enumerate(candidates)
    )


def walk_notes(root: Path, excludes: Sequence[str] = ()) -> Iterator[tuple[Path, str]]:
    """(file, vault-relative path) of each note, sorted, never leaving the vault."""
    for path, relative in walk_note_paths(root, excludes):
        yield Path(path), relative


def walk_note_paths(root: Path, excludes: Sequence[str] = ()) -> Iterator[tuple[str, str]]:
    """`walk_notes` with each file as text: no Path is made per note (a big vault has thousands)."""
    top = Path(os.path.realpath(root))
    visited: set[Path] = set()

    def walk(folder: Path, prefix: str) -> Iterator[tuple[str, str]]:
        real = Path(os.path.realpath(folder))  # never raises, not even on a loop of links
        if real in visited:
            return  # a loop of links
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            relative = f"{prefix}{name}"
            if excludes and excluded(relative, excludes):
                continue
            if entry.is_symlink():
                target = Path(os.path.realpath(entry.path))
                if target != top and top not in target.parents:
                    continue  # never follow a link out of the vault
            try:
                is_folder = entry.is_dir(follow_symlinks=True)
                is_note = not is_folder and entry.is_file(follow_symlinks=True) and is_deck_name(name)
            except OSError:
                continue  # a loop of links, or a file gone since the folder was listed
            if is_folder:
                yield from walk(Path(entry.path), relative + "/")
            elif is_note:
                yield entry.path, relative

    yield from walk(root, "")
