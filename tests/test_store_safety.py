"""The database is never silently replaced: damaged, empty, missing and mislinked stores are refused in
one line by every command, backups are never rotated away meanwhile, a log that is not the
database's own is set aside, and the data folder itself is checked."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from ckaquiz.backup import list_backups
from ckaquiz.errors import StoreError
from ckaquiz.store import Store, marker_path, record_review
from tests.conftest import run_cli
from tests.safety_helpers import integrity, logged_reviews, no_builtin_home, run_full_cli, yaml_deck

FIRST_DAY = 1  # study days are 2025-03-01 ... in these tests
STUDY_DAYS = 4


def day(number: int, hour: int = 12) -> dict[str, str]:
    """CKAQUIZ_NOW on day `number` of a simulated month (and beyond: day 40 is in April)."""
    from datetime import UTC, datetime, timedelta

    moment = datetime(2025, 3, 1, hour, tzinfo=UTC) + timedelta(days=number - 1)
    return {"CKAQUIZ_NOW": moment.isoformat()}


def study_days(home: Path, tmp_path: Path, days: int = STUDY_DAYS) -> Path:
    """A data folder studied on `days` days (so it has that many daily backups)."""
    no_builtin_home(home, "new_per_day = 1000\n")
    deck = tmp_path / "safety-deck.yaml"
    deck.write_text(yaml_deck("safety", 40), encoding="utf-8")
    assert run_cli("import", str(deck), env=day(FIRST_DAY)).returncode == 0
    for number in range(FIRST_DAY, FIRST_DAY + days):
        result = run_cli("study", "--plain", input_text="x\n3\nx\n4\nx\n2\n", env=day(number))
        assert result.returncode == 0, result.stderr
    return deck


def settle(database: Path) -> None:
    """Fold the log into the file, as a quiet data folder is between sessions."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, but SQLite's shared-memory index and an empty log
    (a read-only check of a database in WAL mode makes both; neither holds data)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not path.name.endswith("-shm")
        and not (path.name.endswith("-wal") and path.stat().st_size == 0)
    }


