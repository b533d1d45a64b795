"""`check`, `cards --json`, `decks`, `import`, `sources`, `--version` and the error contract."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ckaquiz import __version__
from ckaquiz.cli import app
from tests.conftest import FIXTURES, run_cli

runner = CliRunner()


def no_builtin(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"ckaquiz {__version__}\n"


def test_every_command_has_help() -> None:
    for command in ["study", "review", "import", "decks", "cards", "check", "sources", "score", "history", "stats",
                    "optimize", "export", "backup", "restore"]:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_options_name_what_they_take() -> None:
    """Each option's value is named for what it is (DECK, TAG, N, DAY), not by typer's type (<list[str]>)."""
    commands = [["study"], ["review"], ["import"], ["decks"], ["cards"], ["check"], ["score"], ["history"],
                ["stats"], ["backup"], ["restore"], ["export", "csv"], ["export", "anki"], ["sources", "remove"]]
    for command in commands:
        text = runner.invoke(app, [*command, "--help"], terminal_width=150).output
        options = [line for line in text.splitlines() if line.lstrip().startswith("-")]
        assert not [line for line in options if "<" in line.split("  ")[0]], (command, options)
    study = runner.invoke(app, ["review", "--help"], terminal_width=150).output
    for shown in ("--deck DECK", "--tag TAG", "--limit N", "--since DAY"):
        assert shown in study


HELP_PAGES = [["study"], ["review"], ["import"], ["decks"], ["cards"], ["check"], ["score"], ["history"], ["stats"],
              ["optimize"], ["backup"], ["restore"], ["sources"], ["sources", "remove"], ["export"], ["export", "anki"],
              ["export", "csv"], ["export", "json"]]


@pytest.mark.parametrize("command", HELP_PAGES, ids=" ".join)
def test_every_help_page_has_an_example_and_names_no_python_type(command: list[str]) -> None:
    result = run_cli(*command, "--help", env={"COLUMNS": "150"})
    assert result.returncode == 0
    _usage, _, rest = result.stdout.partition("\n")
    assert "ckaquiz " in rest, "an example command"  # beyond the usage line
    assert not re.search(r"<(?:str|int|float|bool|path|file|list\[\w+\])>", result.stdout, re.IGNORECASE), result.stdout
    assert not re.search(r"\s(?:TEXT|INTEGER|FLOAT)\b", result.stdout), result.stdout


def test_check_reports_every_problem_and_exits_1() -> None:
    result = runner.invoke(app, ["check", str(FIXTURES / "decks")])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 7
    assert all(":" in line and line.startswith(str(FIXTURES / "decks")) for line in lines)
    assert any("syntax-error.yaml:4: YAML syntax error at column 9" in line for line in lines)


def test_check_passes_a_good_deck() -> None:
    result = runner.invoke(app, ["check", str(FIXTURES / "decks" / "admission.yaml")])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_of_a_missing_path_is_one_line() -> None:
    result = run_cli("check", "/no/such/deck.yaml")
    assert result.returncode == 1
    assert result.stderr == "error: /no/such/deck.yaml: no such file or folder\n"


def test_import_then_cards_json_contract(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin(isolated_home)
    deck = tmp_path / "admission.yaml"
    shutil.copy(FIXTURES / "decks" / "admission.yaml", deck)
    imported = run_cli("import", str(deck))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == (
        f"imported 'admission' from {deck}: 1 file read; cards: 9 new, 0 changed, 0 unchanged, 0 retired; 0 warnings\n"
    )
    again = run_cli("import", str(deck))
    assert again.stdout == (
        f"imported 'admission' from {deck}: 0 files read (1 unchanged since the last scan);"
        " cards: 0 new, 0 changed, 0 unchanged, 0 retired; 0 warnings\n"
    )
    result = run_cli("cards", "--json", "--tag", "NAMESPACES")
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert [card["id"] for card in cards] == ["admission:6d728f46fb", "admission:6d728f46fb:r"]
    first = cards[0]
    assert {key: first[key] for key in ("deck", "kind", "prompt", "state", "due", "reps", "lapses", "stability", "difficulty")} == {
        "deck": "admission", "kind": "basic", "prompt": "NamespaceLifecycle", "state": "new", "due": None,
        "reps": 0, "lapses": 0, "stability": None, "difficulty": None,
    }
    assert first["tags"] == ["cka", "cka/workloads-scheduling", "namespaces"]
    assert first["source"] == {"path": str(deck), "line": 9}
    assert first["reference"] == "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/"


def test_editing_a_deck_needs_no_reimport(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin(isolated_home)
    deck = tmp_path / "mine.md"
    deck.write_text("# Topic\nquestion::answer\n", encoding="utf-8")
    assert run_cli("import", str(deck)).returncode == 0
    deck.write_text("# Topic\nquestion::better answer\nsecond::card\n", encoding="utf-8")
    cards = json.loads(run_cli("cards", "--json").stdout)
    assert [card["answer"] for card in cards if card["kind"] == "basic"] == ["better answer", "card"]
    deck.unlink()
    assert run_cli("cards", "--json").stdout.strip() == "[]"
    retired = json.loads(run_cli("cards", "--json", "--retired").stdout)
    assert len(retired) == 2 and not any(card["active"] for card in retired)


def test_broken_deck_warns_and_others_still_load(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin(isolated_home)
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(FIXTURES / "decks" / "syntax-error.yaml", folder)
    shutil.copy(FIXTURES / "decks" / "admission.yaml", folder)
    assert run_cli("import", str(folder)).returncode == 0
    result = run_cli("study", "--plain", input_text="q\n")
    assert result.returncode == 0
    assert result.stderr == f"warning: {folder / 'syntax-error.yaml'}:4: YAML syntax error at column 9: expected ',' or ']', but got ':'\n"
    assert result.stdout.startswith("--- card 1/")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["study", "--deck", "nope"], "error: unknown deck 'nope' (decks: admission)\n"),
        (["review", "--tag", "nothing*"], "error: no card is tagged 'nothing*'\n"),
        (["import", "/no/such/file.md"], "error: /no/such/file.md: no such file or folder\n"),
        (["sources", "remove", "ghost"], "error: no source named 'ghost' (see `ckaquiz sources`)\n"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(isolated_home: Path, tmp_path: Path, arguments: list[str], message: str) -> None:
    no_builtin(isolated_home)
    shutil.copy(FIXTURES / "decks" / "admission.yaml", tmp_path / "admission.yaml")
    assert run_cli("import", str(tmp_path / "admission.yaml")).returncode == 0
    result = run_cli(*arguments, input_text="")
    assert result.returncode == 1
    assert result.stderr == message


def test_a_mistyped_deck_among_many_names_the_closest_few(isolated_home: Path) -> None:
    result = run_cli("cards", "--deck", "cka-netwrking-dns")
    assert result.returncode == 1
    line, = result.stderr.splitlines()
    closest = line.split("(closest: ", 1)[1].split(";", 1)[0].split(", ")
    assert closest[0] == "cka-networking-dns"
    assert 1 <= len(closest) <= 5
    assert line.endswith("decks: `ckaquiz decks`)")
    nothing_close = run_cli("cards", "--deck", "zzz").stderr
    assert "closest" not in nothing_close
    assert nothing_close.startswith("error: unknown deck 'zzz' (all ")


def test_bare_ckaquiz_prints_the_help_and_exits_0(isolated_home: Path) -> None:
    result = run_cli()
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: ")
    assert "study" in result.stdout and "import" in result.stdout
    assert result.stderr == ""
    assert not (isolated_home / "ckaquiz.db").exists()


def test_usage_errors_exit_2() -> None:
    assert run_cli("study", "--limit", "zero").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_decks_table_and_sources(isolated_home: Path, tmp_path: Path) -> None:
    no_builtin(isolated_home)
    shutil.copy(FIXTURES / "decks" / "admission.yaml", tmp_path / "admission.yaml")
    assert run_cli("import", str(tmp_path / "admission.yaml")).returncode == 0
    table = run_cli("decks", env={"COLUMNS": "80"})
    assert table.returncode == 0
    assert table.stdout == "admission\t9\t9\t0\t0\n"  # piped: a tab-separated line per deck
    listed = run_cli("sources")
    assert listed.stdout == f"admission\tuser\t{tmp_path / 'admission.yaml'}\n"
    removed = run_cli("sources", "remove", "admission")
    assert removed.stdout == "removed admission: 9 cards retired (history kept)\n"
    assert json.loads(run_cli("cards", "--json").stdout) == []


def test_builtin_decks_load_with_no_config(isolated_home: Path) -> None:
    result = run_cli("cards", "--json", "--deck", "cka-static-pods")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) >= 15


def test_bad_now_is_one_line() -> None:
    result = run_cli("decks", env={"CKAQUIZ_NOW": "next tuesday"})
    assert result.returncode == 1
    assert result.stderr == "error: CKAQUIZ_NOW: not an ISO-8601 date-time: 'next tuesday'\n"


def test_piped_cards_print_whole_ids_one_card_a_line(isolated_home: Path) -> None:
    listed = run_cli("cards", "--deck", "cka-ko")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    records = json.loads(run_cli("cards", "--json", "--deck", "cka-ko").stdout)
    assert [line.split("\t")[0] for line in lines] == [record["id"] for record in records]
    assert all(line.count("\t") == 4 for line in lines)
    assert "│" not in listed.stdout and "─" not in listed.stdout


def test_in_a_terminal_cards_and_decks_are_tables(isolated_home: Path) -> None:
    import os
    import sys

    import pexpect

    for arguments in (["cards", "--deck", "cka-static-pods"], ["decks"]):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "ckaquiz", *arguments],
            env=dict(os.environ, CKAQUIZ_HOME=str(isolated_home), COLUMNS="120", TERM="xterm"),
            encoding="utf-8", dimensions=(50, 120), timeout=60,
        )
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert "│" in child.before and "\t" not in child.before


def _complete(home: Path, words: str, position: int) -> list[str]:
    import os
    import subprocess
    import sys

    script = Path(sys.executable).with_name("ckaquiz")
    if not script.exists():
        pytest.skip("the ckaquiz console script is not installed beside this Python")
    environment = dict(os.environ, CKAQUIZ_HOME=str(home), _CKAQUIZ_COMPLETE="complete_bash",
                       COMP_WORDS=words, COMP_CWORD=str(position))
    done = subprocess.run([str(script)], env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_shell_completion_completes_commands_decks_and_tags_and_writes_nothing(isolated_home: Path) -> None:
    assert _complete(isolated_home, "ckaquiz st", 1) == ["study", "stats"]
    assert _complete(isolated_home, "ckaquiz study --deck cka-st", 3) == []  # no database yet: nothing, nothing made
    assert not isolated_home.exists() or not (isolated_home / "ckaquiz.db").exists()
    assert run_cli("decks").returncode == 0
    database = isolated_home / "ckaquiz.db"
    before = {path.name: (path.stat().st_mtime_ns, path.read_bytes()) for path in isolated_home.iterdir() if path.is_file()}
    decks = _complete(isolated_home, "ckaquiz study --deck cka-sto", 3)
    assert decks and all(deck.startswith("cka-storage-") for deck in decks)
    assert "cka-static-pods" not in decks
    tags = _complete(isolated_home, "ckaquiz review --tag cka/s", 3)
    assert {"cka/storage", "cka/services-networking"} <= set(tags)
    after = {path.name: (path.stat().st_mtime_ns, path.read_bytes()) for path in isolated_home.iterdir() if path.is_file()}
    assert after == before and database.exists()
