"""Turning one deck entry (the YAML card shape) into cards, with problems instead of raises.

Both YAML decks and ```card blocks in Markdown use this, so every kind is written the same
way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ckaquiz.decks.identity import IdAllocator, explicit_id
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
    SourceLocation,
)

COMMON_FIELDS = frozenset({"kind", "id", "tags", "explanation", "reference"})
KIND_FIELDS: dict[CardKind, tuple[frozenset[str], frozenset[str]]] = {
    CardKind.BASIC: (frozenset({"front", "back"}), frozenset({"reverse"})),
    CardKind.CLOZE: (frozenset({"text"}), frozenset()),
    CardKind.RECALL: (frozenset({"topic", "notes"}), frozenset({"pitfalls"})),
    CardKind.CHOICE: (frozenset({"question", "options", "answer"}), frozenset()),
    CardKind.COMMAND: (frozenset({"question", "answer"}), frozenset({"alternatives", "time"})),
    CardKind.MANIFEST: (frozenset({"question", "answer"}), frozenset({"strict"})),
    CardKind.TASK: (frozenset({"scenario", "weight", "steps"}), frozenset({"context", "topic"})),
}
# The inner text never spans another `{{` or `}}`, so each `{{` is given up at the next marker:
# linear time even for a line of ten million unclosed `{{`.
CLOZE_DELETION = re.compile(r"\{\{((?:(?!\{\{|\}\}).)+?)\}\}", re.DOTALL)
MAX_DELETIONS = 50
MAX_OPTIONS = 50
"""Choices of one choice card: more is no question anyone answers (and a million would take a minute to read)."""
MAX_ANSWER_CHARS = 20_000
"""Characters of a typed command's or a manifest's expected answer: the graders compare them with a
learner's answer, so their time grows with it; real commands and manifests are far shorter."""
"""Deletions one cloze may have: each makes a card repeating the whole text."""
_TIME = re.compile(r"(?:(\d+)m)?\s*(?:(\d+)s)?")  # matched against stripped text: no \s* next to \s*


@dataclass
class EntryContext:
    """What an entry inherits from its file: deck, path, tags, default reference, ids."""

    deck: str
    path: str
    tags: tuple[str, ...] = ()
    reference: str = ""
    scope: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    """Fields every card of the file carries (a note's path and date)."""
    allocator: IdAllocator = field(init=False)

    def __post_init__(self) -> None:
        self.allocator = IdAllocator(self.deck, self.scope)


def normalise_tag(tag: str) -> str:
    """A tag without its leading `#` and surrounding space."""
    return tag.strip().lstrip("#").strip()


