"""Markdown decks and Obsidian notes: heading sections become recall cards; inline cards live inside.

One parser serves plain Markdown decks and Obsidian notes alike. What Obsidian adds (tag
links, block ids, the Spaced Repetition plugin's separators and scheduling comments,
callouts, plugin query blocks) is read here too; what differs between a deck and a vault
(separators, whether the note title starts every prompt, headings to skip) is a
`MarkdownOptions` value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import yaml

from ckaquiz.decks.entries import MAX_DELETIONS, build_entry_cards, cloze_cards_text
from ckaquiz.decks.entry_fields import EntryContext, merge_tags
from ckaquiz.decks.filenames import file_name, split_suffix
from ckaquiz.decks.identity import duplicate_id_problems, explicit_id
from ckaquiz.decks.inline import (
    CLOZE_STYLES,
    LINE_CLOZE_DELETION,
    MAX_CLOZE_LINE,
    cloze_answer,
    cloze_markers,
    custom_clozes,
    first_group,
    has_tag,
    inline_split,
    may_split,
    parse_sr_schedule,
    separator_lines,
    split_probe,
    sr_comment,
    strip_cloze_markup,
)
from ckaquiz.decks.inline import (
    MarkdownOptions as MarkdownOptions,  # re-exported: loaders name the options by this module
)
from ckaquiz.decks.keypoints import is_table_separator, key_points, mask_inline_code
from ckaquiz.markup import MARKDOWN_LINK, URL, WIKILINK, readable, without_images
from ckaquiz.model import Card, CardKind, Deck, Problem, SourceLocation
from ckaquiz.yaml_nodes import construct, entry_field_lines, safe_compose

PROMPT_SEPARATOR = " › "
QUERY_BLOCKS = frozenset({"dataview", "dataviewjs", "query", "tasks"})
_INLINE_TAG = re.compile(r"(?:^|(?<=\s))#([^\s#.,;:!?()\[\]{}\"'`<>=+*&^%$@|\\]+)")
_REFERENCE = re.compile(r"^\s*reference:\s*(<?https?://\S+?>?)\s*$", re.IGNORECASE)
_PITFALLS = re.compile(r"^\s*pitfalls:\s*([\w./-]+(?:\s*,\s*[\w./-]+)*)\s*$", re.IGNORECASE)
"""`Pitfalls: id, id`: bank misconceptions a section's recall answers are also checked against."""
_PITFALLS_LINE = re.compile(r"\n[^\S\n]*(?i:pitfalls):")
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX/-]\]")
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9-]+)\s*$")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ALPHANUMERIC = re.compile(r"[^\W_]")
"""A character for which `str.isalnum()` is true (a word character other than `_`)."""
MAX_NOTE_LINES = 200_000
"""Lines of one note: reading a line costs a few microseconds and a hundred bytes, so this keeps a
note to a second or two and a few dozen megabytes (five megabytes of blank lines took minutes)."""
MAX_SECTION_LINES = 5_000
MAX_SECTION_CHARACTERS = 200_000
"""A heading's section longer than either (blank lines not counted) makes no recall card (its inline cards still load):
nobody recalls five thousand lines from a blank page, and the answer is shown whole."""
@dataclass(slots=True)
class _Line:
    number: int
    raw: str
    masked: str = ""
    visible: str = ""
    in_fence: bool = False
    fence_opener: bool = False
    fence_info: str = ""


@dataclass
class _Section:
    path: tuple[str, ...]
    line: int
    heading: str = ""
    block_id: str = ""
    lines: list[_Line] = field(default_factory=list)
    intro: bool = False
    fenced: bool = False
    paired_task: str = ""
    """The task of a `q9` heading, on the `answer-9` section that holds its solution."""
    task_only: bool = False
    """A `q9` section whose task is asked by its answer section's cards: no recall card of its own."""


def heading_level(line: str) -> int:
    """1 to 6 for an ATX heading (`## Title`: hashes, then whitespace), else 0.

    Counted, not matched: the pattern this replaces, hashes, spaces, lazy text, spaces, hashes,
    spaces, split a run of spaces three ways and took seconds on a heading of two thousand.
    """
    hashes = len(line) - len(line.lstrip("#"))
    return hashes if 1 <= hashes <= 6 and line[hashes : hashes + 1].isspace() else 0


