"""The inline syntax of notes: `::` and `:::` cards, `?` and `??` blocks, clozes, scheduling comments.

What the Obsidian Spaced Repetition plugin writes inside a note's lines, read from text alone (the
lines come from `markdown`, which knows fences, comments and sections). `MarkdownOptions` says
which separators and cloze styles a deck or vault uses.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ckaquiz.markup import URL

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
    cloze_patterns: tuple[str, ...] = ()
    """The plugin's own cloze patterns (`{@{[123;;]answer[;;hint]}@}`) beyond the three built-in styles."""
    flashcard_tags: tuple[str, ...] = ()
    """Only notes with one of these tags (or a tag below one) hold inline cards; empty: every note."""
    flashcard_tags_to_ignore: tuple[str, ...] = ()
    """Notes with one of these tags hold no inline cards."""
    inline_cards: bool = True
    """Whether the note's inline cards are read (false for a note the flashcard tags leave out)."""
    flashcards_only: bool = False
    """Only the inline cards: no recall card for any section."""
    folder_decks: bool = False
    """Each note's deck is its top-level folder (the plugin's `convertFoldersToDecks`)."""
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


FSRS_STATES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
"""The plugin writes ts-fsrs's State as a number."""


def parse_sr_schedule(comment: str, problems: list[str] | None = None) -> list[dict[str, Any] | None]:
    """Entries of a Spaced Repetition plugin comment, one per sibling.

    SM-2 entries (`!2025-03-25,3,250`) give `due`, `interval` and `ease`; FSRS entries
    (`!fsrs,DUE,INTERVAL,STABILITY,DIFFICULTY,STATE,REPS,LAPSES,STEPS,LAST_REVIEW`) give
    `algorithm: fsrs` and every field. An entry with impossible values is None (its sibling
    starts new), and why is added to `problems`; an FSRS entry in the new state is None too.
    """
    entries: list[dict[str, Any] | None] = []
    for chunk in comment.split("!"):
        fields = [part.strip() for part in chunk.split(",")]
        if not any(fields):
            continue
        if fields[0].casefold() == "fsrs":
            entry, reason = _fsrs_entry(fields[1:])
            if reason is not None and problems is not None:
                problems.append(f"scheduling comment ignored: {reason}")
            entries.append(entry)
            continue
        fields = [part for part in fields if part]
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


def _fsrs_entry(fields: list[str]) -> tuple[dict[str, Any] | None, str | None]:
    """One FSRS entry read field by field in the plugin's order, or None and why not."""
    names = ("due", "interval", "stability", "difficulty", "state", "reps", "lapses", "learning_steps", "last_review")
    values = dict(zip(names, fields, strict=False))
    due = _timestamp(values.get("due", ""))
    if due is None:
        return None, f"FSRS due time {values.get('due', '')!r} is not a date-time"
    if not SR_YEARS[0] <= due.year <= SR_YEARS[1]:
        return None, f"due date {due.date()} is outside the years {SR_YEARS[0]}-{SR_YEARS[1]}"
    try:
        interval = float(values.get("interval") or 0)
        stability = float(values["stability"])
        difficulty = float(values["difficulty"])
        state = int(values.get("state") or 2)
        reps = int(values.get("reps") or 0)
        lapses = int(values.get("lapses") or 0)
        steps = int(values.get("learning_steps") or 0)
    except (KeyError, ValueError):
        return None, "FSRS entry needs numbers for interval, stability, difficulty and state"
    if state not in FSRS_STATES:
        return None, f"FSRS state {state} (0 to 3)"
    if state == 0:
        return None, None  # the plugin's own mark of a card not yet reviewed
    if not (math.isfinite(stability) and 0 < stability <= SR_MAX_INTERVAL_DAYS):
        return None, f"FSRS stability of {_short_number(stability)} (more than 0, at most {SR_MAX_INTERVAL_DAYS})"
    if not (math.isfinite(difficulty) and 1 <= difficulty <= 10):
        return None, f"FSRS difficulty of {_short_number(difficulty)} (1 to 10)"
    if not (math.isfinite(interval) and 0 <= interval <= SR_MAX_INTERVAL_DAYS) or min(reps, lapses, steps) < 0:
        return None, "FSRS interval, reps, lapses and steps must be whole days and counts within range"
    last_review = _timestamp(values.get("last_review", ""))
    entry: dict[str, Any] = {
        "algorithm": "fsrs",
        "due": due.isoformat(),
        "interval": interval,
        "stability": stability,
        "difficulty": difficulty,
        "state": FSRS_STATES[state],
        "reps": reps,
        "lapses": lapses,
        "learning_steps": steps,
    }
    if last_review is not None and last_review <= due:
        entry["last_review"] = last_review.isoformat()
    return entry, None


def _timestamp(text: str) -> datetime | None:
    """An ISO-8601 time as the plugin writes it (`2026-08-25T21:28:43.488Z`), in UTC; a bare day is midnight UTC."""
    if not _DAY.match(text[:10]):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
