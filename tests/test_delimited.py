"""CSV/TSV decks in Anki's plain-text export shape: fixture files with their exact cards."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from ckaquiz.decks.delimited import parse_delimited
from ckaquiz.model import CardKind
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "delimited"


CardFields = tuple[str, CardKind, str, str, tuple[str, ...], int]


def parsed(name: str, *, columns: Sequence[str] | None = None) -> tuple[list[CardFields], list[str]]:
    path = FOLDER / name
    deck = parse_delimited(path.read_text(encoding="utf-8"), path.name, deck_name=None, columns=columns)
    cards = [(card.id, card.kind, card.prompt, card.answer, card.tags, card.source.line) for card in deck.cards]
    return cards, [str(problem) for problem in deck.problems]


def test_an_anki_export_with_headers() -> None:
    cards, problems = parsed("anki-export.txt")
    assert problems == []
    assert cards == [
        (
            "anki-export:f161526545",
            CardKind.BASIC,
            "Which component runs static pods?",
            "The kubelet, from /etc/kubernetes/manifests",
            ("cka", "cka/cluster-architecture"),
            6,
        ),
        ("anki-export:8127dbe15f", CardKind.BASIC, "PV", "PersistentVolume", ("cka/storage",), 7),
        ("anki-export:8127dbe15f:r", CardKind.BASIC, "PersistentVolume", "PV", ("cka/storage",), 7),
        (
            "anki-export:3141542243:c1",
            CardKind.CLOZE,
            "A [...] names a provisioner.",
            "StorageClass",
            ("cka/storage",),
            8,
        ),
        (
            "anki-export:3141542243:c2",
            CardKind.CLOZE,
            "A StorageClass names a [...].",
            "provisioner",
            ("cka/storage",),
            8,
        ),
        ("anki-export:1bb67fd65d", CardKind.BASIC, "Multi-line\nfront", "kubectl get pods <name> -o yaml", (), 9),
    ]


def test_a_csv_with_a_header_row_reports_bad_rows_by_line() -> None:
    cards, problems = parsed("with-header.csv")
    assert cards == [
        (
            "with-header:9a729b19cf",
            CardKind.BASIC,
            "What does NetworkPolicy select?",
            "Pods, by label",
            ("cka/services-networking",),
            2,
        ),
        ("with-header:114c6f1934", CardKind.BASIC, "Two\nlines?", "yes", (), 3),
    ]
    assert problems == [
        "with-header.csv:5: missing front (the first column)",
        "with-header.csv:6: missing back (the second column)",
    ]


def test_a_bare_tsv_is_front_back_tags() -> None:
    cards, problems = parsed("bare.tsv")
    assert problems == []
    assert [(card[2], card[3], card[4]) for card in cards] == [
        ("kubectl logs --previous", "logs of the previous container", ("troubleshooting",)),
        ("kubectl top pod", "resource usage of pods", ()),
    ]


@pytest.mark.parametrize(
    ("text", "path", "columns", "expected"),
    [
        ("a;b;x y\nc;d\n", "notes.txt", ["front", "back", "tags"], [("a", "b", ("x", "y")), ("c", "d", ())]),
        ("front;back\na;b\n", "notes.txt", None, [("a", "b", ())]),
        ("#separator:Pipe\na|b|t\n", "notes.txt", None, [("a", "b", ("t",))]),
        ("back,front\n1,one\n", "notes.csv", None, [("one", "1", ())]),  # a header row in any order
        ("Front,Back,Notes\nf,b,n\n", "notes.csv", None, [("f", "b", ())]),  # notes: ignored
        ("back,front\n1,one\n", "notes.csv", ["back", "front"], [("one", "1", ())]),
        ("#columns:Back\tFront\ttags\n1\tone\tt\n", "notes.txt", None, [("one", "1", ("t",))]),
        ("Question,Answer\nq,a\n", "notes.csv", ["question", "answer"], [("q", "a", ())]),
        ('"a, b",c\n', "notes.csv", None, [("a, b", "c", ())]),
    ],
)
def test_separators_and_columns(
    text: str, path: str, columns: list[str] | None, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    deck = parse_delimited(text, path, deck_name="notes", columns=columns)
    assert [(card.prompt, card.answer, card.tags) for card in deck.cards] == expected


def test_deck_name_comes_from_the_caller_then_the_header_then_the_file() -> None:
    assert parse_delimited("a\tb\n", "dir/my-notes.tsv", deck_name="given").name == "given"
    assert parse_delimited("#deck:Header Deck\na\tb\n", "dir/my-notes.tsv", deck_name=None).name == "Header Deck"
    assert parse_delimited("a\tb\n", "dir/my-notes.tsv", deck_name=None).name == "my-notes"


def test_problems_instead_of_raises() -> None:
    assert [str(problem) for problem in parse_delimited("", "empty.csv", deck_name=None).problems] == [
        "empty.csv:1: no cards: expected rows of front, back and optional tags"
    ]
    unknown = parse_delimited("front,back,mystery\na,b,c\n", "x.csv", deck_name=None)
    assert len(unknown.cards) == 1
    assert [problem.message for problem in unknown.problems] == [
        "unknown column 'mystery' is ignored (known: back, explanation, front, id, notetype, reference, tags)"
    ]
    cloze = parse_delimited("#notetype column:1\nCloze\tno deletion here\t\n", "x.txt", deck_name=None)
    assert [str(problem) for problem in cloze.problems] == [
        "x.txt:2: a cloze row needs {{c1::...}} deletions in its first column"
    ]


def test_explicit_ids_are_stable(tmp_path: Path) -> None:
    deck = parse_delimited(
        "id\tfront\tback\nrwo\tRWO?\tReadWriteOnce\n", "modes.tsv", deck_name=None, columns=["id", "front", "back"]
    )
    assert [card.id for card in deck.cards] == ["modes:rwo"]
