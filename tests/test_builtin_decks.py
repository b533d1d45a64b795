"""The shipped decks: valid, sourced, tagged by exam domain, and big enough per domain."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from ckaquiz.catalog import check_paths
from ckaquiz.config import builtin_decks_folder
from ckaquiz.decks.loader import load_decks
from ckaquiz.model import Card, CardKind

DOMAIN_SHARE = {
    "cka/cluster-architecture": 0.25,
    "cka/workloads-scheduling": 0.15,
    "cka/services-networking": 0.20,
    "cka/storage": 0.10,
    "cka/troubleshooting": 0.30,
}
CKA_MINIMUM = 300
AWS_MINIMUM = 80
SHARE_TOLERANCE = 0.03
KOREAN_DECK = "cka-ko"
KOREAN_MINIMUM = 250
KOREAN_SHARE_TOLERANCE = 0.05
REFERENCE = re.compile(
    r"https://(?:(?:[a-z0-9-]+\.)*kubernetes\.io|docs\.aws\.amazon\.com|(?:www\.)?etcd\.io|(?:www\.)?helm\.sh"
    r"|github\.com/kubernetes-sigs|kubernetes-sigs\.github\.io|(?:[a-z0-9-]+\.)*sigs\.k8s\.io)(?:/\S*)?"
)
RAW_CLOZE = re.compile(r"==(?=\S)(?:(?!==).)+?(?<=\S)==|\{\{[^{}]+\}\}")
"""A highlight (`==...==`) or curly (`{{...}}`) cloze deletion left in text a learner reads as it is."""
NEAR_IDENTICAL = 95
"""`rapidfuzz.fuzz.ratio` (0-100, after lowercasing) from which two answers count as the same fact."""
SHORT_ANSWER = 12
"""Answers shorter than this (a number, one term) repeat across different facts: such a pair is a
duplicate only when the questions are near-identical too."""
SAME_QUESTION = 90
KOREAN_BANNED = {
    "축출(preemption)": "선점(preemption): 축출 is eviction",
    "축출 (preemption)": "선점(preemption): 축출 is eviction",
    "포드": "파드",
    "라벨": "레이블",
    "애노테이션": "어노테이션",
    "정적 파드": "스태틱(static) 파드",
    "정적 포드": "스태틱(static) 파드",
    "오염(taint)": "테인트(taint)",
    "용인(toleration)": "톨러레이션(toleration)",
    "존(zone)": "영역(zone)",
}
"""Forms the Korean Kubernetes documentation does not use, and what it writes instead."""


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


def _shares(cards: list[Card]) -> dict[str, float]:
    counts = Counter(tag for card in cards for tag in card.tags if tag in DOMAIN_SHARE)
    return {domain: counts[domain] / len(cards) for domain in DOMAIN_SHARE}


def _off_weight(cards: list[Card], tolerance: float) -> dict[str, str]:
    return {
        domain: f"{share:.1%} against {DOMAIN_SHARE[domain]:.0%}"
        for domain, share in _shares(cards).items()
        if abs(share - DOMAIN_SHARE[domain]) > tolerance
    }


def test_cka_domains_are_within_three_points_of_the_exam_weights(shipped: list[Card]) -> None:
    cka = [card for card in shipped if "cka" in card.tags]
    assert _off_weight(cka, SHARE_TOLERANCE) == {}


def _is_korean(card: Card) -> bool:
    return card.deck == KOREAN_DECK


def test_the_korean_deck_covers_every_domain_in_the_glossary_terms(shipped: list[Card]) -> None:
    korean = [card for card in shipped if _is_korean(card)]
    assert len(korean) >= KOREAN_MINIMUM
    assert _off_weight(korean, KOREAN_SHARE_TOLERANCE) == {}
    banned = {
        f"{card.id}: {form} (write {instead})"
        for card in korean
        for form, instead in KOREAN_BANNED.items()
        if form in "\n".join([card.prompt, card.answer, card.explanation, *card.key_points])
    }
    assert sorted(banned) == []
    assert [card.id for card in korean if _raw_cloze(card)] == []


def _raw_cloze(card: Card) -> bool:
    return card.kind is CardKind.RECALL and any(RAW_CLOZE.search(text) for text in (card.answer, *card.key_points))


def test_no_recall_card_shows_raw_cloze_markup(shipped: list[Card]) -> None:
    # The Korean deck is rewritten separately; the Korean test above holds it to the same rule.
    assert [card.id for card in shipped if not _is_korean(card) and _raw_cloze(card)] == []


def test_raw_cloze_pattern_tells_markup_from_comparisons() -> None:
    assert RAW_CLOZE.search("A static pod belongs to ==one node==.")
    assert RAW_CLOZE.search("Port {{6443}} is the API server.")
    assert not RAW_CLOZE.search("""`{.items[?(@.status.phase=="Running")].metadata.name}`""")
    assert not RAW_CLOZE.search("""`{range .items[*]}{.metadata.name}{"\\n"}{end}`""")


def test_every_reference_is_on_a_documentation_site(shipped: list[Card]) -> None:
    assert [f"{card.id}: {card.reference}" for card in shipped if not REFERENCE.fullmatch(card.reference)] == []


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def near_duplicates(cards: list[Card]) -> list[str]:
    """Pairs of cards (not siblings of one entry) that test the same fact: near-identical answers."""
    answers = [_normalised(card.answer) for card in cards]
    pairs = [
        (first, second)
        for first, answer in enumerate(answers)
        for _, _, second in process.extract(answer, answers, scorer=fuzz.ratio, score_cutoff=NEAR_IDENTICAL, limit=None)
        if first < second
    ]
    found = []
    for first, second in pairs:
        one, other = cards[first], cards[second]
        if one.sibling_key and one.sibling_key == other.sibling_key:
            continue
        if min(len(answers[first]), len(answers[second])) < SHORT_ANSWER and (
            fuzz.ratio(_normalised(one.prompt), _normalised(other.prompt)) < SAME_QUESTION
        ):
            continue
        found.append(f"{one.id} ~ {other.id}: {answers[first][:60]}")
    return found


def test_no_two_cards_test_the_same_fact(shipped: list[Card]) -> None:
    assert near_duplicates(shipped) == []


def test_near_duplicates_are_found_across_decks_but_not_between_siblings(shipped: list[Card]) -> None:
    card = next(card for card in shipped if card.kind is CardKind.COMMAND and len(card.answer) > 30)
    copy = replace(card, id="other:copy", deck="other", sibling_key="other:copy", answer=card.answer.upper())
    assert len(near_duplicates([card, copy])) == 1
    assert near_duplicates([card, replace(copy, sibling_key=card.sibling_key)]) == []
    number = replace(card, answer="3", prompt="How many replicas?")
    other_question = replace(number, id="x:y", prompt="Which etcd member count tolerates one failure?")
    assert near_duplicates([number, other_question]) == []
    assert len(near_duplicates([number, replace(number, id="x:y", sibling_key="x:y")])) == 1


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
    hangul = [any("\uac00" <= character <= "\ud7a3" for character in card.prompt + card.answer) for card in korean[:10]]
    assert all(hangul)


@pytest.mark.parametrize(
    "misconception",
    [
        "RequiredDuringExecution is",
        "memory limit, the pod is evicted",
        "the scheduler ignores DaemonSet",
        "daemonset pods bypass the scheduler",
        "entrypoint cannot be overridden",
        "fast snapshot restore speeds up snapshot creation",
        "base64-encode the certificate",
        "mutating admission runs after validating",
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


# --- The Korean deck (cka-ko) ---------------------------------------------------------------
# Korean text follows the glossary of the Korean Kubernetes documentation (kubernetes.io/ko);
# commands, field names and YAML stay in English.

import re  # noqa: E402  (kept with the Korean-deck block so the file's head stays as it is)

KOREAN_MINIMUM = 250
KOREAN_SHARE_TOLERANCE = 0.05
KOREAN_BANNED_FORMS = [
    "축출(preemption)",  # preemption is 선점; 축출 is eviction
    "포드",  # pod is 파드
    "라벨",  # label is 레이블
    "주석(annotation)",  # annotation is 어노테이션
    "정적 파드",  # static pod is 스태틱(static) 파드
    "정적 Pod",
    "존(zone)",  # zone is 영역(zone)
    "용인(toleration)",  # toleration is 톨러레이션
]
_KOREAN_PARTICLE = "(?:을|를|이|가|은|는|의|에|에서|로|으로|와|과|도|만|이다|다)"
_ENGLISH_TERM_IN_SENTENCE = re.compile(
    r"(?<![A-Za-z])(?:Pods?|pods?|[Nn]odes?|Services?|Deployments?|DaemonSets?|StatefulSets?|[Nn]amespaces?"
    r"|[Ll]abels?|[Aa]nnotations?|[Tt]aints?|[Tt]olerations?|Ingress|PersistentVolumes?|StorageClass|NetworkPolicy)"
    + _KOREAN_PARTICLE
)
"""An English object name written straight into a Korean sentence (`Pod를`): the glossary word belongs there."""
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_RAW_CLOZE = re.compile(r"==[^=\n]+==|\{\{[^}\n]+\}\}")


@pytest.fixture(scope="module")
def korean(shipped: list[Card]) -> list[Card]:
    return [card for card in shipped if card.deck == "cka-ko"]


def _korean_prose(card: Card) -> str:
    """What a learner reads as Korean sentences: the card's text without code spans, code blocks or YAML answers."""
    parts = [card.prompt, card.explanation, *card.key_points]
    if card.kind.value not in {"command", "manifest"}:
        parts.append(card.answer)
    return _CODE.sub(" ", "\n".join(parts))


