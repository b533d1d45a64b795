"""Kubernetes manifest files in a vault: every object of a file is a manifest card, with no warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.decks.loader import parse_deck_text
from ckaquiz.decks.manifest_files import is_manifest_file
from ckaquiz.grading.manifests import grade_manifest
from ckaquiz.model import CardKind
from tests.conftest import FIXTURES

MANIFESTS = FIXTURES / "notes_manifests"
STACK = (MANIFESTS / "Manifests" / "web-stack.yaml").read_text(encoding="utf-8")


def test_each_document_is_a_manifest_card_named_by_its_comment_or_its_object() -> None:
    deck = parse_deck_text(STACK, "Manifests/web-stack.yaml", default_deck="vault")
    assert deck.problems == () and deck.name == "vault"
    assert [(card.kind, card.prompt, card.source.line) for card in deck.cards] == [
        (CardKind.MANIFEST, "A Deployment of three nginx replicas labelled app=web", 2),
        (CardKind.MANIFEST, "Write the Service `web` (web-stack.yaml)", 22),
        (CardKind.MANIFEST, "A claim for one gibibyte that a single node mounts read-write", 34),
    ]
    service = deck.cards[1].answer
    assert service.startswith("apiVersion: v1\nkind: Service\n") and "---" not in service and "#" not in service
    assert grade_manifest(service, service).correct


def test_vault_with_manifest_files_imports_them_without_warnings(collection: Collection, tmp_path: Path) -> None:
    vault = tmp_path / "lab"
    shutil.copytree(MANIFESTS, vault)
    _, report = collection.import_path(vault)
    assert report.problems == []
    cards = [stored.card for stored in collection.store.cards() if stored.card.deck == "lab"]
    assert [card.prompt for card in cards if card.kind is CardKind.MANIFEST] == [
        "Write the Pod `static-web` (static-web.yml)",
        "A Deployment of three nginx replicas labelled app=web",
        "Write the Service `web` (web-stack.yaml)",
        "A claim for one gibibyte that a single node mounts read-write",
    ]


def test_a_broken_or_foreign_document_is_one_problem_on_its_line_and_the_others_load() -> None:
    text = STACK.replace("  replicas: 3\n", "  replicas: [3\n") + "---\njust: text\n"
    deck = parse_deck_text(text, "web-stack.yaml")
    assert [card.prompt for card in deck.cards] == [
        "Write the Service `web` (web-stack.yaml)",
        "A claim for one gibibyte that a single node mounts read-write",
    ]
    assert [(problem.line, problem.message.split(":")[0]) for problem in deck.problems] == [
        (8, "YAML syntax error at column 11"),
        (45, "a YAML document without apiVersion and kind in a file of Kubernetes objects"),
    ]


def test_the_yaml_limits_hold_for_each_document() -> None:
    bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: &a0 [x, x, x, x, x, x, x, x, x]\n"
    bomb += "".join(f"k{number}: &a{number} [*a{number - 1}, *a{number - 1}]\n" for number in range(1, 40))
    deck = parse_deck_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\n" + bomb, "bomb.yaml")
    assert [card.prompt for card in deck.cards] == ["Write the Namespace `ok` (bomb.yaml)"]
    assert len(deck.problems) == 1 and deck.problems[0].message.startswith("refused:")
    assert deck.problems[0].line >= 5


def test_decks_and_other_yaml_are_read_as_before() -> None:
    assert not is_manifest_file("deck: x\ncards:\n  - {front: apiVersion, back: kind}\n")
    assert not is_manifest_file("cards: []\napiVersion: v1\nkind: Pod\n")
    deck = parse_deck_text("deck: x\ncolour: red\ncards: []\n", "x.yaml")
    assert [problem.message for problem in deck.problems] == [
        "unknown field 'colour' (allowed: cards, deck, description, reference, tags)"
    ]
