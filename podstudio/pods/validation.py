"""What the API server would reject in a Pod, as plain messages at exact field paths.

Two layers, as in Kubernetes itself: the OpenAPI schema of the chosen version (types, unknown
and required fields; see ``schema``), then the rules the schema cannot express, taken from
``pkg/apis/core/validation/validation.go`` (``ValidatePodCreate`` and what it calls) and from
apimachinery's name and label validation. The server validates the object *after* defaulting,
so a field left out here is treated as its default (``protocol`` as TCP, ``successThreshold``
as 1 ...) and only values the user wrote can fail.

Rules read the manifest defensively: a value of the wrong type is the schema's to report, so the
rules skip it. Messages are short and written for people learning Kubernetes.

Not covered (the API server may still reject these): resource claims and dynamic resource
allocation, volume devices, the legacy volume plugins beyond their required fields, most
projected volume sources, Windows host-process details, and rules that depend on the cluster
(e.g. privileged containers disallowed by kubelet flags). Alpha features count as switched off.
"""

import ipaddress
import logging
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache, wraps
from typing import Any

from podstudio.pods.paths import as_dict, as_list, join, join_key
from podstudio.pods.quantity import QuantityError, parse_quantity
from podstudio.pods.results import FieldError
from podstudio.pods.schema import (
    QUANTITY_MESSAGE,
    resolve_version,
    schema_errors,
    version_tuple,
)

logger = logging.getLogger(__name__)

# --- names, labels and other formats (k8s.io/apimachinery/pkg/util/validation) -----------------

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS_SUBDOMAIN_UNDERSCORE = re.compile(
    r"[_a-z0-9]([-_a-z0-9]*[a-z0-9])?(\.[_a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
)
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_ENV_VAR_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_CONFIG_MAP_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")
_HTTP_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+")
_SYSCTL_NAME = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")

MAX_INT32 = 2**31 - 1
MAX_ANNOTATIONS_BYTES = 256 * 1024

_DNS_LABEL_HINT = (
    "must be a DNS label: lowercase letters, digits and '-', "
    "starting and ending with a letter or digit (e.g. 'my-name')"
)
_DNS_SUBDOMAIN_HINT = (
    "must be a DNS subdomain: lowercase letters, digits, '-' and '.', "
    "starting and ending with a letter or digit (e.g. 'example.com')"
)
_NAME_PART_HINT = (
    "must consist of letters, digits, '-', '_' or '.', "
    "starting and ending with a letter or digit (e.g. 'MyName' or 'my.name')"
)


def _cached_check(check: Callable[..., list[str]]) -> Callable[..., tuple[str, ...]]:
    """Name checks are pure functions of short strings that come back on every keystroke
    (label keys, container names, resource names): answer each once per process."""
    cached = lru_cache(maxsize=4096)(lambda *args: tuple(check(*args)))

    @wraps(check)
    def answer(value: str, *args: Any) -> tuple[str, ...]:
        return cached(value, *args) if len(value) <= 256 else tuple(check(value, *args))

    return answer


_LABEL_VALUE_HINT = (
    "must be empty or consist of letters, digits, '-', '_' or '.', "
    "starting and ending with a letter or digit"
)


def _name_errors(value: str, max_length: int, pattern: re.Pattern, hint: str) -> list[str]:
    errors = []
    if len(value) > max_length:
        errors.append(f"must be no more than {max_length} characters")
    if not pattern.fullmatch(value):
        errors.append(hint)
    return errors


@_cached_check
def dns_label_errors(value: str) -> list[str]:
    return _name_errors(value, 63, _DNS_LABEL, _DNS_LABEL_HINT)


@_cached_check
def dns_subdomain_errors(value: str) -> list[str]:
    return _name_errors(value, 253, _DNS_SUBDOMAIN, _DNS_SUBDOMAIN_HINT)


@_cached_check
def qualified_name_errors(value: str) -> list[str]:
    """Label keys, annotation keys and the like: ``[prefix/]name``."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["must be a name with an optional DNS subdomain prefix and '/' (e.g. 'x.io/name')"]
    errors = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend(f"prefix part {message}" for message in dns_subdomain_errors(prefix))
    if not name:
        errors.append("name part must be non-empty")
        return errors
    if len(name) > 63:
        errors.append("name part must be no more than 63 characters")
    if not _QUALIFIED_NAME.fullmatch(name):
        errors.append(f"name part {_NAME_PART_HINT}")
    return errors


@_cached_check
def label_value_errors(value: str) -> list[str]:
    return _name_errors(value, 63, _LABEL_VALUE, _LABEL_VALUE_HINT)


@_cached_check
def port_name_errors(value: str) -> list[str]:
    """IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens, one letter."""
    errors = []
    if len(value) > 15:
        errors.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.fullmatch(value):
        errors.append("must contain only lowercase letters, digits and '-'")
    elif not re.search(r"[a-z]", value):
        errors.append("must contain at least one letter (a-z)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen")
    return errors


def port_number_errors(value: int) -> list[str]:
    return [] if 1 <= value <= 65535 else ["must be between 1 and 65535, inclusive"]


@_cached_check
def env_var_name_errors(value: str, relaxed: bool) -> list[str]:
    if relaxed:
        if all(32 <= ord(char) <= 126 and char != "=" for char in value):
            return []
        return ["must consist only of printable ASCII characters other than '='"]
    if _ENV_VAR_NAME.fullmatch(value):
        return []
    return ["must consist of letters, digits, '_', '-' or '.', and must not start with a digit"]


@_cached_check
def config_map_key_errors(value: str) -> list[str]:
    errors = []
    if len(value) > 253:
        errors.append("must be no more than 253 characters")
    if not _CONFIG_MAP_KEY.fullmatch(value):
        errors.append("must consist of letters, digits, '-', '_' or '.'")
    if value in (".", ".."):
        errors.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return errors


def _ip_errors(value: str) -> list[str]:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    return []


def _mask_trailing_dash(name: str) -> str:
    """``generateName`` may end in '-': the server appends random characters after it."""
    return name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name


# --- the checker --------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _empty(value: Any) -> bool:
    """Unset or blank; a value of another type is the schema's to report."""
    return value is None or value == ""


def _is_set(data: dict, key: str) -> bool:
    return data.get(key) is not None


def _quantity(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return parse_quantity(value)
    except (QuantityError, ValueError, ArithmeticError, TypeError, NotImplementedError):
        return None


def _one_of(values: tuple[str, ...]) -> str:
    return "must be one of: " + ", ".join(values)


class _Checker:
    """Collects errors while the rules walk one Pod; knows the version's feature set."""

    def __init__(self, version: str) -> None:
        self.errors: list[FieldError] = []
        minor = version_tuple(version)
        self.sidecars = minor >= (1, 29)
        self.relaxed_env_names = minor >= (1, 32)
        self.relaxed_dns_search = minor >= (1, 33)
        self.sleep_zero_allowed = minor >= (1, 33)
        self.pod_resources = minor >= (1, 34)

    def add(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path=path, message=message))

    def add_all(self, path: str, messages: list[str]) -> None:
        for message in messages:
            self.add(path, message)

    def required(self, path: str) -> None:
        field = path.rsplit(".", 1)[-1]
        self.add(path, f'required field "{field}" is missing')

    def enum(self, data: dict, key: str, path: str, allowed: tuple[str, ...]) -> None:
        value = _text(data.get(key))
        if value is not None and value not in allowed:
            self.add(join(path, key), _one_of(allowed))

    def int_range(self, data: dict, key: str, path: str, low: int, high: int) -> None:
        value = _integer(data.get(key))
        if value is not None and not low <= value <= high:
            self.add(join(path, key), f"must be between {low} and {high}, inclusive")

    def non_negative(self, data: dict, key: str, path: str) -> None:
        value = _integer(data.get(key))
        if value is not None and value < 0:
            self.add(join(path, key), "must be greater than or equal to 0")

    def name_like(self, data: dict, key: str, path: str, check: Any) -> None:
        """Validates a string field with ``check`` when it is set and not empty."""
        value = _text(data.get(key))
        if value:
            self.add_all(join(path, key), check(value))


