"""Fitting personal FSRS parameters: the minimum, the fit measures, and config.toml rewriting."""

from __future__ import annotations

import math
import sqlite3
import tomllib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from ckaquiz import scheduling
from ckaquiz.collection import Collection
from ckaquiz.errors import ConfigError
from ckaquiz.model import Rating
from ckaquiz.optimize import (
    NotEnoughReviews,
    optimize,
    parameters_line,
    retention_advice,
    save_parameters,
    with_parameters,
)
from ckaquiz.scheduling import Answer, counted_reviews, default_parameters, evaluate_parameters
from tests.stats_helpers import synthetic_log

NEW = tuple(round(value * 1.01, 4) if index != 20 else value for index, value in enumerate(default_parameters()))
LINE = parameters_line(NEW)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", f"{LINE}\n"),
        ("enable_fuzzing = false\n", f"enable_fuzzing = false\n{LINE}\n"),
        ("new_per_day = 5", f"new_per_day = 5\n{LINE}\n"),
        (
            "# my settings\nnew_per_day = 5\n\n[obsidian]\nvault = '~/notes'\n",
            f"# my settings\nnew_per_day = 5\n\n{LINE}\n\n[obsidian]\nvault = '~/notes'\n",
        ),
        ("parameters = [1.0, 2.0]  # old\nnew_per_day = 5\n", f"{LINE}\nnew_per_day = 5\n"),
        (
            "new_per_day = 5\nparameters = [\n  0.2, # first\n  1.3,\n]\n# after\n",
            f"new_per_day = 5\n{LINE}\n# after\n",
        ),
        ("[other]\nparameters = [1]\n", f"{LINE}\n\n[other]\nparameters = [1]\n"),
    ],
)
def test_with_parameters_changes_only_that_line(before: str, after: str) -> None:
    assert with_parameters(before, NEW) == after
    assert tomllib.loads(after)["parameters"] == list(NEW)


def test_with_parameters_refuses_what_it_cannot_keep_intact() -> None:
    with pytest.raises(ConfigError, match=r"cannot update config\.toml safely"):
        with_parameters('parameters = """\n[x]\n"""\n', NEW)  # a string, not an array: left to the learner
    with pytest.raises(ConfigError):
        with_parameters("this is = not toml = at all\n", NEW)


def test_save_parameters_keeps_the_rest_and_is_read_back(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        "# keep me\nenable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8"
    )
    save_parameters(tmp_path, NEW)
    text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert text.startswith("# keep me\nenable_fuzzing = false\nbuiltin_decks = false\n")
    reopened = Collection.open(tmp_path)
    assert reopened.settings.parameters == NEW
    assert reopened.settings.enable_fuzzing is False
    reopened.scheduler  # noqa: B018 - the saved parameters are valid for fsrs
    reopened.close()


def day(number: int, hour: int = 9) -> datetime:
    return datetime(2025, 1, 1, hour, tzinfo=UTC) + timedelta(days=number)


def test_counted_reviews_are_those_a_day_or_more_apart() -> None:
    histories = {
        1: [Answer(day(0), Rating.GOOD), Answer(day(0, 10), Rating.GOOD), Answer(day(3), Rating.AGAIN)],
        2: [Answer(day(5, 23), Rating.GOOD), Answer(day(6, 8), Rating.GOOD), Answer(day(8), Rating.GOOD)],
        3: [Answer(day(number), Rating.GOOD) for number in range(70)],  # only the first 64 answers count
    }
    assert counted_reviews(histories) == 1 + 1 + 63


def test_evaluate_parameters_by_hand() -> None:
    histories = {1: [Answer(day(0), Rating.GOOD), Answer(day(3), Rating.AGAIN)]}
    parameters = default_parameters()
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    recall = (1 + factor * 3 / parameters[2]) ** decay  # stability after a first Good is w2
    fit = evaluate_parameters(parameters, histories)
    assert fit.reviews == 1
    assert fit.log_loss == pytest.approx(-math.log(1 - recall))
    assert fit.rmse == pytest.approx(recall)


