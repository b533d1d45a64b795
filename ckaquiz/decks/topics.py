"""Topic-sized recall cards from a note's section, and key points a learner could say.

A heading's section in a daily note often holds several topics one after another: a short
title line (`static pods`), a bold line, or a top-level list item with nested items starts
one. Each topic becomes its own recall card; the title line names the card and is never a key
point. A topic with more than MAX_POINTS points is cut, in order, into parts of at most
MAX_POINTS.

Key points drop what nobody says from a blank page: markup-only lines, HTML wrapper tags,
link-only lines, emoji and template field lines, callout titles and lead-ins ending in `:`
(a lead-in is joined to the first item of the list it introduces). Shell lines of a code block
become command points and a YAML block a manifest point, both scored by the graders.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ckaquiz.markup import CALLOUT, IMAGE_TEXT, URL

MAX_POINTS = 12
"""The most key points one recall card holds: beyond that, nobody recalls a card whole."""
MAX_TITLE_CHARACTERS = 40
MAX_TITLE_WORDS = 6
MAX_COMMAND_CHARACTERS = 160
SHELL_BLOCKS = frozenset({"", "bash", "sh", "shell", "console", "zsh", "terminal"})
YAML_BLOCKS = frozenset({"yaml", "yml"})
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SUBCOMMANDS: dict[str, frozenset[str]] = {
    "kubectl": _names(
        "get describe create apply delete run expose edit label annotate scale rollout set logs exec "
        "port-forward proxy top cordon uncordon drain taint auth config explain api-resources api-versions "
        "patch replace autoscale certificate cluster-info cp diff wait debug version events kustomize"
    ),
    "kubeadm": _names("init join upgrade reset token certs config version kubeconfig"),
    "etcdctl": _names("snapshot get put del member endpoint version"),
    "etcdutl": _names("snapshot backup"),
    "crictl": _names("ps pods images logs inspect inspectp exec pull rmi stop rm info version stats"),
    "helm": _names("install upgrade uninstall list repo search show template status rollback pull get history"),
    "systemctl": _names("start stop restart status enable disable daemon-reload reload is-active cat"),
    "journalctl": frozenset(),
    "kubelet": frozenset(),
}
"""Programs whose command lines become key points, with the words that may follow the program
(a flag may always follow): `kubeadm keeps the manifests` is a sentence, `kubeadm upgrade plan` a command."""
COMMAND_PROGRAMS = frozenset(SUBCOMMANDS)

_SENTENCE_PUNCTUATION = re.compile(r"[.!?。:;]")
_CODE_LIKE = re.compile(r"[`/=|$<>{}\[\]]|\s-{1,2}\w")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*([^*]+?)\*\*|__([^_]+?)__)\s*:?\s*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_TEMPLATE_FIELD = re.compile(r"\{\{[^{}]*\}\}|<%.*?%>")
_WORD = re.compile(r"[^\W_]+")
_TASK_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX/-]\]")
LEAD_IN_PHRASE = re.compile(
    r"(?:다음과\s*같[다음습]\w*|아래와\s*같[다음습]\w*|가지\s*\S*\s*있[다음어]\w*"
    r"|as follows|the following\s*\w*)\s*[.。]?$",
    re.IGNORECASE,
)
"""A sentence that only announces the list right below it (`과정은 다음과 같다.`, `두 가지 타입이 있음.`)."""
WRAPPER_WORDS = frozenset({"show", "hide", "solution", "answer", "details", "click", "정답", "풀이", "보기", "해설"})
"""What a `<summary>` line of a folded solution says: a wrapper, not a point."""


class SourceLine(Protocol):
    """What the topic split reads of a note's line."""

    number: int
    raw: str
    visible: str
    in_fence: bool
    fence_opener: bool
    fence_info: str


@dataclass
class Topic:
    """A run of a section's lines about one thing: its title (blank for the section's own text)."""

    title: str
    line: int
    lines: list[SourceLine] = field(default_factory=list)


def is_title_line(text: str) -> bool:
    """A short line that names what follows: few words, no sentence punctuation, nothing code-like."""
    text = text.strip()
    if not text or len(text) > MAX_TITLE_CHARACTERS or len(text.split()) > MAX_TITLE_WORDS:
        return False
    if text[0] in "#>|-*+!" or text[0].isdigit() or _LIST_ITEM.match(text):
        return False
    if _SENTENCE_PUNCTUATION.search(text) or _CODE_LIKE.search(text) or "http" in text:
        return False
    if text.split()[0] in COMMAND_PROGRAMS:
        return False
    return _WORD.search(text) is not None and not _starts_with_symbol(text)


