"""Benchmark judging typed commands and manifests, with kubectl and the API schema where present.

Rows: a right command (the word comparison alone), a wrong `kubectl create` command (kubectl
renders the typed command; the expected one's rendering is cached after the first), the first
manifest judged in a process (the API schemas are read then) and every manifest after it. Each
new typed command is a new kubectl run, so the typed commands differ from run to run.

Run it with `python bench/bench_grading.py` from the project folder.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckaquiz.grading import grade_command, grade_manifest
from ckaquiz.grading.schema import available

RUNS = 30
COMMAND_TARGET_MS = 300.0
MANIFEST_TARGET_MS = 50.0
EXPECTED_COMMAND = "kubectl create deployment web --image=nginx:1.27 --replicas=3 -n shop"
MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: "production"}
        resources:
          requests: {cpu: 250m, memory: 128Mi}
          limits: {cpu: 500m, memory: 256Mi}
      tolerations:
      - {key: app, operator: Equal, value: "blue", effect: NoSchedule}
"""


def _times(action: Callable[[int], object], runs: int) -> list[float]:
    found = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        found.append((time.perf_counter() - start) * 1000)
    return found


def _row(name: str, times: list[float], target: float | None) -> str:
    verdict = "" if target is None else ("  meets" if statistics.median(times) <= target else "  MISSES") + (
        f" {target:.0f} ms"
    )
    return (
        f"{name:<52} median {statistics.median(times):7.1f} ms  min {min(times):7.1f}  max {max(times):7.1f}{verdict}"
    )


def main() -> None:
    print(f"kubectl: {shutil.which('kubectl') or 'not installed'}; API schemas: {available()}")
    typed = "kubectl -n shop create deploy web --replicas=3 --image=nginx:1.27"
    right = _times(lambda run: grade_command(typed, EXPECTED_COMMAND), RUNS)
    print(_row("right command (word comparison only)", right, COMMAND_TARGET_MS))
    wrong = _times(
        lambda run: grade_command(f"kubectl create deployment web --image=nginx:1.27 --replicas={run + 4} -n shop",
                                  EXPECTED_COMMAND),
        RUNS,
    )
    print(_row("wrong kubectl create command (rendered by kubectl)", wrong, COMMAND_TARGET_MS))
    first = _times(lambda run: grade_manifest(MANIFEST, MANIFEST), 1)
    print(_row("first manifest in a process (schemas read)", first, None))
    later = _times(
        lambda run: grade_manifest(MANIFEST.replace("replicas: 3", f"replicas: {run + 4}"), MANIFEST), RUNS
    )
    print(_row("each manifest after it (schema and comparison)", later, MANIFEST_TARGET_MS))


if __name__ == "__main__":
    main()