# --- metadata (ValidateObjectMeta) --------------------------------------------------------------


def _check_labels(c: _Checker, labels: Any, path: str) -> None:
    for key, value in as_dict(labels).items():
        if not isinstance(key, str):
            continue
        key_path = join_key(path, key)
        c.add_all(key_path, [f"key {message}" for message in qualified_name_errors(key)])
        if isinstance(value, str):
            c.add_all(key_path, label_value_errors(value))


def _check_metadata(c: _Checker, metadata: dict) -> None:
    name = _text(metadata.get("name"))
    generate_name = _text(metadata.get("generateName"))
    wrong_type = _is_set(metadata, "name") and name is None
    if not name and not generate_name and not wrong_type:
        c.add("metadata.name", "name or generateName is required")
    if name:
        c.add_all("metadata.name", dns_subdomain_errors(name))
    elif generate_name:
        c.add_all("metadata.generateName", dns_subdomain_errors(_mask_trailing_dash(generate_name)))
    c.name_like(metadata, "namespace", "metadata", dns_label_errors)
    _check_labels(c, metadata.get("labels"), "metadata.labels")

    annotations = as_dict(metadata.get("annotations"))
    total = 0
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        total += len(key) + (len(value) if isinstance(value, str) else 0)
        messages = qualified_name_errors(key.lower())
        c.add_all(join_key("metadata.annotations", key), [f"key {m}" for m in messages])
    if total > MAX_ANNOTATIONS_BYTES:
        c.add("metadata.annotations", f"must have at most {MAX_ANNOTATIONS_BYTES} bytes in total")
    cost = annotations.get("controller.kubernetes.io/pod-deletion-cost")
    if isinstance(cost, str):
        path = join_key("metadata.annotations", "controller.kubernetes.io/pod-deletion-cost")
        if not re.fullmatch(r"[-+]?\d+", cost.strip()) or not -(2**31) <= int(cost) <= MAX_INT32:
            c.add(path, "must be a 32bit integer")

    for index, finalizer in enumerate(as_list(metadata.get("finalizers"))):
        if not isinstance(finalizer, str):
            continue
        path = f"metadata.finalizers[{index}]"
        messages = qualified_name_errors(finalizer)
        c.add_all(path, messages)
        if not messages and "/" not in finalizer and finalizer != "kubernetes":
            c.add(path, "must be fully qualified, like example.com/cleanup")


# --- volumes (ValidateVolumes) --------------------------------------------------------------------

# In the order validateVolumeSource looks at them: the second one set is the one reported.
VOLUME_SOURCES = (
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
)
HOST_PATH_TYPES = (
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
)
FILE_MODE_MESSAGE = "must be a number between 0 and 0777 (octal), both inclusive"


def _backstep_errors(path: str) -> list[str]:
    return ["must not contain '..'"] if ".." in re.split(r"[/\\]", path) else []


def _relative_path_errors(path: str) -> list[str]:
    """validateLocalDescendingPath: relative and without ``..`` elements."""
    errors = []
    if path.startswith(("/", "\\")):
        errors.append("must be a relative path")
    return errors + _backstep_errors(path)


def _local_path_errors(path: str) -> list[str]:
    """ValidateLocalNonReservedPath: also may not start with ``..``."""
    errors = _relative_path_errors(path)
    if path.startswith("..") and not errors:
        errors.append("must not start with '..'")
    return errors


def _check_file_mode(c: _Checker, data: dict, key: str, path: str) -> None:
    value = _integer(data.get(key))
    if value is not None and not 0 <= value <= 0o777:
        c.add(join(path, key), FILE_MODE_MESSAGE)


def _check_key_to_paths(c: _Checker, items: Any, path: str) -> None:
    for index, item in enumerate(as_list(items)):
        if not isinstance(item, dict):
            continue
        item_path = join(path, index)
        if _empty(item.get("key")):
            c.required(join(item_path, "key"))
        target = _text(item.get("path"))
        if _empty(item.get("path")):
            c.required(join(item_path, "path"))
        elif target:
            c.add_all(join(item_path, "path"), _local_path_errors(target))
        _check_file_mode(c, item, "mode", item_path)


def _check_volume_source(c: _Checker, kind: str, source: dict, path: str) -> None:
    if kind == "secret":
        if _empty(source.get("secretName")):
            c.required(join(path, "secretName"))
        _check_file_mode(c, source, "defaultMode", path)
        _check_key_to_paths(c, source.get("items"), join(path, "items"))
    elif kind == "configMap":
        if _empty(source.get("name")):
            c.required(join(path, "name"))
        _check_file_mode(c, source, "defaultMode", path)
        _check_key_to_paths(c, source.get("items"), join(path, "items"))
    elif kind == "persistentVolumeClaim":
        if _empty(source.get("claimName")):
            c.required(join(path, "claimName"))
    elif kind == "hostPath":
        host_path = _text(source.get("path"))
        if _empty(source.get("path")):
            c.required(join(path, "path"))
        elif host_path:
            c.add_all(join(path, "path"), _backstep_errors(host_path))
        c.enum(source, "type", path, HOST_PATH_TYPES)
    elif kind == "emptyDir":
        size = _quantity(source.get("sizeLimit"))
        if size is not None and size < 0:
            c.add(join(path, "sizeLimit"), "must be greater than or equal to 0")
    elif kind == "nfs":
        if _empty(source.get("server")):
            c.required(join(path, "server"))
        nfs_path = _text(source.get("path"))
        if _empty(source.get("path")):
            c.required(join(path, "path"))
        elif nfs_path and not nfs_path.startswith("/"):
            c.add(join(path, "path"), "must be an absolute path")
    elif kind == "downwardAPI":
        _check_file_mode(c, source, "defaultMode", path)
        for index, item in enumerate(as_list(source.get("items"))):
            if isinstance(item, dict):
                _check_downward_api_file(c, item, join(join(path, "items"), index))
    elif kind == "projected":
        _check_file_mode(c, source, "defaultMode", path)
        for index, projection in enumerate(as_list(source.get("sources"))):
            projection = as_dict(projection)
            projection_path = join(join(path, "sources"), index)
            for inner in ("secret", "configMap"):
                inner_source = projection.get(inner)
                if isinstance(inner_source, dict):
                    inner_path = join(projection_path, inner)
                    _check_key_to_paths(c, inner_source.get("items"), join(inner_path, "items"))
    elif kind == "csi":
        if _empty(source.get("driver")):
            c.required(join(path, "driver"))
    elif kind == "ephemeral" and not isinstance(source.get("volumeClaimTemplate"), dict):
        c.required(join(path, "volumeClaimTemplate"))


