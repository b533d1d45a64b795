"""The learner's own blank-page recall written in notes, recorded as recall attempts on import.

A note's `오늘 학습 내용 백지 복습` section recalls the topic cards of the note's own day; its
`어제 학습 내용 백지 복습` those of the previous dated note of the same vault. Each section is scored
against each of those cards (`coverage.score_recall`) and kept as that card's attempt, without a
review: `history` and `stats` show it as they show typed ones. Importing again is idempotent: an
unchanged section and unchanged cards are not scored again; an edited section updates its
attempts in place. Notes are only read.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from ckaquiz.decks.own_recall import YESTERDAY_WORDS, recall_sections
from ckaquiz.decks.topics import RECALL_HEADINGS, heading_words
from ckaquiz.parallel import ignore_interrupts, usable_workers
from ckaquiz.progress import Progress
from ckaquiz.store import (
    FoundRecall,
    NoteRecall,
    SourceRecord,
    Store,
    attempt_links,
    read_stamps,
    recall_cards_by_day,
    save_note_in_transaction,
    source_recalls,
    write_attempt_in_transaction,
)

if TYPE_CHECKING:
    from ckaquiz.coverage import RecallScore

NOTE_SUFFIXES = (".md", ".markdown")
"""The files that are notes, and may hold recall sections (not decks in YAML or plain-text exports)."""
WRITTEN_AT = time(12, 0, tzinfo=UTC)
"""The time of day a note's recall attempts are dated at: the note says the day, not the hour."""


def record_own_recalls(
    store: Store,
    source: SourceRecord,
    files: Mapping[str, tuple[str, tuple[int, int]]],
    *,
    now: datetime,
    cards_changed: bool,
    recall_headings: Sequence[str] = RECALL_HEADINGS,
    progress: Progress | None = None,
) -> int:
    """Read the recall sections of the source's notes (`files`: display path -> file and its size and
    mtime) that changed since last read, then score every section whose text or cards changed.
    Returns how many attempts were written."""
    stamps = read_stamps(store, source.id)
    notes: list[tuple[str, tuple[int, int], list[FoundRecall]]] = []
    for shown, (file, stamp) in files.items():
        if not shown.endswith(NOTE_SUFFIXES) or stamps.get(shown) == stamp:
            continue
        found = _note_recalls(Path(file), shown, tuple(recall_headings))
        if found is not None:
            notes.append((shown, stamp, found))
    found_changes = 0
    if notes:
        with store.transaction() as connection:  # one transaction for every note read: a vault's first scan
            for shown, stamp, found in notes:
                found_changes += save_note_in_transaction(connection, source.id, shown, stamp, found, now=now)
    if not (found_changes or cards_changed):
        return 0
    return score_recalls(store, source.id, progress=progress)


def _note_recalls(file: Path, shown: str, recall_headings: tuple[str, ...]) -> list[FoundRecall] | None:
    """The recall sections of one note (none for an undated note); None when it cannot be read."""
    from ckaquiz.decks.markdown import note_date, read_frontmatter
    from ckaquiz.file_access import MAX_DECK_BYTES, RefusedFile, read_regular_file

    try:
        text = read_regular_file(file, limit=MAX_DECK_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, RefusedFile):
        return None
    folded = text.casefold()
    if not any(marker.casefold() in folded for marker in recall_headings):
        return []  # no recall heading: the frontmatter need not be read
    lines = text.replace("\r\n", "\n").split("\n")
    frontmatter, _, _ = read_frontmatter(lines, shown)
    written = note_date(frontmatter, shown)
    if written is None:
        return []
    try:
        day = date.fromisoformat(written)
    except ValueError:
        return []
    found: list[FoundRecall] = []
    seen: dict[str, int] = {}
    for section in recall_sections(text, shown, day, tuple(recall_headings)):
        seen[section.heading] = seen.get(section.heading, 0) + 1
        words = heading_words(section.heading)
        recalls = "yesterday" if any(word in words for word in YESTERDAY_WORDS) else "today"
        found.append(FoundRecall(section.heading, seen[section.heading], section.line, day, recalls, section.text))
    return found