def merge_tags(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags in order of first appearance, without case-insensitive repeats."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for tag in group:
            clean = normalise_tag(tag)
            if clean and clean.casefold() not in seen:
                seen.add(clean.casefold())
                merged.append(clean)
    return tuple(merged)


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
    built = _Entry(entry, kind, context, line, field_lines, problems)
    if not built.check_fields() or not built.read_common():
        return [], problems
    cards = _BUILDERS[kind](built)
    return ([] if problems else cards), problems


@dataclass
class _Entry:
    """One entry on its way to cards: what every kind's builder reads, and the problems found."""

    entry: Mapping[str, Any]
    kind: CardKind
    context: EntryContext
    line: int
    field_lines: Mapping[str, int]
    problems: list[Problem]
    common: dict[str, Any] = field(default_factory=dict)
    """The card fields every kind sets alike: deck, source, tags, explanation, reference."""

    def problem(self, message: str, key: str | None = None) -> None:
        """Record a problem at the line of the field `key` (the entry's line if not known)."""
        self.problems.append(Problem(self.context.path, self.field_lines.get(key or "", self.line), message))

    def check_fields(self) -> bool:
        """Whether the entry holds only fields its kind knows, and every field it needs."""
        required, optional = KIND_FIELDS[self.kind]
        allowed = required | optional | COMMON_FIELDS
        for key in self.entry:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                self.problem(f"unknown field {key!r} for a {self.kind.value} card (allowed: {names})", key)
        for key in sorted(required):
            value = self.entry.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                noun = "answer" if key in {"back", "answer", "notes"} else f"field {key!r}"
                self.problem(f"missing {noun} for a {self.kind.value} card", key if key in self.entry else None)
        return not self.problems

    def read_common(self) -> bool:
        """Read tags, explanation, reference and id (the fields of every kind); False on a problem."""
        tags_value = self.entry.get("tags", [])
        if isinstance(tags_value, str):
            tags_value = tags_value.replace(",", " ").split()
        if not isinstance(tags_value, list) or not all(isinstance(tag, str | int | float) for tag in tags_value):
            self.problem("tags must be a list of words", "tags")
            return False
        reference = _text(self.entry.get("reference", "")) or self.context.reference
        if reference and not reference.startswith(("http://", "https://")):
            self.problem(f"reference must be a URL, got {reference!r}", "reference")
        given_id = self.entry.get("id")
        if given_id is not None and (not isinstance(given_id, str | int) or not str(given_id).strip()):
            self.problem("id must be a non-empty word", "id")
        if self.problems:
            return False
        self.common = {
            "deck": self.context.deck,
            "source": SourceLocation(self.context.path, self.line),
            "tags": merge_tags(self.context.tags, [str(tag) for tag in tags_value]),
            "explanation": _text(self.entry.get("explanation", "")),
            "reference": reference,
        }
        return True

    def base_id(self, basis: str) -> str:
        """The entry's own `id`, or one derived from its kind and this text."""
        given_id = self.entry.get("id")
        if given_id is not None:
            return explicit_id(self.context.deck, str(given_id))
        return self.context.allocator.allocate(f"{self.kind.value}\n{basis}")

    def card(self, identity: str, prompt: str, answer: str, **extra: Any) -> Card:
        """A card of this entry's kind with the common fields."""
        return Card(id=identity, kind=self.kind, prompt=prompt, answer=answer, **extra, **self.common)


def _basic_cards(built: _Entry) -> list[Card]:
    front, back = _text(built.entry["front"]), _text(built.entry["back"])
    reverse = built.entry.get("reverse", False)
    if not isinstance(reverse, bool):
        built.problem("reverse must be true or false", "reverse")
        return []
    identity = built.base_id(front)
    cards = [built.card(identity, front, back, sibling_key=identity)]
    if reverse:
        cards.append(built.card(f"{identity}:r", back, front, sibling_key=identity))
    return cards


def _cloze_cards(built: _Entry) -> list[Card]:
    text = _text(built.entry["text"])
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


def _recall_cards(built: _Entry) -> list[Card]:
    topic, notes = _text(built.entry["topic"]), _text(built.entry["notes"])
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


def _choice_cards(built: _Entry) -> list[Card]:
    question = _text(built.entry["question"])
    identity = built.base_id(question)
    options = built.entry["options"]
    if not isinstance(options, list) or len(options) < 2:
        built.problem("options must be a list of at least two choices", "options")
        return []
    if len(options) > MAX_OPTIONS:
        built.problem(f"a choice card has {len(options)} options (at most {MAX_OPTIONS})", "options")
        return []
    option_texts = [_text(option) for option in options]
    if len(set(option_texts)) != len(option_texts):
        built.problem("options must be different from each other", "options")
    answer_value = built.entry["answer"]
    answers = [_text(item) for item in (answer_value if isinstance(answer_value, list) else [answer_value])]
    for answer in answers:
        if answer not in option_texts:
            built.problem(f"answer {answer!r} is not one of the options", "answer")
    if built.problems:
        return []
    details = ChoiceDetails(tuple(option_texts), tuple(answers))
    return [built.card(identity, question, "; ".join(answers), sibling_key=identity, fields=details.to_fields())]


def _command_cards(built: _Entry) -> list[Card]:
    question = _text(built.entry["question"])
    identity = built.base_id(question)
    alternatives = built.entry.get("alternatives", [])
    if not isinstance(alternatives, list):
        built.problem("alternatives must be a list of commands", "alternatives")
        return []
    commands = [_text(built.entry["answer"]).strip(), *(_text(item) for item in alternatives)]
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


def _manifest_cards(built: _Entry) -> list[Card]:
    question = _text(built.entry["question"])
    identity = built.base_id(question)
    strict = built.entry.get("strict", False)
    if not isinstance(strict, bool):
        built.problem("strict must be true or false", "strict")
        return []
    answer_yaml = _text(built.entry["answer"])
    if len(answer_yaml) > MAX_ANSWER_CHARS:
        built.problem(f"the answer is {len(answer_yaml)} characters long (at most {MAX_ANSWER_CHARS})", "answer")
        return []
    refusal = _manifest_problem(answer_yaml)
    if refusal is not None:
        built.problem(refusal, "answer")
        return []
    fields = ManifestDetails(strict).to_fields()
    return [built.card(identity, question, answer_yaml, sibling_key=identity, fields=fields)]


def _task_cards(built: _Entry) -> list[Card]:
    from ckaquiz.decks.exam_tasks import task_cards

    return task_cards(built)


_BUILDERS: dict[CardKind, Callable[[_Entry], list[Card]]] = {
    CardKind.BASIC: _basic_cards,
    CardKind.CLOZE: _cloze_cards,
    CardKind.RECALL: _recall_cards,
    CardKind.CHOICE: _choice_cards,
    CardKind.COMMAND: _command_cards,
    CardKind.MANIFEST: _manifest_cards,
    CardKind.TASK: _task_cards,
}
"""Each card kind's builder: the cards one checked entry of that kind makes (problems go to the entry)."""


def _manifest_problem(text: str) -> str | None:
    """Why an expected manifest cannot be graded (YAML that does not read, or reads to something
    no answer can match: an alias bomb, a value that contains itself), or None."""
    import yaml

    from ckaquiz.decks.yaml_deck import safe_compose

    try:
        yaml.compose(text, Loader=yaml.SafeLoader)  # syntax only: composing expands no alias
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (answer line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return f"the expected manifest is not valid YAML{where}"

    _, refusal = safe_compose(text, "answer")
    if refusal is None:
        return None
    return f"the expected manifest is refused: {refusal.message.removeprefix('refused: ')} (answer line {refusal.line})"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip("\n") if "\n" in value else value.strip()
    return str(value)


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
