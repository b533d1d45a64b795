"""The generated hostile corpus (tests/fixtures/make_hostile.py) through `check`, `import`,
`cards --json` and a plain `study`: no traceback, each command within its CPU time and memory
budget, at most a warning line per bad file, and the good notes beside the bad ones load.
Every parser is also held, file by file and in this process, to a time budget per megabyte.

The families are run folder by folder (a handful of commands in all), so the whole corpus of
over a thousand files costs a few dozen command runs."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from ckaquiz.decks.loader import load_deck_file
from tests.conftest import FIXTURES
from tests.safety_helpers import no_builtin_home

COMMAND_CPU_SECONDS = 5.0
COMMAND_MEGABYTES = 300
HANG_SECONDS = 90  # a command still running after this is killed: a hang, not a slow machine
PARSE_SECONDS = 0.5
PARSE_SECONDS_PER_MEGABYTE = 10.0
"""The in-process budget for one file: linear parsers read a megabyte in well under a second;
a quadratic one takes minutes on the corpus's 100 KB shapes."""
STUDY_INPUT = "x\n3\n" * 30


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_HOSTILE = load_generator()


@dataclass(frozen=True)
class Measured:
    """One finished command: its output, and the CPU seconds and peak memory it used."""

    arguments: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float
    megabytes: float


# The command's peak memory as its own process sees it when it ends. `ru_maxrss` from `os.wait4`
# also counts the pages the child shared with this test process before it started Python (a
# big pytest process makes every command look a few hundred megabytes large); the high-water
# mark in /proc/self/status belongs to the command's own memory alone.
_PEAK_MEMORY = (
    "import atexit, runpy, sys\n"
    "where = sys.argv[1]\n"
    "def report():\n"
    "    with open('/proc/self/status') as status:\n"
    "        peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
    "    with open(where, 'w') as out:\n"
    "        out.write(peak)\n"
    "atexit.register(report)\n"
    "sys.argv = ['ckaquiz', *sys.argv[2:]]\n"
    "runpy.run_module('ckaquiz', run_name='__main__')\n"
)


