"""Field docs from the OpenAPI schema, like ``kubectl explain``, for every shipped version.

For a field path (``pod.spec.containers.readinessProbe``, ``spec.containers[0].image``,
``deployment.spec.template.spec.containers``) and a Kubernetes version it gives the type, the
description, the default where the description states one, whether it is required or
deprecated, and the first shipped version that has it (native sidecars: ``restartPolicy`` of a
container exists from 1.28 on and is usable on init containers from 1.29).

The docs are prepared once, at development time, from the schemas ``kubernetes_validate`` ships
(one folder per minor version, 1.8 MB each), into ``fielddocs.json`` next to this module: each
type's fields with, per run of versions where a field is the same, its type, the type below it
and its description (texts stored once). A lookup is a few dict steps. ``python -m
podstudio.engine.fielddocs`` writes the file again; a test checks it equals a fresh build.
"""

import difflib
import json
import os
import re
import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

from podstudio.engine.memo import short_text_cache
from podstudio.engine.patterns import compile_lazily

DATA_FILE = Path(__file__).with_name("fielddocs.json")

# kind (as kubectl explain spells it, lower case) -> (apiVersion, definition name)
KINDS = {
    "pod": ("v1", "io.k8s.api.core.v1.Pod"),
    "deployment": ("apps/v1", "io.k8s.api.apps.v1.Deployment"),
    "replicaset": ("apps/v1", "io.k8s.api.apps.v1.ReplicaSet"),
    "statefulset": ("apps/v1", "io.k8s.api.apps.v1.StatefulSet"),
    "daemonset": ("apps/v1", "io.k8s.api.apps.v1.DaemonSet"),
    "job": ("batch/v1", "io.k8s.api.batch.v1.Job"),
    "cronjob": ("batch/v1", "io.k8s.api.batch.v1.CronJob"),
    "replicationcontroller": ("v1", "io.k8s.api.core.v1.ReplicationController"),
}
_ALIASES = {
    "pods": "pod",
    "po": "pod",
    "deployments": "deployment",
    "deploy": "deployment",
    "replicasets": "replicaset",
    "rs": "replicaset",
    "statefulsets": "statefulset",
    "sts": "statefulset",
    "daemonsets": "daemonset",
    "ds": "daemonset",
    "jobs": "job",
    "cronjobs": "cronjob",
    "cj": "cronjob",
    "replicationcontrollers": "replicationcontroller",
    "rc": "replicationcontroller",
}
_SPECIAL = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
}


# Fields the schema has before they can be used: behind a feature gate that is off by default.
# (the last two steps of a path) -> (first version where it is on by default, why)
_ENABLED_SINCE = {
    ("initContainers", "restartPolicy"): (
        "1.29",
        "native sidecar containers: in the schema from 1.28 behind the SidecarContainers "
        "feature gate, on by default from 1.29, stable in 1.33",
    ),
}


class UnknownFieldError(LookupError):
    """No such field in the schema of any shipped version."""


# --- building the prepared data (development time) -------------------------------------------


def _ref_name(node: dict) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _short(name: str) -> str:
    return _SPECIAL.get(name) or name.rsplit(".", 1)[-1]


def _type_of(node: dict, definitions: dict) -> tuple[str, str | None]:
    """kubectl explain's type label (``<string>``, ``<[]Container>``, ``<map[string]string>``)
    and the definition the path continues into (None for scalars)."""
    name = _ref_name(node)
    if name:
        target = definitions.get(name, {})
        if name in _SPECIAL or "properties" not in target:
            return _scalar_label(target, name), None
        return _short(name), name
    types = node.get("type")
    types = [types] if isinstance(types, str) else [t for t in types or [] if t != "null"]
    if "array" in types:
        label, below = _type_of(node.get("items") or {}, definitions)
        return "[]" + label, below
    if "object" in types and isinstance(node.get("additionalProperties"), dict):
        label, below = _type_of(node["additionalProperties"], definitions)
        return f"map[string]{label}", below
    if "object" in types:
        return "Object", None
    return (types[0] if types else "Object"), None


def _scalar_label(target: dict, name: str) -> str:
    if name in _SPECIAL:
        return _SPECIAL[name]
    types = target.get("type")
    types = [types] if isinstance(types, str) else [t for t in types or [] if t != "null"]
    return types[0] if types else _short(name)


