"""Where ckaquiz keeps its data, and the settings read from `config.toml` beside it.

Every setting has a default, so ckaquiz works with no config file at all.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ckaquiz.errors import ConfigError
from ckaquiz.file_access import RefusedFile, read_regular_file

HOME_VARIABLE = "CKAQUIZ_HOME"
DATABASE_NAME = "ckaquiz.db"
CONFIG_NAME = "config.toml"
MAX_CONFIG_BYTES = 1024 * 1024
"""config.toml is read only as a regular file inside the data folder, of at most this size."""

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def home_folder(environment: dict[str, str] | None = None) -> Path:
    """The data folder: `CKAQUIZ_HOME` when set, else the platform's user data directory."""
    environment = dict(os.environ) if environment is None else environment
    override = environment.get(HOME_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("ckaquiz", appauthor=False)


def parse_step(text: str | int | float) -> int:
    """A learning step as seconds: `1m`, `10m`, `1h`, `1d`, or a number of seconds."""
    if isinstance(text, int | float):
        return int(text)
    compact = "".join(text.split())[:40]  # no whitespace left for the pattern to backtrack over
    match = _DURATION.match(compact)
    if not compact or match is None or not any(match.groups()):
        raise ConfigError(f"not a duration: {text[:40]!r} (use e.g. 1m, 10m, 1h, 1d)")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


@dataclass(frozen=True)
class Settings:
    """Limits, scheduling and deck settings; defaults match the documentation."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: int = 4
    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    builtin_decks: bool = True
    deck_folders: tuple[str, ...] = ()
    parameters: tuple[float, ...] = ()
    recall_cutoffs: tuple[float, float, float] = (0.4, 0.7, 0.9)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def load_settings(folder: Path) -> Settings:
    """Read `config.toml` from the data folder; a missing file gives the defaults."""
    path = folder / CONFIG_NAME
    if not path.exists():
        return Settings()
    try:
        text = read_regular_file(path, limit=MAX_CONFIG_BYTES, within=folder, place="the data folder")
        raw = tomllib.loads(text.decode("utf-8"))
    except RefusedFile as refusal:
        raise ConfigError(f"{path}: {refusal}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, RecursionError) as error:
        raise ConfigError(f"{path}: {error or type(error).__name__}") from None
    return settings_from_mapping(raw, origin=str(path))


def settings_from_mapping(raw: dict[str, Any], *, origin: str = "config") -> Settings:
    """Validate a config mapping into Settings, naming the key at fault."""
    known = {item.name for item in fields(Settings)} - {"extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in known:
            extra[key] = value
            continue
        try:
            values[name] = _convert(name, value)
        except (TypeError, ValueError, ConfigError) as error:
            raise ConfigError(f"{origin}: {key}: {error}") from None
    return Settings(**values, extra=extra)


def _convert(name: str, value: Any) -> Any:
    if name in {"learning_steps", "relearning_steps"}:
        if not isinstance(value, list):
            raise TypeError('expected a list such as ["1m", "10m"]')
        return tuple(parse_step(step) for step in value)
    if name in {"new_per_day", "reviews_per_day", "day_starts_at", "maximum_interval"}:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError("expected a whole number >= 0")
        if name == "day_starts_at" and value > 23:
            raise ValueError("expected an hour from 0 to 23")
        return value
    if name == "desired_retention":
        number = float(value)
        if not 0.0 < number < 1.0:
            raise ValueError("expected a number between 0 and 1")
        return number
    if name in {"enable_fuzzing", "builtin_decks"}:
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if name == "deck_folders":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise TypeError("expected a list of folder paths")
        return tuple(value)
    if name == "parameters":
        return tuple(float(item) for item in value)
    if name == "recall_cutoffs":
        numbers = tuple(float(item) for item in value)
        if len(numbers) != 3 or list(numbers) != sorted(numbers):
            raise ValueError("expected three rising numbers, e.g. [0.4, 0.7, 0.9]")
        return numbers
    raise ConfigError(f"unknown setting {name}")
