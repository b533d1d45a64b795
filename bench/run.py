"""The benchmark suite: ckaquiz on a synthetic vault of realistic shape, against its speed and memory targets.

    python bench/run.py [--notes 10000] [--reviews 1000000] [--runs 5] [--quick] [--no-scaling]

Builds a vault (bench/vault.py) and, in a temporary CKAQUIZ_HOME, imports it with the real
CLI, writes a review history (bench/history.py), and measures each figure several times:
the CLI as a user runs it, in subprocesses, except the figures marked in-process (run by
bench/inprocess.py in a process of their own). It prints a Markdown table of the median,
minimum and maximum of each figure, its target, its ratio to a floor measured in the same
run (machines differ; ratios travel better), the peak memory (max RSS) of the processes,
and whether the targets are met. Then, unless --no-scaling or --quick, the same figures at
1,000 and 3,000 notes (reviews in proportion) and how each grows.

Floors: start-up is a typer app with two commands and ckaquiz's app settings
(bench/floor_app.py) running a command, and that app's own `--help` and `--version` are the
floors of ckaquiz's; importing is
a process that reads the same files and splits them into lines; markdown-it-py parsing the
same files is measured too (the import must be at least 5 times faster). A grade's floor is
one bare SQLite insert + update + commit with the store's settings; the queue's is SQLite
reading every card's number, tags and due time; the other commands' is the start-up floor.

Nothing here asserts: the table says what was met. CI runs it small (tests/test_bench_smoke.py).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import platform
import queue
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import history  # noqa: E402
import vault  # noqa: E402

GUARD_SECONDS = 120.0
PYTHON = sys.executable
CKAQUIZ = [PYTHON, "-m", "ckaquiz"]
MEMORY_TARGET_MB = 250.0
IMPORT_START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
FILTER_TAG = "troubleshooting"
"""The tag of `cards --tag X --json`: one of the vault's topic tags (about a tenth of the cards)."""
LEARNER_CONFIG = "new_per_day = 500\nreviews_per_day = 9999\n"
"""Limits of a learner who answers a million reviews in a year (the defaults would allow 200 a day)."""


@dataclass
class Figure:
    """One line of the table: samples in seconds, peak memory in KB, a target and a floor."""

    name: str
    target: float | None = None
    floor: str | None = None
    ratio_target: float | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)
    cpu_samples: list[float] = field(default_factory=list)
    peaks_kb: list[int] = field(default_factory=list)
    measured: bool = True
    is_floor: bool = False
    memory_only: bool = False
    """No time target is set for it: only its peak memory is judged."""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")


@dataclass
class Result:
    """All figures of one size, with the facts of the vault they ran on."""

    notes: int
    reviews: int
    megabytes: float = 0.0
    cards: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures[figure.name] = figure
        return figure


# running commands ---------------------------------------------------------------------------------


@dataclass
class Ran:
    seconds: float
    cpu_seconds: float
    peak_kb: int
    returncode: int
    stdout: str
    stderr: str


def launched(arguments: Sequence[str], report: Path) -> list[str]:
    """The command line that runs `arguments` under bench/launch.py (see there why)."""
    return [PYTHON, str(BENCH / "launch.py"), str(report), *arguments]


