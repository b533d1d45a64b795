"""Reading deck sources into the store: plan the changed files, read them, apply them.

A source is a deck file, a folder of decks or an Obsidian vault registered by `ckaquiz import`
(or the built-in decks). Files whose size and mtime are unchanged are not read again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from ckaquiz.config import builtin_decks_folder
from ckaquiz.decks.loader import (
    DELIMITED_SUFFIXES,
    READER_VERSION,
    find_deck_files,
    is_deck_file,
    printable_problem,
)
from ckaquiz.errors import UsageError
from ckaquiz.library import Library
from ckaquiz.model import Deck, Problem
from ckaquiz.progress import Progress
from ckaquiz.store import (
    SourceRecord,
    Store,
    SyncCounts,
    deactivate_source,
    file_problems,
    find_source,
    is_fresh_source,
    known_files,
    reader_version,
    recalls_behind,
    register_source,
    registered_sources,
    set_reader_version,
    sync_source,
)

BUILTIN_SOURCE = "builtin"


@dataclass
class ScanReport:
    """What refreshing sources did: files read, card counts, problems as `file:line: message`."""

    files_read: int = 0
    files_unchanged: int = 0
    counts: SyncCounts = field(default_factory=SyncCounts)
    problems: list[str] = field(default_factory=list)


def ensure_builtin_source(library: Library) -> None:
    """Register the built-in decks (and the config's deck folders) when they are enabled."""
    now = library.now()
    existing = find_source(library.store, BUILTIN_SOURCE)
    if library.settings.builtin_decks:
        folder = str(builtin_decks_folder())
        if existing is None or existing.path != folder or not existing.active:
            register_source(library.store, BUILTIN_SOURCE, folder, now=now, builtin=True)
    elif existing is not None and existing.active:
        deactivate_source(library.store, BUILTIN_SOURCE, now=now)
    for folder_text in library.settings.deck_folders:
        if not folder_text.strip():
            raise UsageError(
                "config.toml: deck_folders: a blank entry would read the current folder; give each folder's path"
            )
        folder_path = Path(folder_text).expanduser().resolve()
        name = f"config:{folder_path.name}"
        known = find_source(library.store, name)
        if known is None or known.path != str(folder_path) or not known.active:
            register_source(library.store, name, str(folder_path), now=now)


def refresh(
    library: Library, *, progress: Progress | None = None, only: list[SourceRecord] | None = None
) -> ScanReport:
    """Rescan registered sources; files whose size and mtime are unchanged are skipped."""
    if only is None:
        ensure_builtin_source(library)
    report = ScanReport()
    skip = library.settings.skip_headings
    lists = {key: library.settings.extra[key] for key in NOTE_LIST_SETTINGS if key in library.settings.extra}
    for source in only if only is not None else registered_sources(library.store):
        scan_source(
            library.store, source, now=library.now(), report=report, progress=progress, skip_headings=skip, lists=lists
        )
    return report


def import_path(
    library: Library,
    path: Path,
    *,
    deck: str | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> tuple[SourceRecord, ScanReport]:
    """Register a deck file, a folder of decks or an Obsidian vault as a source, and scan it."""
    resolved = path.expanduser().resolve()
    if not resolved.exists():
        raise UsageError(f"{path}: no such file or folder")
    if resolved.is_file() and not (is_deck_file(resolved) or resolved.suffix.lower() in DELIMITED_SUFFIXES):
        raise UsageError(f"{path}: not a deck file (expected .md, .yaml, .yml, .csv or .tsv)")
    name = deck or _default_source_name(resolved)
    clash = find_source(library.store, name)
    if clash is not None and clash.path != str(resolved) and clash.active:
        if deck is None or clash.deck != deck:
            raise UsageError(f"a source named {name!r} already reads {clash.path}; choose another --deck name")
        name = _another_source_of(library, deck, resolved)  # several paths read into one deck
    source = register_source(library.store, name, str(resolved), now=library.now(), deck=deck, options=options or {})
    return source, refresh(library, progress=progress, only=[source])


def _another_source_of(library: Library, deck: str, resolved: Path) -> str:
    """The name of the source that reads this path into `deck`: the one already registered, else a new one."""
    for source in registered_sources(library.store, include_inactive=True):
        if source.path == str(resolved) and source.deck == deck:
            return source.name
    for name in _numbered_names(deck, resolved):
        if find_source(library.store, name) is None:
            return name
    raise AssertionError("unreachable: the names never run out")


def _numbered_names(deck: str, path: Path) -> Iterator[str]:
    yield f"{deck} + {path.name}"
    number = 2
    while True:
        yield f"{deck} + {path.name} ({number})"
        number += 1


def _default_source_name(path: Path) -> str:
    if path.is_file() and path.suffix.lower() in {".yaml", ".yml"}:
        from ckaquiz.decks.yaml_deck import peek_deck_name

        return peek_deck_name(path) or path.stem
    return path.stem if path.is_file() else path.name


def source_files(source: SourceRecord) -> list[tuple[str, str, str]]:
    """(file, display path, path inside the source) for each deck file or note of a source."""
    root = Path(source.path)
    if root.is_file():
        return [(str(root), str(root), root.name)]
    if not root.is_dir():
        return []
    if source.builtin:
        files = sorted(find_deck_files(root), key=lambda file: _builtin_order(file.relative_to(root).as_posix()))
        return [
            (str(file), f"builtin/{file.relative_to(root).as_posix()}", file.relative_to(root).as_posix())
            for file in files
        ]
    from ckaquiz.decks.obsidian import ignored_by_plugin, ignored_note_folders, walk_note_paths

    excludes = [str(pattern) for pattern in source.options.get("exclude", [])]
    ignored = ignored_note_folders(root)  # the plugin's noteFoldersToIgnore
    kept = [
        (file, file, relative)
        for file, relative in walk_note_paths(root, excludes)
        if not (ignored and ignored_by_plugin(relative, ignored))
    ]
    if source.options.get("include_all"):
        return kept
    from ckaquiz.decks.topics import is_not_study_file

    return [entry for entry in kept if not is_not_study_file(entry[2])]


def _recalls_to_read(store: Store, source: SourceRecord, changed: Sequence[object], removed: set[str]) -> bool:
    """Whether the source's own recall sections need reading: a file changed or went, or a scan
    stopped after the cards were stored and before the recall sections were read."""
    return bool(changed or removed) or recalls_behind(store, source.id)


def transient_source(path: Path) -> SourceRecord:
    """The source `import PATH` (without flags) would register for a path, without registering it."""
    resolved = path.expanduser().resolve()
    return SourceRecord(
        id=0, name=_default_source_name(resolved), path=str(resolved), builtin=False, deck=None, options={}, active=True
    )


def source_decks(source: SourceRecord, *, skip_headings: tuple[str, ...] = (), problems: list[str]) -> list[Deck]:
    """Every file of a source parsed exactly as a scan parses it (the files, settings and deck names of `import`)."""
    from ckaquiz.decks.loader import load_deck_file

    options = None
    if not source.builtin:
        from ckaquiz.decks.obsidian import markdown_options

        source_options = dict(source.options)
        source_options["skip_headings"] = [*source_options.get("skip_headings", []), *skip_headings]
        options = markdown_options(Path(source.path), source_options, problems)
    return [
        load_deck_file(
            Path(file),
            display_path=shown,
            deck_name=source.deck,
            default_deck=None if source.builtin else source.name,
            scope=relative,
            options=options,
        )
        for file, shown, relative in source_files(source)
    ]


NOTE_LIST_SETTINGS = ("not_study_headings", "recall_headings")
"""config.toml lists that replace the defaults of what in a note is not study material."""

BUILTIN_ORDER = ("cka/static-pods", "cka/admission-control", "cka/", "ko/", "aws/")


def _builtin_order(relative: str) -> tuple[int, str]:
    """New built-in cards come CKA first (the learner's current topics leading), then Korean, then AWS."""
    rank = next(
        (index for index, prefix in enumerate(BUILTIN_ORDER) if relative.startswith(prefix)), len(BUILTIN_ORDER)
    )
    return rank, relative


def _storable_name(path: str) -> bool:
    """Whether a path can be stored as text: a name that is not UTF-8 holds surrogates standing for its bytes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scan_source(
    store: Store,
    source: SourceRecord,
    *,
    now: datetime,
    report: ScanReport,
    progress: Progress | None = None,
    skip_headings: tuple[str, ...] = (),
    lists: dict[str, Any] | None = None,
) -> None:
    """Bring one source's cards in the store up to date with its files, in one transaction.

    Files whose size and mtime are as last seen are not read; the others are parsed (by
    several processes when there are many, see `ckaquiz.reading`) and matched to the stored
    cards, or, for a source with nothing stored yet, simply added.
    """
    from ckaquiz.reading import FileToRead, ReadJob, reading, staging, worker_count
    from ckaquiz.store import MAXIMUM_CHUNKS, FileScan, PreparedFile, StagedChunk, add_staged_files, scratch_folder

    known = known_files(store, source.id)
    stale = bool(known) and reader_version(store, source.id) != READER_VERSION  # read by other readers: all again
    files = source_files(source)
    present: set[str] = set()
    positions: list[int] = []
    changed: list[FileToRead] = []
    stamps: dict[str, tuple[str, tuple[int, int]]] = {}
    for index, (file, shown, relative) in enumerate(files, start=1):
        if not _storable_name(shown):
            problem = Problem(shown, 1, "skipped: the file name is not valid UTF-8 (rename the file to read it)")
            report.problems.append(str(printable_problem(problem)))
            continue
        present.add(shown)
        try:
            status = os.stat(file)
        except OSError:
            continue
        stamps[shown] = (file, (status.st_size, status.st_mtime_ns))
        if not stale and known.get(shown) == (status.st_size, status.st_mtime_ns):
            report.files_unchanged += 1
            continue
        positions.append(index)
        changed.append(FileToRead(Path(file), shown, relative, status.st_size, status.st_mtime_ns))
    removed = known.keys() - present
    options = None
    if changed and not source.builtin:  # only a scan with files to read needs the parser's options
        from ckaquiz.decks.obsidian import markdown_options

        source_options = dict(lists or {}) | dict(source.options)
        source_options["skip_headings"] = [*source_options.get("skip_headings", []), *skip_headings]
        options = markdown_options(Path(source.path), source_options, report.problems)
    job = ReadJob(
        deck_name=source.deck, default_deck=None if source.builtin else source.name, options=options, prepare=True
    )

    def read(results: Iterator[tuple[FileToRead, FileScan | PreparedFile]]) -> Iterator[FileScan | PreparedFile]:
        for position, (item, result) in zip(positions, results, strict=True):
            if progress is not None:
                progress(position, len(files), f"reading {PurePath(item.shown).name}")
            report.files_read += 1
            yield result

    def staged_chunks(runs: Iterator[tuple[list[FileToRead], StagedChunk]]) -> Iterator[StagedChunk]:
        done = 0
        for run, chunk in runs:
            done += len(run)
            if progress is not None:
                progress(positions[done - 1], len(files), f"reading {PurePath(run[-1].shown).name}")
            report.files_read += len(run)
            yield chunk

    counts: SyncCounts | None = None
    if changed and not known and is_fresh_source(store, source.id):
        # Nothing to match yet (a first import): rows prepared while parsing are staged in
        # scratch databases that SQLite copies, without per-card matching.
        files_read = report.files_read
        with (
            scratch_folder(store) as folder,
            staging(job, changed, folder, workers=worker_count(changed), chunks=MAXIMUM_CHUNKS) as staged,
        ):
            counts = add_staged_files(store, source.id, staged_chunks(staged), now=now)
        if counts is None:
            report.files_read = files_read  # an id was taken after all: read again and match
    if counts is None and (changed or removed):
        with reading(replace(job, prepare=False), changed) as results:
            scans = [result for result in read(results) if isinstance(result, FileScan)]
        counts = sync_source(store, source.id, scans, removed=removed, now=now)
    if counts is not None:
        report.counts.add(counts)
    if reader_version(store, source.id) != READER_VERSION:
        set_reader_version(store, source.id, READER_VERSION)
    notes = not source.builtin and not source.options.get("include_all")
    if notes and _recalls_to_read(store, source, changed, removed):
        from ckaquiz.decks.topics import RECALL_HEADINGS
        from ckaquiz.own_recall_attempts import record_own_recalls

        headings = (dict(lists or {}) | dict(source.options)).get("recall_headings", RECALL_HEADINGS)
        changed_cards = bool(changed or removed)
        record_own_recalls(
            store, source, stamps, now=now, cards_changed=changed_cards, recall_headings=headings, progress=progress
        )
    report.problems.extend(file_problems(store, source.id))
    if not source.builtin:
        from ckaquiz.store import duplicate_card_warnings

        # only a scan that read or removed files changes the cards: otherwise the warnings kept are still true
        touched = {item.shown for item in changed} | removed
        report.problems.extend(duplicate_card_warnings(store, source.id, recount=bool(touched), changed_paths=touched))
