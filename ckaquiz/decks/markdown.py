"""Markdown decks: heading sections become recall cards; inline cards live inside them.

One parser serves plain Markdown decks and Obsidian notes alike: what differs (separators,
whether the note title starts every prompt) is a `MarkdownOptions` value, so Obsidian
support extends this module instead of copying it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ckaquiz.decks.entries import EntryContext, build_entry_cards, cloze_cards_text, merge_tags
from ckaquiz.decks.keypoints import key_points, mask_inline_code
from ckaquiz.decks.yaml_deck import construct, duplicate_id_problems, safe_compose
from ckaquiz.model import Card, CardKind, Deck, Problem, SourceLocation

PROMPT_SEPARATOR = " › "
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^\s`]*)")
_INLINE_TAG = re.compile(r"(?:^|(?<=\s))#([^\s#.,;:!?()\[\]{}\"'`<>=+*&^%$@|\\]+)")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_REFERENCE = re.compile(r"^\s*reference:\s*(<?https?://\S+?>?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class MarkdownOptions:
    """How inline cards are written and how prompts are titled."""

    single_separator: str = "::"
    double_separator: str = ":::"
    multiline_separator: str = "?"
    multiline_reverse_separator: str = "??"
    highlight_clozes: bool = True
    title_in_prompt: bool = False
    default_tags: tuple[str, ...] = ()


@dataclass
class _Line:
    number: int
    raw: str
    masked: str
    visible: str = ""
    in_fence: bool = False
    fence_opener: bool = False
    fence_info: str = ""


@dataclass
class _Section:
    path: tuple[str, ...]
    line: int
    lines: list[_Line] = field(default_factory=list)
    intro: bool = False


def is_inline_tag(word: str) -> bool:
    """Obsidian's rule: a tag needs at least one character that is not a digit."""
    return any(not character.isdigit() for character in word.replace("/", "").replace("-", "").replace("_", ""))


def inline_tags(masked_line: str) -> list[str]:
    """`#tags` in a line whose code and comments are already masked."""
    return [tag for tag in _INLINE_TAG.findall(masked_line) if is_inline_tag(tag.rstrip("/"))]


def split_frontmatter(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) line indexes of the frontmatter body when the file starts with `---`."""
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in {"---", "..."}:
            return 1, index
    return None


def read_frontmatter(lines: list[str], path: str) -> tuple[dict[str, Any], int, list[Problem]]:
    """The frontmatter mapping, the index of the first body line, and any problem with it."""
    bounds = split_frontmatter(lines)
    if bounds is None:
        return {}, 0, []
    first, end = bounds
    text = "\n".join(lines[first:end])
    node, problem = safe_compose(text, path)
    if problem is not None:
        return (
            {},
            end + 1,
            [replace(problem, line=problem.line + first, message=f"frontmatter: {problem.message}")],
        )
    if node is None:
        return {}, end + 1, []
    value = construct(node)
    if not isinstance(value, dict):
        return {}, end + 1, [Problem(path, first + 1, "frontmatter: expected a mapping of keys")]
    return {str(key): item for key, item in value.items()}, end + 1, []


def tags_from_value(value: Any) -> list[str]:
    """Frontmatter tags: a list, or a comma/space separated string, with or without `#`."""
    if value is None:
        return []
    if isinstance(value, str):
        return [tag for tag in value.replace(",", " ").split() if tag.strip("#")]
    if isinstance(value, list):
        return [str(tag) for tag in value if isinstance(tag, str | int | float) and str(tag).strip("#")]
    return []


def parse_markdown(
    text: str, path: str, *, deck_name: str | None = None, options: MarkdownOptions | None = None
) -> Deck:
    """Read a Markdown deck into recall cards per section and the inline cards inside them."""
    options = options or MarkdownOptions()
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    frontmatter, body_start, problems = read_frontmatter(lines, path)
    title = Path(path).stem
    name = deck_name or _text(frontmatter.get("deck")) or title
    description = _text(frontmatter.get("description"))
    reference = _text(frontmatter.get("reference"))
    file_tags = tags_from_value(frontmatter.get("tags")) + tags_from_value(frontmatter.get("tag"))
    context = EntryContext(deck=name, path=path, tags=merge_tags(options.default_tags, file_tags), reference=reference)

    classified = _classify(lines, body_start)
    for line in classified:
        if not line.in_fence:
            file_tags.extend(inline_tags(line.masked))
    sections = _sections(classified, title, options)
    cards: list[Card] = []
    for section in sections:
        section_cards, section_problems = _section_cards(section, context, options)
        cards.extend(section_cards)
        problems.extend(section_problems)
    all_tags = merge_tags(options.default_tags, file_tags)
    cards = [replace(card, tags=merge_tags(all_tags, card.tags)) for card in cards]
    problems.extend(duplicate_id_problems(cards))
    return Deck(name=name, path=path, description=description, cards=tuple(cards), problems=tuple(problems))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _classify(lines: list[str], start: int) -> list[_Line]:
    """Mark fences and mask comments and inline code, so later rules can ignore them."""
    result: list[_Line] = []
    fence: str | None = None
    in_comment = False
    for index in range(start, len(lines)):
        raw = lines[index]
        number = index + 1
        if fence is not None:
            stripped = raw.strip()
            closes = stripped.startswith(fence) and stripped.rstrip(fence[0]) == ""
            result.append(_Line(number, raw, "", in_fence=True))
            if closes:
                fence = None
            continue
        masked, in_comment = _mask_comments(raw, in_comment)
        opener = _FENCE.match(masked) if not in_comment else None
        if opener and masked.strip().startswith(opener.group(1)):
            fence = opener.group(1)
            result.append(
                _Line(
                    number,
                    raw,
                    "",
                    in_fence=True,
                    fence_opener=True,
                    fence_info=opener.group(2).lower(),
                )
            )
            continue
        visible = "".join(
            character for character, kept in zip(raw, masked, strict=False) if character == kept or kept != " "
        )
        result.append(_Line(number, raw, mask_inline_code(masked), visible=visible))
    return result


def _mask_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Blank out the parts of a line inside HTML comments; carry an open comment onward."""
    output: list[str] = []
    position = 0
    while position < len(line):
        if in_comment:
            end = line.find("-->", position)
            if end < 0:
                output.append(" " * (len(line) - position))
                return "".join(output), True
            output.append(" " * (end + 3 - position))
            position = end + 3
            in_comment = False
        else:
            start = line.find("<!--", position)
            if start < 0:
                output.append(line[position:])
                break
            output.append(line[position:start])
            position = start
            in_comment = True
    return "".join(output), in_comment


