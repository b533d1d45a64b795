"""Command grading: equivalent spellings are correct, real mistakes are named precisely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckaquiz.grading import CommandGradeResult, grade_command, parse_duration
from ckaquiz.model import Rating


@pytest.fixture(autouse=True, scope="module")
def token_grader_only() -> Iterator[None]:
    """These tables are the token grader's: without kubectl on PATH, nothing is rendered
    (tests/test_grading_kubectl.py judges the same kind of answers with kubectl)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", "")
        yield

ETCD_FLAGS = (
    "--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
    "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
)

EQUIVALENT = [
    pytest.param(
        "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
        "kubectl create secret tls web-tls --key tls.key --cert tls.crt",
        id="secret-tls-flag-order-and-space-form",
    ),
    pytest.param(
        "kubectl get pods -n kube-system -o wide",
        "k get po --namespace=kube-system -owide",
        id="k-alias-short-and-long-namespace-glued-output",
    ),
    pytest.param(
        "kubectl get pods -l app=web,tier=frontend",
        "kubectl get po --selector tier=frontend,app=web",
        id="selector-terms-in-any-order",
    ),
    pytest.param(
        "kubectl run nginx --image=nginx --restart=Never --dry-run=client -o yaml > pod.yaml",
        "kubectl run nginx --image nginx --dry-run client -oyaml --restart Never >pod.yaml",
        id="dry-run-client-both-forms-and-redirect",
    ),
    pytest.param(
        "kubectl exec -it web -c app -- sh -c 'ls /'",
        'kubectl exec web -i -t --container app -- sh -c "ls /"',
        id="exec-it-split-and-quoting",
    ),
    pytest.param("kubectl logs web -c app --previous", "kubectl logs -p web -c app", id="logs-p-is-previous"),
    pytest.param("kubectl logs -f web", "kubectl logs web --follow", id="logs-f-is-follow"),
    pytest.param("kubectl scale deploy web --replicas=5", "kubectl scale deployment/web --replicas 5", id="type-name"),
    pytest.param(
        "kubectl label pod web tier=frontend env=prod",
        "kubectl label po/web env=prod tier=frontend",
        id="label-pairs-unordered",
    ),
    pytest.param(
        f"ETCDCTL_API=3 etcdctl snapshot save /opt/snap.db {ETCD_FLAGS}",
        "etcdctl --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/server.crt "
        "--key /etc/kubernetes/pki/etcd/server.key --endpoints https://127.0.0.1:2379 snapshot save /opt/snap.db",
        id="etcdctl-snapshot-flags-first-api-3-is-default",
    ),
    pytest.param("journalctl -u kubelet -f", "journalctl -fu kubelet.service", id="journalctl-cluster-and-unit-suffix"),
    pytest.param(
        "kubectl create role pod-reader --verb=get,list,watch --resource=pods -n dev",
        "kubectl create role pod-reader -n dev --verb=list --verb=get --verb=watch --resource=po",
        id="role-verbs-repeated-or-comma-list",
    ),
    pytest.param(
        "helm upgrade --install web bitnami/nginx --set replicaCount=2",
        "helm upgrade -i web bitnami/nginx --set replicaCount=2",
        id="helm-upgrade-i-is-install",
    ),
    pytest.param(
        "kubectl get deploy -A", "kubectl get deployments.apps --all-namespaces", id="group-qualified-resource"
    ),
    pytest.param(
        "kubectl auth can-i list pods --as=system:serviceaccount:dev:sa1 -n dev",
        "kubectl auth can-i list pod --as system:serviceaccount:dev:sa1 --namespace dev",
        id="auth-can-i-resource-alias",
    ),
    pytest.param(
        "kubectl create deployment web --image=nginx --replicas=3",
        "$ kubectl create deploy web \\\n  --replicas 3 \\\n  --image nginx",
        id="prompt-and-line-continuations",
    ),
    pytest.param("systemctl restart kubelet", "sudo systemctl restart kubelet.service", id="sudo-and-unit-suffix"),
    pytest.param("systemctl enable --now kubelet", "systemctl enable kubelet --now", id="systemctl-enable-now"),
    pytest.param(
        "kubectl taint nodes node01 app=blue:NoSchedule",
        "kubectl taint node node01 app=blue:NoSchedule",
        id="taint-node-singular",
    ),
    pytest.param(
        "kubectl expose deploy web --port=80 --target-port=8080 --type=NodePort",
        "kubectl expose deployment web --type NodePort --target-port 8080 --port 80",
        id="expose",
    ),
    pytest.param(
        "kubectl rollout undo deployment/web --to-revision=2",
        "kubectl rollout undo deploy web --to-revision 2",
        id="rollout-undo",
    ),
    pytest.param(
        "kubectl set image deployment/web nginx=nginx:1.27",
        "kubectl set image deploy web nginx=nginx:1.27",
        id="set-image",
    ),
    pytest.param(
        "kubectl create job once --from=cronjob/backup",
        "kubectl create job once --from cj/backup",
        id="job-from-cronjob-alias",
    ),
    pytest.param(
        "kubectl get pod web -o jsonpath='{.spec.nodeName}'",
        'kubectl get po/web -o=jsonpath="{.spec.nodeName}"',
        id="jsonpath-quoting",
    ),
    pytest.param(
        "kubectl top pods -n kube-system --sort-by=cpu",
        "kubectl top pod --sort-by cpu --namespace=kube-system",
        id="top-pods",
    ),
    pytest.param(
        "kubectl create configmap app --from-file=app.conf",
        "kubectl create cm app --from-file app.conf",
        id="configmap-alias",
    ),
    pytest.param(
        "kubectl create secret generic db --from-literal=user=admin --from-literal=password=s3cret",
        "kubectl create secret generic db --from-literal password=s3cret --from-literal user=admin",
        id="repeated-flag-values-unordered",
    ),
    pytest.param(
        "kubectl get secret db -o jsonpath='{.data.password}' | base64 -d",
        'kubectl get secrets db -o jsonpath="{.data.password}"|base64 --decode',
        id="pipe-to-base64-decode",
    ),
    pytest.param(
        "etcdctl snapshot status /opt/snap.db -w table",
        "etcdctl snapshot status /opt/snap.db --write-out=table",
        id="etcdctl-w-is-write-out",
    ),
    pytest.param("crictl ps -a", "crictl ps --all", id="crictl-ps-all"),
    pytest.param(
        "helm install web bitnami/nginx -n web --create-namespace",
        "helm install web bitnami/nginx --create-namespace --namespace=web",
        id="helm-install-namespace",
    ),
    pytest.param("helm list -A", "helm ls --all-namespaces", id="helm-ls"),
    pytest.param("helm uninstall web -n web", "helm delete web --namespace web", id="helm-delete-is-uninstall"),
    pytest.param(
        "aws eks update-kubeconfig --name prod --region eu-west-1",
        "aws eks update-kubeconfig --region eu-west-1 --name prod",
        id="aws-service-operation",
    ),
    pytest.param(
        "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text",
        "openssl x509 -noout -text -in /etc/kubernetes/pki/apiserver.crt",
        id="openssl-single-dash-options",
    ),
    pytest.param("kubectl get pods -A", "kubectl get pods --all-namespaces=true", id="boolean-equals-true"),
    pytest.param(
        "kubectl delete pod web --grace-period=0 --force",
        "kubectl delete po web --force --grace-period 0",
        id="force-delete",
    ),
    pytest.param("kubeadm upgrade apply v1.31.2 -y", "kubeadm upgrade apply v1.31.2 --yes", id="kubeadm-yes"),
    pytest.param("kubectl explain pod.spec.tolerations", "kubectl explain pods.spec.tolerations", id="explain-plural"),
    pytest.param("kubectl get nodes -o wide", "kubectl get no -o wide", id="nodes-alias"),
    pytest.param(
        "kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup web",
        "kubectl run tmp --rm -ti --image busybox --restart Never -- nslookup web",
        id="run-rm-ti-container-command",
    ),
    pytest.param("kubectl -n dev get pods", "kubectl get pods -n dev", id="global-flag-before-verb"),
    pytest.param("kubectl get pods,svc", "kubectl get svc,po", id="type-list-any-order"),
    pytest.param(
        "kubeadm token create --print-join-command",
        "sudo kubeadm token create --print-join-command",
        id="kubeadm-token-sudo",
    ),
    pytest.param(
        'kubectl create ingress web --rule="example.com/=web:80"',
        "kubectl create ing web --rule 'example.com/=web:80'",
        id="ingress-rule",
    ),
    pytest.param(
        "kubectl get pods --field-selector=status.phase=Running",
        "kubectl get po --field-selector status.phase=Running",
        id="field-selector",
    ),
    pytest.param(
        "apt-get install -y kubeadm=1.31.2-1.1 kubelet=1.31.2-1.1",
        "apt-get install kubelet=1.31.2-1.1 kubeadm=1.31.2-1.1 -y",
        id="apt-get-packages-unordered",
    ),
    pytest.param("kubectl certificate approve jane", "kubectl certificate approve jane", id="identical"),
]


