"""`python -m ckaquiz` and the `ckaquiz` console script: the command line, quiet on Ctrl-C from the start.

Loading the command line takes about 100 ms of imports. A Ctrl-C in that time (or while Python
shuts down after the command) ends the process at once with status 130 and nothing printed: no
command is running, so nothing can be lost. While a command runs, Ctrl-C is the usual
KeyboardInterrupt: a session ends with its summary, and typer turns the rest into status 130.
"""

import contextlib
import os
import signal
import sys
from types import FrameType

INTERRUPTED = 130
"""The exit status after Ctrl-C, as shells report a process ended by SIGINT (128 + 2)."""


def _exit_quietly(signal_number: int, frame: FrameType | None) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or a pipe nobody reads
            stream.flush()
    os._exit(INTERRUPTED)


def run() -> None:
    """Load the command line and run it; Ctrl-C outside a command exits 130 without a word."""
    watching = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not when Ctrl-C is ignored
    if watching:
        signal.signal(signal.SIGINT, _exit_quietly)
    try:
        from ckaquiz.cli import main

        if watching:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        status = main()
    except KeyboardInterrupt:  # between the imports and typer's own handling of it
        status = INTERRUPTED
    finally:
        if watching:
            signal.signal(signal.SIGINT, _exit_quietly)
    sys.exit(status)


if __name__ == "__main__":
    run()
