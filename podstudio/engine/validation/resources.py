"""Requests and limits of containers and of the Pod
(``validateResourceRequirements``, ``validatePodResources``)."""

from decimal import Decimal
from typing import Any

from podstudio.engine.paths import as_dict, as_list, join, join_key
from podstudio.engine.schema import (
    QUANTITY_MESSAGE,
)
from podstudio.engine.validation.checker import (
    Checker,
    as_quantity,
    is_set,
    one_of,
)
from podstudio.engine.validation.formats import (
    qualified_name_errors,
)

STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
POD_LEVEL_RESOURCES = ("cpu", "memory")


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def container_resource_name(name: str) -> list[str]:
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
        return [one_of(POD_LEVEL_RESOURCES + ("hugepages-<size>",))]
    return []


def _resource_values(c: Checker, values: Any, path: str, name_errors: Any) -> dict:
    """Checks a ``limits`` or ``requests`` map; returns ``{name: (quantity, text)}`` of the
    values that could be read."""
    readable: dict[str, tuple[Decimal, str]] = {}
    for name, value in as_dict(values).items():
        if not isinstance(name, str):
            continue
        key_path = join_key(path, name)
        c.add_all(key_path, name_errors(name))
        quantity = as_quantity(value)
        if quantity is None:
            if isinstance(value, str):
                c.add(key_path, QUANTITY_MESSAGE)
            continue
        if quantity < 0:
            c.add(key_path, "must be greater than or equal to 0")
        if not _is_native(name) and quantity != quantity.to_integral_value():
            c.add(key_path, "must be an integer")
        if _is_hugepages(name):
            page = as_quantity(name.removeprefix("hugepages-"))
            if not page or quantity % page != 0:
                c.add(key_path, f"{value} is not a whole multiple of the page size of {name}")
        readable[name] = (quantity, str(value))
    return readable


def check_resources(c: Checker, resources: dict, path: str, name_errors: Any) -> None:
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
    values = {name: as_quantity(value) for name, value in as_dict(resources.get("limits")).items()}
    values |= {
        name: as_quantity(value) for name, value in as_dict(resources.get("requests")).items()
    }
    return {name: value for name, value in values.items() if value is not None}


def check_pod_resources(c: Checker, spec: dict) -> None:
    """validatePodResources (pod-level ``spec.resources``, on by default since 1.34)."""
    resources = spec.get("resources")
    if not isinstance(resources, dict) or not c.pod_resources:
        return
    if is_set(resources, "claims"):
        c.add("spec.resources.claims", "claims cannot be set for Resources at pod-level")
    check_resources(c, resources, "spec.resources", _pod_resource_name)

    limits = {n: as_quantity(v) for n, v in as_dict(resources.get("limits")).items()}
    requests = dict(limits) | {
        n: as_quantity(v) for n, v in as_dict(resources.get("requests")).items()
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
            ctr_limit, pod_limit = as_quantity(value), limits.get(name)
            if ctr_limit is not None and pod_limit is not None and ctr_limit > pod_limit:
                c.add(
                    join_key(f"spec.containers[{index}].resources.limits", name),
                    f"must be less than or equal to the pod limit of {resources['limits'][name]}",
                )
