"""Commands rendered by the real kubectl (`--dry-run=client -o yaml`, offline) and compared as
objects; the token grader where kubectl is absent or the subcommand needs a cluster."""

from __future__ import annotations

import shutil

import pytest

from ckaquiz.grading import grade_command
from ckaquiz.grading.kubectl import Rendering, render, renderable
from ckaquiz.model import Rating

needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")

DEPLOY = "kubectl create deployment web --image=nginx --replicas=3"


@needs_kubectl
@pytest.mark.parametrize(
    ("expected", "typed", "differences"),
    [
        pytest.param(DEPLOY, "kubectl create deployment nginx --image=web --replicas=3", [
            "metadata.labels.app: expected web, got nginx",
            "metadata.name: expected web, got nginx",
            "spec.selector.matchLabels.app: expected web, got nginx",
            "spec.template.metadata.labels.app: expected web, got nginx",
            "spec.template.spec.containers[name=nginx].image: expected nginx, got web",
            "spec.template.spec.containers[name=nginx].name: expected nginx, got web",
            "web and nginx are swapped (argument 1 and --image)",
        ], id="name-and-image-swapped"),
        pytest.param(DEPLOY, "kubectl create deploy web --image=nginx -r 2", ["spec.replicas: expected 3, got 2"],
                     id="replicas-per-field"),
        pytest.param("kubectl create service nodeport web --tcp=8080:80",
                     "kubectl create service nodeport web --tcp=80:8080", [
                         "spec.ports[name=8080-80].name: expected 8080-80, got 80-8080",
                         "spec.ports[name=8080-80].port: expected 8080, got 80",
                         "spec.ports[name=8080-80].targetPort: expected 80, got 8080",
                     ], id="service-ports-swapped"),
        pytest.param("kubectl create deployment web --image=nginx --dry-run=client -o yaml",
                     "kubectl create deployment web --image=nginx",
                     ["missing flag --dry-run", "missing flag --output"], id="dry-run-left-out"),
        pytest.param("kubectl create namespace prod", "kubectl create namespace dev",
                     ["metadata.name: expected prod, got dev"], id="namespace-name"),
        pytest.param("kubectl create configmap app --from-literal=mode=prod",
                     "kubectl create configmap app --from-literal=mode=dev",
                     ["data.mode: expected prod, got dev"], id="configmap-value"),
    ],
)
def test_kubectl_renders_both_and_names_each_field(expected: str, typed: str, differences: list[str]) -> None:
    result = grade_command(typed, expected)
    assert list(result.differences) == differences
    assert result.suggested is Rating.AGAIN


@needs_kubectl
def test_an_invalid_flag_shows_kubectls_own_error() -> None:
    result = grade_command("kubectl create deployment web --imag=nginx --replicas=3", DEPLOY)
    assert result.differences[0] == "kubectl: Error: unknown flag: --imag"
    assert result.suggested is Rating.AGAIN


@needs_kubectl
@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        pytest.param("kubectl create quota q --hard=pods=2,cpu=1", "kubectl create quota q --hard=cpu=1,pods=2",
                     id="quota-items-in-any-order"),
        pytest.param("kubectl create configmap c --from-literal=a=1 --from-literal=b=2",
                     "kubectl create cm c --from-literal=b=2 --from-literal=a=1", id="literals-in-any-order"),
        pytest.param("kubectl create deployment web --image=nginx --replicas=3 --port=80",
                     "kubectl create deploy web --port 80 -r 3 --image nginx", id="short-forms"),
    ],
)
def test_commands_that_render_the_same_object_are_right(expected: str, typed: str) -> None:
    result = grade_command(typed, expected, seconds_taken=5.0, easy_seconds=30.0)
    assert result.differences == ()
    assert result.suggested is Rating.EASY


@needs_kubectl
def test_renderings_are_cached() -> None:
    words = ("kubectl", "create", "namespace", "cached-once")
    first = render(words)
    assert first.manifest is not None and "name: cached-once" in first.manifest
    assert render(words) is first


@needs_kubectl
def test_a_subcommand_that_needs_a_cluster_is_left_to_the_token_grader() -> None:
    # `create role` looks up the server's resource types even for a client dry run
    expected = "kubectl create role reader --verb=get --resource=pods"
    assert render(tuple(expected.split())) == Rendering()
    result = grade_command("kubectl create role reader --verb=get --resource=secrets", expected)
    assert result.differences == ("expected value pod for --resource, got secret",)
    assert result.suggested is Rating.AGAIN


@pytest.mark.parametrize(
    "words",
    [
        ("kubectl", "create", "namespace", "x", "--kubeconfig=/elsewhere"),
        ("kubectl", "create", "namespace", "x", "--server", "https://example.com"),
        ("kubectl", "create", "namespace", "x", "-s", "https://example.com"),
        ("kubectl", "create", "-f", "pod.yaml"),
        ("kubectl", "create", "secret", "generic", "s", "--from-file=key"),
        ("kubectl", "create", "secret", "tls", "t", "--cert=tls.crt", "--key=tls.key"),
        ("kubectl", "create", "namespace", "$HOME"),
        ("kubectl", "create", "namespace", "x", "--context", "prod"),
    ],
    ids=["kubeconfig", "server", "short-server", "file", "from-file", "tls-files", "expansion", "context"],
)
def test_files_and_cluster_settings_are_never_run(words: tuple[str, ...]) -> None:
    assert not renderable(words)
    assert render(words) == Rendering()


def test_without_kubectl_the_token_grader_judges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    swapped = grade_command("kubectl create deployment nginx --image=web --replicas=3", DEPLOY)
    assert list(swapped.differences) == [
        "expected argument web, got nginx",
        "expected value nginx for --image, got web",
        "web and nginx are swapped (argument 1 and --image)",
    ]
    assert swapped.suggested is Rating.AGAIN
    invalid = grade_command("kubectl create deployment web --imag=nginx --replicas=3", DEPLOY)
    assert invalid.differences == ("missing flag --image", "unexpected flag --imag")
    assert invalid.suggested is Rating.AGAIN