def bold_title(text: str) -> str | None:
    """The title of a line that is only bold text (`**Pod security**`), else None."""
    match = _BOLD_LINE.match(text)
    if not match:
        return None
    title = (match.group(1) or match.group(2) or "").strip()
    return title if 0 < len(title) <= MAX_TITLE_CHARACTERS * 2 else None


def split_topics(lines: Sequence[SourceLine], *, by_paragraph: bool | None = None) -> list[Topic]:
    """The section's lines cut into topics where its text shows them.

    Title lines, bold lines and top-level list items with nested items start a titled topic.
    When the section shows any such topic (or `by_paragraph` is true), a paragraph after a
    blank line starts an untitled topic too. Tables, code blocks and lists after a blank line
    stay with the topic before them.
    """
    markers = _markers(lines)
    split_paragraphs = bool(markers) if by_paragraph is None else by_paragraph
    topics: list[Topic] = []
    current: Topic | None = None
    after_blank = True
    for index, line in enumerate(lines):
        if line.in_fence:
            if current is None:
                current = Topic("", line.number)
                topics.append(current)
            current.lines.append(line)
            after_blank = False
            continue
        text = line.visible
        if not text.strip():
            after_blank = True
            if current is not None:
                current.lines.append(line)
            continue
        if index in markers:
            current = Topic(markers[index], line.number, [line])
            topics.append(current)
        elif current is None or (split_paragraphs and after_blank and _starts_paragraph(text)):
            current = Topic("", line.number, [line])
            topics.append(current)
        else:
            current.lines.append(line)
        after_blank = False
    return topics


def _markers(lines: Sequence[SourceLine]) -> dict[int, str]:
    """Indexes of the lines that start a titled topic, with each one's title."""
    found: dict[int, str] = {}
    previous_blank = True
    for index, line in enumerate(lines):
        if line.in_fence:
            previous_blank = False
            continue
        text = line.visible
        if not text.strip():
            previous_blank = True
            continue
        following = _next_content(lines, index)
        bold = bold_title(text)
        if bold is not None and following is not None:
            found[index] = bold
        elif previous_blank and following is not None and is_title_line(text):
            found[index] = text.strip()
        else:
            item = _LIST_ITEM.match(text)
            if item and not item.group(1) and following is not None and not _TASK_ITEM.match(text):
                nested = _LIST_ITEM.match(following.visible) if not following.in_fence else None
                if nested and nested.group(1) and not _TASK_ITEM.match(following.visible):
                    title = item.group(2).strip().rstrip(":").strip()
                    if title:
                        found[index] = title
        previous_blank = False
    return found


def _next_content(lines: Sequence[SourceLine], index: int) -> SourceLine | None:
    """The line right after `index` when it holds content (a title is followed by what it names)."""
    if index + 1 >= len(lines):
        return None
    following = lines[index + 1]
    return following if following.in_fence or following.visible.strip() else None


def _starts_paragraph(text: str) -> bool:
    stripped = text.lstrip()
    if text[:1].isspace() or not stripped:
        return False
    return stripped[0] not in "|>-*+!" and not stripped[0].isdigit() and not stripped.startswith("![")


def _starts_with_symbol(text: str) -> bool:
    """Whether text starts with an emoji or pictograph (`🗓️ Date`), not with code's backtick."""
    return ord(text[0]) > 0x2000 and unicodedata.category(text[0]) in {"So", "Sk", "Sm"}


def topic_title(topic: Topic, points: Sequence[str] = ()) -> str:
    """The words a topic card is named by: its title, else a short title of its first point.

    An untitled topic starts with a sentence; its name is that sentence's leading noun phrase
    (`LimitRange` of `LimitRange는 기본값을 준다.`, `gibibyte` of `gibibyte: ...`), or its first
    clause when that is short, else the term its points name most. Never words cut off with `…`.
    """
    if topic.title:
        return topic.title
    texts = list(points) or [line.visible for line in topic.lines if not line.in_fence and line.visible.strip()]
    for text in texts:
        if _clean_inline(text).split():
            return derived_title(text, texts)
    return ""