def _reachable(definitions: dict) -> list[str]:
    seen: list[str] = []
    pending = [name for _, name in KINDS.values()]
    while pending:
        name = pending.pop()
        if name in seen or name not in definitions:
            continue
        seen.append(name)
        for prop in (definitions[name].get("properties") or {}).values():
            _, below = _type_of(prop, definitions)
            if below:
                pending.append(below)
    return sorted(seen)


def build() -> dict:
    """The prepared docs of every shipped version, from ``kubernetes_validate``'s schemas."""
    root = files("kubernetes_validate") / "kubernetes-json-schema"
    texts: dict[str, int] = {}

    def text_id(text: str | None) -> int:
        return texts.setdefault(text or "", len(texts))

    from podstudio.engine.schema import SUPPORTED_VERSIONS

    # per version: {definition: (description id, {field: (type, below, description id, req)})}
    per_version = []
    for version in SUPPORTED_VERSIONS:
        folder = root / f"v{version}.0-local-strict"
        definitions = json.loads((folder / "_definitions.json").read_text("utf-8"))["$defs"]
        types = {}
        for name in _reachable(definitions):
            definition = definitions[name]
            required = set(definition.get("required") or ())
            fields = {}
            for field_name, prop in sorted((definition.get("properties") or {}).items()):
                label, below = _type_of(prop, definitions)
                fields[field_name] = [
                    label,
                    below,
                    text_id(prop.get("description")),
                    field_name in required,
                ]
            types[name] = [text_id(definition.get("description")), fields]
        per_version.append(types)
    # runs of versions: [first version index, last version index, type, below, text, required]
    merged: dict[str, dict] = {}
    for index, types in enumerate(per_version):
        for name, (description, fields) in types.items():
            entry = merged.setdefault(name, {"runs": [], "fields": {}})
            _extend(entry["runs"], index, [description])
            for field_name, value in fields.items():
                _extend(entry["fields"].setdefault(field_name, []), index, value)
    return {
        "versions": list(SUPPORTED_VERSIONS),
        "kinds": {kind: list(value) for kind, value in KINDS.items()},
        "texts": list(texts),
        "types": merged,
    }


def _extend(runs: list, index: int, value: list) -> None:
    if runs and runs[-1][1] == index - 1 and runs[-1][2:] == value:
        runs[-1][1] = index
    else:
        runs.append([index, index, *value])


def write() -> None:
    DATA_FILE.write_text(json.dumps(build(), separators=(",", ":"), sort_keys=True) + "\n")


# --- reading ------------------------------------------------------------------------------------


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text("utf-8"))


def _run_for(runs: list, index: int) -> tuple[list, bool]:
    """The run that covers version ``index``, or the first one (and False) if none does."""
    for run in runs:
        if run[0] <= index <= run[1]:
            return run, True
    later = [run for run in runs if run[0] > index]
    return (later[0] if later else runs[-1]), False


_DEFAULT = compile_lazily(
    r"(?:^|[.;]\s+|\s)[Dd]efaults? (?:to|is|value is)\s+(.+?)(?:\.(?:\s|$)|$)"
)
_DEPRECATED = compile_lazily(r"\bdeprecated\b", re.IGNORECASE)
_TOKEN = compile_lazily(r"([^.\[\]]+)|\[([^\]]*)\]")


def _split(path: str) -> list[tuple[str, bool]]:
    """``spec.containers[0].env[*].name`` -> names, with map keys (``labels[app]``) marked."""
    parts = []
    # "spec.volumes[*]@kind": the builder's form names the choice of a structure this way
    for match in _TOKEN.finditer(path.strip().split("@", 1)[0]):
        name, bracket = match.groups()
        if name is not None:
            parts.append((name, False))
        elif bracket and bracket != "*" and not bracket.isdigit() and "=" not in bracket:
            parts.append((bracket, True))
    return parts


def _kind_of(parts: list[tuple[str, bool]]) -> tuple[str, list[tuple[str, bool]]]:
    if parts and not parts[0][1]:
        first = parts[0][0].lower()
        first = _ALIASES.get(first, first)
        if first in KINDS:
            return first, parts[1:]
    return "pod", parts


def kind_name(kind: str) -> str:
    """``statefulset`` -> ``StatefulSet``, as the API spells the kind."""
    return KINDS[kind][1].rsplit(".", 1)[-1]


