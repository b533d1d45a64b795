"""The troubleshooting decks: tagged for their domain, and no command card passes a command cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckaquiz.assessment import assess_response
from ckaquiz.config import Settings, builtin_decks_folder
from ckaquiz.decks.loader import load_decks
from ckaquiz.model import Card, CardKind


def _troubleshooting_cards() -> list[Card]:
    decks = load_decks([builtin_decks_folder()])
    return [
        card
        for deck in decks
        for card in deck.cards
        if Path(card.source.path).name.startswith("troubleshooting-") and "cka" in card.tags
    ]


CARDS = _troubleshooting_cards()


def test_the_troubleshooting_domain_has_its_scenario_decks() -> None:
    assert len(CARDS) >= 380
    assert [card.id for card in CARDS if "cka/troubleshooting" not in card.tags] == []
    commands = [card for card in CARDS if card.kind is CardKind.COMMAND]
    assert len(commands) >= 100


@pytest.mark.parametrize("card", [card for card in CARDS if card.kind is CardKind.COMMAND], ids=lambda card: card.id)
def test_a_command_missing_its_last_word_is_not_a_pass(card: Card) -> None:
    shortened = " ".join(card.answer.split()[:-1])
    assert shortened not in card.fields.get("alternatives", [])
    assessment = assess_response(card, shortened, 1.0, Settings())
    assert assessment is not None
    assert assessment.result["correct"] is False, shortened