def identity_title(text: str) -> str:
    """What an untitled topic's card id is made from: its first point's first four words, as the
    card was once named (`노드 어피니티는 파드가 갈…`), so renaming the card keeps its id and history."""
    words = _clean_inline(text).split()
    shown = " ".join(words[:4])
    shown = re.split(r"[.。:;]\s", shown + " ", maxsplit=1)[0].strip().rstrip(".,:;")
    return shown + ("…" if len(words) > 4 or shown != " ".join(words[:4]) else "")


MAX_DERIVED_WORDS = 4
"""The most words of a sentence a derived title keeps: beyond that it is a sentence, not a name."""
_HANGUL_PARTICLES = ("에서는", "에서도", "에서", "에선", "에는", "은", "는", "을", "를", "엔")
"""Particles ending a Korean noun phrase that is the sentence's topic, subject, object or place."""
_LATIN_PARTICLES = (*_HANGUL_PARTICLES, "으로", "로", "이랑", "랑", "와", "과", "이", "가")
"""After a Latin-lettered word (`Pod가`, `LimitRange로`) these cannot be part of the word."""
_NOT_NOUN_ENDINGS = frozenset("하되있없않같많좋작크높낮지")
"""Syllables before `는`/`은` that make a verb or adjective form (`설정하는`, `같은`), not a particle."""
_STANDALONE_PARTICLES = frozenset({"은", "는", "이", "가", "을", "를", "에서"})
_ENGLISH_BREAKS = _names(
    "is are was were will would can could should must may might has have had does do did to of for in on at by "
    "with that which when if as and or but from into than then so because while"
)
"""English words a leading noun phrase ends before (`The NamespaceLifecycle admission controller will`)."""
_ARTICLES = frozenset({"the", "a", "an"})
_CLAUSE_END = re.compile(r"[.,;!?。)(]$")
_TERM = re.compile(r"[A-Za-z][\w.-]{2,}|[가-힣]{2,}")


def derived_title(text: str, texts: Sequence[str] = ()) -> str:
    """A short name for a topic whose first point is `text` (see `topic_title`); `texts` are all its points."""
    words = [word.strip("\"'“”") for word in _clean_inline(text).split()]
    words = [word for word in words if word]
    if words and words[0].casefold() in _ARTICLES and len(words) > 1:
        words = words[1:]
    for index, word in enumerate(words[: MAX_DERIVED_WORDS + 1]):
        before = words[:index]
        if word.endswith(":") and word.rstrip(":"):
            return " ".join([*before, word.rstrip(":")])
        if word in _STANDALONE_PARTICLES and before:
            return " ".join(before)
        if before and word.casefold() in _ENGLISH_BREAKS and before[-1].isascii():
            return " ".join(before)
        stem = _particle_stem(word.rstrip(".,;!?"))
        if stem:
            return " ".join([*before, stem])
        if _CLAUSE_END.search(word):
            return " ".join([*before, word.rstrip(".,;!?。(")]).strip()
    return key_term(texts or [text]) or " ".join(words[:1])


def _particle_stem(word: str) -> str:
    """The noun of `word` when a particle ends it (`LimitRange를` -> `LimitRange`), else ''."""
    for particle in _LATIN_PARTICLES:
        if not word.endswith(particle) or len(word) <= len(particle):
            continue
        stem = word[: -len(particle)]
        last = stem[-1]
        if last.isascii() and (last.isalnum() or last in ")`'\""):
            return stem.strip("`'\"")
        if particle not in _HANGUL_PARTICLES or not ("가" <= last <= "힣") or len(stem) < 2:
            continue
        if particle in {"은", "는"} and last in _NOT_NOUN_ENDINGS:
            continue
        return stem
    return ""


