"""Which stored card a card just read continues: the rule table of `decks.identity.match`, no database."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ckaquiz.decks.identity import KnownCard, match
from ckaquiz.model import Card, CardKind, SourceLocation


def read(card_id: str, prompt: str, answer: str, *, path: str = "a.md", kind: CardKind = CardKind.BASIC) -> Card:
    return Card(card_id, "deck", kind, prompt, answer, SourceLocation(path, 1))


def known(card_id: str, prompt: str, answer: str, *, path: str = "a.md", kind: str = "basic") -> KnownCard:
    return KnownCard(card_id, kind, prompt, answer, path)


def outcome(
    scanned: Sequence[tuple[str, Sequence[Card]]],
    stored: Sequence[KnownCard],
    elsewhere: Sequence[KnownCard] = (),
) -> list[tuple[str, str | None]]:
    """(id kept, stored id continued or None for new) for each card read, in the plan's order."""
    plan = match(scanned, {card.id: card for card in stored}, {card.id: card for card in elsewhere})
    return [(item.card.id, None if item.stored is None else item.stored.id) for item in plan.continued]


TABLE = [
    pytest.param(
        [("a.md", [read("x", "What is a Pod?", "The smallest deployable unit")])],
        [known("x", "What is a Pod?", "Something else entirely")],
        [],
        [("x", "x")],
        id="the same id continues its card, whatever the content",
    ),
    pytest.param(
        [("b.md", [read("new-id", "What is a Pod?", "The smallest deployable unit", path="b.md")])],
        [known("old-id", "What  is a pod?", "The smallest deployable unit")],
        [],
        [("old-id", "old-id")],
        id="identical content (case and spaces aside) in another file continues it: a move or rename",
    ),
    pytest.param(
        [("a.md", [read("new-id", "What is a Pod in Kubernetes?", "The smallest deployable unit")])],
        [known("old-id", "What is a Pod?", "The smallest deployable unit")],
        [],
        [("old-id", "old-id")],
        id="similar content in the same file continues it: an edit",
    ),
    pytest.param(
        [("b.md", [read("new-id", "What is a Pod in Kubernetes?", "The smallest deployable unit", path="b.md")])],
        [known("old-id", "What is a Pod?", "The smallest deployable unit")],
        [],
        [("new-id", None)],
        id="similar content in another file is a new card",
    ),
    pytest.param(
        [("a.md", [read("new-id", "Which port does etcd serve clients on?", "2379")])],
        [known("old-id", "What is a Pod?", "The smallest deployable unit")],
        [],
        [("new-id", None)],
        id="different content is a new card",
    ),
    pytest.param(
        [("a.md", [read("new-id", "What is a Pod in Kubernetes?", "The smallest deployable unit")])],
        [known("old-id", "What is a Pod?", "The smallest deployable unit", kind="cloze")],
        [],
        [("new-id", None)],
        id="similar content of another kind is a new card",
    ),
    pytest.param(
        [("b.md", [read("new-id", "What is a Pod?", "The smallest deployable unit", path="b.md")])],
        [
            known("in-a", "What is a Pod?", "The smallest deployable unit", path="a.md"),
            known("in-b", "What is a Pod?", "The smallest deployable unit", path="b.md"),
        ],
        [],
        [("in-b", "in-b")],
        id="of two identical stored cards, the one in the same file is continued",
    ),
    pytest.param(
        [("a.md", [read("new-id", "What does a Pod hold?", "one or more containers and their shared volumes")])],
        [
            known("far", "What does a Pod hold?", "containers and their volumes"),  # similar too (84)
            known("near", "What does a Pod hold?", "one or more containers and shared volumes"),  # 95
        ],
        [],
        [("near", "near")],
        id="of two similar stored cards, the most similar is continued",
    ),
    pytest.param(
        [("a.md", [read("x", "What is a Pod?", "The smallest deployable unit")])],
        [],
        [known("x", "Old text", "Old answer", path="other-source.md")],
        [("x", "x")],
        id="a card of another file or source with the same id is continued",
    ),
    pytest.param(
        [("a.md", [read("new-id", "What is a Pod?", "The smallest deployable unit")])],
        [],
        [known("x", "What is a Pod?", "The smallest deployable unit", path="other-source.md")],
        [("new-id", None)],
        id="cards outside the candidates are continued by id only, never by content",
    ),
    pytest.param(
        [
            (
                "a.md",
                [
                    read("one", "Static pods", "kubelet runs them from a folder", kind=CardKind.RECALL),
                    read("two", "Static pods", "kubelet runs them from a folder", kind=CardKind.RECALL),
                ],
            )
        ],
        [known("stored", "Renamed heading", "kubelet runs them from a folder", kind="recall")],
        [],
        [("stored", "stored"), ("two", None)],
        id="a recall card's content is its notes; a stored card is continued once only",
    ),
]


