"""Cards two files of one source both make: the same content (kind, prompt and answer) in two places.

A card written twice (a note copied, a task kept in two exercise files) is studied twice unless
the learner hears of it: each later place gets one warning naming the first. Cards given the same
id in two files are reported when they are matched (`Store.sync_source`), naming both places too.

Files with problems of their own are left out until those are fixed: a file gives one warning at
a time, the one that keeps it from reading as written.
"""

from __future__ import annotations

from ckaquiz.store.database import Store

MAX_SHOWN_PROMPT = 60


def duplicate_card_warnings(store: Store, source_id: int) -> list[str]:
    """`later:line: the same card as first:line (kind 'prompt')` for each card another file of the source also makes."""
    connection = store.connection
    clean = (
        "cards.source_id = ? AND cards.active = 1 AND NOT EXISTS (SELECT 1 FROM files WHERE files.source_id ="
        " cards.source_id AND files.path = cards.source_path AND files.problems != '[]')"
    )
    groups = connection.execute(
        f"SELECT kind, prompt, answer FROM cards WHERE {clean}"
        " GROUP BY kind, prompt, answer HAVING COUNT(DISTINCT source_path) > 1",
        (source_id,),
    ).fetchall()
    warnings: list[str] = []
    for kind, prompt, answer in groups:
        places = connection.execute(
            f"SELECT source_path, MIN(source_line) FROM cards WHERE {clean}"
            " AND kind = ? AND prompt = ? AND answer = ? GROUP BY source_path ORDER BY source_path",
            (source_id, kind, prompt, answer),
        ).fetchall()
        first_path, first_line = places[0]
        shown = prompt if len(prompt) <= MAX_SHOWN_PROMPT else prompt[: MAX_SHOWN_PROMPT - 1] + "…"
        warnings.extend(
            f"{path}:{line}: the same {kind} card as {first_path}:{first_line} ({shown!r})" for path, line in places[1:]
        )
    return sorted(warnings)
