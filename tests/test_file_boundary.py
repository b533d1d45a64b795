"""One bad note never breaks the tool: each failure once reported, with its exact input.

A file that cannot be read is one warning naming it; its cards stay as they were; every other
file and every command go on. Parsers give a line where they can. Settings files are read only
as regular files inside their folder, without blocking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ckaquiz.decks.delimited import parse_delimited
from ckaquiz.decks.markdown import parse_markdown
from ckaquiz.decks.yaml_deck import parse_yaml_deck
from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home

NOW = {"CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}
PLUGIN_SETTINGS = Path(".obsidian") / "plugins" / "obsidian-spaced-repetition" / "data.json"

# The values PyYAML's safe constructor cannot build, each with the line a reader needs.
UNBUILDABLE = [
    ("2025-02-30", "invalid date '2025-02-30'"),
    ("2025-13-01", "invalid date '2025-13-01'"),
    ("!!bool maybe", "invalid true/false value 'maybe'"),
    ("!!int ''", "invalid whole number ''"),
    ("!!float abc", "invalid number 'abc'"),
    ("1" + "0" * 4400, "invalid whole number: 4401 characters long (at most 4300 digits)"),
]


@pytest.mark.parametrize(("value", "message"), UNBUILDABLE)
def test_unbuildable_values_in_frontmatter_are_a_problem_and_the_note_still_loads(value: str, message: str) -> None:
    deck = parse_markdown(f"---\ndate: {value}\n---\n# Pods\n- a point\nWhat runs containers?::a pod\n", "n.md")
    assert [str(problem) for problem in deck.problems] == [f"n.md:2: frontmatter: {message}"]
    assert {card.prompt for card in deck.cards} == {"Pods", "What runs containers?"}


@pytest.mark.parametrize(("value", "message"), UNBUILDABLE)
def test_unbuildable_values_in_a_card_block_refuse_that_block_alone(value: str, message: str) -> None:
    text = f"# Pods\n- a point\n```card\nfront: q\nback: {value}\n```\nWhat runs containers?::a pod\n"
    deck = parse_markdown(text, "n.md")
    assert [str(problem) for problem in deck.problems] == [f"n.md:5: {message}"]
    assert "What runs containers?" in {card.prompt for card in deck.cards}


@pytest.mark.parametrize(("value", "message"), UNBUILDABLE)
def test_unbuildable_values_in_a_yaml_deck_are_one_problem_with_the_line(value: str, message: str) -> None:
    deck = parse_yaml_deck(f"deck: d\ncards:\n  - front: q\n    back: a\n  - front: r\n    back: {value}\n", "d.yaml")
    assert [str(problem) for problem in deck.problems] == [f"d.yaml:6: {message}"]
    assert deck.unread  # nothing of the file is read: a scan keeps the cards it gave before


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("!2025-03-25,99999999999999,250", "interval of 99999999999999 days (at most 36500)"),
        ("!0001-01-01,3,250", "due date 0001-01-01 is outside the years 1970-2999"),
        ("!9999-12-31,3,250", "due date 9999-12-31 is outside the years 1970-2999"),
    ],
)
def test_impossible_scheduling_comments_are_ignored_with_a_problem(comment: str, message: str) -> None:
    deck = parse_markdown(f"# T\nWhat is a pod?:::the smallest unit\n<!--SR:{comment}!2025-03-25,3,250-->\n", "n.md")
    assert [str(problem) for problem in deck.problems] == [f"n.md:3: scheduling comment ignored: {message}"]
    forward, backward = (card for card in deck.cards if card.prompt != "T")
    assert "sr" not in forward.fields  # the impossible entry is dropped; its sibling keeps its own
    assert backward.fields["sr"] == {"due": "2025-03-25", "interval": 3.0, "ease": 250.0}


def test_an_impossible_scheduling_comment_imports_as_a_new_card(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "note.md").write_text("# T\nWhat is a pod?::a group\n<!--SR:!2025-03-25,99999999999999,250-->\n", "utf-8")
    imported = run_cli("import", str(vault), env=NOW)
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == (
        f"warning: {vault}/note.md:3: scheduling comment ignored: interval of 99999999999999 days (at most 36500)\n"
    )
    cards = json.loads(run_cli("cards", "--json", env=NOW).stdout)
    assert [card["state"] for card in cards if card["prompt"] == "What is a pod?"] == ["new"]


@pytest.mark.parametrize("number", ["²", "①", "9" * 5000])
def test_csv_header_column_numbers_that_are_not_numbers(number: str) -> None:
    deck = parse_delimited(f"#separator:tab\n#tags column:{number}\nq\ta\tt\n", "d.txt", deck_name=None)
    assert [problem.message for problem in deck.problems] == [
        f"#tags column: expected a column number from 1 to 100, got {number[:20]!r}"
    ]
    assert [card.prompt for card in deck.cards] == ["q"]


def test_a_manifest_answer_that_contains_itself_is_refused_by_check(tmp_path: Path) -> None:
    deck = tmp_path / "manifests.yaml"
    deck.write_text(
        "cards:\n  - kind: manifest\n    question: A pod\n    answer: |\n      kind: Pod\n      spec: &s\n"
        "        containers: *s\n",
        "utf-8",
    )
    checked = run_cli("check", str(deck))
    assert checked.returncode == 1
    assert checked.stdout == (
        f"{deck}:4: the expected manifest is refused: a YAML alias that contains itself (answer line 2)\n"
    )


# a whole source: the other files and every command go on, the bad file's cards stay --------------------


def commands_all_work(tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    """The commands that rescan the sources first, each of which a bad note used to crash."""
    results = [
        run_cli("study", "--plain", input_text="x\n3\n", env=NOW),
        run_cli("stats", "--json", env=NOW),
        run_cli("cards", "--json", env=NOW),
        run_cli("decks", env=NOW),
        run_cli("export", "json", str(tmp_path / "export.json"), "--force", env=NOW),
    ]
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    return results


def test_a_deck_that_turns_unreadable_keeps_its_cards_and_history(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "pods.yaml"
    good = "deck: pods\ncards:\n  - front: What runs containers?\n    back: a pod\n    id: one\n"
    deck.write_text(good, "utf-8")
    (folder / "other.md").write_text("---\ndeck: other\n---\n# Other\nAnother question::another answer\n", "utf-8")
    assert run_cli("import", str(folder), env=NOW).returncode == 0
    assert run_cli("review", "--plain", "--deck", "pods", input_text="a pod\n3\n", env=NOW).returncode == 0

    deck.write_text(good + "  - front: When?\n    back: 2025-02-30\n", "utf-8")
    results = commands_all_work(tmp_path)
    warning = f"warning: {deck}:7: invalid date '2025-02-30'"
    # the first command after the change warns, the others do not (once per change of the file); check shows it
    assert results[0].stderr.splitlines() == [warning], results[0].stderr
    assert all(result.stderr == "" for result in results[1:]), [r.stderr for r in results]
    assert warning.removeprefix("warning: ") in run_cli("check", str(folder), env=NOW).stdout
    cards = {card["id"]: card for card in json.loads(results[2].stdout)}
    assert cards["pods:one"]["active"] and cards["pods:one"]["reps"] == 1  # kept, history and all
    assert any(card["deck"] == "other" for card in cards.values())

    deck.write_text(good, "utf-8")  # fixed: read again, the same card
    fixed = run_cli("cards", "--json", env=NOW)
    assert fixed.stderr == ""
    assert [card["reps"] for card in json.loads(fixed.stdout) if card["id"] == "pods:one"] == [1]


def test_a_file_name_that_is_not_utf8_is_skipped_with_one_line(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    vault = tmp_path / "vault"
    vault.mkdir()
    with open(os.fsencode(vault) + b"/caf\xe9.md", "wb") as handle:
        handle.write(b"# Cafe\nBad name question::answer\n")
    (vault / "good.md").write_text("# Good\nGood question::good answer\n", "utf-8")
    imported = run_cli("import", str(vault), env=NOW)
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == (
        f"warning: {vault}/caf?.md:1: skipped: the file name is not valid UTF-8 (rename the file to read it)\n"
    )
    results = commands_all_work(tmp_path)
    prompts = {card["prompt"] for card in json.loads(results[2].stdout)}
    assert "Good question" in prompts and "Bad name question" not in prompts


def test_loops_of_file_links_are_passed_over(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "a.md").symlink_to(vault / "b.md")
    (vault / "b.md").symlink_to(vault / "a.md")
    (vault / "self.md").symlink_to(vault / "self.md")
    (vault / "good.md").write_text("# Good\nGood question::good answer\n", "utf-8")
    imported = run_cli("import", str(vault), env=NOW)
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    checked = run_cli("check", str(vault))
    assert "Traceback" not in checked.stderr
    results = commands_all_work(tmp_path)
    assert "Good question" in {card["prompt"] for card in json.loads(results[2].stdout)}


# plugin settings and config.toml -----------------------------------------------------------------------


def vault_with_settings(tmp_path: Path) -> tuple[Path, Path]:
    vault = tmp_path / "vault"
    settings = vault / PLUGIN_SETTINGS
    settings.parent.mkdir(parents=True)
    (vault / "note.md").write_text("# T\nVault question@@vault answer\n", "utf-8")
    return vault, settings


def import_vault(vault: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    imported = run_cli("import", str(vault), env=NOW, timeout=30)  # a hang fails here
    assert imported.returncode == 0, imported.stderr
    prompts = [card["prompt"] for card in json.loads(run_cli("cards", "--json", env=NOW).stdout)]
    return imported, prompts


def test_plugin_settings_nested_a_hundred_thousand_deep(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    vault, settings = vault_with_settings(tmp_path)
    settings.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    imported, prompts = import_vault(vault)
    assert imported.stderr == f"warning: {settings}:1: plugin settings not used: refused: nested too deeply\n"
    assert prompts == ["note › T"]  # the defaults: `@@` is no separator


def test_plugin_settings_linked_out_of_the_vault_are_not_followed(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin_home(isolated_home)
    vault, settings = vault_with_settings(tmp_path)
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"settings": {"singleLineCardSeparator": "@@"}}), "utf-8")
    settings.symlink_to(outside)
    imported, prompts = import_vault(vault)
    assert imported.stderr == (
        f"warning: {settings}:1: plugin settings not used: refused: it is a link that leads outside the vault\n"
    )
    assert "Vault question" not in prompts
    settings.unlink()
    (vault / "settings.json").write_bytes(outside.read_bytes())
    settings.symlink_to(vault / "settings.json")  # a link inside the vault is fine
    (vault / "note.md").write_text("# T\nVault question@@vault answer\n\n", "utf-8")
    imported, prompts = import_vault(vault)
    assert imported.stderr == "" and "Vault question" in prompts


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_plugin_settings_that_are_a_pipe_or_a_device_are_refused_at_once(
    isolated_home: Path, tmp_path: Path, kind: str
) -> None:
    no_builtin_home(isolated_home)
    vault, settings = vault_with_settings(tmp_path)
    if kind == "fifo":
        os.mkfifo(settings)
        reason = "refused: a named pipe, not a regular file"
    else:
        (vault / "zero").symlink_to("/dev/zero")
        settings.symlink_to(vault / "zero")  # inside the vault by name, a device in fact
        reason = "refused: it is a link that leads outside the vault"
    imported, prompts = import_vault(vault)
    assert imported.stderr == f"warning: {settings}:1: plugin settings not used: {reason}\n"
    assert prompts == ["note › T"]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside"])
def test_a_config_file_that_is_a_pipe_a_device_or_a_link_out_is_one_line(
    isolated_home: Path, tmp_path: Path, kind: str
) -> None:
    isolated_home.mkdir(parents=True)
    config = isolated_home / "config.toml"
    reason = {
        "fifo": "refused: a named pipe, not a regular file",
        "dev-zero": "refused: it is a link that leads outside the data folder",
        "outside": "refused: it is a link that leads outside the data folder",
    }[kind]
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "dev-zero":
        config.symlink_to("/dev/zero")
    else:
        (tmp_path / "dotfiles.toml").write_text("new_per_day = 5\n", "utf-8")
        config.symlink_to(tmp_path / "dotfiles.toml")
    result = run_cli("decks", timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"error: {config}: {reason}\n"


def test_a_config_file_over_its_size_cap_is_one_line(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    config = isolated_home / "config.toml"
    config.write_text("# " + "x" * (1024 * 1024) + "\n", "utf-8")
    result = run_cli("decks", timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"error: {config}: skipped: larger than 1 MB\n"


def test_a_deck_file_that_is_a_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    checked = subprocess.run(
        [sys.executable, "-m", "ckaquiz", "check", str(pipe)], capture_output=True, text=True, timeout=30, check=False
    )
    assert checked.stdout == f"{pipe}:1: refused: a named pipe, not a regular file\n"


# caps, and the inputs that once took minutes or gigabytes, at their full sizes --------------------------

MEGABYTE = 1024 * 1024
FULL_SIZE = {
    "blank-lines.md": b"# T\nsome point\n" + b"\n" * 100_000,
    "alternating-fences.md": b"# T\n" + b"```\n~~~\n" * 50_000,
    "newlines.md": b"\n" * (5 * MEGABYTE),
    "dashes.md": b"# T\n" + b"-" * (10 * MEGABYTE) + b"\n",
    "options.yaml": (
        b"cards:\n  - kind: choice\n    question: q\n    answer: o0\n    options: ["
        + b", ".join(b"o%d" % index for index in range(1_000_000))
        + b"]\n"
    ),
    "command.yaml": b"cards:\n  - kind: command\n    question: q\n    answer: kubectl get " + b"x" * MEGABYTE + b"\n",
}
FULL_SIZE_PROBLEMS = {
    "blank-lines.md": [],
    # check titles prompts with the note's name, as import does
    "alternating-fences.md": ["1: no recall card for 'alternating-fences › T': 100000 lines (at most 5000)"],
    "newlines.md": ["200001: skipped: 5242881 lines (at most 200000 in one note)"],
    "dashes.md": [],
    "options.yaml": ["5: refused: more than 50000 YAML values"],
    "command.yaml": ["4: a command is 1048588 characters long (at most 20000)"],
}


@pytest.mark.parametrize("name", sorted(FULL_SIZE))
def test_inputs_that_once_hung_are_read_within_budget(tmp_path: Path, name: str) -> None:
    from tests.test_hostile_corpus import assert_healthy, run_measured

    deck = tmp_path / name
    deck.write_bytes(FULL_SIZE[name])
    checked = run_measured("check", str(deck), home=tmp_path / "home", cwd=tmp_path)
    assert_healthy(checked)  # under 5 s of CPU and 300 MB
    assert checked.stdout.splitlines() == [f"{deck}:{line}" for line in FULL_SIZE_PROBLEMS[name]]


def test_a_choice_card_with_too_many_options_is_refused() -> None:
    options = ", ".join(f"o{index}" for index in range(51))
    deck = parse_yaml_deck(
        f"cards:\n  - kind: choice\n    question: q\n    answer: o0\n    options: [{options}]\n", "c.yaml"
    )
    assert [str(problem) for problem in deck.problems] == ["c.yaml:5: a choice card has 51 options (at most 50)"]


def test_a_long_typed_answer_is_refused() -> None:
    answer = "kind: Pod\n" * 2001
    deck = parse_yaml_deck(
        "cards:\n  - kind: manifest\n    question: q\n    answer: " + json.dumps(answer) + "\n", "m.yaml"
    )
    assert [str(problem) for problem in deck.problems] == [
        "m.yaml:4: the answer is 20009 characters long (at most 20000)"
    ]


def test_an_overlong_section_makes_no_recall_card_but_keeps_its_inline_cards() -> None:
    text = "# Long\n" + "a study line\n" * 5001 + "What is a pod?::a group\n"
    deck = parse_markdown(text, "n.md")
    assert [str(problem) for problem in deck.problems] == [
        "n.md:1: no recall card for 'Long': 5002 lines (at most 5000)"
    ]
    assert [card.prompt for card in deck.cards] == ["What is a pod?"]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("# T", 1),
        ("###### T", 6),
        ("####### T", 0),
        ("#T", 0),
        ("# ", 1),
        ("#", 0),
        ("##\tT ##", 2),
        ("#" + " " * 2000 + "x", 1),
    ],
)
def test_heading_levels_are_counted(line: str, level: int) -> None:
    from ckaquiz.decks.markdown import heading_level

    assert heading_level(line) == level


def test_a_heading_of_many_spaces_and_a_line_of_unclosed_scheduling_comments() -> None:
    deck = parse_markdown("# h" + " " * 2000 + "x\n- a point\nQ::A " + "<!--SR:" * 20_000 + "\n", "n.md")
    assert [card.prompt for card in deck.cards] == ["h" + " " * 2000 + "x", "Q"]
    assert "sr" not in deck.cards[1].fields and deck.problems == ()
