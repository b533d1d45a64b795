"""`ckaquiz export anki|csv|json`: the package is opened as Anki would, the tables read back."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
import typer
from typer.testing import CliRunner

from ckaquiz.cli import export, optimize, stats
from ckaquiz.collection import Collection
from ckaquiz.filters import Filters
from ckaquiz.model import Rating
from ckaquiz.session import Session
from tests.conftest import FrozenClock

DECK = """\
deck: mixed
tags: [cka, cka/storage]
cards:
  - {front: "Reclaim policy that keeps data?", back: Retain, id: retain, tags: [hard stuff]}
  - {front: "kubelet", back: "node agent", id: pair, reverse: true, explanation: "runs pods"}
  - kind: cloze
    id: sc
    text: "A {{StorageClass}} names a {{provisioner}} and its {{parameters}}."
  - kind: recall
    id: pv
    topic: PersistentVolumes
    notes: |
      - cluster-wide <storage>
      - bound to one claim
  - kind: choice
    id: mode
    question: Which access mode lets many nodes write?
    options: [ReadWriteOnce, ReadWriteMany]
    answer: ReadWriteMany
  - kind: command
    id: get-pv
    question: List PersistentVolumes sorted by capacity.
    answer: kubectl get pv --sort-by=.spec.capacity.storage
    alternatives: [kubectl get persistentvolumes --sort-by=.spec.capacity.storage]
  - kind: manifest
    id: claim
    question: A claim for 1Gi.
    answer: |
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        resources:
          requests:
            storage: 1Gi
"""

OTHER = """\
deck: other
cards:
  - {front: one, back: "1", id: one}
