"""A synthetic Obsidian vault of realistic shape, for the benchmarks.

Daily notes follow the shape of a learner's study log (frontmatter, a study-time image, tag
links, blank-page reviews, tasks, a memo pad with Kubernetes and AWS sub-sections, tables,
code blocks and images); topic notes are shorter reference pages with YAML frontmatter tags.
Both mix Korean and English and carry the inline cards ckaquiz reads: `::` and `:::` lines,
multi-line `?` cards, `==highlight==` clozes, inline `#tags` and tag links.

The text is built from word pools by a seeded random generator, so the same `notes` and
`seed` always give the same vault, byte for byte. Notes average about 5 KB and 10 cards, so
10,000 notes make about 50 MB and 100,000 cards.

    python bench/vault.py OUT_FOLDER --notes 1000
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DAILY_FOLDER = "06 - Full Notes"
TOPIC_FOLDER = "10 - Topics"
TAG_FOLDER = "03 - Tags"
IMAGE_FOLDER = "image"
DAILY_SHARE = 0.7
"""Share of notes that are daily notes; the rest are topic notes."""
FIRST_DAY = date(2022, 1, 3)

_K8S_TERMS = [
    "kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager", "kubelet", "kube-proxy",
    "CoreDNS", "Pod", "ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob",
    "Service", "NodePort", "ClusterIP", "LoadBalancer", "Ingress", "NetworkPolicy", "ConfigMap",
    "Secret", "PersistentVolume", "PersistentVolumeClaim", "StorageClass", "ResourceQuota",
    "LimitRange", "taint", "toleration", "nodeSelector", "nodeAffinity", "podAntiAffinity",
    "PriorityClass", "static pod", "ServiceAccount", "Role", "ClusterRole", "RoleBinding",
    "admission controller", "MutatingAdmissionWebhook", "ValidatingAdmissionWebhook", "CRD",
    "HorizontalPodAutoscaler", "readinessProbe", "livenessProbe", "initContainer", "sidecar",
    "kubeadm", "CNI", "Gateway API", "HTTPRoute", "Helm chart", "Kustomize overlay",
]
_AWS_TERMS = [
    "Aurora Global Database", "DynamoDB", "SQS", "SNS", "Kinesis Data Streams", "DataSync",
    "EBS snapshot", "S3 Glacier", "CloudFront", "Route 53", "ALB", "NLB", "Auto Scaling group",
    "Lambda", "Step Functions", "EventBridge", "VPC endpoint", "Transit Gateway", "Direct Connect",
    "IAM role", "KMS", "Secrets Manager", "ElastiCache", "RDS Proxy", "EFS", "FSx for Lustre",
    "Storage Gateway", "CloudTrail", "Config", "GuardDuty", "Organizations SCP", "Cognito",
]
_KOREAN_PREDICATES = [
    "는 노드 단위로 동작하고 API 서버를 거치지 않는다",
    "는 네임스페이스마다 따로 설정해야 한다",
    "를 쓰면 설정이 바뀌어도 파드를 다시 만들 필요가 없음",
    "는 스케쥴러가 필터링 단계에서 확인한다",
    "는 요청이 들어오면 먼저 인증, 그다음 인가를 거친다",
    "는 비용이 비싸지만 가용성이 높다",
    "는 트래픽이 예측 가능할 때 프로비저닝 모드가 유리함",
    "는 거의 실시간으로 데이터를 복제한다",
    "를 통해서 메시지를 여러 큐로 팬아웃할 수 있다",
    "는 장애가 나면 알아서 다시 실행된다",
    "는 기본값이 없어서 직접 명시해야 함",
    "는 읽기 전용 미러로만 보이고 수정은 파일에서 해야 한다",
    "는 시험에서 자주 나오니까 명령어를 외워두자",
    "는 base64로 인코딩된 값을 넘겨야 한다",
    "는 마스터 노드에서 정적 파드로 떠 있다",
    "는 요청한 만큼 자원을 보장받고 초과하면 스로틀링됨",
    "는 라벨 셀렉터로 대상을 고른다",
    "는 리전 간 복제가 가능하지만 지연이 있다",
    "는 서비스 이름으로 DNS 조회가 된다",
    "는 컨트롤러 매니저가 상태를 계속 맞춰준다",
]
_ENGLISH_PREDICATES = [
    "is only read when the kubelet restarts",
    "keeps its state in etcd like every other object",
    "is checked after authentication and authorization",
    "evicts running pods that do not tolerate it",
    "needs a matching label on the node",
    "bills per request, so it suits spiky traffic",
    "replicates to another region in under a second",
    "sends each message to every subscribed queue",
    "is rejected when the namespace does not exist",
    "can be changed with kubectl edit but some fields are immutable",
    "uses the default StorageClass when none is named",
    "runs one copy on every node, control plane excluded by its taint",
    "exposes the pods on a port between 30000 and 32767",
    "is the first thing to check when a pod stays Pending",
    "throttles CPU but kills the container when memory runs out",
]
_KOREAN_DIARY = [
    "오늘은 집중이 잘 됐다. 기출 문제 푸는 속도가 확실히 빨라짐.",
    "강의가 길어서 1.5배속으로 들었다. 내일은 실습 위주로 해보자.",
    "카페에서 공부했는데 생각보다 시끄러웠음.",
    "모의고사 점수가 조금 올랐다. 틀린 문제는 노트에 정리함.",
    "스터디 모임에서 네트워크 정책 문제를 같이 풀어봤다.",
    "어려운 개념은 그림으로 그려보니 이해가 쉬웠다.",
    "피곤해서 일찍 마무리. 복습은 내일 아침에 하기로.",
]
_TASKS = [
    "AWS 기출 {a}~{b}번 풀기", "CKA 강의 {a}강부터 {b}강까지", "killer.sh 모의고사 한 세트",
    "kubectl 명령어 치트시트 정리", "어제 틀린 문제 다시 보기", "etcd 백업/복구 실습",
    "네트워크 정책 실습 {a}개", "블로그에 오늘 내용 정리",
]
_COMMANDS = [
    "kubectl get pods -A -o wide",
    "kubectl describe node worker-1 | grep -i taint",
    "kubectl taint nodes node01 app=blue:NoSchedule",
    "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
    "ETCDCTL_API=3 etcdctl snapshot save /tmp/snap.db",
    "kubectl rollout undo deployment/web",
    "kubectl auth can-i list pods --as=system:serviceaccount:dev:bot",
    "ps aux | grep kubelet",
    "kubectl get events -o wide --sort-by=.lastTimestamp",
]
_LINKS = [
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/",
    "https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/",
    "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/",
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.html",
]
_TOPIC_TAGS = ["cka", "cka/scheduling", "cka/storage", "cka/networking", "cka/security", "aws", "aws/sqs",
               "aws/dynamodb", "aws/networking", "troubleshooting", "exam-tip"]


@dataclass(frozen=True)
class VaultSummary:
    """What was written: notes, bytes, and an estimate of the cards ckaquiz will find."""

    notes: int
    bytes: int
    folder: Path


class _Writer:
    """Builds the text of one note from the word pools."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def term(self) -> str:
        return self.rng.choice(_K8S_TERMS if self.rng.random() < 0.65 else _AWS_TERMS)

    def korean_line(self) -> str:
        term = self.term()
        if self.rng.random() < 0.3:
            term = f"`{term}`"
        line = f"{term}{self.rng.choice(_KOREAN_PREDICATES)}"
        if self.rng.random() < 0.35:
            line += f". {self.term()}{self.rng.choice(_KOREAN_PREDICATES)}"
        return line + ("." if self.rng.random() < 0.5 else "")

    def english_line(self) -> str:
        line = f"The {self.term()} {self.rng.choice(_ENGLISH_PREDICATES)}"
        if self.rng.random() < 0.3:
            line += f", and the {self.term()} {self.rng.choice(_ENGLISH_PREDICATES)}"
        return line + "."

    def line(self) -> str:
        return self.korean_line() if self.rng.random() < 0.6 else self.english_line()

    def highlighted(self) -> str:
        term = self.term()
        predicate = self.rng.choice(_KOREAN_PREDICATES)
        return f"=={term}=={predicate}."

    def inline_card(self) -> str:
        term = self.term()
        question = f"{term}의 역할은?" if self.rng.random() < 0.5 else f"What does {term} do?"
        separator = ":::" if self.rng.random() < 0.1 else "::"
        return f"{question}{separator}{self.rng.choice(_ENGLISH_PREDICATES)}"

    def multiline_card(self) -> list[str]:
        term = self.term()
        return [
            f"{term}를 확인하는 방법은?",
            "?",
            f"`{self.rng.choice(_COMMANDS)}`로 확인하고,",
            f"{self.rng.choice(_KOREAN_PREDICATES).removeprefix('는 ').removeprefix('를 ')}.",
            "",
        ]

    def table(self) -> list[str]:
        left, right = self.term(), self.term()
        lines = [f"| {left} | {right} |", "| --- | --- |"]
        for _ in range(self.rng.randint(2, 4)):
            lines.append(f"| {self.korean_line()[:60]} | {self.english_line()[:60]} |")
        return lines

    def yaml_block(self) -> list[str]:
        name = self.rng.choice(["web", "api", "db", "cache", "worker"])
        image = self.rng.choice(["nginx", "redis:7", "busybox", "httpd:2.4"])
        lines = ["```yaml", "apiVersion: v1", "kind: Pod", "metadata:", f"  name: {name}", "spec:", "  containers:",
                 f"  - name: {name}", f"    image: {image}"]
        if self.rng.random() < 0.5:
            lines += ["  tolerations:", "  - key: app", "    operator: Equal", "    value: blue",
                      "    effect: NoSchedule"]
        else:
            lines += ["    resources:", "      requests:", f"        cpu: {self.rng.choice(['100m', '250m'])}",
                      "      limits:", f"        memory: {self.rng.choice(['128Mi', '256Mi'])}"]
        return [*lines, "```"]

    def image(self, day: date) -> str:
        stamp = f"{day:%Y%m%d}{self.rng.randint(80000, 235959):06d}"
        return f"![Pasted image {stamp}.png](/img/user/{IMAGE_FOLDER}/Pasted%20image%20{stamp}.png)"

    def paragraph(self, count: int) -> list[str]:
        return [self.line() for _ in range(count)]

    def memo_section(self, title: str, day: date) -> list[str]:
        lines = [f"### {title}"]
        for _ in range(self.rng.randint(5, 9)):
            roll = self.rng.random()
            if roll < 0.45:
                lines.append(self.line())
            elif roll < 0.6:
                lines.append(f"- {self.line()}")
            elif roll < 0.68:
                lines.extend(["", *self.table(), ""])
            elif roll < 0.75:
                lines.extend(self.yaml_block())
            elif roll < 0.82:
                lines.append(f"`{self.rng.choice(_COMMANDS)}`로 확인 가능")
            elif roll < 0.88:
                lines.append(self.image(day))
            elif roll < 0.94:
                lines.append(self.rng.choice(_LINKS))
            else:
                lines.append(self.highlighted())
        return lines


