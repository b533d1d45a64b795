"""Every shortcut taken for speed gives exactly what the plain way gives.

The plain ways are written out here as the reference: fingerprints, ids, frontmatter, the
walk of a vault, the first import of a source, reading in worker processes, card filters,
today's queue, the `cards --json` text and typer's coercion of option values.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path, PurePath
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ckaquiz.catalog import matching_cards
from ckaquiz.collection import Collection
from ckaquiz.decks import inline, markdown
from ckaquiz.decks.filenames import file_name, split_suffix
from ckaquiz.decks.identity import IdAllocator, derived_id
from ckaquiz.decks.keypoints import key_points
from ckaquiz.decks.loader import DECK_SUFFIXES, NOT_DECKS, is_deck_file, is_deck_name
from ckaquiz.decks.obsidian import walk_note_paths, walk_notes
from ckaquiz.file_access import RefusedFile, read_regular_file
from ckaquiz.filters import Filters
from ckaquiz.json_output import Streamed, indented_json, write_json, write_records_json
from ckaquiz.markup import readable
from ckaquiz.model import Card, CardKind, CardState, Rating, SourceLocation
from ckaquiz.new_order import domain_of, introduce
from ckaquiz.printable import escape_json_controls
from ckaquiz.records import card_record
from ckaquiz.session import Mode, Session
from ckaquiz.store import CardSummary, Store, StoredCard, content_hash, staging, studied_since
from ckaquiz.yaml_nodes import construct
from tests.conftest import FIXTURES, FrozenClock

VAULT = FIXTURES / "vault"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(VAULT, copy)
    return copy


def full_card(**changes: Any) -> Card:
    card = Card(
        id="deck:abc",
        deck="deck",
        kind=CardKind.RECALL,
        prompt="Taints › 효과",
        answer="- NoExecute evicts\n| a | b |",
        source=SourceLocation("notes/taints.md", 7),
        tags=("cka", "한국어/태그"),
        key_points=("NoExecute evicts", "a · b"),
        sibling_key="deck:abc",
        explanation="why",
        reference="https://kubernetes.io/",
        fields={"note": "notes/taints.md", "note_date": "2025-03-19", "sr": {"due": "2025-03-25", "ease": 250}},
    )
    return dataclasses.replace(card, **changes)


# parsing -----------------------------------------------------------------------------------------------


def test_content_hash_is_the_sha1_of_the_cards_sorted_json() -> None:
    for card in (full_card(), full_card(fields={}, tags=(), key_points=()), full_card(kind=CardKind.CLOZE)):
        payload = json.dumps(card.to_dict() | {"source": None}, sort_keys=True, ensure_ascii=False)
        assert content_hash(card) == hashlib.sha1(payload.encode("utf-8")).hexdigest()


texts = st.text(alphabet=st.sampled_from('a"\\\n\t\u2028\x01é한😀 {}[]:,'), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    prompt=texts,
    answer=texts,
    tags=st.lists(texts, max_size=3),
    points=st.lists(texts, max_size=3),
    fields=st.dictionaries(texts, st.none() | st.integers() | texts | st.lists(texts, max_size=2), max_size=3),
)
def test_any_cards_hash_is_the_sha1_of_its_sorted_json(
    prompt: str, answer: str, tags: list[str], points: list[str], fields: dict[str, Any]
) -> None:
    card = full_card(prompt=prompt, answer=answer, tags=tuple(tags), key_points=tuple(points), fields=fields)
    payload = json.dumps(card.to_dict() | {"source": None}, sort_keys=True, ensure_ascii=False)
    assert content_hash(card) == hashlib.sha1(payload.encode("utf-8")).hexdigest()


def test_with_note_is_replace() -> None:
    card = full_card()
    fields = card.fields | {"note": "other.md"}
    assert markdown.with_note(card, fields=fields) == dataclasses.replace(card, fields=fields)
    names = {field.name for field in dataclasses.fields(Card)}
    assert names == set(card.to_dict()), "with_note must copy every field of Card"


@settings(max_examples=300, deadline=None)
@given(
    scope=st.text(alphabet=st.sampled_from("a Ab ß\u0301e\u1100\u1161\n\t/ş한."), max_size=12),
    bases=st.lists(st.text(alphabet=st.sampled_from("a A ß\u0301\u1100\u1161\n\t?::한"), max_size=10), max_size=4),
)
def test_scoped_ids_are_derived_from_scope_and_basis(scope: str, bases: list[str]) -> None:
    allocator = IdAllocator("Deck 한", scope)
    seen: dict[str, int] = {}
    for basis in bases:
        from ckaquiz.decks.identity import normalise_for_identity

        key = normalise_for_identity(basis)
        seen[key] = seen.get(key, 0) + 1
        scoped = f"{scope}\n{basis}" if scope else basis
        assert allocator.allocate(basis) == derived_id("Deck 한", scoped, occurrence=seen[key])


@pytest.mark.parametrize(
    "text",
    [
        '{"dg-publish":true,"permalink":"/06-full-notes/2025-03-19/","noteIcon":""}',
        "tags: [cka, aws/sqs]\ncreated: 2025-03-19",
        "tags: cka, #aws\ndate: 2025-03-19 10:00:00\nckaquiz: false",
        "deck: d\nreference: https://kubernetes.io/docs/\ncount: 3\nratio: 1.5\nempty:",
        "nested: {a: [1, 2, {b: null}]}\nflag: yes\noctal: 010",
        "key: 'quoted: value'\nother: \"double\"",
    ],
)
def test_plain_frontmatter_reads_as_pyyaml_reads_it(text: str) -> None:
    fast = markdown._simple_frontmatter(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    assert fast == {str(key): value for key, value in construct(node).items()}


_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from("aZ 0:#-,[]{}'\"~?한\u00e9/.\\\t"), max_size=8)
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(value=st.dictionaries(st.text(alphabet=st.sampled_from("ab:- 한"), max_size=5), _JSON_VALUES, max_size=4),
       compact=st.booleans())
def test_json_frontmatter_reads_as_pyyaml_reads_it(value: dict[str, Any], compact: bool) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
    fast = markdown._simple_frontmatter(text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        assert fast is None  # PyYAML cannot read it: the slow path must say so, not the fast one
        return
    assert node is not None
    slow = construct(node)
    if fast is not None:
        assert fast == {str(key): item for key, item in slow.items()}


@pytest.mark.parametrize(
    "text", ["a:\tb", "a: !!python/object x", "a: |\n  block", "a: &x 1\nb: *x", "a: '\\u00e9'", "x" * 5000]
)
def test_frontmatter_that_might_differ_goes_to_pyyaml(text: str) -> None:
    assert markdown._simple_frontmatter(text) is None


@pytest.mark.parametrize(
    "name",
    ["a.md", "A.MD", "a.markdown", "x.yaml", "x.yml", "README.md", "readme.MD", "a.", ".md", "a", "a.b.md", "a.txt",
     "LICENSE.md", "changelog.md", "notes.md.bak", "x..md"],
)
def test_deck_names_as_deck_files(name: str) -> None:
    assert is_deck_name(name) == is_deck_file(Path("folder") / name)
    assert DECK_SUFFIXES and NOT_DECKS


_PATH_PARTS = st.sampled_from(["a", "b.md", ".md", "x.", "..", ".", "a.b.c", "노트 1.md", "", " ", "a..md"])


@given(st.lists(_PATH_PARTS, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_file_names_split_as_pathlib_splits_them(parts: list[str], absolute: bool, trailing: bool) -> None:
    path = ("/" if absolute else "") + "/".join(parts) + ("/" if trailing else "")
    pure = PurePath(path)
    if pure.name in {"", ".", ".."} or parts[-1] in {".", ""}:
        return  # pathlib folds a trailing `.` or empty part away: never a file's path
    assert file_name(path) == pure.name
    assert split_suffix(file_name(path)) == (pure.stem, pure.suffix)


def test_a_capped_read_reads_a_file_whole_up_to_its_cap(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes("# 노트\n".encode() * 1000)
    assert read_regular_file(note, limit=10**6) == note.read_bytes()
    assert read_regular_file(note, limit=len(note.read_bytes())) == note.read_bytes()
    with pytest.raises(RefusedFile) as over:
        read_regular_file(note, limit=10)
    assert str(over.value) == "skipped: larger than 10 bytes"
    empty = tmp_path / "empty.md"
    empty.touch()
    assert read_regular_file(empty, limit=100) == b""
    proc = Path("/proc/self/status")
    if proc.exists():  # its stat says it is empty, but it is not: read to its end
        assert read_regular_file(proc, limit=10**6).startswith(b"Name:")
    with pytest.raises(RefusedFile) as folder:
        read_regular_file(tmp_path, limit=100)
    assert str(folder.value) == "refused: a folder, not a regular file"


def test_walking_a_vault_as_text_finds_what_walking_it_as_paths_finds(vault: Path) -> None:
    (vault / "Topics" / "link").symlink_to(vault / "Topics")
    assert [(str(path), relative) for path, relative in walk_notes(vault, ["Templates"])] == list(
        walk_note_paths(vault, ["Templates"])
    )


# storing -------------------------------------------------------------------------------------------------


def table_rows(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    cards = store.connection.execute("SELECT * FROM cards ORDER BY number").fetchall()
    files = store.connection.execute("SELECT * FROM files ORDER BY id").fetchall()
    return [tuple(row) for row in cards], [tuple(row) for row in files]


def import_both_ways(home: Path, clock: FrozenClock, path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The same imports through the first-import shortcut and through sync_source alone."""
    results = []
    for shortcut in (True, False):
        folder = home / ("fast" if shortcut else "plain")
        folder.mkdir(parents=True)
        (folder / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
        with monkeypatch.context() as patch:
            if not shortcut:
                patch.setattr(staging, "add_staged_files", lambda *arguments, **keywords: None)
            collection = Collection.open(folder, clock=clock)
            try:
                reports = [collection.import_path(path)[1] for _ in range(2)]
                results.append((table_rows(collection.store), [dataclasses.asdict(report) for report in reports]))
            finally:
                collection.close()
    return results


def test_a_first_import_stores_what_matching_would(
    tmp_path: Path, clock: FrozenClock, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, plain = import_both_ways(tmp_path / "homes", clock, vault, monkeypatch)
    assert fast == plain
    assert fast[0][0], "the vault gives cards"


def test_a_first_import_whose_id_is_taken_falls_back_to_matching(tmp_path: Path, clock: FrozenClock) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    first, second = tmp_path / "one" / "a.yaml", tmp_path / "two" / "b.yaml"  # both name the deck `shared`
    for path, answer in ((first, "old"), (second, "new")):
        path.parent.mkdir()
        path.write_text(f"deck: shared\ncards:\n  - {{front: q, back: {answer}, id: same}}\n", encoding="utf-8")
    collection = Collection.open(home, clock=clock)
    try:
        collection.import_path(first)
        _, report = collection.import_path(second.parent)  # a new source, yet its card id `shared:same` is taken
        assert (report.counts.new, report.counts.changed, report.files_read) == (0, 1, 1)
        stored = collection.store.card("shared:same")
        assert stored is not None and stored.card.answer == "new"
    finally:
        collection.close()


def test_reading_in_worker_processes_gives_what_reading_here_gives(vault: Path) -> None:
    script = textwrap.dedent(
        f"""
        import pickle, sys
        from pathlib import Path
        from ckaquiz.decks.obsidian import markdown_options, walk_note_paths
        from ckaquiz.reading import FileToRead, ReadJob, reading
        root = Path({str(vault)!r})
        items = [FileToRead(Path(path), path, relative, 0, 0) for path, relative in walk_note_paths(root)] * 20
        results = []
        for prepare in (True, False):
            job = ReadJob(deck_name=None, default_deck="vault", options=markdown_options(root, {{}}), prepare=prepare)
            for workers in (1, 2):
                with reading(job, items, workers=workers) as found:
                    results.append([(item.shown, result) for item, result in found])
        sys.stdout.buffer.write(pickle.dumps(results))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, cwd=ROOT)
    import pickle

    prepared_here, prepared_there, scanned_here, scanned_there = pickle.loads(done.stdout)
    assert prepared_here == prepared_there and prepared_here
    assert scanned_here == scanned_there and scanned_here


# reading cards back ----------------------------------------------------------------------------------------


@pytest.fixture
def studied(collection: Collection, vault: Path, clock: FrozenClock) -> Collection:
    """The fixture vault, some cards answered, one retired."""
    collection.import_path(vault)
    session = Session(collection, mode=Mode.REVIEW, seed=3)
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.HARD, Rating.GOOD):
        if session.next_card() is None:
            break
        session.answer(rating)
    session.finish()
    note = vault / "Topics" / "Taints and tolerations.md"
    note.write_text(note.read_text(encoding="utf-8").replace("NoExecute", "NoSchedule"), encoding="utf-8")
    clock.moment += timedelta(days=3)
    collection.refresh()
    return collection


FILTERS = [
    Filters(),
    Filters(tags=("cka",)),
    Filters(tags=("2025-04*", "aws")),
    Filters(tags=("nothing",)),
    Filters(decks=("vault",)),
    Filters(decks=("VAULT",), tags=("cka",)),
    Filters(since=__import__("datetime").date(2025, 4, 2)),
    Filters(until=__import__("datetime").date(2025, 4, 1), tags=("cka",)),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("retired", [False, True])
def test_filtered_cards_are_the_cards_that_pass_the_filters(
    studied: Collection, filters: Filters, retired: bool
) -> None:
    every = studied.store.cards(decks=filters.decks, include_retired=retired)
    assert matching_cards(studied, filters, include_retired=retired) == [
        stored for stored in every if filters.matches(stored.card)
    ]


def reference_sections(cards: list[StoredCard]) -> dict[int, tuple[tuple[str, int], bool]]:
    """Each card's section, from every card read: the last recall card at or above it in its file."""
    by_file: dict[str, list[StoredCard]] = {}
    for stored in cards:
        by_file.setdefault(stored.card.source.path, []).append(stored)
    found: dict[int, tuple[tuple[str, int], bool]] = {}
    for path, written in by_file.items():
        recall_lines = sorted(stored.card.source.line for stored in written if stored.card.kind is CardKind.RECALL)
        for stored in written:
            above = [line for line in recall_lines if line <= stored.card.source.line]
            if above and stored.card.kind is not CardKind.TASK:
                found[stored.number] = ((path, above[-1]), stored.card.kind is CardKind.RECALL)
    return found


def reference_queue(session: Session, now: Any) -> list[int]:
    """Today's queue as it was built before summaries: every card read, then filtered; sections and
    the weakness of each domain found from every card read (the new cards' order is `introduce`'s)."""
    store, filters, settings = session.store, session.filters, session.collection.settings

    def matching(cards: list[StoredCard]) -> list[StoredCard]:
        return [stored for stored in cards if filters.matches(stored.card)]

    if session.mode is Mode.REVIEW:
        cards = matching(store.cards(decks=filters.decks, order="due"))
        cards.sort(key=lambda stored: (stored.schedule.due is None, stored.schedule.due or now, stored.number))
        return [stored.number for stored in cards]
    day_start = session.collection.study_day_start()
    new_today, reviews_today, siblings_today = studied_since(store, day_start)
    learning = matching(
        store.cards(decks=filters.decks, states=(CardState.LEARNING, CardState.RELEARNING), due_before=now, order="due")
    )
    reviews = matching(
        store.cards(decks=filters.decks, states=(CardState.REVIEW,), due_before=day_start + timedelta(days=1), order="due")
    )
    new_cards = matching(store.cards(decks=filters.decks, states=(CardState.NEW,)))
    queue = [stored.number for stored in learning]
    taken: set[str] = set()
    section_of = reference_sections(store.cards())
    number_of = {stored.card.id: stored.number for stored in store.cards(include_retired=True)}
    sides: dict[bool, set[tuple[str, int]]] = {True: set(), False: set()}  # recall side, other side
    for review in store.reviews(since=day_start):
        if (section := section_of.get(number_of[review.card_id])) is not None:
            sides[section[1]].add(section[0])
    for number in queue:
        if (section := section_of.get(number)) is not None:
            sides[section[1]].add(section[0])

    def admit(number: int, key: str) -> bool:
        if key and (key in taken or key in siblings_today):
            return False
        section = section_of.get(number)
        if section is not None:
            if section[0] in sides[not section[1]]:
                return False
            sides[section[1]].add(section[0])
        taken.add(key) if key else None
        return True

    room = settings.reviews_per_day - reviews_today
    for stored in reviews:
        if room <= 0:
            break
        if admit(stored.number, stored.card.sibling_key):
            queue.append(stored.number)
            room -= 1
    summaries = [
        CardSummary(stored.number, stored.card.deck, stored.card.tags, stored.card.sibling_key, CardState.NEW, None, True)
        for stored in new_cards
    ]
    lapses: dict[str, list[int]] = {}
    for stored in store.cards(states=(CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING)):
        counted = lapses.setdefault(domain_of(stored.card.tags), [0, 0])
        counted[0] += stored.schedule.lapses
        counted[1] += stored.schedule.reps
    queue += introduce(
        summaries,
        settings.new_order,
        day=day_start.date(),
        admit=lambda card: admit(card.number, card.sibling_key),
        room=settings.new_per_day - new_today,
        weakness={domain: min(1.0, counted[0] / counted[1]) for domain, counted in lapses.items() if counted[1]},
    )
    return queue


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("mode", [Mode.STUDY, Mode.REVIEW])
def test_todays_queue_is_the_queue_of_every_card_read(
    studied: Collection, filters: Filters, mode: Mode, clock: FrozenClock
) -> None:
    session = Session(studied, filters, mode=mode)
    session.start()
    assert session._queue == reference_queue(session, clock.moment)
    upcoming = [
        stored.schedule.due
        for stored in studied.store.cards(decks=filters.decks)
        if filters.matches(stored.card) and stored.schedule.due is not None and stored.schedule.due > clock.moment
    ]
    assert session.finish().next_due == (min(upcoming) if upcoming else None)


def test_cards_json_is_json_dumps_of_the_records(studied: Collection) -> None:
    import io

    cards = studied.store.cards(include_retired=True)
    written = io.StringIO()
    write_records_json((card_record(stored) for stored in cards), written)
    assert written.getvalue() == json.dumps([card_record(stored) for stored in cards], ensure_ascii=False, indent=1) + "\n"
    empty = io.StringIO()
    write_records_json([], empty)
    assert empty.getvalue() == "[]\n"


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_records_read_off_rows_are_the_records_of_the_cards(studied: Collection, filters: Filters) -> None:
    from ckaquiz.catalog import iter_matching_records
    from ckaquiz.store import CARD_COLUMNS

    assert CARD_COLUMNS[:3] == ("number", "id", "deck") and len(CARD_COLUMNS) == 23  # as record_of_row unpacks
    for retired in (False, True):
        expected = [card_record(stored) for stored in matching_cards(studied, filters, include_retired=retired)]
        assert list(iter_matching_records(studied, filters, include_retired=retired)) == expected
    if not filters.tags:
        assert any(record["due"] for record in expected), "some cards have a due time to copy"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=5) | st.integers() | st.none(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_indented_json_is_json_dumps(value: Any) -> None:
    expected = escape_json_controls(json.dumps(value, ensure_ascii=False, indent=1))  # C1 escaped, as --json is
    assert indented_json(value) == expected
    assert indented_json(value, "  ") == expected.replace("\n", "\n  ")
    assert not any("\x7f" <= character <= "\x9f" for character in expected)


def _streamed(value: Any, depth: int = 0) -> Any:
    """The value with every list that holds something made lazily, as `write_json` must write it."""
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            return value  # written by json's own rules, as a whole
        return {key: _streamed(item, depth + 1) for key, item in value.items()}
    if type(value) is list:
        items = [_streamed(item, depth + 1) for item in value]
        return Streamed(item for item in items) if depth % 2 == 0 else items
    return value


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_write_json_with_streamed_lists_is_json_dumps(value: Any) -> None:
    expected = escape_json_controls(json.dumps(value, ensure_ascii=False, indent=1))
    for prefix in ("", "  "):
        written = io.StringIO()
        write_json(_streamed(value), written, prefix)
        assert written.getvalue() == expected.replace("\n", "\n" + prefix)


# the command line ---------------------------------------------------------------------------------------------


def test_quick_commands_start_without_pydantic(isolated_home: Path, tmp_path: Path) -> None:
    script = (
        "import sys\nfrom ckaquiz.cli import main\n"
        "for arguments in (['decks'], ['cards', '--tag', 'cka', '--json'], ['import', sys.argv[1]]):\n"
        "    main(arguments)\n"
        "print('pydantic' in sys.modules)\n"
    )
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ntags: [cka]\ncards:\n  - {front: q, back: a}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script, str(deck)], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        ("str", "text"),
        ("str", None),
        ("list[str]", ("a", "b")),
        ("list[str]", ()),
        ("Path", "missing/file.md"),
        ("Path", "."),
        ("list[Path]", (".", "nowhere")),
        ("int", None),
    ],
)
def test_typer_shortcuts_give_typers_own_values(annotation: str, value: Any) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from typing import Optional
        import typer
        from typer.core import _TyperParameter
        from ckaquiz.cli.startup import _NO_SHORTCUT, unchanged_value
        app = typer.Typer()
        seen = {{}}
        @app.command()
        def main(value: Optional[{annotation}] = None) -> None:
            seen["typer"] = value
        command = typer.main.get_command(app)
        parameter = next(p for p in command.params if p.name == "value")
        context = command.make_context("main", [])
        own = parameter.get_runtime_param().coerce({value!r}, param=parameter, ctx=context)
        short = unchanged_value(parameter, {value!r})
        print(repr(own), "|", repr(short) if short is not _NO_SHORTCUT else "no shortcut")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    own, short = done.stdout.strip().split(" | ")
    assert short in (own, "no shortcut"), done.stderr
    if value is None or annotation in ("str", "list[str]"):
        assert short == own


