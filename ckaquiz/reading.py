"""Reading the changed files of a source: in worker processes when there are enough of them.

Parsing is pure Python and bound by the processor, so a big scan (a whole vault on its first
import) is shared among the machine's cores (`ckaquiz.parallel`). Workers are forked before
the command opens a transaction; they only read, parse and prepare rows, and send back plain
data, or, on a first import (`staging`), write the rows into scratch databases that the
command copies (`ckaquiz.store.staging`); a first import that reads in this process stages
its rows the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ckaquiz.decks.loader import failure_problem, load_deck_file, printable_problem
from ckaquiz.parallel import ignore_interrupts, usable_workers
from ckaquiz.store import FileScan, PreparedFile, StagedChunk, prepare_file, write_chunk

if TYPE_CHECKING:
    from ckaquiz.decks.markdown import MarkdownOptions

PARALLEL_MINIMUM_FILES = 64
PARALLEL_MINIMUM_BYTES = 1_000_000
"""Below either, starting workers costs more than they save."""
_CHUNK_FILES = 16
"""Files handed to a worker at a time: few enough to balance the load, enough to keep messages rare."""


@dataclass(frozen=True)
class ReadJob:
    """How every file of one source is read, and whether cards come back as rows or as cards."""

    deck_name: str | None
    default_deck: str | None
    options: MarkdownOptions | None
    prepare: bool


@dataclass(frozen=True)
class FileToRead:
    """A changed file: where it is, how it is shown, and the size and mtime that were seen."""

    file: Path
    shown: str
    relative: str
    size: int
    mtime_ns: int


def read_file(job: ReadJob, item: FileToRead) -> FileScan | PreparedFile:
    """Read and parse one file: its cards as rows (`job.prepare`) or as cards.

    A file that cannot be read at all comes back `kept`, with its one problem: the store then
    leaves the cards it gave before as they are. Whatever fails here fails for this file alone.
    """
    deck = load_deck_file(
        item.file,
        display_path=item.shown,
        deck_name=job.deck_name,
        default_deck=job.default_deck,
        scope=item.relative,
        options=job.options,
    )
    problems = [str(problem) for problem in deck.problems]
    cards = [] if deck.unread else list(deck.cards)
    try:
        if job.prepare:
            return prepare_file(item.shown, cards, size=item.size, mtime_ns=item.mtime_ns, problems=problems)
        return FileScan(
            path=item.shown, cards=cards, size=item.size, mtime_ns=item.mtime_ns, problems=problems, kept=deck.unread
        )
    except Exception as error:  # the file boundary again, for turning its cards into rows
        problems = [str(printable_problem(failure_problem(item.shown, error)))]
        if job.prepare:
            return prepare_file(item.shown, [], size=item.size, mtime_ns=item.mtime_ns, problems=problems)
        return FileScan(path=item.shown, cards=[], size=item.size, mtime_ns=item.mtime_ns, problems=problems, kept=True)


def worker_count(files: Sequence[FileToRead]) -> int:
    """How many processes should read these files (1: this one)."""
    if len(files) < PARALLEL_MINIMUM_FILES or sum(item.size for item in files) < PARALLEL_MINIMUM_BYTES:
        return 1
    return usable_workers(len(files) // _CHUNK_FILES)


@contextmanager
def reading(
    job: ReadJob, files: Sequence[FileToRead], *, workers: int | None = None
) -> Iterator[Iterator[tuple[FileToRead, FileScan | PreparedFile]]]:
    """Each file with its result, in the order given; workers start before the block runs."""
    count = worker_count(files) if workers is None else workers
    if count < 2:
        yield ((item, read_file(job, item)) for item in files)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(count, initializer=_start_worker, initargs=(job,)) as pool:
        results = pool.imap(_read_in_worker, files, chunksize=_CHUNK_FILES)
        yield zip(files, results, strict=True)


def chunks_by_size(files: Sequence[FileToRead], count: int) -> list[list[FileToRead]]:
    """The files in `count` (or fewer) consecutive runs, each smaller than the one before.

    Runs are handed out in order and stored in order, so the last ones decide when the work
    ends: small last runs leave little for one worker to finish while the other waits.
    """
    weights = [count + 2 - index for index in range(count)]  # e.g. 12, 11, ... 3 for 10 runs
    total = sum(item.size for item in files) or 1
    bounds = [total * sum(weights[: index + 1]) / sum(weights) for index in range(count)]
    runs: list[list[FileToRead]] = [[]]
    seen = 0
    for item in files:
        if runs[-1] and seen >= bounds[len(runs) - 1] and len(runs) < count:
            runs.append([])
        runs[-1].append(item)
        seen += item.size
    return runs


@contextmanager
def staging(
    job: ReadJob, files: Sequence[FileToRead], folder: Path, *, workers: int, chunks: int
) -> Iterator[Iterator[tuple[list[FileToRead], StagedChunk]]]:
    """Files read (in worker processes when `workers` > 1), their rows written to scratch databases
    in `folder` (`ckaquiz.store.staging`): each run of files with its scratch database, in order."""
    runs = chunks_by_size(files, chunks)
    tasks = [(folder / f"chunk-{index:03d}.db", run) for index, run in enumerate(runs)]
    if workers < 2:
        yield ((run, stage_run(job, path, run)) for path, run in tasks)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(job,)) as pool:
        yield zip(runs, pool.imap(_stage_in_worker, tasks), strict=True)


def stage_run(job: ReadJob, path: Path, run: list[FileToRead]) -> StagedChunk:
    """Read a run of files and write their rows into a new scratch database at `path`."""
    return write_chunk(path, (prepared for item in run if isinstance(prepared := read_file(job, item), PreparedFile)))


_job: ReadJob | None = None


def _start_worker(job: ReadJob) -> None:
    global _job
    _job = job
    ignore_interrupts()


def _read_in_worker(item: FileToRead) -> FileScan | PreparedFile:
    assert _job is not None
    return read_file(_job, item)


def _stage_in_worker(task: tuple[Path, list[FileToRead]]) -> StagedChunk:
    assert _job is not None
    return stage_run(_job, *task)
