"""The grade policy for judged kinds: wrong is again, hard only for a second try or a cosmetic
difference, good for right, easy for right at the first try within the kind's time."""

from __future__ import annotations

import pytest

from ckaquiz.grading import grade_choice, grade_cloze, grade_command, grade_manifest, suggest
from ckaquiz.model import Rating


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param({"correct": False}, Rating.AGAIN, id="wrong"),
        pytest.param({"correct": False, "cosmetic": True, "seconds_taken": 1.0, "easy_seconds": 30.0}, Rating.AGAIN,
                     id="wrong-and-fast-is-still-again"),
        pytest.param({"correct": True}, Rating.GOOD, id="right-time-unknown"),
        pytest.param({"correct": True, "seconds_taken": 10.0, "easy_seconds": 30.0}, Rating.EASY, id="right-fast"),
        pytest.param({"correct": True, "seconds_taken": 30.0, "easy_seconds": 30.0}, Rating.EASY, id="right-on-time"),
        pytest.param({"correct": True, "seconds_taken": 31.0, "easy_seconds": 30.0}, Rating.GOOD, id="right-slow"),
        pytest.param({"correct": True, "seconds_taken": 1.0}, Rating.GOOD, id="right-no-easy-time"),
        pytest.param({"correct": True, "tries": 2, "seconds_taken": 1.0, "easy_seconds": 30.0}, Rating.HARD,
                     id="right-at-the-second-try"),
        pytest.param({"correct": True, "cosmetic": True, "seconds_taken": 1.0, "easy_seconds": 30.0}, Rating.HARD,
                     id="right-but-cosmetic"),
    ],
)
def test_the_policy(arguments: dict[str, object], expected: Rating) -> None:
    assert suggest(**arguments) is expected  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Commands: every wrong answer is again, never a pass