"""

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()

    @application.callback()
    def main() -> None:
        """Test app."""

    for group in (stats, optimize, export):
        group.register(application)
    return application


@pytest.fixture
def studied(collection: Collection, clock: FrozenClock, tmp_path: Path) -> Collection:
    for name, text in (("mixed", DECK), ("other", OTHER)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        collection.import_path(path)
    session = Session(collection, Filters(decks=("mixed",)))  # the first four cards of one deck, in any new-card order
    for _ in range(4):
        item = session.next_card()
        assert item is not None
        session.answer(Rating.GOOD, duration_ms=5000)
    session.finish()
    return collection


def open_package(path: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        archive.extract("collection.anki2", tmp_path / "unzipped")
    return sqlite3.connect(tmp_path / "unzipped" / "collection.anki2")


def test_anki_package_holds_the_notes(studied: Collection, app: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "out.apkg"
    result = runner.invoke(app, ["export", "anki", str(target), "--deck", "mixed"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"exported 10 cards as 7 notes in 1 deck to {target}\n"
    database = open_package(target, tmp_path)
    models = json.loads(database.execute("SELECT models FROM col").fetchone()[0])
    names = {int(model_id): model["name"] for model_id, model in models.items()}
    notes = {
        guid: (names[mid], flds.split("\x1f"), tags.split())
        for guid, mid, flds, tags in database.execute("SELECT guid, mid, flds, tags FROM notes")
    }
    guid = genanki.guid_for
    assert set(notes) == {
        guid(card_id)
        for card_id in (
            "mixed:retain",
            "mixed:pair",
            "mixed:sc",
            "mixed:pv",
            "mixed:mode",
            "mixed:get-pv",
            "mixed:claim",
        )
    }
    assert notes[guid("mixed:retain")] == (
        "Basic (genanki)",
        ["Reclaim policy that keeps data?", "Retain"],
        ["cka", "cka/storage", "hard_stuff"],
    )
    assert notes[guid("mixed:pair")][:2] == (
        "Basic (and reversed card) (genanki)",
        ["kubelet", "node agent<br><br>runs pods"],
    )
    assert notes[guid("mixed:sc")][:2] == (
        "Cloze (genanki)",
        ["A {{c1::StorageClass}} names a {{c2::provisioner}} and its {{c3::parameters}}.", ""],
    )
    recall_front, recall_back = notes[guid("mixed:pv")][1]
    assert "PersistentVolumes" in recall_front
    # Markdown is rendered: the notes' list becomes an HTML list, `<storage>` stays text
    assert recall_back == "<ul>\n<li>cluster-wide &lt;storage&gt;</li>\n<li>bound to one claim</li>\n</ul>"
    assert notes[guid("mixed:mode")][1] == [
        "Which access mode lets many nodes write?<ol><li>ReadWriteOnce</li><li>ReadWriteMany</li></ol>",
        "ReadWriteMany",
    ]
    command_back = notes[guid("mixed:get-pv")][1][1]
    # commands and manifests are code blocks, highlighted with inline styles (Anki has no stylesheet of ours)
    assert command_back.startswith("<pre><code>") and "</code></pre>" in command_back
    assert re.sub(r"<[^>]+>", "", command_back).startswith("kubectl get pv --sort-by=.spec.capacity.storage")
    assert "kubectl get persistentvolumes" in re.sub(r"<[^>]+>", "", command_back)
    assert "kind: PersistentVolumeClaim" in notes[guid("mixed:claim")][1][1]
    # Anki cards: one per note, two for the reversed pair, one per cloze deletion
    assert database.execute("SELECT count(*) FROM cards").fetchone()[0] == 10
    decks = json.loads(database.execute("SELECT decks FROM col").fetchone()[0])
    assert "mixed" in {deck["name"] for deck in decks.values()}


def test_anki_export_keeps_guids_and_refuses_to_overwrite(
    studied: Collection, app: typer.Typer, tmp_path: Path
) -> None:
    target = tmp_path / "out.apkg"
    assert runner.invoke(app, ["export", "anki", str(target)]).exit_code == 0
    first = sorted(row[0] for row in open_package(target, tmp_path / "a").execute("SELECT guid FROM notes"))
    refused = runner.invoke(app, ["export", "anki", str(target)])
    assert refused.exit_code == 1
    assert refused.stderr == f"error: {target} already exists (use --force to overwrite it)\n"
    assert runner.invoke(app, ["export", "anki", str(target), "--force"]).exit_code == 0
    second = sorted(row[0] for row in open_package(target, tmp_path / "b").execute("SELECT guid FROM notes"))
    assert first == second and len(first) == 8


def test_csv_export_with_reviews(studied: Collection, app: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "cards.csv"
    result = runner.invoke(app, ["export", "csv", str(target), "--reviews"])
    assert result.exit_code == 0, result.output
    log_path = tmp_path / "cards.reviews.csv"
    assert result.stdout == f"exported 11 cards to {target}\nexported 4 reviews to {log_path}\n"
    with target.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    database = sqlite3.connect(studied.home / "ckaquiz.db")
    expected = dict(database.execute("SELECT id, state FROM cards WHERE active = 1").fetchall())
    assert {row["id"]: row["state"] for row in rows} == expected
    retain = next(row for row in rows if row["id"] == "mixed:retain")
    assert retain["tags"] == "cka cka/storage hard_stuff"
    with log_path.open(encoding="utf-8", newline="") as file:
        reviews = list(csv.DictReader(file))
    assert [(row["card_id"], row["rating"]) for row in reviews] == [
        tuple(row) for row in database.execute("SELECT card_id, CAST(rating AS TEXT) FROM reviews ORDER BY id")
    ]
    again = runner.invoke(app, ["export", "csv", str(tmp_path / "other.csv"), "--reviews"])
    assert again.exit_code == 0
    (tmp_path / "fresh.reviews.csv").write_text("keep me", encoding="utf-8")
    refused = runner.invoke(app, ["export", "csv", str(tmp_path / "fresh.csv"), "--reviews"])
    assert refused.exit_code == 1
    assert "fresh.reviews.csv already exists" in refused.stderr
    assert not (tmp_path / "fresh.csv").exists()


def test_json_export(studied: Collection, app: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "cards.json"
    result = runner.invoke(app, ["export", "json", str(target), "--reviews", "--tag", "cka/storage"])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("ckaquiz-export", 1)
    assert len(document["cards"]) == 10
    database = sqlite3.connect(studied.home / "ckaquiz.db")
    studied_ids = {row[0] for row in database.execute("SELECT id FROM cards WHERE reps > 0")}
    assert {card["id"] for card in document["cards"] if card["reps"]} == studied_ids
    assert len(document["reviews"]) == 4
    review = document["reviews"][0]
    assert set(review) == {"id", "card_id", "session_id", "rating", "reviewed_at", "duration_ms", "before", "after"}
    assert review["before"]["state"] == "new" and review["duration_ms"] == 5000
    plain = tmp_path / "plain.json"
    assert runner.invoke(app, ["export", "json", str(plain)]).exit_code == 0
    assert "reviews" not in json.loads(plain.read_text(encoding="utf-8"))


def test_export_errors_are_one_line(studied: Collection, app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "json", str(tmp_path / "x.json"), "--deck", "nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown deck 'nope'")
    assert result.stderr.count("\n") == 1
    missing = runner.invoke(app, ["export", "csv", str(tmp_path / "no" / "x.csv")])
    assert missing.exit_code == 1
    assert missing.stderr == f"error: {tmp_path / 'no'}: no such folder\n"


def test_every_export_command_has_help(app: typer.Typer) -> None:
    for command in (["export", "anki"], ["export", "csv"], ["export", "json"], ["stats"], ["optimize"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output
