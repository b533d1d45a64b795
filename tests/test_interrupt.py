"""Ctrl-C in the first 100 ms of any command: no traceback, exit 130 quietly (or, once a session
has begun, the session's own clean end).

Each run starts under `python -X importtime`, which reports every finished import on stderr, and
Ctrl-C (SIGINT) is sent at a delay after the first module of typer has loaded: that is, while the
command line is still loading (about 100 ms of imports), while it parses the arguments, or once
the command runs. Before that point only Python's own start-up runs, which no program can quiet.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.safety_helpers import no_builtin_home, yaml_deck

DELAYS = (0.0, 0.01, 0.03, 0.06, 0.1, 0.2)
QUIET_ENDS = (130, 0, -signal.SIGINT)
"""130; 0 when the command had already finished; or ended by SIGINT itself, when it came as
Python was finishing (its last step restores the default handler), which shells report as 130."""
NOISE = ("Traceback", "KeyboardInterrupt", "Exception ignored", "Fatal Python error", "Aborted")


def interrupted(arguments: list[str], delay: float, *, terminal: bool = False) -> tuple[int, str, str]:
    """Run `python -m ckaquiz ARGUMENTS`, send SIGINT `delay` seconds after typer starts loading."""
    environment = dict(os.environ, COLUMNS="80", LINES="24", TERM="xterm")
    if terminal:
        leader, follower = pty.openpty()
        stdin = stdout = follower
    else:
        stdin = stdout = subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "ckaquiz", *arguments],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stderr is not None
    report: list[str] = []
    for raw in process.stderr:
        line = raw.decode("utf-8", "replace")
        report.append(line)
        if "typer" in line:
            break
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    if terminal:
        os.close(follower)
        shown = _drain(leader, process)
        rest = process.stderr.read()
        process.stderr.close()
        process.wait(timeout=60)
    else:
        out, rest = process.communicate(timeout=60)
        shown = out.decode("utf-8", "replace")
    report.append(rest.decode("utf-8", "replace"))
    errors = "".join(line for line in "".join(report).splitlines(keepends=True) if not line.startswith("import time:"))
    return process.returncode, shown, errors


def _drain(leader: int, process: subprocess.Popen[bytes]) -> str:
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def studied_home(isolated_home: Path, tmp_path: Path) -> Path:
    no_builtin_home(isolated_home)
    folder = tmp_path / "decks"
    folder.mkdir()
    for number in range(3):
        (folder / f"deck{number}.yaml").write_text(yaml_deck(f"deck{number}", 20), encoding="utf-8")
    assert run_cli("import", str(folder)).returncode == 0
    return folder


@pytest.mark.parametrize("delay", DELAYS)
@pytest.mark.parametrize(
    "arguments",
    [["study", "--plain"], ["decks"], ["stats"], ["cards", "--json"], ["--help"]],
    ids=" ".join,
)
def test_ctrl_c_at_start_is_quiet(studied_home: Path, arguments: list[str], delay: float) -> None:
    status, shown, errors = interrupted(arguments, delay)
    assert not any(word in errors for word in NOISE), errors
    assert status in QUIET_ENDS, (status, errors)
    if status != 0:
        assert errors.strip() == "", errors
    if arguments[0] == "study" and status == 0:  # the session had begun: it ended cleanly
        assert shown.splitlines()[-1].startswith("reviewed 0 cards"), shown


@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_at_the_start_of_a_terminal_session_is_quiet(studied_home: Path, delay: float) -> None:
    status, shown, errors = interrupted(["study"], delay, terminal=True)
    assert not any(word in errors + shown for word in NOISE), (errors, shown)
    assert status in QUIET_ENDS, (status, errors, shown)
    if status == 0:
        assert "session summary" in shown, shown
    else:
        assert errors.strip() == "", errors  # 130, or ended by SIGINT


@pytest.mark.parametrize("delay", (0.0, 0.05, 0.15))
def test_ctrl_c_at_the_start_of_an_import_stores_nothing_half(studied_home: Path, tmp_path: Path, delay: float) -> None:
    status, _, errors = interrupted(["import", str(studied_home)], delay)
    assert not any(word in errors for word in NOISE), errors
    assert status in QUIET_ENDS, (status, errors)
    listed = run_cli("cards", "--json")
    assert listed.returncode == 0 and listed.stdout.count('"id"') == 60, listed.stderr


def test_an_interrupt_python_wrapped_while_a_module_loads_still_counts_as_one() -> None:
    from ckaquiz.__main__ import _caused_by_interrupt

    class Descriptor:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt  # as a Ctrl-C arriving while a dataclass is made

    with pytest.raises(BaseException) as wrapped:  # RuntimeError on Python 3.11, the interrupt itself later

        class Owner:
            field = Descriptor()

    assert _caused_by_interrupt(wrapped.value)
    assert not _caused_by_interrupt(RuntimeError("a real error"))
    looped = ValueError("one")
    looped.__context__ = ValueError("two")
    looped.__context__.__context__ = looped
    assert not _caused_by_interrupt(looped)
