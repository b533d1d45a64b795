"""YAML decks: a mapping with `deck`, `description`, `tags` and a list of `cards`.

The file is composed into nodes first so every problem can name its line; values are then
built with the safe constructor only.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ckaquiz.decks.entries import build_entry_cards
from ckaquiz.decks.entry_fields import EntryContext, merge_tags
from ckaquiz.decks.identity import duplicate_id_problems
from ckaquiz.model import Card, Deck, Problem
from ckaquiz.yaml_nodes import construct, entry_field_lines, safe_compose

TOP_LEVEL_FIELDS = frozenset({"deck", "description", "tags", "reference", "cards"})
def parse_yaml_deck(text: str, path: str, *, deck_name: str | None = None) -> Deck:
    """Read a YAML deck; every problem is collected with its line, good entries still load."""
    default_name = Path(path).stem
    root, problem = safe_compose(text, path)
    if problem is not None:  # nothing of the file can be read: a scan keeps the cards it gave before
        return Deck(name=deck_name or default_name, path=path, problems=(problem,), unread=True)
    if root is None:
        return Deck(
            name=deck_name or default_name,
            path=path,
            problems=(Problem(path, 1, "empty deck file"),),
        )
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        return Deck(
            name=deck_name or default_name,
            path=path,
            problems=(Problem(path, line, "a YAML deck must be a mapping with a `cards` list"),),
        )
    problems: list[Problem] = []
    top: dict[str, tuple[yaml.Node, int]] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in TOP_LEVEL_FIELDS:
            allowed = ", ".join(sorted(TOP_LEVEL_FIELDS))
            problems.append(
                Problem(
                    path,
                    key_node.start_mark.line + 1,
                    f"unknown field {key!r} (allowed: {allowed})",
                )
            )
            continue
        top[key] = (value_node, key_node.start_mark.line + 1)

    def scalar(key: str) -> str:
        if key not in top:
            return ""
        value = construct(top[key][0])
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            problems.append(Problem(path, top[key][1], f"{key} must be text"))
            return ""
        return str(value).strip()

    name = deck_name or scalar("deck") or default_name
    description = scalar("description")
    reference = scalar("reference")
    deck_tags: list[str] = []
    if "tags" in top:
        value = construct(top["tags"][0])
        if isinstance(value, str):
            deck_tags = value.replace(",", " ").split()
        elif isinstance(value, list) and all(isinstance(tag, str | int | float) for tag in value):
            deck_tags = [str(tag) for tag in value]
        elif value is not None:
            problems.append(Problem(path, top["tags"][1], "tags must be a list of words"))
    context = EntryContext(deck=name, path=path, tags=merge_tags(deck_tags), reference=reference)
    cards: list[Card] = []
    if "cards" not in top:
        problems.append(Problem(path, 1, "no `cards` list in this deck"))
    else:
        cards_node, cards_line = top["cards"]
        if not isinstance(cards_node, yaml.SequenceNode):
            problems.append(Problem(path, cards_line, "`cards` must be a list of card entries"))
        else:
            for entry_node in cards_node.value:
                entry_cards, entry_problems = _entry(entry_node, context)
                cards.extend(entry_cards)
                problems.extend(entry_problems)
    problems.extend(duplicate_id_problems(cards))
    return Deck(name=name, path=path, description=description, cards=tuple(cards), problems=tuple(problems))


def _entry(node: yaml.Node, context: EntryContext) -> tuple[list[Card], list[Problem]]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        return [], [Problem(context.path, line, "a card entry must be a mapping of fields")]
    field_lines = entry_field_lines(node)
    entry = construct(node)
    if not isinstance(entry, dict):
        return [], [Problem(context.path, line, "a card entry must be a mapping of fields")]
    return build_entry_cards(
        {str(key): value for key, value in entry.items()},
        context,
        line=line,
        field_lines=field_lines,
    )


def peek_deck_name(path: Path) -> str | None:
    """The `deck:` name of a YAML deck file, or None when it has none or cannot be read."""
    from ckaquiz.file_access import MAX_DECK_BYTES, RefusedFile, read_regular_file

    try:
        text = read_regular_file(path, limit=MAX_DECK_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, RefusedFile):
        return None
    # A top-level key starts a line (block scalars and nested keys are indented), so the one line
    # is read alone: a deck of 50,000 values is not composed twice to learn its name.
    line = _TOP_LEVEL_DECK.search(text)
    if line is None:
        return None
    root, problem = safe_compose(line.group(0), str(path))
    if problem is not None or not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value == "deck" and isinstance(value_node, yaml.ScalarNode) and str(value_node.value).strip():
            return str(value_node.value).strip()
    return None


_TOP_LEVEL_DECK = re.compile(r"^deck[ \t]*:[^\n]*", re.MULTILINE)
