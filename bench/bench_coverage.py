"""Benchmark blank-page recall scoring on a note and a recall of realistic size.

Builds, deterministically, a mixed Korean and English note of about 3,000 characters (about 40
key points, with Markdown markup and flattened table rows) and a recall of about 1,500
characters (paraphrased, with typos, particles and a few off-topic sentences), scores it many
times and prints the median, minimum and maximum time and whether the 50 ms target is met.
A second row times the misconception bank (every built-in entry) over a 3,000-character text,
as a recall answer or a note is checked, against MISCONCEPTION_TARGET_MS.

Run it with `python bench/bench_coverage.py` from the project folder.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckaquiz.coverage import score_recall
from ckaquiz.misconceptions import builtin_bank, find

TARGET_MS = 50.0
MISCONCEPTION_TARGET_MS = 20.0
RUNS = 200
NOTE_CHARACTERS = 3000
POINT_COUNT = 40
RECALL_CHARACTERS = 1500

_SUBJECTS = [
    "`staticPodPath`",
    "**kubelet**",
    "`kube-apiserver`",
    "ResourceQuota",
    "LimitRange",
    "`NoExecute` taint",
    "toleration",
    "nodeAffinity",
    "`requiredDuringScheduling`",
    "ClusterRoleBinding",
    "`etcdctl snapshot save`",
    "CoreDNS",
    "`NodePort`",
    "PersistentVolumeClaim",
    "StorageClass",
    "SQS FIFO queue",
    "SNS topic",
    "DynamoDB on-demand mode",
    "Aurora reader endpoint",
    "`--enable-admission-plugins`",
    "MutatingAdmissionWebhook",
    "DaemonSet",
    "`priorityClassName`",
    "[[CKA/Scheduler|scheduler profile]]",
    "==visibility timeout==",
    "dead-letter queue",
]
_ENGLISH_PREDICATES = [
    "is read by the kubelet on every node",
    "limits the total memory of a namespace",
    "sets default requests and limits for containers",
    "evicts running pods without a toleration",
    "keeps a pod Pending when no node matches",
    "grants a role in every namespace",
    "needs --cacert, --cert and --key from the manifest",
    "resolves web.default.svc.cluster.local",
    "opens a port between 30000 and 32767 on each node",
    "binds to one matching volume",
    "creates volumes dynamically with a provisioner",
    "keeps messages for 4 days by default",
    "pushes every message to all subscribers",
    "bills per request for unpredictable traffic",
    "spreads connections across up to 15 replicas",
    "turns admission plugins on",
    "changes objects before validation runs",
    "runs one copy on each eligible node",
    "moves a pod ahead in the scheduling queue",
]
_KOREAN_PREDICATES = [
    "노드마다 kubelet이 직접 읽어서 파드를 만든다",
    "네임스페이스 전체 메모리 사용량을 제한한다",
    "컨테이너의 기본 requests와 limits를 설정한다",
    "toleration이 없는 실행 중인 파드를 쫓아낸다",
    "맞는 노드가 없으면 파드가 Pending 상태로 남는다",
    "모든 네임스페이스에 롤을 부여한다",
    "매니페스트에서 인증서 경로를 가져와야 한다",
    "서비스 이름을 클러스터 DNS로 찾게 해준다",
    "모든 노드에 30000~32767 사이 포트를 연다",
    "조건이 맞는 볼륨 하나와 바인딩된다",
    "provisioner로 볼륨을 동적으로 생성한다",
    "메시지를 기본 4일 동안 보관한다",
    "토픽에 발행된 메시지를 모든 구독자에게 보낸다",
    "예측할 수 없는 트래픽에 요청당 과금한다",
    "읽기 복제본 15개로 연결을 분산한다",
    "플러그인을 활성화하는 플래그이다",
    "검증 전에 오브젝트를 변경한다",
    "조건에 맞는 노드마다 파드를 하나씩 띄운다",
    "스케줄링 큐에서 우선순위를 높인다",
]
_TYPOS = {"kubelet": "kubelte", "namespace": "namspace", "스케줄링": "스케쥴링", "Pending": "Pednig"}
_OFF_TOPIC = [
    "오늘은 AWS 기출을 50문제 풀었다.",
    "I should review Lambda concurrency tomorrow.",
    "점심 먹고 CKA 강의 이어서 들음.",
]


def build_note(rng: random.Random) -> list[str]:
    """POINT_COUNT key points, mixed Korean and English, about 3,000 characters in all."""
    points: list[str] = []
    for index in range(POINT_COUNT):
        subject = rng.choice(_SUBJECTS)
        if index % 2:
            point = f"{subject}는 {rng.choice(_KOREAN_PREDICATES)}"
            extra = f", 그리고 {rng.choice(_KOREAN_PREDICATES)}"
        elif index % 7 == 0:
            point = f"{subject} · {rng.choice(_ENGLISH_PREDICATES)}"
            extra = f" · {rng.choice(_ENGLISH_PREDICATES)}"
        else:
            point = f"The {subject} {rng.choice(_ENGLISH_PREDICATES)}"
            extra = f" and {rng.choice(_ENGLISH_PREDICATES)}"
        # Lengthen points while the note is shorter than its share of NOTE_CHARACTERS so far.
        if sum(len(text) for text in points) + len(point) < (index + 1) * NOTE_CHARACTERS / POINT_COUNT:
            point += extra
        points.append(point)
    return points


def build_recall(rng: random.Random, points: list[str]) -> str:
    """About 1,500 characters: some points retold loosely, typos, particles, off-topic lines."""
    sentences: list[str] = []
    while sum(len(sentence) + 1 for sentence in sentences) < RECALL_CHARACTERS:
        if rng.random() < 0.1:
            sentences.append(rng.choice(_OFF_TOPIC))
            continue
        words = rng.choice(points).replace("`", "").replace("**", "").split()
        kept = [word for word in words if rng.random() < 0.75]
        sentence = " ".join(_TYPOS.get(word, word) for word in kept)
        sentences.append(sentence.rstrip(".") + ".")
    return "\n".join(sentences)


def main() -> int:
    """Score the generated recall RUNS times and report the timings against the target."""
    rng = random.Random(20250319)
    points = build_note(rng)
    recall = build_recall(rng, points)
    started = time.perf_counter()
    result = score_recall(points, recall)
    first_ms = (time.perf_counter() - started) * 1000
    timings: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        score_recall(points, recall)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"note: {len(points)} points, {sum(len(point) for point in points)} characters; "
        f"recall: {len(recall)} characters"
    )
    print(
        f"coverage {result.coverage:.3f}, suggested {result.suggested.label}, "
        f"{len(result.unmatched)} unmatched sentences"
    )
    print(f"first run (cold caches): {first_ms:.1f} ms")
    print(f"{RUNS} runs: median {median:.1f} ms, min {min(timings):.1f} ms, max {max(timings):.1f} ms")
    met = median < TARGET_MS
    print(f"target {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}")
    misconceptions_met = bench_misconceptions(points, recall)
    return 0 if met and misconceptions_met else 1


_WRONG_CLAIMS = [
    "memory limit를 초과하면 Pod가 제거된다.",
    "The scheduler places static pods on nodes.",
    "validating 어드미션이 mutating보다 먼저 실행된다.",
    "A ClusterIP service is reachable on every node's IP.",
    "DataSync replicates data in near real time.",
]


def bench_misconceptions(points: list[str], recall: str) -> bool:
    """Time the whole bank over a 3,000-character text; True when the median meets its target."""
    entries = builtin_bank().entries
    claims = "\n".join(_WRONG_CLAIMS)
    text = ("\n".join(points) + "\n" + recall)[: NOTE_CHARACTERS - len(claims) - 1] + "\n" + claims
    hits = find(text, entries=entries)
    timings: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        find(text, entries=entries)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(f"misconceptions: {len(entries)} entries over {len(text)} characters, {len(hits)} hits")
    print(f"{RUNS} runs: median {median:.1f} ms, min {min(timings):.1f} ms, max {max(timings):.1f} ms")
    met = median < MISCONCEPTION_TARGET_MS
    print(f"target {MISCONCEPTION_TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    raise SystemExit(main())
