"""The Pod's QoS class, computed as Kubernetes does (pkg/apis/core/helper/qos ComputePodQOS).

Only cpu and memory count, and only non-zero values. Requests are first defaulted from limits,
as the API server does before it records the class. Init containers and sidecars count like
regular containers; ephemeral containers cannot set resources and do not count. When the Pod
sets cpu, memory or hugepages at the pod level (``spec.resources``, Kubernetes 1.34+), those
pod-level values alone decide the class.
"""

from decimal import Decimal

from podstudio.engine.defaults import Resources, container_resources, pod_resources
from podstudio.engine.paths import as_dict, as_list, pod_spec
from podstudio.engine.quantity import BINARY_SI, DECIMAL_SI, add_quantities, format_quantity
from podstudio.engine.results import QosResult

GUARANTEED = "Guaranteed"
BURSTABLE = "Burstable"
BEST_EFFORT = "BestEffort"
QOS_RESOURCES = ("cpu", "memory")
_ZERO = Decimal(0)


def _show(name: str, amount: Decimal) -> str:
    """A quantity as people write it: 250m for CPU, 128Mi for memory that divides evenly."""
    if name == "memory":
        binary = format_quantity(amount, BINARY_SI)
        if binary.endswith("i"):
            return binary
    return format_quantity(amount, DECIMAL_SI)


def _positive(resources: Resources) -> Resources:
    return {
        name: amount for name, amount in resources.items() if name in QOS_RESOURCES and amount > 0
    }


def _pod_level_set(spec: dict) -> bool:
    """isPodLevelResourcesSet: spec.resources names cpu, memory or hugepages-*."""
    resources = as_dict(spec.get("resources"))
    names = [*as_dict(resources.get("requests")), *as_dict(resources.get("limits"))]
    return any(
        isinstance(name, str) and (name in QOS_RESOURCES or name.startswith("hugepages-"))
        for name in names
    )


def _label(field: str, container: dict, index: int) -> str:
    name = container.get("name")
    shown = f'"{name}"' if isinstance(name, str) and name else f"#{index + 1}"
    if field == "initContainers":
        kind = (
            "sidecar container" if container.get("restartPolicy") == "Always" else "init container"
        )
        return f"{kind} {shown}"
    return f"container {shown}"


def _gaps(label: str, requests: Resources, limits: Resources) -> list[str]:
    """Why one set of requests and limits keeps the Pod from being Guaranteed."""
    reasons = []
    for name in QOS_RESOURCES:
        request, limit = requests.get(name), limits.get(name)
        if limit is None and request is None:
            reasons.append(f"{label} sets no {name} limit, so the Pod cannot be Guaranteed")
        elif limit is None:
            reasons.append(
                f"{label}: {name} request {_show(name, request)} has no limit, "
                "so the Pod cannot be Guaranteed"
            )
        elif request is None:
            reasons.append(
                f"{label}: {name} request is 0 while the limit is {_show(name, limit)}, "
                "so the Pod cannot be Guaranteed"
            )
        elif request != limit:
            reasons.append(
                f"{label}: {name} request {_show(name, request)} differs from limit "
                f"{_show(name, limit)}, so the Pod cannot be Guaranteed"
            )
    return reasons


def _classify(requests: Resources, limits: Resources, guaranteed: bool) -> str:
    if not requests and not limits:
        return BEST_EFFORT
    matching = all(limits.get(name) == amount for name, amount in requests.items())
    if guaranteed and matching and len(requests) == len(limits):
        return GUARANTEED
    return BURSTABLE


def _pod_level_qos(pod: dict, spec: dict) -> QosResult:
    requests, limits = pod_resources(pod) or ({}, {})
    positive_requests, positive_limits = _positive(requests), _positive(limits)
    guaranteed = not limits or all(name in positive_limits for name in QOS_RESOURCES)
    qos_class = _classify(positive_requests, positive_limits, guaranteed)
    intro = "spec.resources sets pod-level cpu or memory, so it alone decides the QoS class"
    if qos_class == BEST_EFFORT:
        return QosResult(BEST_EFFORT, [intro, "spec.resources sets no non-zero cpu or memory"])
    if qos_class == GUARANTEED:
        return QosResult(
            GUARANTEED,
            [
                intro,
                "pod-level cpu and memory requests equal their limits, so the Pod is Guaranteed",
            ],
        )
    reasons = _gaps("spec.resources", positive_requests, positive_limits)
    return QosResult(BURSTABLE, [intro, *reasons] if reasons else [intro])


def compute_qos(pod: dict) -> QosResult:
    """The QoS class Kubernetes will give this Pod, with plain sentences explaining it."""
    spec = pod_spec(pod)
    if _pod_level_set(spec):
        return _pod_level_qos(pod, spec)

    total_requests: Resources = {}
    total_limits: Resources = {}
    guaranteed = True
    gaps: list[str] = []
    defaulted: list[str] = []
    for field in ("containers", "initContainers"):
        for index, container in enumerate(as_list(spec.get(field))):
            if not isinstance(container, dict):
                continue
            requests, limits = container_resources(container)
            requests, limits = _positive(requests), _positive(limits)
            for name, amount in requests.items():
                total_requests[name] = add_quantities(total_requests.get(name, _ZERO), amount)
            for name, amount in limits.items():
                total_limits[name] = add_quantities(total_limits.get(name, _ZERO), amount)
            if not all(name in limits for name in QOS_RESOURCES):
                guaranteed = False
            label = _label(field, container, index)
            gaps.extend(_gaps(label, requests, limits))
            raw_requests = as_dict(as_dict(container.get("resources")).get("requests"))
            if any(name in limits and name not in raw_requests for name in QOS_RESOURCES):
                defaulted.append(label)

    qos_class = _classify(total_requests, total_limits, guaranteed)
    if qos_class == BEST_EFFORT:
        return QosResult(
            BEST_EFFORT,
            ["no container sets cpu or memory requests or limits, so the Pod is BestEffort"],
        )
    notes = [
        f"{label}: requests left out default to the limits, as the API server sets them"
        for label in defaulted
    ]
    if qos_class == GUARANTEED:
        return QosResult(
            GUARANTEED,
            [
                *notes,
                "every container sets cpu and memory limits and its requests equal them, "
                "so the Pod is Guaranteed",
            ],
        )
    summary = "some container sets cpu or memory, so the Pod is Burstable rather than BestEffort"
    return QosResult(BURSTABLE, [*notes, *gaps, summary] if gaps else [*notes, summary])
