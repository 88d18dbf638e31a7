"""Requests and limits of containers and of the Pod (``validateResourceRequirements``,
``validatePodResources``, ``validatePodResourceConsistency``, ``validateResourceClaimNames``).

The API server validates them as stored: a container's requests are defaulted from its limits
first (so a bad limit is reported under ``requests`` too), and pod-level ``spec.resources`` is
defaulted from the containers (``DefaultPodLevelResources``) before it is judged.
"""

from decimal import Decimal
from typing import Any

from podstudio.engine.defaults import pod_resources
from podstudio.engine.paths import as_dict, as_list, join, join_key
from podstudio.engine.quantity import (
    QuantityError,
    format_quantity,
    go_remainder,
    int64_value,
    parse_quantity,
    round_up_to,
)
from podstudio.engine.validation.checker import Checker, as_quantity, as_text, one_of
from podstudio.engine.validation.formats import dns_label_errors, qualified_name_errors

STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
STANDARD_RESOURCES = frozenset(
    {
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "storage",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
    }
)
POD_LEVEL_RESOURCES = ("cpu", "memory", "hugepages-")


def is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def overcommit_allowed(name: str) -> bool:
    return is_native(name) and not is_hugepages(name)


def is_extended(name: str) -> bool:
    """IsExtendedResourceName: outside the default namespace, and a valid quota name."""
    if is_native(name) or name.startswith("requests."):
        return False
    return not qualified_name_errors(f"requests.{name}")


def _resource_name_errors(name: str) -> list[str]:
    """validateResourceName."""
    errors = list(qualified_name_errors(name))
    if errors:
        return errors
    standard = name in STANDARD_RESOURCES or name.startswith(("hugepages-", "requests.hugepages-"))
    if "/" not in name and not standard:
        return ["must be a standard resource type or fully qualified"]
    return []


def container_resource_name(name: str) -> list[str]:
    """ValidateContainerResourceName."""
    errors = _resource_name_errors(name)
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not is_hugepages(name):
            errors.append("must be a standard resource for containers")
    elif not is_native(name) and not is_extended(name):
        errors.append("doesn't follow extended resource name standard")
    return errors


def pod_resource_name(name: str) -> list[str]:
    """validatePodResourceName."""
    errors = _resource_name_errors(name)
    if errors:
        return errors
    if name not in ("cpu", "memory") and not is_hugepages(name):
        return [one_of(POD_LEVEL_RESOURCES)]
    return []


def _hugepage_errors(name: str, value: Any, text: str) -> list[str]:
    """IsHugePageResourceValueDivisible, in the API server's int64 arithmetic: the stored
    value's Value() modulo the page size's (a count past int64 wraps, or is 0, as there)."""
    size = name.removeprefix("hugepages-")
    try:
        page = parse_quantity(size)
        page_value = int64_value(size)
        whole_pages = page > 0 and go_remainder(int64_value(size, milli=True), 1000) == 0
    except QuantityError:
        whole_pages = False
    if not whole_pages:
        return [f"{text} is not positive integer multiple of {name}"]
    if page_value == 0:  # the server divides by zero: the request fails without an answer
        return [
            f"the page size of {name:.80} is past what the API server can count (its check "
            "divides by zero and the request fails): use a size such as 2Mi or 1Gi"
        ]
    if go_remainder(int64_value(value, stored=True), page_value) != 0:
        return [f"{text} is not positive integer multiple of {name}"]
    return []


def _stored(value: Any) -> Decimal | None:
    """A quantity as stored: rounded up to thousandths (SetDefaults_ResourceList)."""
    amount = as_quantity(value)
    return None if amount is None else round_up_to(amount, -3)


def _quantity_errors(name: str, amount: Decimal, value: Any) -> list[str]:
    """ValidateResourceQuantityValue, on the quantity as stored (``amount``, read from
    ``value``). An extended resource must be whole: ``MilliValue() % 1000 == 0`` in Go's int64
    arithmetic, which wraps past 2^63 (1Ei is refused: its thousandths wrap to -2^63)."""
    errors = []
    if amount < 0:
        errors.append("must be greater than or equal to 0")
        whole = amount == amount.to_integral_value()  # (exact: no wrap below zero is modelled)
    elif is_extended(name):
        try:
            whole = go_remainder(int64_value(value, milli=True, stored=True), 1000) == 0
        except QuantityError:
            whole = amount == amount.to_integral_value()
    else:
        whole = True
    if is_extended(name) and not whole:
        errors.append("must be an integer")
    return errors


