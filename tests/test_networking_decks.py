"""The Services & Networking decks: their own answers pass, known wrong answers do not, commands run."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ckaquiz.assessment import assess_quiz
from ckaquiz.config import builtin_decks_folder
from ckaquiz.decks.loader import load_decks
from ckaquiz.model import Card, CardKind, Rating

NETWORKING_DECK = re.compile(r"cka-networking-")
NEW_DECKS = {
    "cka-networking-services-endpoints",
    "cka-networking-kube-proxy",
    "cka-networking-policies-scenarios",
    "cka-networking-ingress-controllers",
    "cka-networking-gateway-api",
    "cka-networking-coredns",
    "cka-networking-model-cni",
}
DOCUMENTATION = re.compile(
    r"https://(kubernetes\.io|[a-z0-9-]+\.sigs\.k8s\.io|github\.com/kubernetes-sigs)/"
)
GRADED = (CardKind.CHOICE, CardKind.COMMAND, CardKind.MANIFEST)


@pytest.fixture(scope="module")
def networking() -> dict[str, Card]:
    cards = [card for deck in load_decks([builtin_decks_folder()]) for card in deck.cards]
    return {card.id: card for card in cards if NETWORKING_DECK.match(card.deck)}


def _accepted(card: Card) -> list[str]:
    if card.kind is CardKind.CHOICE:
        return ["\n".join(card.fields.get("answers", []))]
    return [card.answer, *card.fields.get("alternatives", [])]


def test_the_new_decks_are_all_there_and_tagged_for_their_domain(networking: dict[str, Card]) -> None:
    new = [card for card in networking.values() if card.deck in NEW_DECKS]
    assert {card.deck for card in new} == NEW_DECKS
    assert len(new) >= 140
    assert [card.id for card in new if "cka" not in card.tags or "cka/services-networking" not in card.tags] == []
    domains = [tag for card in new for tag in card.tags if tag.startswith("cka/")]
    assert set(domains) == {"cka/services-networking"}
    assert [card.id for card in new if not DOCUMENTATION.match(card.reference)] == []


def test_every_graded_card_accepts_its_own_answers(networking: dict[str, Card]) -> None:
    rejected = [
        (card.id, response)
        for card in networking.values()
        if card.kind in GRADED
        for response in _accepted(card)
        if assess_quiz(card, response, 1.0).suggested not in (Rating.GOOD, Rating.EASY)
    ]
    assert rejected == []


def test_every_manifest_answer_is_one_kubernetes_object(networking: dict[str, Card]) -> None:
    broken = []
    for card in networking.values():
        if card.kind is not CardKind.MANIFEST:
            continue
        document = yaml.safe_load(card.answer)
        if not (isinstance(document, dict) and document.get("apiVersion") and document.get("kind")):
            broken.append(card.id)
    assert broken == []


WRONG = [
    pytest.param(
        "cka-networking-ingress-controllers:create-ingress-exact",
        'kubectl create ingress login --class=traefik --rule="auth.example.com/login*=auth:443"',
        id="prefix-rule-where-exact-was-asked",
    ),
    pytest.param(
        "cka-networking-policies-scenarios:two-items-or",
        "Only Pods labelled role=client inside namespaces labelled team=blue",
        id="two-peers-read-as-and",
    ),
    pytest.param(
        "cka-networking-policies-scenarios:same-namespace-only",
        "`- from: [{namespaceSelector: {}}]`",
        id="empty-namespace-selector-opens-every-namespace",
    ),
    pytest.param(
        "cka-networking-kube-proxy:kube-proxy-nftables-config",
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n",
        id="ipvs-instead-of-nftables",
    ),
    pytest.param(
        "cka-networking-gateway-api:gateway-all-namespaces",
        (
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: shared\n"
            "  namespace: infra\nspec:\n  gatewayClassName: edge\n  listeners:\n  - name: web\n"
            "    protocol: HTTP\n    port: 80\n    allowedRoutes:\n      namespaces:\n        from: Same\n"
        ),
        id="routes-limited-to-the-gateway-namespace",
    ),
    pytest.param(
        "cka-networking-services-endpoints:internal-traffic-local-manifest",
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: node-cache\nspec:\n  selector:\n"
            "    app: node-cache\n  externalTrafficPolicy: Local\n  ports:\n  - port: 53\n    protocol: UDP\n"
        ),
        id="external-instead-of-internal-traffic-policy",
    ),
]


@pytest.mark.parametrize(("card_id", "response"), WRONG)
def test_known_wrong_answers_are_not_passed(networking: dict[str, Card], card_id: str, response: str) -> None:
    assessment = assess_quiz(networking[card_id], response, 1.0)
    assert assessment.suggested not in (Rating.GOOD, Rating.EASY)


def _certificate(folder: Path) -> None:
    """A throwaway self-signed pair named as the TLS commands expect."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=shop.example.com",
         "-keyout", str(folder / "tls.key"), "-out", str(folder / "tls.crt")],
        capture_output=True, check=True, timeout=60,
    )


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_kubectl_create_answers_run_with_a_client_dry_run(networking: dict[str, Card], tmp_path: Path) -> None:
    _certificate(tmp_path)
    commands = [
        command
        for card in networking.values()
        if card.kind is CardKind.COMMAND
        for command in _accepted(card)
        if command.startswith("kubectl create ") and ">" not in command
    ]
    assert len(commands) >= 10
    failures = []
    for command in commands:
        words = [word for word in shlex.split(command) if not word.startswith("--dry-run")]
        run = subprocess.run(
            [*words, "--dry-run=client", "-o", "yaml"],
            capture_output=True, text=True, check=False, timeout=60, cwd=tmp_path,
        )
        if run.returncode != 0:
            failures.append((command, run.stderr.strip()))
    assert failures == []


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize(
    ("card_id", "path_type"),
    [
        ("cka-networking-ingress-controllers:create-ingress-exact", "Exact"),
        ("cka-networking-ingress-controllers:create-ingress-two-hosts", "Prefix"),
    ],
)
def test_ingress_commands_give_the_path_type_the_card_teaches(
    networking: dict[str, Card], card_id: str, path_type: str
) -> None:
    run = subprocess.run(
        [*shlex.split(networking[card_id].answer), "--dry-run=client", "-o", "yaml"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    paths = [path for rule in yaml.safe_load(run.stdout)["spec"]["rules"] for path in rule["http"]["paths"]]
    assert {path["pathType"] for path in paths} == {path_type}
