"""The defaults the API server fills in when a Pod is created (pkg/apis/core/v1/defaults.go).

Analysis runs on the Pod as it will be stored, not as it was written: a container with a CPU
limit and no CPU request gets a request equal to the limit, which is what makes many Pods
Guaranteed. ``apply_defaults`` also shows learners the fields the cluster adds by itself.
Everything here tolerates manifests of the wrong shape: what cannot be read is left alone.
"""

import copy
import re
from decimal import Decimal
from typing import Any

from podstudio.engine.paths import as_dict, as_list
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.quantity import (
    QuantityError,
    add_quantities,
    format_quantity,
    parse_with_format,
    round_up_to,
)

Resources = dict[str, Decimal]

_POD_LEVEL_RESOURCES = ("cpu", "memory")  # and hugepages-*, see _supported_at_pod_level
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_DEFAULT_MODE = 0o644  # 420: secret, configMap, downwardAPI and projected volumes


def _supported_at_pod_level(name: str) -> bool:
    return name in _POD_LEVEL_RESOURCES or name.startswith("hugepages-")


def _overcommit_allowed(name: str) -> bool:
    """IsOvercommitAllowed: native resources other than hugepages (cpu, memory, ...)."""
    native = "/" not in name or name.startswith("kubernetes.io/")
    return native and not name.startswith("hugepages-")


def _round_up_to_milli(amount: Decimal) -> Decimal:
    """SetDefaults_ResourceList: every request and limit is rounded up to 0.001 (away from 0)."""
    return round_up_to(amount, -3)


def _read_list(value: Any, rounded: bool = True) -> dict[str, tuple[Decimal, str]]:
    """A ResourceList as {name: (value, format)}, skipping invalid entries.

    ``rounded`` gives the value as stored (rounded up to thousandths); pod-level defaulting
    runs before that rounding, so it reads the values as written.
    """
    result = {}
    for name, raw in as_dict(value).items():
        if not isinstance(name, str):
            continue
        try:
            amount, fmt = parse_with_format(raw)
        except QuantityError:
            continue
        result[name] = (_round_up_to_milli(amount) if rounded else amount, fmt)
    return result


def _defaulted_lists(resources: Any, rounded: bool = True) -> tuple[dict, dict]:
    """(requests, limits) of one ResourceRequirements after "requests default to limits"."""
    resources = as_dict(resources)
    requests = _read_list(resources.get("requests"), rounded)
    limits = _read_list(resources.get("limits"), rounded)
    present = set(as_dict(resources.get("requests")))
    for name, value in limits.items():
        if name not in present:
            requests[name] = value
    return requests, limits


def _values(resource_list: dict[str, tuple[Decimal, str]]) -> Resources:
    return {name: amount for name, (amount, _) in resource_list.items()}


def container_resources(container: dict) -> tuple[Resources, Resources]:
    """A container's effective (requests, limits) once the API server has defaulted them.

    A limit without a request gives a request equal to the limit; values are rounded up to
    thousandths as the API server stores them. Values that are not quantities are skipped.
    """
    requests, limits = _defaulted_lists(as_dict(container).get("resources"))
    return _values(requests), _values(limits)


def _is_sidecar(container: dict) -> bool:
    return container.get("restartPolicy") == "Always"


def _add(total: dict, resource_list: dict) -> None:
    for name, (amount, fmt) in resource_list.items():
        if name in total:
            current, current_fmt = total[name]
            total[name] = (add_quantities(current, amount), current_fmt if current != 0 else fmt)
        else:
            total[name] = (amount, fmt)


def _max(total: dict, resource_list: dict) -> None:
    for name, (amount, fmt) in resource_list.items():
        if name not in total or amount > total[name][0]:
            total[name] = (amount, fmt)


def _as_written(resources: Any) -> tuple[dict, dict]:
    """(requests, limits) of one ResourceRequirements as a Pod template stores them: nothing
    defaults a template's requests (SetDefaults_Pod runs on Pods only)."""
    resources = as_dict(resources)
    return _read_list(resources.get("requests")), _read_list(resources.get("limits"))


def _aggregate(spec: dict, which: int, defaulted: bool = True) -> dict[str, tuple[Decimal, str]]:
    """What the Pod needs in total (AggregateContainerRequests / Limits, sidecar-aware), from
    the containers' values as stored (requests defaulted from limits unless ``defaulted`` is
    false, as in a template; rounded up to 0.001).

    Regular containers and sidecars add up; each classic init container runs alone beside the
    sidecars started before it, and the Pod needs the larger of the two.
    """
    lists = _defaulted_lists if defaulted else _as_written
    result: dict = {}
    for container in as_list(spec.get("containers")):
        if isinstance(container, dict):
            _add(result, lists(container.get("resources"))[which])
    sidecars: dict = {}
    init_peak: dict = {}
    for container in as_list(spec.get("initContainers")):
        if not isinstance(container, dict):
            continue
        own = lists(container.get("resources"))[which]
        if _is_sidecar(container):
            _add(result, own)
            _add(sidecars, own)
            usage = sidecars
        else:
            usage = {}
            _add(usage, own)
            _add(usage, sidecars)
        _max(init_peak, usage)
    _max(result, init_peak)
    return result


