"""The schema, as ordered and named migrations. Never edit one that has shipped: add another.

Each migration runs in its own transaction together with the `user_version` bump, so a
database is always at exactly one version.
"""

from __future__ import annotations

from typing import NamedTuple


class Migration(NamedTuple):
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_initial",
        """
        CREATE TABLE migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0,
            deck TEXT,
            options TEXT NOT NULL DEFAULT '{}',
            added_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            scanned_at TEXT NOT NULL,
            problems TEXT NOT NULL DEFAULT '[]',
            UNIQUE (source_id, path)
        );
        CREATE TABLE cards (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            deck TEXT NOT NULL,
            kind TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            key_points TEXT NOT NULL DEFAULT '[]',
            sibling_key TEXT NOT NULL DEFAULT '',
            explanation TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '{}',
            source_id INTEGER REFERENCES sources(id),
            source_path TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT,
            state TEXT NOT NULL DEFAULT 'new',
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX cards_by_state_due ON cards (active, state, due);
        CREATE INDEX cards_by_deck ON cards (deck);
        CREATE INDEX cards_by_source_file ON cards (source_id, source_path);
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            mode TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            filters TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            card_number INTEGER NOT NULL,
            session_id TEXT,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER NOT NULL,
            state_before TEXT NOT NULL,
            step_before INTEGER,
            stability_before REAL,
            difficulty_before REAL,
            due_before TEXT,
            last_review_before TEXT,
            reps_before INTEGER NOT NULL,
            lapses_before INTEGER NOT NULL,
            state_after TEXT NOT NULL,
            step_after INTEGER,
            stability_after REAL,
            difficulty_after REAL,
            due_after TEXT,
            last_review_after TEXT,
            reps_after INTEGER NOT NULL,
            lapses_after INTEGER NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX reviews_by_card ON reviews (card_id, reviewed_at);
        CREATE INDEX reviews_by_time ON reviews (reviewed_at);
        CREATE TRIGGER reviews_are_never_deleted BEFORE DELETE ON reviews
        BEGIN
            SELECT RAISE(ABORT, 'the review log is append-only');
        END;
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            review_id INTEGER REFERENCES reviews(id),
            card_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            response TEXT NOT NULL,
            duration_ms INTEGER NOT NULL,
            result TEXT NOT NULL DEFAULT '{}',
            score REAL,
            suggested INTEGER,
            final INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX attempts_by_card ON attempts (card_id, created_at);
        """,
    ),
    Migration(
        "0002_card_summaries_index",
        # Filters, queues and deck counts read each card's deck, tags, sibling key, state and due
        # time, not its content. Those columns sit behind the long answer in a row, so reading
        # them meant reading the whole table; from this index SQLite reads them alone. Its first
        # columns are those of cards_by_state_due, which it replaces.
        """
        CREATE INDEX cards_summary ON cards (active, state, due, deck, tags, sibling_key);
        DROP INDEX cards_by_state_due;
        """,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
