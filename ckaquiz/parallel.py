"""Sharing pure, processor-bound work among the machine's cores in forked worker processes.

Workers are forked from the command's own process, so they start at once with every module
imported and read what the parent already holds. They never touch the collection's database:
they compute and send plain data back, and the parent writes it. Fork is only safe in a
process without other threads, and only Linux is known to fork cleanly, so elsewhere (and for
small work, where starting workers costs more than it saves) the work runs in this process,
with the same results in the same order.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

MAXIMUM_WORKERS = 8


def usable_workers(limit: int) -> int:
    """How many worker processes may share work of `limit` parts (1: none, run in this process)."""
    if limit < 2 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAXIMUM_WORKERS, limit))


def ignore_interrupts() -> None:
    """A worker's start: Ctrl-C is the main process's to handle, which then ends the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
