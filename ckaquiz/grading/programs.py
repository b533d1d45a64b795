"""What each program's command line looks like: command paths, flags with and without values, aliases.

The tables behind command grading: `kubectl`, `etcdctl`, `kubeadm`, `helm`, `crictl`, systemd's
tools, `aws`, `openssl` and the shell utilities an exam answer uses. A program missing here is
still graded, with the arity of its flags guessed from the two commands being compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

Tree: TypeAlias = "Mapping[str, Tree]"
ANY_WORD = "*"


def _words(text: str) -> list[str]:
    return text.split()


def _leaves(names: str) -> dict[str, Tree]:
    return {name: {} for name in names.split()}


def _flag_name(name: str) -> str:
    return name if name.startswith("-") else f"--{name}"


@dataclass(frozen=True)
class FlagRules:
    """What a program's flags look like: short forms and which flags take a value."""

    short: Mapping[str, str] = field(default_factory=dict)
    boolean: frozenset[str] = frozenset()
    valued: frozenset[str] = frozenset()

    def merged(self, other: FlagRules) -> FlagRules:
        return FlagRules(
            short={**self.short, **other.short},
            boolean=(self.boolean - other.valued) | other.boolean,
            valued=(self.valued - other.boolean) | other.valued,
        )


def _rules(boolean: str = "", valued: str = "", short: str = "") -> FlagRules:
    """Flag rules from word lists: `short` holds pairs like `n:namespace`."""
    shorts = {}
    for pair in short.split():
        letter, _, target = pair.partition(":")
        shorts[f"-{letter}"] = _flag_name(target)
    return FlagRules(
        short=shorts,
        boolean=frozenset(_flag_name(name) for name in boolean.split()),
        valued=frozenset(_flag_name(name) for name in valued.split()),
    )


@dataclass(frozen=True)
class Program:
    """How one program's command line is structured."""

    tree: Tree = field(default_factory=dict)
    flags: FlagRules = field(default_factory=FlagRules)
    overrides: Mapping[tuple[str, ...], FlagRules] = field(default_factory=dict)
    clusters: bool = True  # single-letter flags may be grouped (`-it`); false for `openssl -in`
    list_flags: frozenset[str] = frozenset()  # comma-separated values compared as a set
    word_aliases: Mapping[str, str] = field(default_factory=dict)
    unordered_paths: frozenset[tuple[str, ...]] = frozenset()  # arguments compared as a set

    def rules(self, path: Sequence[str]) -> FlagRules:
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


def resource_type(word: str) -> str | None:
    """The canonical name of a resource type (`po`, `pods`, `deployments.apps`), or None."""
    lowered = word.lower()
    if lowered in _RESOURCE_TYPES:
        return _RESOURCE_TYPES[lowered]
    qualified = _GROUP_QUALIFIED.fullmatch(lowered)
    if qualified and qualified.group("group") in _API_GROUPS and qualified.group("type") in _RESOURCE_TYPES:
        return _RESOURCE_TYPES[qualified.group("type")]
    return None


def resource_reference(word: str) -> str:
    """`deploy/web` -> `deployment/web`; other words unchanged."""
    kind, slash, name = word.partition("/")
    canonical = resource_type(kind) if slash else None
    return f"{canonical}/{name}" if canonical else word