RECALL_TITLES = ("어제 학습 내용 백지 복습", "오늘 학습 내용 백지 복습")
"""The headings of a day's two blank-page recall sections: the learner's own recall, scored on import."""
PLAIN_TITLES = ("어제 학습 내용 정리", "오늘 학습 내용 정리")
"""The same sections titled as ordinary study sections (`--without-own-recall`): the same vault for a
version of ckaquiz that predates scoring the notes' own recall, or to see what that scoring costs."""


def daily_note(rng: random.Random, day: date, *, own_recall: bool = True) -> str:
    """A study-log note: the sections of a learner's day, with a memo pad at the end."""
    writer = _Writer(rng)
    yesterday, today = RECALL_TITLES if own_recall else PLAIN_TITLES
    week = (day.day - 1) // 7 + 1
    lines = [
        "---",
        json.dumps({"dg-publish": True, "permalink": f"/06-full-notes/{day.isoformat()}/", "noteIcon": ""}),
        "---",
        "",
        "# 공부 시간",
        writer.image(day),
        "",
        "# Tags",
        f"- [[{TAG_FOLDER}/{day:%Y-%m}\\|{day:%Y-%m}]]",
        f"- [[{TAG_FOLDER}/{day:%Y-%m}-{week}week\\|{day:%Y-%m}-{week}week]]",
        "---",
        f"# {yesterday}",
        *writer.paragraph(rng.randint(7, 13)),
        "",
        "---",
        "# 오전",
        *(f"- [x] {rng.choice(_TASKS).format(a=rng.randint(1, 300), b=rng.randint(301, 400))}" for _ in range(2)),
        "---",
        "# 오후",
        f"- [x] {rng.choice(_TASKS).format(a=rng.randint(1, 90), b=rng.randint(91, 120))}",
        "---",
        f"# {today}",
        *writer.paragraph(rng.randint(8, 15)),
        writer.inline_card(),
        "",
        "---",
        "# 하루를 마치며",
        rng.choice(_KOREAN_DIARY),
        "",
        "---",
        "# 내일 할 일",
        *(f"- [ ] {rng.choice(_TASKS).format(a=rng.randint(1, 300), b=rng.randint(301, 400))}" for _ in range(3)),
        "---",
        "# 공부 메모장",
        *writer.memo_section("Kubernetes", day),
        writer.inline_card(),
        writer.highlighted(),
        "",
        *writer.multiline_card(),
        *writer.memo_section("AWS", day),
        writer.inline_card(),
        f"#{rng.choice(_TOPIC_TAGS)}",
        "",
    ]
    if rng.random() < 0.3:
        lines += writer.memo_section(writer.term(), day)
    return "\n".join(lines) + "\n"


