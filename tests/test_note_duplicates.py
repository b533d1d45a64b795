"""A card two notes both make is reported once, naming both places."""

from __future__ import annotations

import os
from pathlib import Path

from ckaquiz.collection import Collection


def write_vault(root: Path) -> Path:
    vault = root / "dupes"
    (vault / "Daily").mkdir(parents=True)
    (vault / "Exercises").mkdir()
    (vault / "Daily" / "2026-02-01.md").write_text(
        "# 공부 메모장\nWhich component runs static pods?::the kubelet\n\n"
        "## Drain ^drain-node\nEvicts pods before maintenance.\n",
        encoding="utf-8",
    )
    (vault / "Exercises" / "nodes.md").write_text(
        "# Nodes\n\nWhich component runs static pods?::the kubelet\n", encoding="utf-8"
    )
    drain = "# Drain\n\n## Drain again ^drain-node\nCordon, then evict.\n"
    (vault / "Exercises" / "drain.md").write_text(drain, encoding="utf-8")
    return vault


def test_same_card_and_same_id_in_two_notes_warn_once_naming_both_places(
    collection: Collection, tmp_path: Path
) -> None:
    vault = write_vault(tmp_path)
    daily, exercise = vault / "Daily" / "2026-02-01.md", vault / "Exercises" / "nodes.md"
    drain = vault / "Exercises" / "drain.md"
    _, report = collection.import_path(vault)
    same_card = [problem for problem in report.problems if "the same basic card" in problem]
    assert same_card == [f"{exercise}:3: the same basic card as {daily}:2 ('Which component runs static pods?')"]
    same_id = [problem for problem in report.problems if "duplicate id" in problem]
    assert len(same_id) == 1 and same_id[0].startswith(f"{drain}:3: ") and f"{daily}:4" in same_id[0]
    assert len(report.problems) == 2
    # Read again: the same two warnings, still once each; no card was added twice.
    again = collection.refresh()
    assert sorted(again.problems) == sorted(report.problems)


def test_different_cards_give_no_warning(collection: Collection, tmp_path: Path) -> None:
    vault = write_vault(tmp_path)
    (vault / "Exercises" / "nodes.md").write_text("# Nodes\nWhich component runs static pods?::kubelet\n", "utf-8")
    (vault / "Exercises" / "drain.md").unlink()
    _, report = collection.import_path(vault)
    assert report.problems == []


def test_check_names_both_files_of_an_id_given_twice(tmp_path: Path) -> None:
    from ckaquiz.catalog import check_decks
    from ckaquiz.importing import source_decks, transient_source

    vault = write_vault(tmp_path)
    _, problems = check_decks(source_decks(transient_source(vault), problems=[]))
    daily = vault / "Daily" / "2026-02-01.md"
    assert [str(problem) for problem in problems if "duplicate id" in problem.message] == [
        f"{vault / 'Exercises' / 'drain.md'}:3: duplicate id 'dupes:drain-node' (first at {daily}:4)"
    ]


_POOL = [f"Which object does task {number} need?::answer {number % 3}" for number in range(7)]


def _recounted(collection: Collection, source_id: int) -> list[str]:
    """The duplicate warnings counted from scratch, as the first import of these files would (a reference:
    the same rule written out again, over every live card of the source)."""
    rows = collection.store.connection.execute(
        "SELECT kind, prompt, answer, source_path, source_line FROM cards WHERE source_id = ? AND active = 1"
        " AND source_path NOT IN (SELECT path FROM files WHERE source_id = ? AND problems != '[]')",
        (source_id, source_id),
    )
    places: dict[tuple[str, str, str], dict[str, int]] = {}
    for kind, prompt, answer, path, line in rows:
        lines = places.setdefault((kind, prompt, answer), {})
        lines[path] = min(line, lines.get(path, line))
    warnings = []
    for (kind, prompt, _), lines in places.items():
        (first, first_line), *later = sorted(lines.items())
        warnings += [f"{path}:{line}: the same {kind} card as {first}:{first_line} ({prompt!r})" for path, line in later]
    return sorted(warnings)


def test_warnings_found_again_for_the_changed_files_only_equal_a_count_from_scratch(
    collection: Collection, tmp_path: Path
) -> None:
    """Forty rescans, each after a few notes were rewritten, removed or added (one with a problem of its
    own now and then): the warnings found again for those files alone always equal a count of every card."""
    import random

    vault = tmp_path / "pool"
    vault.mkdir()
    draw = random.Random(20250319)
    clock = [1_700_000_000]

    def write(name: str) -> None:
        cards = draw.sample(_POOL, draw.randint(0, 4))
        broken = "---\ntags: [unclosed\n---\n" if draw.random() < 0.1 else ""
        path = vault / f"{name}.md"
        path.write_text(broken + f"# {name}\n\n" + "\n".join(cards) + "\n", encoding="utf-8")
        clock[0] += 10
        os.utime(path, (clock[0], clock[0]))

    names = [f"note-{index:02d}" for index in range(12)]
    for name in names:
        write(name)
    source, report = collection.import_path(vault)
    seen_groups = 0
    for _ in range(40):
        for _ in range(draw.randint(1, 3)):
            roll, name = draw.random(), draw.choice(names)
            path = vault / f"{name}.md"
            if roll < 0.2 and path.exists():
                path.unlink()
            else:
                write(name)
        report = collection.refresh()
        shown = sorted(problem for problem in report.problems if "the same basic card" in problem)
        expected = _recounted(collection, source.id)
        assert shown == expected
        seen_groups += bool(expected)
    assert seen_groups > 30  # duplicates were there to find most of the time


def test_a_card_written_again_where_it_was_moved_from_leaves_the_moved_card_alone(
    collection: Collection, tmp_path: Path
) -> None:
    """A card moved from a.md to b.md keeps its history in b.md; written in a.md again while b.md is
    unchanged, it is a new card of a.md, and b.md's card stays where it is (it used to move back)."""
    vault = tmp_path / "moves"
    vault.mkdir()
    a, b = vault / "a.md", vault / "b.md"
    card = "Which component runs static pods?::the kubelet"
    stamp = [1_700_000_000]

    def write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        stamp[0] += 10
        os.utime(path, (stamp[0], stamp[0]))

    write(a, f"# A\n\n{card}\n")
    write(b, "# B\n\nnothing yet\n")
    source, _ = collection.import_path(vault)
    connection = collection.store.connection

    def live() -> dict[str, str]:
        rows = connection.execute(
            "SELECT source_path, id FROM cards WHERE source_id = ? AND kind = 'basic' AND active = 1", (source.id,)
        )
        return {str(path): str(card_id) for path, card_id in rows}

    original = live()[str(a)]
    write(a, "# A\n\nmoved away\n")
    collection.refresh()
    write(b, f"# B\n\n{card}\n")
    collection.refresh()
    assert live() == {str(b): original}  # the move kept the card's id, and with it its history
    write(a, f"# A\n\n{card}\n")
    report = collection.refresh()
    cards = live()
    assert cards[str(b)] == original
    assert str(a) in cards and cards[str(a)] != original
    assert [problem for problem in report.problems if "the same basic card" in problem] == [
        f"{b}:3: the same basic card as {a}:3 ('Which component runs static pods?')"
    ]
    collection.refresh()  # nothing changed: the same cards
    assert live() == cards
