"""Reading a file the learner controls (a note, the plugin's settings, config.toml) without hanging.

A named pipe blocks an ordinary open until something writes to it, `/dev/zero` never ends and a
link may lead anywhere. A read here opens without blocking, takes only a regular file, stops at
a size cap and, given a folder, refuses a file whose real path lies outside it. Every refusal is
a `RefusedFile` whose message is one line, for the caller to put after the file's name.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_DECK_BYTES = 20 * 1024 * 1024
"""The largest deck file read: a note or deck over it is refused with a problem, not parsed."""


class RefusedFile(Exception):
    """A file that was not read; the message says why in a few words."""


def size_text(size: int) -> str:
    """A byte count as the caps are written in the docs: `20 MB`, `256 KB`, `100 bytes`."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def read_regular_file(path: Path | str, *, limit: int, within: Path | None = None, place: str = "the vault") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, inside `within` when it is given.

    Raises `RefusedFile` for a named pipe, a device, a folder, a file over the cap or (with
    `within`) a link that leads out of that folder, and OSError when the file cannot be opened.
    """
    target = str(path)
    if within is not None:
        real = os.path.realpath(target)
        top = os.path.realpath(within)
        if os.path.commonpath([real, top]) != top:
            raise RefusedFile(f"refused: it is a link that leads outside {place}")
        target = real
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)  # a named pipe must not block the open
    descriptor = os.open(target, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile(f"refused: {_kind(status.st_mode)}, not a regular file")
        if status.st_size > limit:
            raise RefusedFile(f"skipped: larger than {size_text(limit)}")
        # Sized by the open file's own stat: `read(limit)` would allocate `limit` bytes first.
        wanted = status.st_size + 1
        data = os.read(descriptor, wanted)
        if len(data) == wanted:  # more than its stat said: a file still growing
            parts = [data]
            seen = len(data)
            while seen <= limit and (more := os.read(descriptor, min(limit + 1 - seen, 1 << 20))):
                parts.append(more)
                seen += len(more)
            data = b"".join(parts)
        if len(data) > limit:
            raise RefusedFile(f"skipped: larger than {size_text(limit)}")
        return data
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
