"""The source of the shipped schemas: ``kubernetes_validate``'s strict schemas, and how
``python -m podstudio.engine.schemadata`` prepares them for ``schemadata/1.NN.json``.

Development time only (and ``schema.field_description``, which reads the descriptions the
prepared data leaves out): a check of a manifest never imports this module.
"""

import json
from typing import Any

from podstudio.engine.patterns import compile_lazily
from podstudio.engine.schema import QUANTITY_DEFINITION

_FOLDER = compile_lazily(r"^v1\.(\d+)\.0-local-strict$")
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_FIELDS_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"


def _source_root() -> Any:
    """``kubernetes_validate``'s schema folder, found without importing the package."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("kubernetes_validate is not installed: it holds the source schemas")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


def source_versions() -> tuple[str, ...]:
    """The versions ``kubernetes_validate`` has strict schemas for."""
    names = [entry.name for entry in _source_root().iterdir()]
    minors = sorted(int(match.group(1)) for match in map(_FOLDER.match, names) if match)
    return tuple(f"1.{minor}" for minor in minors)


def read_source(version: str, name: str) -> dict:
    folder = _source_root() / f"v{version}.0-local-strict"
    return json.loads((folder / name).read_text(encoding="utf-8"))


_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_IN_PROPERTIES = ("properties", "$defs", "definitions", "patternProperties")


def local_refs(node: Any, found: list[str], container: str = "") -> Any:
    """Rewrites every ``$ref`` to ``#/$defs/<name>`` and collects the names it meets, and makes
    the schema say what the API server does with JSON:

    - ``required`` goes: the server decodes into Go structs and never enforces the OpenAPI
      ``required`` list; its validation rules report what is really needed;
    - every type also takes ``null``: a JSON null leaves a Go field at its zero value;
    - ``oneOf`` becomes ``anyOf`` (a null fits both branches of an int-or-string);
    - ``int32`` and ``int64`` get their range: a larger number cannot be decoded.
    """
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name = value.rsplit("/", 1)[-1]
                found.append(name)
                result[key] = f"#/$defs/{name}"
            elif key == "required" and container not in _IN_PROPERTIES and isinstance(value, list):
                continue
            elif key == "type" and container not in _IN_PROPERTIES:
                types = [value] if isinstance(value, str) else list(value)
                result[key] = types if "null" in types else [*types, "null"]
            elif key == "enum" and container not in _IN_PROPERTIES and isinstance(value, list):
                result[key] = value if None in value else [*value, None]
            elif key == "oneOf" and container not in _IN_PROPERTIES:
                result["anyOf"] = local_refs(value, found, key)
            else:
                result[key] = local_refs(value, found, key)
        bounds = (
            _INTEGER_RANGES.get(node.get("format")) if container not in _IN_PROPERTIES else None
        )
        if bounds and "integer" in result.get("type", ()):
            result["minimum"], result["maximum"] = bounds
        return result
    if isinstance(node, list):
        return [local_refs(item, found) for item in node]
    return node


def _without_descriptions(node: Any, container: str = "") -> Any:
    """The schema less its descriptions, which validation never reads (a field *named*
    ``description`` stays); ``x-kubernetes-*`` extensions stay for the rules that read them."""
    if isinstance(node, dict):
        keep_all = container in ("properties", "$defs")
        return {
            key: _without_descriptions(value, key)
            for key, value in node.items()
            if keep_all or key != "description"
        }
    if isinstance(node, list):
        return [_without_descriptions(item) for item in node]
    return node


# Kinds that sit beside workloads in application manifests. Pod Studio does not check their
# rules, but their fields' names and types the way the API server decodes them: a ConfigMap's
# ``PORT: 8080`` or a Service's ``port: "80"`` is refused before any rule is read.
FIELD_CHECKED_KINDS = (
    "v1/ConfigMap",
    "v1/Secret",
    "v1/Service",
    "v1/ServiceAccount",
    "v1/PersistentVolumeClaim",
    "v1/Namespace",
    "v1/LimitRange",
    "v1/ResourceQuota",
    "networking.k8s.io/v1/Ingress",
    "networking.k8s.io/v1/NetworkPolicy",
    "policy/v1/PodDisruptionBudget",
    "autoscaling/v1/HorizontalPodAutoscaler",
    "autoscaling/v2/HorizontalPodAutoscaler",
    "rbac.authorization.k8s.io/v1/Role",
    "rbac.authorization.k8s.io/v1/RoleBinding",
    "rbac.authorization.k8s.io/v1/ClusterRole",
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
    "scheduling.k8s.io/v1/PriorityClass",
)


def build_schema_data(
    version: str, definitions_wanted: tuple[str, ...], field_checked: tuple[str, ...] = ()
) -> dict:
    """What ships in ``schemadata/<version>.json``, from ``kubernetes_validate``'s files: the
    definitions ``definitions_wanted`` reach, refs made local, every built-in kind's
    ``apiVersion/kind`` (to tell a built-in kind Pod Studio does not check from an unknown one),
    and the definition of each ``apiVersion/kind`` of ``field_checked`` (``fields_only``).
    """
    source = read_source(version, "_definitions.json")
    definitions = source["$defs"]
    schema_uri = read_source(version, "pod-v1.json").get("$schema")
    by_kind = {
        _group_version_kind(gvk): name
        for name, definition in definitions.items()
        for gvk in definition.get("x-kubernetes-group-version-kind") or []
    }
    fields_only = {kind: by_kind[kind] for kind in field_checked if kind in by_kind}
    pending = [*definitions_wanted, *fields_only.values()]
    defs: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name not in defs:
            defs[name] = _without_descriptions(local_refs(definitions[name], pending))
    # A quantity string is parsed while the API server decodes the Pod: one it cannot parse
    # (a divisor of "0x", a sizeLimit of "1e") makes the whole Pod unreadable.
    for branch in defs.get(QUANTITY_DEFINITION, {}).get("anyOf", ()):
        if "string" in branch.get("type", ()):
            branch["format"] = "k8s-quantity"
    # An int-or-string's number is decoded into an int32 (IntOrString.IntVal): a larger one
    # (a maxSurge of 2147483648) makes the whole object unreadable.
    for branch in defs.get(_INT_OR_STRING, {}).get("anyOf", ()):
        if "integer" in branch.get("type", ()):
            branch["minimum"], branch["maximum"] = _INTEGER_RANGES["int32"]
    # FieldsV1 keeps whatever JSON it is given as raw bytes (FieldsV1.UnmarshalJSON): a
    # managedFields entry's fieldsV1 of 5 or "x" is accepted, not only a mapping.
    if _FIELDS_V1 in defs:
        defs[_FIELDS_V1] = {}
    known = {
        name
        for name in by_kind
        if not name.endswith("List") and name.rsplit("/", 1)[-1] not in ("", "Status", "WatchEvent")
    }
    return {
        "$schema": schema_uri,
        "$defs": dict(sorted(defs.items())),
        "known": sorted(known),
        "fields_only": dict(sorted(fields_only.items())),
    }


def _group_version_kind(gvk: dict) -> str:
    """``apps/v1/Deployment``; ``v1/Pod`` for the core group: an ``apiVersion/kind``."""
    group, version, kind = gvk.get("group"), gvk.get("version"), gvk.get("kind")
    return f"{group}/{version}/{kind}" if group else f"{version}/{kind}"
