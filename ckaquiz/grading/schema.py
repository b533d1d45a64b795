"""A typed manifest checked against the Kubernetes API's own schema, as the API server would.

The schemas are the published OpenAPI definitions of Kubernetes, as JSON Schema, shipped by the
`kubernetes-validate` package (its strict variant: unknown fields are refused, as `kubectl
apply` does by default since 1.27). Each problem is one line with the YAML line and path:

    line 12: spec.tolerations[0].value: a boolean (true) where the API requires a string; quote it: "true"
    line 8: spec.containers[0]: unknown field "imagee"
    line 6: spec.containers[0]: missing required field "name"
    line 1: no kind Pod in apiVersion apps/v1 (Pod is in v1)

A kind the schemas do not hold (a custom resource, a kubelet or kubeadm configuration) is not
checked. The schema package and jsonschema are imported on the first check only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import yaml

KUBERNETES_VERSION = "1.32"
"""The Kubernetes minor version whose API the answers are checked against (the exam's)."""
_MAX_PROBLEMS = 20
_JSON_TYPES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
               "object": "a mapping", "array": "a list", "null": "null"}  # fmt: skip


def available() -> bool:
    """Whether the schema package is installed."""
    try:
        import kubernetes_validate  # noqa: F401
    except ImportError:
        return False
    return True


def has_schema(document: Mapping[str, Any]) -> bool:
    """Whether the schemas hold this document's kind and apiVersion."""
    return _validator(*_identity(document)) is not None


def schema_problems(document: Mapping[str, Any], text: str) -> list[str]:
    """What the API server would refuse in `document` (read from `text`), one line each."""
    kind, api_version = _identity(document)
    validator = _validator(kind, api_version)
    root = _compose(text)
    if validator is None:
        return [f"line {_line(root, ())}: {_no_such_kind(kind, api_version)}"]
    found: list[tuple[int, str]] = []
    for error in validator.iter_errors(_as_json(document)):
        path = tuple(error.absolute_path)
        line = _line(root, path + _first_unknown(error))
        found.append((line, f"line {line}: {_describe(error, path)}"))
        if len(found) >= _MAX_PROBLEMS:
            break
    return [problem for _, problem in sorted(found)]


