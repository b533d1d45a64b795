"""A recall answer that states a misconception: suggested again (hard when minor), shown everywhere."""

from __future__ import annotations

import json
import sqlite3
from io import StringIO
from pathlib import Path

from rich.console import Console

from ckaquiz.decks.loader import parse_deck_text
from ckaquiz.model import CardKind
from ckaquiz.ui.render import assessment_view
from tests.conftest import run_cli

DECK = """\
deck: limits
tags: [cka, cka/workloads-scheduling, resources]
cards:
  - kind: recall
    id: memory
    topic: What happens when a container exceeds its memory limit?
    notes: |
      - The container is OOM-killed by the kernel
      - The kubelet restarts it as the restartPolicy says
      - The Pod stays on its node
  - kind: recall
    id: quota
    topic: Quotas
    tags: [notes]
    pitfalls:
      - kubeadm-certificates-ten-years
      - id: quota-per-node
        severity: minor
        wrong: {en: A ResourceQuota applies per node.}
        correction: {en: A ResourceQuota applies per namespace., ko: ResourceQuota는 네임스페이스 단위다.}
        reference: https://kubernetes.io/docs/concepts/policy/resource-quotas/
        match:
          en: [{all: ["resourcequota|=quota|=quotas", "=per node|=each node"]}]
    notes: |
      - A ResourceQuota caps the total use of one namespace
      - It can count objects too
"""
NOW = {"CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}
WRONG = (
    "The container is OOM-killed by the kernel.\n"
    "The kubelet restarts it as the restartPolicy says.\n"
    "memory limit를 초과하면 Pod가 제거된다.\n"
)


def setup(home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("builtin_decks = false\nenable_fuzzing = false\n", encoding="utf-8")
    deck = tmp_path / "limits.yaml"
    deck.write_text(DECK, encoding="utf-8")
    imported = run_cli("import", str(deck))
    assert imported.returncode == 0, imported.stderr


def test_score_json_reports_the_misconception_and_suggests_again(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    scored = json.loads(run_cli("score", "limits:memory", "--json", input_text=WRONG).stdout)
    assert scored["coverage"] >= 0.6  # the right words are there ...
    assert scored["suggested"] == "again"  # ... but it states something false
    (hit,) = scored["misconceptions"]
    assert hit["id"] == "memory-limit-evicts-pod"
    assert hit["said"] == "memory limit를 초과하면 Pod가 제거된다."
    assert hit["language"] == "ko" and hit["severity"] == "major"
    assert hit["correction"].startswith("메모리 limit를 넘은 컨테이너는 커널이 OOM kill")
    assert hit["reference"].startswith("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/")
    assert {"coverage", "suggested", "points", "unmatched"} <= set(scored)
    right = json.loads(run_cli("score", "limits:memory", "--json", input_text=WRONG.splitlines()[0]).stdout)
    assert right["misconceptions"] == []


def test_a_minor_pitfall_lowers_to_hard_and_never_raises(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    answer = "A ResourceQuota caps the total use of one namespace.\nIt can count objects too.\nQuotas apply per node.\n"
    scored = json.loads(run_cli("score", "limits:quota", "--json", input_text=answer).stdout)
    assert [hit["id"] for hit in scored["misconceptions"]] == ["quota-per-node"]
    assert scored["suggested"] == "hard"
    poor = json.loads(run_cli("score", "limits:quota", "--json", input_text="Quotas apply per node.").stdout)
    assert poor["suggested"] == "again"  # coverage already said again: a minor hit does not raise it
    by_id = json.loads(
        run_cli("score", "limits:quota", "--json", input_text="kubeadm certificates last 10 years.").stdout
    )
    assert [hit["id"] for hit in by_id["misconceptions"]] == ["kubeadm-certificates-ten-years"]


def test_plain_protocol_shows_the_misconception_line_and_records_the_grade(isolated_home: Path, tmp_path: Path) -> None:
    setup(isolated_home, tmp_path)
    result = run_cli("study", "--plain", "--deck", "limits", input_text=WRONG + ".\n\nq\n", env=NOW)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    flagged = [line for line in lines if line.startswith("[!] misconception: ")]
    correction = (
        "메모리 limit를 넘은 컨테이너는 커널이 OOM kill하고, "
        "kubelet이 파드의 restartPolicy에 따라 다시 시작한다. "
        "파드는 노드에 그대로 남는다. "
        "축출(eviction)은 노드 자원 압박 때 kubelet이 하는 일이지 limit 초과의 결과가 아니다."
    )
    reference = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
    assert flagged == [
        f"[!] misconception: memory limit를 초과하면 Pod가 제거된다. → {correction} "
        f"({reference}#how-pods-with-resource-limits-are-run)"
    ]
    assert next(line for line in lines if line.startswith("coverage:")).endswith("suggested: again")
    assert [line for line in lines if line.startswith("[x]")]  # the points are still marked
    database = sqlite3.connect(isolated_home / "ckaquiz.db")
    (rating,) = database.execute("SELECT rating FROM reviews").fetchone()
    assert rating == 1
    (stored,) = database.execute("SELECT result FROM attempts").fetchone()
    assert [hit["id"] for hit in json.loads(stored)["misconceptions"]] == ["memory-limit-evicts-pod"]


def test_the_terminal_view_shows_a_red_cross_line() -> None:
    result: dict[str, object] = {
        "coverage": 0.8,
        "points": [{"text": "The container is OOM-killed", "status": "recalled"}],
        "unmatched": [],
        "misconceptions": [
            {
                "said": "Exceeding the memory limit evicts the pod.",
                "correction": "It is OOM-killed.",
                "reference": "https://k8s.example/x",
            }
        ],
    }
    console = Console(file=StringIO(), width=200, color_system=None)
    console.print(assessment_view(CardKind.RECALL, result, ()))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert (
        "✘ misconception: Exceeding the memory limit evicts the pod. → It is OOM-killed. (https://k8s.example/x)"
        in text
    )


def test_markdown_pitfalls_line_and_bad_pitfalls_are_problems_with_lines() -> None:
    markdown = "# Limits\n- memory over the limit is OOM-killed\nPitfalls: memory-limit-evicts-pod, rbac-can-deny\n"
    deck = parse_deck_text(markdown, "limits.md")
    (card,) = deck.cards
    assert card.fields["pitfalls"] == ["memory-limit-evicts-pod", "rbac-can-deny"]
    assert card.key_points == ("memory over the limit is OOM-killed",)
    broken = parse_deck_text("# Limits\n- a point\nPitfalls: no-such-id\n", "broken.md")
    assert [str(problem) for problem in broken.problems] == [
        "broken.md:3: unknown misconception id 'no-such-id' in pitfalls"
    ]
    yaml_deck = "cards:\n  - kind: recall\n    topic: t\n    notes: n\n    pitfalls: [nope]\n"
    assert [str(problem) for problem in parse_deck_text(yaml_deck, "d.yaml").problems] == [
        "d.yaml:5: unknown misconception id 'nope' in pitfalls"
    ]
