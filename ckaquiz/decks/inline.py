"""The inline syntax of notes: `::` and `:::` cards, `?` and `??` blocks, clozes, scheduling comments.

What the Obsidian Spaced Repetition plugin writes inside a note's lines, read from text alone (the
lines come from `markdown`, which knows fences, comments and sections). `MarkdownOptions` says
which separators and cloze styles a deck or vault uses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_URL = re.compile(r"https?://\S+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class MarkdownOptions:
    """How inline cards are written and how prompts are titled."""

    single_separator: str = "::"
    double_separator: str = ":::"
    multiline_separator: str = "?"
    multiline_reverse_separator: str = "??"
    multiline_end_marker: str = ""
    cloze_styles: tuple[str, ...] = ("highlight",)
    title_in_prompt: bool = False
    default_tags: tuple[str, ...] = ()
    tag_folder: str | None = None
    skip_headings: tuple[str, ...] = ()
    topics: bool = False
    """Split sections into topic-sized recall cards, with key points cleaned of markup (notes)."""
    not_study_headings: tuple[str, ...] = ()
    """Headings of diary, reflection and plan sections: no cards (matched whole, any case)."""
    recall_headings: tuple[str, ...] = ()
    """Words marking a section as the learner's own blank-page recall: no cards (matched inside the heading)."""


