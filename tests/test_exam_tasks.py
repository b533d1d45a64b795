"""The `task` card kind: how YAML and ```card entries become tasks, and the one-line errors of bad ones."""

from __future__ import annotations

import pytest

from ckaquiz.decks.markdown import parse_markdown
from ckaquiz.decks.yaml_deck import parse_yaml_deck
from ckaquiz.model import CardKind

GOOD = """\
deck: mock
cards:
  - kind: task
    id: expose
    weight: 7
    topic: services
    context: {namespace: shop, cluster: k8s-a}
    scenario: Make the deployment `front` reachable inside the cluster on port 80.
    tags: [cka/services-networking]
    reference: https://kubernetes.io/docs/concepts/services-networking/service/
    steps:
      - kind: command
        question: Create a ClusterIP Service for it.
        answer: kubectl expose deployment front --port 80 -n shop
        alternatives: [kubectl -n shop expose deploy front --port=80]
      - kind: manifest
        points: 2
        strict: true
        answer: |
          apiVersion: v1
          kind: Namespace
          metadata:
            name: shop
"""


def test_a_task_entry_becomes_one_task_card_with_its_steps() -> None:
    deck = parse_yaml_deck(GOOD, "mock.yaml")
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.TASK
    assert card.id == "mock:expose"
    assert card.prompt == "Make the deployment `front` reachable inside the cluster on port 80."
    assert card.fields["weight"] == 7
    assert card.fields["topic"] == "services"
    assert card.fields["domain"] == "cka/services-networking"
    assert card.fields["context"] == "namespace: shop\ncluster: k8s-a"
    assert card.fields["steps"] == [
        {
            "kind": "command",
            "question": "Create a ClusterIP Service for it.",
            "points": 1,
            "answer": "kubectl expose deployment front --port 80 -n shop",
            "alternatives": ["kubectl -n shop expose deploy front --port=80"],
        },
        {
            "kind": "manifest",
            "question": "",
            "points": 2,
            "answer": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop",
            "strict": True,
        },
    ]


def test_a_task_in_a_card_block_of_a_markdown_note() -> None:
    note = """# Exam practice

```card
kind: task
id: drain
weight: 4
scenario: Take node w2 out of service for maintenance.
tags: [cka/cluster-architecture]
steps:
  - kind: command
    answer: kubectl drain w2 --ignore-daemonsets
```
"""
    deck = parse_markdown(note, "practice.md")
    assert deck.problems == ()
    (card,) = deck.cards
    assert card.kind is CardKind.TASK
    assert card.fields["steps"][0]["answer"] == "kubectl drain w2 --ignore-daemonsets"
    assert card.fields["topic"] == card.id


def _task(body: str) -> str:
    return "deck: mock\ncards:\n  - kind: task\n" + body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "    weight: 0\n    scenario: s\n    tags: [cka/storage]\n    steps: [{kind: command, answer: ls}]\n",
            "mock.yaml:4: weight must be a whole number of percent from 1 to 100, got 0",
        ),
        (
            "    weight: 5\n    scenario: s\n    steps: [{kind: command, answer: ls}]\n",
            "mock.yaml:3: a task needs exactly one CKA domain tag (cka/cluster-architecture, cka/services-networking,"
            " cka/storage, cka/troubleshooting, cka/workloads-scheduling); it has none",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps: []\n",
            "mock.yaml:7: steps must be a list of at least one step (a command or a manifest)",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps:\n"
            "      - kind: shell\n        answer: ls\n",
            "mock.yaml:8: step 1: kind must be command or manifest, got 'shell'",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps:\n"
            "      - kind: command\n        answer: ls\n      - kind: manifest\n        answer: 'a: [b'\n",
            "mock.yaml:11: step 2: the expected manifest is not valid YAML (answer line 1, column 6)",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps:\n      - kind: command\n",
            "mock.yaml:8: step 1: missing answer for a command step",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps:\n"
            "      - kind: command\n        answer: ls\n        strict: true\n",
            "mock.yaml:10: step 1: unknown field 'strict' for a command step (allowed: alternatives, answer, kind,"
            " points, question)",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps:\n"
            "      - kind: command\n        answer: ls\n        points: -1\n",
            "mock.yaml:10: step 1: points must be a whole number from 1 to 100, got -1",
        ),
        (
            "    scenario: s\n    tags: [cka/storage]\n    steps: [{kind: command, answer: ls}]\n",
            "mock.yaml:3: missing field 'weight' for a task card",
        ),
        (
            "    weight: 5\n    scenario: s\n    tags: [cka/storage]\n    steps: [{kind: command, answer: ls}]\n"
            "    options: [a, b]\n",
            "mock.yaml:8: unknown field 'options' for a task card (allowed: context, explanation, id, kind,"
            " reference, scenario, steps, tags, topic, weight)",
        ),
    ],
)
def test_a_bad_task_is_one_line_naming_file_and_line_and_other_entries_still_load(body: str, expected: str) -> None:
    text = _task(body) + "  - {front: still here, back: yes}\n"
    deck = parse_yaml_deck(text, "mock.yaml")
    assert [str(problem) for problem in deck.problems] == [expected]
    assert [card.prompt for card in deck.cards] == ["still here"]