WRONG_COMMANDS = [
    pytest.param("kubectl create deployment web --image=nginx --replicas=3",
                 "kubectl create deployment nginx --image=web --replicas=3", id="name-and-image-swapped"),
    pytest.param("kubectl expose deployment web --port=80 --target-port=8080",
                 "kubectl expose deployment web --port=8080 --target-port=80", id="port-and-target-port-swapped"),
    pytest.param("kubectl taint nodes node01 app=blue:NoSchedule",
                 "kubectl taint nodes node01 app=blue:NoExecute", id="taint-effect-noexecute-for-noschedule"),
    pytest.param("kubectl taint nodes node01 app=blue:NoSchedule",
                 "kubectl taint nodes node01 app=green:NoSchedule", id="taint-value"),
    pytest.param("kubectl taint nodes node01 app=blue:NoSchedule",
                 "kubectl taint nodes node02 app=blue:NoSchedule", id="taint-other-node"),
    pytest.param("kubectl create deployment web --image=nginx --replicas=3",
                 "kubectl create deployment web --image=nginx --replicas=2", id="replicas-value"),
    pytest.param("kubectl create deployment web --image=nginx --replicas=3",
                 "kubectl create deployment web --image=nginx", id="missing-replicas"),
    pytest.param("kubectl create deployment web --image=nginx:1.27",
                 "kubectl create deployment web --image=nginx:1.26", id="image-tag"),
    pytest.param("kubectl get pods -n kube-system", "kubectl get pods -n default", id="wrong-namespace"),
    pytest.param("kubectl get pods -n kube-system", "kubectl get pods", id="missing-namespace"),
    pytest.param("kubectl get svc -n prod", "kubectl get pods -n prod", id="wrong-resource"),
    pytest.param("kubectl get deploy web", "kubectl get rs web", id="replicaset-for-deployment"),
    pytest.param("kubectl delete pod web", "kubectl delete pod api", id="wrong-object-name"),
    pytest.param("kubectl scale deployment web --replicas=5", "kubectl scale deployment web --replicas=3",
                 id="scale-value"),
    pytest.param("kubectl scale deployment web --replicas=5", "kubectl scale statefulset web --replicas=5",
                 id="scale-wrong-resource"),
    pytest.param("kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
                 "kubectl create secret tls web-tls --cert=tls.key --key=tls.crt", id="cert-and-key-swapped"),
    pytest.param("kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
                 "kubectl create secret tls web-tls --cert=tls.crt", id="missing-key"),
    pytest.param("kubectl create role reader --verb=get,list,watch --resource=pods",
                 "kubectl create role reader --verb=get,list --resource=pods", id="missing-verb"),
    pytest.param("kubectl create role reader --verb=get --resource=pods",
                 "kubectl create clusterrole reader --verb=get --resource=pods", id="clusterrole-for-role"),
    pytest.param("kubectl create rolebinding rb --role=reader --user=jane -n dev",
                 "kubectl create rolebinding rb --clusterrole=reader --user=jane -n dev", id="clusterrole-flag"),
    pytest.param("kubectl create rolebinding rb --role=reader --user=jane -n dev",
                 "kubectl create rolebinding rb --role=reader --user=john -n dev", id="other-user"),
    pytest.param("kubectl drain node01 --ignore-daemonsets", "kubectl cordon node01", id="cordon-for-drain"),
    pytest.param("kubectl drain node01 --ignore-daemonsets", "kubectl drain node01", id="drain-missing-flag"),
    pytest.param("kubectl uncordon node01", "kubectl uncordon node02", id="uncordon-other-node"),
    pytest.param("kubectl rollout undo deployment web --to-revision=2",
                 "kubectl rollout undo deployment web --to-revision=1", id="wrong-revision"),
    pytest.param("kubectl set image deployment/web nginx=nginx:1.27",
                 "kubectl set image deployment/web nginx=nginx:1.25", id="set-image-tag"),
    pytest.param("kubectl label pod web tier=frontend", "kubectl label pod web tier=backend", id="label-value"),
    pytest.param("kubectl run tmp --image=busybox --restart=Never", "kubectl run tmp --image=busybox",
                 id="run-missing-restart"),
    pytest.param("kubectl run tmp --image=busybox --restart=Never", "kubectl run tmp --image=busybox --restart=Always",
                 id="run-restart-value"),
    pytest.param("kubectl expose pod web --port=80 --type=NodePort",
                 "kubectl expose pod web --port=80 --type=ClusterIP", id="service-type"),
    pytest.param("kubectl create service nodeport web --tcp=8080:80",
                 "kubectl create service nodeport web --tcp=80:8080", id="tcp-ports-swapped"),
    pytest.param("kubectl create cronjob backup --image=busybox --schedule='*/5 * * * *'",
                 "kubectl create cronjob backup --image=busybox --schedule='*/15 * * * *'", id="schedule"),
    pytest.param("kubectl logs web -c app", "kubectl logs web -c sidecar", id="logs-other-container"),
    pytest.param("kubectl auth can-i create pods --as=jane", "kubectl auth can-i delete pods --as=jane",
                 id="can-i-other-verb"),
    pytest.param("kubectl config use-context prod", "kubectl config use-context dev", id="other-context"),
    pytest.param("kubeadm upgrade apply v1.31.2", "kubeadm upgrade apply v1.31.1", id="upgrade-version"),
    pytest.param("systemctl restart kubelet", "systemctl restart containerd", id="restart-other-unit"),
    pytest.param("kubectl get pods", "", id="nothing"),
]


