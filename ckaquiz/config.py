"""Where ckaquiz keeps its data, and the settings read from `config.toml` beside it.

Every setting has a default, so ckaquiz works with no config file at all.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from ckaquiz.errors import ConfigError
from ckaquiz.file_access import RefusedFile, read_regular_file
from ckaquiz.printable import escape_json_controls

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


def builtin_decks_folder() -> Path:
    """The built-in decks: inside the installed package, or the repository's `decks/`."""
    from importlib import resources

    packaged = Path(str(resources.files("ckaquiz"))) / "builtin_decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "decks"


MAX_STEP_SECONDS = 365 * 86400
"""The longest learning or relearning step: a year (and far from timedelta's limits)."""
MAX_STEPS = 20
FSRS_PARAMETER_COUNT = 21
"""FSRS-6 has 21 parameters; `ckaquiz.scheduling` checks each against fsrs's own bounds."""


def parse_step(text: str | int | float) -> int:
    """A learning step as seconds: `1m`, `10m`, `1h`, `1d`, or a number of seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        if not math.isfinite(text):
            raise ConfigError(f"not a duration: {text!r} (use e.g. 1m, 10m, 1h, 1d)")
        return int(text)
    if not isinstance(text, str):
        raise ConfigError(f"not a duration: {_shown(text)} (use e.g. 1m, 10m, 1h, 1d)")
    compact = "".join(text.split())[:40]  # no whitespace left for the pattern to backtrack over
    match = _DURATION.match(compact)
    if not compact or match is None or not any(match.groups()):
        raise ConfigError(f"not a duration: {text[:40]!r} (use e.g. 1m, 10m, 1h, 1d)")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


DEFAULT_LEECH_LAPSES = 8
"""Lapses after which a card is a leech, unless `leech_lapses` says otherwise."""

DEFAULT_EASY_SECONDS: dict[str, float] = {"command": 30.0, "manifest": 180.0, "choice": 15.0, "cloze": 10.0}
"""Seconds within which a right first answer suggests *easy*, per judged card kind (`easy_seconds`)."""
MAX_EASY_SECONDS = 3600


class NewOrder(StrEnum):
    """The order new cards are introduced in (`new_order`)."""

    WEIGHTED = "weighted"
    """Interleaved across decks, each CKA exam domain by its weight and weakness (`ckaquiz.new_order`)."""
    DECK = "deck"
    """Deck after deck, each in its file order."""
    RANDOM = "random"
    """Shuffled, the same way all through one study day."""


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
    recall_cutoffs: tuple[float, float, float] = (0.38, 0.7, 0.92)
    easy_seconds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_EASY_SECONDS))
    editor: bool = False
    """Answer recall and manifest cards in `$EDITOR` instead of the built-in editor."""
    editor_command: str = ""
    """The editor to run (answers with `editor`/`--editor`, `e` at the grade prompt); empty: `$EDITOR`."""
    leech_lapses: int = DEFAULT_LEECH_LAPSES
    """Lapses after which `stats` names a card a leech."""
    backups_keep: int | None = None
    """The older name of `backups_daily`; None when not written."""
    skip_headings: tuple[str, ...] = ()
    """Headings whose sections make no cards, in every note source."""
    sync_folder: str = ""
    """The folder the learner's sync engine carries, where devices exchange their history (empty: no sync)."""
    new_order: NewOrder = NewOrder.WEIGHTED
    """The order new cards are introduced in."""
    bury_siblings_across_kinds: bool = True
    """A recall card and the other cards of its section are never shown on the same study day."""
    skip_recall_learn_ahead: bool = True
    """A recall card graded in a session does not come back early in it through the learn-ahead window."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    """Every key written beyond the core ones above it, as written (the optional settings included)."""

    def __post_init__(self) -> None:
        # Settings made from a mapping of optional keys (as older callers do) get them checked and typed too.
        for key in _OPTIONAL.intersection(self.extra):
            value = self.extra[key]
            converted = _CHECKS[key](value)
            if converted is _REFUSED:
                raise ConfigError(f"config: {key} = {_shown(value)}: expected {_ALLOWED[key]}")
            object.__setattr__(self, key, converted)


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
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, ValueError, RecursionError) as error:
        # ValueError: an integer past Python's digit limit; RecursionError: arrays nested thousands deep
        raise ConfigError(f"{path}: {error or type(error).__name__}") from None
    return settings_from_mapping(raw, origin=str(path))


def settings_from_mapping(raw: dict[str, Any], *, origin: str = "config") -> Settings:
    """Validate a config mapping into Settings; a bad value is one line naming the key, the value and what is allowed.

    Every setting ckaquiz reads is checked here and set as a typed field; the optional ones
    (`editor`, `leech_lapses`, `backups_keep`, `skip_headings`) are also kept in `extra` as
    written, beside keys ckaquiz does not know (for optional features such as backup tiers).
    """
    known = {item.name for item in fields(Settings)} - {"extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        check = _CHECKS.get(name)
        converted = value if check is None else check(value)
        if converted is _REFUSED:
            raise ConfigError(f"{origin}: {key} = {_shown(value)}: expected {_ALLOWED[name]}")
        if name in known:
            values[name] = converted
        if name not in _CORE:
            extra[key] = value  # as written
    return Settings(**values, extra=extra)


_OPTIONAL = frozenset({"editor", "leech_lapses", "backups_keep", "skip_headings"})
_CORE = frozenset(item.name for item in fields(Settings)) - _OPTIONAL - {"extra"}
"""The settings that are not kept in `extra` too."""

_REFUSED: Any = object()
"""What a check returns for a value it refuses."""


def _whole(low: int, high: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return _REFUSED
        return value

    return check


def _number(low: float, high: float) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            return _REFUSED  # NaN fails every comparison, so it is refused here too
        return float(value)

    return check


def _flag(value: Any) -> Any:
    return value if isinstance(value, bool) else _REFUSED


def _steps(value: Any) -> Any:
    if not isinstance(value, list) or len(value) > MAX_STEPS:
        return _REFUSED
    try:
        seconds = tuple(parse_step(step) for step in value)
    except ConfigError:
        return _REFUSED
    return seconds if all(1 <= step <= MAX_STEP_SECONDS for step in seconds) else _REFUSED


def _texts(*, blank: bool) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(item, str) and "\x00" not in item for item in value):
            return _REFUSED
        if not blank and any(not item.strip() for item in value):
            return _REFUSED
        return tuple(value)

    return check


def _parameters(value: Any) -> Any:
    if not isinstance(value, list) or len(value) not in (0, FSRS_PARAMETER_COUNT):
        return _REFUSED
    numbers = [_number(-math.inf, math.inf)(item) for item in value]  # finite: inf passes no bound of fsrs either
    if any(number is _REFUSED or not math.isfinite(number) for number in numbers):
        return _REFUSED
    return tuple(numbers)


def _cutoffs(value: Any) -> Any:
    if not isinstance(value, list) or len(value) != 3:
        return _REFUSED
    numbers = [_number(0.0, 1.0)(item) for item in value]
    if any(number is _REFUSED for number in numbers) or numbers != sorted(numbers):
        return _REFUSED
    return tuple(numbers)


def _easy_seconds(value: Any) -> Any:
    """A table such as `{command = 30, manifest = 180}`; kinds left out keep their default."""
    if not isinstance(value, dict) or not set(value) <= set(DEFAULT_EASY_SECONDS):
        return _REFUSED
    seconds = {kind: _number(1, MAX_EASY_SECONDS)(number) for kind, number in value.items()}
    if any(number is _REFUSED for number in seconds.values()):
        return _REFUSED
    return DEFAULT_EASY_SECONDS | seconds


def _new_order(value: Any) -> Any:
    return NewOrder(value) if isinstance(value, str) and value in {order.value for order in NewOrder} else _REFUSED


def _folder(value: Any) -> Any:
    return value if isinstance(value, str) and "\x00" not in value else _REFUSED


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "new_per_day": _whole(0, 100_000),
    "reviews_per_day": _whole(0, 100_000),
    "day_starts_at": _whole(0, 23),
    "desired_retention": _number(0.7, 0.99),
    "learning_steps": _steps,
    "relearning_steps": _steps,
    "maximum_interval": _whole(1, 36_500),
    "enable_fuzzing": _flag,
    "builtin_decks": _flag,
    "deck_folders": _texts(blank=False),
    "parameters": _parameters,
    "recall_cutoffs": _cutoffs,
    "easy_seconds": _easy_seconds,
    "sync_folder": _folder,
    "new_order": _new_order,
    "bury_siblings_across_kinds": _flag,
    "skip_recall_learn_ahead": _flag,
    "editor_command": _folder,
    # optional settings, kept in Settings.extra as written too
    "editor": _flag,
    "leech_lapses": _whole(1, 1_000),
    "backups_keep": _whole(1, 10_000),
    "skip_headings": _texts(blank=True),
    "not_study_headings": _texts(blank=False),
    "recall_headings": _texts(blank=False),
}
_ALLOWED = {
    "new_per_day": "a whole number from 0 to 100000 (new cards per study day)",
    "reviews_per_day": "a whole number from 0 to 100000 (reviews per study day)",
    "day_starts_at": "an hour from 0 to 23",
    "desired_retention": "a number from 0.7 to 0.99 (the recall probability FSRS aims at, as in Anki)",
    "learning_steps": f'a list of at most {MAX_STEPS} durations from 1s to 365d, such as ["1m", "10m"]',
    "relearning_steps": f'a list of at most {MAX_STEPS} durations from 1s to 365d, such as ["10m"]',
    "maximum_interval": "a whole number of days from 1 to 36500",
    "enable_fuzzing": "true or false",
    "builtin_decks": "true or false",
    "deck_folders": 'a list of folder paths, such as ["~/notes/cka"] (a blank entry would read the current folder)',
    "parameters": f"a list of {FSRS_PARAMETER_COUNT} numbers (FSRS-6's, as `ckaquiz optimize` writes them) or []",
    "recall_cutoffs": "three rising numbers from 0 to 1, such as [0.38, 0.7, 0.92]",
    "easy_seconds": (
        f"a table of seconds from 1 to {MAX_EASY_SECONDS} for command, manifest, choice or cloze, "
        "such as {command = 30, manifest = 180}"
    ),
    "sync_folder": 'a folder path, such as "~/Sync/ckaquiz" (empty: no sync)',
    "new_order": '"weighted", "deck" or "random"',
    "bury_siblings_across_kinds": "true or false",
    "skip_recall_learn_ahead": "true or false",
    "editor_command": 'an editor command, such as "nvim" or "code --wait" (empty: $EDITOR)',
    "editor": "true or false",
    "leech_lapses": "a whole number from 1 to 1000",
    "backups_keep": "a whole number from 1 to 10000",
    "skip_headings": 'a list of headings, such as ["하루를 마치며"]',
    "not_study_headings": 'a list of diary or plan headings, such as ["하루를 마치며", "내일 할 일"]',
    "recall_headings": 'a list of words marking your own recall, such as ["백지 복습", "blank page"]',
}


def _shown(value: Any, room: int = 60, depth: int = 0) -> str:
    """A value as config.toml spells it, control characters escaped, cut to about `room` characters."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value)  # nan, inf and -inf as TOML writes them too
    elif isinstance(value, int | str):
        text = escape_json_controls(json.dumps(value, ensure_ascii=False))  # a control character shows as \u001b
    elif isinstance(value, list):
        items = ", ".join(_shown(item, room, depth + 1) for item in value[:10]) if depth < 3 else "..."
        text = "[" + items + (", ...]" if len(value) > 10 else "]")
    elif isinstance(value, dict):
        pairs = [f"{key} = {_shown(item, room, depth + 1)}" for key, item in list(value.items())[:10]]
        text = "{" + ", ".join(pairs) + "}" if depth < 3 else "{...}"
    else:
        text = json.dumps(str(value))
    return text if len(text) <= room else text[: room - 3] + "..."