# The inner text never runs over the next marker, so a line of ten million unclosed markers
# takes linear time instead of scanning to the end of the line from each one.
CLOZE_STYLES = {
    "highlight": re.compile(r"==(?=\S)((?:(?!==).)+?)(?<=\S)=="),
    "bold": re.compile(r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*"),
    "curly": re.compile(r"\{\{(?!\{)((?:(?!\{\{|\}\}).)+?)\}\}"),
}


LINE_CLOZE_DELETION = re.compile(r"\{\{((?:(?!\{\{|\}\}).)+?)\}\}")


MAX_CLOZE_LINE = 10_000
"""Longer lines make no cloze cards: every card of a line repeats the whole line."""


_CLOZE_MARKERS = {"highlight": "==", "bold": "**", "curly": "{{"}
"""What each cloze style's pattern needs in a line: without it the pattern cannot match."""


_CLOZE_ANSWER = re.compile(r"^(?:c?\d+;;)?(.*?)(?:;;.*)?$", re.DOTALL)


SR_YEARS = (1970, 2999)


SR_MAX_INTERVAL_DAYS = 36_500


SR_MAX_EASE = 10_000
"""What a plugin scheduling comment may hold: a due date within these years, an interval of at most a
hundred years and an ease of at most this (the plugin starts cards at 250); anything else was not
written by the plugin and is ignored with a problem."""


def parse_sr_schedule(comment: str, problems: list[str] | None = None) -> list[dict[str, Any] | None]:
    """Entries of a Spaced Repetition plugin comment (`!2025-03-25,3,250` per sibling).

    An entry with an impossible date, interval or ease is None (its sibling starts new), and why
    is added to `problems`.
    """
    entries: list[dict[str, Any] | None] = []
    for chunk in comment.split("!"):
        fields = [part.strip() for part in chunk.split(",") if part.strip()]
        if not fields:
            continue
        if fields[0].casefold() == "fsrs":
            fields = fields[1:]
        due = next((part for part in fields if _DAY.fullmatch(part[:10]) and len(part) >= 10), None)
        if due is None:
            continue
        numbers = [part for part in fields[fields.index(due) + 1 :] if re.fullmatch(r"\d+(?:\.\d+)?", part)]
        interval = float(numbers[0]) if numbers else 1.0
        ease = float(numbers[1]) if len(numbers) > 1 else 250.0
        reason = _impossible_sr(due[:10], interval, ease)
        if reason is not None:
            if problems is not None:
                problems.append(f"scheduling comment ignored: {reason}")
            entries.append(None)
            continue
        entries.append({"due": due[:10], "interval": interval, "ease": ease})
    return entries


def _impossible_sr(due: str, interval: float, ease: float) -> str | None:
    try:
        day = date.fromisoformat(due)
    except ValueError:
        return f"invalid date {due}"
    if not SR_YEARS[0] <= day.year <= SR_YEARS[1]:
        return f"due date {due} is outside the years {SR_YEARS[0]}-{SR_YEARS[1]}"
    if interval > SR_MAX_INTERVAL_DAYS:
        return f"interval of {_short_number(interval)} days (at most {SR_MAX_INTERVAL_DAYS})"
    if ease > SR_MAX_EASE:
        return f"ease of {_short_number(ease)} (at most {SR_MAX_EASE})"
    return None


def _short_number(value: float) -> str:
    return f"{value:.0f}" if value < 1e15 else f"{value:.3g}"


@functools.lru_cache(maxsize=16)
def split_probe(single: str, double: str) -> str | None:
    """A text that every line holding one of these inline card separators holds (None: look at every line)."""
    separators = [separator for separator in (single, double) if separator]
    if not separators or any(" " in separator or "\n" in separator for separator in separators):
        return None
    shortest = min(separators, key=len)
    return shortest if all(shortest in separator for separator in separators) else None


@functools.lru_cache(maxsize=16)
def separator_lines(single: str, double: str) -> re.Pattern[str]:
    """A pattern finding a line that is only one of these multi-line separators in a section's text after a
    line break (the separators are looked up by text, not by options: hashing options costs more)."""
    separators = [single, double]
    if not all(separators) or any("\n" in separator for separator in separators):
        return re.compile("")  # unusual separators: always look line by line
    alternatives = "|".join(re.escape(separator) for separator in sorted(separators, key=len, reverse=True))
    return re.compile(rf"\n[^\S\n]*(?:{alternatives})[^\S\n]*(?:\n|\Z)")


def may_split(text: str, options: MarkdownOptions) -> bool:
    """Whether a line of this text may hold an inline card separator (`inline_split` decides)."""
    for separator in (options.single_separator, options.double_separator):
        if separator and (separator in text or " " in separator or "\n" in separator):
            return True
    return False


@functools.lru_cache(maxsize=16)
def cloze_markers(styles: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that finds what any of these cloze styles needs in a line (never matches if none)."""
    return re.compile("|".join(re.escape(_CLOZE_MARKERS[style]) for style in styles) or r"(?!)")


def strip_cloze_markup(text: str, options: MarkdownOptions) -> str:
    for style in options.cloze_styles:
        if _CLOZE_MARKERS[style] not in text:
            continue
        text = CLOZE_STYLES[style].sub(lambda match: cloze_answer(match.group(1)), text)
    return text


def first_group(match: re.Match[str]) -> str:
    return match.group(1)


def cloze_answer(inner: str) -> str:
    match = _CLOZE_ANSWER.match(inner)
    return match.group(1) if match else inner


def sr_comment(line: str) -> str | None:
    """The text of the line's first `<!--SR:...-->` comment (found, not matched: a pattern with lazy
    text retried from each of a line's many unclosed openers takes quadratic time)."""
    start = line.find("<!--SR:")
    if start < 0:
        return None
    end = line.find("-->", start + 7)
    return None if end < 0 else line[start + 7 : end]


def inline_split(masked: str, options: MarkdownOptions) -> tuple[int, int, bool] | None:
    double_separator, single_separator = options.double_separator, options.single_separator
    # Blanking URLs only turns characters into spaces, so it cannot make a separator appear
    # that is not already there (unless the separator itself holds a space).
    if (
        (not double_separator or double_separator not in masked)
        and (not single_separator or single_separator not in masked)
        and " " not in double_separator
        and " " not in single_separator
    ):
        return None
    masked = _URL.sub(lambda match: " " * len(match.group(0)), masked)
    double = masked.find(options.double_separator) if options.double_separator else -1
    if double > 0:
        return double, len(options.double_separator), True
    single = masked.find(options.single_separator) if options.single_separator else -1
    if single > 0:
        return single, len(options.single_separator), False
    return None
