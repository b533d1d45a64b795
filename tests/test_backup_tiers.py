"""Backups kept in tiers (daily, weekly, monthly, and restore's own copies for a while), listed with
their review counts; restore accepts only our own schema; temporary copies do not outlive their run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.backup import (
    Retention,
    backup_entries,
    check_database_file,
    ensure_daily_backup,
    list_backups,
    make_backup,
)
from ckaquiz.errors import StoreError
from ckaquiz.store import Store
from tests.conftest import FIXTURES, run_cli
from tests.safety_helpers import logged_reviews, no_builtin_home, run_full_cli, yaml_deck


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "ckaquiz.db"
    path.parent.mkdir(parents=True)
    path.write_bytes((FIXTURES / "schema-v1.db").read_bytes())
    Store.open(path).close()
    return path


def names(folder: Path) -> list[str]:
    return [path.name for path in list_backups(folder)]


def test_a_year_of_daily_backups_keeps_seven_days_four_weeks_and_the_months(database: Path, tmp_path: Path) -> None:
    folder = database.parent / "backups"
    kept_copy = folder / "ckaquiz-2025-10-15-120000-replaced.db"
    old_copy = folder / "ckaquiz-2025-09-01-120000-replaced.db"
    make_backup(database, kept_copy)
    make_backup(database, old_copy)
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    today = first
    while today <= last:
        made = ensure_daily_backup(database, folder, today=today, retention=Retention())
        assert made is not None and made.exists()
        regular = [name for name in names(folder) if "replaced" not in name]
        assert len(regular) <= 7 + 4 + 12, today
        today += timedelta(days=1)
    expected_days = [
        *(f"2025-{month:02d}-{day:02d}" for month, day in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31))),
        *(f"2025-{month:02d}-{day:02d}" for month, day in ((6, 30), (7, 31), (8, 31), (9, 30), (10, 31))),
        "2025-11-30",
        "2025-12-07",
        "2025-12-14",
        "2025-12-21",
        *(f"2025-12-{day}" for day in range(25, 32)),
    ]
    assert [name for name in names(folder) if "replaced" not in name] == [f"ckaquiz-{day}.db" for day in expected_days]
    assert kept_copy.exists() and not old_copy.exists()  # 77 days old: kept; 121 days old: gone
    tiers = {entry.path.name: entry.tier for entry in backup_entries(folder, retention=Retention(), today=last)}
    assert tiers["ckaquiz-2025-12-31.db"] == tiers["ckaquiz-2025-12-25.db"] == "daily"
    assert tiers["ckaquiz-2025-12-21.db"] == tiers["ckaquiz-2025-11-30.db"] == "weekly"
    assert tiers["ckaquiz-2025-10-31.db"] == tiers["ckaquiz-2025-01-31.db"] == "monthly"
    assert tiers[kept_copy.name] == "replaced"


def test_a_restore_copy_outlives_the_daily_backups(database: Path) -> None:
    folder = database.parent / "backups"
    replaced = make_backup(database, folder / "ckaquiz-2025-03-01-090000-replaced.db")
    damaged = make_backup(database, folder / "ckaquiz-2025-03-01-090000-damaged.db")
    tight = Retention(daily=1, weekly=0, monthly=0, replaced_days=30)
    for offset in range(31):
        ensure_daily_backup(database, folder, today=date(2025, 3, 1) + timedelta(days=offset), retention=tight)
    assert names(folder) == [damaged.name, replaced.name, "ckaquiz-2025-03-31.db"]
    ensure_daily_backup(database, folder, today=date(2025, 4, 1), retention=tight)
    assert names(folder) == ["ckaquiz-2025-04-01.db"]


def test_backup_list_shows_date_tier_size_and_reviews_as_the_clock_moves(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home, "backups_daily = 2\nbackups_weekly = 1\nbackups_monthly = 3\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("tiers", 3), encoding="utf-8")
    assert run_cli("import", str(deck), env={"CKAQUIZ_NOW": "2025-01-10T12:00:00+00:00"}).returncode == 0
    moments = [f"2025-{month:02d}-15" for month in range(1, 13)] + ["2025-12-20", "2025-12-21", "2025-12-22"]
    for moment in moments:
        result = run_full_cli("backup", env={"CKAQUIZ_NOW": f"{moment}T12:00:00+00:00"})
        assert result.returncode == 0, result.stderr
    listed = run_full_cli("backup", "--list", env={"CKAQUIZ_NOW": "2025-12-22T13:00:00+00:00"})
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("2025-08-15", "monthly", "0 reviews"),
        ("2025-09-15", "monthly", "0 reviews"),
        ("2025-10-15", "monthly", "0 reviews"),
        ("2025-11-15", "weekly", "0 reviews"),
        ("2025-12-21", "daily", "0 reviews"),
        ("2025-12-22", "daily", "0 reviews"),
    ]
    for row in rows:
        path = Path(row[4])
        assert path.parent == isolated_home / "backups" and path.name.startswith(f"ckaquiz-{row[0]}-")
        assert row[2] == f"{path.stat().st_size / 1024:.1f} KB"


def test_backup_list_without_backups(isolated_home: Path) -> None:
    result = run_full_cli("backup", "--list")
    assert result.returncode == 0
    assert result.stdout.startswith("no backups yet")


# restore accepts only our schema ----------------------------------------------------------------

AGAIN_TRIGGER = (
    "CREATE TRIGGER every_grade_again AFTER INSERT ON reviews"
    " BEGIN UPDATE reviews SET rating = 1 WHERE id = NEW.id; END"
)


@pytest.mark.parametrize(
    ("statement", "what"),
    [
        (AGAIN_TRIGGER, "an extra trigger every_grade_again on reviews"),
        ("CREATE VIEW easy AS SELECT * FROM reviews WHERE rating = 4", "an extra view easy"),
        ("CREATE TABLE notes (text TEXT)", "an extra table notes"),
        ("CREATE INDEX reviews_by_rating ON reviews (rating)", "an extra index reviews_by_rating on reviews"),
        (
            "DROP TRIGGER review_hour_counts_after_insert;"
            " CREATE TRIGGER review_hour_counts_after_insert AFTER INSERT ON reviews BEGIN"
            " UPDATE reviews SET rating = 1 WHERE id = NEW.id; END",
            "its trigger review_hour_counts_after_insert is not defined as ours",
        ),
        ("DROP INDEX attempts_by_review", "its index attempts_by_review is missing"),
    ],
)
def test_restore_refuses_a_schema_that_is_not_ours(database: Path, tmp_path: Path, statement: str, what: str) -> None:
    candidate = tmp_path / "candidate.db"
    make_backup(database, candidate)
    connection = sqlite3.connect(candidate)
    connection.executescript(statement)
    connection.close()
    with pytest.raises(StoreError) as raised:
        check_database_file(candidate)
    assert str(raised.value) == f"{candidate} is not a ckaquiz database as this version writes it: {what}"


@pytest.mark.parametrize("version", [1, 2, 3])
def test_every_schema_we_wrote_is_accepted(tmp_path: Path, version: int) -> None:
    fixture = FIXTURES / f"schema-v{version}.db"
    copy = tmp_path / fixture.name
    copy.write_bytes(fixture.read_bytes())
    assert check_database_file(copy).schema_version == version


def test_restore_command_refuses_the_again_trigger_and_changes_nothing(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("restore", 4), encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    assert run_cli("study", "--plain", input_text="x\n3\nx\n4\n").returncode == 0
    database = isolated_home / "ckaquiz.db"
    hostile = tmp_path / "hostile.db"
    assert run_full_cli("backup", str(hostile)).returncode == 0
    connection = sqlite3.connect(hostile)
    connection.execute(AGAIN_TRIGGER)
    connection.close()
    before = logged_reviews(database)
    backups_before = names(isolated_home / "backups")
    result = run_full_cli("restore", str(hostile))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {hostile} is not a ckaquiz database as this version writes it:"
        " an extra trigger every_grade_again on reviews\n"
    )
    assert logged_reviews(database) == before == [("restore:c0", 3), ("restore:c1", 4)]
    assert names(isolated_home / "backups") == backups_before


# temporary copies ---------------------------------------------------------------------------------


def dead_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_partial_copies_of_a_killed_run_are_removed_on_the_next_start(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    backups = isolated_home / "backups"
    backups.mkdir()
    gone = dead_process_id()
    abandoned = [
        backups / f".ckaquiz-partial-{gone}-1.tmp",
        backups / f".ckaquiz-partial-{gone}-1.tmp-journal",
        backups / f".ckaquiz-partial-{gone}-2.tmp-wal",
        isolated_home / f".ckaquiz-new-{gone}-3.db",
    ]
    scratch = isolated_home / f".ckaquiz-walcheck-{gone}-x1y2"  # copies made to judge a log, then killed
    scratch.mkdir()
    (scratch / "replayed.db").write_bytes(b"a copy" * 100)
    in_use = backups / f".ckaquiz-partial-{os.getpid()}-4.tmp"  # this process is alive: its copy stays
    for path in [*abandoned, in_use]:
        path.write_bytes(b"half a copy" * 100)
    unrelated = backups / "notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    assert run_cli("cards").returncode == 0
    assert [path for path in abandoned if path.exists()] == []
    assert not scratch.exists()
    assert in_use.exists() and unrelated.exists()
    hour_ago = datetime.now(UTC).timestamp() - 7200
    os.utime(in_use, (hour_ago, hour_ago))  # old enough that its process id may have been reused
    assert run_full_cli("backup", "--list").returncode == 0
    assert not in_use.exists()


def test_a_killed_exports_partial_file_is_removed_by_the_next_export(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("export", 2), encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    exports = tmp_path / "exports"
    exports.mkdir()
    left = exports / f".cards.json.{dead_process_id()}.abc123.part"
    left.write_text("{", encoding="utf-8")
    other = exports / ".other.json.1.abc.part"
    other.write_text("{", encoding="utf-8")
    assert run_cli("export", "json", str(exports / "cards.json")).returncode == 0
    assert sorted(path.name for path in exports.iterdir()) == [".other.json.1.abc.part", "cards.json"]
