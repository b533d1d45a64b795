"""config.toml: defaults with no file, validation with the key named, durations."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from ckaquiz.config import Settings, load_settings, parse_step, settings_from_mapping
from ckaquiz.errors import ConfigError
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert Settings().learning_steps == (60, 600) and Settings().new_per_day == 20


@pytest.mark.parametrize(
    ("text", "seconds"), [("1m", 60), ("10m", 600), ("1h", 3600), ("1d", 86400), ("1d 2h", 93600), (90, 90)]
)
def test_durations(text: str | int, seconds: int) -> None:
    assert parse_step(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1x", " " * 5000, "1m" * 3000])
def test_bad_durations_are_refused_quickly(text: str) -> None:
    with pytest.raises(ConfigError, match="not a duration"):
        parse_step(text)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"new_per_day": -1}, "new_per_day = -1: expected a whole number from 0 to 100000"),
        ({"desired_retention": 1.5}, "desired_retention = 1.5: expected a number from 0.7 to 0.99"),
        ({"day_starts_at": 30}, "day_starts_at = 30: expected an hour from 0 to 23"),
        ({"learning_steps": "1m"}, 'learning_steps = "1m": expected a list'),
        ({"recall_cutoffs": [0.9, 0.4, 0.7]}, r"recall_cutoffs = \[0.9, 0.4, 0.7\]: expected three rising numbers"),
    ],
)
def test_bad_settings_name_their_key(mapping: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping(mapping)


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("new_per_day = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load_settings(tmp_path)


def test_unknown_keys_are_kept_for_optional_features() -> None:
    assert settings_from_mapping({"skip_headings": ["x"]}).extra == {"skip_headings": ["x"]}


# Every key with values it must refuse: each is one line naming the key, the value as written and
# what is allowed, never a traceback later (when a scheduler, a grade or a stats page uses it).
INF, NAN = float("inf"), float("nan")
BAD_VALUES: dict[str, list[object]] = {
    "new_per_day": [-1, 100_001, 10**20, 2.5, "20", True, [20]],
    "reviews_per_day": [-1, 100_001, 1e3, "200", False],
    "day_starts_at": [-1, 24, 4.0, "4", True],
    "desired_retention": [1e-320, 0.0, 0.5, 0.995, 1.0, 1.5, NAN, INF, -INF, True, "0.9", [0.9]],
    "learning_steps": [[INF], [NAN], ["999999999d"], ["366d"], ["0m"], [0], [-60], ["soon"], [True], "1m",
                       ["1m"] * 21, [["1m"]]],
    "relearning_steps": [[INF], ["999999999d"], ["0s"], "10m", [None]],
    "maximum_interval": [0, -1, 36_501, 10**11, 365.0, "36500", True],
    "enable_fuzzing": [1, 0, "true", "no", [True]],
    "builtin_decks": [1, "false", None],
    "deck_folders": ["notes", [1], [""], ["  "], ["a\x00b"], [["x"]], {"path": "x"}],
    "parameters": [[1.0, 2.0], [0.2] * 20, [0.2] * 22, [NAN] * 21, [INF] * 21, ["0.2"] * 21, [True] * 21, "x", 0.2],
    "recall_cutoffs": [[NAN, NAN, NAN], [0.9, 0.4, 0.7], [-1, 0.5, 2], [0.4, 0.7], [0.1, 0.2, 0.3, 0.4],
                       [0.4, 0.7, 1.5], ["0.4", "0.7", "0.9"], 0.5, [0.4, 0.7, INF]],
    "easy_seconds": [30, [30], {"recall": 30}, {"command": 0}, {"command": 3601}, {"command": "30"},
                     {"manifest": True}, {"cloze": NAN}, {"choice": INF}, {"command": {"x": 1}}],
    "editor": ["yes", 1, [True], "vim"],
    "leech_lapses": [0, -3, 1_001, 1e9, 8.0, "8", True],
    "backups_keep": [0, -1, 10_001, "many", True, 2.5],
    "skip_headings": [5, "하루를 마치며", [5], [None], [["x"]], {"x": 1}],
    "sync_folder": [5, True, ["~/Sync"], "a\x00b", {"path": "x"}],
    "new_order": ["Weighted", "by-domain", "", 1, True, ["deck"], {"order": "deck"}],
    "bury_siblings_across_kinds": [1, "yes", None],
    "skip_recall_learn_ahead": [0, "false", [False]],
    "editor_command": [5, True, ["vim"], "vi\x00m", {"command": "vim"}],
}


def test_every_setting_has_bad_values_in_the_table() -> None:
    known = {item.name for item in fields(Settings)} - {"extra"}
    assert known | {"editor", "leech_lapses", "backups_keep", "skip_headings"} == set(BAD_VALUES)


@pytest.mark.parametrize(
    ("key", "value"), [(key, value) for key, values in BAD_VALUES.items() for value in values], ids=repr
)
def test_every_bad_value_is_one_line_naming_key_value_and_what_is_allowed(key: str, value: object) -> None:
    with pytest.raises(ConfigError) as refused:
        settings_from_mapping({key: value}, origin="config.toml")
    message = str(refused.value)
    assert message.startswith(f"config.toml: {key} = "), message
    assert ": expected " in message and "\n" not in message and len(message) < 240, message
    assert not any(ord(character) < 32 for character in message)


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("desired_retention", 1e-320, "desired_retention = 1e-320: expected a number from 0.7 to 0.99"),
        ("learning_steps", [INF], "learning_steps = [inf]: expected a list of at most 20 durations from 1s to 365d"),
        ("learning_steps", ["999999999d"], 'learning_steps = ["999999999d"]: expected'),
        ("recall_cutoffs", [NAN, NAN, NAN], "recall_cutoffs = [nan, nan, nan]: expected three rising numbers from 0"),
        ("parameters", [1.0, 2.0], "parameters = [1.0, 2.0]: expected a list of 21 numbers"),
        ("skip_headings", 5, "skip_headings = 5: expected a list of headings"),
        ("easy_seconds", {"command": 0}, "easy_seconds = {command = 0}: expected a table of seconds from 1 to 3600"),
        ("editor", "\x1b]0;x\x07", r'editor = "\u001b]0;x\u0007": expected true or false'),  # controls shown escaped
    ],
)
def test_refusals_show_the_value_as_written(key: str, value: object, shown: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings_from_mapping({key: value}, origin="config.toml")
    assert str(refused.value).startswith(f"config.toml: {shown}")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("desired_retention", 0.7, 0.7),
        ("desired_retention", 0.99, 0.99),
        ("desired_retention", 1, None),
        ("learning_steps", [], ()),
        ("learning_steps", ["1s", "365d", 90, 1.5], (1, 365 * 86400, 90, 1)),
        ("maximum_interval", 36_500, 36_500),
        ("recall_cutoffs", [0, 0.5, 1], (0.0, 0.5, 1.0)),
        ("recall_cutoffs", [0.5, 0.5, 0.5], (0.5, 0.5, 0.5)),
        ("easy_seconds", {}, {"command": 30.0, "manifest": 180.0, "choice": 15.0, "cloze": 10.0}),
        ("easy_seconds", {"command": 1, "cloze": 3600},
         {"command": 1.0, "manifest": 180.0, "choice": 15.0, "cloze": 3600.0}),
        ("parameters", [], ()),
        ("new_per_day", 0, 0),
        ("new-per-day", 5, 5),
    ],
)
def test_values_at_the_edges_are_accepted(key: str, value: object, expected: object) -> None:
    if expected is None:  # 1 is outside 0.7..0.99
        with pytest.raises(ConfigError):
            settings_from_mapping({key: value})
        return
    assert getattr(settings_from_mapping({key: value}), key.replace("-", "_")) == expected


def test_optional_settings_are_kept_as_written_when_good() -> None:
    good = {"editor": True, "leech_lapses": 5, "backups_keep": 3, "skip_headings": ["하루를 마치며"], "other": {"x": 1}}
    assert settings_from_mapping(good).extra == good


def test_fsrs_parameters_outside_fsrs_bounds_are_refused_by_the_scheduler() -> None:
    from ckaquiz.scheduling import default_parameters, make_scheduler

    wrong = list(default_parameters())
    wrong[4] = 50.0  # fsrs allows 1 to 10 for w[4]
    with pytest.raises(ConfigError, match=r"parameters\[4\] = 50.0: expected a number from 1.0 to 10.0"):
        make_scheduler(settings_from_mapping({"parameters": wrong}))
    assert make_scheduler(settings_from_mapping({"parameters": list(default_parameters())})) is not None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("new_per_day = 1" + "0" * 5000 + "\n", "config.toml"),  # past Python's integer digit limit
        ("learning_steps = " + "[" * 5000 + "]" * 5000 + "\n", "config.toml"),
        ("desired_retention = 1e-320\n", "desired_retention = 1e-320: expected"),
    ],
)
def test_unreadable_or_bad_files_are_one_error(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    "line",
    [
        "learning_steps = [inf]",
        'learning_steps = ["999999999d"]',
        "recall_cutoffs = [nan, nan, nan]",
        "desired_retention = 1e-320",
        "parameters = [1.0, 2.0]",
        "skip_headings = 5",
        "leech_lapses = 0",
    ],
)
def test_commands_refuse_a_bad_setting_in_one_line(isolated_home: Path, tmp_path: Path, line: str) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ncards:\n  - {front: q, back: a, id: one}\n", encoding="utf-8")
    no_builtin_home(isolated_home)
    assert run_cli("import", str(deck)).returncode == 0
    (isolated_home / "config.toml").write_text(f"builtin_decks = false\n{line}\n", encoding="utf-8")
    for command in (["study", "--plain"], ["stats"], ["decks"]):
        result = run_cli(*command, input_text="\n3\n")
        key = line.split(" = ")[0]
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert result.stderr.startswith(f"error: {isolated_home / 'config.toml'}: {key} = "), result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
