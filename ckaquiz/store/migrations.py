"""The schema, as ordered and named migrations. Never edit one that has shipped: add another.

Each migration runs in its own transaction together with the `user_version` bump, so a
database is always at exactly one version.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import NamedTuple


class Migration(NamedTuple):
    name: str
    sql: str


# Pieces of migration 0003's SQL, each used more than once in it. Shipped: never edit them.

_V3_ANSWER_KIND = (
    "(CASE WHEN {row}state_before != 'review' THEN 0"
    " WHEN julianday({row}due_before) - julianday({row}last_review_before) > 21.00001 THEN 2"
    " WHEN julianday({row}due_before) - julianday({row}last_review_before) < 20.99999 THEN 1"
    " ELSE 1 + ({row}due_before IS NOT NULL AND {row}last_review_before IS NOT NULL"
    " AND (CAST(strftime('%s', substr({row}due_before, 1, 19)) AS INTEGER) * 1000000"
    " + CAST(substr({row}due_before, 21, 6) AS INTEGER))"
    " - (CAST(strftime('%s', substr({row}last_review_before, 1, 19)) AS INTEGER) * 1000000"
    " + CAST(substr({row}last_review_before, 21, 6) AS INTEGER)) >= 21 * 86400 * 1000000) END)"
)
"""0: not a review-state answer, 1: young, 2: mature (interval before the answer of 21 days or more),
as `ckaquiz.stats.answer_was_mature` decides: julianday settles all but the intervals within a second
of 21 days, which are measured in whole microseconds."""

_V3_COUNT_REVIEW = (
    "INSERT INTO review_hour_counts (hour, again, kind, answers, duration_ms)\n"
    "            SELECT substr({row}reviewed_at, 1, 13), {row}rating = 1, "
    + _V3_ANSWER_KIND
    + ", 1, {row}duration_ms\n"
    "            WHERE {row}undone_at IS NULL\n"
    "            ON CONFLICT (hour, again, kind) DO UPDATE SET answers = answers + 1,"
    " duration_ms = duration_ms + excluded.duration_ms;"
)
"""Count a review (`row` is NEW. or OLD.) into its hour, unless it is undone."""

_V3_MERGE_ATTEMPTS = """ON CONFLICT (kind, card_id) DO UPDATE SET
            attempts = attempts + excluded.attempts,
            first_at = CASE WHEN (excluded.first_at, excluded.first_id) < (first_at, first_id)
                THEN excluded.first_at ELSE first_at END,
            first_id = CASE WHEN (excluded.first_at, excluded.first_id) < (first_at, first_id)
                THEN excluded.first_id ELSE first_id END,
            first_score = CASE WHEN (excluded.first_at, excluded.first_id) < (first_at, first_id)
                THEN excluded.first_score ELSE first_score END,
            last_at = CASE WHEN (excluded.last_at, excluded.last_id) > (last_at, last_id)
                THEN excluded.last_at ELSE last_at END,
            last_id = CASE WHEN (excluded.last_at, excluded.last_id) > (last_at, last_id)
                THEN excluded.last_id ELSE last_id END,
            last_score = CASE WHEN (excluded.last_at, excluded.last_id) > (last_at, last_id)
                THEN excluded.last_score ELSE last_score END;"""
"""Merges one more attempt (or a summary) into a card's summary: counts add up, the earlier first
and the later last (by created_at, then id) win, whatever order the attempts come in."""

_V3_COUNT_ATTEMPTS = (
    """INSERT INTO attempt_summaries
            (kind, card_id, attempts, first_at, first_id, first_score, last_at, last_id, last_score)
            SELECT a.kind, a.card_id, 1, a.created_at, a.id, a.score, a.created_at, a.id, a.score
            FROM (SELECT id, kind, card_id, created_at, score, review_id FROM attempts WHERE {where}) a
            LEFT JOIN reviews r ON r.id = a.review_id
            WHERE a.score IS NOT NULL AND (r.id IS NULL OR r.undone_at IS NULL)
            """
    + _V3_MERGE_ATTEMPTS
)
"""Count the live scored attempts matching `where` (on the columns of `attempts`) into their summaries."""

_V3_OF_UNDONE_REVIEW = (
    "card_id IN (SELECT card_id FROM attempts WHERE review_id = NEW.id)"
    " AND kind IN (SELECT kind FROM attempts WHERE review_id = NEW.id)"
)
"""The summaries an undo (or redo) of review NEW changes: those of its attempts' cards and kinds."""

