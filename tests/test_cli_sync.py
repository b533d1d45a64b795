"""`ckaquiz sync` on the command line: what it says it did."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_sync_git import DECK, reviews


def test_sync_counts_what_the_exchange_as_it_opened_applied(tmp_path: Path) -> None:
    """`ckaquiz sync` says how many events it applied, also those the exchange at its start took in."""
    deck = tmp_path / "g.yaml"
    deck.write_text(DECK, encoding="utf-8")
    folder = tmp_path / "shared"
    homes = []
    for name in ("laptop", "desktop"):
        home = tmp_path / f"{name}-home"
        home.mkdir()
        (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
        env = {"CKAQUIZ_HOME": str(home)}
        assert run_cli("import", str(deck), env=env).returncode == 0
        assert run_cli("sync", "init", str(folder), env=env).returncode == 0
        homes.append(home)
    laptop = {"CKAQUIZ_HOME": str(homes[0]), "CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}
    studied = run_cli("study", "--plain", input_text="\ngood\n\ngood\n", env=laptop)
    assert studied.returncode == 0, studied.stderr
    done = run_cli("sync", env={"CKAQUIZ_HOME": str(homes[1]), "CKAQUIZ_NOW": "2025-03-19T10:00:00+00:00"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"sync: 0 events written, {len(reviews(homes[0]))} applied"
    assert reviews(homes[1]) == reviews(homes[0]) != []
