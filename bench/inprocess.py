"""In-process measurements for bench/run.py, each run in its own process (so its peak memory is its own).

    python bench/inprocess.py grade HOME COUNT        grade -> next card through the session engine
    python bench/inprocess.py commit-floor FOLDER COUNT  one review's insert + update + commit, bare SQLite
    python bench/inprocess.py queue HOME RUNS         today's queue (Session.start) on the collection
    python bench/inprocess.py queue-floor HOME RUNS   reading the numbers and tags of every card, bare SQLite

Each prints one JSON object: the samples in seconds and the process's peak memory in KB.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckaquiz.collection import Collection
from ckaquiz.model import Rating
from ckaquiz.session import Mode, Session


def grade(home: Path, count: int) -> list[float]:
    """From `answer` (store commit included) to the next card being ready, `count` times."""
    collection = Collection.open(home)
    try:
        session = Session(collection, mode=Mode.STUDY, seed=1)
        if session.next_card() is None:
            return []
        samples: list[float] = []
        for _ in range(count):
            started = time.perf_counter()
            session.answer(Rating.GOOD)
            item = session.next_card()
            samples.append(time.perf_counter() - started)
            if item is None:
                break
        session.finish()
        return samples
    finally:
        collection.close()


def commit_floor(folder: Path, count: int) -> list[float]:
    """The floor of a grade: one insert and one update committed with the store's own settings."""
    path = folder / "commit-floor.db"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, card TEXT, at TEXT)")
    connection.execute("CREATE TABLE card (number INTEGER PRIMARY KEY, due TEXT)")
    connection.execute("INSERT INTO card (number, due) VALUES (1, '')")
    samples: list[float] = []
    for index in range(count):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO log (card, at) VALUES (?, ?)", ("card", str(index)))
        connection.execute("UPDATE card SET due = ? WHERE number = 1", (str(index),))
        connection.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return samples


def queue(home: Path, runs: int) -> list[float]:
    """Building today's study queue (what `ckaquiz study` does before its first card)."""
    samples: list[float] = []
    for _ in range(runs):
        collection = Collection.open(home)
        try:
            session = Session(collection, mode=Mode.STUDY)
            started = time.perf_counter()
            session.start()
            samples.append(time.perf_counter() - started)
        finally:
            collection.close()
    return samples


def queue_floor(home: Path, runs: int) -> list[float]:
    """The floor of a queue: SQLite reading the number, tags and due time of every active card."""
    samples: list[float] = []
    for _ in range(runs):
        connection = sqlite3.connect(home / "ckaquiz.db")
        started = time.perf_counter()
        connection.execute("SELECT number, tags, due FROM cards WHERE active = 1").fetchall()
        samples.append(time.perf_counter() - started)
        connection.close()
    return samples


def main() -> int:
    """Run one measurement and print its samples and peak memory as JSON."""
    kind, place, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    measure = {"grade": grade, "commit-floor": commit_floor, "queue": queue, "queue-floor": queue_floor}[kind]
    samples = measure(place, count)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"samples": samples, "max_rss_kb": peak}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
