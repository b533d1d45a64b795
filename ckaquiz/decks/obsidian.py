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


BUILTIN_CLOZE_PATTERNS = {
    "==[123;;]answer[;;hint]==": "highlight",
    "**[123;;]answer[;;hint]**": "bold",
    "{{[123;;]answer[;;hint]}}": "curly",
}
"""The patterns the plugin writes for its three cloze switches: read by ckaquiz's own styles."""
CLOZE_SWITCHES = (
    ("convertHighlightsToClozes", "==[123;;]answer[;;hint]=="),
    ("convertBoldTextToClozes", "**[123;;]answer[;;hint]**"),
    ("convertCurlyBracketsToClozes", "{{[123;;]answer[;;hint]}}"),
)
UNSUPPORTED_SETTINGS = {
    "useCalloutsForSchedulingComments": (True, "schedules in `> [!sr|card-metadata]` callouts are not read"),
}
"""Settings ckaquiz cannot honour, with the value that matters: each gives one warning line."""


def read_plugin_settings(vault: Path, problems: list[str] | None = None) -> dict[str, Any]:
    """The Spaced Repetition plugin's raw settings mapping, or {} when the vault has none.

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
    return settings if isinstance(settings, dict) else {}


def plugin_settings(vault: Path, problems: list[str] | None = None) -> dict[str, Any]:
    """Parser options from the Spaced Repetition plugin's settings, when the vault has them.

    Each parsing option is read as the plugin reads it: `clozePatterns` when present (the three
    cloze switches only make patterns when it is missing), `flashcardTags` and
    `flashcardTagsToIgnore`, `convertFoldersToDecks`. A setting ckaquiz cannot honour, or a
    cloze pattern it cannot read, adds one warning line naming it to `problems`.
    """
    settings = read_plugin_settings(vault, problems)
    if not settings:
        return {}
    path = vault / PLUGIN_SETTINGS
    warnings: list[str] = []
    options: dict[str, Any] = {}
    for key, name in SEPARATOR_KEYS.items():
        value = settings.get(key)
        if isinstance(value, str) and (value or name == "multiline_end_marker"):
            options[name] = value
    patterns = settings.get("clozePatterns")
    if not isinstance(patterns, list):
        default = CLOZE_SWITCHES[0][0]  # highlights are clozes unless the setting says otherwise
        patterns = [pattern for key, pattern in CLOZE_SWITCHES if settings.get(key, key == default) is True]
        explicit = any(key in settings for key, _ in CLOZE_SWITCHES)
    else:
        explicit = True
    styles: list[str] = []
    custom: list[str] = []
    from ckaquiz.decks.inline import custom_cloze

    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            continue  # not a pattern the plugin could have written: ignored, as before
        text = pattern.strip()
        if text in BUILTIN_CLOZE_PATTERNS:
            if BUILTIN_CLOZE_PATTERNS[text] not in styles:
                styles.append(BUILTIN_CLOZE_PATTERNS[text])
        elif custom_cloze(text) is None:
            warnings.append(f"cloze pattern {text!r} not used: it needs fixed text, then `answer` once")
        elif text not in custom:
            custom.append(text)
    if explicit:
        options["cloze_styles"] = tuple(styles)
        options["cloze_patterns"] = tuple(custom)
    tags = _tag_list(settings.get("flashcardTags"))
    if tags:
        options["flashcard_tags"] = tags
    ignored = _tag_list(settings.get("flashcardTagsToIgnore"))
    if ignored:
        options["flashcard_tags_to_ignore"] = ignored
    if settings.get("convertFoldersToDecks") is True:
        options["folder_decks"] = True
    for key, (value, why) in UNSUPPORTED_SETTINGS.items():
        if settings.get(key) == value:
            warnings.append(f"plugin setting {key} not honoured: {why}")
    store = settings.get("dataStore")
    if isinstance(store, str) and store.upper() not in {"", "NOTES"}:
        warnings.append(f"plugin setting dataStore not honoured: only schedules in the notes are read, not {store!r}")
    if problems is not None:
        problems.extend(f"{path}:1: {warning}" for warning in warnings)
    return options


def ignored_note_folders(vault: Path) -> tuple[str, ...]:
    """The plugin's `noteFoldersToIgnore`: paths or globs of notes it never reads (the plugin's default when unset)."""
    value = read_plugin_settings(vault).get("noteFoldersToIgnore")
    if not isinstance(value, list):
        return ()
    return tuple(str(item).strip() for item in value if isinstance(item, str) and item.strip())


def ignored_by_plugin(relative: str, patterns: Sequence[str]) -> bool:
    """The plugin's rule for `noteFoldersToIgnore`: the path starts with the entry, or matches it as a glob."""
    for pattern in patterns:
        if relative.startswith(pattern) or fnmatchcase(relative, pattern):
            return True
        if pattern.startswith("**/") and fnmatchcase(relative, pattern[3:]):
            return True  # `**/` also matches no folder at all
    return False


def _tag_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(tag.strip().lstrip("#") for tag in value if isinstance(tag, str) and tag.strip().lstrip("#"))


def settings_vault(root: Path) -> Path:
    """The folder whose plugin settings apply to a path: the nearest one above it holding them, else its own."""
    folder = root if root.is_dir() else root.parent
    for candidate in (folder, *folder.parents):
        if (candidate / PLUGIN_SETTINGS).is_file():
            return candidate
    return folder


def markdown_options(root: Path, source_options: dict[str, Any], problems: list[str] | None = None) -> MarkdownOptions:
    """Parser options for a user source: plugin settings first, then the command line's overrides."""
    from ckaquiz.decks.markdown import MarkdownOptions

    values: dict[str, Any] = {"title_in_prompt": True, "topics": True}
    values.update(plugin_settings(settings_vault(root), problems))
    for key, name in OPTION_NAMES.items():
        if source_options.get(key) is not None:
            values[name] = source_options[key]
    if source_options.get("cloze_styles"):
        values["cloze_styles"] = tuple(source_options["cloze_styles"])
        values["cloze_patterns"] = ()
    if source_options.get("tag_folder"):
        values["tag_folder"] = source_options["tag_folder"]
    if source_options.get("flashcards_only"):
        values["flashcards_only"] = True
    if source_options.get("decks_from_folders"):
        values["folder_decks"] = True
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