def key_term(texts: Sequence[str]) -> str:
    """The term a topic's points name most often (first named wins a tie), its particle left off."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in _TERM.findall(_clean_inline(text)):
            term = _particle_stem(word) or word
            if term.casefold() not in _ENGLISH_BREAKS and term.casefold() not in _ARTICLES:
                counts[term] = counts.get(term, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""


def _clean_inline(text: str) -> str:
    text = _LIST_ITEM.sub(r"\2", text)
    return text.replace("**", "").replace("`", "").replace("==", "").strip()


# --------------------------------------------------------------------------- not study material

NOT_STUDY_HEADINGS = (
    "하루를 마치며",
    "내일 할 일",
    "오늘 할 일",
    "할 일",
    "오전",
    "오후",
    "저녁",
    "회고",
    "일기",
    "공부 시간",
    "계획",
    "참고",
    "참고 자료",
    "태그",
    "Tags",
    "To do",
    "Todo",
    "Tomorrow",
    "Morning",
    "Afternoon",
    "Evening",
    "Diary",
    "Journal",
    "Reflection",
    "Retrospective",
    "Plan",
    "Plans",
    "References",
    "Reference",
    "Links",
)
"""Headings of diary, reflection, plan and link sections: matched whole, ignoring case, emoji and numbering."""
RECALL_HEADINGS = ("백지 복습", "blank page", "blank-page", "recall")
"""Words that mark a section as the learner's own blank-page recall, matched inside the heading."""
TEMPLATE_FOLDERS = frozenset({"templates", "template", "_templates"})
EXCALIDRAW_SUFFIX = ".excalidraw.md"


_NUMBERING = re.compile(r"^\s*(?:\d+[.)]?\s+)?")


@functools.lru_cache(maxsize=4096)
def heading_words(heading: str) -> str:
    """A heading as compared with the lists: no emoji, numbering or trailing punctuation, folded case."""
    if heading.isascii():
        text = heading  # no emoji to drop
    else:
        text = "".join(character for character in heading if not _starts_with_symbol(character))
    text = _NUMBERING.sub("", text, count=1)
    return " ".join(text.strip().rstrip(":.").split()).casefold()


def is_not_study_heading(heading: str, not_study: Sequence[str], recall: Sequence[str]) -> bool:
    """Whether a heading names a diary, plan or link section, or the learner's own recall."""
    return _is_not_study_heading(heading, tuple(not_study), tuple(recall))


@functools.lru_cache(maxsize=4096)
def _is_not_study_heading(heading: str, not_study: tuple[str, ...], recall: tuple[str, ...]) -> bool:
    words = heading_words(heading)
    if not words:
        return False
    if words in _folded(not_study):
        return True
    return any(marker in words for marker in _folded_markers(recall))


