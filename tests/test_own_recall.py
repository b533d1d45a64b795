"""The learner's own blank-page recall sections are read as recall attempts of the day they recall."""

from __future__ import annotations

from datetime import date

import pytest

from ckaquiz.decks.own_recall import recall_sections
from tests.conftest import SHARED

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
