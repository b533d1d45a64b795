"""Cards two files of one source both make: the same content (kind, prompt and answer) in two places.

A card written twice (a note copied, a task kept in two exercise files) is studied twice unless
the learner hears of it: each later place gets one warning naming the first. Cards given the same
id in two files are reported when they are matched (`store.sync.sync_source`), naming both places too.

Files with problems of their own are left out until those are fixed: a file gives one warning at
a time, the one that keeps it from reading as written.
"""

from __future__ import annotations

import json

from ckaquiz.store.database import Store

MAX_SHOWN_PROMPT = 60


def duplicate_card_warnings(store: Store, source_id: int, *, recount: bool) -> list[str]:
    """`later:line: the same card as first:line (kind 'prompt')` for each card another file of the source
    also makes. Found again when `recount` (the scan changed the source's cards) or never found yet;
    otherwise the warnings kept from the last time."""
    connection = store.connection
    if not recount:
        kept = connection.execute("SELECT warnings FROM source_duplicates WHERE source_id = ?", (source_id,)).fetchone()
        if kept is not None:
            return [str(warning) for warning in json.loads(kept[0])]
    places: dict[tuple[str, str, str], dict[str, int]] = {}
    for kind, prompt, answer, path, line in connection.execute(
        "SELECT kind, prompt, answer, source_path, source_line FROM cards WHERE cards.source_id = ?"
        " AND cards.active = 1 AND NOT EXISTS (SELECT 1 FROM files WHERE files.source_id = cards.source_id"
        " AND files.path = cards.source_path AND files.problems != '[]')",
        (source_id,),
    ):
        lines = places.setdefault((kind, prompt, answer), {})
        if line < lines.get(path, line + 1):
            lines[path] = line
    warnings: list[str] = []
    for (kind, prompt, _), lines in places.items():
        if len(lines) < 2:
            continue
        ordered = sorted(lines.items())
        first_path, first_line = ordered[0]
        shown = prompt if len(prompt) <= MAX_SHOWN_PROMPT else prompt[: MAX_SHOWN_PROMPT - 1] + "…"
        first = f"{first_path}:{first_line}"
        warnings.extend(f"{path}:{line}: the same {kind} card as {first} ({shown!r})" for path, line in ordered[1:])
    warnings.sort()
    with store.transaction() as writing:
        writing.execute(
            "INSERT INTO source_duplicates (source_id, warnings) VALUES (?, ?)"
            " ON CONFLICT(source_id) DO UPDATE SET warnings = excluded.warnings",
            (source_id, json.dumps(warnings, ensure_ascii=False)),
        )
    return warnings
