"""YAML read safely: composed into nodes first, so that every problem can name its line, with alias
bombs, self-containing values and documents of too many values refused; values are then built with
the safe constructor only. Every reader of YAML in a deck (YAML decks, Markdown deck blocks,
manifest files, the misconceptions bank, expected manifests) composes through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from ckaquiz.model import Problem

MAX_ALIASES = 100
MAX_ALIAS_EXPANSION = 10_000
MAX_YAML_VALUES = 50_000
"""Values (scalars, lists, mappings) in one YAML document, about 8,000 cards: PyYAML's parser reads
some 25,000 a second, and the largest built-in deck has under a thousand."""


class _TooManyValues(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, stopping once a document holds more than MAX_YAML_VALUES values.

    PyYAML's parser is pure Python: a list of a million options takes a minute and most of a
    gigabyte to compose, so composing stops early instead.
    """

    values = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.values += 1
        if self.values > MAX_YAML_VALUES:
            raise _TooManyValues(_line(self.peek_event().start_mark))  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None and _fits_fast_parser(text):
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # the pure parser below words the error, with its line and column
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
"""libyaml's loader where PyYAML was built with it: the same nodes, many times faster."""
_FAST_DEPTH = 200


def _fits_fast_parser(text: str) -> bool:
    """Whether libyaml may compose the text: at most MAX_YAML_VALUES values, nested at most
    _FAST_DEPTH deep (its composer recurses in C, with no recursion limit to stop it), read from
    its event stream without building a node; anything else is left to the bounded pure loader."""
    values = depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                values += 1
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                values += 1
                depth += 1
                if depth > _FAST_DEPTH:
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if values > MAX_YAML_VALUES:
                return False
    except yaml.YAMLError:
        return False
    return True


def _line(mark: Any) -> int:
    return 1 if mark is None else mark.line + 1


def safe_compose(text: str, path: str) -> tuple[yaml.Node | None, Problem | None]:
    """Compose YAML into a node tree, refusing alias bombs; a problem instead of a raise."""
    has_aliases = "*" in text and "&" in text
    if has_aliases:
        try:
            aliases = 0
            for number, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
                aliases += isinstance(event, yaml.AliasEvent)
                if number > 2 * MAX_YAML_VALUES:
                    raise _TooManyValues(_line(event.start_mark))
        except yaml.YAMLError as error:
            return None, syntax_problem(error, path)
        except _TooManyValues as error:
            return None, Problem(path, error.line, f"refused: more than {MAX_YAML_VALUES} YAML values")
        if aliases > MAX_ALIASES:
            return None, Problem(path, 1, f"refused: {aliases} YAML aliases (at most {MAX_ALIASES})")
    node: yaml.Node | None = None
    try:
        node = _compose(text)
        if node is not None:
            if has_aliases:
                added, line = _alias_walk(node)
                if added > MAX_ALIAS_EXPANSION:
                    # few aliases can still nest into billions of values (9 levels of 9 aliases: 9**9)
                    message = f"refused: YAML aliases expand to {added} more values (at most {MAX_ALIAS_EXPANSION})"
                    return None, Problem(path, 1, message)
                if line is not None:
                    return None, Problem(path, line, "refused: a YAML alias that contains itself")
            _mend_surrogates(node)
            construct(node)  # unknown tags such as !!python/object fail here, once, with their line
        return node, None
    except yaml.YAMLError as error:
        return None, syntax_problem(error, path)
    except RecursionError:
        return None, Problem(path, 1, "refused: YAML nested too deeply")
    except _TooManyValues as error:
        return None, Problem(path, error.line, f"refused: more than {MAX_YAML_VALUES} YAML values")
    except Exception:  # a value the safe constructor cannot build (its errors are of many kinds)
        assert node is not None
        return None, _value_problem(node, path)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _alias_walk(root: yaml.Node) -> tuple[int, int | None]:
    """How many values aliases add once every alias is replaced by a copy of what it names, and the
    line of the first alias inside the very node it names (`&a [*a]`, which no card can hold).

    One walk, without expanding anything (each distinct node once, bottom-up, no recursion), so
    it is cheap even for a bomb; a node that contains itself counts once.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    recursive_line: int | None = None
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            sizes[key] = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
            on_path.discard(key)
            continue
        if key in on_path:
            if recursive_line is None:
                recursive_line = node.start_mark.line + 1
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    return sizes[id(root)] - len(sizes), recursive_line


_VALUE_NAMES = {
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:int": "whole number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "true/false value",
}


def scalar_nodes(root: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Each scalar node under `root` once, in document order (an alias's node is not visited again)."""
    pending = [root]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node
        else:
            pending.extend(reversed(_children(node)))


def _value_problem(root: yaml.Node, path: str) -> Problem:
    """The first scalar the safe constructor cannot build, as `line: invalid date 2025-02-30`."""
    for node in scalar_nodes(root):
        try:
            construct(node)
        except Exception as error:
            return Problem(path, node.start_mark.line + 1, _value_message(node, error))
    return Problem(path, root.start_mark.line + 1, "a value YAML cannot read")


def _value_message(node: yaml.ScalarNode, error: Exception) -> str:
    name = _VALUE_NAMES.get(node.tag, f"value for {node.tag.replace('tag:yaml.org,2002:', '!!')}")
    value = str(node.value)
    if name == "whole number" and "digits" in str(error):
        return f"invalid whole number: {len(value)} characters long (at most 4300 digits)"
    shown = value if len(value) <= 40 else value[:39] + "…"
    return f"invalid {name} {shown!r}"


def _mend_surrogates(root: yaml.Node) -> None:
    """`"\\ud83d\\ude00"` escapes give surrogate halves that cannot be encoded: join pairs, and
    replace lone halves with U+FFFD, so no text of a deck can break hashing, storing or printing."""
    for node in scalar_nodes(root):
        value = node.value
        if isinstance(value, str) and any("\ud800" <= character <= "\udfff" for character in value):
            node.value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def construct(node: yaml.Node) -> Any:
    """Build Python values from a node with the safe constructor only."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def entry_field_lines(node: yaml.MappingNode, offset: int = 0) -> dict[str, int]:
    """The 1-based line of each field of an entry, and of each task step and its fields
    (`steps.0`, `steps.0.answer`), `offset` lines down the file."""
    lines: dict[str, int] = {}
    for key, value in node.value:
        name = str(key.value)
        lines[name] = key.start_mark.line + 1 + offset
        if name == "steps" and isinstance(value, yaml.SequenceNode):
            for index, step in enumerate(value.value):
                lines[f"steps.{index}"] = step.start_mark.line + 1 + offset
                if isinstance(step, yaml.MappingNode):
                    for step_key, _ in step.value:
                        lines[f"steps.{index}.{step_key.value}"] = step_key.start_mark.line + 1 + offset
    return lines


def syntax_problem(error: yaml.YAMLError, path: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return Problem(path, 1, f"YAML syntax error: {reason}")
    return Problem(path, mark.line + 1, f"YAML syntax error at column {mark.column + 1}: {reason}")