@functools.lru_cache(maxsize=64)
def _folded_markers(markers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(marker.casefold() for marker in markers if marker.strip())


@functools.lru_cache(maxsize=64)
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    """The headings of a list as `heading_words` compares them."""
    return frozenset(heading_words(name) for name in names)


def is_not_study_file(relative: str) -> bool:
    """Templates folders and Excalidraw drawings: files of a vault that hold no notes to study."""
    parts = relative.replace("\\", "/").split("/")
    if parts[-1].casefold().endswith(EXCALIDRAW_SUFFIX):
        return True
    return any(part.casefold() in TEMPLATE_FOLDERS for part in parts[:-1])


# --------------------------------------------------------------------------- key points


_OPEN_SENTENCE_END = re.compile(r"[\w`,]$")
_GOES_ON = re.compile(r"^\s*(?:[a-z]|`[^`]+`[\s,])")


def goes_on_sentence(above: SourceLine, line: SourceLine) -> bool:
    """Whether `line` goes on the sentence of the line right `above` it: one broken mid-sentence by
    a Markdown hard line break (two spaces at the end), as text pasted from a web page is
    (`... will make sure that requests␣␣` / `to a non-existent namespace is rejected`)."""
    return (
        line.number == above.number + 1
        and above.raw.endswith("  ")
        and bool(_OPEN_SENTENCE_END.search(above.visible.rstrip()))
        and not _LIST_ITEM.match(line.visible)
        and not line.visible.lstrip().startswith("|")
        and bool(_GOES_ON.match(line.visible))
    )


def point_lines(lines: Sequence[str]) -> list[str]:
    """Lines worth a key point, lead-ins joined to the first item of the list they introduce."""
    kept: list[str] = []
    pending_lead_in = ""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if text.startswith("|"):
            kept.append(line)  # table rows, and the separator that marks the header above it
            continue
        if is_noise_line(line):
            continue
        if text.endswith(":") and not _LIST_ITEM.match(line) and _plain_words(text):
            following = next((later for later in lines[index + 1 :] if later.strip()), "")
            if _LIST_ITEM.match(following) and not _TASK_ITEM.match(following):
                pending_lead_in = text
            continue  # a lead-in is no point of its own
        if LEAD_IN_PHRASE.search(text) and not _LIST_ITEM.match(line) and index + 1 < len(lines):
            following = lines[index + 1]
            if _LIST_ITEM.match(following) and not _TASK_ITEM.match(following):
                pending_lead_in = text  # `The steps are as follows.` right above its list
                continue
        if "http" in text and URL.sub("", text).rstrip().endswith(":"):
            continue  # `More on this: https://…`: a link under a lead-in
        cleaned = _strip_tags(line) if "<" in line else line
        if "[image:" in cleaned:
            cleaned = IMAGE_TEXT.sub(" ", cleaned).rstrip()
        if "**" in cleaned or "__" in cleaned:
            cleaned = cleaned.replace("**", "").replace("__", "")
        if not _plain_words(cleaned):
            continue
        if pending_lead_in and _LIST_ITEM.match(cleaned):
            item = _LIST_ITEM.match(cleaned)
            assert item is not None
            cleaned = f"{item.group(1)}- {pending_lead_in} {item.group(2).strip()}"
        pending_lead_in = ""
        kept.append(cleaned)
    return kept


def is_noise_line(line: str) -> bool:
    """Whether a line holds nothing a learner could say: markup, wrappers, titles of callouts, fields."""
    text = line.strip()
    if (callout := CALLOUT.match(text)) and callout.group("quote"):
        return True
    if "<" in text and _HTML_TAG.search(text):
        remainder = _HTML_TAG.sub(" ", text).strip()
        words = _plain_words(remainder)
        if len(words) <= 1 and (not words or words[0].casefold() in WRAPPER_WORDS or len(remainder) <= 12):
            return True
    if ("{{" in text or "<%" in text) and _TEMPLATE_FIELD.search(text):
        return True
    body = _LIST_ITEM.sub(r"\2", text).lstrip("> ").strip()
    if body and _starts_with_symbol(body):
        return len(_plain_words(body)) <= 4 or ":" in body[:30]
    return not _plain_words(body.replace("**", "").replace("__", ""))


def _strip_tags(line: str) -> str:
    return re.sub(r"\s{2,}", " ", _HTML_TAG.sub(" ", line)).rstrip()


def _plain_words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_command_point(text: str) -> bool:
    """A key point that is one shell command (`kubectl get pvc -w`): scored by the command grader."""
    words = text.split()
    if len(words) < 2 or words[0] not in SUBCOMMANDS or "\n" in text or not text.isascii():
        return False
    return words[1].startswith("-") or words[1] in SUBCOMMANDS[words[0]]


def point_command(text: str) -> str | None:
    """The shell command a key point is, written bare or as one code span (a list item of
    `` `kubectl get pods -n kube-system` ``), or None for a point of words."""
    bare = text.strip()
    if len(bare) > 2 and bare[0] == bare[-1] == "`" and "`" not in bare[1:-1]:
        bare = bare[1:-1].strip()
    return bare if is_command_point(bare) else None


def is_manifest_point(text: str) -> bool:
    """A key point that is a YAML manifest: scored by the manifest grader."""
    return "\n" in text and bool(re.search(r"^(?:apiVersion|kind):", text, re.MULTILINE))


def code_points(block: Sequence[SourceLine]) -> list[str]:
    """Key points of a fenced block: each short shell line, or a YAML manifest whole."""
    if not block or not block[0].fence_opener:
        return []
    info = block[0].fence_info
    inner = [line.raw for line in block[1:]]
    if inner and inner[-1].strip().startswith(("```", "~~~")):
        inner = inner[:-1]
    if info in YAML_BLOCKS:
        text = "\n".join(inner).strip("\n")
        return [text] if is_manifest_point(text) else []
    if info not in SHELL_BLOCKS:
        return []
    points: list[str] = []
    for raw in inner:
        text = raw.strip()
        if text.startswith(("$ ", "# ")) and text[2:3].isalpha():
            text = text[2:].strip()
        if not text or text.startswith("#") or len(text) > MAX_COMMAND_CHARACTERS:
            continue
        if is_command_point(text):
            points.append(text)
    return points


def parts(points: Sequence[str]) -> list[list[str]]:
    """Points cut in order into runs of at most MAX_POINTS, as even in size as can be."""
    if len(points) <= MAX_POINTS:
        return [list(points)]
    count = -(-len(points) // MAX_POINTS)
    size = -(-len(points) // count)
    return [list(points[start : start + size]) for start in range(0, len(points), size)]