_V3_RECOUNT_ATTEMPTS = "DELETE FROM attempt_summaries WHERE {where};\n            " + _V3_COUNT_ATTEMPTS
"""Count again the summaries of the cards (and kinds) matching `where`."""


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
    Migration(
        "0003_stats_summaries",
        # `ckaquiz stats` read the whole review log (a million rows of ~270 bytes) and every
        # recall attempt on each run: 6 s. What it needs is small and changes only when a
        # review or an attempt is written, so it is kept up to date here, in the transaction of
        # each write, by triggers:
        # - review_hour_counts: live (not undone) reviews per UTC hour, Again or not, and answer
        #   kind (0 not in review state, 1 young, 2 mature): the grouping `ckaquiz.store.figures.review_hours`
        #   computed over the log. A few thousand rows a year instead of a scan of the log.
        # - attempt_summaries: per card and attempt kind, the live scored attempts (those whose
        #   review was not undone): how many, the first and the last (by time, then id). The
        #   screen shows ten topics; it needs no longer each of 450,000 attempts.
        # - reviews_review_state_by_card: the review-state answers that count for retention,
        #   by card, with their time and rating, so the per-card tallies over the last year are
        #   read from this narrow index instead of the wide rows.
        # - attempts_by_review: what an undo looks up to find the attempts of its review.
        # Undoing a review (undone_at set) takes it out of both summaries; any other change to a
        # counted column is handled the same way (the old row out, the new row in), so each
        # summary always equals its GROUP BY over the tables. Reviews are never deleted (a trigger
        # refuses it); an attempt deleted or changed has its card's summary counted again.
        f"""
        CREATE TABLE review_hour_counts (
            hour TEXT NOT NULL,
            again INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            PRIMARY KEY (hour, again, kind)
        ) WITHOUT ROWID;
        INSERT INTO review_hour_counts (hour, again, kind, answers, duration_ms)
        SELECT substr(reviewed_at, 1, 13), rating = 1, {_V3_ANSWER_KIND.format(row="")}, count(*), sum(duration_ms)
        FROM reviews WHERE undone_at IS NULL GROUP BY 1, 2, 3;
        CREATE TRIGGER review_hour_counts_after_insert AFTER INSERT ON reviews WHEN NEW.undone_at IS NULL
        BEGIN
            {_V3_COUNT_REVIEW.format(row="NEW.")}
        END;
        CREATE TRIGGER review_hour_counts_after_update
        AFTER UPDATE OF reviewed_at, rating, duration_ms, state_before, due_before, last_review_before, undone_at
        ON reviews
        BEGIN
            UPDATE review_hour_counts SET answers = answers - 1, duration_ms = duration_ms - OLD.duration_ms
            WHERE OLD.undone_at IS NULL AND hour = substr(OLD.reviewed_at, 1, 13) AND again = (OLD.rating = 1)
            AND kind = {_V3_ANSWER_KIND.format(row="OLD.")};
            DELETE FROM review_hour_counts WHERE hour = substr(OLD.reviewed_at, 1, 13) AND answers = 0;
            {_V3_COUNT_REVIEW.format(row="NEW.")}
        END;

        CREATE INDEX reviews_review_state_by_card ON reviews (card_number, reviewed_at, rating)
        WHERE state_before = 'review' AND undone_at IS NULL;

        CREATE INDEX attempts_by_review ON attempts (review_id);
        CREATE TABLE attempt_summaries (
            kind TEXT NOT NULL,
            card_id TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            first_at TEXT NOT NULL,
            first_id INTEGER NOT NULL,
            first_score REAL NOT NULL,
            last_at TEXT NOT NULL,
            last_id INTEGER NOT NULL,
            last_score REAL NOT NULL,
            PRIMARY KEY (kind, card_id)
        ) WITHOUT ROWID;
        {_V3_COUNT_ATTEMPTS.format(where="TRUE")}
        CREATE TRIGGER attempt_summaries_after_insert AFTER INSERT ON attempts
        WHEN NEW.score IS NOT NULL
        AND (NEW.review_id IS NULL OR (SELECT undone_at FROM reviews WHERE id = NEW.review_id) IS NULL)
        BEGIN
            INSERT INTO attempt_summaries
            (kind, card_id, attempts, first_at, first_id, first_score, last_at, last_id, last_score)
            VALUES (NEW.kind, NEW.card_id, 1, NEW.created_at, NEW.id, NEW.score, NEW.created_at, NEW.id, NEW.score)
            {_V3_MERGE_ATTEMPTS}
        END;
        CREATE TRIGGER attempt_summaries_after_undo AFTER UPDATE OF undone_at ON reviews
        WHEN OLD.undone_at IS NOT NEW.undone_at
        BEGIN
            {_V3_RECOUNT_ATTEMPTS.format(where=_V3_OF_UNDONE_REVIEW)}
        END;
        CREATE TRIGGER attempt_summaries_after_delete AFTER DELETE ON attempts
        BEGIN
            {_V3_RECOUNT_ATTEMPTS.format(where="kind = OLD.kind AND card_id = OLD.card_id")}
        END;
        CREATE TRIGGER attempt_summaries_after_update
        AFTER UPDATE OF kind, card_id, review_id, score, created_at ON attempts
        BEGIN
            {_V3_RECOUNT_ATTEMPTS.format(where="kind = OLD.kind AND card_id = OLD.card_id")}
            {_V3_RECOUNT_ATTEMPTS.format(where="kind = NEW.kind AND card_id = NEW.card_id")}
        END;
        """,
    ),
    Migration(
        "0004_exam_attempts",
        # `ckaquiz exam`: one row per mock exam attempt. The paper keeps a copy of each drawn
        # task, so an attempt resumes and reads back the same even after its decks change;
        # `progress` (answers, flags, time per task) is rewritten after every answer.
        """
        CREATE TABLE exam_attempts (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            minutes REAL NOT NULL,
            seconds_used REAL NOT NULL DEFAULT 0,
            seed INTEGER NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            paper TEXT NOT NULL,
            progress TEXT NOT NULL DEFAULT '{}',
            score REAL,
            passed INTEGER,
            result TEXT
        );
        CREATE INDEX exam_attempts_by_start ON exam_attempts (started_at);
        """,
    ),
    Migration(
        "0005_drafts_leases_marks_shown_warnings",
        # What a session keeps beside the review log:
        # - drafts: the text typed for a card not graded yet (undone, skipped, interrupted, or the
        #   process died), offered back the next time the card shows; deleted in the transaction
        #   that records its grade.
        # - card_leases: the card a session is showing, so a second session on the same data folder
        #   does not show it too. A lease names its session and process (`host:pid`) and expires
        #   unless renewed; a lease of a process that no longer runs on this host counts as expired.
        # - card_marks: a card suspended (never in study or review until unsuspended), buried
        #   until a moment (the start of the next study day) or flagged.
        # - shown_warnings: the size and mtime of each file when its problems were last printed,
        #   so a command warns about a file once per change of it (`ckaquiz check` shows them all).
        # Rows are keyed by card row number, which a card keeps across edits, moves and retirement.
        """
        CREATE TABLE drafts (
            card_number INTEGER PRIMARY KEY,
            response TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE TABLE card_leases (
            card_number INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            holder TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE card_marks (
            card_number INTEGER PRIMARY KEY,
            suspended_at TEXT,
            buried_until TEXT,
            flagged_at TEXT
        );
        CREATE TABLE shown_warnings (
            source_id INTEGER NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            PRIMARY KEY (source_id, path)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0006_sync",
        # `ckaquiz sync`: one history across devices through a folder the learner's sync engine carries.
        # - sync_state: this database's device id (set by `ckaquiz sync init`), its next event number,
        #   and `importing` while an exchange writes events of other devices.
        # - sync_outbox: local writes not yet turned into events, filled by the triggers below only
        #   once a device id is set and never by an exchange's own writes: reviews, undos and marks.
        # - sync_events: every event known, by id: this device's (with their line until it is in the
        #   folder) and other devices' (applied, or waiting with their line for a card not known yet,
        #   or an undo for a review not arrived yet). `review_id` links a review event to its row.
        # - sync_files: how far each file of the folder has been read (bytes and complete lines), and its
        #   size and mtime when read, so an unchanged file costs one stat.
        """
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE sync_outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref INTEGER NOT NULL
        );
        CREATE TABLE sync_events (
            id TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            card_id TEXT,
            at TEXT NOT NULL,
            review_id INTEGER,
            applied INTEGER NOT NULL,
            line TEXT
        );
        CREATE INDEX sync_events_by_review ON sync_events (review_id) WHERE review_id IS NOT NULL;
        CREATE INDEX sync_events_waiting ON sync_events (applied) WHERE applied = 0;
        CREATE INDEX sync_events_unwritten ON sync_events (seq) WHERE line IS NOT NULL AND applied = 1;
        CREATE INDEX sync_events_marks ON sync_events (card_id, at) WHERE kind = 'marks';
        CREATE TABLE sync_files (
            path TEXT PRIMARY KEY,
            read_to INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TRIGGER sync_outbox_review AFTER INSERT ON reviews
        WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'importing')
        BEGIN
            INSERT INTO sync_outbox (kind, ref) VALUES ('review', NEW.id);
        END;
        CREATE TRIGGER sync_outbox_undo AFTER UPDATE OF undone_at ON reviews
        WHEN OLD.undone_at IS NULL AND NEW.undone_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'importing')
        BEGIN
            INSERT INTO sync_outbox (kind, ref) VALUES ('undo', NEW.id);
        END;
        CREATE TRIGGER sync_outbox_marks_insert AFTER INSERT ON card_marks
        WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'importing')
        BEGIN
            INSERT INTO sync_outbox (kind, ref) VALUES ('marks', NEW.card_number);
        END;
        CREATE TRIGGER sync_outbox_marks_update AFTER UPDATE ON card_marks
        WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'importing')
        BEGIN
            INSERT INTO sync_outbox (kind, ref) VALUES ('marks', NEW.card_number);
        END;
        CREATE TRIGGER sync_outbox_marks_delete AFTER DELETE ON card_marks
        WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'importing')
        BEGIN
            INSERT INTO sync_outbox (kind, ref) VALUES ('marks', OLD.card_number);
        END;
        """,
    ),
    Migration(
        "0007_note_recalls",
        # The learner's own blank-page recall written in a note (a `백지 복습` section), kept as recall
        # attempts against the topic cards of the day it recalls. Notes are only read.
        # - note_recall_files: each note's size and mtime when its recall sections were last read, so
        #   an unchanged note costs one stat, and a note is read again after a crash or an upgrade.
        # - note_recalls: one row per recall section, by note and heading (and its number among the
        #   note's sections of that heading); `recalls` is 'today' (the note's day) or 'yesterday'
        #   (the previous dated note's day). An edited section updates its row, never adds one.
        # - note_recall_attempts: the attempt row (in `attempts`, without a review) each section
        #   makes for each card it is scored against, with the digest of the text and key points it
        #   was scored from: the same inputs are not scored again, changed ones update the attempt.
        #   Rows are never deleted: a section taken out of a note, or a card retired, keeps its attempts.
        # - source_readers: the version of the deck and note readers that last scanned each source
        #   (`decks.loader.READER_VERSION`); a source scanned by another version is read again whole,
        #   so cards of notes left unchanged since an upgrade follow the new reader too.
        """
        CREATE TABLE source_readers (
            source_id INTEGER PRIMARY KEY,
            version INTEGER NOT NULL
        );
        CREATE TABLE note_recall_files (
            source_id INTEGER NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            PRIMARY KEY (source_id, path)
        ) WITHOUT ROWID;
        CREATE TABLE note_recalls (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL,
            path TEXT NOT NULL,
            heading TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            line INTEGER NOT NULL,
            note_day TEXT NOT NULL,
            recalls TEXT NOT NULL CHECK (recalls IN ('today', 'yesterday')),
            text TEXT NOT NULL,
            found_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (source_id, path, heading, occurrence)
        );
        CREATE TABLE note_recall_attempts (
            recall_id INTEGER NOT NULL REFERENCES note_recalls(id),
            card_id TEXT NOT NULL,
            attempt_id INTEGER NOT NULL UNIQUE REFERENCES attempts(id),
            digest TEXT NOT NULL,
            PRIMARY KEY (recall_id, card_id)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0008_source_duplicates",
        # The cards two files of one source both make, found when a scan changes the source's cards
        # and kept here as their warning lines (a JSON list), so that a rescan with nothing changed
        # reads one row instead of grouping every card of the source again.
        """
        CREATE TABLE source_duplicates (
            source_id INTEGER PRIMARY KEY,
            warnings TEXT NOT NULL
        );
        """,
    ),
    Migration(
        "0009_own_recall_counts",
        # The points a note's own recall attempt recalled, half recalled and missed, kept beside its
        # link when it is written (and counted here once for the attempts already made), so that
        # `stats` sums three columns instead of reading every attempt's result.
        """
        ALTER TABLE note_recall_attempts ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE note_recall_attempts ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE note_recall_attempts ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;
        UPDATE note_recall_attempts SET
            recalled = (SELECT count(*) FROM attempts a,
                json_each(CASE WHEN json_valid(a.result) THEN a.result ELSE '{}' END, '$.points') p
                WHERE a.id = note_recall_attempts.attempt_id AND json_extract(p.value, '$.status') = 'recalled'),
            partial = (SELECT count(*) FROM attempts a,
                json_each(CASE WHEN json_valid(a.result) THEN a.result ELSE '{}' END, '$.points') p
                WHERE a.id = note_recall_attempts.attempt_id AND json_extract(p.value, '$.status') = 'partial'),
            missed = (SELECT count(*) FROM attempts a,
                json_each(CASE WHEN json_valid(a.result) THEN a.result ELSE '{}' END, '$.points') p
                WHERE a.id = note_recall_attempts.attempt_id
                AND coalesce(json_extract(p.value, '$.status'), '') NOT IN ('recalled', 'partial'));
        """,
    ),
    Migration(
        "0010_covering_card_indexes",
        # Two indexes grow by the columns that today's queue reads beside them, so that SQLite reads
        # the index alone instead of looking each card's row up: a new card's turn weighs its
        # domain's lapses per answer (lapses and reps by tag set), and siblings across kinds find a
        # card's section from the recall card at or above its line in the same file (line, kind and
        # whether it is active, by file). Each index keeps its first columns, so every query that
        # used it still does.
        """
        DROP INDEX cards_summary;
        CREATE INDEX cards_summary ON cards (active, state, due, deck, tags, sibling_key, lapses, reps);
        DROP INDEX cards_by_source_file;
        CREATE INDEX cards_by_source_file ON cards (source_id, source_path, source_line, kind, active);
        """,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


@functools.cache
def schema_objects_for(version: int) -> frozenset[tuple[str, str, str, str]]:
    """The schema objects the first `version` migrations make on a blank database.

    Each is (type, name, table, SQL with runs of whitespace made one space), as a restore
    compares them with a file's `sqlite_master`.
    """
    connection = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS[:version]:
            connection.executescript(migration.sql)
        rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        connection.close()
    return frozenset(
        (str(kind), str(name), str(table), " ".join(str(sql or "").split())) for kind, name, table, sql in rows
    )