def run(arguments: Sequence[str], environment: dict[str, str], *, stdin: str | None = None) -> Ran:
    """Run a command to its end: its wall time, CPU time and peak memory (its own, with its children's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        process = subprocess.Popen(
            launched(arguments, report),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environment,
        )
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin.encode("utf-8"))
            process.stdin.close()
        process.wait()
        facts = json.loads(report.read_text(encoding="utf-8"))
        out.seek(0)
        err.seek(0)
        return Ran(
            facts["seconds"],
            facts["cpu_seconds"],
            facts["max_rss_kb"],
            facts["returncode"],
            out.read().decode(),
            err.read().decode(),
        )


def checked(ran: Ran, what: str) -> Ran:
    if ran.returncode != 0:
        raise SystemExit(f"{what} failed ({ran.returncode}):\n{ran.stderr[-2000:]}")
    return ran


def measure(figure: Figure, runs: int, once: Callable[[], Ran], *, before: Callable[[], object] | None = None) -> None:
    for _ in range(runs):
        if before is not None:
            before()
        ran = checked(once(), figure.name)
        figure.samples.append(ran.seconds)
        figure.cpu_samples.append(ran.cpu_seconds)
        figure.peaks_kb.append(ran.peak_kb)
        if figure.target is not None and len(figure.samples) >= 2 and min(figure.samples) > 10 * figure.target:
            figure.note = f"{len(figure.samples)} runs: each took over 10× the target"
            break


def in_process(kind: str, place: Path, count: int, environment: dict[str, str]) -> tuple[list[float], int]:
    ran = checked(run([PYTHON, str(BENCH / "inprocess.py"), kind, str(place), str(count)], environment), kind)
    payload = json.loads(ran.stdout.strip().splitlines()[-1])
    return [float(sample) for sample in payload["samples"]], ran.peak_kb


def environment_for(home: Path, now: datetime) -> dict[str, str]:
    environment = dict(os.environ)
    # An installed ckaquiz has its bytecode compiled; without it every run would compile the package again.
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHONDONTWRITEBYTECODE"):
        environment.pop(name, None)
    environment.update(
        {"CKAQUIZ_HOME": str(home), "CKAQUIZ_NOW": now.isoformat(), "PYTHONPATH": str(ROOT), "TERM": "dumb"}
    )
    return environment


def new_home(folder: Path, *, config: str = "") -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if config:
        (folder / "config.toml").write_text(config, encoding="utf-8")
    return folder


# interactive plain sessions --------------------------------------------------------------------------


class PlainSession:
    """`ckaquiz study --plain` driven line by line, as a script or a screen reader would."""

    def __init__(self, environment: dict[str, str], home: Path) -> None:
        self.home = home
        self.kinds = card_kinds(home)
        self.scratch = tempfile.TemporaryDirectory()
        self.report = Path(self.scratch.name) / "report.json"
        self.first_card_at: float | None = None
        self.process = subprocess.Popen(
            launched([*CKAQUIZ, "study", "--plain"], self.report),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def read_until(self, *prefixes: str) -> str | None:
        """The next line starting with one of `prefixes`; None at the end of the output."""
        while True:
            try:
                line = self.lines.get(timeout=GUARD_SECONDS)  # a guard against a hung session, no timing
            except queue.Empty:
                self.process.kill()
                raise SystemExit(f"study --plain printed nothing for {GUARD_SECONDS:.0f} s") from None
            if line is None:
                return None
            if self.first_card_at is None and line.startswith("--- card"):
                self.first_card_at = time.monotonic()
            if line.startswith(prefixes):
                return line.rstrip("\n")

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text)
        self.process.stdin.flush()

    def finish(self) -> tuple[float | None, int]:
        """End the session (end of input): seconds from its start to its first card, and its peak memory in KB."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        while self.read_until("") is not None:
            pass
        self.process.wait()
        facts = json.loads(self.report.read_text(encoding="utf-8"))
        self.scratch.cleanup()
        first = None if self.first_card_at is None else self.first_card_at - facts["started"]
        return first, int(facts["max_rss_kb"])

    def grades(self, count: int) -> list[float]:
        """Answer up to `count` cards; each sample runs from sending the grade to the next card's first line."""
        samples: list[float] = []
        header = self.read_until("--- card")
        while header is not None and len(samples) < count:
            card_id = header.split()[-1]
            if card_id not in self.kinds:
                self.kinds = card_kinds(self.home)  # the session's own scan may have added cards
            kind = self.kinds.get(card_id, "recall")  # unknown: a block answer suits every kind
            self.send("what I remember\n.\n" if kind in ("recall", "manifest") else "what I remember\n")
            if self.read_until("grade:") is None:
                break
            started = time.perf_counter()
            self.send("3\n")
            header = self.read_until("--- card", "reviewed ")
            if header is None or header.startswith("reviewed "):
                break
            samples.append(time.perf_counter() - started)
        return samples


def card_kinds(home: Path) -> dict[str, str]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        return dict(connection.execute("SELECT id, kind FROM cards"))
    finally:
        connection.close()


def make_all_due(home: Path, now: datetime) -> None:
    """Every card a review card due yesterday (a learner back from a long break)."""
    connection = sqlite3.connect(home / "ckaquiz.db", isolation_level=None)
    due = (now - timedelta(days=1)).isoformat(timespec="microseconds")
    last = (now - timedelta(days=10)).isoformat(timespec="microseconds")
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "UPDATE cards SET state = 'review', step = NULL, stability = COALESCE(stability, 9.0),"
        " difficulty = COALESCE(difficulty, 5.0), due = ?, last_review = ?, reps = MAX(reps, 1)",
        (due, last),
    )
    connection.execute("COMMIT")
    connection.close()


