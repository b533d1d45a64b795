"""`ckaquiz optimize`: refuses small logs, names the extra, shows old and new, saves only when confirmed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import ckaquiz.cli
from ckaquiz import scheduling
from ckaquiz.cli.optimize import register
from ckaquiz.collection import Collection
from ckaquiz.scheduling import default_parameters
from tests.stats_helpers import synthetic_log

runner = CliRunner()
FITTED = tuple(round(value * 0.97, 4) if index != 20 else value for index, value in enumerate(default_parameters()))
CONFIG = "# my settings\nenable_fuzzing = false\nbuiltin_decks = false\n\n[obsidian]\nvault = '~/notes'\n"


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer(pretty_exceptions_enable=False)
    application.callback()(ckaquiz.cli.main_callback)
    register(application)
    return application


@pytest.fixture
def logged(collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Collection:
    synthetic_log(collection, tmp_path)
    (collection.home / "config.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setattr(scheduling, "fit_parameters", lambda histories: FITTED)
    return collection


def test_a_small_log_is_refused(collection: Collection, tmp_path: Path, app: typer.Typer) -> None:
    synthetic_log(collection, tmp_path, cards=3, answers=3)
    result = runner.invoke(app, ["optimize", "--yes"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert result.stderr.endswith("it needs at least 512. Keep studying and try again later.\n")


def test_retention_prints_the_simulated_workloads(logged: Collection, app: typer.Typer) -> None:
    result = runner.invoke(app, ["optimize", "--retention"])
    assert result.exit_code == 0, result.output
    assert "desired retention" in result.output and "minutes a day" in result.output
    assert "0.90 (yours)" in result.output
    assert "recommended minimum: desired_retention = " in result.output
    assert tomllib.loads((logged.home / "config.toml").read_text(encoding="utf-8")).get("parameters") is None


def test_shows_old_new_and_the_fit_then_saves_when_confirmed(logged: Collection, app: typer.Typer) -> None:
    declined = runner.invoke(app, ["optimize"], input="n\n")
    assert declined.exit_code == 0, declined.output
    output = declined.stdout
    assert "fitted to 960 answers on 80 cards" in output
    assert " 0   0.2120   0.2056   -0.0064" in output
    assert "old (FSRS defaults)" in output and "log loss" in output and "RMSE" in output
    assert output.rstrip().endswith("not saved (pass --yes to save without asking)")
    assert (logged.home / "config.toml").read_text(encoding="utf-8") == CONFIG

    accepted = runner.invoke(app, ["optimize"], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.rstrip().endswith(f"saved to {logged.home / 'config.toml'}")
    text = (logged.home / "config.toml").read_text(encoding="utf-8")
    assert text.startswith("# my settings\nenable_fuzzing = false\nbuiltin_decks = false\n\nparameters = [")
    assert text.endswith("\n[obsidian]\nvault = '~/notes'\n")
    assert tuple(tomllib.loads(text)["parameters"]) == FITTED
    reopened = Collection.open(logged.home)
    assert reopened.settings.parameters == FITTED
    reopened.close()


def test_yes_saves_without_asking_and_compares_with_saved_parameters(logged: Collection, app: typer.Typer) -> None:
    assert runner.invoke(app, ["optimize", "--yes"]).exit_code == 0
    again = runner.invoke(app, ["optimize", "--yes"])
    assert again.exit_code == 0, again.output
    assert "old (your saved parameters)" in again.stdout
    assert "do not predict your answers better" in again.stdout  # the same parameters again


def test_end_of_input_means_not_saved(logged: Collection, app: typer.Typer) -> None:
    result = runner.invoke(app, ["optimize"], input="")
    assert result.exit_code == 0
    assert "not saved" in result.stdout
    assert (logged.home / "config.toml").read_text(encoding="utf-8") == CONFIG
