"""Where the sentences of a note or an answer begin and end, in English and in Korean."""

from __future__ import annotations

import re

# Words that end in a sentence-final syllable without ending a sentence: 컨테이너마다 ("each
# container"), CPU보다 ("than"), 필요 없다.
_NOT_ENDINGS = ("둘다", "셋다", "넷다", "보다", "바다", "필요", "중요", "주요", "개요", "마다")
_SENTENCE_END = re.compile(
    r"\n|[.!?](?=\s)|[。！？]|(?<=[가-힣][다요함됨임])"
    + "".join(f"(?<!{word})" for word in _NOT_ENDINGS)
    + r"(?=[ \t]+(?![ \t]*[(（]))"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, surrounding space left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group() not in ("\n", "") else match.start()
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def sentences(text: str) -> list[str]:
    """The sentences of `text`, surrounding space left out."""
    return [text[begin:end] for begin, end in sentence_spans(text)]
