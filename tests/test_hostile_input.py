"""Hostile deck files: a corpus of nasty files (tests/fixtures/nasty, made by make_nasty.py), very
large files made here, and hypothesis. Each bad file gives at most one warning line naming it,
never a traceback or a hang, and the good files beside it still load."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckaquiz.decks.loader import load_deck_file
from ckaquiz.decks.markdown import parse_markdown
from ckaquiz.decks.yaml_deck import parse_yaml_deck
from ckaquiz.file_access import MAX_DECK_BYTES
from ckaquiz.yaml_nodes import MAX_ALIASES
from tests.conftest import FIXTURES
from tests.safety_helpers import no_builtin_home

NASTY = FIXTURES / "nasty"
TIMEOUT = 30  # seconds: a guard that turns a hang into a failure, not a timing assertion
MEGABYTE = 1024 * 1024


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_nasty", FIXTURES / "make_nasty.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_NASTY = load_generator()
GOOD_CARDS = {
    "good-bom:one",
    "good-plain:one",
    "yaml-merge-keys:m0",
    "yaml-merge-keys:m1",
    "yaml-merge-keys:m2",
    "yaml-merge-keys:m3",
}
GOOD_DECKS = {"good-bom", "good-plain", "good-crlf", "good-lone-cr", "good-korean", "yaml-merge-keys"}


def ckaquiz(*arguments: str, cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """`python -m ckaquiz ...` in a working folder of its own (where a YAML payload would write)."""
    return subprocess.run(
        [sys.executable, "-m", "ckaquiz", *arguments],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def assert_clean_output(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output
        assert not any(character in output for character in "\x1b\x07\x9b\x9d\x00\r"), repr(output[:500])


def lines_per_file(lines: list[str], folder: Path, prefix: str = "") -> Counter[str]:
    """How many output lines name each file of the folder; every line must name one."""
    counts: Counter[str] = Counter()
    names = {path.name for path in folder.iterdir()}
    for line in lines:
        assert line.startswith(f"{prefix}{folder}/"), line
        name = line.removeprefix(f"{prefix}{folder}/").split(":", 1)[0]
        assert name in names, line
        counts[name] += 1
    return counts


def test_the_corpus_is_what_the_script_makes() -> None:
    expected = MAKE_NASTY.files()
    assert sorted(path.name for path in NASTY.iterdir() if not path.name.startswith(".")) == sorted(expected)
    for name, content in expected.items():
        assert (NASTY / name).read_bytes() == content, name
    assert sum(len(content) for content in expected.values()) < MEGABYTE // 2


def test_check_gives_at_most_one_line_per_nasty_file(tmp_path: Path) -> None:
    result = ckaquiz("check", str(NASTY), cwd=tmp_path)
    assert result.returncode == 1
    assert_clean_output(result.stdout, result.stderr)
    counts = lines_per_file(result.stdout.splitlines(), NASTY)
    assert max(counts.values()) == 1, [name for name, count in counts.items() if count > 1]
    assert not [name for name in counts if name.startswith("good-") or name == "yaml-merge-keys.yaml"]
    refused = ["yaml-python-object.yaml", "yaml-alias-bomb.yaml", "yaml-alias-bomb-few-aliases.yaml",
               "enc-nul-bytes.md", "enc-invalid-utf8.md", "yaml-deep-sequence.yaml", "md-frontmatter-python.md"]
    for name in refused:
        assert counts[name] == 1, name
    assert not (tmp_path / MAKE_NASTY.MARKER).exists()
    assert result.stderr.splitlines()[-1].endswith("problems") and len(result.stderr.splitlines()) == 1


def test_import_keeps_the_good_files_beside_the_nasty_ones(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    folder = tmp_path / "decks"
    folder.mkdir()
    for path in NASTY.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    result = ckaquiz("import", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_clean_output(result.stdout, result.stderr)
    assert result.stdout.startswith("imported ")
    counts = lines_per_file(result.stderr.splitlines(), folder, prefix="warning: ")
    assert max(counts.values()) == 1
    listed = ckaquiz("cards", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    cards = json.loads(listed.stdout)
    ids = {card["id"] for card in cards}
    assert ids >= GOOD_CARDS
    assert {card["deck"] for card in cards} >= GOOD_DECKS
    by_deck = {deck: [card for card in cards if card["deck"] == deck] for deck in GOOD_DECKS}
    assert [card["prompt"] for card in by_deck["good-bom"]] == ["bom q"]
    assert {card["prompt"] for card in by_deck["good-crlf"]} >= {"CR question"}
    assert {card["prompt"] for card in by_deck["good-lone-cr"]} >= {"Lone question"}
    assert {card["answer"] for card in by_deck["good-korean"]} >= {"컨테이너 묶음"}
    assert not any("\r" in card["prompt"] + card["answer"] for card in cards)
    assert not (tmp_path / MAKE_NASTY.MARKER).exists()
    again = ckaquiz("import", str(folder), cwd=tmp_path)  # nothing changed: nothing read again
    unchanged = r": 0 files read \(\d+ unchanged since the last scan\); cards: 0 new"
    assert again.returncode == 0 and re.search(unchanged, again.stdout), again.stdout


# very large files, made here rather than committed -------------------------------------------------


def ten_megabytes(unit: bytes) -> bytes:
    return unit * (10 * MEGABYTE // len(unit))


BIG_FILES: dict[str, bytes] = {
    "one-line-words.md": b"# Big\n" + ten_megabytes(b"word ") + b"\n",
    "one-line-spaces.md": b"# Big\n" + ten_megabytes(b" ") + b"x\n",
    "one-line-backticks.md": b"# Big\n" + ten_megabytes(b"`") + b"\n",
    "one-line-highlights.md": b"# Big\n" + ten_megabytes(b"==a== ") + b"\n",
    "one-line-open-highlights.md": b"# Big\n" + ten_megabytes(b"==a ") + b"\n",
    "one-line-separators.md": b"# Big\n" + ten_megabytes(b"q::") + b"\n",
    "one-line-table.md": b"# Big\n|a|b|\n" + ten_megabytes(b"| -- ") + b"\n",
    "one-line-scalar.yaml": b'cards:\n  - {front: "' + ten_megabytes(b"a") + b'", back: b}\n',
    "one-line-open-cloze.yaml": b'cards:\n  - {kind: cloze, text: "' + ten_megabytes(b"{{") + b'"}\n',
    "one-line-time.yaml": (
        b"cards:\n  - {kind: command, question: q, answer: a, time: '" + ten_megabytes(b" ") + b"x'}\n"
    ),
    "one-line-flow.yaml": b"cards: [" + ten_megabytes(b"[") + b"\n",
}


@pytest.mark.parametrize("name", sorted(BIG_FILES))
def test_a_single_ten_megabyte_line_never_hangs(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / name).write_bytes(BIG_FILES[name])
    (folder / "good-plain.yaml").write_bytes(MAKE_NASTY.files()["good-plain.yaml"])
    result = ckaquiz("check", str(folder), cwd=tmp_path)
    assert_clean_output(result.stdout[:10_000], result.stderr[:10_000])
    counts = lines_per_file(result.stdout.splitlines(), folder)
    assert counts["good-plain.yaml"] == 0
    assert counts[name] <= 1
    assert all(len(line) < 1000 for line in result.stdout.splitlines())


def test_files_over_the_size_cap_are_skipped_with_one_line(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    folder = tmp_path / "decks"
    folder.mkdir()
    oversized = folder / "oversized.md"
    with oversized.open("wb") as handle:
        handle.write(b"# Huge\n")
        handle.truncate(MAX_DECK_BYTES + 1)  # sparse: quick to make, still over the cap
    (folder / "good-plain.yaml").write_bytes(MAKE_NASTY.files()["good-plain.yaml"])
    limit = MAX_DECK_BYTES // MEGABYTE
    checked = ckaquiz("check", str(folder), cwd=tmp_path)
    assert checked.stdout == f"{oversized}:1: skipped: larger than {limit} MB\n"
    imported = ckaquiz("import", str(folder), cwd=tmp_path)
    assert imported.returncode == 0
    assert imported.stderr == f"warning: {oversized}:1: skipped: larger than {limit} MB\n"
    assert "1 new" in imported.stdout


def test_yaml_is_only_loaded_safely_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    touch = f"touch {MAKE_NASTY.MARKER}"
    payloads = {
        "apply.yaml": f'cards:\n  - {{front: !!python/object/apply:os.system ["{touch}"], back: b}}\n',
        "new.yaml": f'cards:\n  - {{front: !!python/object/new:os.system ["{touch}"], back: b}}\n',
        "subprocess.yaml": (
            "cards:\n  - front: !!python/object/apply:subprocess.check_output\n"
            f"      args: [[touch, {MAKE_NASTY.MARKER}]]\n    back: b\n"
        ),
        "frontmatter.md": f"---\ntags: !!python/object/apply:os.system ['{touch}']\n---\n# T\nQ::A\n",
        "card-block.md": f"# T\n```card\nfront: !!python/object/apply:os.system ['{touch}']\nback: b\n```\n",
    }
    for name, text in payloads.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = ckaquiz("check", str(folder), cwd=tmp_path)
    assert_clean_output(result.stdout, result.stderr)
    counts = lines_per_file(result.stdout.splitlines(), folder)
    assert counts == Counter(dict.fromkeys(payloads, 1))
    assert all("could not determine a constructor" in line for line in result.stdout.splitlines())
    assert not (tmp_path / MAKE_NASTY.MARKER).exists()


def test_alias_bombs_are_refused_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    many = MAKE_NASTY.alias_bomb(9, 9) + "a10: [" + ", ".join(["*a9"] * 30) + "]\n"
    (folder / "many-aliases.yaml").write_text(many, encoding="utf-8")
    few = f"description: {MAKE_NASTY.nested_bomb(9, 9)}\ncards:\n  - {{front: *a9, back: b}}\n"
    (folder / "few-aliases.yaml").write_text(few, encoding="utf-8")
    fine = "cards:\n  - &one {front: a, back: b, id: one}\n  - {<<: *one, id: two}\n"
    (folder / "fine-aliases.yaml").write_text(fine, encoding="utf-8")
    result = ckaquiz("check", str(folder), cwd=tmp_path)
    assert result.stdout.splitlines() == [
        f"{folder}/few-aliases.yaml:1: refused: YAML aliases expand to 2572714171 more values (at most 10000)",
        f"{folder}/many-aliases.yaml:1: refused: 111 YAML aliases (at most {MAX_ALIASES})",
    ]
    assert result.stderr == "2 cards, 2 problems\n"


def test_problems_never_carry_control_characters_from_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    evil = folder / "evil\x1b]0;pwned\x07\x1b[2J.yaml"
    evil.write_text("cards: [1]\n", encoding="utf-8")
    result = ckaquiz("check", str(folder), cwd=tmp_path)
    assert_clean_output(result.stdout, result.stderr)
    assert result.stdout == f"{folder}/evil?]0;pwned??[2J.yaml:1: a card entry must be a mapping of fields\n"


# hypothesis: no input makes a parser raise, and every problem is one line -----------------------------

EXAMPLES = 300
FIELD_NAMES = ["deck", "cards", "tags", "front", "back", "kind", "id", "text", "topic", "notes", "question",
               "options", "answer", "alternatives", "time", "strict", "reverse", "explanation", "reference", "<<"]
NASTY_PIECES = st.sampled_from(
    ["\x1b[2J", "\x1b]0;x\x07", "\r", "\r\n", "\u2028", "\ufeff", "{{", "}}", "==", "::", "`", "#"]
)
NASTY_TEXT = st.lists(st.one_of(st.text(max_size=8), NASTY_PIECES), max_size=6).map("".join)
# a lone surrogate only ever comes from a YAML escape (files are strict UTF-8)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), NASTY_TEXT, st.just("a\ud800b\ud83d\ude00")
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), NASTY_TEXT), children, max_size=5),
    ),
    max_leaves=25,
)
CARD_ENTRY = st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=6)
DECK_SHAPE = st.one_of(
    VALUES,
    st.fixed_dictionaries(
        {"cards": st.lists(st.one_of(CARD_ENTRY, VALUES), max_size=5)}, optional={"deck": VALUES, "tags": VALUES}
    ),
)
MARKDOWN_PIECES = st.sampled_from(
    ["# ", "## ", "###### ", "####### ", "- ", "1. ", "> ", "> [!note] ", "| a | b |", "|---|---|", "```", "```card",
     "~~~", "<!--", "-->", "::", ":::", "?", "??", "==a==", "==", "{{c1::x}}", "`code`", "#tag", "---", "...",
     "Reference: https://example.com", "front: a", "back: b", "kind: cloze", "[[link]]", "![[image.png]]", "^block",
     "\x1b[2J", "\t", " ", "한국어", "e\u0301", "🚀"]
)
MARKDOWN_LINE = st.lists(st.one_of(MARKDOWN_PIECES, NASTY_TEXT), max_size=6).map("".join)
MARKDOWN = st.tuples(st.lists(MARKDOWN_LINE, max_size=25), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda parts: parts[1].join(parts[0])
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def assert_one_line_problems(deck_problems: tuple[object, ...]) -> None:
    for problem in deck_problems:
        text = str(problem)
        assert "\n" not in text and "\r" not in text, text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=DECK_SHAPE)
def test_any_yaml_shape_gives_cards_or_problems(shape: object) -> None:
    try:
        text = yaml.safe_dump(shape, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return
    deck = parse_yaml_deck(text, "fuzz.yaml")
    assert_one_line_problems(deck.problems)
    for card in deck.cards:
        assert isinstance(card.prompt, str) and isinstance(card.answer, str)
        card.prompt.encode("utf-8")  # storable and printable: no lone surrogates
        card.answer.encode("utf-8")


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=MARKDOWN)
def test_any_markdown_gives_cards_or_problems(text: str) -> None:
    deck = parse_markdown(text, "fuzz.md")
    assert_one_line_problems(deck.problems)
    for card in deck.cards:
        assert "\r" not in card.prompt + card.answer


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".md", ".yaml"]))
def test_any_bytes_in_a_deck_file(scratch: Path, data: bytes, suffix: str) -> None:
    path = scratch / f"fuzz{suffix}"
    path.write_bytes(data)
    deck = load_deck_file(path)
    assert_one_line_problems(deck.problems)
    assert all(problem.path == str(path) for problem in deck.problems)


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_as_yaml_escapes(text: str) -> None:
    """Double-quoted YAML escapes (`\\ud800`, `\\x1b`) reach the parser as any code point."""
    escaped = "".join(f"\\U{ord(character):08x}" for character in text)
    deck = parse_yaml_deck(f'cards:\n  - {{front: "{escaped}", back: b}}\n', "escapes.yaml")
    assert_one_line_problems(deck.problems)
    for card in deck.cards:
        card.prompt.encode("utf-8")