_COLOUR_CODE = re.compile(r"(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def is_inline_tag(word: str) -> bool:
    """Obsidian's rule: a tag needs at least one character that is not a digit; `#ff0000` is a colour."""
    if _COLOUR_CODE.fullmatch(word) and any(character.isdigit() for character in word):
        return False
    return any(not character.isdigit() for character in word.replace("/", "").replace("-", "").replace("_", ""))


def inline_tags(masked_line: str) -> list[str]:
    """`#tags` in a line whose code and comments are already masked."""
    return [tag.rstrip("/") for tag in _INLINE_TAG.findall(masked_line) if is_inline_tag(tag.rstrip("/"))]


def tag_link_tags(masked_line: str, tag_folder: str | None = None) -> list[str]:
    """Tags written as links into a tag folder: `[[03 - Tags/2025-03|2025-03]]` gives `2025-03`."""
    tags: list[str] = []
    for match in WIKILINK.finditer(masked_line):
        if match.group("embed"):
            continue
        target = match.group("target").strip()
        parts = [part.strip() for part in target.split("/")]
        if len(parts) < 2:
            continue
        folders = parts[:-1]
        if tag_folder is not None:
            is_tag = any(folder.casefold() == tag_folder.casefold() for folder in folders)
        else:
            is_tag = any("tags" in folder.casefold() for folder in folders)
        if is_tag and parts[-1]:
            tags.append(parts[-1].removesuffix(".md"))
    return tags


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
    simple = _simple_frontmatter(text)
    if simple is not None:
        return simple, end + 1, []
    node, problem = safe_compose(text, path)
    if problem is not None:
        return {}, end + 1, [replace(problem, line=problem.line + first, message=f"frontmatter: {problem.message}")]
    if node is None:
        return {}, end + 1, []
    value = construct(node)
    if not isinstance(value, dict):
        return {}, end + 1, [Problem(path, first + 1, "frontmatter: expected a mapping of keys")]
    return {str(key): item for key, item in value.items()}, end + 1, []


_LIBYAML_DIFFERS = frozenset("\t\ufeff\x85\u2028\u2029!|>*&\\")
"""Characters near which libyaml and PyYAML's own parser may disagree (tabs, tags, block
scalars, aliases, escapes, odd line breaks), found by fuzzing the two against each other."""
_LIBYAML_MAX_CHARACTERS = 4096
"""Short enough that libyaml's recursive composer cannot run out of C stack."""


def _simple_frontmatter(text: str) -> dict[str, Any] | None:
    """A plain frontmatter mapping read with libyaml (several times faster than PyYAML's parser).

    None whenever the text is not plain or libyaml is missing, fails, or gives no mapping: the
    caller then reads it with PyYAML's parser, which reports problems exactly as before.
    """
    if not yaml.__with_libyaml__ or len(text) > _LIBYAML_MAX_CHARACTERS or not _LIBYAML_DIFFERS.isdisjoint(text):
        return None
    if text.lstrip().startswith("{") and (value := _json_frontmatter(text)) is not None:
        return value
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        value = None if node is None else construct(node)
    except Exception:  # any failure: PyYAML's parser decides, and words the problem
        return None
    if not isinstance(value, dict):
        return None
    return {str(key): item for key, item in value.items()}


def _json_frontmatter(text: str) -> dict[str, Any] | None:
    """A frontmatter written as a JSON object (Obsidian Digital Garden writes them), read as JSON.

    YAML reads such an object to the same values as long as it holds no floats (YAML 1.1 reads
    `1e3` as text), no escapes (the caller has already turned away backslashes) and no character
    that YAML refuses to read: None otherwise.
    """
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not _yaml_reads_alike(value):
        return None
    return value


def _yaml_reads_alike(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_yaml_reads_alike(item) for item in value.values())
    if isinstance(value, list):
        return all(_yaml_reads_alike(item) for item in value)
    return value is None or isinstance(value, str | bool | int)


def tags_from_value(value: Any) -> list[str]:
    """Frontmatter tags: a list, or a comma/space separated string, with or without `#`."""
    if value is None:
        return []
    if isinstance(value, str):
        return [tag for tag in value.replace(",", " ").split() if tag.strip("#")]
    if isinstance(value, list):
        return [str(tag) for tag in value if isinstance(tag, str | int | float) and str(tag).strip("#")]
    return []


def note_date(frontmatter: dict[str, Any], path: str) -> str | None:
    """The note's date: frontmatter `date` or `created`, else a YYYY-MM-DD in the file name."""
    for key in ("date", "created"):
        value = frontmatter.get(key)
        if isinstance(value, datetime | date):
            return value.isoformat()[:10]
        if isinstance(value, str) and (match := _DATE.search(value)):
            return match.group(1)
    match = _DATE.search(file_name(path))
    return match.group(1) if match else None


def parse_markdown(
    text: str,
    path: str,
    *,
    deck_name: str | None = None,
    default_deck: str | None = None,
    scope: str | None = None,
    options: MarkdownOptions | None = None,
) -> Deck:
    """Read a Markdown deck or note into recall cards per section and the inline cards inside them."""
    options = options or MarkdownOptions()
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_NOTE_LINES:
        message = f"skipped: {len(lines)} lines (at most {MAX_NOTE_LINES} in one note)"
        return Deck(
            name=deck_name or default_deck or split_suffix(file_name(path))[0],
            path=path,
            problems=(Problem(path, MAX_NOTE_LINES + 1, message),),
        )
    frontmatter, body_start, problems = read_frontmatter(lines, path)
    base_name = file_name(path)
    title = split_suffix(base_name)[0]
    name = deck_name or _text(frontmatter.get("deck")) or default_deck or title
    if options.folder_decks and scope is not None and "/" in scope:
        name = scope.split("/", 1)[0]  # the plugin's convertFoldersToDecks: the note's top-level folder
    description = _text(frontmatter.get("description"))
    if frontmatter.get("ckaquiz") is False:
        return Deck(name=name, path=path, description=description, problems=tuple(problems))
    if "deck" in frontmatter and options.title_in_prompt:
        options = replace(options, title_in_prompt=False)  # a file that names its deck is a deck, not a note
    reference = _text(frontmatter.get("reference"))
    file_tags = tags_from_value(frontmatter.get("tags")) + tags_from_value(frontmatter.get("tag"))
    separators = (options.single_separator, options.double_separator, options.multiline_separator)
    classified = _classify(lines, body_start, obsidian_comments=options.topics and "%%" not in separators)
    for line in classified:
        if not line.in_fence:
            if "#" in line.masked:
                file_tags.extend(inline_tags(line.masked))
            if "[[" in line.masked:
                file_tags.extend(tag_link_tags(line.masked, options.tag_folder))
    if options.flashcard_tags or options.flashcard_tags_to_ignore:
        options = replace(options, inline_cards=_holds_flashcards(file_tags, options, scope))
    note: dict[str, Any] = {"note": scope if scope is not None else base_name}
    dated = note_date(frontmatter, path)
    if dated:
        note["note_date"] = dated
    # Every card carries all the note's tags and its note fields, given as they are made.
    context = EntryContext(
        deck=name,
        path=path,
        tags=merge_tags(options.default_tags, file_tags),
        reference=reference,
        scope=scope if scope is not None else base_name,
        fields=note,
    )
    skip = {heading.casefold() for heading in options.skip_headings}
    cards: list[Card] = []
    root_length = 1 if options.title_in_prompt else 0
    filtered = bool(options.not_study_headings or options.recall_headings)
    sections = _sections(classified, title, options)
    if options.topics:
        _pair_task_headings(sections)
    for section in sections:
        if not any(line.visible for line in section.lines):
            continue  # a heading with nothing under it (fences and card lines have visible text)
        if section.heading and section.heading.casefold() in skip:
            continue
        if filtered and not section.intro and _not_study(section.path[root_length:], options):
            continue
        section_cards, section_problems = _section_cards(section, context, options)
        cards.extend(section_cards)
        problems.extend(section_problems)
    if options.flashcards_only:
        cards = [card for card in cards if card.kind is not CardKind.RECALL]
    problems.extend(duplicate_id_problems(cards))
    return Deck(name=name, path=path, description=description, cards=tuple(cards), problems=tuple(problems))


def _pair_task_headings(sections: list[_Section]) -> None:
    """Give each `answer-9` section the task of its `q9` section, which then makes no recall card."""
    from ckaquiz.decks.solutions import answer_number, question_number

    questions: dict[int, _Section] = {}
    for section in sections:
        if not section.heading:
            continue
        if not section.fenced and (number := question_number(section.heading)) is not None:
            questions.setdefault(number, section)
        elif section.fenced and (number := answer_number(section.heading)) is not None and number in questions:
            asked = questions.pop(number)
            texts = [line.visible.strip() for line in asked.lines if _is_study_line(line)]
            section.paired_task = "\n".join(text for text in texts if text) or asked.heading
            asked.task_only = True


def _holds_flashcards(file_tags: list[str], options: MarkdownOptions, scope: str | None) -> bool:
    """The plugin's rule: a note holds flashcards when it has a flashcard tag (or, with folder decks, a folder)."""
    if options.flashcard_tags_to_ignore and has_tag(file_tags, options.flashcard_tags_to_ignore):
        return False
    if options.folder_decks and scope is not None and "/" in scope:
        return True
    return not options.flashcard_tags or has_tag(file_tags, options.flashcard_tags)


def _not_study(headings: tuple[str, ...], options: MarkdownOptions) -> bool:
    """Whether a section, or one above it, is a diary, plan or link section or the learner's own recall."""
    from ckaquiz.decks.topics import is_not_study_heading

    return any(
        is_not_study_heading(heading, options.not_study_headings, options.recall_headings) for heading in headings
    )


def with_note(card: Card, *, fields: dict[str, Any]) -> Card:
    """The card with its note's fields: `dataclasses.replace`, without its generic cost."""
    return Card(
        id=card.id,
        deck=card.deck,
        kind=card.kind,
        prompt=card.prompt,
        answer=card.answer,
        source=card.source,
        tags=card.tags,
        key_points=card.key_points,
        sibling_key=card.sibling_key,
        explanation=card.explanation,
        reference=card.reference,
        fields=fields,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def fenced_blocks(body: str) -> list[tuple[int, int, str]]:
    """(first line, last line, info word) of each fenced code block, counted from 0 in `body`.

    CommonMark decides, through pulldown-cmark's events and their source ranges: a line such as
    ```` ```code``` ```` is inline code, not a fence; a fence may sit in a list item or a callout;
    an unclosed fence ends with the list item or quote holding it, or else the file.
    """
    if not _may_open_fence(body):
        return []  # the parser would find no fence: its events are not needed
    import pyromark

    try:
        encoded = body.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (no file read as UTF-8 holds one) is read as `?`
        body = body.encode("utf-8", "replace").decode("utf-8")
        encoded = body.encode("utf-8")
    blocks: list[tuple[int, int, str]] = []
    line = 0
    position = 0  # byte offset of the start of line `line`
    for event, source in pyromark.events_with_range(body):
        if type(event) is not dict or "Start" not in event:
            continue
        start = event["Start"]
        if type(start) is not dict or "CodeBlock" not in start:
            continue
        kind = start["CodeBlock"]
        if type(kind) is not dict or "Fenced" not in kind:
            continue  # an indented code block: read as text, as before
        first_byte, end_byte = source["start"], source["end"]
        line += encoded.count(b"\n", position, first_byte)
        position = first_byte
        first = line
        last_byte = end_byte - 1 if end_byte > first_byte and encoded[end_byte - 1 : end_byte] == b"\n" else end_byte
        last = first + encoded.count(b"\n", first_byte, last_byte)
        info = str(kind["Fenced"]).split(maxsplit=1)
        blocks.append((first, last, info[0].lower() if info else ""))
    return blocks


_CONTAINER_MARKS = " \t>-*+0123456789.)"
"""What may stand before a fence on its line: indentation, quote markers and list markers."""


def _may_open_fence(body: str) -> bool:
    """Whether a line of `body` may open a fence: ``` or ~~~ after nothing but container marks.

    Found, not matched: a pattern over the marks before a fence backtracks on long runs of them.
    """
    for marker in ("```", "~~~"):
        position = body.find(marker)
        while position >= 0:
            line_start = body.rfind("\n", 0, position) + 1
            if not body[line_start:position].strip(_CONTAINER_MARKS):
                return True
            end = body.find("\n", position)
            if end < 0:
                break
            position = body.find(marker, end)
    return False


def _classify(lines: list[str], start: int, *, obsidian_comments: bool = False) -> list[_Line]:
    """Mark fenced code (found by the CommonMark parser) and mask comments and inline code.

    With `obsidian_comments`, text between `%%` marks (Obsidian's comments, which hide an
    Excalidraw drawing's data too) is masked like an HTML comment.
    """
    # The hot loop of the parser (every line of every note): positional arguments, and substring
    # tests that skip the work (and regexes) a line cannot need.
    result: list[_Line] = []
    append = result.append
    blocks = fenced_blocks("\n".join(lines[start:]))
    fence_lines: dict[int, str | None] = {}  # index in `lines`: the info word on an opener, else None
    for first, last, word in blocks:
        fence_lines[start + first] = word
        for index in range(start + first + 1, start + last + 1):
            fence_lines[index] = None
    in_comment = False
    in_percent = False
    for index in range(start, len(lines)):
        raw = lines[index]
        number = index + 1
        if fence_lines and index in fence_lines:
            if in_percent:
                append(_Line(number, raw, "", ""))  # a code block inside a `%%` comment is comment too
                continue
            opener = fence_lines[index]
            if opener is None:
                append(_Line(number, raw, "", raw, True))
            else:
                append(_Line(number, raw, "", raw, True, True, opener))
            continue
        if in_comment or "<!--" in raw:
            masked, in_comment = _mask_comments(raw, in_comment)
        else:
            masked = raw
        if obsidian_comments and (in_percent or "%%" in masked):
            masked, in_percent = _mask_between(masked, in_percent, "%%", "%%")
        if masked is raw:
            visible = raw  # nothing masked: the common case, without a loop over characters
        else:
            visible = "".join(
                character for character, kept in zip(raw, masked, strict=False) if character == kept or kept != " "
            )
        append(_Line(number, raw, mask_inline_code(masked) if "`" in masked else masked, visible.rstrip()))
    return result


def _mask_between(line: str, inside: bool, opener: str, closer: str) -> tuple[str, bool]:
    """Blank out the parts of a line between `opener` and `closer`; carry an open span onward."""
    output: list[str] = []
    position = 0
    while position < len(line):
        if inside:
            end = line.find(closer, position)
            if end < 0:
                output.append(" " * (len(line) - position))
                return "".join(output), True
            output.append(" " * (end + len(closer) - position))
            position = end + len(closer)
            inside = False
        else:
            begin = line.find(opener, position)
            if begin < 0:
                output.append(line[position:])
                break
            output.append(line[position:begin] + " " * len(opener))
            position = begin + len(opener)
            inside = True
    return "".join(output), inside


def _mask_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Blank out the parts of a line inside HTML comments; carry an open comment onward."""
    if not in_comment and "<!--" not in line:
        return line, False
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
    append = sections[-1].lines.append
    separators = {options.multiline_separator, options.multiline_reverse_separator} - {""}
    end_marker = options.multiline_end_marker
    separator_probe = "?" if all("?" in separator for separator in separators) else ""  # a cheap test per line
    in_answer = False  # within a multi-line card's answer, where a heading is answer text (as the plugin reads it)
    previous = ""
    for line in lines:
        if line.in_fence:
            sections[-1].fenced = True
            append(line)
            previous = line.raw
            continue
        if in_answer:  # until the end marker, or else a blank line
            in_answer = line.masked.strip() != end_marker if end_marker else bool(line.raw.strip())
        elif separators and (not separator_probe or separator_probe in line.masked):
            in_answer = line.masked.strip() in separators and bool(previous.strip())
        previous = line.raw
        level = heading_level(line.masked) if line.masked.startswith("#") else 0
        if not level or in_answer:
            append(line)
            continue
        heading_text = line.visible.strip()[level:].strip().rstrip("#").strip()
        block = _BLOCK_ID.search(" " + heading_text)
        if block:
            heading_text = heading_text[: len(heading_text) - len(block.group(0)) + 1].strip()
        heading_text = readable(heading_text) or "(untitled)"
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading_text))
        sections.append(
            _Section(
                path=root + tuple(text for _, text in stack),
                line=line.number,
                heading=heading_text,
                block_id=block.group(1) if block else "",
            )
        )
        append = sections[-1].lines.append
    return sections


def _is_study_line(line: _Line) -> bool:
    """Whether a line holds study content, not just tasks, images, links or tags."""
    text = line.visible
    if "-" in text and is_table_separator(text):
        return True  # kept so the header row above it is recognised (it is no point itself)
    head = text[:1]
    if "[" not in text and "#" not in text and "http" not in text and not (head.isdigit() or head.isspace()):
        return _ALPHANUMERIC.search(text) is not None  # nothing below would change the text
    if not text.strip() or ("[" in text and _TASK.match(text)):
        return False
    # Each substitution runs only when the text holds what its pattern needs.
    stripped = text
    if "](" in stripped:
        stripped = MARKDOWN_LINK.sub(" ", stripped)
    if "[[" in stripped:
        stripped = WIKILINK.sub(" ", stripped)
    if "http" in stripped:
        stripped = URL.sub(" ", stripped)
    if "#" in stripped:
        stripped = _INLINE_TAG.sub(" ", stripped)
    if stripped[:1].isdigit() or stripped[:1].isspace():
        stripped = _LIST_MARKER.sub("", stripped)  # a `1.` marker's digits are no content
    return _ALPHANUMERIC.search(stripped) is not None


@dataclass
class _SectionWork:
    """One section on its way to cards: what each step reads, and what the steps found so far."""

    section: _Section
    context: EntryContext
    options: MarkdownOptions
    text: str
    """The section's masked lines joined: what it holds is looked up once, so that the passes over
    its lines run only where they can find something (most sections hold plain notes)."""
    content: list[_Line] = field(default_factory=list)
    """The section's lines without card and query blocks."""
    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    """Numbers of the lines another card (or a `reference:`/`pitfalls:` line) took from the recall card."""
    has_code: bool = False
    reference: str = ""
    pitfalls: list[str] = field(default_factory=list)
    section_context: EntryContext | None = None

    @property
    def inline_context(self) -> EntryContext:
        """The context of the section's inline cards: the file's, with the section's reference."""
        if self.section_context is None:
            self.section_context = _with_reference(self.context, self.reference)
        return self.section_context


def _section_cards(
    section: _Section, context: EntryContext, options: MarkdownOptions
) -> tuple[list[Card], list[Problem]]:
    """The cards of one heading's section: its blocks, inline cards and recall card, step by step."""
    work = _SectionWork(section, context, options, "\n".join([line.masked for line in section.lines]))
    work.reference = context.reference
    for step in _SECTION_STEPS:
        step(work)
    return work.cards, work.problems


def _code_blocks(work: _SectionWork) -> None:
    """Take ```card blocks (YAML entries) and plugin query blocks out of the section's lines."""
    lines = work.section.lines
    if not work.section.fenced:
        work.content = lines
        return
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
                entry_cards, entry_problems = _card_block(block, work.context)
                work.cards.extend(entry_cards)
                work.problems.extend(entry_problems)
            elif block[0].fence_info not in QUERY_BLOCKS:
                work.has_code = True
                work.content.extend(block)
            continue
        work.content.append(line)
        index += 1


def _solutions(work: _SectionWork) -> None:
    """A task with its solution (a kubectl block, a manifest) in a note becomes a command or manifest card."""
    section = work.section
    if section.task_only:
        work.consumed.update(line.number for line in work.content)
        return
    if not work.options.topics or not section.fenced:
        return
    from ckaquiz.decks.solutions import section_solutions

    answers = bool(section.paired_task)
    heading = section.paired_task or (section.heading if not section.intro else "")
    consumed = work.consumed
    content = [line for line in work.content if line.number not in consumed] if consumed else work.content
    for solution in section_solutions(content, heading, answers=answers):
        entry = {"kind": solution.kind, "question": solution.task, "answer": solution.answer}
        cards, problems = build_entry_cards(entry, work.inline_context, line=solution.line)
        work.problems.extend(problems)
        if cards:
            work.cards.extend(with_note(card, fields=card.fields | work.context.fields) for card in cards)
            work.consumed.update(solution.lines)


def _reference_line(work: _SectionWork) -> None:
    """A `reference: URL` line gives the section's cards their reference."""
    if not _REFERENCE_LINE.search(f"\n{work.text}"):
        return
    for line in work.content:
        reference_match = _REFERENCE.match(line.masked) if not line.in_fence and ":" in line.masked else None
        if reference_match:
            work.reference = reference_match.group(1).strip("<>")
            work.consumed.add(line.number)


def _pitfalls_line(work: _SectionWork) -> None:
    """A `pitfalls: id, id` line names bank misconceptions the recall answers are checked against."""
    if not _PITFALLS_LINE.search(f"\n{work.text}"):
        return
    for line in work.content:
        pitfalls_match = _PITFALLS.match(line.masked) if not line.in_fence and ":" in line.masked else None
        if pitfalls_match:
            named = [name.strip() for name in pitfalls_match.group(1).split(",")]
            from ckaquiz.misconceptions import pitfall_problems

            messages = pitfall_problems(named)
            work.problems.extend(Problem(work.context.path, line.number, message) for message in messages)
            if not messages:
                work.pitfalls.extend(name for name in named if name not in work.pitfalls)
            work.consumed.add(line.number)


def _multiline_cards(work: _SectionWork) -> None:
    """`question / ? / answer` blocks (`??` makes both directions)."""
    options, content = work.options, work.content
    if not options.inline_cards:
        return
    if not separator_lines(options.multiline_separator, options.multiline_reverse_separator).search(
        f"\n{work.text}"
    ):
        return
    separators = {options.multiline_separator: False, options.multiline_reverse_separator: True}
    for start, separator_index, end in _multiline_spans(content, options):
        question = "\n".join(line.visible for line in content[start:separator_index]).strip()
        answer = "\n".join(line.visible for line in content[separator_index + 1 : end]).strip()
        reverse = separators[content[separator_index].masked.strip()]
        work.consumed.update(line.number for line in content[start:end])
        if (
            end < len(content)
            and options.multiline_end_marker
            and content[end].masked.strip() == options.multiline_end_marker
        ):
            work.consumed.add(content[end].number)
        schedule = _sr_near(content, end - 1, work.problems, work.context.path)
        work.cards.extend(
            _basic(work.inline_context, question, answer, content[start].number, reverse=reverse, schedule=schedule)
        )


def _inline_cards(work: _SectionWork) -> None:
    """`question::answer` lines (`:::` makes both directions) and lines with cloze deletions."""
    options, content, consumed = work.options, work.content, work.consumed
    if not options.inline_cards:
        return
    markers = cloze_markers(options.cloze_styles, options.cloze_patterns)
    clozing = markers.search(work.text) is not None
    if not clozing and not may_split(work.text, options):
        return
    probe = split_probe(options.single_separator, options.double_separator)
    clozed: set[int] = set()
    for position, line in enumerate(content):
        masked = line.masked
        if probe is not None and probe not in masked and not (clozing and markers.search(masked)):
            continue  # neither an inline card nor a cloze can be in this line
        if line.in_fence or (consumed and line.number in consumed):
            continue
        split = inline_split(masked, options)
        if split is not None:
            at, width, reverse = split
            question = line.visible[:at].strip()
            answer = line.visible[at + width :].strip()
            if question and answer:
                consumed.add(line.number)
                block_id = _BLOCK_ID.search(answer) if "^" in answer else None
                given = block_id.group(1) if block_id else None
                if block_id:
                    answer = answer[: block_id.start()].strip()
                schedule = _sr_near(content, position, work.problems, work.context.path)
                work.cards.extend(
                    _basic(
                        work.inline_context,
                        _LIST_MARKER.sub("", question, count=1),
                        answer,
                        line.number,
                        reverse=reverse,
                        schedule=schedule,
                        given_id=given,
                    )
                )
                continue
        if clozing and markers.search(masked) and line.number not in clozed:
            paragraph, last = _cloze_paragraph(content, position, options, consumed)
            clozed.update(part.number for part in paragraph)
            schedule = _sr_near(content, last, work.problems, work.context.path)
            work.cards.extend(_clozes(work.inline_context, _joined(paragraph), options, schedule))


def _recall_card(work: _SectionWork) -> None:
    """The section's own blank-page recall cards, first among its cards: its notes and their key points.

    A plain deck's section is one card. A note's section (`MarkdownOptions.topics`) is one card
    per topic it shows, each of at most `topics.MAX_POINTS` points; a topic with no point a
    learner could say makes no card.
    """
    if len(work.cards) > 1:
        work.cards.sort(key=_source_line)
    section, context, options, content, consumed = work.section, work.context, work.options, work.content, work.consumed
    if not options.topics:
        _section_recall_card(work, content)
        return
    from ckaquiz.decks.topics import MAX_POINTS, Topic, parts, split_topics

    kept = [line for line in content if not (consumed and line.number in consumed)]
    if not kept or not _may_hold_points(kept):
        return  # nothing a learner could say: no card, and no word
    if oversized := _oversized(section, len(work.text)):
        if any(line.in_fence for line in kept) or _holds_points(work, kept):
            # a section with nothing a learner could say makes no card, and needs no word
            work.problems.append(Problem(context.path, section.line, oversized))
        return
    topics = split_topics(kept) or [Topic("", section.line, [*kept])]
    whole = len(topics) == 1 and not topics[0].title
    if whole and len(points := _topic_points(work, kept)) <= MAX_POINTS:
        _section_recall_card(work, content, points)  # one topic: the card (and its id) stays the section's
        return
    made: list[Card] = []
    for topic in topics:
        points = _topic_points(work, topic.lines[1:] if topic.title else topic.lines)
        if not points:
            continue
        runs = parts(points)
        for number, run in enumerate(runs, start=1):
            made.append(_topic_card(work, topic, run, number, len(runs), named=not whole))
    work.cards[0:0] = made


def _topic_points(work: _SectionWork, lines: Sequence[Any]) -> list[str]:
    """Key points of a topic's lines: its sayable lines, then the commands and manifests of its code."""
    from ckaquiz.decks.topics import code_points, goes_on_sentence, point_lines

    texts: list[str] = []
    above = None
    for line in lines:
        if line.in_fence or not _is_study_line(line):
            continue
        text = _BLOCK_ID.sub("", line.visible)
        if above is not None and goes_on_sentence(above, line):
            texts[-1] = f"{texts[-1].rstrip()} {text.strip()}"  # one sentence over hard-wrapped lines
        else:
            texts.append(text)
        above = line
    points = _readable_points(key_points(point_lines(texts)), work.options)
    index = 0
    while index < len(lines):
        if lines[index].fence_opener:
            block = [lines[index]]
            index += 1
            while index < len(lines) and lines[index].in_fence and not lines[index].fence_opener:
                block.append(lines[index])
                index += 1
            points.extend(code_points(block))
            continue
        index += 1
    return [point for point in points if point]


def _holds_points(work: _SectionWork, lines: Sequence[Any]) -> bool:
    """Whether the lines give any key point, read a run at a time so that a long section stops at its first."""
    step = _POINT_PROBE_LINES
    return any(_topic_points(work, lines[start : start + step]) for start in range(0, len(lines), step))


_POINT_PROBE_LINES = 64


def _readable_points(points: list[str], options: MarkdownOptions) -> list[str]:
    markers = cloze_markers(options.cloze_styles, options.cloze_patterns)
    shown = [
        without_images(strip_cloze_markup(readable(point), options)) if "[" in point or markers.search(point) else point
        for point in points
    ]
    return [point for point in shown if point]  # a line that was only an image is no point


def _topic_card(work: _SectionWork, topic: Any, points: list[str], number: int, count: int, *, named: bool) -> Card:
    """One topic's recall card (or one part of a long topic's): the heading path and topic title as prompt."""
    from ckaquiz.decks.topics import identity_title, topic_title

    section, context = work.section, work.context
    if not named:
        title = named_by = ""
    else:  # an untitled topic is named by a short title of its first point, its id by that point's first words
        title = topic_title(topic, points)
        named_by = title if topic.title else identity_title(points[0])
    prompt = PROMPT_SEPARATOR.join((*section.path, title) if title else section.path)
    identity_basis = PROMPT_SEPARATOR.join((*section.path, named_by) if named_by else section.path)
    if count > 1:
        prompt += f" (part {number} of {count})"
        identity_basis += f" (part {number} of {count})"
        answer = "\n".join(f"- {point}" for point in points)
    else:
        answer = "\n".join(line.raw if line.in_fence else line.visible for line in topic.lines).strip("\n")
    basis = "recall-intro" if section.intro else "recall"
    identity = work.inline_context.allocator.allocate(f"{basis}\n{identity_basis}")
    return Card(
        id=identity,
        deck=context.deck,
        kind=CardKind.RECALL,
        prompt=prompt,
        answer=answer,
        source=SourceLocation(context.path, topic.line),
        tags=context.tags,
        key_points=tuple(points),
        sibling_key=identity,
        reference=work.reference,
        fields=dict(context.fields) | ({"pitfalls": work.pitfalls} if work.pitfalls else {}),
    )


def _may_hold_points(lines: Sequence[Any]) -> bool:
    """Whether any line could give a key point: code, or a line with a letter or digit in it."""
    return any(line.in_fence or _ALPHANUMERIC.search(line.visible) for line in lines)


def _section_recall_card(work: _SectionWork, content: list[_Line], topic_points: list[str] | None = None) -> None:
    """The whole section as one recall card (a plain deck's, or a note's section of one topic)."""
    section, context, options, consumed = work.section, work.context, work.options, work.consumed
    markers = cloze_markers(options.cloze_styles, options.cloze_patterns)
    point_lines: list[str] = []
    keep = point_lines.append
    for line in content:
        if line.in_fence or (consumed and line.number in consumed):
            continue
        visible = line.visible
        if not visible:
            continue  # a blank line (visible text is stripped on the right)
        plain = _PLAIN_POINT.fullmatch(visible)
        if plain:
            keep(plain.group(1))  # a study line no rule changes but for its bullet
        elif _is_study_line(line):
            keep(_BLOCK_ID.sub("", visible) if "^" in visible else visible)
    has_code = work.has_code
    if has_code and consumed:  # code that belongs to a multi-line card is that card's
        has_code = any(line.in_fence and line.number not in consumed for line in content)
    if options.topics:
        points = topic_points if topic_points is not None else _topic_points(work, [
            line for line in content if not (consumed and line.number in consumed)
        ])
        if not points:
            return  # nothing a learner could say: no card that suggests "again" for every answer
    else:
        points = key_points(point_lines)
        written = "\n".join(point_lines)
        if "[" in written or markers.search(written):
            points = _readable_points(points, options)
        if not points and not has_code:
            return
    if oversized := _oversized(section, len(work.text)):
        work.problems.append(Problem(context.path, section.line, oversized))
        return
    if consumed or section.fenced:
        section_lines = [
            line.visible if not line.in_fence else line.raw for line in content if line.number not in consumed
        ]
    else:
        section_lines = [line.visible for line in content]
    answer = "\n".join(section_lines).strip("\n")
    prompt = PROMPT_SEPARATOR.join(section.path)
    if section.block_id:
        identity = explicit_id(context.deck, section.block_id)
    else:
        basis = "recall-intro" if section.intro else "recall"
        identity = work.inline_context.allocator.allocate(f"{basis}\n{prompt}")
    work.cards.insert(
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
            reference=work.reference,
            fields=dict(context.fields) | ({"pitfalls": work.pitfalls} if work.pitfalls else {}),
        ),
    )


_SECTION_STEPS: tuple[Callable[[_SectionWork], None], ...] = (
    _code_blocks,
    _reference_line,
    _pitfalls_line,
    _multiline_cards,
    _inline_cards,
    _solutions,
    _recall_card,
)
"""What a section is read for, in order: each step may take lines from the ones after it."""


def _oversized(section: _Section, characters: int) -> str | None:
    """Why a section is too long for a recall card, or None."""
    name = PROMPT_SEPARATOR.join(section.path)
    if len(name) > 60:
        name = name[:59] + "…"
    if len(section.lines) > MAX_SECTION_LINES:
        written = sum(1 for line in section.lines if line.raw and not line.raw.isspace())  # blank lines are free
        if written > MAX_SECTION_LINES:
            return f"no recall card for {name!r}: {written} lines (at most {MAX_SECTION_LINES})"
    if characters > MAX_SECTION_CHARACTERS:
        return f"no recall card for {name!r}: {characters} characters (at most {MAX_SECTION_CHARACTERS})"
    return None


_PLAIN_POINT = re.compile(r"[^\S\n]*(?:[-*+][^\S\n]+)?(`?(?!https?://)[^\W\d_][^\[^=*{]*)")
"""A line or bullet whose text starts with a letter outside a URL, or code starting so (a study line,
whatever URLs or tags follow), and holds nothing a key point loses (links, block ids, cloze marks):
group 1 is its key point, which `key_points` keeps as it is."""


def _source_line(card: Card) -> int:
    return card.source.line


_REFERENCE_LINE = re.compile(r"\n[^\S\n]*(?i:reference):")
"""Where a section may hold a `reference:` line (`_REFERENCE` then reads it line by line). It searches
the text after a line break: a literal line break is found fast, `^` in multi-line mode is tried
at every character."""


def _with_reference(context: EntryContext, reference: str) -> EntryContext:
    if reference == context.reference:
        return context
    scoped = EntryContext(
        deck=context.deck,
        path=context.path,
        tags=context.tags,
        reference=reference,
        scope=context.scope,
        fields=context.fields,
    )
    scoped.allocator = context.allocator
    return scoped


def _sr_near(content: list[_Line], position: int, problems: list[Problem], path: str) -> list[dict[str, Any] | None]:
    """The plugin's scheduling comment on a card's last line or the line after it."""
    for index in (position, position + 1):
        if 0 <= index < len(content) and not content[index].in_fence:
            line = content[index]
            comment = sr_comment(line.raw)
            if comment is not None:
                reasons: list[str] = []
                entries = parse_sr_schedule(comment, reasons)
                problems.extend(Problem(path, line.number, reason) for reason in reasons)
                return entries
    return []


def _multiline_spans(content: list[_Line], options: MarkdownOptions) -> list[tuple[int, int, int]]:
    """(start, separator, end) of each `question / ? / answer` block among the section's lines."""
    separators = {options.multiline_separator, options.multiline_reverse_separator}
    single, double = options.multiline_separator, options.multiline_reverse_separator
    spans: list[tuple[int, int, int]] = []
    taken_until = 0
    for index, line in enumerate(content):
        masked = line.masked
        if single not in masked and double not in masked:
            continue  # a separator line holds the separator
        marker = masked.strip()
        if line.in_fence or marker not in separators or index < taken_until:
            continue
        start = index
        # A fenced block belongs to the card around it, blank lines and all (as the plugin reads it).
        while start > taken_until and (
            content[start - 1].in_fence
            or (content[start - 1].visible.strip() and inline_split(content[start - 1].masked, options) is None)
        ):
            start -= 1
        end = index + 1
        if options.multiline_end_marker:
            while end < len(content) and (
                content[end].in_fence or content[end].masked.strip() != options.multiline_end_marker
            ):
                end += 1
        else:
            while end < len(content) and (content[end].in_fence or content[end].raw.strip()):
                end += 1
        if start == index or end == index + 1:
            continue  # a lone `?` with nothing on one side is just text
        spans.append((start, index, end))
        taken_until = end + 1
    return spans


def _cloze_paragraph(
    content: list[_Line], position: int, options: MarkdownOptions, consumed: set[int]
) -> tuple[list[_Line], int]:
    """The lines of the paragraph around a cloze line, as the plugin reads one cloze card, and the index
    of its last line (where a scheduling comment goes): a paragraph ends at a blank line, a fence, a
    line another card took, or a `question::answer` line."""

    def joins(line: _Line) -> bool:
        return bool(line.raw.strip()) and not line.in_fence and line.number not in consumed and (
            inline_split(line.masked, options) is None
        )

    first = position
    while first > 0 and joins(content[first - 1]):
        first -= 1
    last = position
    while last + 1 < len(content) and joins(content[last + 1]):
        last += 1
    paragraph = [line for line in content[first : last + 1] if line.visible.strip()]
    return paragraph, last


def _joined(lines: list[_Line]) -> _Line:
    """One line standing for a paragraph of lines (numbered as its first)."""
    if len(lines) == 1:
        return lines[0]
    return _Line(
        lines[0].number,
        "\n".join(line.raw for line in lines),
        "\n".join(line.masked for line in lines),
        "\n".join(line.visible for line in lines),
    )


def _sr_entry(schedule: list[dict[str, Any] | None], index: int) -> dict[str, Any]:
    entry = schedule[index] if index < len(schedule) else None
    return {} if entry is None else {"sr": entry}


def _basic(
    context: EntryContext,
    question: str,
    answer: str,
    line: int,
    *,
    reverse: bool,
    schedule: list[dict[str, Any] | None] | None = None,
    given_id: str | None = None,
) -> list[Card]:
    schedule = schedule or []
    source = SourceLocation(context.path, line)
    identity = explicit_id(context.deck, given_id) if given_id else context.allocator.allocate(f"basic\n{question}")
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
        fields=_sr_entry(schedule, 0) | context.fields,
    )
    if not reverse:
        return [card]
    reverse_fields = _sr_entry(schedule, 1) | context.fields
    return [card, replace(card, id=f"{identity}:r", prompt=answer, answer=question, fields=reverse_fields)]