def _sections(lines: list[_Line], title: str, options: MarkdownOptions) -> list[_Section]:
    root = (title,) if options.title_in_prompt else ()
    stack: list[tuple[int, str]] = []
    sections = [_Section(path=(title,), line=lines[0].number if lines else 1, intro=True)]
    for line in lines:
        heading = None if line.in_fence else _HEADING.match(line.masked)
        if heading is None:
            sections[-1].lines.append(line)
            continue
        level = len(heading.group(1))
        heading_text = line.raw.strip()[level:].strip().rstrip("#").strip()
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading_text or "(untitled)"))
        sections.append(_Section(path=root + tuple(text for _, text in stack), line=line.number))
    return sections


def _section_cards(
    section: _Section, context: EntryContext, options: MarkdownOptions
) -> tuple[list[Card], list[Problem]]:
    cards: list[Card] = []
    problems: list[Problem] = []
    content: list[_Line] = []
    consumed: set[int] = set()
    reference = context.reference
    has_code = False
    lines = section.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.fence_opener:
            block = [line]
            index += 1
            while index < len(lines) and lines[index].in_fence and not lines[index].fence_opener:
                block.append(lines[index])
                index += 1
            if block[0].fence_info == "card":
                entry_cards, entry_problems = _card_block(block, context)
                cards.extend(entry_cards)
                problems.extend(entry_problems)
            else:
                has_code = True
                content.extend(block)
            continue
        reference_match = _REFERENCE.match(line.masked)
        if reference_match:
            reference = reference_match.group(1).strip("<>")
            consumed.add(line.number)
        content.append(line)
        index += 1

    section_context = _with_reference(context, reference)
    for start, end, reverse in _multiline_spans(content, options):
        separator_index = next(
            i
            for i in range(start, end)
            if content[i].masked.strip() in {options.multiline_separator, options.multiline_reverse_separator}
        )
        question = "\n".join(line.raw.rstrip() for line in content[start:separator_index]).strip()
        answer = "\n".join(line.raw.rstrip() for line in content[separator_index + 1 : end]).strip()
        consumed.update(line.number for line in content[start:end])
        cards.extend(_basic(section_context, question, answer, content[start].number, reverse=reverse))

    for line in content:
        if line.number in consumed or line.in_fence:
            continue
        masked = line.masked
        split = _inline_split(masked, options)
        if split is not None:
            position, width, reverse = split
            question = line.raw[:position].strip()
            answer = line.raw[position + width :].strip()
            if question and answer:
                consumed.add(line.number)
                cards.extend(
                    _basic(
                        section_context,
                        _strip_list_marker(question),
                        answer,
                        line.number,
                        reverse=reverse,
                    )
                )
                continue
        if options.highlight_clozes and _HIGHLIGHT.search(masked):
            cards.extend(_highlight_clozes(section_context, line))

    point_lines = [
        line.visible
        for line in content
        if not line.in_fence and line.number not in consumed and not _only_tags(line.masked)
    ]
    points = [_HIGHLIGHT.sub(r"\1", point) for point in key_points(point_lines)]
    cards.sort(key=lambda card: card.source.line)
    if points or has_code:
        answer_lines = [line.raw for line in content if line.number not in consumed or line.in_fence]
        answer = "\n".join(answer_lines).strip("\n")
        prompt = PROMPT_SEPARATOR.join(section.path)
        basis = "recall-intro" if section.intro else "recall"
        identity = section_context.allocator.allocate(f"{basis}\n{prompt}")
        cards.insert(
            0,
            Card(
                id=identity,
                deck=context.deck,
                kind=CardKind.RECALL,
                prompt=prompt,
                answer=answer,
                source=SourceLocation(context.path, section.line),
                tags=context.tags,
                key_points=tuple(points),
                sibling_key=identity,
                reference=reference,
            ),
        )
    return cards, problems