def _check_downward_api_file(c: _Checker, item: dict, path: str) -> None:
    target = _text(item.get("path"))
    if _empty(item.get("path")):
        c.required(join(path, "path"))
    elif target:
        c.add_all(join(path, "path"), _local_path_errors(target))
    has_field = _is_set(item, "fieldRef")
    has_resource = _is_set(item, "resourceFieldRef")
    if has_field and has_resource:
        c.add(path, "fieldRef and resourceFieldRef can not be specified simultaneously")
    elif not has_field and not has_resource:
        c.add(path, "one of fieldRef and resourceFieldRef is required")
    _check_file_mode(c, item, "mode", path)


def _check_volumes(c: _Checker, spec: dict) -> set[str]:
    """Validates ``spec.volumes`` and returns the volume names mounts may refer to."""
    names: set[str] = set()
    for index, volume in enumerate(as_list(spec.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        path = f"spec.volumes[{index}]"
        name = _text(volume.get("name"))
        if name:
            c.add_all(join(path, "name"), dns_label_errors(name))
            if name in names:
                c.add(join(path, "name"), f'duplicate volume name "{name}"')
            names.add(name)
        elif _empty(volume.get("name")):
            c.required(join(path, "name"))
        kinds = [kind for kind in VOLUME_SOURCES if _is_set(volume, kind)]
        if not kinds:
            c.add(path, "must specify a volume type (emptyDir, configMap, secret ...)")
        for extra in kinds[1:]:
            c.add(join(path, extra), "may not specify more than 1 volume type")
        if kinds and isinstance(volume.get(kinds[0]), dict):
            _check_volume_source(c, kinds[0], volume[kinds[0]], join(path, kinds[0]))
    return names


# --- containers (validateContainers, validateInitContainers, validateContainerCommon) ----------

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
PROTOCOLS = ("TCP", "UDP", "SCTP")
MOUNT_PROPAGATIONS = ("None", "HostToContainer", "Bidirectional")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
HTTP_SCHEMES = ("HTTP", "HTTPS")
PROC_MOUNTS = ("Default", "Unmasked")
SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
APPARMOR_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
RESIZE_RESOURCES = ("cpu", "memory")
RESIZE_POLICIES = ("NotRequired", "RestartContainer")
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
ENV_RESOURCE_FIELDS = (
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
)
NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always"


def _check_port_value(c: _Checker, value: Any, path: str) -> None:
    """ValidatePortNumOrName: a number 1-65535 or an IANA service name."""
    number = _integer(value)
    if number is not None:
        c.add_all(path, port_number_errors(number))
    elif isinstance(value, str):
        c.add_all(path, port_name_errors(value))


def _check_handler(
    c: _Checker, handler: dict, path: str, kinds: tuple[str, ...], grace: int | None
) -> None:
    present = [kind for kind in kinds if _is_set(handler, kind)]
    if not present:
        c.add(path, "must specify a handler type (" + ", ".join(kinds) + ")")
        return
    for extra in present[1:]:
        c.add(join(path, extra), "may not specify more than 1 handler type")
    kind = present[0]
    action = handler.get(kind)
    if not isinstance(action, dict):
        return
    action_path = join(path, kind)
    if kind == "exec":
        if not as_list(action.get("command")):
            c.required(join(action_path, "command"))
    elif kind == "httpGet":
        _check_port_value(c, action.get("port"), join(action_path, "port"))
        c.enum(action, "scheme", action_path, HTTP_SCHEMES)
        for header in as_list(action.get("httpHeaders")):
            header_name = _text(as_dict(header).get("name"))
            if header_name is not None and not _HTTP_HEADER_NAME.fullmatch(header_name):
                c.add(
                    join(action_path, "httpHeaders"),
                    f"header name \"{header_name}\" must consist of letters, digits or '-'",
                )
    elif kind == "tcpSocket":
        _check_port_value(c, action.get("port"), join(action_path, "port"))
    elif kind == "grpc":
        port = _integer(action.get("port"))
        if port is not None:
            c.add_all(join(action_path, "port"), port_number_errors(port))
    elif kind == "sleep":
        seconds = _integer(action.get("seconds"))
        if seconds is not None and grace is not None:
            if c.sleep_zero_allowed and not 0 <= seconds <= grace:
                c.add(
                    action_path,
                    "seconds must be non-negative and not more than "
                    f"terminationGracePeriodSeconds ({grace})",
                )
            elif not c.sleep_zero_allowed and not 0 < seconds <= grace:
                c.add(
                    action_path,
                    "seconds must be greater than 0 and not more than "
                    f"terminationGracePeriodSeconds ({grace})",
                )


def _check_probe(c: _Checker, probe: dict, path: str, kind: str, grace: int | None) -> None:
    _check_handler(c, probe, path, PROBE_HANDLERS, grace)
    for field in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        c.non_negative(probe, field, path)
    success = _integer(probe.get("successThreshold"))
    # 0 is defaulted to 1 before validation.
    if kind in ("livenessProbe", "startupProbe") and success not in (None, 0, 1):
        c.add(join(path, "successThreshold"), "must be 1")
    probe_grace = _integer(probe.get("terminationGracePeriodSeconds"))
    if kind == "readinessProbe" and _is_set(probe, "terminationGracePeriodSeconds"):
        c.add(join(path, "terminationGracePeriodSeconds"), "must not be set for readinessProbes")
    elif probe_grace is not None and probe_grace <= 0:
        c.add(join(path, "terminationGracePeriodSeconds"), "must be greater than 0")


def _check_probes_and_lifecycle(c: _Checker, ctr: dict, path: str, grace: int | None) -> None:
    lifecycle = ctr.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                hook_path = join(join(path, "lifecycle"), hook)
                _check_handler(c, lifecycle[hook], hook_path, LIFECYCLE_HANDLERS, grace)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(ctr.get(kind), dict):
            _check_probe(c, ctr[kind], join(path, kind), kind, grace)


def _check_ports(c: _Checker, ctr: dict, path: str) -> None:
    names: set[str] = set()
    for index, port in enumerate(as_list(ctr.get("ports"))):
        if not isinstance(port, dict):
            continue
        port_path = join(join(path, "ports"), index)
        name = _text(port.get("name"))
        if name:
            messages = port_name_errors(name)
            c.add_all(join(port_path, "name"), messages)
            if not messages and name in names:
                c.add(join(port_path, "name"), f'duplicate port name "{name}"')
            names.add(name)
        container_port = _integer(port.get("containerPort"))
        if container_port is not None:
            c.add_all(join(port_path, "containerPort"), port_number_errors(container_port))
        host_port = _integer(port.get("hostPort"))
        if host_port:
            c.add_all(join(port_path, "hostPort"), port_number_errors(host_port))
        c.enum(port, "protocol", port_path, PROTOCOLS)


def _check_host_port_conflicts(c: _Checker, containers: list[tuple[str, dict]]) -> None:
    """AccumulateUniqueHostPorts: one protocol/hostIP/hostPort per group of containers."""
    seen: set[tuple[Any, Any, int]] = set()
    for path, ctr in containers:
        for index, port in enumerate(as_list(ctr.get("ports"))):
            port = as_dict(port)
            host_port = _integer(port.get("hostPort"))
            if not host_port:
                continue
            key = (port.get("protocol") or "TCP", port.get("hostIP") or "", host_port)
            if key in seen:
                c.add(
                    f"{path}.ports[{index}].hostPort",
                    f"host port {host_port}/{key[0]} is already used by another container",
                )
            seen.add(key)


def _check_env(c: _Checker, ctr: dict, path: str) -> None:
    for index, var in enumerate(as_list(ctr.get("env"))):
        if not isinstance(var, dict):
            continue
        var_path = join(join(path, "env"), index)
        name = _text(var.get("name"))
        if name:
            c.add_all(join(var_path, "name"), env_var_name_errors(name, c.relaxed_env_names))
        elif _empty(var.get("name")):
            c.required(join(var_path, "name"))
        value_from = var.get("valueFrom")
        if not isinstance(value_from, dict):
            continue
        from_path = join(var_path, "valueFrom")
        sources = [
            key
            for key in (
                "fieldRef",
                "resourceFieldRef",
                "configMapKeyRef",
                "secretKeyRef",
                "fileKeyRef",
            )
            if _is_set(value_from, key)
        ]
        if not sources:
            c.add(
                from_path,
                "must specify one of: fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef",
            )
        elif _text(var.get("value")):
            c.add(from_path, "may not be specified when `value` is not empty")
        elif len(sources) > 1:
            c.add(from_path, "may not have more than one field specified at a time")
        for source in sources:
            _check_env_source(c, source, as_dict(value_from.get(source)), join(from_path, source))


def _check_env_source(c: _Checker, kind: str, source: dict, path: str) -> None:
    if kind in ("configMapKeyRef", "secretKeyRef"):
        name = _text(source.get("name"))
        if _empty(source.get("name")):
            c.required(join(path, "name"))
        elif name:
            c.add_all(join(path, "name"), dns_subdomain_errors(name))
        key = _text(source.get("key"))
        if _empty(source.get("key")):
            c.required(join(path, "key"))
        elif key:
            c.add_all(join(path, "key"), config_map_key_errors(key))
    elif kind == "fieldRef":
        field_path = _text(source.get("fieldPath"))
        if _empty(source.get("fieldPath")):
            c.required(join(path, "fieldPath"))
        if not field_path:
            return
        subscript = re.fullmatch(r"metadata\.(labels|annotations)\['(.*)'\]", field_path)
        if subscript:
            key = subscript.group(2)
            key = key.lower() if subscript.group(1) == "annotations" else key
            c.add_all(path, qualified_name_errors(key))
        elif field_path not in ENV_FIELD_PATHS:
            c.add(join(path, "fieldPath"), _one_of(ENV_FIELD_PATHS))
    elif kind == "resourceFieldRef":
        resource = _text(source.get("resource"))
        if _empty(source.get("resource")):
            c.required(join(path, "resource"))
        elif (
            resource
            and resource not in ENV_RESOURCE_FIELDS
            and not resource.startswith(("limits.hugepages-", "requests.hugepages-"))
        ):
            c.add(join(path, "resource"), _one_of(ENV_RESOURCE_FIELDS))


def _check_env_from(c: _Checker, ctr: dict, path: str) -> None:
    for index, source in enumerate(as_list(ctr.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        source_path = join(join(path, "envFrom"), index)
        prefix = _text(source.get("prefix"))
        if prefix:
            c.add_all(join(source_path, "prefix"), env_var_name_errors(prefix, c.relaxed_env_names))
        kinds = [kind for kind in ("configMapRef", "secretRef") if _is_set(source, kind)]
        if not kinds:
            c.add(source_path, "must specify one of: configMapRef or secretRef")
        elif len(kinds) > 1:
            c.add(source_path, "may not have more than one field specified at a time")
        for kind in kinds:
            ref = as_dict(source.get(kind))
            name = _text(ref.get("name"))
            if _empty(ref.get("name")):
                c.required(join(join(source_path, kind), "name"))
            elif name:
                c.add_all(join(join(source_path, kind), "name"), dns_subdomain_errors(name))


def _check_volume_mounts(c: _Checker, ctr: dict, path: str, volumes: set[str]) -> None:
    mount_paths: set[str] = set()
    privileged = as_dict(ctr.get("securityContext")).get("privileged") is True
    for index, mount in enumerate(as_list(ctr.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        mount_path = join(join(path, "volumeMounts"), index)
        name = _text(mount.get("name"))
        if _empty(mount.get("name")):
            if _empty(mount.get("name")):
                c.required(join(mount_path, "name"))
        elif name and name not in volumes:
            c.add(join(mount_path, "name"), f'no volume named "{name}" in spec.volumes')
        target = _text(mount.get("mountPath"))
        if _empty(mount.get("mountPath")):
            if _empty(mount.get("mountPath")):
                c.required(join(mount_path, "mountPath"))
        elif target and target in mount_paths:
            c.add(join(mount_path, "mountPath"), "must be unique")
        if target:
            mount_paths.add(target)
        sub_path = _text(mount.get("subPath"))
        if sub_path:
            c.add_all(join(mount_path, "subPath"), _relative_path_errors(sub_path))
        expression = _text(mount.get("subPathExpr"))
        if expression:
            if sub_path:
                c.add(
                    join(mount_path, "subPathExpr"),
                    "subPathExpr and subPath are mutually exclusive",
                )
            c.add_all(join(mount_path, "subPathExpr"), _relative_path_errors(expression))
        propagation = _text(mount.get("mountPropagation"))
        if propagation is not None:
            if propagation not in MOUNT_PROPAGATIONS:
                c.add(join(mount_path, "mountPropagation"), _one_of(MOUNT_PROPAGATIONS))
            elif propagation == "Bidirectional" and not privileged:
                c.add(
                    join(mount_path, "mountPropagation"),
                    "Bidirectional mount propagation is available only to privileged containers",
                )


def _check_security_context(c: _Checker, ctr: dict, path: str, host_users: bool) -> None:
    context = ctr.get("securityContext")
    if not isinstance(context, dict):
        return
    context_path = join(path, "securityContext")
    c.int_range(context, "runAsUser", context_path, 0, MAX_INT32)
    c.int_range(context, "runAsGroup", context_path, 0, MAX_INT32)
    proc_mount = _text(context.get("procMount"))
    if proc_mount is not None:
        if proc_mount not in PROC_MOUNTS:
            c.add(join(context_path, "procMount"), _one_of(PROC_MOUNTS))
        elif proc_mount == "Unmasked" and host_users:
            c.add(join(context_path, "procMount"), "`hostUsers` must be false to use `Unmasked`")
    _check_profile(c, context, "seccompProfile", context_path, SECCOMP_TYPES)
    _check_profile(c, context, "appArmorProfile", context_path, APPARMOR_TYPES)
    if context.get("allowPrivilegeEscalation") is False:
        if context.get("privileged") is True:
            c.add(
                context_path,
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            )
        added = as_list(as_dict(context.get("capabilities")).get("add"))
        if "CAP_SYS_ADMIN" in added:
            c.add(
                context_path,
                "cannot set `allowPrivilegeEscalation` to false and add CAP_SYS_ADMIN",
            )


def _check_profile(c: _Checker, context: dict, key: str, path: str, types: tuple[str, ...]) -> None:
    """seccompProfile and appArmorProfile: a known type; localhostProfile only for Localhost."""
    profile = context.get(key)
    if not isinstance(profile, dict):
        return
    profile_path = join(path, key)
    kind = _text(profile.get("type"))
    if _empty(profile.get("type")):
        c.required(join(profile_path, "type"))
    elif kind and kind not in types:
        c.add(join(profile_path, "type"), _one_of(types))
    localhost = profile.get("localhostProfile")
    if kind == "Localhost":
        if not _text(localhost):
            c.add(join(profile_path, "localhostProfile"), "must be set when type is Localhost")
        elif key == "seccompProfile":
            c.add_all(join(profile_path, "localhostProfile"), _relative_path_errors(localhost))
    elif kind in types and localhost is not None:
        c.add(join(profile_path, "localhostProfile"), "can only be set when type is Localhost")


def _check_resize_policy(c: _Checker, ctr: dict, path: str) -> None:
    seen: set[str] = set()
    policy_path = join(path, "resizePolicy")
    for index, policy in enumerate(as_list(ctr.get("resizePolicy"))):
        policy = as_dict(policy)
        resource = _text(policy.get("resourceName"))
        if resource in seen:
            c.add(join(policy_path, index), f'duplicate resource "{resource}"')
        if resource:
            seen.add(resource)
        c.enum(policy, "resourceName", join(policy_path, index), RESIZE_RESOURCES)
        c.enum(policy, "restartPolicy", join(policy_path, index), RESIZE_POLICIES)


def _check_container_common(
    c: _Checker, ctr: dict, path: str, volumes: set[str], host_users: bool
) -> None:
    name = _text(ctr.get("name"))
    if name:
        c.add_all(join(path, "name"), dns_label_errors(name))
    elif _empty(ctr.get("name")):
        c.required(join(path, "name"))
    image = ctr.get("image")
    if image is None or image == "":
        c.required(join(path, "image"))
    elif isinstance(image, str) and image != image.strip():
        c.add(join(path, "image"), "must not have leading or trailing whitespace")
    c.enum(ctr, "terminationMessagePolicy", path, TERMINATION_MESSAGE_POLICIES)
    c.enum(ctr, "imagePullPolicy", path, PULL_POLICIES)
    _check_ports(c, ctr, path)
    _check_env(c, ctr, path)
    _check_env_from(c, ctr, path)
    _check_volume_mounts(c, ctr, path, volumes)
    if isinstance(ctr.get("resources"), dict):
        _check_resources(c, ctr["resources"], join(path, "resources"), _container_resource_name)
    _check_resize_policy(c, ctr, path)
    _check_security_context(c, ctr, path, host_users)


def _check_containers(c: _Checker, spec: dict, volumes: set[str]) -> None:
    grace = _integer(spec.get("terminationGracePeriodSeconds"))
    grace = 30 if grace is None else grace
    host_users = spec.get("hostUsers") is not False

    containers = [
        (f"spec.containers[{i}]", ctr)
        for i, ctr in enumerate(as_list(spec.get("containers")))
        if isinstance(ctr, dict)
    ]
    if spec.get("containers") == []:
        c.add("spec.containers", "must have at least one container")
    names: set[str] = set()
    for path, ctr in containers:
        _check_container_common(c, ctr, path, volumes, host_users)
        name = _text(ctr.get("name"))
        if name and name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        if name:
            names.add(name)
        _check_probes_and_lifecycle(c, ctr, path, grace)
        if _is_set(ctr, "restartPolicy") and c.sidecars:
            c.add(join(path, "restartPolicy"), "may not be set for non-init containers")
    _check_host_port_conflicts(c, containers)

    for index, ctr in enumerate(as_list(spec.get("initContainers"))):
        if not isinstance(ctr, dict):
            continue
        path = f"spec.initContainers[{index}]"
        _check_container_common(c, ctr, path, volumes, host_users)
        name = _text(ctr.get("name"))
        if name and name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        if name:
            names.add(name)
        sidecar = False
        if c.sidecars and _is_set(ctr, "restartPolicy"):
            c.enum(ctr, "restartPolicy", path, ("Always",))
            sidecar = ctr.get("restartPolicy") == "Always"
        _check_host_port_conflicts(c, [(path, ctr)])
        if sidecar:
            _check_probes_and_lifecycle(c, ctr, path, grace)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if _is_set(ctr, field):
                    c.add(join(path, field), NOT_FOR_INIT)

    ephemeral = as_list(spec.get("ephemeralContainers"))
    if ephemeral:
        c.add("spec.ephemeralContainers", "cannot be set on create")
    for index, ctr in enumerate(ephemeral):
        name = _text(as_dict(ctr).get("name"))
        if name and name in names:
            c.add(f"spec.ephemeralContainers[{index}].name", f'duplicate container name "{name}"')
        if name:
            names.add(name)

    if spec.get("hostNetwork") is True:
        for path, ctr in containers:
            for index, port in enumerate(as_list(ctr.get("ports"))):
                port = as_dict(port)
                host_port = _integer(port.get("hostPort"))
                container_port = _integer(port.get("containerPort"))
                if host_port is not None and host_port != container_port:
                    c.add(
                        f"{path}.ports[{index}].hostPort",
                        "must match `containerPort` when `hostNetwork` is true",
                    )


# --- resources (validateResourceRequirements) ---------------------------------------------------

STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
POD_LEVEL_RESOURCES = ("cpu", "memory")


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def _container_resource_name(name: str) -> list[str]:
    errors = qualified_name_errors(name)
    if errors:
        return errors
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            return [
                "must be a standard resource for containers "
                "(cpu, memory, ephemeral-storage or hugepages-<size>)"
            ]
    elif not _is_native(name) and name.startswith("requests."):
        return ["doesn't follow extended resource name standard"]
    return []


def _pod_resource_name(name: str) -> list[str]:
    errors = qualified_name_errors(name)
    if errors:
        return errors
    if name not in POD_LEVEL_RESOURCES and not _is_hugepages(name):
        return [_one_of(POD_LEVEL_RESOURCES + ("hugepages-<size>",))]
    return []


def _resource_values(c: _Checker, values: Any, path: str, name_errors: Any) -> dict:
    """Checks a ``limits`` or ``requests`` map; returns ``{name: (quantity, text)}`` of the
    values that could be read."""
    readable: dict[str, tuple[Decimal, str]] = {}
    for name, value in as_dict(values).items():
        if not isinstance(name, str):
            continue
        key_path = join_key(path, name)
        c.add_all(key_path, name_errors(name))
        quantity = _quantity(value)
        if quantity is None:
            if isinstance(value, str):
                c.add(key_path, QUANTITY_MESSAGE)
            continue
        if quantity < 0:
            c.add(key_path, "must be greater than or equal to 0")
        if not _is_native(name) and quantity != quantity.to_integral_value():
            c.add(key_path, "must be an integer")
        if _is_hugepages(name):
            page = _quantity(name.removeprefix("hugepages-"))
            if not page or quantity % page != 0:
                c.add(key_path, f"{value} is not a whole multiple of the page size of {name}")
        readable[name] = (quantity, str(value))
    return readable


def _check_resources(c: _Checker, resources: dict, path: str, name_errors: Any) -> None:
    limits_path, requests_path = join(path, "limits"), join(path, "requests")
    limits = _resource_values(c, resources.get("limits"), limits_path, name_errors)
    requests = _resource_values(c, resources.get("requests"), requests_path, name_errors)
    for name, (request, request_text) in requests.items():
        if name in limits:
            limit, limit_text = limits[name]
            if not _overcommit_allowed(name) and request != limit:
                c.add(
                    requests_path, f"{name} request must be equal to {name} limit of {limit_text}"
                )
            elif request > limit:
                c.add(
                    requests_path,
                    f"{name} request of {request_text} must be less than or equal to "
                    f"{name} limit of {limit_text}",
                )
        elif not _overcommit_allowed(name) and name not in as_dict(resources.get("limits")):
            c.add(limits_path, f"a limit must be set for {name}: it cannot be overcommitted")
    names = set(limits) | set(requests)
    if any(_is_hugepages(name) for name in names) and not names & {"cpu", "memory"}:
        c.add(path, "HugePages require cpu or memory")


def _effective_requests(ctr: dict) -> dict[str, Decimal]:
    """A container's requests after defaulting: a missing request takes the limit's value."""
    resources = as_dict(ctr.get("resources"))
    values = {name: _quantity(value) for name, value in as_dict(resources.get("limits")).items()}
    values |= {name: _quantity(value) for name, value in as_dict(resources.get("requests")).items()}
    return {name: value for name, value in values.items() if value is not None}


def _check_pod_resources(c: _Checker, spec: dict) -> None:
    """validatePodResources (pod-level ``spec.resources``, on by default since 1.34)."""
    resources = spec.get("resources")
    if not isinstance(resources, dict) or not c.pod_resources:
        return
    if _is_set(resources, "claims"):
        c.add("spec.resources.claims", "claims cannot be set for Resources at pod-level")
    _check_resources(c, resources, "spec.resources", _pod_resource_name)

    limits = {n: _quantity(v) for n, v in as_dict(resources.get("limits")).items()}
    requests = dict(limits) | {
        n: _quantity(v) for n, v in as_dict(resources.get("requests")).items()
    }
    aggregate: dict[str, Decimal] = {}
    sidecar_sum: dict[str, Decimal] = {}
    for ctr in as_list(spec.get("initContainers")):
        ctr = as_dict(ctr)
        own = _effective_requests(ctr)
        if ctr.get("restartPolicy") == "Always":
            for name, value in own.items():
                sidecar_sum[name] = sidecar_sum.get(name, Decimal(0)) + value
        else:
            for name, value in own.items():
                start = value + sidecar_sum.get(name, Decimal(0))
                aggregate[name] = max(aggregate.get(name, Decimal(0)), start)
    regular = dict(sidecar_sum)
    for ctr in as_list(spec.get("containers")):
        for name, value in _effective_requests(as_dict(ctr)).items():
            regular[name] = regular.get(name, Decimal(0)) + value
    for name, value in regular.items():
        aggregate[name] = max(aggregate.get(name, Decimal(0)), value)
    for name, total in aggregate.items():
        pod_request = requests.get(name)
        if pod_request is not None and total > pod_request:
            c.add(
                join_key("spec.resources.requests", name),
                f"must be greater than or equal to the containers' total request of {total}",
            )
    for index, ctr in enumerate(as_list(spec.get("containers"))):
        ctr_limits = as_dict(as_dict(as_dict(ctr).get("resources")).get("limits"))
        for name, value in ctr_limits.items():
            ctr_limit, pod_limit = _quantity(value), limits.get(name)
            if ctr_limit is not None and pod_limit is not None and ctr_limit > pod_limit:
                c.add(
                    join_key(f"spec.containers[{index}].resources.limits", name),
                    f"must be less than or equal to the pod limit of {resources['limits'][name]}",
                )


# --- pod spec (ValidatePodSpec) -----------------------------------------------------------------

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")
TOLERATION_OPERATORS = ("Equal", "Exists")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
NODE_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
LABEL_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
FS_GROUP_CHANGE_POLICIES = ("OnRootMismatch", "Always")
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")
SELINUX_CHANGE_POLICIES = ("Recursive", "MountOption")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")
NODE_INCLUSION_POLICIES = ("Ignore", "Honor")
OPERATING_SYSTEMS = ("linux", "windows")


def _check_tolerations(c: _Checker, spec: dict) -> None:
    for index, toleration in enumerate(as_list(spec.get("tolerations"))):
        if not isinstance(toleration, dict):
            continue
        path = f"spec.tolerations[{index}]"
        key = _text(toleration.get("key")) or ""
        operator = _text(toleration.get("operator")) or ""
        value = _text(toleration.get("value")) or ""
        effect = _text(toleration.get("effect")) or ""
        if key:
            c.add_all(join(path, "key"), qualified_name_errors(key))
        elif operator != "Exists":
            c.add(join(path, "operator"), "must be Exists when `key` is empty (matches all keys)")
        if _is_set(toleration, "tolerationSeconds") and effect != "NoExecute":
            c.add(join(path, "effect"), "must be NoExecute when `tolerationSeconds` is set")
        if operator in ("Equal", ""):
            c.add_all(join(path, "value"), label_value_errors(value))
        elif operator == "Exists":
            if value:
                c.add(join(path, "value"), "must be empty when `operator` is Exists")
        else:
            c.add(join(path, "operator"), _one_of(TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            c.add(join(path, "effect"), _one_of(TAINT_EFFECTS))


def _check_node_selector_requirement(
    c: _Checker, requirement: dict, path: str, check_values: bool
) -> None:
    operator = _text(requirement.get("operator"))
    values = as_list(requirement.get("values"))
    values_path = join(path, "values")
    if operator in ("In", "NotIn") and not values:
        c.add(values_path, "must be specified when `operator` is In or NotIn")
    elif operator in ("Exists", "DoesNotExist") and values:
        c.add(values_path, "may not be specified when `operator` is Exists or DoesNotExist")
    elif operator in ("Gt", "Lt") and len(values) != 1:
        c.add(values_path, "must have exactly one value when `operator` is Gt or Lt")
    elif operator is not None and operator not in NODE_SELECTOR_OPERATORS:
        c.add(join(path, "operator"), _one_of(NODE_SELECTOR_OPERATORS))
    key = _text(requirement.get("key"))
    if key is not None:
        c.add_all(join(path, "key"), qualified_name_errors(key))
    if check_values:
        for index, value in enumerate(values):
            if isinstance(value, str):
                c.add_all(join(values_path, index), label_value_errors(value))


def _check_node_selector_term(c: _Checker, term: dict, path: str, check_values: bool) -> None:
    for index, requirement in enumerate(as_list(term.get("matchExpressions"))):
        if isinstance(requirement, dict):
            requirement_path = join(join(path, "matchExpressions"), index)
            _check_node_selector_requirement(c, requirement, requirement_path, check_values)
    for index, requirement in enumerate(as_list(term.get("matchFields"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchFields"), index)
        operator = _text(requirement.get("operator"))
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn"):
            if len(values) != 1:
                c.add(join(requirement_path, "values"), "must have exactly one value")
        elif operator is not None:
            c.add(join(requirement_path, "operator"), _one_of(("In", "NotIn")))
        key = _text(requirement.get("key"))
        if key is not None and key != "metadata.name":
            c.add(join(requirement_path, "key"), "must be metadata.name")
        for value_index, value in enumerate(values):
            if isinstance(value, str):
                value_path = join(join(requirement_path, "values"), value_index)
                c.add_all(value_path, dns_subdomain_errors(value))


def _check_label_selector(c: _Checker, selector: Any, path: str) -> None:
    if not isinstance(selector, dict):
        return
    _check_labels(c, selector.get("matchLabels"), join(path, "matchLabels"))
    for index, requirement in enumerate(as_list(selector.get("matchExpressions"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchExpressions"), index)
        operator = _text(requirement.get("operator"))
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn") and not values:
            c.add(
                join(requirement_path, "values"),
                "must be specified when `operator` is In or NotIn",
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            c.add(
                join(requirement_path, "values"),
                "may not be specified when `operator` is Exists or DoesNotExist",
            )
        elif operator is not None and operator not in LABEL_SELECTOR_OPERATORS:
            c.add(join(requirement_path, "operator"), _one_of(LABEL_SELECTOR_OPERATORS))
        key = _text(requirement.get("key"))
        if key is not None:
            c.add_all(join(requirement_path, "key"), qualified_name_errors(key))
        for value_index, value in enumerate(values):
            if isinstance(value, str):
                value_path = join(join(requirement_path, "values"), value_index)
                c.add_all(value_path, label_value_errors(value))


def _check_weight(c: _Checker, data: dict, path: str) -> None:
    weight = _integer(data.get("weight"))
    if weight is not None and not 1 <= weight <= 100:
        c.add(join(path, "weight"), "must be in the range 1-100")


def _check_pod_affinity_term(c: _Checker, term: dict, path: str) -> None:
    _check_label_selector(c, term.get("labelSelector"), join(path, "labelSelector"))
    _check_label_selector(c, term.get("namespaceSelector"), join(path, "namespaceSelector"))
    for index, namespace in enumerate(as_list(term.get("namespaces"))):
        if isinstance(namespace, str):
            c.add_all(join(join(path, "namespaces"), index), dns_label_errors(namespace))
    topology_key = _text(term.get("topologyKey"))
    if _empty(term.get("topologyKey")):
        c.add(join(path, "topologyKey"), "can not be empty")
    elif topology_key:
        c.add_all(join(path, "topologyKey"), qualified_name_errors(topology_key))


def _check_affinity(c: _Checker, spec: dict) -> None:
    affinity = as_dict(spec.get("affinity"))
    node = as_dict(affinity.get("nodeAffinity"))
    path = "spec.affinity.nodeAffinity"
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        required_path = join(path, "requiredDuringSchedulingIgnoredDuringExecution")
        terms = as_list(required.get("nodeSelectorTerms"))
        if not terms:
            c.add(join(required_path, "nodeSelectorTerms"), "must have at least one term")
        for index, term in enumerate(terms):
            if isinstance(term, dict):
                term_path = join(join(required_path, "nodeSelectorTerms"), index)
                _check_node_selector_term(c, term, term_path, check_values=True)
    preferred_path = join(path, "preferredDuringSchedulingIgnoredDuringExecution")
    for index, item in enumerate(
        as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))
    ):
        if not isinstance(item, dict):
            continue
        item_path = join(preferred_path, index)
        _check_weight(c, item, item_path)
        if isinstance(item.get("preference"), dict):
            preference_path = join(item_path, "preference")
            _check_node_selector_term(c, item["preference"], preference_path, check_values=False)

    for kind in ("podAffinity", "podAntiAffinity"):
        pod = as_dict(affinity.get(kind))
        kind_path = f"spec.affinity.{kind}"
        required_terms = as_list(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))
        for index, term in enumerate(required_terms):
            if isinstance(term, dict):
                term_path = f"{kind_path}.requiredDuringSchedulingIgnoredDuringExecution[{index}]"
                _check_pod_affinity_term(c, term, term_path)
        preferred_terms = as_list(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))
        for index, item in enumerate(preferred_terms):
            if not isinstance(item, dict):
                continue
            item_path = f"{kind_path}.preferredDuringSchedulingIgnoredDuringExecution[{index}]"
            _check_weight(c, item, item_path)
            if isinstance(item.get("podAffinityTerm"), dict):
                term_path = join(item_path, "podAffinityTerm")
                _check_pod_affinity_term(c, item["podAffinityTerm"], term_path)


def _check_dns(c: _Checker, spec: dict) -> None:
    c.enum(spec, "dnsPolicy", "spec", DNS_POLICIES)
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if not isinstance(config, dict):
            c.add("spec.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None")
            return
        if not as_list(config.get("nameservers")):
            c.add(
                "spec.dnsConfig.nameservers",
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )
            return
    if not isinstance(config, dict):
        return
    nameservers = as_list(config.get("nameservers"))
    if len(nameservers) > 3:
        c.add("spec.dnsConfig.nameservers", "must not have more than 3 nameservers")
    for index, server in enumerate(nameservers):
        if isinstance(server, str):
            c.add_all(f"spec.dnsConfig.nameservers[{index}]", _ip_errors(server))
    searches = as_list(config.get("searches"))
    if len(searches) > 32:
        c.add("spec.dnsConfig.searches", "must not have more than 32 search paths")
    texts = [search for search in searches if isinstance(search, str)]
    if len(" ".join(texts)) > 2048:
        c.add("spec.dnsConfig.searches", "must not have more than 2048 characters in total")
    for index, search in enumerate(searches):
        if not isinstance(search, str):
            continue
        path = f"spec.dnsConfig.searches[{index}]"
        if c.relaxed_dns_search:
            if search != ".":
                domain = search.removesuffix(".")
                if len(domain) > 253:
                    c.add(path, "must be no more than 253 characters")
                if not _DNS_SUBDOMAIN_UNDERSCORE.fullmatch(domain):
                    c.add(path, _DNS_SUBDOMAIN_HINT.replace("'-' and '.'", "'-', '_' and '.'"))
        else:
            c.add_all(path, dns_subdomain_errors(search.removesuffix(".")))
    for index, option in enumerate(as_list(config.get("options"))):
        if isinstance(option, dict) and not _text(option.get("name")):
            c.add(f"spec.dnsConfig.options[{index}]", "name must not be empty")


def _check_pod_security_context(c: _Checker, spec: dict) -> None:
    # Kubernetes keeps hostNetwork, hostPID, hostIPC and hostUsers in its internal security context.
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        c.add("spec.shareProcessNamespace", "cannot be true when hostPID is true")
    if spec.get("hostUsers") is False:
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(field) is True:
                c.add(f"spec.{field}", "may not be true when `hostUsers` is false")
    context = spec.get("securityContext")
    if not isinstance(context, dict):
        return
    path = "spec.securityContext"
    for field in ("fsGroup", "runAsUser", "runAsGroup"):
        c.int_range(context, field, path, 0, MAX_INT32)
    for index, group in enumerate(as_list(context.get("supplementalGroups"))):
        group = _integer(group)
        if group is not None and not 0 <= group <= MAX_INT32:
            c.add(
                f"{path}.supplementalGroups[{index}]",
                f"must be between 0 and {MAX_INT32}, inclusive",
            )
    c.enum(context, "fsGroupChangePolicy", path, FS_GROUP_CHANGE_POLICIES)
    c.enum(context, "supplementalGroupsPolicy", path, SUPPLEMENTAL_GROUPS_POLICIES)
    c.enum(context, "seLinuxChangePolicy", path, SELINUX_CHANGE_POLICIES)
    _check_profile(c, context, "seccompProfile", path, SECCOMP_TYPES)
    _check_profile(c, context, "appArmorProfile", path, APPARMOR_TYPES)
    seen: set[str] = set()
    for index, sysctl in enumerate(as_list(context.get("sysctls"))):
        name = _text(as_dict(sysctl).get("name"))
        name_path = f"{path}.sysctls[{index}].name"
        if name is None:
            continue
        if not name:
            c.required(name_path)
        elif len(name) > 253 or not _SYSCTL_NAME.fullmatch(name):
            c.add(name_path, "must be a sysctl name such as net.ipv4.ip_forward")
        elif name in seen:
            c.add(name_path, f'duplicate sysctl "{name}"')
        seen.add(name)
        if spec.get("hostNetwork") is True and name.startswith("net."):
            c.add(name_path, "may not be specified when 'hostNetwork' is true")
        if spec.get("hostIPC") is True and (name.startswith(("kernel.", "fs.mqueue."))):
            c.add(name_path, "may not be specified when 'hostIPC' is true")


def _check_topology_spread(c: _Checker, spec: dict) -> None:
    constraints = [as_dict(item) for item in as_list(spec.get("topologySpreadConstraints"))]
    for index, constraint in enumerate(constraints):
        path = f"spec.topologySpreadConstraints[{index}]"
        max_skew = _integer(constraint.get("maxSkew"))
        if max_skew is not None and max_skew <= 0:
            c.add(join(path, "maxSkew"), "must be greater than zero")
        if "topologyKey" in constraint and not _text(constraint.get("topologyKey")):
            c.add(join(path, "topologyKey"), "can not be empty")
        c.enum(constraint, "whenUnsatisfiable", path, WHEN_UNSATISFIABLE)
        pair = (constraint.get("topologyKey"), constraint.get("whenUnsatisfiable"))
        if any(
            (other.get("topologyKey"), other.get("whenUnsatisfiable")) == pair
            for other in constraints[index + 1 :]
        ):
            c.add(path, f"duplicate constraint for topologyKey {pair[0]} and {pair[1]}")
        min_domains = _integer(constraint.get("minDomains"))
        if min_domains is not None:
            if min_domains <= 0:
                c.add(join(path, "minDomains"), "must be greater than zero")
            if constraint.get("whenUnsatisfiable") != "DoNotSchedule":
                c.add(
                    join(path, "minDomains"),
                    "can only be used when whenUnsatisfiable is DoNotSchedule",
                )
        c.enum(constraint, "nodeAffinityPolicy", path, NODE_INCLUSION_POLICIES)
        c.enum(constraint, "nodeTaintsPolicy", path, NODE_INCLUSION_POLICIES)
        _check_label_selector(c, constraint.get("labelSelector"), join(path, "labelSelector"))


def _check_os(c: _Checker, spec: dict) -> None:
    os_name = _text(as_dict(spec.get("os")).get("name"))
    if os_name is None:
        return
    if os_name not in OPERATING_SYSTEMS:
        c.add("spec.os.name", _one_of(OPERATING_SYSTEMS))
        return
    context = as_dict(spec.get("securityContext"))
    containers = [
        (f"spec.{field}[{index}].securityContext", as_dict(as_dict(ctr).get("securityContext")))
        for field in ("initContainers", "containers", "ephemeralContainers")
        for index, ctr in enumerate(as_list(spec.get(field)))
    ]
    if os_name == "linux":
        for path, ctx in [("spec.securityContext", context)] + containers:
            if _is_set(ctx, "windowsOptions"):
                c.add(join(path, "windowsOptions"), "windows options cannot be set for a linux pod")
        return
    pod_only = ("appArmorProfile", "seLinuxOptions", "seccompProfile", "fsGroup")
    pod_only += ("fsGroupChangePolicy", "sysctls", "runAsUser", "runAsGroup")
    pod_only += ("supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy")
    for field in pod_only:
        if _is_set(context, field):
            c.add(f"spec.securityContext.{field}", "cannot be set for a windows pod")
    for field in ("hostPID", "hostIPC", "shareProcessNamespace", "hostUsers"):
        if spec.get(field) is True or (field == "hostUsers" and _is_set(spec, field)):
            c.add(f"spec.{field}", "cannot be set for a windows pod")
    container_only = ("appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities")
    container_only += ("readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation")
    container_only += ("procMount", "runAsUser", "runAsGroup")
    for path, ctx in containers:
        for field in container_only:
            if _is_set(ctx, field):
                c.add(join(path, field), "cannot be set for a windows pod")


def _check_spec(c: _Checker, spec: dict) -> None:
    volumes = _check_volumes(c, spec)
    _check_containers(c, spec, volumes)
    _check_pod_resources(c, spec)
    c.enum(spec, "restartPolicy", "spec", RESTART_POLICIES)
    _check_dns(c, spec)
    _check_labels(c, spec.get("nodeSelector"), "spec.nodeSelector")
    _check_pod_security_context(c, spec)
    _check_affinity(c, spec)
    _check_tolerations(c, spec)
    _check_topology_spread(c, spec)
    _check_os(c, spec)
    for index, gate in enumerate(as_list(spec.get("readinessGates"))):
        condition = _text(as_dict(gate).get("conditionType"))
        if condition is not None:
            path = f"spec.readinessGates[{index}].conditionType"
            c.add_all(path, qualified_name_errors(condition))
    gates: set[str] = set()
    for index, gate in enumerate(as_list(spec.get("schedulingGates"))):
        name = _text(as_dict(gate).get("name"))
        if name is None:
            continue
        c.add_all(f"spec.schedulingGates[{index}].name", qualified_name_errors(name))
        if name in gates:
            c.add(f"spec.schedulingGates[{index}].name", f'duplicate scheduling gate "{name}"')
        gates.add(name)
    if _text(spec.get("nodeName")) and gates:
        c.add("spec.nodeName", "cannot be set until all schedulingGates have been cleared")
    for field in ("serviceAccountName", "nodeName", "priorityClassName", "runtimeClassName"):
        c.name_like(spec, field, "spec", dns_subdomain_errors)
    for field in ("hostname", "subdomain"):
        c.name_like(spec, field, "spec", dns_label_errors)
    c.int_range(spec, "activeDeadlineSeconds", "spec", 1, MAX_INT32)
    c.enum(spec, "preemptionPolicy", "spec", PREEMPTION_POLICIES)
    for index, alias in enumerate(as_list(spec.get("hostAliases"))):
        alias = as_dict(alias)
        alias_path = f"spec.hostAliases[{index}]"
        ip = _text(alias.get("ip"))
        if ip is not None:
            c.add_all(join(alias_path, "ip"), _ip_errors(ip))
        for name_index, hostname in enumerate(as_list(alias.get("hostnames"))):
            if isinstance(hostname, str):
                hostname_path = join(join(alias_path, "hostnames"), name_index)
                c.add_all(hostname_path, dns_subdomain_errors(hostname))


def _check_pod(c: _Checker, pod: dict) -> None:
    for field in ("apiVersion", "kind"):
        if field not in pod:
            c.required(field)
    metadata = pod.get("metadata")
    if isinstance(metadata, dict):
        _check_metadata(c, metadata)
    elif "metadata" not in pod:
        c.add("metadata.name", "name or generateName is required")
    spec = pod.get("spec")
    if isinstance(spec, dict):
        _check_spec(c, spec)
    elif "spec" not in pod or spec is None:
        c.add("spec.containers", "must have at least one container")


def validate_pod(pod: dict, k8s_version: str | None = None) -> list[FieldError]:
    """Everything the API server would reject in ``pod`` when it is created, schema errors first.

    ``k8s_version`` (``"1.33"``, ``"v1.33"``, ``None`` for the newest) selects the schema and the
    features that are on by default in that version; an unknown version raises
    ``UnknownVersionError``. A manifest of the wrong shape never raises: the schema reports it.
    """
    version = resolve_version(k8s_version)
    if not isinstance(pod, dict):
        return [FieldError(path="", message="must be a mapping (a Pod manifest)")]
    errors = schema_errors(pod, version)
    checker = _Checker(version)
    try:
        _check_pod(checker, pod)
    except Exception:  # a bug in a rule must not break the editor on every keystroke
        logger.exception("a Pod validation rule crashed")
    seen = {(error.path, error.message) for error in errors}
    for error in checker.errors:
        if (error.path, error.message) not in seen:
            seen.add((error.path, error.message))
            errors.append(error)
    return errors
