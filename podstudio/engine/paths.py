"""Field paths and defensive access to manifests that may not have the right shape.

Every check in the engine reports a field path in the API server's notation
(``spec.containers[0].securityContext.runAsNonRoot``) and must never crash on a manifest
whose types are wrong: the schema reports those, the other checks skip what they cannot read.
"""

from collections.abc import Iterator
from typing import Any

from podstudio.engine.patterns import compile_lazily

# (field name in the Pod spec, whether its entries are "init" containers for ordering purposes)
CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def join(base: str, key: str | int) -> str:
    """Extends a field path: ``join("spec", "containers")``, ``join("spec.containers", 0)``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def join_key(base: str, key: str) -> str:
    """Extends a path with a map key: ``metadata.labels[app.kubernetes.io/name]``."""
    return f"{base}[{key}]"


def get(data: Any, *keys: str | int, default: Any = None) -> Any:
    """Reads a nested value, returning ``default`` if any step is missing or of the wrong type."""
    current = data
    for key in keys:
        if isinstance(key, int):
            if not isinstance(current, list) or not -len(current) <= key < len(current):
                return default
            current = current[key]
        else:
            if not isinstance(current, dict) or key not in current:
                return default
            current = current[key]
    return current


def pod_spec(pod: Any) -> dict:
    return as_dict(as_dict(pod).get("spec"))


def iter_containers(
    spec: dict, fields: tuple[str, ...] = CONTAINER_FIELDS
) -> Iterator[tuple[str, str, dict]]:
    """Yields ``(field, path, container)`` for every container-shaped entry of a Pod spec."""
    for field in fields:
        for index, container in enumerate(as_list(spec.get(field))):
            if isinstance(container, dict):
                yield field, f"spec.{field}[{index}]", container


_PATH_TOKEN = compile_lazily(r"([^.\[\]]+)|\[([^\]]*)\]")
_INDEX_DIGITS = 18
_PAST_ANY_LIST = 10**_INDEX_DIGITS


def path_to_keys(path: str) -> list[str | int]:
    """Splits ``spec.containers[0].name`` into ``["spec", "containers", 0, "name"]``.

    A bracketed part that is not a number is a map key, as in
    ``metadata.labels[app.kubernetes.io/name]``.
    """
    keys: list[str | int] = []
    for match in _PATH_TOKEN.finditer(path):
        name, bracket = match.groups()
        if name is not None:
            keys.append(name)
        elif bracket.isascii() and bracket.isdigit():  # "[²]" is a key, not an index
            # (An index of more digits is past any list; int() refuses over 4,300 of them.)
            keys.append(int(bracket) if len(bracket) <= _INDEX_DIGITS else _PAST_ANY_LIST)
        else:
            keys.append(bracket)
    return keys


def keys_to_path(keys: list[str | int] | tuple[str | int, ...]) -> str:
    """The inverse of ``path_to_keys``; keys with dots or slashes are written in brackets."""
    path = ""
    for key in keys:
        if isinstance(key, str) and ("." in key or "/" in key or not key):
            path = join_key(path, key)
        else:
            path = join(path, key)
    return path
