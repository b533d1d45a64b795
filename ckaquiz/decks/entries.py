"""Turning one deck entry (the YAML card shape) into cards, with problems instead of raises.

Both YAML decks and ```card blocks in Markdown use this, so every kind is written the same
way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ckaquiz.decks.entry_fields import (
    MAX_ANSWER_CHARS,
    Entry,
    EntryContext,
    manifest_problem,
    text_of,
)
from ckaquiz.decks.keypoints import key_points
from ckaquiz.model import (
    Card,
    CardKind,
    ChoiceDetails,
    ClozeDetails,
    CommandDetails,
    ManifestDetails,
    Problem,
    RecallDetails,
)

# The inner text never spans another `{{` or `}}`, so each `{{` is given up at the next marker:
# linear time even for a line of ten million unclosed `{{`.
CLOZE_DELETION = re.compile(r"\{\{((?:(?!\{\{|\}\}).)+?)\}\}", re.DOTALL)
MAX_DELETIONS = 50
"""Deletions one cloze may have: each makes a card repeating the whole text."""
MAX_OPTIONS = 50
"""Choices of one choice card: more is no question anyone answers (and a million would take a minute to read)."""
_TIME = re.compile(r"(?:(\d+)m)?\s*(?:(\d+)s)?")  # matched against stripped text: no \s* next to \s*


def cloze_cards_text(text: str) -> list[tuple[str, str, str]]:
    """(prompt, answer, full text) per `{{deletion}}`: the target hidden, the others shown."""
    deletions = list(CLOZE_DELETION.finditer(text))
    results: list[tuple[str, str, str]] = []
    for target in deletions:
        prompt_parts: list[str] = []
        full_parts: list[str] = []
        position = 0
        for match in deletions:
            prompt_parts.append(text[position : match.start()])
            full_parts.append(text[position : match.start()])
            shown = match.group(1)
            prompt_parts.append("[...]" if match is target else shown)
            full_parts.append(f"**{shown}**" if match is target else shown)
            position = match.end()
        prompt_parts.append(text[position:])
        full_parts.append(text[position:])
        results.append(("".join(prompt_parts), target.group(1), "".join(full_parts)))
    return results


def build_entry_cards(
    entry: Mapping[str, Any],
    context: EntryContext,
    *,
    line: int,
    field_lines: Mapping[str, int] | None = None,
) -> tuple[list[Card], list[Problem]]:
    """The cards one entry makes, or the problems that keep it from making any."""
    problems: list[Problem] = []
    field_lines = field_lines or {}
    kind_text = entry.get("kind", "basic")
    try:
        kind = CardKind(str(kind_text).strip().lower())
    except ValueError:
        known = ", ".join(item.value for item in CardKind)
        message = f"unknown card kind {kind_text!r} (known: {known})"
        return [], [Problem(context.path, field_lines.get("kind", line), message)]
    built = Entry(entry, kind, context, line, field_lines, problems)
    if not built.check_fields() or not built.read_common():
        return [], problems
    cards = _BUILDERS[kind](built)
    return ([] if problems else cards), problems


def _basic_cards(built: Entry) -> list[Card]:
    front, back = text_of(built.entry["front"]), text_of(built.entry["back"])
    reverse = built.entry.get("reverse", False)
    if not isinstance(reverse, bool):
        built.problem("reverse must be true or false", "reverse")
        return []
    identity = built.base_id(front)
    cards = [built.card(identity, front, back, sibling_key=identity)]
    if reverse:
        cards.append(built.card(f"{identity}:r", back, front, sibling_key=identity))
    return cards


def _cloze_cards(built: Entry) -> list[Card]:
    text = text_of(built.entry["text"])
    if len(CLOZE_DELETION.findall(text)) > MAX_DELETIONS:
        built.problem(f"a cloze card may have at most {MAX_DELETIONS} {{{{deletions}}}}", "text")
        return []
    deletions = cloze_cards_text(text)
    if not deletions:
        built.problem("a cloze card needs at least one {{deletion}} in its text", "text")
        return []
    identity = built.base_id(CLOZE_DELETION.sub(lambda match: match.group(1), text))
    return [
        built.card(f"{identity}:c{number}", prompt, answer, sibling_key=identity, fields=ClozeDetails(full).to_fields())
        for number, (prompt, answer, full) in enumerate(deletions, start=1)
    ]


def _recall_cards(built: Entry) -> list[Card]:
    topic, notes = text_of(built.entry["topic"]), text_of(built.entry["notes"])
    points = key_points(_lines_outside_fences(notes))
    details = RecallDetails()
    if "pitfalls" in built.entry:
        from ckaquiz.misconceptions import pitfall_problems

        messages = pitfall_problems(built.entry["pitfalls"])
        if messages:
            for message in messages:
                built.problem(message, "pitfalls")
            return []
        details = RecallDetails(tuple(built.entry["pitfalls"]))
    identity = built.base_id(topic)
    fields = details.to_fields()
    return [built.card(identity, topic, notes, key_points=tuple(points), sibling_key=identity, fields=fields)]


def _choice_cards(built: Entry) -> list[Card]:
    question = text_of(built.entry["question"])
    identity = built.base_id(question)
    options = built.entry["options"]
    if not isinstance(options, list) or len(options) < 2:
        built.problem("options must be a list of at least two choices", "options")
        return []
    if len(options) > MAX_OPTIONS:
        built.problem(f"a choice card has {len(options)} options (at most {MAX_OPTIONS})", "options")
        return []
    option_texts = [text_of(option) for option in options]
    if len(set(option_texts)) != len(option_texts):
        built.problem("options must be different from each other", "options")
    answer_value = built.entry["answer"]
    answers = [text_of(item) for item in (answer_value if isinstance(answer_value, list) else [answer_value])]
    for answer in answers:
        if answer not in option_texts:
            built.problem(f"answer {answer!r} is not one of the options", "answer")
    if built.problems:
        return []
    details = ChoiceDetails(tuple(option_texts), tuple(answers))
    return [built.card(identity, question, "; ".join(answers), sibling_key=identity, fields=details.to_fields())]


def _command_cards(built: Entry) -> list[Card]:
    question = text_of(built.entry["question"])
    identity = built.base_id(question)
    alternatives = built.entry.get("alternatives", [])
    if not isinstance(alternatives, list):
        built.problem("alternatives must be a list of commands", "alternatives")
        return []
    commands = [text_of(built.entry["answer"]).strip(), *(text_of(item) for item in alternatives)]
    if max(len(command) for command in commands) > MAX_ANSWER_CHARS:
        longest = max(len(command) for command in commands)
        built.problem(f"a command is {longest} characters long (at most {MAX_ANSWER_CHARS})", "answer")
        return []
    seconds = None
    if "time" in built.entry:
        seconds = _seconds(built.entry["time"])
        if seconds is None:
            built.problem(f"time must look like 45s or 2m, got {built.entry['time']!r}", "time")
            return []
    details = CommandDetails(tuple(commands[1:]), seconds)
    return [built.card(identity, question, commands[0], sibling_key=identity, fields=details.to_fields())]


def _manifest_cards(built: Entry) -> list[Card]:
    question = text_of(built.entry["question"])
    identity = built.base_id(question)
    strict = built.entry.get("strict", False)
    if not isinstance(strict, bool):
        built.problem("strict must be true or false", "strict")
        return []
    answer_yaml = text_of(built.entry["answer"])
    if len(answer_yaml) > MAX_ANSWER_CHARS:
        built.problem(f"the answer is {len(answer_yaml)} characters long (at most {MAX_ANSWER_CHARS})", "answer")
        return []
    refusal = manifest_problem(answer_yaml)
    if refusal is not None:
        built.problem(refusal, "answer")
        return []
    fields = ManifestDetails(strict).to_fields()
    return [built.card(identity, question, answer_yaml, sibling_key=identity, fields=fields)]


def _task_cards(built: Entry) -> list[Card]:
    from ckaquiz.decks.exam_tasks import task_cards

    return task_cards(built)


_BUILDERS: dict[CardKind, Callable[[Entry], list[Card]]] = {
    CardKind.BASIC: _basic_cards,
    CardKind.CLOZE: _cloze_cards,
    CardKind.RECALL: _recall_cards,
    CardKind.CHOICE: _choice_cards,
    CardKind.COMMAND: _command_cards,
    CardKind.MANIFEST: _manifest_cards,
    CardKind.TASK: _task_cards,
}
"""Each card kind's builder: the cards one checked entry of that kind makes (problems go to the entry)."""


def _seconds(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    match = _TIME.fullmatch(text)
    if not text or match is None or not any(match.groups()):
        return None
    minutes, seconds = (int(part or 0) for part in match.groups())
    return minutes * 60 + seconds


def _lines_outside_fences(text: str) -> list[str]:
    lines: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        lines.append(line)
    return lines