def score_recalls(store: Store, source_id: int, *, progress: Progress | None = None) -> int:
    """Score each stored recall section of a source against the topic cards of the day it recalls
    (`progress` told how many of the scorings are done, on a first import of a vault)."""
    recalls = source_recalls(store, source_id)
    if not recalls:
        return 0
    cards = recall_cards_by_day(store, source_id)
    days = sorted(cards)
    links = attempt_links(store, [recall.id for recall in recalls])
    pending: list[_Pending] = []
    for recall in recalls:
        day = recalled_day(recall, days)
        recall_part = _recall_digest(recall)
        for card_id, key_points in cards.get(day, []):
            digest = _digest(recall_part, key_points)
            known = links.get((recall.id, card_id))
            if known is not None and known[1] == digest:
                continue
            pending.append(_Pending(recall, card_id, key_points, digest, None if known is None else known[0]))
    if not pending:
        return 0
    scores = scored([(item.key_points, item.recall.text) for item in pending], progress=progress)
    with store.transaction() as connection:
        for item, score in zip(pending, scores, strict=True):
            recall = item.recall
            result = score.to_dict() | {
                "own_recall": {"note": recall.path, "line": recall.line, "heading": recall.heading}
            }
            write_attempt_in_transaction(
                connection,
                recall,
                item.card_id,
                attempt_id=item.attempt_id,
                digest=item.digest,
                result=result,
                score=score.coverage,
                suggested=int(score.suggested),
                at=datetime.combine(recall.note_day, WRITTEN_AT),
            )
    return len(pending)


@dataclass(frozen=True)
class _Pending:
    """A recall section and a card it recalls, to be scored: new, or changed since it was scored."""

    recall: NoteRecall
    card_id: str
    key_points: tuple[str, ...]
    digest: str
    attempt_id: int | None


PARALLEL_MINIMUM_PAIRS = 64
"""Below this many scorings (about a quarter of a second), starting workers costs more than it saves."""
_PAIRS_PER_WORKER = 32


def scored(
    pairs: Sequence[tuple[tuple[str, ...], str]], *, progress: Progress | None = None
) -> list[RecallScore]:
    """Each (key points, recall text) scored, in order: shared among worker processes when there
    are many (a vault's first import), in this process otherwise. Scoring is pure, so the
    results are the same either way; pairs of one recall stay together, where its analysis is kept."""
    from ckaquiz.coverage import score_recall

    workers = usable_workers(len(pairs) // _PAIRS_PER_WORKER) if len(pairs) >= PARALLEL_MINIMUM_PAIRS else 1
    if workers < 2:
        results = (score_recall(key_points, text) for key_points, text in pairs)
        return _told(results, len(pairs), progress)
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers, initializer=ignore_interrupts) as pool:
        return _told(pool.imap(_score_pair, pairs, chunksize=_PAIRS_PER_WORKER), len(pairs), progress)


def _score_pair(pair: tuple[tuple[str, ...], str]) -> RecallScore:
    from ckaquiz.coverage import score_recall

    return score_recall(*pair)


def _told(
    results: Iterable[RecallScore], total: int, progress: Progress | None
) -> list[RecallScore]:
    """The results as they come, `progress` told every few of them."""
    found: list[RecallScore] = []
    for result in results:
        found.append(result)
        if progress is not None and (len(found) % _PAIRS_PER_WORKER == 0 or len(found) == total):
            progress(len(found), total, "scoring the notes' own blank-page recall")
    return found


def recalled_day(recall: NoteRecall, days: Sequence[date]) -> date:
    """The day a recall section recalls: its note's, or for `yesterday` the previous dated note's
    (the day before when the vault holds no earlier note yet). `days` are in order."""
    if recall.recalls != "yesterday":
        return recall.note_day
    earlier = bisect.bisect_left(days, recall.note_day)
    return days[earlier - 1] if earlier else date.fromordinal(recall.note_day.toordinal() - 1)


def _recall_digest(recall: NoteRecall) -> hashlib._Hash:
    """The digest of a recall section's part of what its attempts are scored from (see `_digest`)."""
    head = json.dumps([recall.text, recall.path, recall.line, recall.heading], ensure_ascii=False)
    return hashlib.sha256(head[:-1].encode("utf-8") + b", ")


def _digest(recall_part: hashlib._Hash, key_points: tuple[str, ...]) -> str:
    """What an attempt was scored from: the section's text and place, and the card's key points.

    The digest of the JSON list `[text, path, line, heading, points]`, the section's part hashed
    once (`_recall_digest`) and carried on for each card it is scored against."""
    digest = recall_part.copy()
    digest.update(json.dumps(list(key_points), ensure_ascii=False).encode("utf-8") + b"]")
    return digest.hexdigest()[:32]