def _with_reference(context: EntryContext, reference: str) -> EntryContext:
    if reference == context.reference:
        return context
    scoped = EntryContext(deck=context.deck, path=context.path, tags=context.tags, reference=reference)
    scoped.allocator = context.allocator
    return scoped


def _multiline_spans(content: list[_Line], options: MarkdownOptions) -> list[tuple[int, int, bool]]:
    """(start, end, reverse) of each `question / ? / answer` block among the section's lines."""
    separators = {options.multiline_separator: False, options.multiline_reverse_separator: True}
    spans: list[tuple[int, int, bool]] = []
    taken_until = 0
    for index, line in enumerate(content):
        marker = line.masked.strip()
        if line.in_fence or marker not in separators or index < taken_until:
            continue
        start = index
        while start > taken_until and content[start - 1].raw.strip() and not content[start - 1].in_fence:
            start -= 1
        end = index + 1
        while end < len(content) and content[end].raw.strip() and not content[end].in_fence:
            end += 1
        if start == index or end == index + 1:
            continue  # a lone `?` with nothing on one side is just text
        spans.append((start, end, separators[marker]))
        taken_until = end
    return spans


def _inline_split(masked: str, options: MarkdownOptions) -> tuple[int, int, bool] | None:
    double = masked.find(options.double_separator)
    if double > 0:
        return double, len(options.double_separator), True
    single = masked.find(options.single_separator)
    if single > 0 and not masked[single:].startswith(options.single_separator + "/"):
        return single, len(options.single_separator), False
    return None


def _strip_list_marker(text: str) -> str:
    return re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)


def _only_tags(masked: str) -> bool:
    words = masked.split()
    return bool(words) and all(word.startswith("#") and inline_tags(word) for word in words)


def _basic(context: EntryContext, question: str, answer: str, line: int, *, reverse: bool) -> list[Card]:
    source = SourceLocation(context.path, line)
    identity = context.allocator.allocate(f"basic\n{question}")
    card = Card(
        id=identity,
        deck=context.deck,
        kind=CardKind.BASIC,
        prompt=question,
        answer=answer,
        source=source,
        tags=context.tags,
        sibling_key=identity,
        reference=context.reference,
    )
    if not reverse:
        return [card]
    return [card, replace(card, id=f"{identity}:r", prompt=answer, answer=question)]


def _highlight_clozes(context: EntryContext, line: _Line) -> list[Card]:
    pieces: list[str] = []
    position = 0
    for match in _HIGHLIGHT.finditer(line.masked):
        pieces.append(line.raw[position : match.start()])
        pieces.append("{{" + line.raw[match.start(1) : match.end(1)] + "}}")
        position = match.end()
    pieces.append(line.raw[position:])
    cloze_text = _strip_list_marker("".join(pieces).strip())
    text = _HIGHLIGHT.sub(r"\1", _strip_list_marker(line.raw.strip()))
    identity = context.allocator.allocate("cloze\n" + text)
    return [
        Card(
            id=f"{identity}:c{number}",
            deck=context.deck,
            kind=CardKind.CLOZE,
            prompt=prompt,
            answer=answer,
            source=SourceLocation(context.path, line.number),
            tags=context.tags,
            sibling_key=identity,
            reference=context.reference,
            fields={"full_text": full},
        )
        for number, (prompt, answer, full) in enumerate(cloze_cards_text(cloze_text), start=1)
    ]


def _card_block(block: list[_Line], context: EntryContext) -> tuple[list[Card], list[Problem]]:
    opener = block[0]
    inner = block[1:]
    if inner and inner[-1].raw.strip().startswith(("```", "~~~")):
        inner = inner[:-1]
    text = "\n".join(line.raw for line in inner)
    node, problem = safe_compose(text, context.path)
    if problem is not None:
        return [], [replace(problem, line=problem.line + opener.number)]
    if not isinstance(node, yaml.MappingNode):
        return [], [Problem(context.path, opener.number, "a ```card block must hold one card entry (a mapping)")]
    field_lines = {str(key.value): key.start_mark.line + 1 + opener.number for key, _ in node.value}
    entry = construct(node)
    return build_entry_cards(
        {str(key): value for key, value in entry.items()},
        context,
        line=opener.number,
        field_lines=field_lines,
    )