@pytest.mark.parametrize(("expected", "typed"), EQUIVALENT)
def test_equivalent_commands_are_correct(expected: str, typed: str) -> None:
    result = grade_command(typed, expected)
    assert result.differences == ()
    assert result.correct
    assert result.score == 1.0
    assert result.suggested is Rating.GOOD


DIFFERENT = [
    pytest.param(
        "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
        "kubectl create secret generic web-tls --cert=tls.crt --key=tls.key",
        ["expected command kubectl create secret tls, got kubectl create secret generic"],
        Rating.AGAIN,
        id="wrong-secret-type",
    ),
    pytest.param(
        "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
        "kubectl create secret tls web --cert=tls.crt",
        ["expected argument web-tls, got web", "missing flag --key"],
        Rating.AGAIN,
        id="wrong-name-missing-key",
    ),
    pytest.param(
        "kubectl get pods --selector app=web",
        "kubectl get po -l app=api",
        ["expected value app=web for --selector, got app=api"],
        Rating.AGAIN,
        id="wrong-selector-value",
    ),
    pytest.param(
        "kubectl drain node01 --ignore-daemonsets --delete-emptydir-data --force",
        "kubectl drain node01 --force --ignore-daemonsets",
        ["missing flag --delete-emptydir-data"],
        Rating.AGAIN,
        id="drain-missing-flag",
    ),
    pytest.param(
        "kubectl delete pod web",
        "kubectl delete pod web --force",
        ["unexpected flag --force"],
        Rating.AGAIN,
        id="unexpected-force",
    ),
    pytest.param(
        "kubectl describe pod web",
        "kubectl get pod web",
        ["expected command kubectl describe, got kubectl get"],
        Rating.AGAIN,
        id="get-instead-of-describe",
    ),
    pytest.param(
        "kubectl apply -f web.yaml",
        "kubectl create -f web.yaml",
        ["expected command kubectl apply, got kubectl create"],
        Rating.AGAIN,
        id="create-instead-of-apply",
    ),
    pytest.param(
        "kubectl logs web -c app --previous",
        "kubectl logs web -c app",
        ["missing flag --previous"],
        Rating.AGAIN,
        id="logs-missing-previous",
    ),
    pytest.param(
        "kubectl get pods -n kube-system",
        "kubectl get pods -n default",
        ["expected value kube-system for --namespace, got default"],
        Rating.AGAIN,
        id="wrong-namespace",
    ),
    pytest.param(
        f"etcdctl snapshot save /opt/snap.db {ETCD_FLAGS}",
        "etcdctl snapshot save /opt/snap.db --endpoints=https://127.0.0.1:2379 "
        "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key",
        ["missing flag --cacert"],
        Rating.AGAIN,
        id="etcdctl-missing-cacert",
    ),
    pytest.param(
        "etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-restore",
        "etcdctl snapshot restore /opt/snap.db --data-dir=/var/lib/etcd-restore",
        ["expected command etcdutl snapshot restore, got etcdctl snapshot restore"],
        Rating.AGAIN,
        id="etcdctl-instead-of-etcdutl",
    ),
    pytest.param(
        "kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -qO- web:80",
        "kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -O- web:80",
        ["expected command after --: wget -qO- web:80, got wget -O- web:80"],
        Rating.AGAIN,
        id="container-command-differs",
    ),
    pytest.param(
        "kubectl run tmp --image=busybox --restart=Never -- sleep 3600",
        "kubectl run tmp --image=busybox --restart=Never",
        ["missing command after --: sleep 3600"],
        Rating.AGAIN,
        id="container-command-missing",
    ),
    pytest.param(
        "kubectl taint nodes node01 app=blue:NoSchedule-",
        "kubectl taint nodes node01 app=blue:NoSchedule",
        ["missing argument app=blue:NoSchedule-", "unexpected argument app=blue:NoSchedule"],
        Rating.AGAIN,
        id="taint-added-instead-of-removed",
    ),
    pytest.param(
        "kubectl get svc web",
        "kubectl get pod web",
        ["expected argument service/web, got pod/web"],
        Rating.AGAIN,
        id="wrong-resource-type",
    ),
    pytest.param(
        "systemctl restart kubelet",
        "systemctl start kubelet",
        ["expected command systemctl restart, got systemctl start"],
        Rating.AGAIN,
        id="start-instead-of-restart",
    ),
    pytest.param(
        "kubeadm certs renew all",
        "kubeadm certs renew apiserver",
        ["expected command kubeadm certs renew all, got kubeadm certs renew apiserver"],
        Rating.AGAIN,
        id="renew-one-cert-instead-of-all",
    ),
    pytest.param(
        "helm install web bitnami/nginx -n web --create-namespace",
        "helm install web bitnami/nginx -n web",
        ["missing flag --create-namespace"],
        Rating.AGAIN,
        id="helm-missing-create-namespace",
    ),
    pytest.param(
        "helm repo add bitnami https://charts.bitnami.com/bitnami",
        "helm repo add bitnami https://charts.bitnami.com",
        ["expected argument https://charts.bitnami.com/bitnami, got https://charts.bitnami.com"],
        Rating.AGAIN,
        id="helm-repo-url",
    ),
    pytest.param(
        "kubectl run web --image=nginx --dry-run=client -o yaml",
        "kubectl run web --image=nginx --dry-run -o yaml",
        ["expected value client for --dry-run, got no value"],
        Rating.AGAIN,
        id="dry-run-without-value",
    ),
    pytest.param(
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment webb --image=ngnix",
        ["expected argument web, got webb", "expected value nginx for --image, got ngnix"],
        Rating.AGAIN,
        id="two-typos",
    ),
    pytest.param(
        "kubectl get secret db -o jsonpath='{.data.password}' | base64 -d",
        "kubectl get secret db -o jsonpath='{.data.password}'",
        ["missing part 2: base64 -d"],
        Rating.AGAIN,
        id="missing-decode-step",
    ),
    pytest.param(
        "kubectl get pod web -o yaml > pod.yaml",
        "kubectl get pod web -o yaml > web.yaml",
        ["expected redirection > pod.yaml, got > web.yaml"],
        Rating.AGAIN,
        id="redirect-to-other-file",
    ),
    pytest.param(
        "kubectl get pod web -o yaml > pod.yaml",
        "kubectl get pod web -o yaml",
        ["missing redirection > pod.yaml"],
        Rating.AGAIN,
        id="missing-redirect",
    ),
    pytest.param(
        "etcdctl member list",
        "ETCDCTL_API=2 etcdctl member list",
        ["unexpected environment variable ETCDCTL_API=2"],
        Rating.AGAIN,
        id="wrong-etcdctl-api",
    ),
    pytest.param(
        "kubectl run web --image=nginx --labels=app=web",
        "kubectl run web --image=nginx -l app=api",
        ["expected value app=web for --labels, got app=api"],
        Rating.AGAIN,
        id="run-l-is-labels",
    ),
    pytest.param(
        "crictl logs --tail 20 4f3c2a",
        "crictl logs 4f3c2a",
        ["missing flag --tail"],
        Rating.AGAIN,
        id="crictl-logs-tail",
    ),
    pytest.param(
        "journalctl -u kubelet",
        "journalctl -u containerd",
        ["expected value kubelet for --unit, got containerd"],
        Rating.AGAIN,
        id="journalctl-wrong-unit",
    ),
    pytest.param(
        "aws eks update-kubeconfig --name prod",
        "aws eks describe-cluster --name prod",
        ["expected command aws eks update-kubeconfig, got aws eks describe-cluster"],
        Rating.AGAIN,
        id="aws-wrong-operation",
    ),
    pytest.param(
        "kubectl get pods -l app=web",
        'kubectl get pods -l "app=web',
        ["cannot split the command as a shell would: no closing quotation"],
        Rating.AGAIN,
        id="unclosed-quote-is-a-difference",
    ),
    pytest.param(
        "kubectl create role reader --verb=get,list,watch --resource=pods",
        "kubectl create role reader --verb=get,list --resource=pods",
        ["expected value get,list,watch for --verb, got get,list"],
        Rating.AGAIN,
        id="role-missing-verb",
    ),
    pytest.param(
        "kubeadm upgrade apply v1.31.2",
        "kubeadm upgrade plan v1.31.2",
        ["expected command kubeadm upgrade apply, got kubeadm upgrade plan"],
        Rating.AGAIN,
        id="plan-instead-of-apply",
    ),
    pytest.param(
        "kubectl exec -it web -- sh",
        "kubectl exec web -- sh",
        ["missing flag --stdin", "missing flag --tty"],
        Rating.AGAIN,
        id="exec-without-it",
    ),
    pytest.param(
        "kubectl create deployment web --image=nginx --replicas=3 -n prod",
        "kubectl create deployment api --image=httpd --replicas=2 -n dev",
        [
            "expected argument web, got api",
            "expected value nginx for --image, got httpd",
            "expected value 3 for --replicas, got 2",
            "expected value prod for --namespace, got dev",
        ],
        Rating.AGAIN,
        id="many-differences",
    ),
    pytest.param(
        "vim /etc/kubernetes/manifests/kube-apiserver.yaml",
        "nano /etc/kubernetes/manifests/kube-apiserver.yaml",
        ["expected command vim, got nano"],
        Rating.AGAIN,
        id="other-program",
    ),
    pytest.param(
        "systemctl status kubelet",
        "systemctl status containerd",
        ["expected argument kubelet, got containerd"],
        Rating.AGAIN,
        id="wrong-unit",
    ),
    pytest.param(
        "kubectl rollout history deploy/web --revision=2",
        "kubectl rollout history --revision=2",
        ["missing argument deployment/web"],
        Rating.AGAIN,
        id="missing-argument",
    ),
    pytest.param(
        "grep staticPodPath /var/lib/kubelet/config.yaml",
        "grep -i staticpodpath /var/lib/kubelet/config.yaml",
        ["expected argument staticPodPath, got staticpodpath", "unexpected flag --ignore-case"],
        Rating.AGAIN,
        id="grep-case",
    ),
    pytest.param(
        "kubectl get pods",
        "",
        ["no command typed"],
        Rating.AGAIN,
        id="nothing-typed",
    ),
    pytest.param(
        "kubectl config use-context prod",
        "kubectl config set-context prod",
        ["expected command kubectl config use-context, got kubectl config set-context"],
        Rating.AGAIN,
        id="set-context-instead-of-use-context",
    ),
]


