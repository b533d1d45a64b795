"""Read-only queries over the history tables (reviews, attempts) for stats and export.

Undone reviews, and attempts whose review was undone, never count: they are kept in the log
only so that undo can be audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ckaquiz.model import CardKind
from ckaquiz.store.database import Store


@dataclass(frozen=True)
class ScoredAttempt:
    """One scored attempt: which card, when, and its score (coverage for recall cards)."""

    card_id: str
    created_at: datetime
    score: float


def scored_attempts(store: Store, kind: CardKind) -> list[ScoredAttempt]:
    """Attempts of one card kind that have a score, oldest first, without undone ones."""
    rows = store.connection.execute(
        "SELECT a.card_id, a.created_at, a.score FROM attempts a LEFT JOIN reviews r ON r.id = a.review_id"
        " WHERE a.kind = ? AND a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)"
        " ORDER BY a.created_at, a.id",
        (kind.value,),
    )
    return [
        ScoredAttempt(card_id=row["card_id"], created_at=datetime.fromisoformat(row["created_at"]), score=row["score"])
        for row in rows
    ]
