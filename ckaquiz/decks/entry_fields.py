"""One deck entry (the YAML card shape) on its way to cards: the context it inherits from its file,
the fields every kind has, checked and read, and the problems found, each at its field's line.

`entries` builds each kind's cards from an `Entry`; `exam_tasks` builds a task's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ckaquiz.decks.identity import IdAllocator, explicit_id
from ckaquiz.model import Card, CardKind, Problem, SourceLocation

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
MAX_ANSWER_CHARS = 20_000
"""Characters of a typed command's or a manifest's expected answer: the graders compare them with a
learner's answer, so their time grows with it; real commands and manifests are far shorter."""


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


@dataclass
class Entry:
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
        reference = text_of(self.entry.get("reference", "")) or self.context.reference
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
            "explanation": text_of(self.entry.get("explanation", "")),
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


def manifest_problem(text: str) -> str | None:
    """Why an expected manifest cannot be graded (YAML that does not read, or reads to something
    no answer can match: an alias bomb, a value that contains itself), or None."""
    import yaml

    from ckaquiz.yaml_nodes import safe_compose

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


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip("\n") if "\n" in value else value.strip()
    return str(value)
