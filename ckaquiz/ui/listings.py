"""The tables of the listing commands: `decks`, `cards` and a card's `history`, and their rows for scripts.

Deck text is never markup: every cell from a deck goes through `plain_cell`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.table import Table

from ckaquiz.ui.plurals import plural
from ckaquiz.ui.text import one_line, plain_cell

if TYPE_CHECKING:
    from ckaquiz.catalog import DeckRow
    from ckaquiz.store import StoredCard

DECK_COUNTS = ("total", "new", "learning", "due_today")
"""The counted columns of `DeckRow`, in the order the table shows them."""


def decks_table(rows: Sequence[DeckRow]) -> Table:
    """Decks with their counts, and a total line when there are any."""
    table = Table(title="decks")
    for column in ("deck", "total", "new", "learning", "due today"):
        table.add_column(column, justify="left" if column == "deck" else "right")
    for row in rows:
        table.add_row(plain_cell(row.name), *(str(getattr(row, name)) for name in DECK_COUNTS))
    if rows:
        table.add_section()
        table.add_row("all", *(str(sum(getattr(row, name) for row in rows)) for name in DECK_COUNTS))
    return table


def card_fields(stored: StoredCard) -> tuple[str, str, str, str, str]:
    """A card's id, kind, prompt, state and due date, as `cards` lists them."""
    from ckaquiz.ui.format import format_due

    card, schedule = stored.card, stored.schedule
    return card.id, card.kind.value, card.prompt, schedule.state.value, format_due(schedule.due)


def cards_table(found: Sequence[StoredCard]) -> Table:
    """Cards with their scheduling state; whole ids, prompts cut to 60 columns."""
    table = Table(title=plural(len(found), "card"))
    for column in ("id", "kind", "prompt", "state", "due"):
        table.add_column(column, overflow="fold" if column == "id" else "ellipsis")
    for stored in found:
        identifier, kind, prompt, state, due = card_fields(stored)
        table.add_row(plain_cell(identifier), kind, plain_cell(prompt, 60), state, due)
    return table


class AttemptRow(NamedTuple):
    """One attempt at a card as `history` shows it; `missed` are the points still missed."""

    date: str
    score: str
    suggested: str
    grade: str
    seconds: str
    missed: list[str]


def attempt_rows(attempts: Sequence[dict[str, Any]]) -> list[AttemptRow]:
    """The store's attempts (`Store.attempts`) as the rows of `history`."""
    from ckaquiz.model import Rating
    from ckaquiz.ui.format import format_due

    rows = []
    for attempt in attempts:
        points = attempt["result"].get("points", []) if isinstance(attempt["result"], dict) else []
        rows.append(
            AttemptRow(
                date=format_due(datetime.fromisoformat(attempt["created_at"])),
                score="-" if attempt["score"] is None else f"{attempt['score']:.0%}",
                suggested="-" if attempt["suggested"] is None else Rating(attempt["suggested"]).label,
                grade="-" if attempt["final"] is None else Rating(attempt["final"]).label,
                seconds=f"{attempt['duration_ms'] / 1000:.0f}",
                missed=[str(point.get("text", "")) for point in points if point.get("status") == "missed"],
            )
        )
    return rows


def attempts_table(prompt: str, rows: Sequence[AttemptRow]) -> Table:
    """A card's attempts under its prompt, the points still missed one a line."""
    table = Table(title=plain_cell(f"{one_line(prompt, 60)}: {plural(len(rows), 'attempt')}"))
    for column in ("date", "score", "suggested", "grade", "seconds", "still missed"):
        table.add_column(column)
    for *fields, missed in rows:
        table.add_row(*fields, plain_cell("\n".join(one_line(text, 50) for text in missed) or "-"))
    return table