def _read(c: Checker, values: dict, path: str, name_errors: Any, report: bool) -> dict:
    """{name: (quantity, text)} of a ResourceList; names and values are checked on the way."""
    readable: dict[str, tuple[Decimal, str]] = {}
    for name, value in values.items():
        if not isinstance(name, str):
            continue
        key_path = join_key(path, name)
        if report:
            c.add_all(key_path, name_errors(name))
        quantity = as_quantity(value)
        if quantity is None:
            continue  # the schema reports it once, where it was written
        text = format_quantity(quantity, "DecimalSI") if not isinstance(value, str) else value
        # SetDefaults_ResourceList rounds every value up to thousandths before validation:
        # a limit of 0.1m is stored, and compared, as 1m.
        quantity = round_up_to(quantity, -3)
        readable[name] = (quantity, text)
        if report:
            c.add_all(key_path, _quantity_errors(name, quantity, value))
            if is_hugepages(name):
                c.add_all(key_path, _hugepage_errors(name, value, text))
    return readable


def check_requirements(
    c: Checker,
    limits_in: dict,
    requests_in: dict,
    path: str,
    name_errors: Any,
    claims: Any = None,
    pod_claims: set[str] | None = None,
) -> None:
    """validateResourceRequirements on lists as stored (requests already defaulted)."""
    limits_path, requests_path = join(path, "limits"), join(path, "requests")
    limits = _read(c, limits_in, limits_path, name_errors, True)
    requests = _read(c, requests_in, requests_path, name_errors, True)
    for name, (request, text) in requests.items():
        if name in limits:
            limit, limit_text = limits[name]
            if request != limit and not overcommit_allowed(name):
                c.add(requests_path, f"{text}: must be equal to {name} limit of {limit_text}")
            elif request > limit:
                c.add(
                    requests_path,
                    f"{text}: must be less than or equal to {name} limit of {limit_text}",
                )
        elif not overcommit_allowed(name) and name not in limits_in:
            c.add(limits_path, "Limit must be set for non overcommitable resources")
    names = set(limits_in) | set(requests_in)
    if any(isinstance(n, str) and is_hugepages(n) for n in names) and not names & {"cpu", "memory"}:
        c.add(path, "HugePages require cpu or memory")
    if claims is not None:
        _check_claim_names(c, claims, join(path, "claims"), pod_claims or set())


def _check_claim_names(c: Checker, claims: Any, path: str, pod_claims: set[str]) -> None:
    names: set[str] = set()
    for index, claim in enumerate(as_list(claims)):
        claim = as_dict(claim)
        claim_path = join(path, index)
        name = claim.get("name")
        if not isinstance(name, str) or not name:
            if name is None or name == "":
                c.required(claim_path)
            continue
        request = as_text(claim.get("request")) or ""
        if name in names:
            c.add(claim_path, f'duplicate claim "{name}"')
        else:
            key = name
            if request:
                c.add_all(join(claim_path, "request"), dns_label_errors(request))
                key = f"{name}/{request}"
            if key in names:
                c.add(claim_path, f'duplicate claim "{key}"')
            elif not request and any(n.split("/", 1)[0] == name for n in names if "/" in n):
                c.add(claim_path, f'duplicate claim "{name}"')
            names.add(key)
        if name not in pod_claims:
            shown = ", ".join(sorted(pod_claims)) if pod_claims else "which is empty"
            c.add(claim_path, f"must be one of the names in pod.spec.resourceClaims: {shown}")


