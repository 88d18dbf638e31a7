"""Safe YAML in, canonical YAML out.

Reading follows what ``kubectl`` does with a manifest (YAML 1.1 scalars as in sigs.k8s.io/yaml:
``0440`` is the integer 288, ``yes`` is true, dates stay strings), but refuses anything that
could make a small input expensive: more than 1 MiB, nesting deeper than ``MAX_DEPTH``, aliases
that expand past ``MAX_NODES`` nodes, recursive aliases, more than one document, and every tag
that would build something other than plain data.

The reader builds the data in one iterative pass over libyaml's events, so neither deep nesting
nor alias bombs reach a recursive composer.
"""

import copy
import json
import re
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 50_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_ALLOWED_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


_TAGGED_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NO_KEY = object()  # a mapping waiting for its next key


class ManifestError(ValueError):
    """The input cannot be read as one Pod manifest. The message is one line, for people."""


class _ScalarResolver(yaml.resolver.Resolver):
    """YAML 1.1 plain scalars as Kubernetes reads them: no timestamps, no ``=`` values."""


_ScalarResolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
    ]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}

_resolver = _ScalarResolver()
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:str": _constructor.construct_yaml_str,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:merge": _constructor.construct_yaml_str,  # "<<", merged by the mapping
}


def _where(event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        if event.implicit[0]:
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:
            tag = "tag:yaml.org,2002:str"
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return _SCALAR_BUILDERS[tag](node)
    except (ValueError, yaml.YAMLError):
        raise ManifestError(f"{_where(event)}{event.value!r} is not a valid {tag[18:]}") from None


def _key(value: Any, event: Any) -> str:
    """Map keys become strings, as when Kubernetes turns YAML into JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return str(value)
    raise ManifestError(f"{_where(event)}a mapping key must be a plain value, not a collection")


def _parse(text: str) -> Any:
    """Builds plain data from libyaml's events without recursion, enforcing every limit."""
    documents: list[Any] = []
    # Each open collection:
    # [container, anchor, size, pending_key, key_event, start_event, keys_from_merges]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    total = 0

    def add(value: Any, size: int, event: Any) -> None:
        nonlocal total
        total += size
        if total > MAX_NODES:
            raise ManifestError(
                f"{_where(event)}the document is too large once aliases are expanded "
                f"(more than {MAX_NODES} values)"
            )
        if not stack:
            documents.append(value)
            return
        top = stack[-1]
        top[2] += size
        container = top[0]
        if isinstance(container, list):
            container.append(value)
        elif top[3] is _NO_KEY:
            top[3] = _key(value, event)
            top[4] = event
        else:
            key, key_event, merged = top[3], top[4], top[6]
            top[3] = _NO_KEY
            if key == "<<" and key_event.tag is None and not key_event.style:
                _merge(container, value, merged, key_event)
                return
            if key in container and key not in merged:
                raise ManifestError(
                    f"{_where(key_event)}the key {key!r} appears twice in one mapping"
                )
            merged.discard(key)
            container[key] = value

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _TAGGED_EVENTS) and event.tag not in _ALLOWED_TAGS:
                raise ManifestError(
                    f"{_where(event)}the tag {event.tag} is not allowed: "
                    "a Pod manifest holds only plain values, lists and mappings"
                )
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                add(value, 1, event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise ManifestError(f"{_where(event)}nesting is deeper than {MAX_DEPTH} levels")
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                if event.anchor:
                    open_anchors.add(event.anchor)
                stack.append([container, event.anchor, 0, _NO_KEY, None, event, set()])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                container, anchor, size, _, _, start, _ = stack.pop()
                if anchor:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (container, size + 1)
                # The children were counted as they arrived; count the collection itself.
                total -= size
                add(container, size + 1, start)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    raise ManifestError(
                        f"{_where(event)}the alias *{event.anchor} refers to itself"
                    )
                if event.anchor not in anchors:
                    raise ManifestError(f"{_where(event)}the alias *{event.anchor} is not defined")
                value, size = anchors[event.anchor]
                if total + size > MAX_NODES:
                    add(None, size, event)  # raises with the size message
                add(copy.deepcopy(value) if isinstance(value, dict | list) else value, size, event)
            elif isinstance(event, yaml.DocumentStartEvent) and documents[-1:] not in ([], [None]):
                raise ManifestError(
                    f"{_where(event)}found more than one YAML document: give one Pod at a time"
                )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "not valid YAML"
        raise ManifestError(f"{where}{problem}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"not valid YAML: {str(exc).splitlines()[0]}") from None
    present = [doc for doc in documents if doc is not None]
    if len(present) > 1:
        raise ManifestError("found more than one YAML document: give one Pod at a time")
    return present[0] if present else None




def _merge(container: dict, value: Any, merged: set[str], event: Any) -> None:
    """``<<: *defaults`` as YAML 1.1 (and kubectl) read it: keys set explicitly win."""
    sources = value if isinstance(value, list) else [value]
    if not all(isinstance(source, dict) for source in sources):
        raise ManifestError(
            f"{_where(event)}a merge key (<<) needs a mapping or a list of mappings"
        )
    for source in sources:
        for key, item in source.items():
            if key not in container:
                container[key] = item
                merged.add(key)


def _decode(data: str | bytes) -> str:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ManifestError(f"the input is larger than {MAX_BYTES // 1024} KiB")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ManifestError("the input is not UTF-8 text") from None
    else:
        text = data
        if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise ManifestError(f"the input is larger than {MAX_BYTES // 1024} KiB")
    if "\x00" in text:
        raise ManifestError("the input is binary, not YAML or JSON text")
    return text


def load_manifest(data: str | bytes) -> dict:
    """Reads one Pod manifest from YAML or JSON text, or raises ``ManifestError``."""
    text = _decode(data)
    if not text.strip():
        raise ManifestError("the input is empty: paste a Pod manifest")
    manifest = _parse(text)
    if manifest is None:
        raise ManifestError("the input holds no manifest, only comments or an empty document")
    return check_pod_shape(manifest)


def check_pod_shape(manifest: Any) -> dict:
    """Accepts data only if it is a mapping that says ``kind: Pod``."""
    if not isinstance(manifest, dict):
        kind = "a list" if isinstance(manifest, list) else f"a single value ({manifest!r:.40})"
        raise ManifestError(
            f"a Pod manifest is a mapping with apiVersion, kind and spec, not {kind}"
        )
    kind = manifest.get("kind")
    if kind is None:
        raise ManifestError("the manifest has no kind: a Pod manifest says `kind: Pod`")
    if kind != "Pod":
        raise ManifestError(
            f"this is a {kind!s:.60}, not a Pod: Pod Studio reads manifests of kind: Pod"
        )
    return manifest


# --- writing ---------------------------------------------------------------------------------

# Preferred key order, by key name. Kubernetes' own field order for the types a Pod holds;
# keys not listed follow, in alphabetical order, so the output never depends on input order.
_KEY_ORDER = [
    # object
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "status",
    # metadata
    "name",
    "generateName",
    "namespace",
    "labels",
    "annotations",
    # pod spec
    "initContainers",
    "containers",
    "ephemeralContainers",
    "volumes",
    # container
    "image",
    "imagePullPolicy",
    "command",
    "args",
    "workingDir",
    "ports",
    "env",
    "envFrom",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "securityContext",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "stdin",
    "stdinOnce",
    "tty",
    # ports, env, mounts
    "containerPort",
    "hostPort",
    "hostIP",
    "protocol",
    # env and tolerations
    "key",
    "operator",
    "value",
    "valueFrom",
    "effect",
    "tolerationSeconds",
    "mountPath",
    "subPath",
    "subPathExpr",
    "readOnly",
    # resources
    "requests",
    "limits",
    "claims",
    # probes
    "exec",
    "httpGet",
    "tcpSocket",
    "grpc",
    "path",
    "port",
    "host",
    "scheme",
    "httpHeaders",
    "service",
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "successThreshold",
    "failureThreshold",
    "terminationGracePeriodSeconds",
]
_RANK = {key: index for index, key in enumerate(_KEY_ORDER)}
_UNRANKED = len(_KEY_ORDER)

# Maps whose keys are the user's data (label names, env-like maps): plain alphabetical order.
_FREE_FORM = {
    "labels",
    "annotations",
    "nodeSelector",
    "matchLabels",
    "data",
    "binaryData",
    "requests",
    "limits",
    "capacity",
    "allocatable",
    "overhead",
}


def _ordered(value: Any, parent_key: str | None = None) -> Any:
    if isinstance(value, dict):
        if parent_key in _FREE_FORM:
            keys = sorted(value)
        else:
            keys = sorted(value, key=lambda k: (_RANK.get(k, _UNRANKED), k))
        return {key: _ordered(value[key], key) for key in keys}
    if isinstance(value, list):
        return [_ordered(item, parent_key) for item in value]
    return value


class _CanonicalDumper(_Dumper):
    """Block style, no aliases, literal blocks for multi-line strings."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not _TRAILING_SPACE.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_TRAILING_SPACE = re.compile(r"[ \t]\n|[ \t]$")

_CanonicalDumper.add_representer(str, _represent_str)


def dump_manifest(manifest: dict) -> str:
    """Canonical YAML for a manifest: same data in, same text out."""
    return yaml.dump(
        _ordered(manifest),
        Dumper=_CanonicalDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
        indent=2,
    )
