"""Shared fixtures: every test gets its own CKAQUIZ_HOME and a colourless environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ckaquiz.collection import Collection

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED_NOTE = SHARED / "seed" / "2025-03-19.md"


def seed_vault(tmp_path: Path) -> Path:
    """A vault `seedvault` holding a copy of the real daily note beside the project; the test is
    skipped when the note is not there."""
    if not SEED_NOTE.exists():
        pytest.skip("the shared seed note is not here")
    vault = tmp_path / "seedvault"
    vault.mkdir()
    shutil.copy(SEED_NOTE, vault)
    return vault


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CKAQUIZ_HOME at a temp folder; no colour settings or frozen clock leak in."""
    home = tmp_path / "home"
    monkeypatch.setenv("CKAQUIZ_HOME", str(home))
    for name in ("NO_COLOR", "FORCE_COLOR", "CKAQUIZ_NOW"):
        monkeypatch.delenv(name, raising=False)
    return home


class FrozenClock:
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2025, 3, 19, 12, 0, tzinfo=UTC))


@pytest.fixture
def collection(isolated_home: Path, clock: FrozenClock) -> Iterator[Collection]:
    """A collection with fuzz off, so intervals are exact."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text("enable_fuzzing = false\nbuiltin_decks = false\n", encoding="utf-8")
    opened = Collection.open(isolated_home, clock=clock)
    yield opened
    opened.close()


def run_cli(*arguments: str, input_text: str = "", env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -m ckaquiz` as a user would, in a subprocess."""
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ckaquiz", *arguments],
        input=input_text,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )
