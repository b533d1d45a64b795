"""The shipped decks: valid, sourced, tagged by exam domain, and big enough per domain."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from ckaquiz.catalog import check_paths
from ckaquiz.collection import builtin_decks_folder
from ckaquiz.decks.loader import load_decks
from ckaquiz.model import Card

DOMAIN_SHARE = {
    "cka/cluster-architecture": 0.25,
    "cka/workloads-scheduling": 0.15,
    "cka/services-networking": 0.20,
    "cka/storage": 0.10,
    "cka/troubleshooting": 0.30,
}
CKA_MINIMUM = 300
AWS_MINIMUM = 80


@pytest.fixture(scope="module")
def shipped() -> list[Card]:
    return [card for deck in load_decks([builtin_decks_folder()]) for card in deck.cards]


def test_check_passes_with_no_problems() -> None:
    count, problems = check_paths([builtin_decks_folder()])
    assert [str(problem) for problem in problems] == []
    assert count >= CKA_MINIMUM + AWS_MINIMUM


def test_ids_are_unique_and_every_card_cites_documentation(shipped: list[Card]) -> None:
    duplicates = [card_id for card_id, count in Counter(card.id for card in shipped).items() if count > 1]
    assert duplicates == []
    assert [card.id for card in shipped if not card.reference.startswith("https://")] == []


def test_every_cka_card_has_exactly_one_domain_and_domains_meet_their_share(shipped: list[Card]) -> None:
    cka = [card for card in shipped if "cka" in card.tags]
    assert len(cka) >= CKA_MINIMUM
    wrong = [card.id for card in cka if sum(tag in DOMAIN_SHARE for tag in card.tags) != 1]
    assert wrong == []
    counts = Counter(tag for card in cka for tag in card.tags if tag in DOMAIN_SHARE)
    for domain, share in DOMAIN_SHARE.items():
        assert counts[domain] >= share * CKA_MINIMUM, domain


def test_aws_cards_name_their_service(shipped: list[Card]) -> None:
    aws = [card for card in shipped if "aws" in card.tags]
    assert len(aws) >= AWS_MINIMUM
    assert [card.id for card in aws if not any(tag.startswith("aws/") for tag in card.tags)] == []


def test_static_pods_and_admission_are_covered_in_markdown_and_yaml(shipped: list[Card]) -> None:
    static_pods = [card for card in shipped if card.deck == "cka-static-pods"]
    admission = [card for card in shipped if card.deck == "cka-admission-control"]
    assert static_pods[0].source.path.endswith(".md") and admission[0].source.path.endswith(".yaml")
    assert len(static_pods) + len(admission) >= 30


def test_a_korean_deck_ships(shipped: list[Card]) -> None:
    korean = [card for card in shipped if card.deck == "cka-ko"]
    assert len(korean) >= 30
    assert all(any("\uac00" <= character <= "\ud7a3" for character in card.prompt + card.answer) for card in korean[:10])


@pytest.mark.parametrize(
    "misconception",
    [
        "RequiredDuringExecution is",
        "memory limit, the pod is evicted",
        "the scheduler ignores DaemonSet",
    ],
)
def test_known_misconceptions_are_not_taught(shipped: list[Card], misconception: str) -> None:
    assert [card.id for card in shipped if misconception.lower() in (card.prompt + card.answer).lower()] == []


def test_non_editable_wheel_ships_the_decks(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(root)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("ckaquiz-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "ckaquiz/builtin_decks/cka/static-pods.md" in names
    assert "ckaquiz/builtin_decks/cka/admission-control.yaml" in names
