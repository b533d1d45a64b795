"""The learner's own blank-page recall sections are read as recall attempts of the day they recall."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ckaquiz.decks.own_recall import recall_sections
from tests.conftest import SHARED, run_cli

SEED = SHARED / "seed" / "2025-03-19.md"
NOTE = (
    "# 공부 시간\n![x](/img/x.png)\n---\n# 어제 학습 내용 백지 복습\n서비스는 파드 묶음에 고정된 주소를 준다.\n\n"
    "---\n# 오전\n- [x] 강의\n# 오늘 학습 내용 백지 복습\nNodePort는 모든 노드의 같은 포트를 연다.\n"
    "## 더\n`kubectl get svc`\n# 공부 메모장\n서비스 메모\n"
)


def test_yesterday_and_today_sections_recall_their_days() -> None:
    sections = recall_sections(NOTE, "2026-01-14.md", date(2026, 1, 14))
    assert [(section.day, section.line, section.text) for section in sections] == [
        (date(2026, 1, 13), 4, "서비스는 파드 묶음에 고정된 주소를 준다."),
        (date(2026, 1, 14), 10, "NodePort는 모든 노드의 같은 포트를 연다.\n더\n`kubectl get svc`"),
    ]
    assert recall_sections(NOTE, "undated.md", None) == []


def test_seed_note_recalls_the_eighteenth_and_the_nineteenth() -> None:
    if not SEED.exists():
        pytest.skip("the shared seed note is not here")
    sections = recall_sections(SEED.read_text(encoding="utf-8"), SEED.name, date(2025, 3, 19))
    assert [section.day for section in sections] == [date(2025, 3, 18), date(2025, 3, 19)]
    assert "taint" in sections[0].text and "toleration" in sections[0].text
    assert "Aurora Global Database" in sections[1].text and "staticPod" in sections[1].text
    assert "하루를 마치며" not in sections[1].text


def test_recall_report_shows_what_the_next_days_recall_covered(tmp_path: Path, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
    vault = tmp_path / "daily"
    vault.mkdir()
    (vault / "2026-01-13.md").write_text(
        "# 공부 메모장\n서비스는 파드 묶음에 고정된 주소를 준다.\nIngress는 HTTP 경로로 서비스를 고른다.\n",
        encoding="utf-8",
    )
    (vault / "2026-01-14.md").write_text(NOTE, encoding="utf-8")
    before = {path.name: path.read_bytes() for path in vault.iterdir()}
    assert run_cli("import", str(vault)).returncode == 0
    result = run_cli("recall-report", "2026-01-13", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recall_sections"] == [f"{vault / '2026-01-14.md'}:4"]
    (card,) = report["cards"]
    assert card["recalled"] == ["서비스는 파드 묶음에 고정된 주소를 준다."]
    assert card["missed"] == ["Ingress는 HTTP 경로로 서비스를 고른다."]
    table = run_cli("recall-report", "2026-01-13", env={"COLUMNS": "160"})
    assert table.returncode == 0 and "Ingress" in table.stdout
    assert {path.name: path.read_bytes() for path in vault.iterdir()} == before
    assert run_cli("recall-report", "13 Jan").returncode == 1
