"""Real notes make good recall cards: topics, sayable key points, and what is not study material."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ckaquiz.collection import Collection
from ckaquiz.config import settings_from_mapping
from ckaquiz.coverage import score_recall
from ckaquiz.decks.markdown import MarkdownOptions, parse_markdown
from ckaquiz.decks.topics import MAX_POINTS, derived_title, is_not_study_heading, parts, point_lines, split_topics
from ckaquiz.errors import ConfigError
from ckaquiz.model import Card, CardKind
from tests.conftest import FIXTURES, seed_vault

NOTES = FIXTURES / "notes_topics"
KUBERNETES = "2026-01-14 › 공부 메모장 › Kubernetes › "
MANIFEST = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000"
NOISE = re.compile(r"^(?:</?\w+|.*:\s*$|\[!|---|🗓|https?://|\{\{)")
"""What a key point must never be: an HTML tag, a lead-in, a callout title, a rule, a field or a bare link."""


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    copy = tmp_path / "notes"
    shutil.copytree(NOTES, copy)
    return copy


def cards_of(collection: Collection) -> list[Card]:
    return [stored.card for stored in collection.store.cards() if stored.card.deck == "notes"]


def test_daily_note_and_exercises_give_exactly_these_topic_cards(collection: Collection, notes: Path) -> None:
    _, report = collection.import_path(notes)
    assert report.files_read == 2  # the template and the drawing are not read
    assert report.problems == []
    cards = cards_of(collection)
    assert [(card.prompt, card.key_points) for card in cards] == [
        (KUBERNETES + "노드 어피니티", (
            "노드 어피니티는 파드가 갈 노드를 라벨로 고른다.",
            "required 규칙을 만족하는 노드가 없으면 파드는 Pending으로 남는다.",
        )),
        (KUBERNETES + "taints", (
            "taint는 노드에 붙어서 toleration이 없는 파드를 밀어낸다.",
            "effect는 NoSchedule, PreferNoSchedule, NoExecute 세 가지다.",
            "`kubectl taint nodes node1 dedicated=gpu:NoSchedule`로 추가한다.",
        )),
        (KUBERNETES + "Pod 우선순위", (
            "PriorityClass의 value가 클수록 먼저 스케쥴된다.",
            "자리가 없으면 낮은 우선순위 파드를 선점(preemption)한다.",
        )),
        (KUBERNETES + "drain", (
            "파드를 내보내고 노드를 cordon 상태로 만든다.",
            "DaemonSet 파드는 --ignore-daemonsets로 건너뛴다.",
        )),
        (KUBERNETES + "uncordon", ("노드를 다시 스케쥴 가능하게 한다.",)),
        (KUBERNETES + "확인하는 명령", (
            "확인하는 명령은 다음과 같다: 노드의 taint를 describe로 본다.",
            "파드의 tolerations를 yaml로 본다.",
        )),
        (KUBERNETES + "색상 #ff0000", (
            "색상 #ff0000 은 태그가 아니다.",
            "kubectl get nodes -o wide",
            MANIFEST,
        )),
        # An exercise with its solution folded below it is a command card, not a recall card.
        ("Create a pod named `web` with the image `nginx:1.27`.", ()),
        ("Watch the claims in the current namespace change state.", ()),
    ]
    assert [(card.kind, card.answer) for card in cards[-2:]] == [
        (CardKind.COMMAND, "kubectl run web --image=nginx:1.27"),
        (CardKind.COMMAND, "kubectl get pvc -w"),
    ]
    assert all(card.kind is CardKind.RECALL for card in cards[:-2])
    assert all(card.tags == ("2026-01",) for card in cards if card.prompt.startswith("2026-01-14"))
    points = [point for card in cards for point in card.key_points]
    assert [point for point in points if NOISE.match(point) or "**" in point or "<" in point] == []


def test_include_all_reads_diary_plan_and_recall_sections_templates_and_drawings(
    collection: Collection, notes: Path
) -> None:
    _, report = collection.import_path(notes, options={"include_all": True})
    assert report.files_read == 4
    prompts = [card.prompt for card in cards_of(collection)]
    assert "2026-01-14 › 하루를 마치며" in prompts
    assert "2026-01-14 › 어제 학습 내용 백지 복습" in prompts
    drawing = [card for card in cards_of(collection) if card.prompt.startswith("scheduler.excalidraw")]
    assert drawing and not any('"elements"' in point for card in drawing for point in card.key_points)


def test_typed_command_counts_as_recalled_only_when_it_is_the_same_command() -> None:
    points = ["kubectl get pvc -w", "PVC는 StorageClass로 볼륨을 받는다."]
    assert score_recall(points, "kubectl get pvc --watch 로 지켜본다").points[0].status == "recalled"
    assert score_recall(points, "`kubectl get pvc -w`").points[0].status == "recalled"
    assert score_recall(points, "kubectl get pvc").points[0].status == "missed"
    assert score_recall(points, "kubectl get pv -w").points[0].status == "missed"
    # A sentence that starts with a program's name is words, not a command.
    sentence = score_recall(["kubeadm keeps static pod manifests in one folder"], "kubeadm keeps static pod manifests")
    assert sentence.points[0].status == "recalled"


def test_a_command_point_written_as_a_code_span_is_judged_as_a_command() -> None:
    # The seed note lists `kubectl exec kube-apiserver-controlplane -n kube-system -- ...` in backticks.
    point = "`kubectl exec kube-apiserver-controlplane -n kube-system -- kube-apiserver -h`"
    points = [point, "Admission controllers run after authorization."]
    right = "kubectl exec kube-apiserver-controlplane -n kube-system -- kube-apiserver -h"
    assert score_recall(points, right).points[0].status == "recalled"
    wrong_namespace = score_recall(points, right.replace("kube-system", "default"))
    assert wrong_namespace.points[0].status == "missed"
    # a span with words around it, or two spans, is still a point of words
    for words in ("run `kubectl get pods` to list them", "`kubectl get pods` or `kubectl get po`"):
        assert score_recall([words], words).points[0].status == "recalled"


def test_typed_manifest_is_judged_by_its_structure() -> None:
    typed = "```yaml\n" + MANIFEST.replace("value: 1000", "value: 10") + "\n```"
    assert score_recall([MANIFEST], "```yaml\n" + MANIFEST + "\n```").points[0].status == "recalled"
    wrong = score_recall([MANIFEST], typed)
    assert wrong.points[0].status == "missed" and wrong.suggested.label == "again"


def test_long_topic_is_cut_into_parts_of_at_most_twelve_points() -> None:
    lines = "\n".join(f"- 항목 {number}번은 따로 외운다" for number in range(1, 30))
    deck = parse_markdown(f"# 목록\n{lines}\n", "notes/long.md", options=MarkdownOptions(topics=True))
    assert [len(card.key_points) for card in deck.cards] == [10, 10, 9]
    assert [card.prompt for card in deck.cards] == [f"목록 (part {number} of 3)" for number in (1, 2, 3)]
    assert [len(run) for run in parts([f"point {number}" for number in range(25)])] == [9, 9, 7]


def test_section_with_nothing_to_say_makes_no_card() -> None:
    text = (
        "# Links\n- [[Node affinity]]\n- https://kubernetes.io/docs/home/\n\n"
        "# Wrappers\n<details>\n<summary>show</summary>\n</details>\n---\n"
    )
    assert parse_markdown(text, "notes/links.md", options=MarkdownOptions(topics=True)).cards == ()


def test_embedded_images_are_no_part_of_a_key_point() -> None:
    text = (
        "# Webhooks\n![[webhook flow.png]]\n"
        "![Pasted image 1.png](/img/Pasted%20image%201.png)위 예제는 웹훅 서비스로 TLS 요청을 보낸다.\n"
        "rules는 어떤 요청에 웹훅을 부를지 정한다.\n"
    )
    deck = parse_markdown(text, "notes/webhooks.md", options=MarkdownOptions(topics=True))
    assert [card.key_points for card in deck.cards] == [
        ("위 예제는 웹훅 서비스로 TLS 요청을 보낸다.", "rules는 어떤 요청에 웹훅을 부를지 정한다.")
    ]
    assert "![[webhook flow.png]]" in deck.cards[0].answer  # the answer still shows the images


def test_a_sentence_hard_wrapped_over_lines_is_one_key_point() -> None:
    text = (
        "# Admission\n"
        "The `NamespaceLifecycle` admission controller rejects requests  \n"
        "to a namespace that does not exist, and keeps  \n"
        "`default`, `kube-system` and `kube-public` from being deleted.\n"
        "kube-apiserver는 플러그인을 순서대로 부른다.  \n"
        "mutating 플러그인이 validating보다 먼저 돈다.\n"
        "static pods\n"
        "kubelet이 manifests 폴더의 파드를 직접 띄운다.\n"
    )
    deck = parse_markdown(text, "notes/admission.md", options=MarkdownOptions(topics=True))
    points = [point for card in deck.cards for point in card.key_points]
    assert points[0] == (
        "The `NamespaceLifecycle` admission controller rejects requests to a namespace that does not exist,"
        " and keeps `default`, `kube-system` and `kube-public` from being deleted."
    )
    # a line ending its sentence, or a title line without a hard break, stays a line of its own
    assert "kube-apiserver는 플러그인을 순서대로 부른다." in points
    assert "mutating 플러그인이 validating보다 먼저 돈다." in points
    assert "kubelet이 manifests 폴더의 파드를 직접 띄운다." in points


def test_obsidian_comments_are_no_study_material() -> None:
    text = "# Scheduler\n%% 나중에 정리 %%\nkube-scheduler는 파드를 노드에 배치한다.\n"
    text += "%%\n```json\n{\"a\": 1}\n```\n%%\n"
    deck = parse_markdown(text, "notes/scheduler.md", options=MarkdownOptions(topics=True))
    assert [card.key_points for card in deck.cards] == [("kube-scheduler는 파드를 노드에 배치한다.",)]


def test_not_study_headings_match_whole_and_recall_words_inside() -> None:
    not_study, recall = ("하루를 마치며", "내일 할 일"), ("백지 복습", "blank page")
    assert is_not_study_heading("📅 내일 할 일", not_study, recall)
    assert is_not_study_heading("오늘 학습 내용 백지 복습", not_study, recall)
    assert not is_not_study_heading("내일 할 일의 우선순위 정하기 규칙", not_study, recall)
    assert not is_not_study_heading("Static pods", not_study, recall)


def test_config_lists_are_checked() -> None:
    settings = settings_from_mapping({"not_study_headings": ["일기"], "recall_headings": ["복습 노트"]})
    assert settings.extra["not_study_headings"] == ["일기"]
    with pytest.raises(ConfigError, match="not_study_headings"):
        settings_from_mapping({"not_study_headings": "일기"})


def test_configured_lists_replace_the_defaults(collection: Collection, notes: Path) -> None:
    collection.settings.extra["not_study_headings"] = ["공부 메모장"]
    collection.settings.extra["recall_headings"] = ["nothing of the kind"]
    collection.import_path(notes)
    prompts = [card.prompt for card in cards_of(collection)]
    assert "2026-01-14 › 하루를 마치며" in prompts and "2026-01-14 › 어제 학습 내용 백지 복습" in prompts
    assert not any("공부 메모장" in prompt for prompt in prompts)


def test_topic_split_keeps_tables_and_code_with_the_topic_before_them() -> None:
    text = "# N\nstatic pods\nkubelet이 직접 만든다.\n\n| a | b |\n| --- | --- |\n| x | y |\n"
    text += "\nLimitRange는 기본값을 준다.\n"
    deck = parse_markdown(text, "notes/n.md", options=MarkdownOptions(topics=True))
    assert [(card.prompt, card.key_points) for card in deck.cards] == [
        ("N › static pods", ("kubelet이 직접 만든다.", "x · y")),
        ("N › LimitRange", ("LimitRange는 기본값을 준다.",)),
    ]
    assert split_topics([]) == []


def test_seed_note_gives_topic_cards(collection: Collection, tmp_path: Path) -> None:
    collection.import_path(seed_vault(tmp_path))
    cards = [stored.card for stored in collection.store.cards() if stored.card.deck == "seedvault"]
    prompts = [card.prompt.removeprefix("2025-03-19 › 공부 메모장 › Kubernetes › ") for card in cards]
    wanted = {
        "static pods": "static pods",
        "requests and limits": "Resource",
        "LimitRange": "LimitRange",
        "ResourceQuota": "Resource Quotas",
        "multiple schedulers": "직접 스케쥴러 작성 가능",
        "scheduler profiles": "스케쥴러 프로필",
        "admission controllers": "admisson(입장이란 뜻) controller",
        "the NamespaceLifecycle plugin": "NamespaceLifecycle admission controller",
        "validating and mutating plugins": "Admission Controller 플러그인",
        "admission webhooks": "웹훅 서버",
        "gibibytes": "gibibyte",
        "DaemonSets": "데몬셋",
    }
    for topic, title in wanted.items():
        assert prompts.count(title) == 1, topic  # each topic is its own card, named by its topic alone
    assert len(cards) == len(wanted)
    assert not any("…" in card.prompt for card in cards)  # no prompt is a sentence cut short
    resources = cards[prompts.index("Resource")]
    assert any("request" in point for point in resources.key_points)
    assert any("limit" in point for point in resources.key_points)
    assert max(len(card.key_points) for card in cards) <= MAX_POINTS
    assert not any(
        marker in card.prompt
        for card in cards
        for marker in ("하루를 마치며", "백지 복습", "오전", "오후", "내일 할 일")
    )
    points = [point for card in cards for point in card.key_points]
    assert [point for point in points if NOISE.match(point)] == []
    assert [point for point in points if "[image:" in point] == []  # the pasted screenshot says nothing
    lifecycle = cards[prompts.index("NamespaceLifecycle admission controller")]
    assert len(lifecycle.key_points) == 1 and "requests to a non-existent namespace" in lifecycle.key_points[0]


@pytest.mark.parametrize(
    ("first_point", "title"),
    [
        ("LimitRange는 네임스페이스마다 기본 requests를 준다.", "LimitRange"),
        ("파드 우선순위를 설정하는 방법은 두 가지다.", "파드 우선순위"),
        ("gibibyte: 2의 30제곱 바이트다.", "gibibyte"),
        ("kubelet이 manifests 폴더의 파드를 직접 띄운다.", "kubelet"),
        ("노드 어피니티는 파드가 갈 노드를 고른다.", "노드 어피니티"),
        ("설정하는 순서는 정해져 있다.", "설정하는 순서"),
        ("The `ServiceAccount` admission plugin will add a token volume.", "ServiceAccount admission plugin"),
        ("직접 만든 스케쥴러 실행 가능. 여러 개도 된다.", "직접 만든 스케쥴러 실행 가능"),
        ("여기 적어 둔 것 전부 나중에 다시 정리해서 볼 것 etcd etcd", "etcd"),
    ],
)
def test_untitled_topic_is_named_by_its_leading_noun_phrase(first_point: str, title: str) -> None:
    assert derived_title(first_point) == title


def test_sentence_announcing_a_list_is_joined_to_its_first_item() -> None:
    lines = ["업그레이드 과정은 다음과 같다.", "1. 컨트롤 플레인을 먼저 올린다.", "2. 노드를 하나씩 올린다."]
    assert point_lines(lines) == ["- 업그레이드 과정은 다음과 같다. 컨트롤 플레인을 먼저 올린다.", "2. 노드를 하나씩 올린다."]
    kept = ["업그레이드 과정은 다음과 같다.", "", "컨트롤 플레인부터 올린다."]  # no list right below: a point of its own
    assert point_lines(kept) == ["업그레이드 과정은 다음과 같다.", "컨트롤 플레인부터 올린다."]
