"""Manifests checked against the Kubernetes API schema: what the API server would refuse is
again, with the YAML line and path, even where every field compares equal."""

from __future__ import annotations

import pytest

from ckaquiz.grading import grade_manifest
from ckaquiz.grading.schema import KUBERNETES_VERSION, available, schema_problems
from ckaquiz.model import Rating

pytestmark = pytest.mark.skipif(not available(), reason="the Kubernetes schema package is not installed")

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  restartPolicy: Always
  nodeSelector:
    disktype: ssd
  securityContext:
    runAsUser: 1000
  containers:
  - name: web
    image: nginx:1.27
    command: [sleep, "3600"]
    env:
    - name: PORT
      value: "8080"
    ports:
    - containerPort: 80
    resources:
      limits:
        cpu: 500m
    securityContext:
      privileged: false
    volumeMounts:
    - name: cache
      mountPath: /cache
  volumes:
  - name: cache
    emptyDir: {}
  tolerations:
  - key: app
    operator: Equal
    value: "true"
    effect: NoExecute
"""


def _edit(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


REFUSED = [
    pytest.param(
        [('value: "true"', 'value: true')],
        'line 36: spec.tolerations[0].value: a boolean (true) where the API requires a string; quote it: "true"',
        id='toleration-value-true-unquoted',
    ),
    pytest.param(
        [('effect: NoExecute', 'effect: NoExecute\n    tolerationSeconds: soon')],
        'line 38: spec.tolerations[0].tolerationSeconds: a string (soon) where the API requires an integer',
        id='toleration-seconds-as-text',
    ),
    pytest.param(
        [('    image: nginx:1.27', '    imagee: nginx:1.27')],
        'line 15: spec.containers[0]: unknown field "imagee"',
        id='unknown-field-typo',
    ),
    pytest.param(
        [('  - name: web\n    image', '  - image')],
        'line 14: spec.containers[0]: missing required field "name"',
        id='missing-container-name',
    ),
    pytest.param(
        [('containerPort: 80', 'containerPort: eighty')],
        'line 21: spec.containers[0].ports[0].containerPort: a string (eighty) where the API requires an integer',
        id='container-port-as-text',
    ),
    pytest.param(
        [('  containers:\n  - name: web', '  containers:\n    name: web')],
        'line 13: spec.containers: a mapping ({...}) where the API requires a list',
        id='containers-as-a-mapping',
    ),
    pytest.param(
        [('app: web', 'app: 3')],
        'line 6: metadata.labels.app: an integer (3) where the API requires a string; quote it: "3"',
        id='label-value-number',
    ),
    pytest.param(
        [('disktype: ssd', 'ssd: true')],
        'line 10: spec.nodeSelector.ssd: a boolean (true) where the API requires a string; quote it: "true"',
        id='node-selector-boolean',
    ),
    pytest.param(
        [('apiVersion: v1', 'apiVersion: apps/v1')],
        'line 1: no kind Pod in apiVersion apps/v1 (Pod is in v1)',
        id='apps-v1-on-a-pod',
    ),
    pytest.param(
        [('    command: [sleep, "3600"]', '    command: sleep 3600')],
        'line 16: spec.containers[0].command: a string (sleep 3600) where the API requires a list',
        id='command-as-text',
    ),
    pytest.param(
        [('    command: [sleep, "3600"]', '    command: [sleep, 3600]')],
        'line 16: spec.containers[0].command[1]: an integer (3600) where the API requires a string; quote it: "3600"',
        id='args-with-a-number',
    ),
    pytest.param(
        [('      value: "8080"', '      value: 8080')],
        'line 19: spec.containers[0].env[0].value: an integer (8080) where the API requires a string; quote it: "8080"',
        id='env-value-number',
    ),
    pytest.param(
        [('    - name: PORT\n      value', '    - value')],
        'line 18: spec.containers[0].env[0]: missing required field "name"',
        id='env-without-name',
    ),
    pytest.param(
        [('privileged: false', 'privileged: "no"')],
        'line 26: spec.containers[0].securityContext.privileged: a string (no) where the API requires a boolean',
        id='privileged-as-text',
    ),
    pytest.param(
        [('runAsUser: 1000', 'runAsUser: root')],
        'line 12: spec.securityContext.runAsUser: a string (root) where the API requires an integer',
        id='run-as-user-as-text',
    ),
    pytest.param(
        [('restartPolicy: Always', 'restartPolicy: [Always]')],
        'line 8: spec.restartPolicy: a list ([...]) where the API requires a string',
        id='restart-policy-list',
    ),
    pytest.param(
        [('      mountPath: /cache\n', '')],
        'line 28: spec.containers[0].volumeMounts[0]: missing required field "mountPath"',
        id='volume-mount-without-path',
    ),
    pytest.param(
        [('kind: Pod', 'kind: Pod\nstatus2: {}')],
        'line 3: unknown field "status2"',
        id='unknown-top-level-field',
    ),
    pytest.param(
        [('cpu: 500m', 'cpu: true')],
        'line 24: spec.containers[0].resources.limits.cpu: a boolean (true) where the API requires a'
        ' string or a number',
        id='cpu-limit-boolean',
    ),
    pytest.param(
        [('  name: web\n  labels', '  name: [web]\n  labels')],
        'line 4: metadata.name: a list ([...]) where the API requires a string',
        id='metadata-name-list',
    ),
    pytest.param(
        [('  restartPolicy: Always', '  restartPolicy: Always\n  hostNetwork: "yes"')],
        'line 9: spec.hostNetwork: a string (yes) where the API requires a boolean',
        id='host-network-text',
    ),
    pytest.param(
        [('  restartPolicy: Always', '  restartPolicy: Always\n  terminationGracePeriodSeconds: 30s')],
        'line 9: spec.terminationGracePeriodSeconds: a string (30s) where the API requires an integer',
        id='termination-grace-text',
    ),
]


@pytest.mark.parametrize(("edits", "problem"), REFUSED)
def test_what_the_api_refuses_is_again_with_its_line(edits: list[tuple[str, str]], problem: str) -> None:
    result = grade_manifest(_edit(POD, edits), POD, seconds_taken=1.0, easy_seconds=180.0)
    assert [difference for difference in result.differences if difference.startswith("line ")] == [problem]
    assert result.suggested is Rating.AGAIN


def test_there_are_at_least_twenty_refused_manifests() -> None:
    assert len(REFUSED) >= 20


def test_the_unquoted_toleration_value_that_compared_equal_is_refused() -> None:
    typed = _edit(POD, [('value: "true"', "value: true")])
    result = grade_manifest(typed, POD)
    assert result.differences == (
        'line 36: spec.tolerations[0].value: a boolean (true) where the API requires a string; quote it: "true"',
    )
    assert not result.correct and result.suggested is Rating.AGAIN


def test_the_expected_manifest_passes_the_schema_and_grades_itself_right() -> None:
    assert schema_problems(__import__("yaml").safe_load(POD), POD) == []
    assert grade_manifest(POD, POD).suggested is Rating.GOOD


def test_a_kind_the_schemas_lack_is_compared_only() -> None:
    expected = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n"
    typed = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\nextra: 1\n"
    assert grade_manifest(typed, expected).suggested is Rating.GOOD


def test_an_expected_answer_the_schema_refuses_is_not_held_against_the_learner() -> None:
    partial = "apiVersion: v1\nkind: Pod\nspec:\n  tolerations:\n  - key: app\n    effect: NoSchedule\n"
    result = grade_manifest(partial, partial)  # no containers: the deck checks only the tolerations
    assert result.differences == () and result.suggested is Rating.GOOD


def test_the_schema_is_of_the_exam_version() -> None:
    assert KUBERNETES_VERSION == "1.32"


def test_yaml_timestamps_and_number_keys_are_sent_as_text() -> None:
    stamped = "  name: web\n  creationTimestamp: 2025-03-19T09:00:00Z\n  labels:\n    app: web\n    1: one"
    typed = _edit(POD, [("  name: web\n  labels:\n    app: web", stamped)])
    result = grade_manifest(typed, POD)
    assert result.differences == () and result.suggested is Rating.GOOD