def run_measured(*arguments: str, home: Path, cwd: Path, input_text: str = "") -> Measured:
    """`python -m ckaquiz ...` with its CPU time from `os.wait4` (this process waits for it alone) and
    its peak memory from its own high-water mark."""
    environment = dict(os.environ, CKAQUIZ_HOME=str(home))
    peak = cwd / f".peak-{os.getpid()}-{threading.get_ident()}"
    peak.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", _PEAK_MEMORY, str(peak), *arguments],
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=errors,
            cwd=cwd,
            env=environment,
        )
        assert process.stdin is not None
        process.stdin.write(input_text.encode())
        process.stdin.close()
        watchdog = threading.Timer(HANG_SECONDS, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        errors.seek(0)
        peak_kilobytes = int(peak.read_text()) if peak.exists() else usage.ru_maxrss
        peak.unlink(missing_ok=True)
        return Measured(
            arguments=arguments,
            returncode=process.returncode,
            stdout=output.read().decode("utf-8", "replace"),
            stderr=errors.read().decode("utf-8", "replace"),
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            megabytes=peak_kilobytes / 1024,
        )


def assert_healthy(result: Measured) -> None:
    shown = " ".join(result.arguments)
    assert result.returncode >= 0, f"{shown}: killed after {HANG_SECONDS} s (a hang)"
    assert "Traceback" not in result.stdout + result.stderr, f"{shown}:\n{result.stderr[-3000:]}"
    assert result.cpu_seconds < COMMAND_CPU_SECONDS, f"{shown}: {result.cpu_seconds:.1f} s of CPU"
    assert result.megabytes < COMMAND_MEGABYTES, f"{shown}: {result.megabytes:.0f} MB"


def lines_naming(lines: list[str], folder: Path, prefix: str = "") -> Counter[str]:
    """How many lines name each file directly in `folder`; every line must name one."""
    counts: Counter[str] = Counter()
    for line in lines:
        assert line.startswith(f"{prefix}{folder}/"), line
        counts[line.removeprefix(f"{prefix}{folder}/").split(":", 1)[0]] += 1
    return counts


@pytest.fixture(scope="module")
def corpus() -> Iterator[dict[str, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        yield MAKE_HOSTILE.write_corpus(Path(folder) / "corpus")


def test_the_corpus_has_over_a_thousand_files(corpus: dict[str, Path]) -> None:
    count = sum(1 for folder in corpus.values() for path in folder.rglob("*") if not path.is_dir())
    assert count >= 1000


FOLDER_FAMILIES = {
    # family: (the good cards' prompts that must load, the most lines one bad file may give)
    "values": ({"Good question", "good q"}, 1),
    "schedules": ({"Good question"}, 2),  # a reversed card's comment holds one entry per sibling
    "shapes": ({"Good question"}, 1),
    "shapes-yaml": ({"Good question"}, 1),
    "names": ({"Good name question"}, 1),
}


@pytest.mark.parametrize("family", sorted(FOLDER_FAMILIES))
def test_a_family_through_the_four_commands(corpus: dict[str, Path], tmp_path: Path, family: str) -> None:
    folder = corpus[family]
    good_prompts, most_lines = FOLDER_FAMILIES[family]
    home = tmp_path / "home"
    no_builtin_home(home)

    checked = run_measured("check", str(folder), home=home, cwd=tmp_path)
    assert_healthy(checked)
    counts = lines_naming(checked.stdout.splitlines(), folder)
    assert not [name for name in counts if name.startswith("good-")], checked.stdout
    assert max(counts.values(), default=0) <= most_lines, counts.most_common(3)

    imported = run_measured("import", str(folder), home=home, cwd=tmp_path)
    assert_healthy(imported)
    assert imported.returncode == 0, imported.stderr[-2000:]
    warnings = lines_naming(imported.stderr.splitlines(), folder, prefix="warning: ")
    assert max(warnings.values(), default=0) <= most_lines, warnings.most_common(3)

    listed = run_measured("cards", "--json", home=home, cwd=tmp_path)
    assert_healthy(listed)
    assert listed.returncode == 0, listed.stderr[-2000:]
    prompts = {card["prompt"] for card in json.loads(listed.stdout)}
    assert good_prompts <= prompts

    studied = run_measured("study", "--plain", home=home, cwd=tmp_path, input_text=STUDY_INPUT)
    assert_healthy(studied)
    assert studied.returncode == 0, studied.stderr[-2000:]


def test_every_bad_value_is_named_with_its_line(corpus: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    no_builtin_home(home)
    checked = run_measured("check", str(corpus["values"]), home=home, cwd=tmp_path)
    bad = sorted(path.name for path in corpus["values"].iterdir() if not path.name.startswith("good-"))
    counts = lines_naming(checked.stdout.splitlines(), corpus["values"])
    assert sorted(counts) == bad  # every file with a bad value says so, once
    assert "frontmatter-date-00.md:2: frontmatter: invalid date '2025-02-30'" in checked.stdout
    assert "deck-front-19.yaml:7: invalid true/false value 'maybe'" in checked.stdout


def test_delimited_files_through_the_four_commands(corpus: dict[str, Path], tmp_path: Path) -> None:
    folder = corpus["delimited"]
    home = tmp_path / "home"
    no_builtin_home(home)
    files = sorted(str(path) for path in folder.iterdir())
    checked = run_measured("check", *files, home=home, cwd=tmp_path)
    assert_healthy(checked)
    counts = lines_naming(checked.stdout.splitlines(), folder)
    assert counts["header-00.txt"] == 1 and "got '²'" in checked.stdout
    for file in files:  # delimited files are imported one by one
        imported = run_measured("import", file, home=home, cwd=tmp_path)
        assert_healthy(imported)
        assert imported.returncode == 0, imported.stderr
    listed = run_measured("cards", "--json", home=home, cwd=tmp_path)
    assert_healthy(listed)
    assert "good csv q" in {card["prompt"] for card in json.loads(listed.stdout)}
    assert_healthy(run_measured("study", "--plain", home=home, cwd=tmp_path, input_text=STUDY_INPUT))


def test_vaults_with_bad_plugin_settings_import_with_the_defaults(corpus: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    no_builtin_home(home)
    vaults = sorted(path for path in corpus["vaults"].iterdir() if path.is_dir())
    assert_healthy(run_measured("check", str(corpus["vaults"]), home=home, cwd=tmp_path))
    for vault in vaults:
        imported = run_measured("import", str(vault), home=home, cwd=tmp_path)
        assert_healthy(imported)
        assert imported.returncode == 0, imported.stderr
        settings = vault / MAKE_HOSTILE.PLUGIN_SETTINGS
        if vault.name in {"vault-inside", "vault-patterns-not-text"}:
            assert imported.stderr == "", imported.stderr
        else:
            assert imported.stderr.startswith(f"warning: {settings}:1: plugin settings not used: "), imported.stderr
            assert len(imported.stderr.splitlines()) == 1, imported.stderr
    listed = run_measured("cards", "--json", home=home, cwd=tmp_path)
    assert_healthy(listed)
    prompts = {card["deck"]: card["prompt"] for card in json.loads(listed.stdout)}
    assert prompts["vault-inside"] == "Vault question"  # a link inside the vault is followed
    assert prompts["vault-outside"] == "Vault question@@vault answer outside"  # one leaving it is not
    assert_healthy(run_measured("study", "--plain", home=home, cwd=tmp_path, input_text=STUDY_INPUT))


def test_every_parser_within_a_time_budget_per_megabyte(corpus: dict[str, Path]) -> None:
    """Each corpus file read in this process by its parser: CPU time within a budget per megabyte."""
    slow: list[str] = []
    for family in ("values", "schedules", "shapes", "shapes-yaml", "delimited", "names"):
        for path in sorted(corpus[family].iterdir()):
            if path.is_symlink() or not path.is_file():
                continue  # links, pipes and folders are the walk's to refuse (the commands above)
            budget = PARSE_SECONDS + PARSE_SECONDS_PER_MEGABYTE * path.stat().st_size / 1024 / 1024
            started = time.process_time()
            deck = load_deck_file(path)
            spent = time.process_time() - started
            assert all("\n" not in str(problem) for problem in deck.problems)
            if spent > budget:
                slow.append(f"{family}/{path.name}: {spent:.2f} s (budget {budget:.2f} s)")
    assert not slow, slow
