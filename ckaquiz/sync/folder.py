"""The synced folder: each device's own append-only files, and reading what is new in the others'.

    <folder>/devices/<device id>/<year-month>.jsonl

A device writes only below its own id, so no sync engine ever sees two writers of one file. What
engines do to files anyway is expected: a conflict copy (`*.sync-conflict-*`, `* (conflicted
copy)*`, `* 2.jsonl`) is one more file of that device, read like the others (its events are
duplicates, dropped by id); a file cut short by a transfer in progress is read up to its last
complete line, and the rest when it has arrived.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ckaquiz.store.sync_state import FileMark
from ckaquiz.sync.events import Event, EventProblem, decode

DEVICES = "devices"
SUFFIX = ".jsonl"
MAX_LINE_BYTES = 1024 * 1024
"""A line longer than this is not one of ckaquiz's (a review with its typed answer is far shorter)."""


@dataclass
class FolderRead:
    """What is new in the folder since the marks: events in file order, warnings, the marks after."""

    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    marks: dict[str, FileMark] = field(default_factory=dict)


def device_file(folder: Path, device: str, moment: datetime) -> Path:
    """The file this device appends to in the month of `moment`."""
    return folder / DEVICES / device / f"{moment:%Y-%m}{SUFFIX}"


def other_files(folder: Path, device: str) -> Iterator[tuple[str, os.stat_result]]:
    """Each regular file below `devices/` of the other devices, by its path relative to the folder.

    Hidden files and folders (a sync engine's own, such as `.stversions` or `.git`) are left out.
    """
    root = folder / DEVICES
    try:
        owners = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for owner in owners:
        if owner.name.startswith(".") or owner.name == device or not owner.is_dir(follow_symlinks=False):
            continue
        try:
            entries = sorted(os.scandir(owner.path), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            try:
                yield f"{DEVICES}/{owner.name}/{entry.name}", entry.stat(follow_symlinks=False)
            except OSError:
                continue


def read_new(folder: Path, device: str, marks: dict[str, FileMark]) -> FolderRead:
    """The complete lines added to the other devices' files since `marks` (a changed file only)."""
    found = FolderRead()
    for relative, status in other_files(folder, device):
        mark = marks.get(relative, FileMark())
        if status.st_size == mark.size and status.st_mtime_ns == mark.mtime_ns:
            continue
        if not relative.endswith(SUFFIX):
            found.problems.append(f"{folder / relative}:1: not a ckaquiz sync file (skipped)")
            found.marks[relative] = FileMark(status.st_size, 0, status.st_size, status.st_mtime_ns)
            continue
        if status.st_size < mark.read_to:  # replaced by a shorter copy: read it again (events dedupe by id)
            mark = FileMark()
        found.marks[relative] = _read_file(folder / relative, mark, status, found)
    return found


def _read_file(path: Path, mark: FileMark, status: os.stat_result, found: FolderRead) -> FileMark:
    try:
        with open(path, "rb") as file:
            file.seek(mark.read_to)
            data = file.read(max(0, status.st_size - mark.read_to))
    except OSError as error:
        found.problems.append(f"{path}:{mark.lines + 1}: cannot be read ({error.strerror or error})")
        return mark
    end = data.rfind(b"\n") + 1  # a last line without its newline is still arriving
    if end == 0 and len(data) > MAX_LINE_BYTES:
        end = len(data)  # no line is that long: not ours, skip it rather than wait forever
    line_number = mark.lines
    for raw in data[:end].split(b"\n")[:-1] if end else []:
        line_number += 1
        text = raw.rstrip(b"\r")
        if not text.strip():
            continue
        try:
            found.events.append(decode(text.decode("utf-8")))
        except UnicodeDecodeError:
            found.problems.append(f"{path}:{line_number}: not a ckaquiz sync event (not UTF-8 text)")
        except EventProblem as problem:
            found.problems.append(f"{path}:{line_number}: {problem}")
    return FileMark(mark.read_to + end, line_number, status.st_size, status.st_mtime_ns)


def append_lines(path: Path, lines: list[str]) -> None:
    """Append complete lines to this device's own file, durably.

    A last line left incomplete by a process killed while writing is cut off first: it is this
    device's own file, and the events of that line are written again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        size = os.fstat(descriptor).st_size
        if size:
            keep = _complete_length(descriptor, size)
            if keep != size:
                os.ftruncate(descriptor, keep)
            size = keep
        os.lseek(descriptor, size, os.SEEK_SET)
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        while data:
            written = os.write(descriptor, data)
            data = data[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _complete_length(descriptor: int, size: int) -> int:
    """The length of the file up to and including its last newline."""
    position = size
    while position > 0:
        start = max(0, position - 65536)
        chunk = os.pread(descriptor, position - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0