def hand_counted(collection: Collection) -> tuple[int, int]:
    """(answers, answers a day or more after the card's previous one among its first 64), from the table."""
    database = sqlite3.connect(collection.home / "ckaquiz.db")
    rows = database.execute("SELECT card_id, reviewed_at FROM reviews WHERE undone_at IS NULL ORDER BY id").fetchall()
    by_card: dict[str, list[datetime]] = defaultdict(list)
    for card_id, reviewed_at in rows:
        by_card[card_id].append(datetime.fromisoformat(reviewed_at))
    counted = sum(
        sum(1 for earlier, later in pairwise(times[:64]) if (later - earlier).days >= 1)
        for times in by_card.values()
    )
    return len(rows), counted


def test_too_few_reviews_are_refused(collection: Collection, tmp_path: Path) -> None:
    synthetic_log(collection, tmp_path, cards=5, answers=6)
    with pytest.raises(NotEnoughReviews) as raised:
        optimize(collection, fit=lambda histories: default_parameters())
    answers, counted = hand_counted(collection)
    assert (answers, 0 < counted < answers) == (30, True)
    assert str(raised.value) == (
        f"{counted} reviews can train the optimizer (answers a day or more after the card's previous one);"
        " it needs at least 512. Keep studying and try again later."
    )


def test_optimize_reports_reviews_and_fit(collection: Collection, tmp_path: Path) -> None:
    synthetic_log(collection, tmp_path)
    result = optimize(collection, fit=lambda histories: NEW)
    answers, counted = hand_counted(collection)
    assert (result.answers, result.cards, result.counted) == (answers, 80, counted)
    assert counted >= 512
    assert result.old == default_parameters() and result.new == NEW and not result.personal_before
    assert result.old_fit.reviews == result.new_fit.reviews == counted
    assert 0 < result.new_fit.log_loss < 1 and 0 < result.old_fit.rmse < 1


def test_the_real_optimizer(collection: Collection, tmp_path: Path) -> None:
    synthetic_log(collection, tmp_path)
    result = optimize(collection)
    assert len(result.new) == 21 and result.new != result.old
    assert result.new_fit.log_loss <= result.old_fit.log_loss + 0.01


def test_the_real_optimizer_on_five_thousand_reviews(collection: Collection, tmp_path: Path) -> None:
    synthetic_log(collection, tmp_path, cards=420, answers=12)
    result = optimize(collection)
    assert result.answers >= 5000
    assert result.new != result.old
    assert result.new_fit.log_loss <= result.old_fit.log_loss


def test_retention_advice_simulates_each_retention(collection: Collection, tmp_path: Path) -> None:
    synthetic_log(collection, tmp_path, cards=200, answers=8)
    advice = retention_advice(collection)
    low, high = scheduling.RETENTION_RANGE
    assert low <= advice.recommended <= high
    shown = [workload.retention for workload in advice.workloads]
    assert shown == sorted(shown) and {0.8, 0.85, 0.9, 0.95, advice.recommended} <= set(shown)
    assert advice.cards == 200
    # a higher desired retention means more reviews a day and more cards remembered
    reviews = [workload.reviews_per_day for workload in advice.workloads]
    remembered = [workload.memorized for workload in advice.workloads]
    assert reviews == sorted(reviews) and remembered == sorted(remembered)
    assert retention_advice(collection) == advice  # seeded: the same table every time


def test_rating_shares_count_first_and_passing_answers() -> None:
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    histories = {
        1: [Answer(moment, Rating.GOOD), Answer(moment + timedelta(days=2), Rating.EASY)],
        2: [Answer(moment, Rating.AGAIN), Answer(moment + timedelta(days=1), Rating.AGAIN),
            Answer(moment + timedelta(days=3), Rating.HARD)],
    }
    first, passing = scheduling.rating_shares(histories)
    assert first == (0.5, 0.0, 0.5, 0.0)
    assert passing == (0.5, 0.0, 0.5)