# writing one setting back -----------------------------------------------------------------

_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*[\w\"'.\- ]+\s*\]\]?\s*(#.*)?$")


def with_setting(text: str, key: str, value: Any, line: str) -> str:
    """config.toml text with the top-level `key` set to `value`, written as `line` (`key = ...`): in
    place of its old line (and the lines an old array ran on), else before the first table. Every
    other setting, comment and table is kept as it was; when that cannot be checked, a ConfigError
    asks the learner to write the line themselves."""
    lines = text.splitlines(keepends=True)
    new_line = line + "\n"
    written_key = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    first_table = next((index for index, each in enumerate(lines) if _TABLE_HEADER.match(each)), len(lines))
    for index in range(first_table):
        if written_key.match(lines[index]):
            end = index
            depth = _bracket_depth(lines[index].split("=", 1)[1])
            while depth > 0 and end + 1 < len(lines):
                end += 1
                depth += _bracket_depth(lines[end])
            updated = [*lines[:index], new_line, *lines[end + 1 :]]
            break
    else:
        before = lines[:first_table]
        if before and not before[-1].endswith("\n"):
            before[-1] += "\n"
        updated = [*before, new_line, *(["\n"] if first_table < len(lines) else []), *lines[first_table:]]
    result = "".join(updated)
    _check_only_setting_changed(text, result, key, value, line)
    return result


def save_setting(folder: Path, key: str, value: Any, line: str) -> Path:
    """Set one top-level setting in the data folder's config.toml (`with_setting`), written whole or not at all."""
    path = folder / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    updated = with_setting(text, key, value, line)
    import tempfile  # only a command that writes a setting needs it, not every start-up

    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{CONFIG_NAME}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(updated)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _bracket_depth(line: str) -> int:
    depth = 0
    quote: str | None = None
    for character in line:
        if quote:
            if character == quote:
                quote = None
        elif character in "\"'":
            quote = character
        elif character == "#":
            break
        elif character == "[":
            depth += 1
        elif character == "]":
            depth -= 1
    return depth


def _check_only_setting_changed(old_text: str, new_text: str, key: str, value: Any, line: str) -> None:
    try:
        old = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{CONFIG_NAME}: {error}") from None
    try:
        new = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        new = None
    old.pop(key, None)
    if new is None or new.pop(key, None) != value or new != old:
        raise ConfigError(f"cannot update {CONFIG_NAME} safely; set this line at its top yourself: {line}")
