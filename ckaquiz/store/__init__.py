"""The SQLite store: schema migrations, cards with their schedules, and the review log."""

from ckaquiz.store.database import SourceRecord, Store, StoredCard, SyncCounts

__all__ = ["SourceRecord", "Store", "StoredCard", "SyncCounts"]