def cloze_markers(styles: tuple[str, ...], patterns: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A pattern that finds what any of these cloze styles needs in a line (never matches if none)."""
    needed = [re.escape(_CLOZE_MARKERS[style]) for style in styles]
    needed += [re.escape(opener) for opener in (_custom_opener(pattern) for pattern in patterns) if opener]
    return re.compile("|".join(needed) or r"(?!)")


def strip_cloze_markup(text: str, options: MarkdownOptions) -> str:
    for style in options.cloze_styles:
        if _CLOZE_MARKERS[style] not in text:
            continue
        text = CLOZE_STYLES[style].sub(lambda match: cloze_answer(match.group(1)), text)
    for pattern in custom_clozes(options.cloze_patterns):
        text = pattern.sub(lambda match: match.group("answer"), text)
    return text


_PLUGIN_KEYWORDS = ("answer", "hint", "123")


def _pattern_parts(pattern: str) -> list[tuple[str, str, str, bool]] | None:
    """A plugin cloze pattern as (keyword or "", text before, text after, optional) parts; None if unreadable.

    The plugin's syntax: `answer` is the hidden text; `[...]` parts are optional and hold `123`
    (a sequence mark) or `hint`; a backslash makes the next character plain text.
    """
    parts: list[tuple[str, str, str, bool]] = []
    literal: list[str] = []
    position = 0
    while position < len(pattern):
        character = pattern[position]
        if character == "\\":
            while position < len(pattern) and pattern[position] == "\\":
                position += 1
            if position < len(pattern):
                literal.append(pattern[position])
                position += 1
            continue
        if character == "[":
            close, inner = _bracket(pattern, position + 1)
            if close < 0:
                return None
            keyword = next((word for word in ("123", "hint") if word in inner), None)
            if keyword is None:
                return None
            if literal:
                parts.append(("", "".join(literal), "", False))
                literal = []
            before, _, after = inner.partition(keyword)
            parts.append((keyword, before, after, True))
            position = close + 1
            continue
        if pattern.startswith("answer", position):
            if literal:
                parts.append(("", "".join(literal), "", False))
                literal = []
            parts.append(("answer", "", "", False))
            position += len("answer")
            continue
        literal.append(character)
        position += 1
    if literal:
        parts.append(("", "".join(literal), "", False))
    if sum(1 for keyword, *_ in parts if keyword == "answer") != 1 or not parts[0][1] or parts[0][0]:
        return None  # no answer, or no fixed text to start from
    return parts


def _bracket(pattern: str, position: int) -> tuple[int, str]:
    """(index of the closing bracket, the unescaped text inside) of an optional part, or (-1, "")."""
    inner: list[str] = []
    while position < len(pattern):
        character = pattern[position]
        if character == "\\":
            while position < len(pattern) and pattern[position] == "\\":
                position += 1
            if position < len(pattern):
                inner.append(pattern[position])
                position += 1
            continue
        if character == "]":
            return position, "".join(inner)
        inner.append(character)
        position += 1
    return -1, ""


def _custom_opener(pattern: str) -> str:
    """The fixed text a plugin cloze pattern starts with ("" if it starts with a variable part)."""
    parts = _pattern_parts(pattern)
    if not parts:
        return ""
    return parts[0][1]


@functools.lru_cache(maxsize=32)
def custom_cloze(pattern: str) -> re.Pattern[str] | None:
    """A plugin cloze pattern as a regex with an `answer` group (and `sequence`, `hint`), or None.

    Each variable part stops before any fixed text that follows it, so an unclosed opener is
    given up at the next marker instead of being retried to the end of the line.
    """
    parts = _pattern_parts(pattern)
    if parts is None:
        return None
    pieces: list[str] = []
    for index, (keyword, before, after, _) in enumerate(parts):
        if not keyword:
            pieces.append(re.escape(before))
            continue
        stops = [after] if after else []
        stops += [later_before for _, later_before, _, _ in parts[index + 1 :] if later_before]
        alternatives = "|".join(re.escape(stop) for stop in stops)
        body = rf"(?:(?!{alternatives}).)+?" if alternatives else r".+?"
        if keyword == "123" and not after:
            body = r"[^\W_]+"
        name = {"answer": "answer", "hint": "hint", "123": "sequence"}[keyword]
        group = f"(?P<{name}>{body})"
        pieces.append(group if keyword == "answer" else f"(?:{re.escape(before)}{group}{re.escape(after)})?")
    try:
        return re.compile("".join(pieces))
    except re.error:
        return None


def custom_clozes(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """The compiled regexes of the patterns that can be read (the others are warned about when settings load)."""
    return [compiled for compiled in (custom_cloze(pattern) for pattern in patterns) if compiled is not None]


def has_tag(tags: tuple[str, ...] | list[str], wanted: tuple[str, ...]) -> bool:
    """Whether a tag is one of `wanted` or below one (`cka/storage` is below `cka`), ignoring case and `#`."""
    folded = [tag.lstrip("#").casefold() for tag in tags]
    return any(
        tag == want or tag.startswith(want + "/") for want in (item.casefold() for item in wanted) for tag in folded
    )


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
    masked = URL.sub(lambda match: " " * len(match.group(0)), masked)
    double = masked.find(options.double_separator) if options.double_separator else -1
    if double > 0:
        return double, len(options.double_separator), True
    single = masked.find(options.single_separator) if options.single_separator else -1
    if single > 0:
        return single, len(options.single_separator), False
    return None
