"""Backups: daily and on demand through SQLite's backup API, pruning, permissions, checked restores,
and a damaged database answered with one line naming the restore command."""

from __future__ import annotations

import os
import shlex
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.backup import (
    Retention,
    check_database_file,
    daily_backup_path,
    ensure_daily_backup,
    list_backups,
    make_backup,
    newest_backup,
    prune_backups,
    restore_backup,
    retention_setting,
)
from ckaquiz.config import settings_from_mapping
from ckaquiz.errors import ConfigError, StoreError
from ckaquiz.store import SCHEMA_VERSION, Store, record_review
from tests.conftest import FIXTURES, run_cli
from tests.safety_helpers import integrity, logged_reviews, no_builtin_home, run_full_cli, yaml_deck

TODAY = date(2025, 3, 19)
KEEP = Retention()
NOW = datetime(2025, 3, 19, 12, 0, tzinfo=UTC)
FIXTURE = FIXTURES / "schema-v1.db"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A real ckaquiz database with reviews (a copy of the schema-v1 fixture, migrated)."""
    path = tmp_path / "home" / "ckaquiz.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXTURE.read_bytes())
    path.chmod(0o600)
    Store.open(path).close()
    return path


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def studied_home(home: Path, tmp_path: Path, grades: str = "x\n3\nx\n1\n") -> None:
    no_builtin_home(home)
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("backup", 5), encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    assert run_cli("study", "--plain", input_text=grades).returncode == 0


# the module ---------------------------------------------------------------------------------


def test_daily_backup_is_made_once_a_day(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "backups"
    made = ensure_daily_backup(database, folder, today=TODAY, retention=KEEP)
    assert made == folder / "ckaquiz-2025-03-19.db"
    assert ensure_daily_backup(database, folder, today=TODAY, retention=KEEP) is None
    assert logged_reviews(made) == logged_reviews(database)
    assert integrity(made) == "ok"
    copy = sqlite3.connect(made)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert copy.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    copy.close()
    assert sorted(path.name for path in folder.iterdir()) == ["ckaquiz-2025-03-19.db"]
    tomorrow = ensure_daily_backup(database, folder, today=TODAY + timedelta(days=1), retention=KEEP)
    assert tomorrow == folder / "ckaquiz-2025-03-20.db"


def test_no_backup_without_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert ensure_daily_backup(tmp_path / "missing.db", folder, today=TODAY, retention=KEEP) is None
    assert not folder.exists()


def test_an_empty_database_is_refused_not_backed_up_as_new(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    (tmp_path / "empty.db").touch()
    with pytest.raises(StoreError, match=r"empty\.db is damaged, cannot open the database \(the file is empty\)"):
        ensure_daily_backup(tmp_path / "empty.db", folder, today=TODAY, retention=KEEP)
    assert not folder.exists()
    assert (tmp_path / "empty.db").stat().st_size == 0


def test_backups_and_their_folder_are_private(database: Path, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        folder = tmp_path / "new-backups"
        made = ensure_daily_backup(database, folder, today=TODAY, retention=KEEP)
        assert made is not None
        assert mode(made) == 0o600
        assert mode(folder) == 0o700
        on_demand = make_backup(database, tmp_path / "elsewhere" / "copy.db")
        assert mode(on_demand) == 0o600
    finally:
        os.umask(previous)


def test_backup_sees_committed_writes_still_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "ckaquiz.db"
    shutil_copy(FIXTURE, path)
    store = Store.open(path)  # stays open: its commits live in ckaquiz.db-wal, not yet checkpointed
    store.connection.execute("PRAGMA wal_autocheckpoint = 0")
    before = len(store.reviews(include_undone=True))
    reviewed = store.reviews()[0]
    card = store.card(reviewed.card_id)
    assert card is not None
    record_review(store, reviewed, card.number)
    assert Path(f"{path}-wal").stat().st_size > 0
    made = make_backup(path, tmp_path / "copy.db")
    assert len(logged_reviews(made)) == before + 1
    store.close()


def shutil_copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


def test_pruning_keeps_the_newest_days(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    only_days = Retention(daily=3, weekly=0, monthly=0)
    for offset in range(6):
        ensure_daily_backup(database, folder, today=TODAY + timedelta(days=offset), retention=only_days)
    assert [path.name for path in list_backups(folder)] == [
        "ckaquiz-2025-03-22.db",
        "ckaquiz-2025-03-23.db",
        "ckaquiz-2025-03-24.db",
    ]
    assert newest_backup(folder) == folder / "ckaquiz-2025-03-24.db"
    removed = prune_backups(folder, retention=Retention(daily=1, weekly=0, monthly=0), today=TODAY)
    assert removed == [folder / "ckaquiz-2025-03-22.db", folder / "ckaquiz-2025-03-23.db"]


def test_retention_comes_from_config_extra() -> None:
    assert retention_setting(settings_from_mapping({})) == Retention(daily=7, weekly=4, monthly=12, replaced_days=90)
    assert retention_setting(settings_from_mapping({"backups_keep": 3})).daily == 3  # the older name
    assert retention_setting(settings_from_mapping({"backups_keep": 3, "backups_daily": 5})).daily == 5
    chosen = settings_from_mapping({"backups_weekly": 0, "backups_monthly": 24, "backups_replaced_days": 30})
    assert retention_setting(chosen) == Retention(daily=7, weekly=0, monthly=24, replaced_days=30)
    for key in ("backups_keep", "backups_daily", "backups_replaced_days"):
        for wrong in (0, -1, "many", True, 2.5):
            with pytest.raises(ConfigError, match=key):
                retention_setting(settings_from_mapping({key: wrong}))
    with pytest.raises(ConfigError, match="backups_weekly: expected a whole number >= 0, not -1"):
        retention_setting(settings_from_mapping({"backups_weekly": -1}))


def test_an_existing_file_is_not_overwritten(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(StoreError, match="already exists"):
        make_backup(database, target)
    assert target.read_text(encoding="utf-8") == "precious"
    make_backup(database, target, overwrite=True)
    assert logged_reviews(target) == logged_reviews(database)


def damaged_copies(database: Path, tmp_path: Path) -> dict[str, Path]:
    data = database.read_bytes()
    files = {
        "garbage": b"this is not a database at all " * 200,
        "truncated": data[: len(data) // 2 + 100],
        "header-only": data[:100],
    }
    paths: dict[str, Path] = {}
    for name, content in files.items():
        path = tmp_path / f"{name}.db"
        path.write_bytes(content)
        paths[name] = path
    newer = tmp_path / "newer.db"
    newer.write_bytes(data)
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    paths["newer"] = newer
    foreign = tmp_path / "foreign.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    paths["foreign"] = foreign
    return paths


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("garbage", "is not a SQLite database"),
        ("truncated", "is damaged"),
        ("header-only", "is damaged"),
        ("newer", "newer ckaquiz"),
        ("foreign", "not a ckaquiz database"),
    ],
)
def test_a_bad_backup_is_refused(database: Path, tmp_path: Path, kind: str, message: str) -> None:
    candidate = damaged_copies(database, tmp_path)[kind]
    with pytest.raises(StoreError, match=message):
        check_database_file(candidate)
    before = database.read_bytes()
    folder = tmp_path / "home" / "backups"
    with pytest.raises(StoreError, match=message):
        restore_backup(database, candidate, folder, now=NOW, retention=KEEP)
    assert database.read_bytes() == before
    assert not folder.exists()


def test_restore_over_a_healthy_database_keeps_it(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "backups"
    older = make_backup(database, tmp_path / "older.db")
    store = Store.open(database)
    reviewed = store.reviews()[0]
    card = store.card(reviewed.card_id)
    assert card is not None
    record_review(store, reviewed, card.number)
    store.close()
    current = logged_reviews(database)
    result = restore_backup(database, older, folder, now=NOW, retention=KEEP)
    assert result.replaced is not None and result.replaced.parent == folder
    assert logged_reviews(result.replaced) == current
    assert logged_reviews(database) == logged_reviews(older)
    assert result.restored.reviews == len(logged_reviews(older))
    assert integrity(database) == "ok"
    reopened = Store.open(database)
    assert reopened.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.close()


def test_restore_over_a_damaged_database_moves_it_aside_untouched(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "backups"
    good = make_backup(database, tmp_path / "good.db")
    database.write_bytes(b"\x00garbage" * 1000)
    damaged = database.read_bytes()
    result = restore_backup(database, good, folder, now=NOW, retention=KEEP)
    assert result.replaced is not None
    assert result.replaced.read_bytes() == damaged
    assert logged_reviews(database) == logged_reviews(good)
    assert mode(database) == 0o600
    assert newest_backup(folder) is None  # a damaged copy is never offered for restoring


def test_restore_never_prunes_the_backup_it_used_or_the_one_it_made(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "backups"
    for offset in range(3):
        ensure_daily_backup(database, folder, today=TODAY + timedelta(days=offset), retention=KEEP)
    oldest = list_backups(folder)[0]
    only_one = Retention(daily=1, weekly=0, monthly=0)
    result = restore_backup(database, oldest, folder, now=NOW + timedelta(days=5), retention=only_one)
    assert result.replaced is not None
    newest_day = folder / "ckaquiz-2025-03-21.db"  # the one daily backup kept
    assert list_backups(folder) == [oldest, newest_day, result.replaced]


def test_restore_into_an_empty_folder(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "new-home" / "ckaquiz.db"
    result = restore_backup(target, database, tmp_path / "new-home" / "backups", now=NOW, retention=KEEP)
    assert result.replaced is None
    assert logged_reviews(target) == logged_reviews(database)


# the store ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["garbage", "truncated", "header-only"])
def test_store_refuses_a_damaged_file_without_touching_it(database: Path, tmp_path: Path, kind: str) -> None:
    path = damaged_copies(database, tmp_path)[kind]
    target = tmp_path / "damaged-home" / "ckaquiz.db"
    target.parent.mkdir()
    target.write_bytes(path.read_bytes())
    before = target.read_bytes()
    with pytest.raises(StoreError, match="is damaged, cannot open the database") as raised:
        Store.open(target)
    assert "\n" not in str(raised.value)
    assert "no backup found in" in str(raised.value)
    assert target.read_bytes() == before
    make_backup(database, daily_backup_path(target.parent / "backups", TODAY))
    with pytest.raises(StoreError) as raised:
        Store.open(target)
    expected = target.parent / "backups" / "ckaquiz-2025-03-19.db"
    assert str(raised.value).endswith(f"restore a backup with: ckaquiz restore {shlex.quote(str(expected))}")
    assert target.read_bytes() == before


def test_every_truncation_is_refused_or_intact(database: Path, tmp_path: Path) -> None:
    data = database.read_bytes()
    target = tmp_path / "cut" / "ckaquiz.db"
    target.parent.mkdir()
    for size in range(512, len(data), 1536):
        target.write_bytes(data[:size])
        try:
            store = Store.open(target)
        except StoreError as error:
            assert "is damaged" in str(error), size
            continue
        store.close()
        assert integrity(target) == "ok", size


# the commands -------------------------------------------------------------------------------


def test_backup_command_writes_a_private_copy(isolated_home: Path, tmp_path: Path) -> None:
    studied_home(isolated_home, tmp_path)
    result = run_full_cli("backup", env={"CKAQUIZ_NOW": "2025-03-19T12:00:00+00:00"})
    assert result.returncode == 0, result.stderr
    stamp = NOW.astimezone().strftime("%Y-%m-%d-%H%M%S")
    made = isolated_home / "backups" / f"ckaquiz-{stamp}.db"
    assert result.stdout == f"backed up {isolated_home / 'ckaquiz.db'} to {made}\n"
    assert mode(made) == 0o600
    assert logged_reviews(made) == logged_reviews(isolated_home / "ckaquiz.db")
    target = tmp_path / "mine.db"
    assert run_full_cli("backup", str(target)).returncode == 0
    refused = run_full_cli("backup", str(target))
    assert refused.returncode == 1
    assert refused.stderr == f"error: {target} already exists (use --force to overwrite it)\n"
    assert run_full_cli("backup", str(target), "--force").returncode == 0


def test_backup_command_without_a_database_is_one_line(isolated_home: Path) -> None:
    result = run_full_cli("backup")
    assert result.returncode == 1
    assert result.stderr == f"error: {isolated_home / 'ckaquiz.db'}: there is no database to back up yet\n"


def test_damaged_database_gives_one_line_and_the_restore_command(isolated_home: Path, tmp_path: Path) -> None:
    studied_home(isolated_home, tmp_path)
    assert run_full_cli("backup").returncode == 0  # the real clock: newer than any daily backup made today
    newest = newest_backup(isolated_home / "backups")
    assert newest is not None
    database = isolated_home / "ckaquiz.db"
    reviews = logged_reviews(database)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(os.urandom(8192))
    damaged = database.read_bytes()
    for command in (["study", "--plain"], ["cards"], ["decks"], ["import", str(tmp_path / "deck.yaml")]):
        result = run_cli(*command)
        assert result.returncode == 1, command
        assert result.stdout == ""
        assert result.stderr == (
            f"error: {database} is damaged, cannot open the database (file is not a database);"
            f" restore a backup with: ckaquiz restore {newest}\n"
        ), command
        assert database.read_bytes() == damaged
    restored = run_full_cli("restore", str(newest))
    assert restored.returncode == 0, restored.stderr
    assert "the replaced database is kept as" in restored.stdout
    assert logged_reviews(database) == reviews
    kept = [path for path in (isolated_home / "backups").iterdir() if path.name.endswith("-damaged.db")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert run_cli("study", "--plain").returncode == 0


def test_newer_schema_names_upgrade_and_restore(isolated_home: Path, tmp_path: Path) -> None:
    studied_home(isolated_home, tmp_path)
    assert run_full_cli("backup").returncode == 0
    newest = newest_backup(isolated_home / "backups")
    database = isolated_home / "ckaquiz.db"
    connection = sqlite3.connect(database)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    result = run_cli("cards")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {database} was written by a newer ckaquiz (schema {SCHEMA_VERSION + 1}, this one knows"
        f" {SCHEMA_VERSION}); upgrade ckaquiz, or restore a backup with: ckaquiz restore {newest}\n"
    )


def test_restore_refuses_a_bad_file_and_changes_nothing(isolated_home: Path, tmp_path: Path) -> None:
    studied_home(isolated_home, tmp_path)
    database = isolated_home / "ckaquiz.db"
    before = logged_reviews(database)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    backups = isolated_home / "backups"
    existing = sorted(backups.iterdir()) if backups.exists() else []
    result = run_full_cli("restore", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad} is damaged") and result.stderr.count("\n") == 1
    assert logged_reviews(database) == before
    assert (sorted(backups.iterdir()) if backups.exists() else []) == existing
    missing = run_full_cli("restore", str(tmp_path / "nope.db"))
    assert missing.stderr == f"error: {tmp_path / 'nope.db'}: no such file\n"


def test_database_and_its_companions_are_created_private(isolated_home: Path, tmp_path: Path) -> None:
    studied_home(isolated_home, tmp_path)
    database = isolated_home / "ckaquiz.db"
    assert mode(database) == 0o600
    connection = sqlite3.connect(database)  # keeps the -wal and -shm in place while we look
    connection.execute("SELECT count(*) FROM reviews").fetchone()
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{database}{suffix}")
        if companion.exists():
            assert mode(companion) == 0o600, suffix
    connection.close()


def test_commands_have_help() -> None:
    for command in ("backup", "restore"):
        result = run_full_cli(command, "--help")
        assert result.returncode == 0
        assert "Usage" in result.stdout


def test_first_write_of_each_day_is_preceded_by_a_backup(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml_deck("backup", 5), encoding="utf-8")
    first_day = {"CKAQUIZ_NOW": "2025-03-19T12:00:00+00:00"}
    assert run_cli("import", str(deck), env=first_day).returncode == 0
    assert run_cli("study", "--plain", input_text="x\n3\nx\n1\n", env=first_day).returncode == 0
    before = logged_reviews(isolated_home / "ckaquiz.db")
    assert len(before) == 2
    next_day = {"CKAQUIZ_NOW": "2025-03-20T12:00:00+00:00"}
    daily = isolated_home / "backups" / f"ckaquiz-{date(2025, 3, 20).isoformat()}.db"
    assert run_cli("study", "--plain", input_text="x\n3\n", env=next_day).returncode == 0
    assert logged_reviews(daily) == before  # the copy was taken before the day's first write
    assert mode(daily) == 0o600
    copied = daily.read_bytes()
    assert run_cli("study", "--plain", input_text="x\n3\n", env=next_day).returncode == 0
    assert daily.read_bytes() == copied  # once a day
    assert len(logged_reviews(isolated_home / "ckaquiz.db")) == 4
