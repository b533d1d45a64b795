"""Manifest grading: structure, keyed lists, Kubernetes value forms, YAML errors and alias bombs."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ckaquiz.grading import ManifestGradeResult, ManifestSyntaxError, grade_manifest
from ckaquiz.grading.schema import available as schema_installed
from ckaquiz.model import Rating

SCHEDULED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
  tolerations:
  - key: app
    operator: Equal
    value: blue
    effect: NoSchedule
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: disktype
            operator: In
            values: [ssd, nvme]
"""

API_SERVER = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels:
    component: kube-apiserver
    tier: control-plane
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.2
    command:
    - kube-apiserver
    - --advertise-address=192.168.1.10
    - --authorization-mode=Node,RBAC
    - --enable-admission-plugins=NodeRestriction
    - --etcd-servers=https://127.0.0.1:2379
    volumeMounts:
    - name: k8s-certs
      mountPath: /etc/kubernetes/pki
      readOnly: true
  volumes:
  - name: k8s-certs
    hostPath:
      path: /etc/kubernetes/pki
      type: DirectoryOrCreate
"""

LIMIT_RANGE = """\
apiVersion: v1
kind: LimitRange
metadata:
  name: cpu-mem
  namespace: dev
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 512Mi
    defaultRequest:
      cpu: 250m
      memory: 256Mi
    max:
      cpu: "1"
      memory: 1Gi
"""

RESOURCE_QUOTA = """\
apiVersion: v1
kind: ResourceQuota
metadata:
  name: team-quota
  namespace: dev
spec:
  hard:
    pods: "10"
    requests.cpu: "4"
    requests.memory: 8Gi
    limits.memory: 16Gi
    count/deployments.apps: "5"
"""

NETWORK_POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-allow-api
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: api
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - protocol: TCP
      port: 5432
"""

PERSISTENT_VOLUME = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-log
spec:
  capacity:
    storage: 100Mi
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath:
    path: /pv/log
"""

PERSISTENT_VOLUME_CLAIM = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim-log
spec:
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: manual
  volumeMode: Filesystem
  resources:
    requests:
      storage: 50Mi
"""

ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: dev
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, update]
"""

ROLE_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: dev
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
- kind: ServiceAccount
  name: ci
  namespace: dev
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
"""

WEBHOOK = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: pod-policy.example.com
webhooks:
- name: pod-policy.example.com
  rules:
  - apiGroups: [""]
    apiVersions: [v1]
    operations: [CREATE, UPDATE]
    resources: [pods]
    scope: Namespaced
  clientConfig:
    service:
      namespace: webhooks
      name: pod-policy
      port: 443
      path: /validate
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  timeoutSeconds: 5
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: production
        - name: DEBUG
          value: "false"
"""

RESOURCES_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      requests:
        cpu: 500m
        memory: 1Gi
      limits:
        cpu: "1"
        memory: 2Gi
  volumes:
  - name: cache
    emptyDir: {}
"""


def _edit(text: str, *replacements: tuple[str, str]) -> str:
    """The manifest with each `old` replaced once by `new`; fails loudly when `old` is absent."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


MATCHERS = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
APISERVER = "spec.containers[name=kube-apiserver]"
NGINX = "spec.template.spec.containers[name=nginx]"
HOOK = "webhooks[name=pod-policy.example.com]"

EQUIVALENT = [
    pytest.param(
        SCHEDULED_POD,
        """\
kind: Pod
apiVersion: v1
metadata: {name: web}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: disktype, operator: In, values: [nvme, ssd]}]
  tolerations:
  - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
  - {effect: NoSchedule, value: blue, operator: Equal, key: app}
  containers: [{name: web, image: "nginx:1.27"}]
""",
        False,
        id="pod-tolerations-and-affinity-in-any-order-and-flow-style",
    ),
    pytest.param(
        API_SERVER,
        _edit(
            API_SERVER,
            ("    - --advertise-address=192.168.1.10\n", ""),
            (
                "    - --etcd-servers=https://127.0.0.1:2379\n",
                "    - --etcd-servers=https://127.0.0.1:2379\n    - --advertise-address=192.168.1.10\n",
            ),
            ("      readOnly: true", '      readOnly: "true"'),
        ),
        False,
        id="static-pod-flags-in-any-order-boolean-as-string",
    ),
    pytest.param(
        LIMIT_RANGE,
        """\