def _as_json(value: object) -> object:
    """The document as kubectl sends it: YAML timestamps as text, every mapping key a string.
    (Typed YAML is nested at most 100 levels deep before it gets here, so recursion is safe.)"""
    if isinstance(value, dict):
        return {_plain_key(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _plain_key(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _first_unknown(error: Any) -> tuple[str, ...]:
    """The first unknown key of an `additionalProperties` error, to point at its own line."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ()
    extras = [key for key in error.instance if key not in error.schema.get("properties", {})]
    return (str(extras[0]),) if extras else ()


def _identity(document: Mapping[str, Any]) -> tuple[str, str]:
    kind, api_version = document.get("kind"), document.get("apiVersion")
    return (kind if isinstance(kind, str) else "", api_version if isinstance(api_version, str) else "")


def _no_such_kind(kind: str, api_version: str) -> str:
    known = [version for version in _versions_of(kind) if version != api_version]
    where = f" ({kind} is in {' and '.join(known)})" if known else ""
    return f"no kind {kind or '(none)'} in apiVersion {api_version or '(none)'}{where}"


def _describe(error: Any, path: tuple[Any, ...]) -> str:
    shown = _path_text(path)
    where = f"{shown}: " if shown else ""
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f'{where}missing required field "{missing}"'
    if error.validator == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        names = ", ".join(f'"{name}"' for name in extras) or error.message
        return f"{where}unknown field {names}"
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted_text = " or ".join(_JSON_TYPES.get(str(name), str(name)) for name in wanted if name != "null")
        got = _value_type(error.instance)
        hint = ""
        if "string" in wanted and isinstance(error.instance, bool | int | float):
            hint = f'; quote it: "{_plain(error.instance)}"'
        return f"{where}{got} ({_plain(error.instance)}) where the API requires {wanted_text}{hint}"
    if error.validator in ("oneOf", "anyOf") and isinstance(error.validator_value, list):
        kinds: list[str] = []
        for option in error.validator_value:
            found = option.get("type") if isinstance(option, dict) else None
            kinds.extend(str(name) for name in (found if isinstance(found, list) else [found]) if name)
        wanted_text = " or ".join(_JSON_TYPES.get(name, name) for name in kinds if name not in ("None", "null"))
        if wanted_text:
            got = _value_type(error.instance)
            return f"{where}{got} ({_plain(error.instance)}) where the API requires {wanted_text}"
    if error.validator == "enum":
        allowed = ", ".join(str(value) for value in error.validator_value)
        return f"{where}{_plain(error.instance)} is not allowed (allowed: {allowed})"
    return f"{where}{error.message}"


def _value_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "null"


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "{...}" if isinstance(value, dict) else "[...]"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _path_text(path: Sequence[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _line(root: yaml.Node | None, path: Sequence[Any]) -> int:
    """The 1-based line of the YAML node at `path` (the deepest one found)."""
    if root is None:
        return 1
    node = root
    line = node.start_mark.line
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    line = key.start_mark.line
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line
        if child is None:
            break
        node = child
    return line + 1


def _schema_folder() -> str:
    return f"kubernetes-json-schema/v{KUBERNETES_VERSION}.0-local-strict"


def _file_name(kind: str, api_version: str) -> str:
    group, _, version = api_version.rpartition("/")
    group = group.split(".")[0]
    return f"{kind.lower()}-{group}-{version}.json" if group else f"{kind.lower()}-{version}.json"


@lru_cache(maxsize=256)
def _validator(kind: str, api_version: str) -> Any:
    """A JSON Schema validator for one kind and apiVersion, or None when the schemas lack it."""
    if not kind or not api_version or "/" in kind or ".." in api_version:
        return None
    import jsonschema
    from kubernetes_validate.utils import schema_contents
    from referencing import Registry, Resource

    try:
        schema = schema_contents(f"{_schema_folder()}/{_file_name(kind, api_version)}", KUBERNETES_VERSION)
    except Exception:  # a kind the schemas lack (FileNotFoundError), or a file it cannot read
        return None
    registry: Registry[Any] = Resource.from_contents(_definitions()) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@lru_cache(maxsize=1)
def _definitions() -> Any:
    from kubernetes_validate.utils import schema_contents

    return schema_contents(f"{_schema_folder()}/_definitions.json", KUBERNETES_VERSION)


@lru_cache(maxsize=64)
def _versions_of(kind: str) -> tuple[str, ...]:
    """The apiVersions the schemas hold for a kind (`Deployment` -> `apps/v1`)."""
    import importlib.resources

    folder = importlib.resources.files("kubernetes_validate").joinpath(_schema_folder())
    prefix = f"{kind.lower()}-"
    found: list[str] = []
    for entry in folder.iterdir():
        name = entry.name
        if not name.startswith(prefix) or not name.endswith(".json"):
            continue
        parts = name[len(prefix) : -len(".json")].split("-")
        if len(parts) == 1:
            found.append(parts[0])
        elif len(parts) == 2:
            found.append(f"{_GROUPS.get(parts[0], parts[0])}/{parts[1]}")
    return tuple(sorted(found))


_GROUPS = {
    "rbac": "rbac.authorization.k8s.io",
    "networking": "networking.k8s.io",
    "storage": "storage.k8s.io",
    "scheduling": "scheduling.k8s.io",
    "policy": "policy",
    "apps": "apps",
    "batch": "batch",
    "autoscaling": "autoscaling",
    "admissionregistration": "admissionregistration.k8s.io",
    "apiextensions": "apiextensions.k8s.io",
    "certificates": "certificates.k8s.io",
    "coordination": "coordination.k8s.io",
    "discovery": "discovery.k8s.io",
    "node": "node.k8s.io",
    "flowcontrol": "flowcontrol.apiserver.k8s.io",
    "events": "events.k8s.io",
    "resource": "resource.k8s.io",
}
"""The API group of a schema file's short group name (files drop the domain: `rbac-v1`)."""
