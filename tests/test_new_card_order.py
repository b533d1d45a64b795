"""Which new card comes next: interleaved by CKA domain weight, siblings across kinds apart, no early recall.

The fortnight is the session engine over the built-in decks, in-process, with a real store in
tmp_path and the clock moved a day at a time.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.config import NewOrder, Settings, settings_from_mapping
from ckaquiz.domains import CKA_DOMAINS, DOMAIN_WEIGHTS
from ckaquiz.errors import ConfigError
from ckaquiz.model import CardKind, CardState, Rating
from ckaquiz.new_order import domain_of
from ckaquiz.session import Session
from ckaquiz.store import card_by_number, sections
from tests.conftest import FrozenClock

DAYS = 14
NEW_PER_DAY = 20


@pytest.fixture(scope="module")
def fortnight(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Fourteen study days over the built-in decks: each day a session answering Good to everything."""
    home = tmp_path_factory.mktemp("fortnight")
    (home / "config.toml").write_text("enable_fuzzing = false\n", encoding="utf-8")
    clock = FrozenClock(datetime(2025, 3, 19, 9, 0, tzinfo=UTC))
    collection = Collection.open(home, clock=clock)
    collection.ensure_builtin_source()
    collection.refresh()
    introduced: list[tuple[int, str, CardKind, tuple[str, ...]]] = []
    shown_on: dict[int, set[int]] = {}
    for day in range(DAYS):
        session = Session(collection)
        while (item := session.next_card()) is not None:
            shown_on.setdefault(day, set()).add(item.stored.number)
            if item.stored.schedule.state is CardState.NEW:
                introduced.append((day, item.card.deck, item.card.kind, item.card.tags))
            session.answer(Rating.GOOD)
        session.finish()
        clock.moment += timedelta(days=1)
    numbers = {number for shown in shown_on.values() for number in shown}
    found = sections.sections_of(collection.store, numbers)
    collection.close()
    return {"introduced": introduced, "shown_on": shown_on, "sections": found}


def test_every_cka_domain_gets_new_cards_in_proportion_to_its_weight(fortnight: dict[str, object]) -> None:
    introduced = fortnight["introduced"]
    assert isinstance(introduced, list)
    assert len(introduced) == DAYS * NEW_PER_DAY
    by_domain = Counter(domain_of(tags) for _, _, _, tags in introduced)
    cka_total = sum(by_domain[domain.tag] for domain in CKA_DOMAINS)
    for domain in CKA_DOMAINS:
        share = 100 * by_domain[domain.tag] / cka_total
        assert abs(share - domain.weight) <= 5, (domain.tag, share, by_domain)
    assert by_domain[""] > 0  # the decks with no CKA domain (AWS) get their share too


def test_the_first_day_is_not_one_deck(fortnight: dict[str, object]) -> None:
    introduced = fortnight["introduced"]
    assert isinstance(introduced, list)
    first_day = [(deck, tags) for day, deck, _, tags in introduced if day == 0]
    assert len({deck for deck, _ in first_day}) >= 5
    assert len({domain_of(tags) for _, tags in first_day}) == len(CKA_DOMAINS) + 1


def test_no_card_is_shown_on_a_day_its_recall_card_is_shown(fortnight: dict[str, object]) -> None:
    shown_on, found = fortnight["shown_on"], fortnight["sections"]
    assert isinstance(shown_on, dict) and isinstance(found, dict)
    linked = 0
    for day, numbers in shown_on.items():
        recalls = {found[number].key for number in numbers if number in found and found[number].recall}
        others = {found[number].key for number in numbers if number in found and not found[number].recall}
        assert not recalls & others, (day, recalls & others)
        linked += len(recalls)
    assert linked > 0  # recall cards with sections were shown at all


def test_weights_add_up_and_every_domain_has_built_in_cards() -> None:
    assert sum(DOMAIN_WEIGHTS.values()) == 100


# the setting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["weighted", "deck", "random"])
def test_new_order_takes_its_three_values(value: str) -> None:
    assert settings_from_mapping({"new_order": value}).new_order is NewOrder(value)


