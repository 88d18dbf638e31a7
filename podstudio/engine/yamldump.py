"""Canonical YAML out: a manifest written the builder's way, whatever order its keys came in.

Keys follow Kubernetes' own field order (``ordered_keys``), strings are quoted only where go-yaml
v2 would read them as something else, and the result reads back (``yamlio.load_manifest``) as
the same data. ``yamlwrite`` writes an edit's new text inside an author's file with the same
key order.
"""

from functools import lru_cache
from typing import Any

import yaml

from podstudio.engine import goyaml
from podstudio.engine.memo import short_text_cache
from podstudio.engine.patterns import compile_lazily

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Preferred key order, by key name. Kubernetes' own field order for the types a Pod holds;
# keys not listed follow, in alphabetical order, so the output never depends on input order.
# ("status" is left out on purpose: it follows spec at the top, and in a condition "type"
# comes first.)
_KEY_ORDER = [
    # object
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    # workload specs: the controller's own fields, then its template
    "schedule",
    "timeZone",
    "concurrencyPolicy",
    "replicas",
    "completions",
    "parallelism",
    "backoffLimit",
    "serviceName",
    "selector",
    "template",
    "jobTemplate",
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
    "type",
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


def ordered_keys(mapping: dict, parent_key: str | None) -> list:
    if parent_key in _FREE_FORM:
        return sorted(mapping)
    return sorted(mapping, key=lambda k: (_RANK.get(k, _UNRANKED), k))


def _ordered(value: Any, parent_key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {key: _ordered(value[key], key) for key in ordered_keys(value, parent_key)}
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
    if value and not goyaml.reads_as_string(value):
        # libyaml would write ``y``, ``1e3`` or ``0o644`` plain; kubectl would read them back
        # as a boolean or a number, so they are quoted.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_TRAILING_SPACE = compile_lazily(r"[ \t]\n|[ \t]$")

_CanonicalDumper.add_representer(str, _represent_str)

_WIDTH = 100


def _libyaml_dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=_WIDTH,
        indent=2,
    )


# --- the fast writer: the same text as libyaml for the usual manifest, without building nodes.
# Each string is written as libyaml writes it (plain, quoted or escaped): asked once per string,
# then remembered. Anything unusual (floats, multi-line or very long strings, long keys, other
# types) makes the writer give up, and libyaml writes the whole document instead.


class _Unusual(Exception):
    """Something the fast writer leaves to libyaml."""


# Letters, digits and ``_./-`` after a letter: libyaml writes these plain unless the text reads
# as something else (``true``, ``null``, ``y``), which the dumper's own resolver and go-yaml's
# tell.
_PLAIN_WORD = compile_lazily(r"[A-Za-z][A-Za-z0-9_./-]*")
_dump_resolver = yaml.resolver.Resolver()


@short_text_cache(8192)
def _string_as_value(text: str) -> str | None:
    if (
        _PLAIN_WORD.fullmatch(text)
        and _dump_resolver.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
        and goyaml.reads_as_string(text)
    ):
        return text
    out = _libyaml_dump({"k": text})
    if out.count("\n") != 1 or not out.startswith("k: "):
        return None
    return out[3:-1]


@short_text_cache(8192)
def _string_as_key(text: str) -> str | None:
    out = _libyaml_dump({text: None})
    if out.count("\n") != 1 or not out.endswith(": null\n"):
        return None
    return out[: -len(": null\n")]


def _scalar_text(value: Any, column: int) -> str:
    """A scalar as libyaml writes it in block context, starting at ``column``."""
    kind = type(value)
    if kind is str:
        if len(value) > 200 or "\n" in value:
            raise _Unusual
        text = _string_as_value(value)
        # libyaml folds a long line at a space: leave those to it.
        if text is None or (column + len(text) > _WIDTH and " " in text):
            raise _Unusual
        return text
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    raise _Unusual


def _key_text(key: Any) -> str:
    if type(key) is not str or len(key) > 100:
        raise _Unusual
    text = _string_as_key(key)
    if text is None:
        raise _Unusual
    return text


def _key_layout(keys: tuple, parent_key: str | None) -> tuple[tuple[str, str], ...]:
    """Each key in canonical order with its text."""
    if not all(type(key) is str for key in keys):
        raise _Unusual
    return tuple((key, _key_text(key)) for key in ordered_keys(dict.fromkeys(keys), parent_key))


# A Pod repeats the same few sets of keys (every container has name, image...): lay each set
# out once. Large maps are not kept.
_cached_key_layout = lru_cache(maxsize=4096)(_key_layout)


def _write_mapping(
    mapping: dict, parent_key: str | None, indent: int, out: list[str], inline: bool
) -> None:
    """A non-empty block mapping; ``inline``: the first key follows a ``- `` already written."""
    pad = " " * indent
    keys = tuple(mapping)
    layout = (
        _cached_key_layout(keys, parent_key) if len(keys) <= 32 else _key_layout(keys, parent_key)
    )
    for key, key_text in layout:
        if inline:
            inline = False
        else:
            out.append(pad)
        out.append(key_text)
        value = mapping[key]
        kind = type(value)
        if kind is dict:
            if value:
                out.append(":\n")
                _write_mapping(value, key, indent + 2, out, False)
            else:
                out.append(": {}\n")
        elif kind is list:
            if value:
                out.append(":\n")
                _write_sequence(value, key, indent, out, False)
            else:
                out.append(": []\n")
        else:
            out.append(": ")
            out.append(_scalar_text(value, indent + len(key_text) + 2))
            out.append("\n")


def _write_sequence(
    items: list, parent_key: str | None, indent: int, out: list[str], inline: bool
) -> None:
    """A non-empty block sequence with its dashes at ``indent``."""
    pad = " " * indent
    for item in items:
        if inline:
            inline = False
            out.append("- ")
        else:
            out.append(pad + "- ")
        kind = type(item)
        if kind is dict:
            if item:
                _write_mapping(item, parent_key, indent + 2, out, True)
            else:
                out.append("{}\n")
        elif kind is list:
            if item:
                _write_sequence(item, parent_key, indent + 2, out, True)
            else:
                out.append("[]\n")
        else:
            out.append(_scalar_text(item, indent + 2))
            out.append("\n")


def dump_manifest(manifest: dict) -> str:
    """Canonical YAML for a manifest: same data in, same text out."""
    if type(manifest) is dict and manifest:
        out: list[str] = []
        try:
            _write_mapping(manifest, None, 0, out, False)
        except _Unusual:
            pass
        else:
            return "".join(out)
    return _libyaml_dump(_ordered(manifest))
