"""CKAQUIZ_NOW: any ISO-8601 date-time from 1970 to 2200; anything else is refused in one line naming it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ckaquiz.clock import clock_from_environment, parse_instant
from ckaquiz.errors import UsageError
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-03-21T09:00+00:00", datetime(2025, 3, 21, 9, 0, tzinfo=UTC)),
        ("2025-03-21T09:00+09:00", datetime(2025, 3, 21, 0, 0, tzinfo=UTC)),
        ("1970-01-01T00:00+00:00", datetime(1970, 1, 1, tzinfo=UTC)),
        ("2200-12-31T23:59:59+00:00", datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC)),
        (" 2025-03-21T09:00Z ", datetime(2025, 3, 21, 9, 0, tzinfo=UTC)),
    ],
)
def test_moments_in_range_are_read(text: str, moment: datetime) -> None:
    assert parse_instant(text) == moment
    assert clock_from_environment({"CKAQUIZ_NOW": text})() == moment


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59",
        "9999-12-31T23:59-12:00",
        "1969-12-31",
        "2201-01-01T00:00",
    ],
)
def test_impossible_years_are_refused_with_the_range(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_instant(text)
    assert str(refused.value) == (
        f"CKAQUIZ_NOW: {text!r} is out of range: use a date-time from 1970 to 2200, such as 2025-03-21T09:00"
    )


@pytest.mark.parametrize("text", ["garbage", "2025-02-30T10:00", "2025-03-19T09:00+25:00", "\x1b]0;x\x07"])
def test_what_is_not_a_date_time_is_refused_with_the_form(text: str) -> None:
    with pytest.raises(UsageError, match=r"^CKAQUIZ_NOW: not an ISO-8601 date-time: "):
        parse_instant(text)


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "9999-01-01"])
def test_every_command_refuses_an_impossible_now_in_one_line(isolated_home: Path, value: str) -> None:
    no_builtin_home(isolated_home)
    for command in (["study", "--plain"], ["stats"], ["stats", "--json"], ["decks"], ["backup"]):
        result = run_cli(*command, env={"CKAQUIZ_NOW": value})
        assert result.returncode == 1, (command, result.stderr)
        allowed = "use a date-time from 1970 to 2200, such as 2025-03-21T09:00"
        assert result.stderr == f"error: CKAQUIZ_NOW: {value!r} is out of range: {allowed}\n"


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("value", ["1970-01-01T00:00", "2200-12-31T23:59"])
def test_the_edges_of_the_range_work_in_every_time_zone(
    isolated_home: Path, tmp_path: Path, zone: str, value: str
) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ncards:\n  - {front: q, back: a, id: one}\n", encoding="utf-8")
    no_builtin_home(isolated_home, "maximum_interval = 36500\n")
    environment = {"CKAQUIZ_NOW": value, "TZ": zone}
    assert run_cli("import", str(deck), env=environment).returncode == 0
    studied = run_cli("study", "--plain", input_text="\n4\n", env=environment)
    assert studied.returncode == 0, studied.stderr
    assert studied.stdout.splitlines()[-1] == "reviewed 1 cards: again 0, hard 0, good 0, easy 1"
    for command in (["stats"], ["stats", "--json"], ["decks"], ["cards", "--json"]):
        result = run_cli(*command, env=environment)
        assert result.returncode == 0 and result.stderr == "", (command, result.stderr)
