"""The Pod's QoS class, as the API server records it when the Pod is created.

Upstream computes it in ``PrepareForCreate`` (``qos.ComputePodQOS``) on the Pod as stored:
container requests defaulted from limits and rounded up to thousandths, and pod-level
``spec.resources`` defaulted from the containers (``DefaultPodLevelResources``,
PodLevelResourcesFixDefaulting, beta and on since 1.37). Then:

- when ``spec.resources`` names cpu, memory or hugepages (PodLevelResourcesFixKubeletQOSClass,
  beta and on since 1.37), the pod-level requests and limits alone decide;
- otherwise each init and regular container is classed on its own: cpu and memory each
  Guaranteed (request equals a non-zero limit), BestEffort (both zero) or Burstable; a container
  mixing them is Burstable; the Pod is Burstable if any container is, or if BestEffort and
  Guaranteed containers are mixed.

Only cpu and memory count. Ephemeral containers cannot set resources and do not count.
"""

from decimal import Decimal

from podstudio.engine.defaults import Resources, container_resources, pod_resources
from podstudio.engine.paths import as_dict, as_list, pod_spec
from podstudio.engine.quantity import BINARY_SI, DECIMAL_SI, format_quantity
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


def _pod_level_set(pod: dict) -> bool:
    """IsPodLevelResourcesSet: spec.resources names cpu, memory or hugepages-*."""
    resources = as_dict(pod_spec(pod).get("resources"))
    names = [*as_dict(resources.get("requests")), *as_dict(resources.get("limits"))]
    return any(
        isinstance(name, str) and (name in QOS_RESOURCES or name.startswith("hugepages-"))
        for name in names
    )


def _requirements_qos(requests: Resources, limits: Resources) -> str:
    """requirementsQOS: cpu and memory must agree on one class."""
    if not requests and not limits:
        return BEST_EFFORT
    classes = set()
    for name in QOS_RESOURCES:
        request, limit = requests.get(name, _ZERO), limits.get(name, _ZERO)
        if request != limit:
            return BURSTABLE
        classes.add(BEST_EFFORT if request == 0 else GUARANTEED)
    return classes.pop() if len(classes) == 1 else BURSTABLE


def _gaps(label: str, requests: Resources, limits: Resources) -> list[str]:
    """Why one set of requests and limits is not Guaranteed, in plain sentences."""
    reasons = []
    for name in QOS_RESOURCES:
        request, limit = requests.get(name, _ZERO), limits.get(name, _ZERO)
        if request == limit == 0:
            reasons.append(f"{label} sets no {name} limit, so the Pod cannot be Guaranteed")
        elif limit == 0:
            reasons.append(
                f"{label}: {name} request {_show(name, request)} has no limit, "
                "so the Pod cannot be Guaranteed"
            )
        elif request == 0:
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


def _label(field: str, container: dict, index: int) -> str:
    name = container.get("name")
    shown = f'"{name}"' if isinstance(name, str) and name else f"#{index + 1}"
    if field == "initContainers":
        kind = (
            "sidecar container" if container.get("restartPolicy") == "Always" else "init container"
        )
        return f"{kind} {shown}"
    return f"container {shown}"


def _pod_level_qos(pod: dict) -> QosResult:
    requests, limits = pod_resources(pod) or ({}, {})
    qos_class = _requirements_qos(requests, limits)
    intro = (
        "spec.resources sets pod-level cpu, memory or hugepages, so it alone decides the QoS "
        "class (with what the API server fills in from the containers)"
    )
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
    return QosResult(BURSTABLE, [intro, *_gaps("spec.resources", requests, limits)])


def compute_qos(pod: dict) -> QosResult:
    """The QoS class Kubernetes will give this Pod, with plain sentences explaining it."""
    if _pod_level_set(pod):
        return _pod_level_qos(pod)
    spec = pod_spec(pod)
    classes: list[str] = []
    gaps: list[str] = []
    defaulted: list[str] = []
    for field in ("initContainers", "containers"):
        for index, container in enumerate(as_list(spec.get(field))):
            if not isinstance(container, dict):
                continue
            requests, limits = container_resources(container)
            container_class = _requirements_qos(requests, limits)
            classes.append(container_class)
            label = _label(field, container, index)
            if container_class != GUARANTEED:
                gaps.extend(_gaps(label, requests, limits))
            raw_requests = as_dict(as_dict(container.get("resources")).get("requests"))
            if any(name in limits and name not in raw_requests for name in QOS_RESOURCES):
                defaulted.append(label)
    notes = [
        f"{label}: requests left out default to the limits, as the API server sets them"
        for label in defaulted
    ]
    if not classes or all(item == BEST_EFFORT for item in classes):
        return QosResult(
            BEST_EFFORT,
            ["no container sets cpu or memory requests or limits, so the Pod is BestEffort"],
        )
    if all(item == GUARANTEED for item in classes):
        return QosResult(
            GUARANTEED,
            [
                *notes,
                "every container sets cpu and memory limits and its requests equal them, "
                "so the Pod is Guaranteed",
            ],
        )
    summary = "some container sets cpu or memory, so the Pod is Burstable rather than BestEffort"
    if BURSTABLE not in classes:
        summary = "some containers are Guaranteed and others BestEffort, so the Pod is Burstable"
    return QosResult(BURSTABLE, [*notes, *gaps, summary] if gaps else [*notes, summary])