@pytest.mark.parametrize(("scanned", "stored", "elsewhere", "expected"), TABLE)
def test_match_rules(
    scanned: Sequence[tuple[str, Sequence[Card]]],
    stored: Sequence[KnownCard],
    elsewhere: Sequence[KnownCard],
    expected: list[tuple[str, str | None]],
) -> None:
    assert outcome(scanned, stored, elsewhere) == expected


def test_an_id_given_in_two_files_keeps_the_first_and_names_both_places() -> None:
    first = read("same", "Question one", "Answer one", path="a.md")
    second = read("same", "Question two", "Answer two", path="b.md")
    plan = match([("a.md", [first]), ("b.md", [second])], {})
    assert [(item.path, item.card.prompt) for item in plan.continued] == [("a.md", "Question one")]
    assert plan.skipped == [("b.md", "b.md:1: duplicate id 'same' (first at a.md:1); this card is skipped")]


def test_an_id_repeated_within_one_file_is_skipped_without_a_second_message() -> None:
    cards = [read("same", "Question one", "Answer one"), read("same", "Question two", "Answer two")]
    plan = match([("a.md", cards)], {})
    assert [item.card.prompt for item in plan.continued] == ["Question one"]
    assert plan.skipped == []


def test_the_stored_cards_continued_are_claimed_and_the_rest_are_not() -> None:
    stored = {
        "kept": known("kept", "What is a Pod?", "The smallest deployable unit"),
        "gone": known("gone", "Which port does etcd serve clients on?", "2379"),
    }
    plan = match([("a.md", [read("kept", "What is a Pod?", "The smallest deployable unit")])], stored)
    assert plan.claimed == {"kept"}


def test_a_card_an_unread_file_still_holds_stays_there() -> None:
    """A card moved from a.md to b.md keeps its derived id; written again in a.md while b.md is not
    read, it must not take b.md's card away: it is new, with an id scoped by its file."""
    moved = KnownCard("deck:6a5e3c7e4b", "basic", "What is a Pod?", "The smallest deployable unit", "b.md", line=3)
    again = read("deck:6a5e3c7e4b", "What is a Pod?", "The smallest deployable unit", path="a.md")
    plan = match([("a.md", [again])], {}, {moved.id: moved}, held={moved.id})
    assert [(item.card.id, item.stored) for item in plan.continued] == [("deck:6a5e3c7e4b-5d48a7", None)]
    assert plan.claimed == set() and plan.skipped == []
    # read again, the scoped card continues (by content, in its own file), with the same id
    stored = KnownCard("deck:6a5e3c7e4b-5d48a7", "basic", "What is a Pod?", "The smallest deployable unit", "a.md")
    plan = match([("a.md", [again])], {stored.id: stored}, {moved.id: moved}, held={moved.id})
    assert [(item.card.id, item.stored) for item in plan.continued] == [(stored.id, stored)]
    # not held (b.md is read too, or the card is in another source): the id moves the card as before
    plan = match([("a.md", [again])], {}, {moved.id: moved})
    assert [(item.card.id, item.stored) for item in plan.continued] == [(moved.id, moved)]


def test_an_id_the_author_gave_that_an_unread_file_holds_is_skipped_naming_it() -> None:
    holder = KnownCard("deck:drain-node", "basic", "Drain", "Evicts pods", "b.md", line=4)
    plan = match([("a.md", [read("deck:drain-node", "Drain", "Cordon, then evict")])], {}, {holder.id: holder},
                 held={holder.id})
    assert plan.continued == []
    assert plan.skipped == [("a.md", "a.md:1: duplicate id 'deck:drain-node' (first at b.md:4); this card is skipped")]