def _every_container_limits(spec: dict, name: str) -> bool:
    """aggregateContainerLimits: pod-level limits default only when every container (init and
    sidecar containers too) sets a limit for the resource."""
    containers = [
        as_dict(container)
        for field in ("initContainers", "containers", "ephemeralContainers")
        for container in as_list(spec.get(field))
    ]
    return all(name in as_dict(as_dict(c.get("resources")).get("limits")) for c in containers)


def _pod_level_lists(spec: dict) -> tuple[dict, dict] | None:
    """Pod-level (requests, limits) as stored: DefaultPodLevelResources, which runs when the Pod
    is created (PodLevelResourcesFixDefaulting, beta and on since 1.37).

    1. hugepages limits of the containers become pod-level limits (when the Pod sets no
       request for them); 2. cpu and memory requests of the containers, then pod-level limits,
       become pod-level requests; 3. a pod-level request without a limit gets the containers'
       total limit when every container sets one (raised to the request if that is larger).
    """
    resources = spec.get("resources")
    if not isinstance(resources, dict):
        return None
    requests = _read_list(resources.get("requests"))
    limits = _read_list(resources.get("limits"))
    raw_requests = as_dict(resources.get("requests"))
    raw_limits = as_dict(resources.get("limits"))
    if not raw_requests and not raw_limits:
        return requests, limits
    set_limits, set_requests = set(raw_limits), set(raw_requests)
    for name, value in _aggregate(spec, 1).items():
        if name.startswith("hugepages-") and name not in set_requests | set_limits:
            limits[name] = value
            set_limits.add(name)
    for name, value in _aggregate(spec, 0).items():
        if name not in set_requests and _supported_at_pod_level(name) and _overcommit_allowed(name):
            requests[name] = value
            set_requests.add(name)
    for name, value in limits.items():
        if name not in set_requests and _supported_at_pod_level(name):
            requests[name] = value
            set_requests.add(name)
    totals = _aggregate(spec, 1)
    for name, (request, fmt) in list(requests.items()):
        if not _supported_at_pod_level(name) or name in set_limits:
            continue
        if name in totals and _every_container_limits(spec, name):
            total, total_fmt = totals[name]
            limits[name] = (request, fmt) if request > total else (total, total_fmt)
    return requests, limits


def pod_resources(pod: dict) -> tuple[Resources, Resources] | None:
    """Pod-level ``spec.resources`` (requests, limits) as stored, or None if absent."""
    lists = _pod_level_lists(as_dict(as_dict(pod).get("spec")))
    if lists is None:
        return None
    return _values(lists[0]), _values(lists[1])


# --- apply_defaults -------------------------------------------------------------------------

