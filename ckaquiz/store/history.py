"""Read-only queries over the history tables (reviews, attempts) for stats and export.

Undone reviews, and attempts whose review was undone, never count: they are kept in the log
only so that undo can be audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ScoredAttempt:
    """One scored attempt: which card, when, and its score (coverage for recall cards)."""

    card_id: str
    created_at: datetime
    score: float