def test_korean_deck_is_big_enough_and_weighted_like_the_exam(korean: list[Card]) -> None:
    assert len(korean) >= KOREAN_MINIMUM
    assert [card.id for card in korean if sum(tag in DOMAIN_SHARE for tag in card.tags) != 1] == []
    counts = Counter(tag for card in korean for tag in card.tags if tag in DOMAIN_SHARE)
    shares = {domain: counts[domain] / len(korean) for domain in DOMAIN_SHARE}
    assert {
        domain: round(share, 3)
        for domain, share in shares.items()
        if abs(share - DOMAIN_SHARE[domain]) > KOREAN_SHARE_TOLERANCE
    } == {}


def test_korean_deck_is_written_in_korean(korean: list[Card]) -> None:
    hangul = re.compile("[\uac00-\ud7a3]")
    assert [card.id for card in korean if not hangul.search(card.prompt + card.answer)] == []


@pytest.mark.parametrize("banned", KOREAN_BANNED_FORMS)
def test_korean_deck_uses_the_korean_documentation_glossary(korean: list[Card], banned: str) -> None:
    assert [card.id for card in korean if banned in _korean_prose(card)] == []


def test_korean_sentences_use_the_glossary_word_not_the_english_object_name(korean: list[Card]) -> None:
    found: dict[str, str] = {}
    for card in korean:
        match = _ENGLISH_TERM_IN_SENTENCE.search(_korean_prose(card))
        if match:
            found[card.id] = match.group(0)
    assert found == {}


def test_korean_recall_answers_and_key_points_hold_no_raw_cloze_markup(korean: list[Card]) -> None:
    recall = [card for card in korean if card.kind.value == "recall"]
    assert recall
    leaking = [
        card.id
        for card in recall
        if _RAW_CLOZE.search(card.answer) or any(_RAW_CLOZE.search(point) for point in card.key_points)
    ]
    assert leaking == []


def test_korean_questions_keep_one_register(korean: list[Card]) -> None:
    # Questions end in 평서체 (`~는가?`, `~인가?`, `~는?`) and tasks in `~하라`; polite endings are not mixed in.
    polite = re.compile(r"(?:나요|까요|습니까|세요|시오)[?.]?\s*$")
    assert [card.id for card in korean if polite.search(card.prompt.strip())] == []


def test_korean_namespace_plugins_are_not_taught_as_deprecated(korean: list[Card]) -> None:
    namespace_cards = [card for card in korean if "NamespaceExists" in card.prompt + card.answer]
    assert namespace_cards
    assert [card.id for card in namespace_cards if "deprecated" in (card.prompt + card.answer).lower()] == []
