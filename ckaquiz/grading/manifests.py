"""Manifest grading: a typed Kubernetes manifest compared by structure with the expected one.

The lists Kubernetes keys by name are matched by name and values are normalised as the API
server would (quantities, booleans, numbers written as strings).

Typed YAML is only ever read with `yaml.safe_load`, and only after a token scan that refuses
documents with more than 100 aliases or nesting deeper than 100 levels; the loaded document
is then refused if its aliases expand it past 50,000 nodes or make it refer to itself. So a
"billion laughs" answer is rejected at once instead of hanging the grader.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from ckaquiz.grading.policy import suggest
from ckaquiz.grading.results import ManifestGradeResult, ManifestSyntaxError
from ckaquiz.model import Rating
from ckaquiz.yaml_nodes import scalar_nodes


def _words(text: str) -> list[str]:
    return text.split()


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
    if root is None:
        return None
    builder = yaml.SafeLoader("")
    for node in scalar_nodes(root):
        try:
            builder.construct_object(node, deep=True)
        except Exception:  # whatever safe_load's constructors raise for this scalar
            return node.start_mark
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
_EMPTY_IS_DEFAULT = frozenset(
    _words(
        "status resources strategy securityContext emptyDir labels annotations nodeSelector data stringData spec "
        "metadata loadBalancer matchLabels limits requests"
    )
)
"""Keys whose empty mapping (`resources: {}`) the API server reads as if the key were absent.
Any other expected empty mapping is a value of its own: `podSelector: {}` selects every Pod, and
leaving it out is rejected."""
_DEFAULTS: tuple[tuple[str, object, frozenset[str] | None], ...] = (
    ("spec.dnsPolicy", "ClusterFirst", None),
    ("spec.restartPolicy", "Always", frozenset({"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})),
    ("spec.schedulerName", "default-scheduler", None),
    ("spec.terminationGracePeriodSeconds", 30, None),
    ("spec.enableServiceLinks", True, None),
    ("containers.terminationMessagePath", "/dev/termination-log", None),
    ("containers.terminationMessagePolicy", "File", None),
    ("ports.protocol", "TCP", None),
    ("tolerations.operator", "Equal", None),
    ("spec.type", "ClusterIP", frozenset({"Service"})),
    ("spec.sessionAffinity", "None", frozenset({"Service"})),
    ("spec.replicas", 1, frozenset({"Deployment", "ReplicaSet", "StatefulSet"})),
    ("spec.strategy.type", "RollingUpdate", frozenset({"Deployment"})),
    ("spec.revisionHistoryLimit", 10, frozenset({"Deployment", "DaemonSet", "StatefulSet"})),
    ("spec.progressDeadlineSeconds", 600, frozenset({"Deployment"})),
    ("type", "Opaque", frozenset({"Secret"})),
)
"""(path suffix without list labels, the value the API server fills in, the kinds it holds for):
writing a default out is a cosmetic difference from a manifest that leaves it to the server."""
_LIST_LABEL = re.compile(r"\[[^\]]*\]")
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
    cosmetic: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    """Differences that only write out an API default: the message, the plain message for kinds
    where it is no default, and the kinds for which it is one (empty: every kind)."""

    def add(self, other: _Comparison) -> None:
        self.matched += other.matched
        self.total += other.total
        self.vacuous += other.vacuous
        self.differences.extend(other.differences)
        self.unexpected.extend(other.unexpected)
        self.cosmetic.extend(other.cosmetic)


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
        if typed is _MISSING and isinstance(expected, dict) and key not in _EMPTY_IS_DEFAULT:
            result.differences.append(f"missing {path} (expected {{}})")
            return result
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
                kinds = _default_for(extra, value)
                plain = f"unexpected field {extra}"
                if kinds is None:
                    result.differences.append(plain)
                else:
                    message = f"{plain} ({_show(value)} is the default)"
                    result.differences.append(message)
                    result.cosmetic.append((message, plain, kinds))
    return result


def _default_for(path: str, value: object) -> frozenset[str] | None:
    """The kinds for which `value` at `path` is what the API server fills in anyway (empty set: every kind)."""
    bare = _LIST_LABEL.sub("", path)
    for suffix, default, kinds in _DEFAULTS:
        if (bare == suffix or bare.endswith("." + suffix)) and _is_scalar(value) and _scalars_equal(default, value):
            if isinstance(default, bool) != isinstance(value, bool):
                continue
            return kinds if kinds is not None else frozenset()
    return None


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


def _refused_by_the_api(typed: Mapping[str, Any], typed_yaml: str, expected_yaml: str) -> list[str]:
    """What the Kubernetes API schema refuses in the typed manifest, when the expected one is a
    kind the schemas hold and passes them itself (a deck's partial answer is not held against
    the learner)."""
    from ckaquiz.grading import schema

    if not schema.available() or not _expected_passes_the_schema(expected_yaml):
        return []
    try:
        return schema.schema_problems(typed, typed_yaml)
    except RecursionError:  # aliases nesting a document past what the validator walks: compared only
        return []


@lru_cache(maxsize=512)
def _expected_passes_the_schema(expected_yaml: str) -> bool:
    from ckaquiz.grading import schema

    expected = _load_yaml(expected_yaml)
    return isinstance(expected, dict) and schema.has_schema(expected) and not schema.schema_problems(
        expected, expected_yaml
    )


def grade_manifest(
    typed_yaml: str,
    expected_yaml: str,
    *,
    strict: bool = False,
    tries: int = 1,
    seconds_taken: float | None = None,
    easy_seconds: float | None = None,
) -> ManifestGradeResult:
    """Grade a typed Kubernetes manifest against the expected one, field by field.

    Any wrong, missing or (in strict mode) unexpected field suggests *again*; a strict-mode extra
    that only writes out an API default, or a right answer at a later try, suggests *hard*.
    """
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
    assert isinstance(typed, dict)  # refused above otherwise
    comparison = _compare(expected, typed, "", "", "", strict)
    comparison.differences[:0] = _refused_by_the_api(typed, typed_yaml, expected_yaml)
    score = 1.0 if comparison.total == 0 else comparison.matched / comparison.total
    kind = typed.get("kind") if isinstance(typed.get("kind"), str) else ""
    cosmetic = {message for message, _, kinds in comparison.cosmetic if not kinds or kind in kinds}
    plain = {message: shown for message, shown, _ in comparison.cosmetic if message not in cosmetic}
    differences = [plain.get(difference, difference) for difference in comparison.differences]
    substantive = [difference for difference in differences if difference not in cosmetic]
    return ManifestGradeResult(
        correct=not comparison.differences,
        suggested=suggest(
            correct=not substantive,
            cosmetic=bool(cosmetic),
            tries=tries,
            seconds_taken=seconds_taken,
            easy_seconds=easy_seconds,
        ),
        differences=tuple(differences),
        score=score,
        matched_fields=comparison.matched,
        total_fields=comparison.total,
        unexpected_fields=tuple(comparison.unexpected),
    )