def explain(path: str, version: str | None = None, kind: str | None = None) -> dict:
    """The docs of one field: ``{path, kind, type, description, default, required, deprecated,
    since, available, note, api_version, fields}``; ``available`` is False for a field newer
    than ``version``; ``fields`` lists the fields below an object (name, type, required).

    The kind is the path's first step (``deployment.spec``), else ``kind`` (any spelling
    kubectl takes: ``Deployment``, ``deploy``), else Pod.
    Raises ``UnknownFieldError`` for a path no shipped version has, or an unknown kind.
    """
    # The version is resolved first, so the cache never keeps a PODSTUDIO_K8S_VERSION read once.
    return _explain(path, _version(version, _data()["versions"]), kind)


@short_text_cache(8192)
def _explain(path: str, version: str, kind: str | None) -> dict:
    data = _data()
    index = data["versions"].index(version)
    named, parts = _kind_of(_split(path))
    kind = _chosen_kind(kind, named, len(parts) < len(_split(path)))
    definition = data["kinds"][kind][1]
    types = data["types"]
    description = data["texts"][_run_for(types[definition]["runs"], index)[0][2]]
    label, required, available, since = kind.capitalize(), False, True, data["versions"][0]
    walked = [kind]
    for name, is_map_key in parts:
        fields = types.get(definition, {}).get("fields", {}) if definition else {}
        if label.startswith("map[") and name not in fields:
            is_map_key = True  # resources.limits.cpu: a key of the map, written with a dot
        if is_map_key:
            if not label.startswith("map["):
                raise UnknownFieldError(f"{'.'.join(walked)} is not a map: {name!r} is no field")
            label = label.split("]", 1)[1]
            walked.append(f"[{name}]")
            continue
        if name not in fields:
            where = ".".join(walked)
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise UnknownFieldError(f'field "{name}" does not exist in {where}{hint}')
        parent = definition
        run, present = _run_for(types[definition]["fields"][name], index)
        label, definition, text, required = run[2], run[3], run[4], run[5]
        description = data["texts"][text]
        runs = types[parent]["fields"][name]
        since = max(since, data["versions"][runs[0][0]], key=_minor)
        available = available and present
        walked.append(name)
    children = []
    if definition is not None and not label.startswith("map["):
        for name, runs in types[definition]["fields"].items():
            run, present = _run_for(runs, index)
            if present:
                children.append({"name": name, "type": run[2], "required": run[5]})
    gated = _ENABLED_SINCE.get(tuple(walked[-2:]))
    if gated and _minor(gated[0]) > _minor(since):
        since = gated[0]
        available = available and _minor(version) >= _minor(gated[0])
    default = _DEFAULT.search(description)
    return {
        "path": ".".join(walked).replace(".[", "["),
        "kind": kind,
        "version": version,
        "type": label,
        "description": description,
        "default": default.group(1).strip() if default else None,
        "required": required,
        "deprecated": bool(_DEPRECATED.search(description[:200])),
        "since": since,
        "available": available,
        "note": gated[1] if gated else None,
        "api_version": data["kinds"][kind][0],
        "fields": children,
    }


def _chosen_kind(given: str | None, named: str, path_names_it: bool) -> str:
    if given is None:
        return named
    lowered = given.strip().lower()
    chosen = _ALIASES.get(lowered, lowered)
    if chosen not in KINDS:
        known = ", ".join(kind_name(kind) for kind in KINDS)
        raise UnknownFieldError(f'unknown kind "{given}": fields are explained for {known}')
    if path_names_it and named != chosen:
        raise UnknownFieldError(
            f"the path is a field of {kind_name(named)}, not of {kind_name(chosen)}"
        )
    return chosen


_VERSION = compile_lazily(r"^v?1\.(\d+)(?:\.\d+)?$")


def _version(version: str | None, shipped: list[str]) -> str:
    """``"1.33"``, ``"v1.33.2"``...; None is PODSTUDIO_K8S_VERSION, else the newest shipped.

    Reads versions from the prepared data, so explaining a field never loads the schemas."""
    chosen = version if version is not None else os.environ.get("PODSTUDIO_K8S_VERSION")
    if chosen is None or not str(chosen).strip():
        return shipped[-1]
    match = _VERSION.match(str(chosen).strip())
    if match and f"1.{int(match.group(1))}" in shipped:
        return f"1.{int(match.group(1))}"
    from podstudio.engine.schema import UnknownVersionError

    raise UnknownVersionError(
        f"unknown Kubernetes version {chosen!r}: "
        f"supported versions are {shipped[0]} to {shipped[-1]}"
    )


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def main(argv: list[str] | None = None) -> int:
    write()
    print(f"wrote {DATA_FILE}", file=sys.stderr)  # noqa: T201
    return 0