@pytest.mark.parametrize(("expected", "typed", "differences", "suggested"), DIFFERENT)
def test_different_commands_name_each_difference(
    expected: str, typed: str, differences: list[str], suggested: Rating
) -> None:
    result = grade_command(typed, expected)
    assert list(result.differences) == differences
    assert not result.correct
    assert result.suggested is suggested
    assert 0.0 <= result.score < 1.0


def test_the_best_alternative_counts() -> None:
    result = grade_command(
        "cat /var/lib/kubelet/config.yaml | grep staticPodPath",
        "grep staticPodPath /var/lib/kubelet/config.yaml",
        ["grep -i staticpodpath /var/lib/kubelet/config.yaml", "cat /var/lib/kubelet/config.yaml | grep staticPodPath"],
    )
    assert result.correct
    assert result.matched_answer == "cat /var/lib/kubelet/config.yaml | grep staticPodPath"


def test_a_near_alternative_beats_a_far_expected_answer() -> None:
    result = grade_command(
        "kubectl get po -n dev",
        "kubectl get pods -n kube-system -o wide",
        ["kubectl get pods -n dev -o wide"],
    )
    assert result.differences == ("missing flag --output",)
    assert result.matched_answer == "kubectl get pods -n dev -o wide"


@pytest.mark.parametrize(
    ("seconds_taken", "time_limit_seconds", "suggested"),
    [
        pytest.param(20.0, 45.0, Rating.EASY, id="under-half-the-time"),
        pytest.param(22.5, 45.0, Rating.EASY, id="exactly-half"),
        pytest.param(30.0, 45.0, Rating.GOOD, id="over-half"),
        pytest.param(90.0, 45.0, Rating.GOOD, id="over-the-limit"),
        pytest.param(5.0, None, Rating.GOOD, id="no-limit"),
        pytest.param(None, 45.0, Rating.GOOD, id="time-unknown"),
    ],
)
def test_a_fast_correct_answer_is_easy(
    seconds_taken: float | None, time_limit_seconds: float | None, suggested: Rating
) -> None:
    result = grade_command(
        "kubectl create secret tls web-tls --key=tls.key --cert=tls.crt",
        "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
        seconds_taken=seconds_taken,
        time_limit_seconds=time_limit_seconds,
    )
    assert result.suggested is suggested


