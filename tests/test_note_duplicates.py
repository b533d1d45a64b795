"""A card two notes both make is reported once, naming both places."""

from __future__ import annotations

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