apiVersion: v1
kind: LimitRange
metadata: {name: cpu-mem, namespace: dev}
spec:
  limits:
  - type: Container
    max: {cpu: 1000m, memory: 1024Mi}
    defaultRequest: {cpu: "0.25", memory: 268435456}
    default: {cpu: 0.5, memory: 0.5Gi}
""",
        True,
        id="limitrange-quantities-in-other-units",
    ),
    pytest.param(
        RESOURCE_QUOTA,
        _edit(
            RESOURCE_QUOTA,
            ('pods: "10"', "pods: 10"),
            ('requests.cpu: "4"', "requests.cpu: 4000m"),
            ("requests.memory: 8Gi", "requests.memory: 8192Mi"),
            ('count/deployments.apps: "5"', "count/deployments.apps: 5"),
        ),
        True,
        id="resourcequota-numbers-and-units",
    ),
    pytest.param(
        NETWORK_POLICY,
        """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-allow-api
  namespace: prod
spec:
  podSelector:
    matchLabels: {app: db}
  policyTypes: [Ingress]
  ingress:
  - ports:
    - port: "5432"
      protocol: TCP
    from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: monitoring}
    - podSelector:
        matchLabels: {app: api}
""",
        True,
        id="networkpolicy-peers-in-any-order-port-as-string",
    ),
    pytest.param(
        PERSISTENT_VOLUME,
        _edit(PERSISTENT_VOLUME, ("storage: 100Mi", "storage: 104857600")),
        True,
        id="pv-capacity-in-bytes",
    ),
    pytest.param(
        PERSISTENT_VOLUME_CLAIM,
        _edit(
            PERSISTENT_VOLUME_CLAIM,
            ("[ReadWriteOnce, ReadOnlyMany]", "[ReadOnlyMany, ReadWriteOnce]"),
            ("storage: 50Mi", 'storage: "52428800"'),
        ),
        True,
        id="pvc-access-modes-any-order",
    ),
    pytest.param(
        ROLE,
        """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [update, get]
- apiGroups: [""]
  resources: [pods/log, pods]
  verbs: [watch, list, get]
""",
        True,
        id="role-rules-and-verbs-in-any-order",
    ),
    pytest.param(
        ROLE_BINDING,
        _edit(
            ROLE_BINDING,
            (
                "- kind: User\n  name: jane\n  apiGroup: rbac.authorization.k8s.io\n"
                "- kind: ServiceAccount\n  name: ci\n  namespace: dev\n",
                "- kind: ServiceAccount\n  name: ci\n  namespace: dev\n"
                "- kind: User\n  name: jane\n  apiGroup: rbac.authorization.k8s.io\n",
            ),
        ),
        True,
        id="rolebinding-subjects-in-any-order",
    ),
    pytest.param(
        WEBHOOK,
        _edit(WEBHOOK, ("port: 443", 'port: "443"'), ("timeoutSeconds: 5", "timeoutSeconds: 5.0")),
        True,
        id="webhook-numbers-as-strings",
    ),
    pytest.param(
        DEPLOYMENT,
        """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
        env:
        - name: DEBUG
          value: false
        - name: MODE
          value: production
        ports:
        - containerPort: 80