def check_resources(
    c: Checker,
    resources: dict,
    path: str,
    name_errors: Any,
    pod_claims: set[str],
    defaulted: bool = True,
) -> None:
    """A container's resources, after its requests default to its limits when ``defaulted``:
    SetDefaults_Pod does that for a Pod's containers and init containers, not for its
    ephemeral containers, and never in a workload's template."""
    limits = as_dict(resources.get("limits"))
    requests = dict(as_dict(resources.get("requests")))
    if (
        defaulted
        and c.pod_defaults
        and isinstance(resources.get("limits"), dict)
        and (resources.get("requests") is None or isinstance(resources.get("requests"), dict))
    ):
        for name, value in limits.items():
            requests.setdefault(name, value)
    check_requirements(c, limits, requests, path, name_errors, resources.get("claims"), pod_claims)


def check_overhead(c: Checker, spec: dict) -> None:
    overhead = spec.get("overhead")
    if isinstance(overhead, dict):
        check_requirements(c, overhead, {}, "spec.overhead", container_resource_name)


def check_pod_resources(c: Checker, spec: dict, pod: dict, pod_claims: set[str]) -> None:
    """validatePodResources (pod-level ``spec.resources``, on by default since 1.34). Claims
    are refused there, and their names are still checked against ``spec.resourceClaims`` as a
    container's are."""
    resources = spec.get("resources")
    if not isinstance(resources, dict) or not c.pod_resources:
        return
    path = "spec.resources"
    if as_dict(spec.get("os")).get("name") == "windows":
        c.add(path, "may not be set for a windows pod")
        return
    if resources.get("claims") is not None:
        c.add(join(path, "claims"), "claims may not be set for Resources at pod-level")
    if c.pod_defaults:
        requests, limits = _stored_pod_lists(resources, pod)
    else:  # a template's pod-level lists are judged as written
        requests = dict(as_dict(resources.get("requests")))
        limits = dict(as_dict(resources.get("limits")))
    claims = resources.get("claims")
    check_requirements(c, limits, requests, path, pod_resource_name, claims, pod_claims)
    _check_consistency(c, spec, requests, limits)


def _stored_pod_lists(resources: dict, pod: dict) -> tuple[dict, dict]:
    """The pod-level lists after DefaultPodLevelResources: what the user wrote, plus what the
    API server fills in (as quantities)."""
    requests = dict(as_dict(resources.get("requests")))
    limits = dict(as_dict(resources.get("limits")))
    stored = pod_resources(pod)
    if stored is not None:
        for name, amount in stored[0].items():
            # A request copied from the limit is that Quantity, in the form it was read in
            # (which its int64 Value() depends on).
            copied = name in limits and _stored(limits[name]) == amount
            requests.setdefault(
                name, limits[name] if copied else format_quantity(amount, "DecimalSI")
            )
        for name, amount in stored[1].items():
            limits.setdefault(name, format_quantity(amount, "DecimalSI"))
    return requests, limits


def _check_consistency(c: Checker, spec: dict, requests: dict, limits: dict) -> None:
    """validatePodResourceConsistency: the Pod holds what its containers ask for."""
    from podstudio.engine.defaults import _aggregate  # the same aggregation upstream uses

    path = "spec.resources"
    for name, (total, fmt) in _aggregate(spec, 0, c.pod_defaults).items():
        if name not in requests:
            continue
        pod_request = _stored(requests[name])
        if pod_request is not None and total > pod_request:
            c.add(
                join_key(join(path, "requests"), name),
                "must be greater than or equal to aggregate container requests of "
                f"{format_quantity(total, fmt)}",
            )
    for name, (total, fmt) in _aggregate(spec, 1, c.pod_defaults).items():
        if not is_hugepages(name) or name not in limits:
            continue
        pod_limit = _stored(limits[name])
        if pod_limit is not None and total > pod_limit:
            c.add(
                join_key(join(path, "limits"), name),
                "must be greater than or equal to aggregate container limits of "
                f"{format_quantity(total, fmt)}",
            )
    for index, ctr in enumerate(as_list(spec.get("containers"))):
        for name, value in as_dict(as_dict(as_dict(ctr).get("resources")).get("limits")).items():
            if name not in limits:
                continue
            ctr_limit, pod_limit = _stored(value), _stored(limits[name])
            if ctr_limit is not None and pod_limit is not None and ctr_limit > pod_limit:
                # Upstream's path: spec.resources.containers[i][name].limits
                c.add(
                    f"{path}.containers[{index}][{name}].limits",
                    f"must be less than or equal to pod limits of {limits[name]}",
                )
