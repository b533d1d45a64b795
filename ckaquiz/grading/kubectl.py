"""Commands rendered by the real kubectl, offline, and compared as the objects they would make.

`kubectl create ...` and `kubectl run ...` print the object they would send when given
`--dry-run=client -o yaml`. Where kubectl is installed, a typed command the token grader finds
different is rendered that way, as is the expected one, and the two objects are compared as
manifests; an option kubectl refuses shows kubectl's own error line.

kubectl runs with a scratch kubeconfig whose only cluster is a closed local port, in a scratch
folder, with no proxy settings, stdin closed and a timeout: it never reaches a real cluster. A
subcommand that needs one even for a client-side dry run (`kubectl run` and `create role`
look up the server's resources; `expose` and `label` read the object) fails there, and is left
to the token grader. Commands that name files or connection settings are never run. The
renderings of expected answers are cached per process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache

TIMEOUT_SECONDS = 10.0
RENDERED_VERBS = frozenset({"create", "run"})
_REFUSED_FLAGS = frozenset(
    {
        # where the cluster is and who speaks to it: never taken from an answer
        "--kubeconfig", "--server", "-s", "--context", "--cluster", "--user", "--token", "--as", "--as-group",
        "--as-uid", "--certificate-authority", "--client-certificate", "--client-key", "--insecure-skip-tls-verify",
        "--username", "--password", "--tls-server-name", "--cache-dir", "--profile", "--profile-output",
        "--request-timeout",
        # files read from the learner's disk
        "-f", "--filename", "-k", "--kustomize", "--from-file", "--from-env-file", "--env-file", "--cert", "--key",
        "--docker-config", "--raw", "--edit",
    }
)  # fmt: skip
_OUTPUT_FLAGS = frozenset({"--dry-run", "-o", "--output", "--template", "--show-managed-fields"})
_CLUSTER_NEEDED = (
    "couldn't get current server api group list",
    "the connection to the server",
    "unable to connect to the server",
    "connection refused",
    "dial tcp",
    "the server doesn't have a resource type",
    "unknown flag: --dry-run",
)
_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: offline
  cluster: {server: "https://127.0.0.1:9"}
users:
- name: offline
  user: {token: offline}
contexts:
- name: offline
  context: {cluster: offline, user: offline}
current-context: offline
"""


@dataclass(frozen=True)
class Rendering:
    """What kubectl made of one command: the object's YAML, or its error line, or neither."""

    manifest: str | None = None
    error: str | None = None
    """kubectl's own first error line, for a command it refused."""

    @property
    def unavailable(self) -> bool:
        """No judgement from kubectl: not installed, a cluster needed, or a time-out."""
        return self.manifest is None and self.error is None


def kubectl_path() -> str | None:
    """The kubectl on PATH, or None."""
    return shutil.which("kubectl")


def renderable(words: tuple[str, ...]) -> bool:
    """Whether `kubectl WORDS` (a create or run command) may be run for a dry run: no files, no
    cluster settings, nothing the shell would expand."""
    if len(words) < 2 or words[0] != "kubectl":
        return False
    for word in _before_dashes(words):
        name = word.partition("=")[0]
        if name in _REFUSED_FLAGS or (name.startswith("-") and not name.startswith("--") and _refused_short(name)):
            return False
        if "$" in word or "`" in word:
            return False
    return True


def _refused_short(name: str) -> bool:
    """`-f`, `-k` or `-s` in a cluster of short switches such as `-itf`; `-o` is the output flag."""
    return any(f"-{letter}" in _REFUSED_FLAGS for letter in name[1:])


def _before_dashes(words: tuple[str, ...]) -> tuple[str, ...]:
    return words[: words.index("--")] if "--" in words else words


def render(words: tuple[str, ...]) -> Rendering:
    """The object `kubectl WORDS --dry-run=client -o yaml` prints, offline (cached per process)."""
    return _render(words)


@lru_cache(maxsize=512)
def _render(words: tuple[str, ...]) -> Rendering:
    program = kubectl_path()
    if program is None or not renderable(words):
        return Rendering()
    arguments = [program, *_without_output_flags(words[1:])]
    folder = _scratch_folder()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": folder,
        "KUBECONFIG": os.path.join(folder, "config"),
        "KUBECACHEDIR": os.path.join(folder, "cache"),
        "LANG": "C",
    }
    try:
        finished = subprocess.run(
            arguments,
            cwd=folder,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, ValueError, subprocess.SubprocessError):  # ValueError: a NUL byte in a word
        return Rendering()
    output = finished.stdout.decode("utf-8", "replace")
    errors = finished.stderr.decode("utf-8", "replace")
    if finished.returncode == 0 and output.strip():
        return Rendering(manifest=output)
    lowered = errors.lower()
    if any(sign in lowered for sign in _CLUSTER_NEEDED):
        return Rendering()
    lines = [line.strip() for line in errors.splitlines() if line.strip() and not line.startswith("See '")]
    return Rendering(error=lines[0] if lines else f"exited with status {finished.returncode}")


def _without_output_flags(arguments: tuple[str, ...]) -> list[str]:
    """The arguments with any dry-run and output flags replaced by `--dry-run=client -o yaml`."""
    kept: list[str] = []
    index = 0
    head = _before_dashes(arguments)
    while index < len(head):
        word = head[index]
        name = word.partition("=")[0]
        if name in _OUTPUT_FLAGS or (word.startswith("-o") and not word.startswith("--")):
            takes_next = name in ("-o", "--output", "--template") and "=" not in word and word in ("-o", name)
            index += 2 if takes_next else 1
            continue
        kept.append(word)
        index += 1
    kept += ["--dry-run=client", "-o", "yaml"]
    return kept + list(arguments[len(head) :])


@lru_cache(maxsize=1)
def _scratch_folder() -> str:
    folder = tempfile.mkdtemp(prefix="ckaquiz-kubectl-")
    atexit.register(shutil.rmtree, folder, True)
    with open(os.path.join(folder, "config"), "w", encoding="utf-8") as handle:
        handle.write(_KUBECONFIG)
    return folder
