"""The downward API, shared by env variables and volume files (``validateObjectFieldSelector``,
``validateContainerResourceFieldSelector``, ``validateContainerResourceDivisor``)."""

from typing import Any

from podstudio.engine.paths import join
from podstudio.engine.quantity import QuantityError, canonical_quantity
from podstudio.engine.validation.checker import Checker, as_text, is_empty, one_of
from podstudio.engine.validation.files import check_local_non_reserved_path, check_mode, check_user
from podstudio.engine.validation.formats import go_lower, qualified_name_errors

ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
VOLUME_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
)
# ConvertDownwardAPIFieldLabel: what a v1 fieldRef may name at all.
_CONVERTIBLE = frozenset(
    {
        "metadata.annotations",
        "metadata.labels",
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.serviceAccountName",
        "spec.schedulerName",
        "status.phase",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
    }
)
RESOURCE_FIELDS = (
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
)
_HUGEPAGES_PREFIXES = ("requests.hugepages-", "limits.hugepages-")
_BYTES_DIVISORS = ("1", "1k", "1M", "1G", "1T", "1P", "1E")
_BYTES_DIVISORS += ("1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")


def _split_subscript(path: str) -> tuple[str, str] | None:
    """fieldpath.SplitMaybeSubscriptedPath: ``metadata.labels['app']`` -> (path, subscript)."""
    if not path.endswith("']"):
        return None
    head, separator, subscript = path[:-2].partition("['")
    if not separator or not head:
        return None
    return head, subscript


def check_object_field_selector(
    c: Checker, selector: dict, allowed: tuple[str, ...], path: str
) -> None:
    api_version = selector.get("apiVersion")
    if api_version is None or api_version == "":
        api_version = "v1"  # SetDefaults_ObjectFieldSelector
    field_path = selector.get("fieldPath")
    if field_path is None:
        field_path = ""  # a fieldRef without fieldPath (``fieldRef: {}``) is one without a path
    if not isinstance(api_version, str) or not isinstance(field_path, str):
        return
    if not field_path:
        c.required(join(path, "fieldPath"))
        return
    if api_version != "v1":
        c.add(join(path, "fieldPath"), f"unsupported pod version: {api_version}")
        return
    subscripted = _split_subscript(field_path)
    if subscripted is not None:
        head, subscript = subscripted
        if head not in ("metadata.annotations", "metadata.labels"):
            c.add(join(path, "fieldPath"), f"field label does not support subscript: {field_path}")
            return
        key = go_lower(subscript) if head == "metadata.annotations" else subscript
        c.add_all(path, qualified_name_errors(key))
        return
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in _CONVERTIBLE:
        c.add(join(path, "fieldPath"), f"field label not supported: {field_path}")
    elif internal not in allowed:
        c.add(join(path, "fieldPath"), one_of(allowed))


def check_resource_field_selector(c: Checker, selector: dict, path: str, volume: bool) -> None:
    container = selector.get("containerName")
    resource = selector.get("resource")
    if volume and is_empty(container):
        c.required(join(path, "containerName"))
    elif is_empty(resource):
        c.required(join(path, "resource"))
    elif (
        isinstance(resource, str)
        and resource not in RESOURCE_FIELDS
        and not resource.startswith(_HUGEPAGES_PREFIXES)
    ):
        c.add(join(path, "resource"), one_of(RESOURCE_FIELDS))
    _check_divisor(c, as_text(resource) or "", selector.get("divisor"), path)


def _check_divisor(c: Checker, resource: str, divisor: Any, path: str) -> None:
    if divisor is None or isinstance(divisor, bool):
        return
    try:
        text = canonical_quantity(divisor)
    except QuantityError:
        return  # not a quantity: the schema reports it
    if text == "0":
        return  # the zero quantity means "not set"
    if resource in ("limits.cpu", "requests.cpu"):
        if text not in ("1m", "1"):
            c.add(join(path, "divisor"), "only 1m and 1 are supported with the cpu resource")
    elif resource in ("limits.memory", "requests.memory", "limits.ephemeral-storage"):
        if text not in _BYTES_DIVISORS:
            c.add(join(path, "divisor"), "only 1, 1k, 1M, ... 1Ki, 1Mi, ... are supported here")
    elif resource == "requests.ephemeral-storage" and text not in _BYTES_DIVISORS:
        c.add(join(path, "divisor"), "only 1, 1k, 1M, ... 1Ki, 1Mi, ... are supported here")
    if resource.startswith(_HUGEPAGES_PREFIXES) and text not in _BYTES_DIVISORS:
        c.add(join(path, "divisor"), "only 1, 1k, 1M, ... 1Ki, 1Mi, ... are supported here")


def check_downward_file(c: Checker, item: dict, path: str) -> None:
    """validateDownwardAPIVolumeFile; ``path`` is where upstream reports (without the item's
    index: ``spec.volumes[0].downwardAPI.path``)."""
    target = item.get("path")
    if is_empty(target):
        c.required(join(path, "path"))
    if isinstance(target, str):
        check_local_non_reserved_path(c, target, join(path, "path"))
    field_ref = item.get("fieldRef")
    resource_ref = item.get("resourceFieldRef")
    if isinstance(field_ref, dict):
        check_object_field_selector(c, field_ref, VOLUME_FIELD_PATHS, join(path, "fieldRef"))
        if resource_ref is not None:
            c.add(path, "fieldRef and resourceFieldRef can not be specified simultaneously")
    elif isinstance(resource_ref, dict):
        check_resource_field_selector(c, resource_ref, join(path, "resourceFieldRef"), True)
    elif field_ref is None and resource_ref is None:
        c.add(path, "one of fieldRef and resourceFieldRef is required")
    check_mode(c, item, "mode", path)
    check_user(c, item, "user", path)