_LABEL = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*"
_IMAGE = compile_lazily(
    rf"^(?:(?:{_DOMAIN}|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def image_tag(image: Any) -> str:
    """The tag the kubelet pulls (parsers.ParseImageName): "latest" when neither tag nor digest.

    An image that is not a valid reference has no tag (""), as upstream ignores the error.
    """
    if not isinstance(image, str) or re.fullmatch(r"[a-f0-9]{64}", image):
        return ""
    match = _IMAGE.match(image)
    if not match:
        return ""
    if match.group("tag"):
        return match.group("tag")
    return "" if "@" in image else "latest"


def default_pull_policy(image: Any) -> str:
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


def _unset(data: dict, key: str) -> bool:
    """Go's zero value check for a scalar field: absent, null, "" or 0 (never False)."""
    value = data.get(key)
    return value is None or value == "" or (type(value) is int and value == 0)


def _set_default(data: dict, key: str, value: Any) -> None:
    if _unset(data, key):
        data[key] = value


def _default_http_get(handler: Any) -> None:
    http_get = as_dict(as_dict(handler).get("httpGet"))
    if http_get:
        _set_default(http_get, "path", "/")
        _set_default(http_get, "scheme", "HTTP")


def _default_field_ref(holder: Any) -> None:
    field_ref = as_dict(as_dict(holder).get("fieldRef"))
    if field_ref:
        _set_default(field_ref, "apiVersion", "v1")


def _default_resource_list(resources: dict, key: str) -> None:
    resource_list = resources.get(key)
    if not isinstance(resource_list, dict):
        return
    for name, raw in list(resource_list.items()):
        try:
            amount, fmt = parse_with_format(raw)
        except QuantityError:
            continue
        rounded = _round_up_to_milli(amount)
        if rounded != amount:
            resource_list[name] = format_quantity(rounded, fmt)


def _default_container(container: dict, host_network: bool) -> None:
    if _unset(container, "imagePullPolicy"):
        container["imagePullPolicy"] = default_pull_policy(container.get("image"))
    _set_default(container, "terminationMessagePath", "/dev/termination-log")
    _set_default(container, "terminationMessagePolicy", "File")
    for port in as_list(container.get("ports")):
        if isinstance(port, dict):
            _set_default(port, "protocol", "TCP")
            if host_network and _unset(port, "hostPort") and "containerPort" in port:
                port["hostPort"] = port["containerPort"]
    for env in as_list(container.get("env")):
        _default_field_ref(as_dict(env).get("valueFrom"))
    resources = as_dict(container.get("resources"))
    for key in ("limits", "requests"):
        _default_resource_list(resources, key)
    for probe_name in _PROBES:
        probe = container.get(probe_name)
        if isinstance(probe, dict):
            _set_default(probe, "timeoutSeconds", 1)
            _set_default(probe, "periodSeconds", 10)
            _set_default(probe, "successThreshold", 1)
            _set_default(probe, "failureThreshold", 3)
            _default_http_get(probe)
            grpc = probe.get("grpc")
            if isinstance(grpc, dict) and grpc.get("service") is None:
                grpc["service"] = ""
    lifecycle = as_dict(container.get("lifecycle"))
    for hook in ("postStart", "preStop"):
        _default_http_get(lifecycle.get(hook))


def _requests_from_limits(container: dict) -> None:
    resources = container.get("resources")
    if not isinstance(resources, dict) or not isinstance(resources.get("limits"), dict):
        return
    if resources.get("requests") is None:
        resources["requests"] = {}
    requests = resources["requests"]
    if isinstance(requests, dict):
        for name, value in resources["limits"].items():
            if name not in requests:
                requests[name] = copy.deepcopy(value)


def _default_pod_level(spec: dict) -> None:
    resources = spec.get("resources")
    lists = _pod_level_lists(spec)
    if lists is None or not isinstance(resources, dict):
        return
    requests, limits = lists
    for key, computed in (("limits", limits), ("requests", requests)):
        current = resources.get(key)
        if current is not None and not isinstance(current, dict):
            continue
        additions = {
            name: format_quantity(amount, fmt)
            for name, (amount, fmt) in computed.items()
            if name not in (current or {})
        }
        if additions:
            resources[key] = {**(current or {}), **additions}
    for key in ("limits", "requests"):
        _default_resource_list(resources, key)


def _default_volume(volume: dict) -> None:
    if not any(value is not None for key, value in volume.items() if key != "name"):
        volume["emptyDir"] = {}
    image = volume.get("image")
    if isinstance(image, dict) and _unset(image, "pullPolicy"):
        image["pullPolicy"] = default_pull_policy(image.get("reference"))
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        source = volume.get(key)
        if isinstance(source, dict) and source.get("defaultMode") is None:
            source["defaultMode"] = _DEFAULT_MODE
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict) and host_path.get("type") is None:
        host_path["type"] = ""
    for item in as_list(as_dict(volume.get("downwardAPI")).get("items")):
        _default_field_ref(item)
    for source in as_list(as_dict(volume.get("projected")).get("sources")):
        source = as_dict(source)
        for item in as_list(as_dict(source.get("downwardAPI")).get("items")):
            _default_field_ref(item)
        token = source.get("serviceAccountToken")
        if isinstance(token, dict) and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = 3600


def apply_defaults(pod: dict) -> dict:
    """A deep copy of the Pod with the fields the API server would default. Never mutates input.

    Follows SetObjectDefaults_Pod: requests from limits (containers, init containers and the
    pod level), restartPolicy, dnsPolicy, grace period, scheduler, pull policy, termination
    message, port protocol, probe timings, HTTP probe path and scheme, volume modes.
    """
    result = copy.deepcopy(pod)
    if not isinstance(result, dict):
        return result
    spec = result.get("spec")
    if not isinstance(spec, dict):
        return result

    for field in ("containers", "initContainers"):
        for container in as_list(spec.get(field)):
            if isinstance(container, dict):
                _requests_from_limits(container)
    _default_pod_level(spec)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True

    _set_default(spec, "dnsPolicy", "ClusterFirst")
    _set_default(spec, "restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        spec["terminationGracePeriodSeconds"] = 30
    elif type(grace) is int and grace < 0:
        spec["terminationGracePeriodSeconds"] = 1  # SetDefaults_Pod
    _set_default(spec, "schedulerName", "default-scheduler")

    for volume in as_list(spec.get("volumes")):
        if isinstance(volume, dict):
            _default_volume(volume)
    host_network = spec.get("hostNetwork") is True
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for container in as_list(spec.get(field)):
            if isinstance(container, dict):
                _default_container(container, host_network and field != "ephemeralContainers")
    return result
