"""`python -m ckaquiz` and the `ckaquiz` console script: the command line, quiet on Ctrl-C from the start.

Loading the command line takes about 100 ms of imports. A Ctrl-C in that time (or while Python
shuts down after the command) ends the process at once with status 130 and nothing printed: no
command is running, so nothing can be lost. While a command runs, Ctrl-C is the usual
KeyboardInterrupt: a session ends with its summary, and typer turns the rest into status 130.
"""

from __future__ import annotations

import os
import signal
import sys

TYPE_CHECKING = False  # typing, types and contextlib are not imported: this runs before anything else
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

INTERRUPTED = 130
"""The exit status after Ctrl-C, as shells report a process ended by SIGINT (128 + 2)."""


def _exit_quietly(signal_number: int, frame: FrameType | None) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib is not loaded yet)
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass  # closed, or a pipe nobody reads any more
    os._exit(INTERRUPTED)


def _lost_interrupt(unraisable: Any) -> None:
    """A Ctrl-C raised inside a weakref callback or `__del__` (which Python reports and drops): exit at once.

    Otherwise the command would go on as if the key had not been pressed, after an
    "Exception ignored" traceback. Exiting loses nothing: every grade is committed before the
    next card shows, and SQLite rolls back a transaction that was not.
    """
    if issubclass(unraisable.exc_type, KeyboardInterrupt):
        _exit_quietly(signal.SIGINT, None)
    sys.__unraisablehook__(unraisable)


def _caused_by_interrupt(error: BaseException) -> bool:
    """Whether `error` came of a Ctrl-C: Python 3.11 wraps a KeyboardInterrupt raised in a class's
    `__set_name__` (while a module loads) in a RuntimeError."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def run() -> None:
    """Load the command line and run it; Ctrl-C outside a command exits 130 without a word."""
    watching = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not when Ctrl-C is ignored
    if watching:
        signal.signal(signal.SIGINT, _exit_quietly)
        sys.unraisablehook = _lost_interrupt
    if sys.argv[1:] == ["--version"]:  # answered before the command line is loaded: nothing else to do
        from ckaquiz import __version__

        sys.stdout.write(f"ckaquiz {__version__}\n")
        sys.exit(0)
    try:
        from ckaquiz.cli import main

        if watching:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        status = main()
    except KeyboardInterrupt:  # between the imports and typer's own handling of it
        status = INTERRUPTED
    except Exception as error:
        if not _caused_by_interrupt(error):
            raise
        status = INTERRUPTED
    finally:
        if watching:
            signal.signal(signal.SIGINT, _exit_quietly)
    sys.exit(status)


if __name__ == "__main__":
    run()
