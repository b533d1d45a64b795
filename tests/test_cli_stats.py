"""`ckaquiz stats`: through typer in-process, and end to end over days simulated with CKAQUIZ_NOW."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import ckaquiz.cli
from ckaquiz.cli.stats import register
from ckaquiz.collection import Collection
from ckaquiz.stats import collect_stats
from tests.conftest import FrozenClock
from tests.stats_helpers import environment_now, simulate, utc_timezone  # noqa: F401

runner = CliRunner()

# Runs the real entry point.
ENTRY = "import ckaquiz.cli as cli\ncli.main()\n"


@pytest.fixture
def app() -> typer.Typer:
    """An app with ckaquiz's own callback (its shared Context) and the progress commands."""
    application = typer.Typer(pretty_exceptions_enable=False)
    application.callback()(ckaquiz.cli.main_callback)
    register(application)
    return application


def run_entry(*arguments: str, input_text: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ) | (env or {})
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *arguments],
        input=input_text,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.usefixtures("utc_timezone")
def test_stats_json_is_the_documented_object(
    collection: Collection, clock: FrozenClock, tmp_path: Path, app: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    simulate(collection, clock, tmp_path)
    for name, value in environment_now(clock).items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["stats", "--json", "--tag", "cka"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    from ckaquiz.filters import Filters

    assert document == json.loads(json.dumps(collect_stats(collection, Filters(tags=("cka",))).to_dict()))
    database = sqlite3.connect(collection.home / "ckaquiz.db")
    cka_answers = database.execute(
        "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card_id"
        " WHERE r.undone_at IS NULL AND c.tags LIKE '%\"cka\"%'"
    ).fetchone()[0]
    assert document["calendar"]["answers"] == cka_answers
    assert document["filters"]["tags"] == ["cka"]
    assert document["readiness"]["weakest"] == "cka/cluster-architecture"


@pytest.mark.usefixtures("utc_timezone")
@pytest.mark.parametrize("arguments", [[], ["--tag", "cka"], ["--tag", "access-modes"]])
def test_stats_json_is_written_as_json_dumps_writes_it(
    collection: Collection,
    clock: FrozenClock,
    tmp_path: Path,
    app: typer.Typer,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
) -> None:
    """Topic by topic as it is written, the text is still that of json.dumps with indent=1, byte for byte."""
    simulate(collection, clock, tmp_path)
    for name, value in environment_now(clock).items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["stats", "--json", *arguments])
    assert result.exit_code == 0, result.output
    from ckaquiz.filters import Filters

    tags = tuple(arguments[1:])
    found = collect_stats(collection, Filters(tags=tags))
    assert bool(found.recall_progress) == (tags != ("access-modes",))
    assert result.stdout == json.dumps(found.to_dict(), ensure_ascii=False, indent=1) + "\n"


@pytest.mark.usefixtures("utc_timezone")
def test_stats_screen_at_80_columns(
    collection: Collection, clock: FrozenClock, tmp_path: Path, app: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    simulate(collection, clock, tmp_path)
    for name, value in environment_now(clock).items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["stats", "--deck", "storage"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "ckaquiz stats · deck storage · 2025-06-04 18:00"
    assert max(len(line) for line in lines) <= 80
    assert "ckaquiz review --deck storage" in result.stdout


def test_stats_errors_are_one_line(collection: Collection, app: typer.Typer) -> None:
    result = runner.invoke(app, ["stats", "--tag", "nothing-has-this"])
    assert result.exit_code == 1
    assert result.stderr == "error: no card is tagged 'nothing-has-this'\n"
    (collection.home / "config.toml").write_text("builtin_decks = false\nleech_lapses = 0\n", encoding="utf-8")
    broken = runner.invoke(app, ["stats"])
    assert broken.exit_code == 1
    config = collection.home / "config.toml"
    assert broken.stderr == f"error: {config}: leech_lapses = 0: expected a whole number from 1 to 1000\n"


def test_three_days_with_ckaquiz_now(isolated_home: Path, tmp_path: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    deck = tmp_path / "pods.yaml"
    deck.write_text(
        "deck: pods\ntags: [cka, cka/workloads-scheduling]\ncards:\n"
        "  - {front: one, back: '1', id: one}\n  - {front: two, back: '2', id: two}\n",
        encoding="utf-8",
    )
    assert run_entry("import", str(deck)).returncode == 0
    start = datetime.fromisoformat("2025-03-19T09:00:00+00:00")
    env = {"TZ": "UTC"}
    for offset, answers in ((0, "x\n3\nx\n1\nx\n3\nx\n3\nx\n3\n"), (3, "x\n3\nx\n3\n"), (4, "")):
        moment = (start + timedelta(days=offset)).isoformat()
        done = run_entry("study", "--plain", input_text=answers, env=env | {"CKAQUIZ_NOW": moment})
        assert done.returncode == 0, done.stderr
    now = (start + timedelta(days=4, hours=3)).isoformat()
    result = run_entry("stats", "--json", env=env | {"CKAQUIZ_NOW": now})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    by_day = dict(
        database.execute(
            "SELECT date(reviewed_at, '-4 hours'), count(*) FROM reviews WHERE undone_at IS NULL GROUP BY 1"
        ).fetchall()
    )
    counts = document["calendar"]["counts"]
    start_day = datetime.fromisoformat(document["calendar"]["start"]).date()
    assert {
        (start_day + timedelta(days=index)).isoformat(): count for index, count in enumerate(counts) if count
    } == by_day
    assert (document["calendar"]["current_streak"], document["calendar"]["longest_streak"]) == (1, 1)
    assert document["today"]["answers"] == 0  # nothing was due on day 4
    assert document["cards"]["total"] == 2
    screen = run_entry("stats", env=env | {"CKAQUIZ_NOW": now, "COLUMNS": "80"})
    assert screen.returncode == 0 and "streak: 1 day now, longest 1 day" in screen.stdout