@pytest.mark.parametrize("judge", ["as-found", "tokens-only"])
@pytest.mark.parametrize(("expected", "typed"), WRONG_COMMANDS)
def test_every_wrong_command_is_again(expected: str, typed: str, judge: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if judge == "tokens-only":
        monkeypatch.setenv("PATH", "")  # no kubectl to render with
    result = grade_command(typed, expected, seconds_taken=1.0, easy_seconds=30.0)
    assert not result.correct
    assert result.differences
    assert result.suggested is Rating.AGAIN, result.differences


def test_there_are_at_least_thirty_wrong_commands() -> None:
    assert len(WRONG_COMMANDS) >= 30


@pytest.mark.parametrize(
    ("expected", "typed", "swap"),
    [
        pytest.param("kubectl create deployment web --image=nginx --replicas=3",
                     "kubectl create deployment nginx --image=web --replicas=3",
                     "web and nginx are swapped (argument 1 and --image)", id="name-and-image"),
        pytest.param("kubectl expose deployment web --port=80 --target-port=8080",
                     "kubectl expose deployment web --port=8080 --target-port=80",
                     "80 and 8080 are swapped (--port and --target-port)", id="ports"),
    ],
)
def test_a_swap_is_named(expected: str, typed: str, swap: str) -> None:
    result = grade_command(typed, expected)
    assert swap in result.differences
    assert result.suggested is Rating.AGAIN


RIGHT_COMMANDS = [
    pytest.param("kubectl create deployment web --image=nginx --replicas=3",
                 "kubectl create deployment web --replicas=3 --image=nginx", id="flag-order"),
    pytest.param("kubectl get pods --namespace kube-system", "kubectl get po -n kube-system", id="short-forms"),
    pytest.param("kubectl get services -n prod", "k get svc --namespace=prod", id="alias-and-short-resource"),
    pytest.param("kubectl -n shop create secret tls web-tls --cert=tls.crt --key=tls.key",
                 "kubectl create secret tls web-tls --key tls.key --cert=tls.crt -n shop", id="namespace-first"),
    pytest.param("kubectl taint nodes node01 app=blue:NoSchedule", "kubectl taint node node01 app=blue:NoSchedule",
                 id="node-singular"),
    pytest.param("kubectl expose deployment web --port=80 --target-port=8080",
                 "kubectl expose deploy/web --target-port 8080 --port 80", id="type-slash-name"),
]


@pytest.mark.parametrize(("expected", "typed"), RIGHT_COMMANDS)
def test_right_commands_and_cosmetic_forms_are_good_or_easy(expected: str, typed: str) -> None:
    slow = grade_command(typed, expected, seconds_taken=60.0, easy_seconds=30.0)
    fast = grade_command(typed, expected, seconds_taken=5.0, easy_seconds=30.0)
    assert slow.correct and slow.suggested is Rating.GOOD, slow.differences
    assert fast.suggested is Rating.EASY


# ---------------------------------------------------------------------------------------------
# Manifests

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
  tolerations:
  - key: app
    operator: Equal
    value: blue
    effect: NoSchedule
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - {name: web, image: nginx}
"""

POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: prod
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""


def _edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


WRONG_MANIFESTS = [
    pytest.param(POD, _edit(POD, ("nodeSelector:\n    disktype: ssd", "nodeName: ssd")), False,
                 id="node-name-where-node-selector-was-asked"),
    pytest.param(POD, _edit(POD, ("apiVersion: v1", "apiVersion: apps/v1")), False, id="apps-v1-on-a-pod"),
    pytest.param(POD, _edit(POD, ("kind: Pod", "kind: Deployment")), False, id="wrong-kind"),
    pytest.param(POD, _edit(POD, ("effect: NoSchedule", "effect: NoExecute")), False, id="wrong-effect"),
    pytest.param(POD, _edit(POD, ("    value: blue\n", "")), False, id="missing-toleration-value"),
    pytest.param(POD, _edit(POD, ("image: nginx:1.27", "image: nginx:1.26")), False, id="wrong-image"),
    pytest.param(POD, _edit(POD, ("containerPort: 80", "containerPort: 8080")), False, id="wrong-port"),
    pytest.param(POD, _edit(POD, ("disktype: ssd", "disktype: hdd")), False, id="wrong-label-value"),
    pytest.param(POD, _edit(POD, ("  name: web\nspec", "  name: api\nspec")), False, id="wrong-name"),
    pytest.param(DEPLOYMENT, _edit(DEPLOYMENT, ("replicas: 3", "replicas: 2")), False, id="replicas-2-for-3"),
    pytest.param(DEPLOYMENT, _edit(DEPLOYMENT, ("  replicas: 3\n", "")), False, id="missing-replicas"),
    pytest.param(DEPLOYMENT, _edit(DEPLOYMENT, ("    matchLabels: {app: web}\n", "")), False, id="missing-selector"),
    pytest.param(POLICY, _edit(POLICY, ("  podSelector: {}\n", "")), False, id="missing-empty-pod-selector"),
    pytest.param(POLICY, _edit(POLICY, ("  podSelector: {}\n", "")), True, id="missing-empty-pod-selector-strict"),
    pytest.param(POLICY, _edit(POLICY, ("policyTypes: [Ingress]", "policyTypes: [Egress]")), False,
                 id="egress-for-ingress"),
    pytest.param(POD, _edit(POD, ("    image: nginx:1.27\n", "    image: nginx:1.27\n    securityContext:\n"
                                  "      privileged: true\n")), True, id="strict-extra-privileged"),
]


@pytest.mark.parametrize(("expected", "typed", "strict"), WRONG_MANIFESTS)
def test_every_wrong_manifest_is_again(expected: str, typed: str, strict: bool) -> None:
    result = grade_manifest(typed, expected, strict=strict, seconds_taken=1.0, easy_seconds=180.0)
    assert not result.correct
    assert result.suggested is Rating.AGAIN, result.differences


def test_there_are_at_least_ten_wrong_manifests() -> None:
    assert len(WRONG_MANIFESTS) >= 10


def test_a_missing_empty_selector_is_named() -> None:
    result = grade_manifest(_edit(POLICY, ("  podSelector: {}\n", "")), POLICY, strict=True)
    assert result.differences[-1] == "missing spec.podSelector (expected {})"


REORDERED_POD = """\
kind: Pod
apiVersion: v1
metadata: {name: web}
spec:
  tolerations:
  - {effect: NoSchedule, value: blue, operator: Equal, key: app}
  containers:
  - ports: [{containerPort: 80}]
    image: "nginx:1.27"
    name: web
  nodeSelector: {disktype: ssd}
"""


@pytest.mark.parametrize("strict", [False, True])
def test_key_order_and_flow_style_are_good_or_easy(strict: bool) -> None:
    slow = grade_manifest(REORDERED_POD, POD, strict=strict, seconds_taken=400.0, easy_seconds=180.0)
    fast = grade_manifest(REORDERED_POD, POD, strict=strict, seconds_taken=60.0, easy_seconds=180.0)
    assert slow.differences == () and slow.suggested is Rating.GOOD
    assert fast.suggested is Rating.EASY


def test_a_right_manifest_at_the_second_try_is_hard() -> None:
    result = grade_manifest(REORDERED_POD, POD, tries=2, seconds_taken=10.0, easy_seconds=180.0)
    assert result.correct and result.suggested is Rating.HARD


@pytest.mark.parametrize(
    ("replacement", "difference"),
    [
        pytest.param(("  containers:", "  dnsPolicy: ClusterFirst\n  containers:"),
                     "unexpected field spec.dnsPolicy (ClusterFirst is the default)", id="dns-policy"),
        pytest.param(("    - containerPort: 80", "    - containerPort: 80\n      protocol: TCP"),
                     "unexpected field spec.containers[name=web].ports[containerPort=80].protocol (TCP is the default)",
                     id="protocol"),
        pytest.param(("  containers:", "  restartPolicy: Always\n  containers:"),
                     "unexpected field spec.restartPolicy (Always is the default)", id="restart-policy"),
    ],
)
def test_a_strict_extra_that_writes_out_a_default_is_cosmetic(replacement: tuple[str, str], difference: str) -> None:
    result = grade_manifest(_edit(POD, replacement), POD, strict=True, seconds_taken=1.0, easy_seconds=180.0)
    assert result.differences == (difference,)
    assert result.suggested is Rating.HARD


def test_a_default_of_another_kind_is_not_cosmetic() -> None:
    typed = _edit(POD, ("  containers:", "  replicas: 1\n  containers:"))
    result = grade_manifest(typed, POD, strict=True)
    assert result.differences[-1] == "unexpected field spec.replicas"
    assert result.suggested is Rating.AGAIN


def test_a_strict_extra_that_is_not_a_default_is_again() -> None:
    typed = _edit(POD, ("  containers:", "  restartPolicy: Never\n  containers:"))
    assert grade_manifest(typed, POD, strict=True).suggested is Rating.AGAIN


# ---------------------------------------------------------------------------------------------
# Choice and typed cloze


@pytest.mark.parametrize(
    ("chosen", "seconds", "expected"),
    [
        pytest.param(["NoSchedule", "NoExecute"], 5.0, Rating.EASY, id="right-fast"),
        pytest.param(["NoExecute", "NoSchedule"], 40.0, Rating.GOOD, id="right-slow"),
        pytest.param(["NoSchedule"], 5.0, Rating.AGAIN, id="one-missing"),
        pytest.param(["NoSchedule", "NoExecute", "NoRestart"], 5.0, Rating.AGAIN, id="one-too-many"),
    ],
)
def test_choice_follows_the_policy(chosen: list[str], seconds: float, expected: Rating) -> None:
    result = grade_choice(chosen, ["NoSchedule", "NoExecute"], seconds_taken=seconds, easy_seconds=15.0)
    assert result.suggested is expected


CLOZE = [
    pytest.param("staticPodPath", "staticPodPath", Rating.EASY, id="exact"),
    pytest.param("`staticPodPath`", "staticPodPath", Rating.EASY, id="markup-ignored"),
    pytest.param("staticPodPath", "  staticPodPath.  ", Rating.EASY, id="spaces-and-full-stop"),
    pytest.param("Pod", "pod", Rating.HARD, id="case-of-a-plain-word"),
    pytest.param("세 개", "세개", Rating.HARD, id="korean-spacing"),
    pytest.param("NoSchedule", "noschedule", Rating.AGAIN, id="case-of-an-api-value"),
    pytest.param("ClusterIP", "clusterip", Rating.AGAIN, id="case-of-a-service-type"),
    pytest.param("NoSchedule", "NoExecute", Rating.AGAIN, id="other-effect"),
    pytest.param("requests", "limits", Rating.AGAIN, id="swapped-term"),
    pytest.param("6443", "443", Rating.AGAIN, id="wrong-port"),
    pytest.param("kube-proxy", "kubeproxy", Rating.AGAIN, id="hyphen-matters"),
    pytest.param("빈 podSelector(`podSelector: {}`)", "빈 podSelector", Rating.EASY, id="head-of-a-gloss"),
    pytest.param("빈 podSelector(`podSelector: {}`)", "podSelector: {}", Rating.EASY, id="the-gloss"),
    pytest.param("빈 podSelector(`podSelector: {}`)", "podSelector", Rating.AGAIN, id="part-of-the-head"),
    pytest.param("staticPodPath", "", Rating.AGAIN, id="nothing-typed"),
]


@pytest.mark.parametrize(("answer", "typed", "expected"), CLOZE)
def test_typed_cloze(answer: str, typed: str, expected: Rating) -> None:
    result = grade_cloze(typed, answer, seconds_taken=2.0, easy_seconds=10.0)
    assert result.suggested is expected, result.differences
    assert result.correct == (expected is Rating.EASY)


def test_a_wrong_cloze_names_the_expected_text() -> None:
    result = grade_cloze("NoExecute", "**NoSchedule**")
    assert result.differences == ("expected NoSchedule, got NoExecute",)
    assert result.to_dict()["kind"] == "cloze"