def test_speed_does_not_rescue_a_wrong_answer() -> None:
    result = grade_command("kubectl get pods", "kubectl get nodes", seconds_taken=1.0, time_limit_seconds=60.0)
    assert result.suggested is Rating.AGAIN


def test_to_dict_is_json_ready() -> None:
    result = grade_command("kubectl get po -l app=api", "kubectl get pods -l app=web")
    assert isinstance(result, CommandGradeResult)
    assert result.to_dict() == {
        "correct": False,
        "suggested": "again",
        "differences": ["expected value app=web for --selector, got app=api"],
        "score": result.score,
        "kind": "command",
        "matched_answer": "kubectl get pods -l app=web",
    }


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        pytest.param("45s", 45.0, id="seconds"),
        pytest.param("2m", 120.0, id="minutes"),
        pytest.param("1m30s", 90.0, id="minutes-and-seconds"),
        pytest.param("1h", 3600.0, id="hours"),
        pytest.param(" 1M 30S ", 90.0, id="spaces-and-case"),
        pytest.param("1.5m", 90.0, id="fraction"),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "45", "s", "2m1h", "1d", "-5s", "0s", "five seconds", "45 sec"])
def test_parse_duration_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


SHELL_WORDS = st.sampled_from(
    [
        *("kubectl", "k", "get", "create", "secret", "tls", "-n", "-it", "--", "|", "&&", ">", "2>&1", "'", '"'),
        *("\\", "-o=yaml", "--x=", "-", "sudo", "A=1", "po/web", "-nkube", "--dry-run", "pods,svc", "=", "$ ", "\n"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(typed=st.text(), expected=st.text())
def test_grade_command_never_raises_on_arbitrary_text(typed: str, expected: str) -> None:
    result = grade_command(typed, expected, [expected[:5]], seconds_taken=1.0, time_limit_seconds=10.0)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (not result.differences)


@settings(max_examples=300, deadline=None)
@given(typed=st.lists(SHELL_WORDS, max_size=12), expected=st.lists(SHELL_WORDS, max_size=12))
def test_grade_command_never_raises_on_shell_like_text(typed: list[str], expected: list[str]) -> None:
    result = grade_command(" ".join(typed), " ".join(expected))
    assert 0.0 <= result.score <= 1.0