_KUBECTL_TREE: Tree = {
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
_KUBECTL = Program(
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
_ETCDCTL = Program(
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
_ETCDUTL = Program(
    tree={"snapshot": _leaves("restore status"), **_leaves("defrag backup version migrate hashkv")},
    flags=_ETCDCTL_FLAGS,
)
_KUBEADM = Program(
    tree={
        "init": {"phase": {ANY_WORD: {}}},
        "join": {"phase": {ANY_WORD: {}}},
        "reset": {"phase": {ANY_WORD: {}}},
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
_HELM = Program(
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
_CRICTL = Program(
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
_SYSTEMCTL = Program(
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
_JOURNALCTL = Program(
    flags=_rules(
        boolean="follow pager-end catalog boot no-pager reverse dmesg full all quiet utc no-hostname merge help",
        valued="unit lines since until priority output identifier grep",
        short=(
            "u:unit f:follow n:lines e:pager-end x:catalog b:boot p:priority o:output r:reverse k:dmesg l:full a:all "
            "q:quiet t:identifier g:grep h:help"
        ),
    ),
)
_AWS = Program(
    tree={ANY_WORD: {ANY_WORD: {}}},
    flags=_rules(
        boolean="debug no-paginate no-cli-pager no-verify-ssl dry-run no-dry-run",
        valued="region profile output query endpoint-url cli-input-json",
    ),
)
_OPENSSL = Program(
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
_APT_GET = Program(
    tree=_leaves("install update upgrade remove purge autoremove download"),
    flags=_rules(boolean="yes quiet allow-change-held-packages allow-downgrades", short="y:yes q:quiet"),
    unordered_paths=frozenset({("install",), ("remove",), ("purge",)}),
)
_SIMPLE_PROGRAMS: dict[str, Program] = {
    "grep": Program(
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
    "base64": Program(
        flags=_rules(boolean="decode ignore-garbage", valued="wrap", short="d:decode i:ignore-garbage w:wrap")
    ),
    "curl": Program(
        flags=_rules(
            boolean="insecure silent show-error verbose location head include fail",
            valued="header output request data user cacert cert key connect-timeout max-time",
            short="k:insecure s:silent S:show-error v:verbose L:location I:head i:include f:fail H:header o:output "
            "X:request d:data u:user m:max-time",
        )
    ),
    "wget": Program(
        flags=_rules(boolean="quiet", valued="output-document timeout", short="q:quiet O:output-document T:timeout")
    ),
    "tail": Program(
        flags=_rules(boolean="follow quiet", valued="lines bytes", short="f:follow q:quiet n:lines c:bytes")
    ),
    "head": Program(flags=_rules(boolean="quiet", valued="lines bytes", short="q:quiet n:lines c:bytes")),
    "ls": Program(
        flags=_rules(
            boolean="-l all almost-all human-readable recursive -t reverse directory -1 inode",
            short="l:-l a:all A:almost-all h:human-readable R:recursive t:-t r:reverse d:directory 1:-1 i:inode",
        )
    ),
    "mkdir": Program(flags=_rules(boolean="parents verbose", valued="mode", short="p:parents v:verbose m:mode")),
    "rm": Program(flags=_rules(boolean="recursive force verbose", short="r:recursive R:recursive f:force v:verbose")),
    "cp": Program(
        flags=_rules(
            boolean="recursive archive force -p verbose",
            short="r:recursive R:recursive a:archive f:force p:-p v:verbose",
        )
    ),
    "mv": Program(flags=_rules(boolean="force interactive verbose", short="f:force i:interactive v:verbose")),
    "echo": Program(flags=_rules(boolean="-n -e", short="n:-n e:-e")),
    "cat": Program(flags=_rules(boolean="number", short="n:number")),
    "wc": Program(flags=_rules(boolean="lines words bytes", short="l:lines w:words c:bytes")),
    "sort": Program(
        flags=_rules(
            boolean="numeric-sort reverse unique human-numeric-sort",
            valued="key field-separator",
            short="n:numeric-sort r:reverse u:unique h:human-numeric-sort k:key t:field-separator",
        )
    ),
    "jq": Program(flags=_rules(boolean="raw-output compact-output", short="r:raw-output c:compact-output")),
    "watch": Program(flags=_rules(boolean="differences", valued="interval", short="d:differences n:interval")),
    "tar": Program(
        flags=_rules(
            boolean="extract create gzip verbose list",
            valued="file directory",
            short="x:extract c:create z:gzip v:verbose t:list f:file C:directory",
        )
    ),
    "nc": Program(flags=_rules(boolean="-z -v -u", valued="-w", short="z:-z v:-v u:-u w:-w")),
    "sed": Program(
        flags=_rules(
            boolean="quiet regexp-extended in-place",
            valued="expression",
            short="n:quiet E:regexp-extended i:in-place e:expression",
        )
    ),
    "awk": Program(flags=_rules(valued="field-separator", short="F:field-separator")),
    "cut": Program(flags=_rules(valued="delimiter fields", short="d:delimiter f:fields")),
    "ssh": Program(flags=_rules(boolean="-t", valued="-i -p -o -l", short="t:-t i:-i p:-p o:-o l:-l")),
    "scp": Program(flags=_rules(boolean="-r", valued="-i -P -o", short="r:-r i:-i P:-P o:-o")),
    "find": Program(flags=_rules(valued="-name -iname -type -path -mtime -size -maxdepth -mindepth"), clusters=False),
    "sysctl": Program(flags=_rules(boolean="load write all system", short="p:load w:write a:all")),
    "swapoff": Program(flags=_rules(boolean="all", short="a:all")),
    "apt-mark": Program(tree=_leaves("hold unhold showhold"), unordered_paths=frozenset({("hold",), ("unhold",)})),
    "ctr": Program(
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
PROGRAMS: dict[str, Program] = {
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
GENERIC = Program()
PROGRAM_ALIASES = {"k": "kubectl"}  # the exam terminal sets `alias k=kubectl`

# kubectl verbs whose first argument is a resource type (or `type/name`) followed by names
KUBECTL_TYPED_VERBS = frozenset(
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
KUBECTL_PAIR_VERBS = frozenset({("label",), ("annotate",), ("taint",), ("set", "env"), ("set", "image")})
# ETCDCTL_API=3 has been etcdctl's default since etcd 3.4: writing it or not means the same
DEFAULT_ENVIRONMENT = {"etcdctl": frozenset({"ETCDCTL_API=3"})}
