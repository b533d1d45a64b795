"""YAML decks: every kind, line-numbered problems, and safe loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckaquiz.decks.loader import load_deck_file
from ckaquiz.decks.yaml_deck import parse_yaml_deck
from ckaquiz.model import CardKind

DECKS = Path(__file__).parent / "fixtures" / "decks"


def test_fixture_deck_gives_exactly_these_cards() -> None:
    deck = load_deck_file(DECKS / "admission.yaml", display_path="admission.yaml")
    assert deck.problems == ()
    assert deck.name == "admission"
    assert deck.description == "Admission control basics"
    assert [(card.id, card.kind.value, card.prompt, card.answer, card.source.line) for card in deck.cards] == [
        ("admission:phase-order", "basic", "Which admission phase runs first?", "The mutating phase; validation follows.", 6),
        ("admission:6d728f46fb", "basic", "NamespaceLifecycle",
         "Refuses objects in namespaces that do not exist or are terminating.", 9),
        ("admission:6d728f46fb:r", "basic", "Refuses objects in namespaces that do not exist or are terminating.",
         "NamespaceLifecycle", 9),
        ("admission:0bd766e8db:c1", "cloze", "Admission plugins are enabled with [...] on kube-apiserver.",
         "--enable-admission-plugins", 13),
        ("admission:0bd766e8db:c2", "cloze", "Admission plugins are enabled with --enable-admission-plugins on [...].",
         "kube-apiserver", 13),
        ("admission:94598be5b9", "recall", "Admission webhooks",
         "- Deploy a webhook server\n- Expose it with a Service\n| object | phase |\n|---|---|\n"
         "| MutatingWebhookConfiguration | mutating |", 15),
        ("admission:13690e6fe7", "choice", "Which plugin sets a default StorageClass on PVCs?", "DefaultStorageClass", 23),
        ("admission:b80bff3213", "command", "Create a TLS secret web-tls from tls.crt and tls.key.",
         "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key", 27),
        ("admission:6d78c59add", "manifest", "A namespace named team-a.",
         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a", 31),
    ]
    recall = deck.cards[5]
    assert recall.key_points == ("Deploy a webhook server", "Expose it with a Service", "MutatingWebhookConfiguration · mutating")
    assert deck.cards[1].tags == ("cka", "cka/workloads-scheduling", "namespaces")
    assert deck.cards[7].fields == {"alternatives": [], "time_seconds": 45}
    assert deck.cards[6].fields == {
        "options": ["DefaultStorageClass", "LimitRanger", "NodeRestriction"], "answers": ["DefaultStorageClass"]
    }
    assert all(card.reference.startswith("https://kubernetes.io/") for card in deck.cards)


def test_broken_entries_are_reported_with_lines_and_good_ones_still_load() -> None:
    deck = load_deck_file(DECKS / "broken.yaml", display_path="broken.yaml")
    assert [str(problem) for problem in deck.problems] == [
        "broken.yaml:5: unknown field 'fornt' for a basic card (allowed: back, explanation, front, id, kind, reference, reverse, tags)",
        "broken.yaml:5: missing field 'front' for a basic card",
        "broken.yaml:7: unknown card kind 'flashcard' (known: basic, cloze, recall, choice, command, manifest, task)",
        "broken.yaml:10: missing answer for a basic card",
        "broken.yaml:12: a cloze card needs at least one {{deletion}} in its text",
        "broken.yaml:16: duplicate id 'broken:dup' (first at line 13)",
    ]
    assert [card.prompt for card in deck.cards] == ["Good card", "Good card", "another"]


def test_syntax_error_names_line_and_column() -> None:
    deck = load_deck_file(DECKS / "syntax-error.yaml", display_path="syntax-error.yaml")
    assert [str(problem) for problem in deck.problems] == [
        "syntax-error.yaml:4: YAML syntax error at column 9: expected ',' or ']', but got ':'"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list\n", "a YAML deck must be a mapping with a `cards` list"),
        ("deck: x\n", "no `cards` list in this deck"),
        ("deck: x\ncards: 3\n", "`cards` must be a list of card entries"),
        ("deck: x\ncolour: red\ncards: []\n", "unknown field 'colour' (allowed: cards, deck, description, reference, tags)"),
        ("deck: x\ncards:\n  - just text\n", "a card entry must be a mapping of fields"),
        ("deck: x\ncards:\n  - kind: choice\n    question: q\n    options: [a, b]\n    answer: c\n",
         "answer 'c' is not one of the options"),
        ("deck: x\ncards:\n  - kind: command\n    question: q\n    answer: ls\n    time: soon\n",
         "time must look like 45s or 2m, got 'soon'"),
        ("deck: x\ncards:\n  - kind: manifest\n    question: q\n    answer: 'a: [b'\n",
         "the expected manifest is not valid YAML (answer line 1, column 6)"),
        ("deck: x\ncards:\n  - front: q\n    back: a\n    reference: see the docs\n", "reference must be a URL, got 'see the docs'"),
        ("deck: x\ncards:\n  - !!python/object:os.system {}\n", "YAML syntax error"),
        ("", "empty deck file"),
    ],
)
def test_each_problem_is_one_clear_line(text: str, message: str) -> None:
    deck = parse_yaml_deck(text, "d.yaml")
    assert len(deck.problems) == 1
    assert message in deck.problems[0].message


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    deck = parse_yaml_deck("\n".join(lines) + "\ncards: []\n", "bomb.yaml")
    assert deck.problems[0].message.startswith("refused: 110 YAML aliases")


def test_yaml_and_markdown_write_the_same_kinds() -> None:
    deck = parse_yaml_deck("deck: k\ncards:\n  - kind: recall\n    topic: T\n    notes: plain line\n", "k.yaml")
    assert deck.cards[0].kind is CardKind.RECALL
    assert deck.cards[0].key_points == ("plain line",)
