"""Cards two files of one source both make: the same content (kind, prompt and answer) in two places.

A card written twice (a note copied, a task kept in two exercise files) is studied twice unless
the learner hears of it: each later place gets one warning naming the first. Cards given the same
id in two files are reported when they are matched (`store.sync.sync_source`), naming both places too.

Files with problems of their own are left out until those are fixed: a file gives one warning at
a time, the one that keeps it from reading as written.

The groups found are kept (`source_duplicates`), each with its content and the files it is in, so
that a scan that changed a few files finds again only the groups those files are in, or now join:
a card of a file left alone is as it was, so no other group can have changed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from ckaquiz.store.database import Store
from ckaquiz.store.rows import chunks

MAX_SHOWN_PROMPT = 60

_LIVE_CARDS = (
    "SELECT kind, prompt, answer, source_path, source_line FROM cards WHERE cards.source_id = ?"
    " AND cards.active = 1 AND NOT EXISTS (SELECT 1 FROM files WHERE files.source_id = cards.source_id"
    " AND files.path = cards.source_path AND files.problems != '[]')"
)
"""The cards that count: active, in files without problems of their own."""

_FORMAT = 2
"""The version of what `source_duplicates` keeps: the groups. Version 1 (a bare list of warning lines)
is read as it is, and found again whole the next time the source's cards change."""

Face = tuple[str, str, str]
"""What makes two cards the same: kind, prompt and answer."""


class Group(NamedTuple):
    """A card found in several files: its content, the first line of it in each file, its warnings."""

    face: Face
    lines: dict[str, int]
    warnings: list[str]


def duplicate_card_warnings(
    store: Store, source_id: int, *, recount: bool, changed_paths: Collection[str] = ()
) -> list[str]:
    """`later:line: the same card as first:line (kind 'prompt')` for each card another file of the source
    also makes. Found again when `recount` (the scan changed the source's cards) or never found yet;
    otherwise the warnings kept from the last time. With `changed_paths` (the files the scan read or
    removed), only the groups those files are in, or now join, are found again."""
    connection = store.connection
    row = connection.execute("SELECT warnings FROM source_duplicates WHERE source_id = ?", (source_id,)).fetchone()
    kept = None if row is None else json.loads(row[0])
    if not recount and kept is not None:
        return _warnings_kept(kept)
    groups = _kept_groups(kept)
    if groups is None or not changed_paths:
        groups = _groups(connection.execute(_LIVE_CARDS, (source_id,)))
    else:
        groups = _groups_after_change(store, source_id, groups, set(changed_paths))
    warnings = sorted(warning for group in groups for warning in group.warnings)
    stored = {"format": _FORMAT, "groups": [[*group.face, group.lines, group.warnings] for group in groups]}
    with store.transaction() as writing:
        writing.execute(
            "INSERT INTO source_duplicates (source_id, warnings) VALUES (?, ?)"
            " ON CONFLICT(source_id) DO UPDATE SET warnings = excluded.warnings",
            (source_id, json.dumps(stored, ensure_ascii=False)),
        )
    return warnings


def _warnings_kept(kept: Any) -> list[str]:
    if isinstance(kept, list):  # format 1
        return [str(warning) for warning in kept]
    return sorted(str(warning) for group in kept["groups"] for warning in group[4])


def _kept_groups(kept: Any) -> list[Group] | None:
    """The groups kept, or None where there are none to build on (never found, or kept as format 1)."""
    if not isinstance(kept, dict) or kept.get("format") != _FORMAT:
        return None
    return [
        Group((kind, prompt, answer), dict(lines), list(warnings))
        for kind, prompt, answer, lines, warnings in kept["groups"]
    ]


def _groups_after_change(store: Store, source_id: int, before: list[Group], changed: set[str]) -> list[Group]:
    """The groups once the cards of the `changed` files changed: the others stay as they were."""
    connection = store.connection
    faces_now: set[Face] = set()
    for part in chunks(sorted(changed)):
        marks = ", ".join("?" * len(part))
        for kind, prompt, answer, _path, _line in connection.execute(
            _LIVE_CARDS + f" AND cards.source_path IN ({marks})", (source_id, *part)
        ):
            faces_now.add((kind, prompt, answer))
    unchanged = [group for group in before if not changed & group.lines.keys() and group.face not in faces_now]
    again = faces_now | {group.face for group in before} - {group.face for group in unchanged}
    found: list[Group] = []
    prompts = sorted({prompt for _kind, prompt, _answer in again})
    for part in chunks(prompts):
        marks = ", ".join("?" * len(part))
        rows = connection.execute(_LIVE_CARDS + f" AND cards.prompt IN ({marks})", (source_id, *part))
        found.extend(_groups(row for row in rows if (row[0], row[1], row[2]) in again))
    return unchanged + found


def _groups(rows: Iterable[tuple[str, str, str, str, int]]) -> list[Group]:
    """The groups of these cards' rows (kind, prompt, answer, path, line) found in two files or more."""
    places: dict[Face, dict[str, int]] = {}
    for kind, prompt, answer, path, line in rows:
        lines = places.setdefault((kind, prompt, answer), {})
        if line < lines.get(path, line + 1):
            lines[path] = line
    groups: list[Group] = []
    for face, lines in places.items():
        if len(lines) < 2:
            continue
        kind, prompt, _answer = face
        ordered = sorted(lines.items())
        first_path, first_line = ordered[0]
        shown = prompt if len(prompt) <= MAX_SHOWN_PROMPT else prompt[: MAX_SHOWN_PROMPT - 1] + "…"
        first = f"{first_path}:{first_line}"
        warnings = [f"{path}:{line}: the same {kind} card as {first} ({shown!r})" for path, line in ordered[1:]]
        groups.append(Group(face, lines, warnings))
    return groups
