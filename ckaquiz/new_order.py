"""Which new card comes next: the order new cards are introduced in (the `new_order` setting).

- `weighted` (the default) interleaves the decks being studied. Each CKA exam domain gets turns
  in proportion to its weight in the exam (`ckaquiz.domains`: troubleshooting 30 %, cluster
  architecture 25 %, ...) times its weakness: 1 plus the domain's lapse rate (lapses per answer
  of its studied cards), so a domain whose cards are forgotten more often gets more new cards.
  Cards with no CKA domain tag (AWS decks, the learner's own notes) share turns as one more
  domain of the mean weight, 20 (`NO_DOMAIN_WEIGHT`). Within a domain the decks take turns, one
  card each, and each deck's cards keep their order (a topic's cards in file order).
- `deck`: deck after deck, each in its file order.
- `random`: shuffled.

Every draw is seeded by the study day, so two runs on one day agree and tests are exact.
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from ckaquiz.config import NewOrder
from ckaquiz.domains import DOMAIN_WEIGHTS
from ckaquiz.store import CardSummary, lapses_by_tag_set

if TYPE_CHECKING:
    from ckaquiz.store import Store

NO_DOMAIN = ""
"""The share of the cards that carry no CKA domain tag."""
NO_DOMAIN_WEIGHT = 20
"""The weight of cards with no CKA domain: the mean of the five domains' (100 / 5)."""


def domain_of(tags: Iterable[str]) -> str:
    """The card's CKA domain tag, or NO_DOMAIN."""
    return next((tag for tag in tags if tag in DOMAIN_WEIGHTS), NO_DOMAIN)


def domain_weakness(store: Store) -> dict[str, float]:
    """Each domain's lapse rate so far (lapses per answer of its studied cards, 0 to 1)."""
    lapses: dict[str, int] = {}
    answers: dict[str, int] = {}
    for tags_json, card_lapses, card_answers in lapses_by_tag_set(store):
        domain = domain_of(json.loads(tags_json))
        lapses[domain] = lapses.get(domain, 0) + card_lapses
        answers[domain] = answers.get(domain, 0) + card_answers
    return {domain: min(1.0, lapses[domain] / count) for domain, count in answers.items() if count > 0}


def domain_shares(domains: Iterable[str], weakness: Mapping[str, float]) -> dict[str, float]:
    """Each domain's share of the turns: its exam weight times (1 + its lapse rate)."""
    return {
        domain: DOMAIN_WEIGHTS.get(domain, NO_DOMAIN_WEIGHT) * (1.0 + weakness.get(domain, 0.0))
        for domain in domains
    }


def introduce(
    cards: Iterable[CardSummary],
    order: NewOrder,
    *,
    day: date,
    admit: Callable[[CardSummary], bool],
    room: int,
    weakness: Mapping[str, float] | None = None,
) -> list[int]:
    """Up to `room` new cards, in `order`, that `admit` lets into today's queue (their numbers).

    `cards` come in deck and file order (as the store reads them). `admit` is asked once a card, in
    the order of introduction; a card it refuses (a sibling seen today) waits for another day and
    costs its domain no turn. `deck` order reads no more cards than it needs.
    """
    if room <= 0:
        return []
    if order is NewOrder.DECK:
        return _first(cards, admit, room)
    draw = random.Random(f"new cards {day.isoformat()}")
    if order is NewOrder.RANDOM:
        shuffled = list(cards)
        draw.shuffle(shuffled)
        return _first(shuffled, admit, room)
    return _weighted(cards, draw, admit, room, weakness or {})


def _first(cards: Iterable[CardSummary], admit: Callable[[CardSummary], bool], room: int) -> list[int]:
    taken: list[int] = []
    for card in cards:
        if len(taken) >= room:
            break
        if admit(card):
            taken.append(card.number)
    return taken


class _DomainTurns:
    """One domain's decks, taking turns one card each, each deck in its own order."""

    def __init__(self) -> None:
        self.decks: dict[str, deque[CardSummary]] = {}
        self.turns: deque[deque[CardSummary]] = deque()

    def add(self, card: CardSummary) -> None:
        cards = self.decks.get(card.deck)
        if cards is None:
            cards = self.decks[card.deck] = deque()
            self.turns.append(cards)
        cards.append(card)

    def take(self, admit: Callable[[CardSummary], bool]) -> CardSummary | None:
        """The next card `admit` takes, the deck whose turn it is first; None when none is left."""
        while self.turns:
            cards = self.turns[0]
            while cards:
                card = cards.popleft()
                if admit(card):
                    if cards:
                        self.turns.rotate(-1)  # the next deck's turn
                    else:
                        self.turns.popleft()
                    return card
            self.turns.popleft()
        return None


def _weighted(
    cards: Iterable[CardSummary],
    draw: random.Random,
    admit: Callable[[CardSummary], bool],
    room: int,
    weakness: Mapping[str, float],
) -> list[int]:
    domains: dict[str, _DomainTurns] = {}
    for card in cards:
        domain = domain_of(card.tags)
        turns = domains.get(domain)
        if turns is None:
            turns = domains[domain] = _DomainTurns()
        turns.add(card)
    for turns in domains.values():  # which deck of a domain begins: drawn for the day
        turns.turns.rotate(-draw.randrange(len(turns.turns)))
    shares = domain_shares(sorted(domains), weakness)
    # Smooth weighted round robin: every turn each domain earns its share, the richest takes a card
    # and pays the total. Credits start at a random point of one round, so the day's few turns are
    # in proportion on average, not rounded the same way every day.
    credit = {domain: draw.random() * sum(shares.values()) for domain in shares}
    taken: list[int] = []
    while len(taken) < room and shares:
        total = sum(shares.values())
        for domain, share in shares.items():
            credit[domain] += share
        chosen = max(shares, key=lambda domain: credit[domain])
        credit[chosen] -= total
        picked = domains[chosen].take(admit)
        if picked is None:
            del shares[chosen], credit[chosen]  # this domain has nothing left today
            continue
        taken.append(picked.number)
    return taken