def field_docs(paths, version: str | None = None) -> dict[str, dict]:
    """The docs of many fields at once (e.g. every form field, by pattern such as
    ``spec.containers[*].image``), small enough to embed in a page or serve as one static
    JSON: ``{path: {type, description, default, required, deprecated, since, available,
    note}}``. Paths no shipped version has are left out."""
    found = {}
    for path in paths:
        try:
            doc = explain(path, version)
        except UnknownFieldError:
            continue
        found[path] = {
            key: doc[key]
            for key in (
                "type",
                "description",
                "default",
                "required",
                "deprecated",
                "since",
                "available",
                "note",
            )
        }
    return found


# --- docs embedded in a page --------------------------------------------------------------------


def document_patterns(data: object, kind: str = "pod", version: str | None = None) -> list[str]:
    """The pattern (list indexes as ``[*]``) of every key of a document that the schema knows,
    so a page can explain each key its YAML shows. The walk stops at maps (labels, limits) and
    at keys no shipped version has, and never looks deeper than the document goes."""
    found: dict[str, None] = {}

    def walk(value: object, path: str) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item, f"{path}[*]")
            return
        if not isinstance(value, dict):
            return
        for key in value:
            if not isinstance(key, str) or not key or any(c in key for c in ".[]@"):
                continue
            child = f"{path}.{key}" if path else key
            try:
                doc = explain(f"{kind}.{child}", version)
            except UnknownFieldError:
                continue
            found.setdefault(child)
            if not doc["type"].startswith("map["):
                walk(value[key], child)

    walk(data, "")
    return list(found)


def page_docs(patterns, kind: str = "pod", version: str | None = None) -> dict:
    """The docs of many paths of one kind, shaped to embed in a page once (static JS reads it):
    every description is stored once however many paths share it (containers and init
    containers, a field and its ``@kind`` switch), and paths share their common steps.

    ``{version, oldest, kind, texts: [...], docs: tree}``: the tree has a node per step
    (``spec`` > ``containers`` > ``[*]`` > ``image``; ``@kind`` is a step too) and a node's
    docs under ``"_"`` as ``[type, text, flags, default, since, note]`` without the trailing empty
    items: ``text`` and ``note`` index ``texts``; flags add up 1 required, 2 deprecated, 4 newer
    than ``version``; ``since`` is given only for fields newer than the oldest shipped
    version. ``page_doc`` reads one path back."""
    data = _data()
    chosen = _version(version, data["versions"])
    texts: dict[str, int] = {}
    tree: dict = {}
    for pattern in patterns:
        try:
            doc = explain(f"{kind}.{pattern}", chosen)
        except UnknownFieldError:
            continue
        flags = (
            (1 if doc["required"] else 0)
            | (2 if doc["deprecated"] else 0)
            | (0 if doc["available"] else 4)
        )
        since = doc["since"] if doc["since"] != data["versions"][0] else ""
        note = texts.setdefault(doc["note"], len(texts)) if doc["note"] else None
        text = texts.setdefault(doc["description"], len(texts))
        entry = [doc["type"], text, flags, doc["default"] or "", since, note]
        while entry[-1] in (None, "", 0) and len(entry) > 2:
            entry.pop()
        node = tree
        for step in _steps(pattern):
            node = node.setdefault(step, {})
        node["_"] = entry
    return {
        "version": chosen,
        "oldest": data["versions"][0],
        "kind": kind,
        "texts": list(texts),
        "docs": tree,
    }


_STEP = compile_lazily(r"\[\*\]|@[^.\[]+|[^.\[@]+")


def _steps(pattern: str) -> list[str]:
    """``spec.containers[*].livenessProbe@kind`` -> spec, containers, [*], livenessProbe, @kind."""
    return _STEP.findall(pattern)


def page_doc(bundle: dict, pattern: str) -> dict | None:
    """One path's docs read back from ``page_docs`` (as the page's script reads them)."""
    node = bundle["docs"]
    for step in _steps(pattern):
        node = node.get(step)
        if node is None:
            return None
    entry = node.get("_")
    if entry is None:
        return None
    entry = entry + [0, "", "", None][len(entry) - 2 :]
    return {
        "type": entry[0],
        "description": bundle["texts"][entry[1]],
        "required": bool(entry[2] & 1),
        "deprecated": bool(entry[2] & 2),
        "available": not entry[2] & 4,
        "default": entry[3] or None,
        "since": entry[4] or bundle["oldest"],
        "note": bundle["texts"][entry[5]] if entry[5] is not None else None,
    }


if __name__ == "__main__":
    sys.exit(main())
