"""`cards --json` shows a choice card's options, and `export json` / `export csv` carry every field a
re-import needs: a deck rebuilt from either export reads back to the same cards."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

from ckaquiz.collection import Collection
from ckaquiz.records import card_record, record_of_row
from ckaquiz.store import iter_card_rows
from tests.conftest import run_cli

DECK = """\
deck: every-kind
cards:
  - id: b
    front: Which component runs static Pods?
    back: the kubelet
    tags: [cka/workloads]
    explanation: It watches staticPodPath.
    reference: https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
  - kind: choice
    id: ch
    question: Which Service types expose a port on every node?
    options: [ClusterIP, NodePort, LoadBalancer, ExternalName]
    answer: [NodePort, LoadBalancer]
    explanation: A LoadBalancer Service also allocates a node port by default.
  - kind: command
    id: cm
    question: Scale the Deployment web to 5 replicas.
    answer: kubectl scale deployment web --replicas=5
    alternatives: ["kubectl scale deploy/web --replicas=5"]
    time: 45s
  - kind: manifest
    id: mf
    strict: true
    question: A Namespace named team-a.
    answer: |
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
  - kind: recall
    id: rc
    topic: What makes a PersistentVolumeClaim bind?
    notes: |
      - a PersistentVolume with enough capacity
      - matching access modes and storageClassName
"""

SHOWN = ("id", "deck", "kind", "prompt", "answer", "tags", "explanation", "reference", "key_points", "options")


def _home(root: Path) -> dict[str, str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    return {"CKAQUIZ_HOME": str(root)}


def _listed(environment: dict[str, str]) -> dict[str, dict[str, Any]]:
    result = run_cli("cards", "--json", env=environment)
    assert result.returncode == 0, result.stderr
    return {card["id"]: {key: card[key] for key in SHOWN} for card in json.loads(result.stdout)}


def _entry(record: dict[str, Any]) -> dict[str, Any]:
    """A YAML deck entry rebuilt from one exported card, using only what the export wrote."""
    kind, fields = record["kind"], record["fields"]
    entry: dict[str, Any] = {"id": record["id"].split(":", 1)[1], "kind": kind, "tags": record["tags"]}
    for key in ("explanation", "reference"):
        if record[key]:
            entry[key] = record[key]
    if kind == "basic":
        entry |= {"front": record["prompt"], "back": record["answer"]}
    elif kind == "choice":
        entry |= {"question": record["prompt"], "options": record["options"], "answer": record["answers"]}
    elif kind == "command":
        entry |= {"question": record["prompt"], "answer": record["answer"], "alternatives": record["alternatives"]}
        entry["time"] = f"{fields['time_seconds']}s"
    elif kind == "manifest":
        entry |= {"question": record["prompt"], "answer": record["answer"], "strict": fields["strict"]}
    elif kind == "recall":
        entry |= {"topic": record["prompt"], "notes": record["answer"]}
    return entry


def _reimported(tmp_path: Path, records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    deck = tmp_path / "rebuilt.yaml"
    deck.write_text(yaml.safe_dump({"deck": "every-kind", "cards": [_entry(record) for record in records]}), "utf-8")
    environment = _home(tmp_path / "again")
    imported = run_cli("import", str(deck), env=environment)
    assert imported.returncode == 0 and "0 warnings" in imported.stdout, imported.stdout + imported.stderr
    return _listed(environment)


def test_cards_json_lists_the_options_of_choice_cards_only(tmp_path: Path, isolated_home: Path) -> None:
    deck = tmp_path / "every-kind.yaml"
    deck.write_text(DECK, encoding="utf-8")
    environment = _home(isolated_home)
    assert run_cli("import", str(deck), env=environment).returncode == 0
    cards = _listed(environment)
    assert cards["every-kind:ch"]["options"] == ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
    assert {card_id: card["options"] for card_id, card in cards.items() if card_id != "every-kind:ch"} == {
        "every-kind:b": None,
        "every-kind:cm": None,
        "every-kind:mf": None,
        "every-kind:rc": None,
    }
    collection = Collection.open(isolated_home)
    try:
        rows = list(iter_card_rows(collection.store, (stored.number for stored in collection.store.cards())))
        assert [record_of_row(row) for row in rows] == [card_record(stored) for stored in collection.store.cards()]
    finally:
        collection.close()


def test_a_json_export_holds_what_a_re_import_needs(tmp_path: Path, isolated_home: Path) -> None:
    deck = tmp_path / "every-kind.yaml"
    deck.write_text(DECK, encoding="utf-8")
    environment = _home(isolated_home)
    assert run_cli("import", str(deck), env=environment).returncode == 0
    exported = tmp_path / "cards.json"
    assert run_cli("export", "json", str(exported), env=environment).returncode == 0
    records = json.loads(exported.read_text(encoding="utf-8"))["cards"]
    command = next(record for record in records if record["kind"] == "command")
    assert command["alternatives"] == ["kubectl scale deploy/web --replicas=5"]
    assert next(record for record in records if record["kind"] == "choice")["answers"] == ["NodePort", "LoadBalancer"]
    assert _reimported(tmp_path, records) == _listed(environment)


def test_a_csv_export_holds_what_a_re_import_needs(tmp_path: Path, isolated_home: Path) -> None:
    deck = tmp_path / "every-kind.yaml"
    deck.write_text(DECK, encoding="utf-8")
    environment = _home(isolated_home)
    assert run_cli("import", str(deck), env=environment).returncode == 0
    exported = tmp_path / "cards.csv"
    assert run_cli("export", "csv", str(exported), env=environment).returncode == 0
    with exported.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    records = []
    for row in rows:
        record: dict[str, Any] = dict(row)
        record["tags"] = row["tags"].split()
        for key in ("key_points", "options", "answers", "alternatives", "fields"):
            record[key] = json.loads(row[key]) if row[key] else None
        records.append(record)
    assert _reimported(tmp_path, records) == _listed(environment)