status: {}
""",
        True,
        id="deployment-from-kubectl-dry-run-with-empty-fields",
    ),
    pytest.param(
        RESOURCES_POD,
        _edit(
            RESOURCES_POD,
            ("cpu: 500m", "cpu: 0.5"),
            ("memory: 1Gi", "memory: 1024Mi"),
            ('cpu: "1"', "cpu: 1"),
            ("    emptyDir: {}\n", ""),
        ),
        False,
        id="quantities-and-missing-empty-dir",
    ),
    pytest.param(
        RESOURCES_POD,
        _edit(RESOURCES_POD, ("memory: 2Gi", "memory: 2147483648"), ("emptyDir: {}", "emptyDir:")),
        True,
        id="null-empty-dir-equals-empty-mapping",
    ),
]


REFUSED_BY_THE_API = {
    "static-pod-flags-in-any-order-boolean-as-string":
        "line 24: spec.containers[0].volumeMounts[0].readOnly: a string (true) where the API requires a boolean",
    "webhook-numbers-as-strings":
        "line 17: webhooks[0].clientConfig.service.port: a string (443) where the API requires an integer",
    "deployment-from-kubectl-dry-run-with-empty-fields":
        "line 26: spec.template.spec.containers[0].env[0].value: a boolean (false) where the API requires a string;"
        ' quote it: "false"',
}
"""Equal to the expected manifest field by field, but with a value of a type the API refuses."""
EQUAL_BUT_REFUSED = [param for param in EQUIVALENT if param.id in REFUSED_BY_THE_API]
EQUIVALENT = [param for param in EQUIVALENT if param.id not in REFUSED_BY_THE_API]


@pytest.mark.parametrize(("expected", "typed", "strict"), EQUAL_BUT_REFUSED)
def test_equal_fields_of_a_type_the_api_refuses_are_again(expected: str, typed: str, strict: bool) -> None:
    if not schema_installed():
        pytest.skip("the Kubernetes schema package is not installed")
    result = grade_manifest(typed, expected, strict=strict)
    assert len(result.differences) == 1 and result.differences[0] in REFUSED_BY_THE_API.values()
    assert result.suggested is Rating.AGAIN


@pytest.mark.parametrize(("expected", "typed", "strict"), EQUIVALENT)
def test_equivalent_manifests_are_correct(expected: str, typed: str, strict: bool) -> None:
    result = grade_manifest(typed, expected, strict=strict)
    assert result.differences == ()
    assert result.correct
    assert result.score == 1.0
    assert result.suggested is Rating.GOOD


DIFFERENT = [
    pytest.param(
        SCHEDULED_POD,
        _edit(SCHEDULED_POD, ("effect: NoSchedule", "effect: NoExecute")),
        False,
        ["spec.tolerations[key=app].effect: expected NoSchedule, got NoExecute"],
        Rating.AGAIN,
        id="toleration-effect",
    ),
    pytest.param(
        SCHEDULED_POD,
        _edit(
            SCHEDULED_POD,
            ("  - key: node-role.kubernetes.io/control-plane\n    operator: Exists\n    effect: NoSchedule\n", ""),
        ),
        False,
        ["missing spec.tolerations[key=node-role.kubernetes.io/control-plane]"],
        Rating.AGAIN,
        id="missing-toleration",
    ),
    pytest.param(
        SCHEDULED_POD,
        _edit(SCHEDULED_POD, ("operator: In", "operator: NotIn")),
        False,
        [f"{MATCHERS}.matchExpressions[key=disktype].operator: expected In, got NotIn"],
        Rating.AGAIN,
        id="affinity-operator",
    ),
    pytest.param(
        SCHEDULED_POD,
        _edit(SCHEDULED_POD, ("values: [ssd, nvme]", "values: [ssd]")),
        False,
        [f"missing item nvme in {MATCHERS}.matchExpressions[key=disktype].values"],
        Rating.AGAIN,
        id="affinity-value-missing",
    ),
    pytest.param(
        SCHEDULED_POD,
        _edit(
            SCHEDULED_POD,
            ("requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"),
        ),
        False,
        [
            "line 19: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution: a mapping ({...})"
            " where the API requires a list",
            "missing spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
        ],
        Rating.AGAIN,
        id="preferred-instead-of-required",
    ),
    pytest.param(
        API_SERVER,
        _edit(API_SERVER, ("--authorization-mode=Node,RBAC", "--authorization-mode=RBAC")),
        False,
        [f"{APISERVER}.command: expected --authorization-mode=Node,RBAC, got --authorization-mode=RBAC"],
        Rating.AGAIN,
        id="static-pod-flag-value",
    ),
    pytest.param(
        API_SERVER,
        _edit(API_SERVER, ("    - --enable-admission-plugins=NodeRestriction\n", "")),
        False,
        [f"missing item --enable-admission-plugins=NodeRestriction in {APISERVER}.command"],
        Rating.AGAIN,
        id="static-pod-flag-missing",
    ),
    pytest.param(
        API_SERVER,
        _edit(API_SERVER, ("mountPath: /etc/kubernetes/pki", "mountPath: /etc/kubernetes")),
        False,
        [f"{APISERVER}.volumeMounts[name=k8s-certs].mountPath: expected /etc/kubernetes/pki, got /etc/kubernetes"],
        Rating.AGAIN,
        id="static-pod-mount-path",
    ),
    pytest.param(
        API_SERVER,
        _edit(API_SERVER, ("    - kube-apiserver\n", "    - kube-apiserver\n    - --v=2\n")),
        True,
        [f"unexpected item --v=2 in {APISERVER}.command"],
        Rating.AGAIN,
        id="static-pod-strict-extra-flag",
    ),
    pytest.param(
        API_SERVER,
        _edit(API_SERVER, ("hostNetwork: true", "hostNetwork: false")),
        False,
        ["spec.hostNetwork: expected true, got false"],
        Rating.AGAIN,
        id="static-pod-host-network",
    ),
    pytest.param(
        LIMIT_RANGE,
        _edit(
            LIMIT_RANGE,
            ("cpu: 500m", "cpu: 250m"),
            ("memory: 512Mi", "memory: 256Mi"),
            ("cpu: 250m\n      memory: 256Mi\n    max", "cpu: 500m\n      memory: 512Mi\n    max"),
        ),
        False,
        [
            "spec.limits[type=Container].default.cpu: expected 500m, got 250m",
            "spec.limits[type=Container].default.memory: expected 512Mi, got 256Mi",
            "spec.limits[type=Container].defaultRequest.cpu: expected 250m, got 500m",
            "spec.limits[type=Container].defaultRequest.memory: expected 256Mi, got 512Mi",
        ],
        Rating.AGAIN,
        id="limitrange-default-and-request-swapped",
    ),
    pytest.param(
        LIMIT_RANGE,
        _edit(LIMIT_RANGE, ("type: Container", "type: Pod")),
        False,
        ["spec.limits[type=Container].type: expected Container, got Pod"],
        Rating.AGAIN,
        id="limitrange-type",
    ),
    pytest.param(
        RESOURCE_QUOTA,
        _edit(RESOURCE_QUOTA, ("requests.memory: 8Gi", "requests.memory: 8G")),
        False,
        ['spec.hard["requests.memory"]: expected 8Gi, got 8G'],
        Rating.AGAIN,
        id="resourcequota-decimal-instead-of-binary-unit",
    ),
    pytest.param(
        NETWORK_POLICY,
        _edit(NETWORK_POLICY, ("    - namespaceSelector:\n", "      namespaceSelector:\n")),
        False,
        ["missing spec.ingress[0].from[1]"],
        Rating.AGAIN,
        id="networkpolicy-and-instead-of-or",
    ),
    pytest.param(
        NETWORK_POLICY,
        _edit(NETWORK_POLICY, ("    - namespaceSelector:\n", "      namespaceSelector:\n")),
        True,
        ["unexpected field spec.ingress[0].from[0].namespaceSelector", "missing spec.ingress[0].from[1]"],
        Rating.AGAIN,
        id="networkpolicy-and-instead-of-or-strict",
    ),
    pytest.param(
        NETWORK_POLICY,
        _edit(NETWORK_POLICY, ("port: 5432", "port: 5433")),
        False,
        ["spec.ingress[0].ports[port=5432].port: expected 5432, got 5433"],
        Rating.AGAIN,
        id="networkpolicy-port",
    ),
    pytest.param(
        NETWORK_POLICY,
        _edit(NETWORK_POLICY, ("  policyTypes: [Ingress]\n", "")),
        False,
        ["missing spec.policyTypes"],
        Rating.AGAIN,
        id="networkpolicy-policy-types",
    ),
    pytest.param(
        PERSISTENT_VOLUME,
        _edit(PERSISTENT_VOLUME, ("[ReadWriteMany]", "[ReadWriteOnce]")),
        False,
        ["missing item ReadWriteMany in spec.accessModes"],
        Rating.AGAIN,
        id="pv-access-mode",
    ),
    pytest.param(
        PERSISTENT_VOLUME_CLAIM,
        _edit(PERSISTENT_VOLUME_CLAIM, ("storage: 50Mi", "storage: 50M")),
        False,
        ["spec.resources.requests.storage: expected 50Mi, got 50M"],
        Rating.AGAIN,
        id="pvc-size-unit",
    ),
    pytest.param(
        ROLE,
        _edit(ROLE, ("verbs: [get, list, watch]", "verbs: [get, list]")),
        False,
        ["missing item watch in rules[0].verbs"],
        Rating.AGAIN,
        id="role-missing-verb",
    ),
    pytest.param(
        ROLE,
        _edit(ROLE, ("verbs: [get, update]", "verbs: [get, update, delete]")),
        True,
        ["unexpected item delete in rules[1].verbs"],
        Rating.AGAIN,
        id="role-strict-extra-verb",
    ),
    pytest.param(
        ROLE,
        _edit(ROLE, ("verbs: [get, update]", "verbs: [get, update, delete]")),
        False,
        [],
        Rating.GOOD,
        id="role-extra-verb-allowed-when-not-strict",
    ),
    pytest.param(
        ROLE_BINDING,
        _edit(ROLE_BINDING, ("  kind: Role\n", "  kind: ClusterRole\n")),
        False,
        ["roleRef.kind: expected Role, got ClusterRole"],
        Rating.AGAIN,
        id="rolebinding-role-kind",
    ),
    pytest.param(
        ROLE_BINDING,
        _edit(ROLE_BINDING, ("  name: ci\n  namespace: dev", "  name: ci\n  namespace: default")),
        False,
        ["subjects[name=ci].namespace: expected dev, got default"],
        Rating.AGAIN,
        id="rolebinding-subject-namespace",
    ),
    pytest.param(
        WEBHOOK,
        _edit(WEBHOOK, ("failurePolicy: Fail", "failurePolicy: Ignore")),
        False,
        [f"{HOOK}.failurePolicy: expected Fail, got Ignore"],
        Rating.AGAIN,
        id="webhook-failure-policy",
    ),
    pytest.param(
        WEBHOOK,
        _edit(WEBHOOK, ("operations: [CREATE, UPDATE]", "operations: [CREATE]")),
        False,
        [f"missing item UPDATE in {HOOK}.rules[0].operations"],
        Rating.AGAIN,
        id="webhook-operation",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(DEPLOYMENT, ("replicas: 3", "replicas: 2")),
        False,
        ["spec.replicas: expected 3, got 2"],
        Rating.AGAIN,
        id="deployment-replicas",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(DEPLOYMENT, ("- name: nginx", "- name: web")),
        False,
        [f"{NGINX}.name: expected nginx, got web"],
        Rating.AGAIN,
        id="deployment-container-renamed",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(
            DEPLOYMENT,
            ("  selector:\n    matchLabels:\n      app: web", "  selector:\n    matchLabels:\n      app: frontend"),
        ),
        False,
        ["spec.selector.matchLabels.app: expected web, got frontend"],
        Rating.AGAIN,
        id="deployment-selector",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(
            DEPLOYMENT, ("      containers:\n", "      containers:\n      - name: sidecar\n        image: busybox\n")
        ),
        True,
        ["unexpected field spec.template.spec.containers[name=sidecar]"],
        Rating.AGAIN,
        id="deployment-strict-extra-container",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(DEPLOYMENT, ("value: production", "value: development")),
        False,
        [f"{NGINX}.env[name=MODE].value: expected production, got development"],
        Rating.AGAIN,
        id="deployment-env-value",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(DEPLOYMENT, ("        ports:\n        - containerPort: 80\n", "")),
        False,
        [f"missing {NGINX}.ports"],
        Rating.AGAIN,
        id="deployment-missing-ports",
    ),
    pytest.param(
        DEPLOYMENT,
        _edit(DEPLOYMENT, ("containerPort: 80", "containerPort: 8080")),
        False,
        [f"{NGINX}.ports[containerPort=80].containerPort: expected 80, got 8080"],
        Rating.AGAIN,
        id="deployment-wrong-port",
    ),
    pytest.param(
        DEPLOYMENT,
        """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