# one size ------------------------------------------------------------------------------------------


def bench_size(
    notes: int, reviews: int, runs: int, work: Path, *, log: Callable[[str], None], own_recall: bool = True
) -> Result:
    """Every figure at one vault size (`own_recall`: the daily notes hold blank-page recall sections)."""
    result = Result(notes=notes, reviews=reviews)
    folder = work / f"vault-{notes}"
    if folder.exists():
        shutil.rmtree(folder)
    summary = vault.write_vault(folder, notes, own_recall=own_recall)
    result.megabytes = summary.bytes / 1e6
    files = sorted(str(path) for path in folder.rglob("*.md"))
    listing = work / f"files-{notes}.txt"
    listing.write_text("\n".join(files), encoding="utf-8")
    log(f"{notes} notes: {result.megabytes:.1f} MB in {len(files)} files")
    empty = environment_for(new_home(work / "empty-home"), IMPORT_START)

    # start-up -----------------------------------------------------------------------------------
    bare = result.add(Figure("floor: bare Python (`python -c pass`)", is_floor=True))
    measure(bare, runs, lambda: run([PYTHON, "-c", "pass"], empty))
    start_floor = result.add(Figure("floor: a two-command typer app running a command", is_floor=True))
    measure(start_floor, runs, lambda: run([PYTHON, str(BENCH / "floor_app.py"), "hello"], empty))
    for option in ("--help", "--version"):
        floor = result.add(Figure(f"floor: the same app's `{option}`", is_floor=True))
        measure(floor, runs, functools.partial(run, [PYTHON, str(BENCH / "floor_app.py"), option], empty))
        figure = result.add(Figure(f"`ckaquiz {option}`", floor=floor.name, ratio_target=1.2))
        measure(figure, runs, functools.partial(run, [*CKAQUIZ, option], empty))
    fresh = result.add(Figure("`ckaquiz decks`, first run on a fresh home (reads the built-in decks)"))
    measure(
        fresh, max(1, runs // 2), lambda: run([*CKAQUIZ, "decks"], empty), before=lambda: new_home(work / "empty-home")
    )
    decks = result.add(Figure("`ckaquiz decks` on an empty home", floor=start_floor.name, ratio_target=1.2))
    measure(decks, runs, lambda: run([*CKAQUIZ, "decks"], empty))

    # import ----------------------------------------------------------------------------------------
    read_floor = result.add(Figure("floor: reading the vault's files and splitting them into lines", is_floor=True))
    reader = "import sys\nfor name in open(sys.argv[1], encoding='utf-8').read().split('\\n'):\n" \
             "    open(name, 'rb').read().decode('utf-8').split('\\n')\n"
    measure(read_floor, runs, lambda: run([PYTHON, "-c", reader, str(listing)], empty))
    markdown_floor = result.add(
        Figure("floor: markdown-it-py parsing the same files (`MarkdownIt().parse`)", is_floor=True)
    )
    parser = "import sys\nfrom markdown_it import MarkdownIt\nmd = MarkdownIt()\n" \
             "for name in open(sys.argv[1], encoding='utf-8').read().split('\\n'):\n" \
             "    md.parse(open(name, encoding='utf-8').read())\n"
    if importlib.util.find_spec("markdown_it") is not None:
        measure(markdown_floor, max(1, runs // 2), lambda: run([PYTHON, "-c", parser, str(listing)], empty))
    else:
        markdown_floor.measured = False
        markdown_floor.note = "markdown-it-py is not installed (pip install '.[bench]')"
    home = work / "home"
    environment = environment_for(home, IMPORT_START)
    cold = result.add(
        Figure("cold import of the whole vault (`ckaquiz import VAULT`)", target=5.0, floor=read_floor.name)
    )
    measure(
        cold,
        max(1, runs // 2),
        lambda: run([*CKAQUIZ, "import", str(folder)], environment),
        before=lambda: new_home(home, config=LEARNER_CONFIG),
    )
    result.cards = len(card_kinds(home))
    rescan = result.add(Figure("rescan, nothing changed (`ckaquiz import VAULT` again)", target=0.3,
                               floor=start_floor.name))
    measure(rescan, runs, lambda: run([*CKAQUIZ, "import", str(folder)], environment))
    changed_notes = sorted(folder.rglob("*.md"))
    counter = iter(range(10**6))

    def change_one_note() -> None:
        number = next(counter)
        note = changed_notes[(number * 7919) % len(changed_notes)]
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nWhat changed in edit {number}?::one more card\n")

    one = result.add(Figure("rescan, one note changed", target=0.4, floor=start_floor.name))
    measure(one, runs, lambda: run([*CKAQUIZ, "import", str(folder)], environment), before=change_one_note)

    # history and study -------------------------------------------------------------------------------
    started = time.perf_counter()
    last, written = history.write_history(home / "ckaquiz.db", reviews, start=IMPORT_START + timedelta(days=1))
    log(f"history: {written} ({time.perf_counter() - started:.0f} s)")
    now = last + timedelta(minutes=30)
    environment = environment_for(home, now)
    PlainSession(environment, home).finish()  # warm: the first session after the import reads the built-in decks
    first_card = result.add(Figure("`ckaquiz study --plain` until the first card is printed", target=0.6,
                                   floor=start_floor.name))
    for _ in range(runs):
        session = PlainSession(environment, home)
        if session.read_until("--- card") is None:
            raise SystemExit("study --plain showed no card")
        first, peak = session.finish()
        assert first is not None
        first_card.samples.append(first)
        first_card.peaks_kb.append(peak)
    floor_samples, floor_peak = in_process("commit-floor", work, 200, environment)
    commit_floor = result.add(Figure("floor: one bare SQLite insert + update + commit (WAL, synchronous=FULL)",
                                     is_floor=True, samples=floor_samples, peaks_kb=[floor_peak]))
    samples, peak = in_process("grade", home, 200, environment)
    result.add(Figure("grade -> next card, in-process through the session engine (commit included)", target=0.002,
                      floor=commit_floor.name, samples=samples, peaks_kb=[peak]))
    session = PlainSession(environment, home)
    samples = session.grades(100)
    _, peak = session.finish()
    result.add(Figure("grade -> next card, end to end through `study --plain`", target=0.020,
                      floor=commit_floor.name, samples=samples, peaks_kb=[peak]))

    # listing --------------------------------------------------------------------------------------------
    stats = result.add(Figure("`ckaquiz stats`", target=1.5, floor=start_floor.name))
    if run([*CKAQUIZ, "stats", "--help"], environment).returncode == 0:
        measure(stats, runs, lambda: run([*CKAQUIZ, "stats"], environment))
    else:
        stats.measured = False
        stats.note = "not measured: this ckaquiz has no `stats` command yet"
    for arguments in (["--tag", FILTER_TAG], ["--json"]):
        shown_arguments = " ".join(arguments)
        extra = result.add(Figure(f"`ckaquiz stats {shown_arguments}`", floor=start_floor.name, memory_only=True))
        if stats.measured:
            measure(extra, runs, functools.partial(run, [*CKAQUIZ, "stats", *arguments], environment))
        else:
            extra.measured = False
            extra.note = stats.note
    tagged = result.add(Figure(f"`ckaquiz cards --tag {FILTER_TAG} --json`", target=1.0, floor=start_floor.name))
    measure(tagged, runs, lambda: run([*CKAQUIZ, "cards", "--tag", FILTER_TAG, "--json"], environment))
    shown = json.loads(run([*CKAQUIZ, "cards", "--tag", FILTER_TAG, "--json"], environment).stdout or "[]")
    tagged.note = f"{len(shown)} cards printed"

    # every card due ----------------------------------------------------------------------------------------
    due_home = work / "due-home"
    new_home(due_home)
    copy_database(home, due_home, environment)
    (due_home / "config.toml").write_text(LEARNER_CONFIG, encoding="utf-8")
    make_all_due(due_home, now)
    due_environment = environment_for(due_home, now)
    samples, peak = in_process("queue-floor", due_home, runs, due_environment)
    queue_floor = result.add(Figure("floor: SQLite reading every card's number, tags and due time", is_floor=True,
                                    samples=samples, peaks_kb=[peak]))
    samples, peak = in_process("queue", due_home, runs, due_environment)
    result.add(Figure("today's queue with every card due, in-process (`Session.start`)", target=0.2,
                      floor=queue_floor.name, samples=samples, peaks_kb=[peak], note=f"{result.cards:,} cards due"))
    shutil.rmtree(due_home)
    bench_sync(result, home, work, runs, now, start_floor)
    return result


def copy_database(home: Path, target: Path, environment: dict[str, str]) -> None:
    """Copy a home's database into another home with SQLite's online backup."""
    checked(run([PYTHON, "-c", "import sqlite3,sys; a=sqlite3.connect(sys.argv[1]); b=sqlite3.connect(sys.argv[2]);"
                 " a.backup(b); b.close()", str(home / "ckaquiz.db"), str(target / "ckaquiz.db")], environment),
            "copying the collection")


SYNC_EVENTS = 100_000
"""Events of the two other devices in the sync folder (at the full size; in proportion below it)."""


def bench_sync(result: Result, home: Path, work: Path, runs: int, now: datetime, start_floor: Figure) -> None:
    """A warm command with and without sync (3 devices), and a first exchange applying every event."""
    from sync_history import write_device_events

    events = max(600, min(SYNC_EVENTS, result.reviews // 10))
    environment = environment_for(home, now)
    plain = result.add(Figure("warm `ckaquiz decks`, sync not set up", floor=start_floor.name, memory_only=True))
    measure(plain, runs, lambda: run([*CKAQUIZ, "decks"], environment))
    sync_home = work / "sync-home"
    new_home(sync_home)
    copy_database(home, sync_home, environment)
    (sync_home / "config.toml").write_text(LEARNER_CONFIG, encoding="utf-8")
    folder = work / "sync-folder"
    shutil.rmtree(folder, ignore_errors=True)
    sync_environment = environment_for(sync_home, now)
    checked(run([*CKAQUIZ, "sync", "init", str(folder)], sync_environment), "sync init")
    checked(run([*CKAQUIZ, "sync"], sync_environment), "publishing this device's history")
    card_ids = sorted(card_kinds(home))
    for device in ("bench-b", "bench-c"):
        write_device_events(folder, device, card_ids, events // 2, start=now - timedelta(days=30))
    first = result.add(Figure(f"first `ckaquiz sync` applying {events:,} events of 2 devices", target=2.0,
                              floor=start_floor.name))
    measure(first, 1, lambda: checked(run([*CKAQUIZ, "sync"], sync_environment), "the first exchange"))
    warm = result.add(Figure(f"warm `ckaquiz decks` with sync (3 devices, {events:,} events in the folder)",
                             floor=start_floor.name, memory_only=True,
                             note="target: at most 20 ms more than without sync"))
    measure(warm, runs, lambda: run([*CKAQUIZ, "decks"], sync_environment))
    if warm.samples and plain.samples:
        warm.note += f"; {1000 * (warm.median - plain.median):+.0f} ms measured"
    shutil.rmtree(sync_home)
    shutil.rmtree(folder, ignore_errors=True)


# the table ---------------------------------------------------------------------------------------------------


def seconds_text(value: float) -> str:
    if value != value:  # nan
        return "-"
    if value < 0.01:
        return f"{value * 1000:.2f} ms"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def verdict(figure: Figure, result: Result) -> tuple[str, str, str]:
    """(target text, ratio text, met text) of a figure."""
    if not figure.measured:
        return "-", "-", figure.note or "not measured"
    parts: list[str] = []
    met = True
    floor = result.figures.get(figure.floor or "")
    ratio = figure.median / floor.median if floor and floor.samples else None
    ratio_text = f"{ratio:.2f}×" if ratio is not None else "-"
    if figure.target is not None:
        parts.append(f"≤ {seconds_text(figure.target)}")
        met &= figure.median <= figure.target
    if figure.ratio_target is not None and ratio is not None:
        parts.append(f"≤ {figure.ratio_target}× floor")
        met &= ratio <= figure.ratio_target
    if figure.name.startswith("cold import"):
        speed = result.megabytes / figure.median
        parts.append("≥ 10 MB/s, ≥ 5× markdown-it")
        markdown_it = next(
            (item for name, item in result.figures.items() if name.startswith("floor: markdown-it")), None
        )
        versus = markdown_it.median / figure.median if markdown_it and markdown_it.samples else None
        met &= speed >= 10.0 and (versus is None or versus >= 5.0)
        ratio_text += f"; {speed:.1f} MB/s" + (f"; {versus:.1f}× faster than markdown-it" if versus else "")
    if figure.is_floor or not (parts or figure.memory_only):
        return "-", ratio_text, figure.note
    peak_mb = max(figure.peaks_kb) / 1024 if figure.peaks_kb else 0.0
    parts.append(f"≤ {MEMORY_TARGET_MB:.0f} MB")
    memory_met = peak_mb <= MEMORY_TARGET_MB
    text = "met" if met and memory_met else ("NOT met" if not met else "time met, memory NOT met")
    if figure.note:
        text += f" ({figure.note})"
    return ", ".join(parts), ratio_text, text


def table(result: Result) -> str:
    lines = [
        f"{result.notes:,} notes ({result.megabytes:.1f} MB of Markdown, {result.cards:,} cards), "
        f"{result.reviews:,} reviews in the log",
        "",
        "| figure | median | min | max | CPU (median) | target | ratio to floor | peak RSS | met |",
        "|---|---:|---:|---:|---:|---|---|---:|---|",
    ]
    for figure in result.figures.values():
        target, ratio, met = verdict(figure, result)
        low = seconds_text(min(figure.samples)) if figure.samples else "-"
        high = seconds_text(max(figure.samples)) if figure.samples else "-"
        peak = f"{max(figure.peaks_kb) / 1024:.0f} MB" if figure.peaks_kb else "-"
        cpu = seconds_text(statistics.median(figure.cpu_samples)) if figure.cpu_samples else "-"
        lines.append(
            f"| {figure.name} | {seconds_text(figure.median)} | {low} | {high} | {cpu} | {target} | {ratio} | {peak}"
            f" | {met} |"
        )
    return "\n".join(lines)


def scaling_table(results: list[Result]) -> str:
    """Each figure across sizes, and its growth exponent k (time ∝ size^k) from the smallest to the largest."""
    import math

    sizes = " | ".join(f"{result.notes:,} notes" for result in results)
    lines = [
        "Scaling (median; k = growth exponent from the smallest to the largest size, 1 = linear):",
        "",
        f"| figure | {sizes} | k |",
        "|---|" + "---:|" * len(results) + "---:|",
    ]
    first, last = results[0], results[-1]
    for name, figure in last.figures.items():
        medians = [result.figures[name].median if name in result.figures else float("nan") for result in results]
        base = first.figures.get(name)
        k = "-"
        if base and base.samples and figure.samples and base.median > 0 and last.notes != first.notes:
            k = f"{math.log(figure.median / base.median) / math.log(last.notes / first.notes):.2f}"
        lines.append(f"| {name} | " + " | ".join(seconds_text(value) for value in medians) + f" | {k} |")
    return "\n".join(lines)


def main() -> int:
    """Run the suite and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (imports: half as many)")
    parser.add_argument("--quick", action="store_true", help="2 runs, no scaling: proves the suite works")
    parser.add_argument("--no-scaling", action="store_true", help="skip the runs at 1,000 and 3,000 notes")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument(
        "--without-own-recall",
        action="store_true",
        help="title the daily notes' recall sections as ordinary sections: the figures without scoring the "
        "notes' own recall, comparable with a version that predates it",
    )
    arguments = parser.parse_args()
    own_recall = not arguments.without_own_recall
    runs = 2 if arguments.quick else arguments.runs

    def log(message: str) -> None:
        print(f"# {message}", file=sys.stderr, flush=True)

    work = arguments.keep or Path(tempfile.mkdtemp(prefix="ckaquiz-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compiled = subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "ckaquiz")], check=False)
    if compiled.returncode != 0:
        log("could not compile ckaquiz's bytecode: start-up figures include compiling it")
    load_before = os.getloadavg()
    try:
        results: list[Result] = []
        if not (arguments.quick or arguments.no_scaling):
            for notes in (1_000, 3_000):
                if notes < arguments.notes:
                    reviews = arguments.reviews * notes // arguments.notes
                    results.append(bench_size(notes, reviews, max(2, runs // 2), work, log=log, own_recall=own_recall))
        results.append(bench_size(arguments.notes, arguments.reviews, runs, work, log=log, own_recall=own_recall))
    finally:
        if arguments.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    print(f"`{command.strip()}` on {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print()
    print(table(results[-1]))
    if len(results) > 1:
        print()
        print(scaling_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