def test_new_order_defaults_to_weighted_and_the_other_settings_to_on() -> None:
    assert Settings().new_order is NewOrder.WEIGHTED
    assert Settings().bury_siblings_across_kinds and Settings().skip_recall_learn_ahead


@pytest.mark.parametrize("value", ["Weighted", "by-domain", "", 1, True, ["deck"]])
def test_a_bad_new_order_is_one_line_naming_the_file_and_the_value(tmp_path: Path, value: object) -> None:
    from ckaquiz.config import load_settings

    written = f"new_order = {value!r}\n".replace("True", "true").replace("'", '"')
    (tmp_path / "config.toml").write_text(written, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / 'config.toml'}: new_order = "), message
    assert '"weighted", "deck" or "random"' in message and "\n" not in message


# new_order = deck and random ----------------------------------------------------------------------

DECK_A = """\
deck: alpha
tags: [cka, cka/storage]
cards:
  - {front: a1, back: "1", id: a1}
  - {front: a2, back: "2", id: a2}
  - {front: a3, back: "3", id: a3}
  - {front: a4, back: "4", id: a4}
"""
DECK_B = """\
deck: beta
tags: [cka, cka/troubleshooting]
cards:
  - {front: b1, back: "1", id: b1}
  - {front: b2, back: "2", id: b2}
  - {front: b3, back: "3", id: b3}
  - {front: b4, back: "4", id: b4}
"""


@pytest.fixture
def two_decks(collection: Collection, tmp_path: Path) -> Collection:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "alpha.yaml").write_text(DECK_A, encoding="utf-8")
    (folder / "beta.yaml").write_text(DECK_B, encoding="utf-8")
    collection.import_path(folder)
    return collection


def first_session(collection: Collection, order: NewOrder, new_per_day: int | None = None) -> list[str]:
    per_day = collection.settings.new_per_day if new_per_day is None else new_per_day
    collection.settings = dataclasses.replace(collection.settings, new_order=order, new_per_day=per_day)
    session = Session(collection)
    session.start()
    shown = [stored.card.id for number in session._queue if (stored := card_by_number(collection.store, number))]
    session.finish()
    return shown


def test_deck_order_gives_deck_after_deck_in_file_order(two_decks: Collection) -> None:
    shown = first_session(two_decks, NewOrder.DECK)
    assert shown == [f"alpha:a{n}" for n in range(1, 5)] + [f"beta:b{n}" for n in range(1, 5)]


def test_weighted_order_interleaves_decks_keeping_each_decks_order(two_decks: Collection) -> None:
    shown = first_session(two_decks, NewOrder.WEIGHTED)
    assert sorted(shown) == sorted(first_session(two_decks, NewOrder.DECK))
    assert [card for card in shown if card.startswith("alpha")] == [f"alpha:a{n}" for n in range(1, 5)]
    assert [card for card in shown if card.startswith("beta")] == [f"beta:b{n}" for n in range(1, 5)]
    assert shown[:4] != [f"alpha:a{n}" for n in range(1, 5)] and shown[:4] != [f"beta:b{n}" for n in range(1, 5)]


def test_weighted_order_gives_the_heavier_domain_more_of_a_short_day(two_decks: Collection) -> None:
    shown = first_session(two_decks, NewOrder.WEIGHTED, new_per_day=4)
    troubleshooting = sum(1 for card in shown if card.startswith("beta"))  # 30 % against storage's 10 %
    assert troubleshooting == 3, shown


def test_random_order_is_the_same_all_day_and_changes_with_the_day(two_decks: Collection, clock: FrozenClock) -> None:
    today = first_session(two_decks, NewOrder.RANDOM)
    assert sorted(today) == sorted(first_session(two_decks, NewOrder.DECK))
    assert first_session(two_decks, NewOrder.RANDOM) == today
    orders = {tuple(today)}
    for _ in range(5):
        clock.moment += timedelta(days=1)
        orders.add(tuple(first_session(two_decks, NewOrder.RANDOM)))
    assert len(orders) > 1


def test_weighted_order_is_the_same_for_two_runs_of_a_day(two_decks: Collection) -> None:
    assert first_session(two_decks, NewOrder.WEIGHTED) == first_session(two_decks, NewOrder.WEIGHTED)