""",
        False,
        [
            "apiVersion: expected apps/v1, got v1",
            "kind: expected Deployment, got Pod",
            "missing metadata.labels",
            "missing spec.replicas",
            "missing spec.selector",
            "missing spec.template",
        ],
        Rating.AGAIN,
        id="pod-instead-of-deployment",
    ),
    pytest.param(
        RESOURCES_POD,
        _edit(RESOURCES_POD, ("        memory: 2Gi\n", "")),
        False,
        ["missing spec.containers[name=web].resources.limits.memory"],
        Rating.AGAIN,
        id="missing-memory-limit",
    ),
    pytest.param(
        RESOURCES_POD,
        _edit(RESOURCES_POD, ("cpu: 500m", "cpu: 500")),
        False,
        ["spec.containers[name=web].resources.requests.cpu: expected 500m, got 500"],
        Rating.AGAIN,
        id="cpu-cores-instead-of-millicores",
    ),
    pytest.param(
        RESOURCES_POD,
        _edit(RESOURCES_POD, ("    emptyDir: {}", "    hostPath: {path: /tmp/cache}")),
        True,
        ["unexpected field spec.volumes[name=cache].hostPath"],
        Rating.AGAIN,
        id="strict-host-path-instead-of-empty-dir",
    ),
]


@pytest.mark.parametrize(("expected", "typed", "strict", "differences", "suggested"), DIFFERENT)
def test_different_manifests_name_each_difference(
    expected: str, typed: str, strict: bool, differences: list[str], suggested: Rating
) -> None:
    result = grade_manifest(typed, expected, strict=strict)
    assert list(result.differences) == differences
    assert result.correct == (not differences)
    assert result.suggested is suggested


def test_score_is_the_share_of_expected_leaf_fields() -> None:
    result = grade_manifest(_edit(RESOURCES_POD, ("        memory: 2Gi\n", "")), RESOURCES_POD)
    assert (result.matched_fields, result.total_fields) == (10, 11)
    assert result.score == 10 / 11


def test_to_dict_is_json_ready() -> None:
    result = grade_manifest(_edit(ROLE, ("verbs: [get, update]", "verbs: [get, update, delete]")), ROLE, strict=True)
    assert isinstance(result, ManifestGradeResult)
    assert result.to_dict() == {
        "correct": False,
        "suggested": "again",
        "differences": ["unexpected item delete in rules[1].verbs"],
        "score": 1.0,
        "kind": "manifest",
        "matched_fields": 14,
        "total_fields": 14,
        "unexpected_fields": ["rules[1].verbs[delete]"],
    }


@pytest.mark.parametrize(
    ("typed", "line", "column", "message"),
    [
        pytest.param(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n    labels: x\n",
            5,
            11,
            "mapping values are not allowed here",
            id="bad-indent-mapping-value",
        ),
        pytest.param(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n   image: nginx\n",
            6,
            4,
            "expected <block end>, but found '<block mapping start>'",
            id="list-item-field-misaligned",
        ),
        pytest.param(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'web\n",
            5,
            1,
            "found unexpected end of stream",
            id="unclosed-quote",
        ),
        pytest.param("apiVersion: v1\n\tkind: Pod\n", 2, 1, "found character '\\t'", id="tab-indent"),
        pytest.param("kind: Pod\nmetadata:\n  created: 2024-13-45\n", 3, 12, "invalid value", id="impossible-date"),
        pytest.param("kind: Pod\nmetadata: {name: web\n", 3, 1, "expected ',' or '}'", id="unclosed-flow-mapping"),
    ],
)
def test_yaml_errors_name_line_and_column(typed: str, line: int, column: int, message: str) -> None:
    with pytest.raises(ManifestSyntaxError) as caught:
        grade_manifest(typed, RESOURCES_POD)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith(f"line {line}, column {column}: ")


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        references = ", ".join([f"*lol{level - 1}"] * width)
        lines.append(f"lol{level}: &lol{level} [{references}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(_billion_laughs(), "aliases expand the document beyond 50000 nodes", id="billion-laughs"),
        pytest.param(_billion_laughs(levels=30, width=3), "aliases expand the document beyond", id="deep-narrow"),
        pytest.param(
            "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n", "more than 100 YAML aliases", id="too-many-aliases"
        ),
        pytest.param("a: &a [*a]\n", "an alias refers to a node that contains it", id="recursive-alias"),
        pytest.param("a: " + "[" * 150 + "]" * 150 + "\n", "nested deeper than 100 levels", id="deep-nesting"),
    ],
)
def test_alias_bombs_are_refused_quickly(typed: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(ManifestSyntaxError, match=message):
        grade_manifest(typed, RESOURCES_POD)
    assert time.monotonic() - started < 2.0


def test_a_few_aliases_are_fine() -> None:
    typed = _edit(RESOURCES_POD, ("    resources:\n", "    resources: &same\n"))
    typed += "  initContainers:\n  - name: init\n    image: busybox\n    resources: *same\n"
    assert grade_manifest(typed, RESOURCES_POD).correct


@pytest.mark.parametrize(
    ("typed", "difference"),
    [
        pytest.param("", "the answer is empty: expected a manifest starting with apiVersion and kind", id="empty"),
        pytest.param(
            "# only a comment\n",
            "the answer is empty: expected a manifest starting with apiVersion and kind",
            id="comment",
        ),
        pytest.param(
            "- apiVersion: v1\n  kind: Pod\n",
            "the answer is a list, not a YAML mapping: a manifest starts with apiVersion and kind",
            id="list",
        ),
        pytest.param(
            "kubectl run web --image=nginx",
            "the answer is a string, not a YAML mapping: a manifest starts with apiVersion and kind",
            id="a-command-instead",
        ),
    ],
)
def test_documents_that_are_not_mappings_are_refused(typed: str, difference: str) -> None:
    result = grade_manifest(typed, RESOURCES_POD)
    assert result.differences == (difference,)
    assert result.suggested is Rating.AGAIN
    assert result.score == 0.0


def test_typed_yaml_is_never_read_with_an_unsafe_loader() -> None:
    with pytest.raises(ManifestSyntaxError, match="could not determine a constructor"):
        grade_manifest("kind: !!python/object/apply:os.system ['echo hacked']\n", RESOURCES_POD)


def test_an_invalid_expected_manifest_is_a_plain_value_error() -> None:
    with pytest.raises(ValueError, match="expected manifest") as caught:
        grade_manifest(RESOURCES_POD, "kind: [\n")
    assert not isinstance(caught.value, ManifestSyntaxError)


@settings(max_examples=300, deadline=None)
@given(typed=st.text())
def test_arbitrary_text_only_ever_raises_manifest_syntax_error(typed: str) -> None:
    try:
        result = grade_manifest(typed, API_SERVER, strict=True)
    except ManifestSyntaxError as error:
        assert error.line >= 1 and error.column >= 1
    else:
        assert 0.0 <= result.score <= 1.0


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=6), st.sampled_from(["500m", "1Gi", "80"])),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(["name", "key", "containers", "ports", "command", "limits"]), children, max_size=4
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(document=YAML_VALUES, strict=st.booleans())
def test_every_manifest_matches_itself(document: object, strict: bool) -> None:
    text = yaml.safe_dump({"spec": document})
    assert grade_manifest(text, text, strict=strict).correct