def damage(database: Path, kind: str) -> None:
    """Damage the database file the way disks, sync tools and scripts do."""
    data = bytearray(database.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    if kind == "empty":
        data = bytearray()
    elif kind == "truncated":
        data = data[: len(data) // 2 + 100]
    elif kind == "truncated-whole-pages":
        data = data[: (len(data) // 2 // page) * page]
    elif kind == "zeroed-page":
        connection = sqlite3.connect(database)
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reviews'").fetchone()[0]
        connection.close()
        data[(root - 1) * page : root * page] = bytes(page)
    elif kind == "zeroed-header":
        data[:page] = bytes(page)
    elif kind == "random-bytes":
        data = bytearray(os.urandom(len(data)))
    else:
        raise AssertionError(kind)
    database.write_bytes(bytes(data))


def every_command(deck: Path, tmp_path: Path) -> list[list[str]]:
    """Every command that opens the database, with arguments it accepts."""
    return [
        ["study", "--plain"],
        ["review", "--plain"],
        ["stats"],
        ["stats", "--json"],
        ["cards"],
        ["cards", "--json"],
        ["decks"],
        ["export", "json", str(tmp_path / "out.json"), "--reviews"],
        ["export", "csv", str(tmp_path / "out.csv")],
        ["import", str(deck)],
        ["check"],
        ["history", "safety:c0"],
        ["score", "safety:c0"],
        ["sources"],
        ["optimize"],
        ["backup"],
        ["backup", str(tmp_path / "copy.db")],
    ]


@pytest.mark.parametrize("kind", ["empty", "truncated", "zeroed-page"])
def test_a_damaged_database_is_refused_by_every_command_and_no_backup_is_rotated(
    isolated_home: Path, tmp_path: Path, kind: str
) -> None:
    deck = study_days(isolated_home, tmp_path)
    database = isolated_home / "ckaquiz.db"
    settle(database)
    (isolated_home / "config.toml").write_text(
        "builtin_decks = false\nbackups_daily = 1\nbackups_weekly = 0\nbackups_monthly = 0\n", encoding="utf-8"
    )
    damage(database, kind)
    before = snapshot(isolated_home)
    assert len(list_backups(isolated_home / "backups")) == STUDY_DAYS
    for number, command in enumerate(every_command(deck, tmp_path)):
        later = day(FIRST_DAY + STUDY_DAYS + 5 + number)  # a new day each time: a backup would be due
        result = run_full_cli(*command, input_text="x\n3\n", env=later)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, command
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (command, result.stderr)
        assert lines[0].startswith(f"error: {database} is damaged"), (command, lines[0])
        assert "ckaquiz restore " in lines[0], command
        assert snapshot(isolated_home) == before, f"{command} changed the data folder"
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("empty", "(the file is empty)"),
        ("truncated", "bytes is not a whole number of 4096-byte pages)"),
        ("truncated-whole-pages", "pages its header counts)"),
        ("zeroed-header", "(file is not a database)"),
        ("random-bytes", "(file is not a database)"),
    ],
)
def test_the_cheap_check_on_open_names_what_is_wrong(tmp_path: Path, kind: str, reason: str) -> None:
    database = tmp_path / "store" / "ckaquiz.db"
    Store.open(database).close()
    store = Store.open(database)
    with store.transaction() as connection:
        connection.execute("CREATE TABLE filler (text TEXT)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    store.close()
    settle(database)
    damage(database, kind)
    damaged = database.read_bytes()
    with pytest.raises(StoreError) as raised:
        Store.open(database)
    message = str(raised.value)
    assert message.startswith(f"{database} is damaged, cannot open the database ") and reason in message
    assert "\n" not in message
    assert database.read_bytes() == damaged


def test_an_empty_database_over_weeks_never_replaces_the_backups(isolated_home: Path, tmp_path: Path) -> None:
    """The reported failure: a 0-byte file was taken for a new database and its backups pruned away."""
    study_days(isolated_home, tmp_path)
    database = isolated_home / "ckaquiz.db"
    settle(database)
    backups_before = snapshot(isolated_home / "backups")
    database.write_bytes(b"")
    for number in range(10, 40, 3):
        result = run_cli("study", "--plain", input_text="x\n3\n", env=day(number))
        assert result.returncode == 1 and "(the file is empty)" in result.stderr
    assert database.stat().st_size == 0
    assert snapshot(isolated_home / "backups") == backups_before


def test_a_missing_database_is_new_only_when_nothing_says_there_was_one(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    database = isolated_home / "ckaquiz.db"
    assert run_cli("cards").returncode == 0  # a first start: a new database and its marker
    assert marker_path(database).is_file()
    assert marker_path(database).stat().st_mode & 0o777 == 0o600
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    refused = run_cli("cards")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: {database} is missing ({marker_path(database)} says one was created here); put your copy back"
        " with `ckaquiz restore FILE`, or delete ckaquiz.db.created to start a new database\n"
    )
    assert not database.exists()
    marker_path(database).unlink()
    assert run_cli("cards").returncode == 0  # the learner chose to start again


def test_a_missing_database_with_backups_names_the_restore_command(isolated_home: Path, tmp_path: Path) -> None:
    study_days(isolated_home, tmp_path)
    database = isolated_home / "ckaquiz.db"
    reviews = logged_reviews(database)
    settle(database)
    database.unlink()
    marker_path(database).unlink()  # even without the marker, backups say a database existed
    newest = list_backups(isolated_home / "backups")[-1]
    refused = run_cli("stats", env=day(20))
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: {database} is missing (there are backups of it); ")
    assert f"restore a backup with: ckaquiz restore {newest}" in refused.stderr
    assert not database.exists()
    restored = run_full_cli("restore", str(newest), env=day(20))
    assert restored.returncode == 0, restored.stderr
    assert marker_path(database).is_file()
    assert len(logged_reviews(database)) < len(reviews)  # the newest backup predates the last day's grades
    assert run_cli("stats", env=day(20)).returncode == 0


def test_an_older_database_without_a_marker_gets_one(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    assert run_cli("cards").returncode == 0
    database = isolated_home / "ckaquiz.db"
    marker_path(database).unlink()
    assert run_cli("cards").returncode == 0
    assert marker_path(database).is_file()


def test_a_dangling_database_link_is_refused_and_not_followed(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    target = tmp_path / "elsewhere" / "gone.db"
    (isolated_home / "ckaquiz.db").symlink_to(target)
    for command in (["cards"], ["stats"], ["study", "--plain"]):
        result = run_cli(*command)
        assert result.returncode == 1
        link = isolated_home / "ckaquiz.db"
        assert result.stderr == f"error: {link} is a link to {target}, which does not exist; fix or remove the link\n"
    assert not target.exists() and not target.parent.exists()


@pytest.mark.parametrize("home_kind", ["file", "dev-null", "not-writable", "file-in-path"])
def test_an_unusable_data_folder_is_refused_in_one_line(tmp_path: Path, home_kind: str) -> None:
    if home_kind == "file":
        home = tmp_path / "a-file"
        home.write_text("not a folder", encoding="utf-8")
        expected = f"error: data folder {home} (CKAQUIZ_HOME) is not a folder; point CKAQUIZ_HOME at a folder\n"
    elif home_kind == "dev-null":
        home = Path("/dev/null")
        expected = "error: data folder /dev/null (CKAQUIZ_HOME) is not a folder; point CKAQUIZ_HOME at a folder\n"
    elif home_kind == "file-in-path":
        (tmp_path / "a-file").write_text("x", encoding="utf-8")
        home = tmp_path / "a-file" / "home"
        expected = f"error: cannot create the data folder {home} (Not a directory)\n"
    else:
        home = tmp_path / "locked"
        home.mkdir()
        home.chmod(0o500)
        if os.access(home, os.W_OK):  # root writes anywhere: a folder of the proc file system is read-only
            home = Path("/proc/self/fdinfo")
            if not home.is_dir():
                pytest.skip("no read-only folder to point CKAQUIZ_HOME at")
        expected = f"error: data folder {home} is not writable; fix its permissions or set CKAQUIZ_HOME\n"
    for command in (["cards"], ["stats"], ["backup"], ["restore", str(tmp_path / "any.db")]):
        result = run_full_cli(*command, env={"CKAQUIZ_HOME": str(home)})
        assert (result.returncode, result.stderr) == (1, expected), command
    if home_kind == "file":
        assert home.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("blank", ['""', '"  "'])
def test_a_blank_deck_folder_does_not_read_the_current_folder(isolated_home: Path, tmp_path: Path, blank: str) -> None:
    no_builtin_home(isolated_home, f"deck_folders = [{blank}]\n")
    working = tmp_path / "working"
    working.mkdir()
    (working / "stray.md").write_text("# Stray\n\nWhat runs a static pod? :: The kubelet\n", encoding="utf-8")
    environment = dict(os.environ)
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ckaquiz", "cards", "--json"],
        cwd=working,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    # settings are checked as config.toml is read, so the line names the file, the key and the value
    config = isolated_home / "config.toml"
    assert result.stderr == (
        f"error: {config}: deck_folders = [{blank}]: expected a list of folder paths, such as"
        ' ["~/notes/cka"] (a blank entry would read the current folder)\n'
    )
    assert result.stdout == ""


def test_the_data_folder_database_backups_and_exports_are_private_whatever_the_umask(
    isolated_home: Path, tmp_path: Path
) -> None:
    previous = os.umask(0o000)
    try:
        assert run_full_cli("backup", "--list").returncode == 0  # ckaquiz makes the data folder
        study_days(isolated_home, tmp_path, days=2)
        exports = tmp_path / "exports"
        exports.mkdir()
        for command in (
            ["export", "json", str(exports / "all.json"), "--reviews"],
            ["export", "csv", str(exports / "all.csv"), "--reviews"],
            ["export", "anki", str(exports / "all.apkg")],
        ):
            result = run_cli(*command)
            assert result.returncode == 0, result.stderr
        assert run_full_cli("backup", env=day(9)).returncode == 0
    finally:
        os.umask(previous)
    assert isolated_home.stat().st_mode & 0o777 == 0o700
    assert (isolated_home / "backups").stat().st_mode & 0o777 == 0o700
    private = [isolated_home / "ckaquiz.db", *list_backups(isolated_home / "backups"), *exports.iterdir()]
    assert {path.name for path in exports.iterdir()} == {"all.json", "all.csv", "all.reviews.csv", "all.apkg"}
    for path in private:
        assert path.stat().st_mode & 0o777 == 0o600, path


def stale_log_beside_an_older_copy(database: Path) -> bytes:
    """Leave beside the database a log written over a later state of it; returns the older copy's bytes."""
    settle(database)
    older = database.read_bytes()
    store = Store.open(database)
    with store.transaction() as connection:  # a later state, folded into the file
        connection.execute("CREATE TABLE later (text TEXT)")
        connection.executemany("INSERT INTO later VALUES (?)", [("later " * 40,)] * 300)
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.connection.execute("PRAGMA wal_autocheckpoint = 0")
    with store.transaction() as connection:  # and writes on top of it, still only in the log
        connection.execute("DELETE FROM later WHERE rowid % 3 = 0")
        connection.executemany("INSERT INTO later VALUES (?)", [("log " * 60,)] * 300)
    log = Path(f"{database}-wal").read_bytes()
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(older)
    Path(f"{database}-wal").write_bytes(log)
    return older


def test_a_log_that_is_not_the_databases_own_is_set_aside_not_replayed(isolated_home: Path, tmp_path: Path) -> None:
    study_days(isolated_home, tmp_path, days=2)
    database = isolated_home / "ckaquiz.db"
    reviews = logged_reviews(database)
    stale_log_beside_an_older_copy(database)
    log = Path(f"{database}-wal").read_bytes()
    replayed = tmp_path / "replayed"  # what SQLite alone would make of the pair: damage
    replayed.mkdir()
    shutil.copyfile(database, replayed / "ckaquiz.db")
    shutil.copyfile(f"{database}-wal", replayed / "ckaquiz.db-wal")
    assert integrity(replayed / "ckaquiz.db") != "ok"
    result = run_cli("stats", env=day(9))
    assert result.returncode == 0, result.stderr
    kept = [path for path in (isolated_home / "backups").iterdir() if path.name.endswith("-stale.db-wal")]
    assert len(kept) == 1 and kept[0].read_bytes() == log
    assert result.stderr.startswith(
        f"warning: {database}-wal did not belong to the database and was not applied; it is kept as {kept[0]}\n"
    )
    assert integrity(database) == "ok"
    assert logged_reviews(database) == reviews


def test_a_log_that_belongs_to_the_database_is_applied(isolated_home: Path, tmp_path: Path) -> None:
    study_days(isolated_home, tmp_path, days=2)
    database = isolated_home / "ckaquiz.db"
    settle(database)
    store = Store.open(database)
    store.connection.execute("PRAGMA wal_autocheckpoint = 0")
    reviewed = store.reviews()[0]
    card = store.card(reviewed.card_id)
    assert card is not None
    record_review(store, reviewed, card.number)
    log = Path(f"{database}-wal").read_bytes()
    copy = tmp_path / "crashed"  # the file pair a killed session leaves: database and its own log
    copy.mkdir()
    shutil.copyfile(database, copy / "ckaquiz.db")
    (copy / "ckaquiz.db-wal").write_bytes(log)
    store.close()
    reopened = Store.open(copy / "ckaquiz.db")
    assert reopened.notices == []
    assert len(reopened.reviews(include_undone=True)) == len(logged_reviews(database))
    reopened.close()


def test_a_database_failing_its_daily_check_is_not_written_to(isolated_home: Path, tmp_path: Path) -> None:
    study_days(isolated_home, tmp_path, days=2)
    database = isolated_home / "ckaquiz.db"
    settle(database)
    damage(database, "zeroed-page")
    damaged = database.read_bytes()
    result = run_cli("study", "--plain", input_text="x\n3\n", env=day(10))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {database} is damaged (quick check: ")
    assert "nothing more is written to it; restore a backup with: ckaquiz restore " in result.stderr
    assert database.read_bytes() == damaged


def test_a_backup_that_cannot_be_made_is_said_loudly(isolated_home: Path, tmp_path: Path) -> None:
    study_days(isolated_home, tmp_path, days=2)
    backups = isolated_home / "backups"
    shutil.rmtree(backups)
    backups.write_text("a file where the backups folder goes", encoding="utf-8")
    result = run_cli("study", "--plain", input_text="x\n3\n", env=day(10))
    assert result.returncode == 0, result.stderr
    warning = result.stderr.splitlines()[0]
    assert warning.startswith("warning: no backup was made today: cannot write ")
    assert len(logged_reviews(isolated_home / "ckaquiz.db")) == 2 * 3 + 1  # the session itself went on
