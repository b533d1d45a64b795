"""Command, manifest and choice grading: pure functions from a typed answer to a verdict.

Commands are compared by meaning, the way the shell and the program would read them: the
command path (`kubectl create secret tls`), positional arguments in order, flags as a set,
short and long flag forms alike, resource type aliases alike. Manifests are compared by
structure, with the lists Kubernetes keys by name matched by name and values normalised as
the API server would (quantities, booleans, numbers written as strings).

Exam-terminal habits count as equal: `k` is `kubectl` (the exam sets that alias), a leading
`sudo` or `$ ` prompt is ignored, `ETCDCTL_API=3` is etcdctl's default since etcd 3.4, and
`kubelet.service` is `kubelet` for systemctl and journalctl.

Typed YAML is only ever read with `yaml.safe_load`, and only after a token scan that refuses
documents with more than 100 aliases or nesting deeper than 100 levels; the loaded document
is then refused if its aliases expand it past 50,000 nodes or make it refer to itself. So a
"billion laughs" answer is rejected at once instead of hanging the grader.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias

import yaml

from ckaquiz.model import Rating

__all__ = [
    "ChoiceGradeResult",
    "CommandGradeResult",
    "GradeResult",
    "ManifestGradeResult",
    "ManifestSyntaxError",
    "Rating",
    "grade_choice",
    "grade_command",
    "grade_manifest",
    "parse_duration",
]

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class GradeResult:
    """The verdict on one answer: right or not, a suggested rating and what differed."""

    correct: bool
    suggested: Rating
    differences: tuple[str, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the verdict."""
        return {
            "correct": self.correct,
            "suggested": self.suggested.name.lower(),
            "differences": list(self.differences),
            "score": self.score,
            **self._details(),
        }

    def _details(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class ChoiceGradeResult(GradeResult):
    """The verdict on a choice answer, with the options missed and those wrongly chosen."""

    missing: tuple[str, ...] = ()
    wrongly_chosen: tuple[str, ...] = ()

    def _details(self) -> dict[str, Any]:
        return {"kind": "choice", "missing": list(self.missing), "wrongly_chosen": list(self.wrongly_chosen)}


@dataclass(frozen=True)
class CommandGradeResult(GradeResult):
    """The verdict on a typed command, naming the accepted command it came closest to."""

    matched_answer: str = ""

    def _details(self) -> dict[str, Any]:
        return {"kind": "command", "matched_answer": self.matched_answer}


@dataclass(frozen=True)
class ManifestGradeResult(GradeResult):
    """The verdict on a typed manifest, with leaf-field counts and the fields strict mode refused."""

    matched_fields: int = 0
    total_fields: int = 0
    unexpected_fields: tuple[str, ...] = ()

    def _details(self) -> dict[str, Any]:
        return {
            "kind": "manifest",
            "matched_fields": self.matched_fields,
            "total_fields": self.total_fields,
            "unexpected_fields": list(self.unexpected_fields),
        }


class ManifestSyntaxError(ValueError):
    """Typed YAML that cannot be read (or is refused before reading), with its 1-based position."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.line = line
        self.column = column
        self.message = message


# ---------------------------------------------------------------------------------------------
# Durations

_DURATION = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?)h)?(?:(?P<minutes>\d+(?:\.\d+)?)m)?(?:(?P<seconds>\d+(?:\.\d+)?)s)?"
)


def parse_duration(text: str) -> float:
    """Read a target time such as `45s`, `2m`, `1m30s` or `1h` as seconds."""
    cleaned = text.strip().lower().replace(" ", "")
    match = _DURATION.fullmatch(cleaned)
    if not cleaned or match is None:
        raise ValueError(f"not a duration: {text!r} (write it like 45s, 2m or 1m30s)")
    hours, minutes, seconds = (float(match.group(name) or 0) for name in ("hours", "minutes", "seconds"))
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"a duration must be longer than zero: {text!r}")
    return total


# ---------------------------------------------------------------------------------------------
# Choice


def grade_choice(chosen: Sequence[str], answer: Sequence[str]) -> ChoiceGradeResult:
    """Grade chosen options against the correct ones: the sets must be equal."""
    chosen_set = _unique(option.strip() for option in chosen if option.strip())
    answer_set = _unique(option.strip() for option in answer if option.strip())
    missing = tuple(option for option in answer_set if option not in chosen_set)
    wrong = tuple(option for option in chosen_set if option not in answer_set)
    union = len(set(chosen_set) | set(answer_set))
    score = 1.0 if union == 0 else len(set(chosen_set) & set(answer_set)) / union
    correct = not missing and not wrong
    differences = tuple(
        [f"missing option {option}" for option in missing] + [f"wrongly chosen option {option}" for option in wrong]
    )
    return ChoiceGradeResult(
        correct=correct,
        suggested=Rating.GOOD if correct else Rating.AGAIN,
        differences=differences,
        score=score,
        missing=missing,
        wrongly_chosen=wrong,
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------
# Command knowledge: which words form the command path, which flags take values


_Tree: TypeAlias = "Mapping[str, _Tree]"
_ANY_WORD = "*"


def _words(text: str) -> list[str]:
    return text.split()


def _leaves(names: str) -> dict[str, _Tree]:
    return {name: {} for name in names.split()}


def _flag_name(name: str) -> str:
    return name if name.startswith("-") else f"--{name}"


@dataclass(frozen=True)
class _FlagRules:
    """What a program's flags look like: short forms and which flags take a value."""

    short: Mapping[str, str] = field(default_factory=dict)
    boolean: frozenset[str] = frozenset()
    valued: frozenset[str] = frozenset()

    def merged(self, other: _FlagRules) -> _FlagRules:
        return _FlagRules(
            short={**self.short, **other.short},
            boolean=(self.boolean - other.valued) | other.boolean,
            valued=(self.valued - other.boolean) | other.valued,
        )


def _rules(boolean: str = "", valued: str = "", short: str = "") -> _FlagRules:
    """Flag rules from word lists: `short` holds pairs like `n:namespace`."""
    shorts = {}
    for pair in short.split():
        letter, _, target = pair.partition(":")
        shorts[f"-{letter}"] = _flag_name(target)
    return _FlagRules(
        short=shorts,
        boolean=frozenset(_flag_name(name) for name in boolean.split()),
        valued=frozenset(_flag_name(name) for name in valued.split()),
    )


@dataclass(frozen=True)
class _Program:
    """How one program's command line is structured."""

    tree: _Tree = field(default_factory=dict)
    flags: _FlagRules = field(default_factory=_FlagRules)
    overrides: Mapping[tuple[str, ...], _FlagRules] = field(default_factory=dict)
    clusters: bool = True  # single-letter flags may be grouped (`-it`); false for `openssl -in`
    list_flags: frozenset[str] = frozenset()  # comma-separated values compared as a set
    word_aliases: Mapping[str, str] = field(default_factory=dict)
    unordered_paths: frozenset[tuple[str, ...]] = frozenset()  # arguments compared as a set

    def rules(self, path: Sequence[str]) -> _FlagRules:
        rules = self.flags
        for length in range(1, len(path) + 1):
            extra = self.overrides.get(tuple(path[:length]))
            if extra is not None:
                rules = rules.merged(extra)
        return rules


_RESOURCE_SHORT_NAMES = {
    "po": "pod",
    "svc": "service",
    "deploy": "deployment",
    "ns": "namespace",
    "cm": "configmap",
    "pv": "persistentvolume",
    "pvc": "persistentvolumeclaim",
    "ds": "daemonset",
    "sts": "statefulset",
    "sa": "serviceaccount",
    "no": "node",
    "rs": "replicaset",
    "ing": "ingress",
    "netpol": "networkpolicy",
    "sc": "storageclass",
    "cj": "cronjob",
    "hpa": "horizontalpodautoscaler",
    "ep": "endpoints",
    "quota": "resourcequota",
    "limits": "limitrange",
    "pc": "priorityclass",
    "crd": "customresourcedefinition",
    "crds": "customresourcedefinition",
    "csr": "certificatesigningrequest",
    "ev": "event",
    "rc": "replicationcontroller",
    "pdb": "poddisruptionbudget",
    "cs": "componentstatus",
}
_RESOURCE_NAMES = _words(
    "pod service deployment namespace configmap persistentvolume persistentvolumeclaim daemonset statefulset "
    "serviceaccount node replicaset ingress networkpolicy storageclass cronjob horizontalpodautoscaler "
    "resourcequota limitrange priorityclass customresourcedefinition certificatesigningrequest event "
    "replicationcontroller poddisruptionbudget componentstatus role rolebinding clusterrole clusterrolebinding "
    "secret job lease endpointslice ingressclass runtimeclass podtemplate controllerrevision volumeattachment "
    "csidriver csinode apiservice validatingwebhookconfiguration mutatingwebhookconfiguration"
)


def _plural(name: str) -> str:
    if name.endswith("y"):
        return name[:-1] + "ies"
    if name.endswith("s"):
        return name + "es"
    return name + "s"


_RESOURCE_TYPES: dict[str, str] = {
    **{name: name for name in _RESOURCE_NAMES},
    **{_plural(name): name for name in _RESOURCE_NAMES},
    **_RESOURCE_SHORT_NAMES,
    "endpoints": "endpoints",
}
_API_GROUPS = frozenset(
    _words(
        "apps batch autoscaling policy networking.k8s.io rbac.authorization.k8s.io storage.k8s.io "
        "apiextensions.k8s.io certificates.k8s.io scheduling.k8s.io admissionregistration.k8s.io "
        "coordination.k8s.io discovery.k8s.io node.k8s.io events.k8s.io apiregistration.k8s.io"
    )
)
_GROUP_QUALIFIED = re.compile(r"(?P<type>[a-z]+)(?:\.v\d+(?:(?:alpha|beta)\d+)?)?\.(?P<group>[a-z0-9.-]+)")


def _resource_type(word: str) -> str | None:
    """The canonical name of a resource type (`po`, `pods`, `deployments.apps`), or None."""
    lowered = word.lower()
    if lowered in _RESOURCE_TYPES:
        return _RESOURCE_TYPES[lowered]
    qualified = _GROUP_QUALIFIED.fullmatch(lowered)
    if qualified and qualified.group("group") in _API_GROUPS and qualified.group("type") in _RESOURCE_TYPES:
        return _RESOURCE_TYPES[qualified.group("type")]
    return None


def _resource_reference(word: str) -> str:
    """`deploy/web` -> `deployment/web`; other words unchanged."""
    kind, slash, name = word.partition("/")
    canonical = _resource_type(kind) if slash else None
    return f"{canonical}/{name}" if canonical else word


_KUBECTL_TREE: _Tree = {
    **_leaves(
        "get describe run expose delete edit label annotate taint cordon uncordon drain scale autoscale "
        "logs exec patch replace explain api-resources api-versions version port-forward cp attach wait "
        "debug events diff kustomize proxy"
    ),
    "create": {
        **_leaves(
            "clusterrole clusterrolebinding configmap cronjob deployment ingress job namespace "
            "poddisruptionbudget priorityclass resourcequota role rolebinding serviceaccount token"
        ),
        "secret": _leaves("docker-registry generic tls"),
        "service": _leaves("clusterip externalname loadbalancer nodeport"),
    },
    "apply": _leaves("edit-last-applied set-last-applied view-last-applied"),
    "rollout": _leaves("history pause restart resume status undo"),
    "set": _leaves("env image resources selector serviceaccount subject"),
    "auth": _leaves("can-i reconcile whoami"),
    "config": _leaves(
        "current-context delete-cluster delete-context delete-user get-clusters get-contexts get-users "
        "rename-context set set-cluster set-context set-credentials unset use-context view"
    ),
    "top": _leaves("node pod"),
    "certificate": _leaves("approve deny"),
    "cluster-info": _leaves("dump"),
}
_KUBECTL = _Program(
    tree=_KUBECTL_TREE,
    flags=_rules(
        boolean=(
            "all-namespaces rm stdin tty force ignore-daemonsets delete-emptydir-data overwrite record show-labels "
            "watch watch-only all-containers no-headers ignore-not-found show-kind recursive all now quiet local "
            "server-side save-config privileged attach leave-stdin-open expose list current minify raw flatten "
            "show-managed-fields insecure-skip-tls-verify timestamps prefix ignore-errors disable-eviction wait "
            "help command force-conflicts prune output-watch-events share-processes same-node namespaced "
            "global-default keep-annotations"
        ),
        valued=(
            "namespace output selector filename container kustomize label-columns image port target-port type "
            "name replicas restart labels env overrides grace-period timeout field-selector sort-by template "
            "from-literal from-file from-env-file cert key docker-server docker-username docker-password "
            "docker-email verb resource resource-name role clusterrole user group serviceaccount rule class "
            "schedule from min max cpu-percent cpu memory to-revision revision dry-run tail since since-time "
            "limits requests for protocol external-ip cluster-ip load-balancer-ip session-affinity node-port tcp "
            "external-name duration audience bound-object-kind bound-object-name field-manager subresource "
            "address context cluster kubeconfig as as-group server token v request-timeout "
            "certificate-authority client-certificate client-key tls-server-name limit-bytes max-log-requests "
            "pod-running-timeout copy-to target profile chunk-size api-group cascade current-replicas "
            "resource-version hard scopes value description preemption-policy min-available max-unavailable "
            "containers"
        ),
        short=(
            "n:namespace o:output l:selector A:all-namespaces f:filename c:container i:stdin t:tty w:watch "
            "R:recursive k:kustomize L:label-columns h:help s:server v:v"
        ),
    ),
    overrides={
        ("logs",): _rules(boolean="follow previous", short="f:follow p:previous"),
        ("patch",): _rules(valued="patch", short="p:patch"),
        ("run",): _rules(short="l:labels q:quiet"),
        ("expose",): _rules(short="l:labels"),
        ("create", "deployment"): _rules(short="r:replicas"),
        ("set", "env"): _rules(short="e:env c:containers"),
        ("set", "resources"): _rules(short="c:containers"),
        ("top", "pod"): _rules(boolean="containers"),
        ("auth", "can-i"): _rules(short="q:quiet"),
    },
    list_flags=frozenset(
        {"--verb", "--resource", "--resource-name", "--selector", "--field-selector", "--hard", "--labels"}
    ),
)

_ETCDCTL_FLAGS = _rules(
    boolean=(
        "insecure-skip-tls-verify insecure-transport skip-hash-check prefix keys-only hex cluster debug "
        "print-value-only from-key help"
    ),
    valued=(
        "endpoints cacert cert key write-out data-dir user password dial-timeout command-timeout keepalive-time "
        "keepalive-timeout name initial-cluster initial-cluster-token initial-advertise-peer-urls discovery-srv "
        "wal-dir revision"
    ),
    short="w:write-out h:help",
)
_ETCDCTL = _Program(
    tree={
        "snapshot": _leaves("save restore status"),
        "member": _leaves("list add remove update promote"),
        "endpoint": _leaves("health status hashkv"),
        "alarm": _leaves("list disarm"),
        "auth": _leaves("enable disable status"),
        "user": _leaves("add delete get list passwd grant-role revoke-role"),
        "role": _leaves("add delete get list grant-permission revoke-permission"),
        "check": _leaves("perf datascale"),
        "lease": _leaves("grant revoke timetolive list keep-alive"),
        **_leaves("get put del txn compaction defrag watch version move-leader"),
    },
    flags=_ETCDCTL_FLAGS,
    list_flags=frozenset({"--endpoints"}),
)
_ETCDUTL = _Program(
    tree={"snapshot": _leaves("restore status"), **_leaves("defrag backup version migrate hashkv")},
    flags=_ETCDCTL_FLAGS,
)
_KUBEADM = _Program(
    tree={
        "init": {"phase": {_ANY_WORD: {}}},
        "join": {"phase": {_ANY_WORD: {}}},
        "reset": {"phase": {_ANY_WORD: {}}},
        "upgrade": _leaves("plan apply node diff"),
        "token": _leaves("create list delete generate"),
        "certs": {
            "renew": _leaves(
                "all admin.conf apiserver apiserver-etcd-client apiserver-kubelet-client controller- "
                "manager.conf etcd-healthcheck-client etcd-peer etcd-server front-proxy-client "
                "scheduler.conf super-admin.conf"
            ),
            **_leaves("check-expiration certificate-key generate-csr"),
        },
        "config": {
            "print": _leaves("init-defaults join-defaults reset-defaults upgrade-defaults"),
            "images": _leaves("list pull"),
            **_leaves("migrate validate"),
        },
        "kubeconfig": _leaves("user"),
        **_leaves("version completion"),
    },
    flags=_rules(
        boolean=(
            "dry-run upload-certs control-plane print-join-command yes force skip-token-print "
            "skip-certificate-key-print allow-experimental-upgrades allow-release-candidate-upgrades help"
        ),
        valued=(
            "config apiserver-advertise-address apiserver-bind-port pod-network-cidr service-cidr "
            "service-dns-domain control-plane-endpoint token discovery-token-ca-cert-hash certificate-key cri-socket "
            "kubernetes-version ignore-preflight-errors node-name ttl cert-dir kubeconfig v skip-phases "
            "image-repository feature-gates patches discovery-file discovery-token tls-bootstrap-token usages "
            "description groups etcd-upgrade certificate-renewal"
        ),
        short="y:yes v:v h:help",
    ),
    list_flags=frozenset({"--ignore-preflight-errors"}),
)
_HELM = _Program(
    tree={
        **_leaves(
            "install upgrade rollback uninstall list status history template create lint package pull "
            "push test version env verify"
        ),
        "show": _leaves("all chart readme values crds"),
        "get": _leaves("all hooks manifest notes values metadata"),
        "repo": _leaves("add update list remove index"),
        "search": _leaves("repo hub"),
        "dependency": _leaves("build list update"),
        "plugin": _leaves("install list uninstall update"),
        "registry": _leaves("login logout"),
    },
    flags=_rules(
        boolean=(
            "create-namespace install wait wait-for-jobs atomic debug reuse-values reset-values "
            "reset-then-reuse-values force cleanup-on-fail devel keep-history all all-namespaces generate-name "
            "dependency-update skip-crds no-hooks insecure-skip-tls-verify pass-credentials force-update "
            "include-crds dry-run short help"
        ),
        valued=(
            "namespace values set set-string set-file set-json version timeout repo username password kube-context "
            "kubeconfig output description name-template post-renderer max filter"
        ),
        short="n:namespace f:values o:output A:all-namespaces a:all g:generate-name q:short h:help",
    ),
    overrides={("upgrade",): _rules(short="i:install")},
    list_flags=frozenset({"--set"}),
    word_aliases={
        "un": "uninstall",
        "del": "uninstall",
        "delete": "uninstall",
        "ls": "list",
        "hist": "history",
        "fetch": "pull",
        "inspect": "show",
        "dep": "dependency",
        "rm": "remove",
        "up": "update",
    },
)
_CRICTL = _Program(
    tree=_leaves(
        "attach create exec info inspect inspecti inspectp logs pods ps pull rm rmi rmp run runp start "
        "stats statsp stop stopp update version images config port-forward imagefsinfo checkpoint"
    ),
    flags=_rules(
        boolean="all quiet verbose latest digests no-trunc help",
        valued="name namespace state pod output label last runtime-endpoint image-endpoint timeout config image id",
        short="a:all q:quiet v:verbose o:output s:state p:pod l:latest n:last r:runtime-endpoint i:image-endpoint",
    ),
    overrides={
        ("logs",): _rules(
            boolean="follow previous timestamps", valued="tail since", short="f:follow p:previous t:timestamps"
        ),
        ("exec",): _rules(boolean="interactive tty sync", short="i:interactive t:tty s:sync"),
        ("rmi",): _rules(boolean="prune", short="q:prune"),
    },
    word_aliases={"image": "images", "img": "images"},
)
_SYSTEMCTL = _Program(
    tree=_leaves(
        "start stop restart reload status enable disable daemon-reload is-active is-enabled is-failed cat "
        "list-units list-unit-files mask unmask show edit reset-failed kill try-restart reload-or-restart "
        "list-dependencies"
    ),
    flags=_rules(
        boolean="now full no-pager all quiet force failed user system no-block help",
        valued="type state host property signal",
        short="l:full a:all q:quiet t:type H:host p:property f:force h:help",
    ),
)
_JOURNALCTL = _Program(
    flags=_rules(
        boolean="follow pager-end catalog boot no-pager reverse dmesg full all quiet utc no-hostname merge help",
        valued="unit lines since until priority output identifier grep",
        short=(
            "u:unit f:follow n:lines e:pager-end x:catalog b:boot p:priority o:output r:reverse k:dmesg l:full a:all "
            "q:quiet t:identifier g:grep h:help"
        ),
    ),
)
_AWS = _Program(
    tree={_ANY_WORD: {_ANY_WORD: {}}},
    flags=_rules(
        boolean="debug no-paginate no-cli-pager no-verify-ssl dry-run no-dry-run",
        valued="region profile output query endpoint-url cli-input-json",
    ),
)
_OPENSSL = _Program(
    tree=_leaves("x509 req genrsa genpkey verify s_client rsa ca pkey version"),
    flags=_rules(
        boolean=(
            "-noout -text -subject -issuer -enddate -startdate -dates -serial -fingerprint -new -x509 -nodes -noenc "
            "-CAcreateserial -pubkey -modulus -showcerts -check -help"
        ),
        valued=(
            "-in -out -key -subj -days -CA -CAkey -newkey -keyout -signkey -set_serial -connect -servername -CAfile "
            "-extfile -extensions -config -passin -passout -ext -inform -outform"
        ),
    ),
    clusters=False,
)
_APT_GET = _Program(
    tree=_leaves("install update upgrade remove purge autoremove download"),
    flags=_rules(boolean="yes quiet allow-change-held-packages allow-downgrades", short="y:yes q:quiet"),
    unordered_paths=frozenset({("install",), ("remove",), ("purge",)}),
)
_SIMPLE_PROGRAMS: dict[str, _Program] = {
    "grep": _Program(
        flags=_rules(
            boolean=(
                "ignore-case invert-match recursive dereference-recursive line-number files-with-matches count "
                "word-regexp line-regexp extended-regexp fixed-strings only-matching quiet no-messages no-filename "
                "with-filename"
            ),
            valued="regexp file after-context before-context context max-count include exclude",
            short=(
                "i:ignore-case v:invert-match r:recursive R:dereference-recursive n:line-number "
                "l:files-with-matches c:count w:word-regexp x:line-regexp E:extended-regexp F:fixed-strings "
                "o:only-matching q:quiet s:no-messages h:no-filename H:with-filename e:regexp f:file "
                "A:after-context B:before-context C:context m:max-count"
            ),
        )
    ),
    "base64": _Program(
        flags=_rules(boolean="decode ignore-garbage", valued="wrap", short="d:decode i:ignore-garbage w:wrap")
    ),
    "curl": _Program(
        flags=_rules(
            boolean="insecure silent show-error verbose location head include fail",
            valued="header output request data user cacert cert key connect-timeout max-time",
            short="k:insecure s:silent S:show-error v:verbose L:location I:head i:include f:fail H:header o:output "
            "X:request d:data u:user m:max-time",
        )
    ),
    "wget": _Program(
        flags=_rules(boolean="quiet", valued="output-document timeout", short="q:quiet O:output-document T:timeout")
    ),
    "tail": _Program(
        flags=_rules(boolean="follow quiet", valued="lines bytes", short="f:follow q:quiet n:lines c:bytes")
    ),
    "head": _Program(flags=_rules(boolean="quiet", valued="lines bytes", short="q:quiet n:lines c:bytes")),
    "ls": _Program(
        flags=_rules(
            boolean="-l all almost-all human-readable recursive -t reverse directory -1 inode",
            short="l:-l a:all A:almost-all h:human-readable R:recursive t:-t r:reverse d:directory 1:-1 i:inode",
        )
    ),
    "mkdir": _Program(flags=_rules(boolean="parents verbose", valued="mode", short="p:parents v:verbose m:mode")),
    "rm": _Program(flags=_rules(boolean="recursive force verbose", short="r:recursive R:recursive f:force v:verbose")),
    "cp": _Program(
        flags=_rules(
            boolean="recursive archive force -p verbose",
            short="r:recursive R:recursive a:archive f:force p:-p v:verbose",
        )
    ),
    "mv": _Program(flags=_rules(boolean="force interactive verbose", short="f:force i:interactive v:verbose")),
    "echo": _Program(flags=_rules(boolean="-n -e", short="n:-n e:-e")),
    "cat": _Program(flags=_rules(boolean="number", short="n:number")),
    "wc": _Program(flags=_rules(boolean="lines words bytes", short="l:lines w:words c:bytes")),
    "sort": _Program(
        flags=_rules(
            boolean="numeric-sort reverse unique human-numeric-sort",
            valued="key field-separator",
            short="n:numeric-sort r:reverse u:unique h:human-numeric-sort k:key t:field-separator",
        )
    ),
    "jq": _Program(flags=_rules(boolean="raw-output compact-output", short="r:raw-output c:compact-output")),
    "watch": _Program(flags=_rules(boolean="differences", valued="interval", short="d:differences n:interval")),
    "tar": _Program(
        flags=_rules(
            boolean="extract create gzip verbose list",
            valued="file directory",
            short="x:extract c:create z:gzip v:verbose t:list f:file C:directory",
        )
    ),
    "nc": _Program(flags=_rules(boolean="-z -v -u", valued="-w", short="z:-z v:-v u:-u w:-w")),
    "sed": _Program(
        flags=_rules(
            boolean="quiet regexp-extended in-place",
            valued="expression",
            short="n:quiet E:regexp-extended i:in-place e:expression",
        )
    ),
    "awk": _Program(flags=_rules(valued="field-separator", short="F:field-separator")),
    "cut": _Program(flags=_rules(valued="delimiter fields", short="d:delimiter f:fields")),
    "ssh": _Program(flags=_rules(boolean="-t", valued="-i -p -o -l", short="t:-t i:-i p:-p o:-o l:-l")),
    "scp": _Program(flags=_rules(boolean="-r", valued="-i -P -o", short="r:-r i:-i P:-P o:-o")),
    "find": _Program(flags=_rules(valued="-name -iname -type -path -mtime -size -maxdepth -mindepth"), clusters=False),
    "sysctl": _Program(flags=_rules(boolean="load write all system", short="p:load w:write a:all")),
    "swapoff": _Program(flags=_rules(boolean="all", short="a:all")),
    "apt-mark": _Program(tree=_leaves("hold unhold showhold"), unordered_paths=frozenset({("hold",), ("unhold",)})),
    "ctr": _Program(
        tree={
            "images": _leaves("ls list pull import export rm tag"),
            "containers": _leaves("ls list rm info"),
            "tasks": _leaves("ls list kill rm"),
            "namespaces": _leaves("ls list"),
        },
        flags=_rules(valued="namespace address", short="n:namespace a:address"),
        word_aliases={
            "i": "images",
            "image": "images",
            "c": "containers",
            "container": "containers",
            "t": "tasks",
            "ns": "namespaces",
            "list": "ls",
        },
    ),
}
_PROGRAMS: dict[str, _Program] = {
    "kubectl": _KUBECTL,
    "etcdctl": _ETCDCTL,
    "etcdutl": _ETCDUTL,
    "kubeadm": _KUBEADM,
    "helm": _HELM,
    "crictl": _CRICTL,
    "systemctl": _SYSTEMCTL,
    "journalctl": _JOURNALCTL,
    "aws": _AWS,
    "openssl": _OPENSSL,
    "apt-get": _APT_GET,
    "apt": _APT_GET,
    **_SIMPLE_PROGRAMS,
}
_GENERIC = _Program()
_PROGRAM_ALIASES = {"k": "kubectl"}  # the exam terminal sets `alias k=kubectl`

# kubectl verbs whose first argument is a resource type (or `type/name`) followed by names
_KUBECTL_TYPED_VERBS = frozenset(
    {
        "get",
        "describe",
        "delete",
        "edit",
        "label",
        "annotate",
        "scale",
        "expose",
        "autoscale",
        "patch",
        "taint",
        "wait",
        "rollout",
        "set",
    }
)
# kubectl verbs whose `key=value` arguments (labels, taints, images) form an unordered set
_KUBECTL_PAIR_VERBS = frozenset({("label",), ("annotate",), ("taint",), ("set", "env"), ("set", "image")})
# ETCDCTL_API=3 has been etcdctl's default since etcd 3.4: writing it or not means the same
_DEFAULT_ENVIRONMENT = {"etcdctl": frozenset({"ETCDCTL_API=3"})}

# ---------------------------------------------------------------------------------------------
# Reading a command line

_CONTROL_OPERATORS = frozenset({"|", "||", "&&", ";", "&", "|&", ";;"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)
_NUMBER_FLAG = re.compile(r"-\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Invocation:
    """One simple command of a command line, reduced to what it means."""

    program: str
    path: tuple[str, ...]
    environment: tuple[str, ...]
    arguments: tuple[str, ...]
    unordered_arguments: tuple[str, ...]
    flags: Mapping[str, tuple[str | None, ...]]
    after_dashes: tuple[str, ...] | None
    redirections: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class _CommandLine:
    """A whole typed line: its simple commands, the operators between them and any split problem."""

    invocations: tuple[_Invocation, ...]
    operators: tuple[str, ...]
    problem: str | None


@dataclass(frozen=True)
class _Hints:
    """Arity evidence for flags no table knows, gathered from both commands being compared."""

    valued: frozenset[str]
    boolean: frozenset[str]


def _lex(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def _split_words(text: str) -> tuple[list[str], str | None]:
    """Words as a POSIX shell splits them; on a quoting error, the best repair and the error."""
    cleaned = re.sub(r"\\\r?\n", "", text).strip()
    if cleaned.startswith("$ "):
        cleaned = cleaned[2:]
    try:
        return _lex(cleaned), None
    except ValueError as error:
        problem = f"cannot split the command as a shell would: {str(error).lower()}"
    for repaired in (cleaned + '"', cleaned + "'", cleaned.rstrip("\\")):
        try:
            return _lex(repaired), problem
        except ValueError:
            continue
    return cleaned.split(), problem


def _is_flag(word: str) -> bool:
    return word.startswith("-") and word not in ("-", "--")


def _segments(words: list[str]) -> tuple[list[tuple[list[str], list[str]]], list[str]]:
    """Split words into simple commands (words, redirections) and the operators joining them."""
    segments: list[tuple[list[str], list[str]]] = [([], [])]
    operators: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        current_words, redirections = segments[-1]
        if word in _CONTROL_OPERATORS:
            operators.append(word)
            segments.append(([], []))
        elif word and set(word) <= set("<>&") and ("<" in word or ">" in word):
            operator = word
            if current_words and len(current_words[-1]) == 1 and current_words[-1].isdigit():
                operator = current_words.pop() + operator
            target = words[index + 1] if index + 1 < len(words) else ""
            index += 1
            separator = "" if operator.endswith("&") else " "
            redirections.append(f"{operator}{separator}{target}".strip())
        else:
            current_words.append(word)
        index += 1
    return segments, operators


def _hints(word_lists: Sequence[Sequence[str]]) -> _Hints:
    valued: set[str] = set()
    boolean: set[str] = set()
    for words in word_lists:
        for index, word in enumerate(words):
            if word == "--":
                break
            if not _is_flag(word):
                continue
            name, equals, _ = word.partition("=")
            following = words[index + 1] if index + 1 < len(words) else None
            if equals:
                valued.add(name)
            elif following is None or _is_flag(following) or following == "--":
                boolean.add(name)
    return _Hints(valued=frozenset(valued), boolean=frozenset(boolean - valued))


def _program_of(words: list[str]) -> tuple[str, list[str], list[str]]:
    """The program name, the environment assignments before it and the words after it."""
    environment: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if _ASSIGNMENT.fullmatch(word):
            environment.append(word)
        elif word == "sudo":  # the exam shell is often root already: `sudo` changes nothing graded
            while index + 1 < len(words) and _is_flag(words[index + 1]):
                index += 1
        else:
            break
        index += 1
    if index >= len(words):
        return "", environment, []
    program = words[index]
    return _PROGRAM_ALIASES.get(program, program), environment, words[index + 1 :]


def _read_flag(
    words: Sequence[str], index: int, rules: _FlagRules, program: _Program, hints: _Hints
) -> tuple[list[tuple[str, str | None]], int]:
    """The flags one word (and maybe its value word) holds, and the index after them."""
    word = words[index]
    following = words[index + 1] if index + 1 < len(words) else None
    if _NUMBER_FLAG.fullmatch(word):
        return [(word, None)], index + 1
    if not word.startswith("--") and program.clusters and f"-{word[1]}" in rules.short:
        flags: list[tuple[str, str | None]] = []
        for position in range(1, len(word)):
            name = rules.short.get(f"-{word[position]}")
            if name is None:  # an unknown letter: keep the rest as single-letter switches
                flags.extend((f"-{letter}", None) for letter in word[position:])
                break
            rest = word[position + 1 :]
            if name in rules.valued:
                value = rest[1:] if rest.startswith("=") else rest
                if value:
                    flags.append((name, value))
                    return flags, index + 1
                if following is not None and not _is_flag(following) and following != "--":
                    flags.append((name, following))
                    return flags, index + 2
                flags.append((name, None))
                return flags, index + 1
            if rest.startswith("="):
                flags.append((name, _boolean_value(rest[1:])))
                return flags, index + 1
            if not rest and name not in rules.boolean:
                taken, next_index = _with_arity(name, words, index, rules, hints)
                return flags + taken, next_index
            flags.append((name, None))
        return flags, index + 1
    name, equals, value = word.partition("=")
    name = rules.short.get(name, name)
    if equals:
        return [(name, _boolean_value(value) if name in rules.boolean else value)], index + 1
    return _with_arity(name, words, index, rules, hints)


def _boolean_value(value: str) -> str | None:
    return None if value.lower() == "true" else value


def _with_arity(
    name: str, words: Sequence[str], index: int, rules: _FlagRules, hints: _Hints
) -> tuple[list[tuple[str, str | None]], int]:
    following = words[index + 1] if index + 1 < len(words) else None
    if name in rules.boolean or following is None or following == "--":
        return [(name, None)], index + 1
    if name in rules.valued and not _is_flag(following):  # `--dry-run -o yaml`: the flag lacks its value
        return [(name, following)], index + 2
    if name in hints.boolean and name not in hints.valued:
        return [(name, None)], index + 1
    if _is_flag(following):
        return [(name, None)], index + 1
    return [(name, following)], index + 2


def _split_list(value: str) -> list[str]:
    """Comma-separated items, ignoring commas inside parentheses (`app in (a,b)`)."""
    items: list[str] = []
    depth = 0
    current = ""
    for character in value:
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(0, depth - 1)
        if character == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += character
    items.append(current.strip())
    return [item for item in items if item]


def _normalise_flags(
    program_name: str, program: _Program, flags: list[tuple[str, str | None]]
) -> dict[str, tuple[str | None, ...]]:
    values: dict[str, list[str | None]] = {}
    for name, value in flags:
        values.setdefault(name, []).append(_normalise_flag_value(program_name, name, value))
    normalised: dict[str, tuple[str | None, ...]] = {}
    for name, found in values.items():
        if name in program.list_flags:
            items: set[str] = set()
            for value in found:
                for item in _split_list(value or ""):
                    items.add(_resource_reference(_resource_type(item) or item) if name == "--resource" else item)
            normalised[name] = (",".join(sorted(items)) if items else None,)
        else:
            normalised[name] = tuple(sorted(found, key=lambda value: (value is not None, value or "")))
    return normalised


def _normalise_flag_value(program_name: str, name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if program_name == "journalctl" and name == "--unit":
        return value.removesuffix(".service")
    if program_name == "kubectl" and name == "--from":
        return _resource_reference(value)
    return value


def _normalise_kubectl_arguments(path: tuple[str, ...], arguments: list[str]) -> tuple[list[str], list[str]]:
    """Resource types canonical, `TYPE NAME` as `type/name`, label and taint pairs unordered."""
    verb = path[1:]
    if verb[:1] == ("cp",):
        return arguments, []
    if verb == ("auth", "can-i"):
        return [
            (_resource_type(word) or _resource_reference(word)) if position == 1 else word
            for position, word in enumerate(arguments)
        ], []
    if verb[:1] == ("explain",):
        return [_explain_path(word) if position == 0 else word for position, word in enumerate(arguments)], []
    if not verb or verb[0] not in _KUBECTL_TYPED_VERBS:
        return [_resource_reference(word) for word in arguments], []
    pairs = verb in _KUBECTL_PAIR_VERBS
    ordered: list[str] = []
    unordered: list[str] = []
    kind: str | None = None
    kind_used = False
    for position, word in enumerate(arguments):
        if pairs and position > 0 and ("=" in word or ":" in word or word.endswith("-")):
            unordered.append(word)
        elif "/" in word:
            ordered.append(_resource_reference(word))
        elif kind is None and not ordered and _resource_types(word) is not None:
            kind = _resource_types(word)
        elif kind is not None and "," not in kind:
            ordered.append(f"{kind}/{word}")
            kind_used = True
        else:
            ordered.append(word)
    if kind is not None and not kind_used:
        ordered.insert(0, kind)
    return ordered, sorted(unordered)


def _resource_types(word: str) -> str | None:
    """`pods,svc` -> `pod,service`; None unless every part is a resource type."""
    kinds = [_resource_type(part) for part in word.split(",")]
    if not kinds or any(kind is None for kind in kinds):
        return None
    return ",".join(sorted({kind for kind in kinds if kind is not None}))


def _explain_path(word: str) -> str:
    head, dot, rest = word.partition(".")
    kind = _resource_type(head)
    return f"{kind}{dot}{rest}" if kind else word


def _parse_invocation(words: list[str], redirections: list[str], hints: _Hints) -> _Invocation:
    program_name, environment, rest = _program_of(words)
    program = _PROGRAMS.get(program_name, _GENERIC)
    path: list[str] = [program_name]
    node: _Tree = program.tree
    arguments: list[str] = []
    flags: list[tuple[str, str | None]] = []
    after_dashes: tuple[str, ...] | None = None
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--":
            after_dashes = tuple(rest[index + 1 :])
            break
        if _is_flag(word):
            found, index = _read_flag(rest, index, program.rules(path[1:]), program, hints)
            flags.extend(found)
            continue
        step = _tree_step(program_name, program, node, word) if not arguments else None
        if step is not None:
            path.append(step)
            node = node.get(step, node.get(_ANY_WORD, {}))
        else:
            arguments.append(word)
        index += 1
    unordered: list[str] = []
    if program_name == "kubectl":
        arguments, unordered = _normalise_kubectl_arguments(tuple(path), arguments)
    elif program_name == "systemctl":
        arguments = [word.removesuffix(".service") for word in arguments]
    if tuple(path[1:]) in program.unordered_paths:
        arguments, unordered = [], sorted(arguments)
    defaults = _DEFAULT_ENVIRONMENT.get(program_name, frozenset())
    return _Invocation(
        program=program_name,
        path=tuple(path),
        environment=tuple(sorted(item for item in environment if item not in defaults)),
        arguments=tuple(arguments),
        unordered_arguments=tuple(unordered),
        flags=_normalise_flags(program_name, program, flags),
        after_dashes=after_dashes,
        redirections=tuple(sorted(redirections)),
        text=" ".join([shlex.join(words), *redirections]),
    )


def _tree_step(program_name: str, program: _Program, node: _Tree, word: str) -> str | None:
    """The path word `word` stands for at this point of the command tree, or None."""
    candidates = [word, program.word_aliases.get(word, word)]
    if program_name == "kubectl":
        candidates.append(_resource_type(word) or word)
    for candidate in candidates:
        if candidate in node:
            return candidate
    return word if _ANY_WORD in node else None


def _read_command(text: str, hint_words: Sequence[str]) -> _CommandLine:
    words, problem = _split_words(text)
    segments, operators = _segments(words)
    hint_segments, _ = _segments(list(hint_words))
    hints = _hints([segment for segment, _ in segments] + [segment for segment, _ in hint_segments])
    invocations = tuple(
        _parse_invocation(segment_words, redirections, hints)
        for segment_words, redirections in segments
        if segment_words or redirections
    )
    return _CommandLine(invocations=invocations, operators=tuple(operators), problem=problem)


# ---------------------------------------------------------------------------------------------
# Comparing commands


@dataclass
class _Tally:
    """Running totals of one comparison: items matched, items expected, extra items, differences."""

    matched: float = 0.0
    total: float = 0.0
    extra: float = 0.0
    differences: list[str] = field(default_factory=list)

    def add(self, other: _Tally, prefix: str = "") -> None:
        self.matched += other.matched
        self.total += other.total
        self.extra += other.extra
        self.differences.extend(prefix + difference for difference in other.differences)

    @property
    def score(self) -> float:
        denominator = self.total + self.extra
        return 1.0 if denominator == 0 else self.matched / denominator


def _show_value(value: str | None) -> str:
    return "no value" if value is None else (value if value else '""')


def _compare_invocations(expected: _Invocation, typed: _Invocation) -> _Tally:
    tally = _Tally()
    tally.total += len(expected.path)
    if expected.path == typed.path:
        tally.matched += len(expected.path)
    else:
        tally.differences.append(f"expected command {' '.join(expected.path)}, got {' '.join(typed.path)}")
    _compare_environment(expected.environment, typed.environment, tally)
    _compare_sequence(expected.arguments, typed.arguments, tally, "argument")
    _compare_sets(expected.unordered_arguments, typed.unordered_arguments, tally, "argument")
    _compare_flags(expected.flags, typed.flags, tally)
    _compare_redirections(expected.redirections, typed.redirections, tally)
    _compare_after_dashes(expected.after_dashes, typed.after_dashes, tally)
    return tally


def _compare_environment(expected: Sequence[str], typed: Sequence[str], tally: _Tally) -> None:
    expected_values = dict(item.split("=", 1) for item in expected)
    typed_values = dict(item.split("=", 1) for item in typed)
    for name, value in expected_values.items():
        tally.total += 1
        if name not in typed_values:
            tally.differences.append(f"missing environment variable {name}={value}")
        elif typed_values[name] != value:
            tally.matched += 0.5
            tally.differences.append(f"expected environment variable {name}={value}, got {name}={typed_values[name]}")
        else:
            tally.matched += 1
    for name, value in typed_values.items():
        if name not in expected_values:
            tally.extra += 1
            tally.differences.append(f"unexpected environment variable {name}={value}")


def _compare_sequence(expected: Sequence[str], typed: Sequence[str], tally: _Tally, noun: str) -> None:
    tally.total += len(expected)
    matcher = difflib.SequenceMatcher(None, list(expected), list(typed), autojunk=False)
    for tag, first_start, first_end, second_start, second_end in matcher.get_opcodes():
        wanted = expected[first_start:first_end]
        got = typed[second_start:second_end]
        if tag == "equal":
            tally.matched += len(wanted)
            continue
        for wanted_word, got_word in zip(wanted, got, strict=False):
            tally.differences.append(f"expected {noun} {_show_value(wanted_word)}, got {_show_value(got_word)}")
        for wanted_word in wanted[len(got) :]:
            tally.differences.append(f"missing {noun} {_show_value(wanted_word)}")
        for got_word in got[len(wanted) :]:
            tally.extra += 1
            tally.differences.append(f"unexpected {noun} {_show_value(got_word)}")


def _compare_sets(expected: Sequence[str], typed: Sequence[str], tally: _Tally, noun: str) -> None:
    remaining = list(typed)
    for item in expected:
        tally.total += 1
        if item in remaining:
            remaining.remove(item)
            tally.matched += 1
        else:
            tally.differences.append(f"missing {noun} {item}")
    for item in remaining:
        tally.extra += 1
        tally.differences.append(f"unexpected {noun} {item}")


def _compare_flags(
    expected: Mapping[str, tuple[str | None, ...]], typed: Mapping[str, tuple[str | None, ...]], tally: _Tally
) -> None:
    for name, wanted in expected.items():
        tally.total += 1
        if name not in typed:
            tally.differences.append(f"missing flag {name}")
            continue
        got = typed[name]
        if wanted == got:
            tally.matched += 1
            continue
        tally.matched += 0.5
        if len(wanted) == 1 and len(got) == 1:
            tally.differences.append(f"expected value {_show_value(wanted[0])} for {name}, got {_show_value(got[0])}")
            continue
        remaining = list(got)
        for value in wanted:
            if value in remaining:
                remaining.remove(value)
            else:
                tally.differences.append(f"missing value {_show_value(value)} for {name}")
        for value in remaining:
            tally.differences.append(f"unexpected value {_show_value(value)} for {name}")
    for name in typed:
        if name not in expected:
            tally.extra += 1
            tally.differences.append(f"unexpected flag {name}")


def _compare_redirections(expected: Sequence[str], typed: Sequence[str], tally: _Tally) -> None:
    if len(expected) == 1 and len(typed) == 1 and expected[0] != typed[0]:
        tally.total += 1
        tally.differences.append(f"expected redirection {expected[0]}, got {typed[0]}")
        return
    _compare_sets(expected, typed, tally, "redirection")


def _compare_after_dashes(expected: tuple[str, ...] | None, typed: tuple[str, ...] | None, tally: _Tally) -> None:
    if expected == typed:
        tally.total += len(expected or ())
        tally.matched += len(expected or ())
        return
    wanted = list(expected or ())
    got = list(typed or ())
    tally.total += max(1, len(wanted))
    matcher = difflib.SequenceMatcher(None, wanted, got, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    tally.matched += same
    tally.extra += len(got) - same
    if expected is None:
        tally.differences.append(f"unexpected command after --: {shlex.join(got)}")
    elif typed is None:
        tally.differences.append(f"missing command after --: {shlex.join(wanted)}")
    else:
        tally.differences.append(f"expected command after --: {shlex.join(wanted)}, got {shlex.join(got)}")


def _compare_lines(expected: _CommandLine, typed: _CommandLine) -> tuple[_Tally, bool]:
    """Compare two command lines; also say whether every command path matched."""
    tally = _Tally()
    several = max(len(expected.invocations), len(typed.invocations)) > 1
    same_paths = len(expected.invocations) == len(typed.invocations)
    for position, (wanted, got) in enumerate(zip(expected.invocations, typed.invocations, strict=False)):
        part = _compare_invocations(wanted, got)
        same_paths = same_paths and wanted.path == got.path
        tally.add(part, prefix=f"part {position + 1}: " if several else "")
    for position, wanted in enumerate(expected.invocations[len(typed.invocations) :], start=len(typed.invocations)):
        tally.total += 1 + len(wanted.arguments) + len(wanted.flags)
        tally.differences.append(f"missing part {position + 1}: {wanted.text}")
    for position, got in enumerate(typed.invocations[len(expected.invocations) :], start=len(expected.invocations)):
        tally.extra += 1
        tally.differences.append(f"unexpected part {position + 1}: {got.text}")
    for position, (wanted_operator, got_operator) in enumerate(zip(expected.operators, typed.operators, strict=False)):
        tally.total += 1
        if wanted_operator == got_operator:
            tally.matched += 1
        else:
            tally.differences.append(
                f"expected {wanted_operator} between parts {position + 1} and {position + 2}, got {got_operator}"
            )
    return tally, same_paths


def grade_command(
    typed: str,
    expected: str,
    alternatives: Sequence[str] = (),
    *,
    seconds_taken: float | None = None,
    time_limit_seconds: float | None = None,
) -> CommandGradeResult:
    """Grade a typed shell command against the expected one and its accepted alternatives."""
    best: tuple[tuple[bool, float, int], _Tally, bool, str] | None = None
    for answer in (expected, *alternatives):
        answer_words, _ = _split_words(answer)
        typed_words, _ = _split_words(typed)
        typed_line = _read_command(typed, answer_words)
        expected_line = _read_command(answer, typed_words)
        if not typed_line.invocations:
            tally = _Tally(total=1.0, differences=["no command typed"])
            same_paths = False
        else:
            tally, same_paths = _compare_lines(expected_line, typed_line)
            if typed_line.problem:
                tally.differences.insert(0, typed_line.problem)
                tally.extra += 1
        rank = (not tally.differences, tally.score, -len(tally.differences))
        if best is None or rank > best[0]:
            best = (rank, tally, same_paths, answer)
    assert best is not None  # the loop always runs at least once
    _, tally, same_paths, answer = best
    correct = not tally.differences
    if correct:
        fast = (
            seconds_taken is not None
            and time_limit_seconds is not None
            and time_limit_seconds > 0
            and seconds_taken <= time_limit_seconds / 2
        )
        suggested = Rating.EASY if fast else Rating.GOOD
    elif (same_paths and len(tally.differences) <= 2) or tally.score >= 0.75:
        suggested = Rating.HARD
    else:
        suggested = Rating.AGAIN
    return CommandGradeResult(
        correct=correct,
        suggested=suggested,
        differences=tuple(tally.differences),
        score=1.0 if correct else tally.score,
        matched_answer=answer,
    )


# ---------------------------------------------------------------------------------------------
# Reading manifests

_MAX_ALIASES = 100
_MAX_DEPTH = 100
_MAX_NODES = 50_000
_OPENING_TOKENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING_TOKENS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _syntax_error(error: yaml.YAMLError, text: str) -> ManifestSyntaxError:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if error.problem and error.context and error.context_mark is not None:
            message += (
                f" ({error.context} at line {error.context_mark.line + 1}, column {error.context_mark.column + 1})"
            )
        if mark is None:
            return ManifestSyntaxError(1, 1, message)
        return ManifestSyntaxError(mark.line + 1, mark.column + 1, message)
    if isinstance(error, yaml.reader.ReaderError):
        position = max(0, min(error.position, len(text)))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return ManifestSyntaxError(line, column, f"unacceptable character: {error.reason}")
    return ManifestSyntaxError(1, 1, str(error))


def _scan(text: str) -> yaml.Mark | None:
    """Refuse alias bombs and runaway nesting from tokens alone; return the first alias's mark."""
    first_alias: yaml.Mark | None = None
    aliases = 0
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                aliases += 1
                first_alias = first_alias or token.start_mark
                if aliases > _MAX_ALIASES:
                    mark = token.start_mark
                    raise ManifestSyntaxError(
                        mark.line + 1, mark.column + 1, f"more than {_MAX_ALIASES} YAML aliases; refused (alias bomb)"
                    )
            elif isinstance(token, _OPENING_TOKENS):
                depth += 1
                if depth > _MAX_DEPTH:
                    mark = token.start_mark
                    raise ManifestSyntaxError(mark.line + 1, mark.column + 1, f"nested deeper than {_MAX_DEPTH} levels")
            elif isinstance(token, _CLOSING_TOKENS):
                depth -= 1
    except yaml.YAMLError as error:
        raise _syntax_error(error, text) from None
    return first_alias


def _bad_scalar_mark(text: str) -> yaml.Mark | None:
    """Where a scalar that safe_load cannot build (an impossible date) sits."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    builder = yaml.SafeLoader("")
    stack: list[yaml.Node] = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                builder.construct_object(node, deep=True)
            except Exception:  # whatever safe_load's constructors raise for this scalar
                return node.start_mark
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend([value, key])
    return None


def _check_expansion(document: object, mark: yaml.Mark) -> None:
    """Refuse documents whose aliases expand them beyond _MAX_NODES or make them recursive."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[object, bool]] = [(document, False)]
    while stack:
        node, finished = stack.pop()
        if not isinstance(node, dict | list):
            continue
        identity = id(node)
        children = list(node.values()) if isinstance(node, dict) else list(node)
        if finished:
            open_nodes.discard(identity)
            sizes[identity] = 1 + sum(sizes.get(id(child), 1) for child in children)
            if sizes[identity] > _MAX_NODES:
                raise ManifestSyntaxError(
                    mark.line + 1, mark.column + 1, f"aliases expand the document beyond {_MAX_NODES} nodes; refused"
                )
            continue
        if identity in sizes:
            continue
        if identity in open_nodes:
            raise ManifestSyntaxError(mark.line + 1, mark.column + 1, "an alias refers to a node that contains it")
        open_nodes.add(identity)
        stack.append((node, True))
        stack.extend((child, False) for child in children)


def _load_yaml(text: str) -> object:
    """Read one YAML document with yaml.safe_load after the alias and depth checks."""
    first_alias = _scan(text)
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _syntax_error(error, text) from None
    except Exception as error:  # a scalar safe_load cannot build (`!!bool maybe` raises KeyError, dates ValueError)
        mark = _bad_scalar_mark(text)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ManifestSyntaxError(line, column, f"invalid value: {error}") from None
    if first_alias is not None:
        _check_expansion(document, first_alias)
    return document


# ---------------------------------------------------------------------------------------------
# Comparing manifests

_MISSING = object()
_NAME_KEYED_LISTS = frozenset(
    _words(
        "containers initContainers ephemeralContainers volumes volumeMounts volumeDevices env imagePullSecrets "
        "resourceClaims"
    )
)
_LABEL_FIELDS = ("name", "key", "type", "mountPath", "containerPort", "port", "path", "ip", "topologyKey")
_QUANTITY_PARENTS = frozenset(
    _words(
        "requests limits capacity hard used max min default defaultRequest maxLimitRequestRatio allocatable overhead"
    )
)
_QUANTITY_KEYS = frozenset({"sizeLimit", "storage"})
_ORDERED_LISTS = frozenset({"command", "args"})
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?:(?P<exponent>[eE][+-]?\d+)|(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?"
)
_SUFFIXES = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_SIMPLE_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_-]*")


@dataclass
class _Comparison:
    """Leaf fields matched and expected, differences and strict-mode extras found under one node."""

    matched: int = 0
    total: int = 0
    differences: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    vacuous: int = 0  # matches only because the field is empty in one and absent in the other

    def add(self, other: _Comparison) -> None:
        self.matched += other.matched
        self.total += other.total
        self.vacuous += other.vacuous
        self.differences.extend(other.differences)
        self.unexpected.extend(other.unexpected)


def _text(value: object) -> str:
    """str() that survives integers too long to print (YAML hex literals have no digit limit)."""
    try:
        return value.isoformat() if isinstance(value, datetime | date) else str(value)
    except ValueError:
        return "a very long number"


def _number(value: int | float) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    return None if number.is_nan() else number  # NaN never equals itself: compare it as text


def _quantity(value: object) -> Decimal | None:
    """A Kubernetes quantity (`500m`, `1Gi`, `1e3`, `2`) as a number, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _number(value)
    if not isinstance(value, str):
        return None
    match = _QUANTITY.fullmatch(value.strip())
    if match is None:
        return None
    try:
        number = Decimal(match.group("number"))
        if match.group("exponent"):
            return number.scaleb(int(match.group("exponent")[1:]))
        suffix = match.group("suffix")
        return number * _SUFFIXES[suffix] if suffix else number
    except (ArithmeticError, ValueError):  # absurd exponents overflow Decimal or int()
        return None


def _canonical(value: object) -> tuple[str, object]:
    """A scalar in the form Kubernetes would compare: numbers as numbers, booleans as text."""
    if value is None:
        return ("text", "")
    if isinstance(value, bool):
        return ("text", "true" if value else "false")
    if isinstance(value, int | float):
        number = _number(value)
        return ("text", _text(value)) if number is None else ("number", number)
    text = value if isinstance(value, str) else _text(value)
    if text.lower() in ("true", "false"):
        return ("text", text.lower())
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        return ("number", Decimal(text.strip()))
    return ("text", text)


def _scalars_equal(expected: object, typed: object, quantity: bool = False) -> bool:
    if quantity:
        first, second = _quantity(expected), _quantity(typed)
        if first is not None and second is not None:
            return first == second
    return _canonical(expected) == _canonical(typed)


def _is_empty(value: object) -> bool:
    return value is None or value is _MISSING or value == "" or (isinstance(value, dict | list) and not value)


def _is_blank(value: object) -> bool:
    """Empty, or holding only empty values (`{name: null}`): Kubernetes reads it as absent."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
        elif not _is_empty(current):
            return False
    return True


def _is_scalar(value: object) -> bool:
    return not isinstance(value, dict | list)


def _show(value: object) -> str:
    if value is None or value is _MISSING:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = _text(value)
    if text == "":
        return '""'
    return text if len(text) <= 60 else text[:57] + "..."


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else _text(key)


def _child_path(path: str, key: str) -> str:
    if _SIMPLE_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


def _leaf_count(value: object) -> int:
    if isinstance(value, dict) and value:
        return sum(_leaf_count(child) for child in value.values())
    if isinstance(value, list) and value:
        return sum(_leaf_count(child) for child in value)
    return 1


def _compare(expected: object, typed: object, path: str, key: str, parent: str, strict: bool) -> _Comparison:
    """Compare one expected node with the typed node at the same place."""
    result = _Comparison()
    if _is_empty(expected):
        result.total = 1
        if _is_empty(typed) or (isinstance(expected, dict | list) and type(typed) is type(expected)):
            result.matched = 1
            result.vacuous = 1 if typed is _MISSING else 0
            if strict and not _is_blank(typed):
                result.unexpected.append(path)
                result.differences.append(f"unexpected field {path}")
        else:
            result.differences.append(f"{path}: expected {_show(expected)}, got {_show(typed)}")
        return result
    if typed is _MISSING or typed is None:
        result.total = _leaf_count(expected)
        result.differences.append(f"missing {path}")
        return result
    if isinstance(expected, dict):
        if not isinstance(typed, dict):
            result.total = _leaf_count(expected)
            result.differences.append(f"{path}: expected a mapping, got {_show(typed)}")
            return result
        return _compare_mappings(expected, typed, path, key, strict)
    if isinstance(expected, list):
        if not isinstance(typed, list):
            result.total = _leaf_count(expected)
            result.differences.append(f"{path}: expected a list, got {_show(typed)}")
            return result
        return _compare_lists(expected, typed, path, key, strict)
    result.total = 1
    quantity = parent in _QUANTITY_PARENTS or key in _QUANTITY_KEYS
    if _is_scalar(typed) and _scalars_equal(expected, typed, quantity):
        result.matched = 1
    else:
        result.differences.append(f"{path}: expected {_show(expected)}, got {_show(typed)}")
    return result


def _compare_mappings(
    expected: Mapping[Any, Any], typed: Mapping[Any, Any], path: str, key: str, strict: bool
) -> _Comparison:
    result = _Comparison()
    typed_by_key = {_key_text(name): value for name, value in typed.items()}
    expected_keys = set()
    for name, value in expected.items():
        text = _key_text(name)
        expected_keys.add(text)
        result.add(_compare(value, typed_by_key.get(text, _MISSING), _child_path(path, text), text, key, strict))
    if strict:
        for text, value in typed_by_key.items():
            if text not in expected_keys and not _is_blank(value):
                extra = _child_path(path, text)
                result.unexpected.append(extra)
                result.differences.append(f"unexpected field {extra}")
    return result


def _compare_lists(expected: list[Any], typed: list[Any], path: str, key: str, strict: bool) -> _Comparison:
    if all(_is_scalar(item) for item in expected):
        if key in _ORDERED_LISTS and all(_is_scalar(item) for item in typed):
            return _compare_command_lists(expected, typed, path, strict)
        return _compare_scalar_lists(expected, typed, path, strict)
    return _compare_item_lists(expected, typed, path, key, strict)


def _compare_scalar_lists(expected: list[Any], typed: list[Any], path: str, strict: bool) -> _Comparison:
    """Order-insensitive, as for verbs, resources, apiGroups and accessModes."""
    result = _Comparison(total=len(expected))
    remaining = list(typed)
    for item in expected:
        found = next(
            (index for index, other in enumerate(remaining) if _is_scalar(other) and _scalars_equal(item, other)), None
        )
        if found is None:
            result.differences.append(f"missing item {_show(item)} in {path}")
        else:
            remaining.pop(found)
            result.matched += 1
    if strict:
        for item in remaining:
            result.unexpected.append(f"{path}[{_show(item)}]")
            result.differences.append(f"unexpected item {_show(item)} in {path}")
    return result


def _command_flag(item: object) -> str | None:
    text = _text(item)
    return text.partition("=")[0] if text.startswith("--") and len(text) > 2 else None


def _compare_command_lists(expected: list[Any], typed: list[Any], path: str, strict: bool) -> _Comparison:
    """`command`/`args`: words in order, but `--flag=value` items in any order (kube-apiserver)."""
    result = _Comparison(total=len(expected))
    typed_flags: dict[str, list[str]] = {}
    for item in typed:
        name = _command_flag(item)
        if name is not None:
            typed_flags.setdefault(name, []).append(_text(item))
    for item in expected:
        name = _command_flag(item)
        if name is None:
            continue
        candidates = typed_flags.get(name, [])
        if _text(item) in candidates:
            candidates.remove(_text(item))
            result.matched += 1
        elif candidates:
            result.differences.append(f"{path}: expected {item}, got {candidates.pop(0)}")
        else:
            result.differences.append(f"missing item {_show(item)} in {path}")
    expected_words = [_canonical(item) for item in expected if _command_flag(item) is None]
    typed_words = [_canonical(item) for item in typed if _command_flag(item) is None]
    shown_expected = [item for item in expected if _command_flag(item) is None]
    shown_typed = [item for item in typed if _command_flag(item) is None]
    matcher = difflib.SequenceMatcher(None, expected_words, typed_words, autojunk=False)
    for tag, first_start, first_end, second_start, second_end in matcher.get_opcodes():
        wanted = shown_expected[first_start:first_end]
        got = shown_typed[second_start:second_end]
        if tag == "equal":
            result.matched += len(wanted)
            continue
        for wanted_item, got_item in zip(wanted, got, strict=False):
            result.differences.append(f"{path}: expected item {_show(wanted_item)}, got {_show(got_item)}")
        for wanted_item in wanted[len(got) :]:
            result.differences.append(f"missing item {_show(wanted_item)} in {path}")
        if strict:
            for got_item in got[len(wanted) :]:
                result.unexpected.append(f"{path}[{_show(got_item)}]")
                result.differences.append(f"unexpected item {_show(got_item)} in {path}")
    if strict:
        for leftovers in typed_flags.values():
            for item in leftovers:
                result.unexpected.append(f"{path}[{item}]")
                result.differences.append(f"unexpected item {item} in {path}")
    return result


def _key_field(list_key: str, item: Mapping[str, Any]) -> str | None:
    """The field that identifies an element of a list Kubernetes keys by name (or by port)."""
    if list_key in _NAME_KEYED_LISTS and "name" in item:
        return "name"
    if list_key == "ports":
        for candidate in ("name", "containerPort", "port"):
            if candidate in item and _is_scalar(item[candidate]):
                return candidate
    return None


def _labels(items: Sequence[object]) -> list[str]:
    """A readable label per element: `name=web`, `key=app`, or the index when none is unique."""
    counts: Counter[tuple[str, tuple[str, object]]] = Counter(
        (candidate, _canonical(item[candidate]))
        for item in items
        if isinstance(item, dict)
        for candidate in _LABEL_FIELDS
        if candidate in item and _is_scalar(item[candidate])
    )
    labels: list[str] = []
    for index, item in enumerate(items):
        label = str(index)
        if isinstance(item, dict):
            for candidate in _LABEL_FIELDS:
                unique = (
                    candidate in item
                    and _is_scalar(item[candidate])
                    and counts[(candidate, _canonical(item[candidate]))] == 1
                )
                if unique:
                    label = f"{candidate}={_show(item[candidate])}"
                    break
        labels.append(label)
    return labels


def _compare_item_lists(expected: list[Any], typed: list[Any], path: str, key: str, strict: bool) -> _Comparison:
    """Lists of objects: keyed lists by key first, then every list by best-matching content."""
    labels = _labels(expected)
    pairs: dict[int, tuple[int, _Comparison]] = {}
    used: set[int] = set()
    for index, item in enumerate(expected):
        if not isinstance(item, dict):
            continue
        field_name = _key_field(key, item)
        if field_name is None:
            continue
        for other_index, other in enumerate(typed):
            if other_index in used or not isinstance(other, dict) or field_name not in other:
                continue
            if _is_scalar(other[field_name]) and _scalars_equal(item[field_name], other[field_name]):
                used.add(other_index)
                pairs[index] = (other_index, _compare(item, other, f"{path}[{labels[index]}]", key, key, strict))
                break
    candidates: list[tuple[int, bool, int, int, int, _Comparison]] = []
    for index, item in enumerate(expected):
        if index in pairs:
            continue
        for other_index, other in enumerate(typed):
            if other_index in used:
                continue
            comparison = _compare(item, other, f"{path}[{labels[index]}]", key, key, strict)
            if comparison.matched > 0:
                substantive = comparison.matched - comparison.vacuous
                flawed = bool(comparison.differences)
                candidates.append((substantive, flawed, comparison.matched, index, other_index, comparison))
    # fields really present and equal count first, then exact before flawed, then vacuous matches
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], -candidate[2], candidate[3], candidate[4]))
    for _, _, _, index, other_index, comparison in candidates:
        if index not in pairs and other_index not in used:
            pairs[index] = (other_index, comparison)
            used.add(other_index)
    left_expected = [index for index in range(len(expected)) if index not in pairs]
    left_typed = [index for index in range(len(typed)) if index not in used]
    if (
        len(left_expected) == 1
        and len(left_typed) == 1
        and isinstance(expected[left_expected[0]], dict)
        and isinstance(typed[left_typed[0]], dict)
        and _key_field(key, expected[left_expected[0]]) is not None
    ):
        # one keyed element left on each side: the key itself is wrong, so say `expected 80, got 8080`
        index, other_index = left_expected[0], left_typed[0]
        comparison = _compare(expected[index], typed[other_index], f"{path}[{labels[index]}]", key, key, strict)
        pairs[index] = (other_index, comparison)
        used.add(other_index)
    result = _Comparison()
    for index, item in enumerate(expected):
        if index in pairs:
            result.add(pairs[index][1])
        else:
            result.total += _leaf_count(item)
            result.differences.append(f"missing {path}[{labels[index]}]")
    if strict:
        typed_labels = _labels(typed)
        for other_index, other in enumerate(typed):
            if other_index not in used and not _is_blank(other):
                extra = f"{path}[{typed_labels[other_index]}]"
                result.unexpected.append(extra)
                result.differences.append(f"unexpected field {extra}")
    return result


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "a single value"


def grade_manifest(typed_yaml: str, expected_yaml: str, *, strict: bool = False) -> ManifestGradeResult:
    """Grade a typed Kubernetes manifest against the expected one, field by field."""
    try:
        expected = _load_yaml(expected_yaml)
    except ManifestSyntaxError as error:
        raise ValueError(f"the expected manifest is not valid YAML: {error}") from None
    if not isinstance(expected, dict):
        raise ValueError("the expected manifest is not a YAML mapping")
    typed = _load_yaml(typed_yaml)
    total = _leaf_count(expected)
    refusal: str | None = None
    if _is_empty(typed):
        refusal = "the answer is empty: expected a manifest starting with apiVersion and kind"
    elif not isinstance(typed, dict):
        refusal = f"the answer is {_kind_of(typed)}, not a YAML mapping: a manifest starts with apiVersion and kind"
    if refusal is not None:
        return ManifestGradeResult(
            correct=False, suggested=Rating.AGAIN, differences=(refusal,), score=0.0, total_fields=total
        )
    comparison = _compare(expected, typed, "", "", "", strict)
    score = 1.0 if comparison.total == 0 else comparison.matched / comparison.total
    correct = not comparison.differences
    if correct:
        suggested = Rating.GOOD
    elif score >= 0.8:
        suggested = Rating.HARD
    else:
        suggested = Rating.AGAIN
    return ManifestGradeResult(
        correct=correct,
        suggested=suggested,
        differences=tuple(comparison.differences),
        score=score,
        matched_fields=comparison.matched,
        total_fields=comparison.total,
        unexpected_fields=tuple(comparison.unexpected),
    )