def _clozes(
    context: EntryContext, line: _Line, options: MarkdownOptions, schedule: list[dict[str, Any] | None]
) -> list[Card]:
    """One card per cloze deletion in a line, in the styles the options allow."""
    spans: list[tuple[int, int, str]] = []
    if len(line.masked) > MAX_CLOZE_LINE:
        return []
    for style in options.cloze_styles:
        for match in CLOZE_STYLES[style].finditer(line.masked):
            if len(spans) >= MAX_DELETIONS:
                break
            if not any(start < match.end() and match.start() < end for start, end, _ in spans):
                spans.append((match.start(), match.end(), cloze_answer(line.visible[match.start(1) : match.end(1)])))
    for pattern in custom_clozes(options.cloze_patterns):
        for match in pattern.finditer(line.masked):
            if len(spans) >= MAX_DELETIONS:
                break
            if not any(start < match.end() and match.start() < end for start, end, _ in spans):
                answer = line.visible[match.start("answer") : match.end("answer")]
                spans.append((match.start(), match.end(), answer))
    if not spans:
        return []
    spans.sort()
    pieces: list[str] = []
    position = 0
    for start, end, answer in spans:
        pieces.append(line.visible[position:start])
        pieces.append("{{" + answer + "}}")
        position = end
    pieces.append(line.visible[position:])
    cloze_text = _LIST_MARKER.sub("", "".join(pieces).strip(), count=1)
    text = LINE_CLOZE_DELETION.sub(first_group, cloze_text)
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
            fields={"full_text": full} | _sr_entry(schedule, number - 1) | context.fields,
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
    field_lines = entry_field_lines(node, opener.number)
    entry = construct(node)
    cards, problems = build_entry_cards(
        {str(key): value for key, value in entry.items()}, context, line=opener.number, field_lines=field_lines
    )
    return [with_note(card, fields=card.fields | context.fields) for card in cards], problems