def topic_note(rng: random.Random, title: str) -> str:
    """A reference page on one topic: YAML frontmatter tags, sections, cards and a manifest."""
    writer = _Writer(rng)
    tags = sorted(set(rng.sample(_TOPIC_TAGS, 2)))
    lines = ["---", f"tags: [{', '.join(tags)}]", f"created: {FIRST_DAY + timedelta(days=rng.randint(0, 900))}", "---",
             f"# {title}", *writer.paragraph(rng.randint(2, 4)), f"Reference: {rng.choice(_LINKS)}", ""]
    for _ in range(rng.randint(3, 5)):
        lines.append(f"## {writer.term()} {rng.choice(['정리', 'notes', '비교', '명령어', 'troubleshooting'])}")
        lines.extend(f"- {writer.line()}" for _ in range(rng.randint(3, 7)))
        roll = rng.random()
        if roll < 0.3:
            lines.extend(["", *writer.table(), ""])
        elif roll < 0.55:
            lines.extend(writer.yaml_block())
        lines.append(writer.inline_card())
        if rng.random() < 0.5:
            lines.append(writer.highlighted())
        lines.append("")
    if rng.random() < 0.4:
        lines.extend(writer.multiline_card())
    return "\n".join(lines) + "\n"


def write_vault(folder: Path, notes: int, *, seed: int = 20250319, own_recall: bool = True) -> VaultSummary:
    """Write `notes` notes (70% daily, 30% topics) plus tag notes and the `.obsidian` folder; without
    `own_recall`, the daily notes' recall sections are titled as ordinary sections."""
    rng = random.Random(seed)
    (folder / ".obsidian").mkdir(parents=True, exist_ok=True)
    daily = folder / DAILY_FOLDER
    topics = folder / TOPIC_FOLDER
    tag_folder = folder / TAG_FOLDER
    for path in (daily, topics, tag_folder):
        path.mkdir(parents=True, exist_ok=True)
    daily_count = round(notes * DAILY_SHARE)
    total = 0
    months: set[str] = set()
    for index in range(daily_count):
        day = FIRST_DAY + timedelta(days=index)
        months.add(f"{day:%Y-%m}")
        # Years of daily notes: group them by year as learners do, so no folder is huge.
        target = daily / str(day.year) / f"{day.isoformat()}.md"
        target.parent.mkdir(exist_ok=True)
        data = daily_note(rng, day, own_recall=own_recall).encode("utf-8")
        target.write_bytes(data)
        total += len(data)
    for index in range(notes - daily_count):
        title = f"{_Writer(rng).term()} {index + 1:05d}"
        data = topic_note(rng, title).encode("utf-8")
        (topics / f"{title}.md").write_bytes(data)
        total += len(data)
    for month in sorted(months):
        (tag_folder / f"{month}.md").write_text(f"# {month}\n", encoding="utf-8")
    return VaultSummary(notes=notes, bytes=total, folder=folder)


def main() -> int:
    """Write a vault from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20250319)
    arguments = parser.parse_args()
    summary = write_vault(arguments.folder, arguments.notes, seed=arguments.seed)
    print(f"{summary.notes} notes, {summary.bytes / 1e6:.1f} MB in {summary.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