def test_the_shortcut_leaves_an_unreadable_path_to_typer(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from ckaquiz.cli.startup import _NO_SHORTCUT, _plain_path

    defaults = SimpleNamespace(
        exists=False, file_okay=True, dir_okay=True, writable=False, readable=True, resolve_path=False,
        allow_dash=False, path_type=None,
    )
    assert _plain_path(defaults, str(tmp_path)) == tmp_path
    assert _plain_path(SimpleNamespace(**{**vars(defaults), "exists": True}), str(tmp_path)) is _NO_SHORTCUT
    assert _plain_path(defaults, "a\x00b") is _NO_SHORTCUT


def test_store_summaries_read_through_the_summary_index(studied: Collection) -> None:
    plan = studied.store.connection.execute(
        "EXPLAIN QUERY PLAN SELECT number, deck, tags, sibling_key, state, due, active FROM cards WHERE active = 1"
    ).fetchall()
    assert any("COVERING INDEX cards_summary" in str(tuple(row)) for row in plan)
    assert isinstance(studied.store.connection, sqlite3.Connection)


_STAGING_SCRIPT = """
import json, sqlite3, sys
from datetime import UTC, datetime
from pathlib import Path
import ckaquiz.reading as reading
import ckaquiz.store as staging  # the import looks the staging functions up here
from ckaquiz.collection import Collection
from tests.conftest import FrozenClock

vault, homes = Path(sys.argv[1]), Path(sys.argv[2])
staged_calls = []
real_add = staging.add_staged_files

def counting_add(*arguments, **keywords):
    counts = real_add(*arguments, **keywords)
    staged_calls.append(counts is not None)
    return counts

results = {}
for way, minimum in (("staged", 1), ("here", 10**9)):
    reading.PARALLEL_MINIMUM_FILES = reading.PARALLEL_MINIMUM_BYTES = minimum
    staging.add_staged_files = counting_add if way == "staged" else real_add  # count the workers' way only
    home = homes / way
    home.mkdir(parents=True)
    (home / "config.toml").write_text("enable_fuzzing = false\\nbuiltin_decks = false\\n", encoding="utf-8")
    collection = Collection.open(home, clock=FrozenClock(datetime(2025, 3, 19, 12, 0, tzinfo=UTC)))
    report = collection.import_path(vault)[1]
    collection.close()
    connection = sqlite3.connect(home / "ckaquiz.db")
    cards = connection.execute("SELECT * FROM cards ORDER BY number").fetchall()
    files = connection.execute("SELECT * FROM files ORDER BY id").fetchall()
    leftovers = sorted(path.name for path in home.iterdir() if path.name.startswith(".ckaquiz-import"))
    results[way] = {"cards": cards, "files": files, "new": report.counts.new, "changed": report.counts.changed,
                    "read": report.files_read, "leftovers": leftovers}
print(json.dumps({"results": results, "staged_calls": staged_calls}))
"""


def import_staged_and_here(vault: Path, homes: Path) -> dict[str, Any]:
    """Import a vault in a fresh process twice: rows staged by two workers, and staged by this process."""
    done = subprocess.run(
        [sys.executable, "-c", _STAGING_SCRIPT, str(vault), str(homes)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_a_first_import_staged_by_workers_stores_what_reading_here_stores(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import vault as bench_vault
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bench_vault.write_vault(tmp_path / "vault", 60, seed=7)
    found = import_staged_and_here(tmp_path / "vault", tmp_path / "homes")
    staged, here = found["results"]["staged"], found["results"]["here"]
    assert found["staged_calls"] == [True], "the staged import ran and stored the vault"
    assert staged == here
    assert staged["new"] == len(staged["cards"]) > 500 and staged["read"] == len(staged["files"]) > 60
    assert staged["leftovers"] == []


def test_a_staged_import_whose_id_is_taken_twice_falls_back_to_matching(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    for index in range(40):
        folder = vault / f"folder-{index}"
        folder.mkdir(parents=True)
        (folder / "note.md").write_text(
            f"# Topic {index}\n- point {index}\n\nQuestion {index}::Answer {index} ^same\n", encoding="utf-8"
        )
    found = import_staged_and_here(vault, tmp_path / "homes")
    staged, here = found["results"]["staged"], found["results"]["here"]
    assert found["staged_calls"] == [False], "the block id `same` in every note cannot be stored as new cards"
    assert staged == here
    assert staged["leftovers"] == []
    assert len(staged["cards"]) == 41  # 40 recall cards and the one `same` card, matched as it changes


def test_scratch_folders_of_killed_imports_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    from ckaquiz.store.staging import SCRATCH_PREFIX, remove_abandoned_scratch

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, alive = int(finished.stdout), os.getpid()
    for name in (f"{SCRATCH_PREFIX}{dead}-x1", f"{SCRATCH_PREFIX}{alive}-x2", f"{SCRATCH_PREFIX}odd", "notes"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "chunk-000.db").write_bytes(b"scratch")
    remove_abandoned_scratch(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"{SCRATCH_PREFIX}{alive}-x2",
        f"{SCRATCH_PREFIX}odd",
        "notes",
    ]


_LINE_PIECES = st.sampled_from(
    ["a", "Z", "한", "ß", "1", "²", " ", "\t", "\u3000", "-", "* ", "+ ", "- ", "#", "[", "]", "[[", "](", "^",
     "==", "**", "{{", "}}", "::", "?", "??", "http://x.y", "https://", "HTTP://", ":", "|", ">", "_", "`", "~",
     "reference:", "REFERENCE: ", "https://k8s.io/a"]
)


@settings(max_examples=2000, deadline=None)
@given(pieces=st.lists(_LINE_PIECES, max_size=8))
def test_a_plain_line_is_a_study_line_whose_point_is_its_text(pieces: list[str]) -> None:
    line = "".join(pieces).rstrip()
    plain = markdown._PLAIN_POINT.fullmatch(line)
    if plain is None:
        return
    assert markdown._is_study_line(markdown._Line(1, line, line, line))
    styles = markdown.MarkdownOptions(cloze_styles=("highlight", "bold", "curly"))
    assert [inline.strip_cloze_markup(readable(point), styles) for point in key_points([line])] == [
        plain.group(1)
    ]
    assert key_points([plain.group(1)]) == [plain.group(1)]


@settings(max_examples=1000, deadline=None)
@given(
    lines=st.lists(st.lists(_LINE_PIECES, max_size=4).map("".join), max_size=6),
    separators=st.sampled_from([("?", "??"), ("+", "++"), ("::", ":::"), ("%%", "%")]),
)
def test_section_text_lookups_find_every_line_the_line_rules_find(
    lines: list[str], separators: tuple[str, str]
) -> None:
    options = markdown.MarkdownOptions(
        multiline_separator=separators[0],
        multiline_reverse_separator=separators[1],
        single_separator=separators[0],
        double_separator=separators[1],
    )
    text = "\n".join(lines)
    has_separator_line = any(line.strip() in separators for line in lines)
    found = inline.separator_lines(*separators).search(f"\n{text}")
    assert (found is not None) == has_separator_line
    if any(markdown._REFERENCE.match(line) for line in lines):
        assert markdown._REFERENCE_LINE.search(f"\n{text}")
    probe = inline.split_probe(*separators)
    for line in lines:
        if inline.inline_split(line, options) is not None:
            assert inline.may_split(text, options)
            assert probe is None or probe in line


@settings(max_examples=500, deadline=None)
@given(fields=st.dictionaries(st.text(max_size=6), st.text(max_size=8), max_size=4))
def test_text_fields_are_written_as_json_writes_them(fields: dict[str, str]) -> None:
    from ckaquiz.store.rows import _fields_json

    expected = (json.dumps(fields, ensure_ascii=False), json.dumps(fields, ensure_ascii=False, sort_keys=True))
    assert _fields_json(fields, {}) == expected
    assert _fields_json(fields, None) == expected


@pytest.mark.parametrize("filters", FILTERS)
def test_deck_counts_made_in_sql_are_the_counts_of_the_matching_cards(studied: Collection, filters: Filters) -> None:
    from ckaquiz.catalog import DeckRow, deck_rows
    from ckaquiz.model import CardState

    now = studied.now()
    day_end = studied.study_day_start() + timedelta(days=1)
    expected: dict[str, list[int]] = {}
    for stored in matching_cards(studied, filters):
        card, schedule = stored.card, stored.schedule
        counts = expected.setdefault(card.deck, [0, 0, 0, 0])
        counts[0] += 1
        learning = schedule.state in (CardState.LEARNING, CardState.RELEARNING)
        counts[1] += schedule.state is CardState.NEW
        counts[2] += learning
        if schedule.due is not None and (schedule.due <= now if learning else schedule.state is CardState.REVIEW and schedule.due < day_end):
            counts[3] += 1
    assert deck_rows(studied, filters) == [DeckRow(name, *counts) for name, counts in sorted(expected.items())]
    if filters == Filters():
        assert any(row.learning for row in deck_rows(studied, filters)), "the fixture has learning cards to count"
