"""The learner's own blank-page recall sections in a daily note, read as recall attempts.

A daily note's `어제 학습 내용 백지 복습` section is the learner recalling, from a blank page, what
was studied the day before the note's date; `오늘 학습 내용 백지 복습` recalls the note's own day.
Such sections make no recall card (see `topics.RECALL_HEADINGS`); here each becomes a
`RecallSection`: the day it recalls, where it is written, and its text, to be scored against
the topic cards of that day. Notes are only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ckaquiz.decks.topics import RECALL_HEADINGS, heading_words

YESTERDAY_WORDS = ("어제", "yesterday")
"""Words of a recall heading that make it recall the day before the note's date."""


@dataclass(frozen=True)
class RecallSection:
    """One blank-page recall written in a note: the day it recalls and what was written."""

    day: date
    path: str
    line: int
    heading: str
    text: str


def recalled_day(heading: str, note_day: date) -> date:
    """The day a recall heading recalls: the note's day, or the day before for `어제` / `yesterday`."""
    words = heading_words(heading)
    return note_day - timedelta(days=1) if any(word in words for word in YESTERDAY_WORDS) else note_day


def recall_sections(
    text: str, path: str, note_day: date | None, recall_headings: tuple[str, ...] = RECALL_HEADINGS
) -> list[RecallSection]:
    """The recall sections of a note (none without a date): each heading's text up to the next heading
    of the same or a higher level, `---` rules and blank lines left out. One pass over the lines."""
    if note_day is None:
        return []
    markers = [marker.casefold() for marker in recall_headings if marker.strip()]
    found: list[RecallSection] = []
    current: tuple[int, int, str] | None = None  # level, line, heading
    body: list[str] = []
    in_fence = False

    def close() -> None:
        if current is not None and (written := "\n".join(body).strip()):
            found.append(RecallSection(recalled_day(current[2], note_day), path, current[1], current[2], written))

    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        hashes = len(raw) - len(raw.lstrip("#")) if not in_fence else 0
        if 1 <= hashes <= 6 and raw[hashes : hashes + 1].isspace():
            heading = raw[hashes:].strip().rstrip("#").strip()
            if current is not None and hashes <= current[0]:
                close()
                current, body = None, []
            if current is None and any(marker in heading_words(heading) for marker in markers):
                current, body = (hashes, number, heading), []
            elif current is not None:
                body.append(heading)
            continue
        if current is not None and stripped and stripped not in {"---", "***", "___"}:
            body.append(stripped)
    close()
    return found
