"""config.toml: defaults with no file, validation with the key named, durations."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckaquiz.config import Settings, load_settings, parse_step, settings_from_mapping
from ckaquiz.errors import ConfigError


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert Settings().learning_steps == (60, 600) and Settings().new_per_day == 20


@pytest.mark.parametrize(("text", "seconds"), [("1m", 60), ("10m", 600), ("1h", 3600), ("1d", 86400), ("1d 2h", 93600), (90, 90)])
def test_durations(text: str | int, seconds: int) -> None:
    assert parse_step(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1x", " " * 5000, "1m" * 3000])
def test_bad_durations_are_refused_quickly(text: str) -> None:
    with pytest.raises(ConfigError, match="not a duration"):
        parse_step(text)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"new_per_day": -1}, "new_per_day: expected a whole number >= 0"),
        ({"desired_retention": 1.5}, "desired_retention: expected a number between 0 and 1"),
        ({"day_starts_at": 30}, "day_starts_at: expected an hour from 0 to 23"),
        ({"learning_steps": "1m"}, "learning_steps: expected a list"),
        ({"recall_cutoffs": [0.9, 0.4, 0.7]}, "recall_cutoffs: expected three rising numbers"),
    ],
)
def test_bad_settings_name_their_key(mapping: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping(mapping)


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("new_per_day = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config.toml"):
        load_settings(tmp_path)


def test_unknown_keys_are_kept_for_optional_features() -> None:
    assert settings_from_mapping({"skip_headings": ["x"]}).extra == {"skip_headings": ["x"]}
