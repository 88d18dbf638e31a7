"""The checker that collects errors while the rules walk one Pod, and small readers."""

from decimal import Decimal
from functools import cache
from typing import Any

from podstudio.engine.paths import join
from podstudio.engine.quantity import QuantityError, parse_quantity
from podstudio.engine.results import RULE_CRASHED, FieldError
from podstudio.engine.schema import (
    version_tuple,
)
from podstudio.engine.validation.features import on_by_default


def rule_crashed(what: str) -> FieldError:
    """The error a report carries when a rule raised (``results.RULE_CRASHED``), with the
    traceback in the log where logging is set up (the server); the command line, which sets up
    none, prints the error line and no traceback. Call it in an ``except`` block."""
    import logging  # only here: a short CLI run does not pay for importing it

    logger = logging.getLogger("podstudio.engine.validation")
    if logger.hasHandlers():
        logger.exception("a %s validation rule crashed", what)
    return FieldError("", RULE_CRASHED)


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def is_empty(value: Any) -> bool:
    """Unset or blank; a value of another type is the schema's to report."""
    return value is None or value == ""


def is_set(data: dict, key: str) -> bool:
    return data.get(key) is not None


def as_quantity(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return parse_quantity(value)
    except (QuantityError, ValueError, ArithmeticError, TypeError, NotImplementedError):
        return None


def one_of(values: tuple[str, ...]) -> str:
    return "must be one of: " + ", ".join(values)


@cache
def _version_facts(version: str) -> tuple[int, bool, bool, bool, bool, bool]:
    """The minor version and the gates ``Checker`` reads, once per version (a Pod's check
    makes a few checkers, a workload's a few more)."""
    minor = version_tuple(version)[1]
    return (
        minor,
        on_by_default("SidecarContainers", minor),
        on_by_default("RelaxedEnvironmentVariableValidation", minor),
        on_by_default("RelaxedDNSSearchValidation", minor),
        on_by_default("PodLifecycleSleepActionAllowZero", minor),
        on_by_default("PodLevelResources", minor),
    )


class Checker:
    """Collects errors while the rules walk one Pod; knows the version's feature set."""

    def __init__(self, version: str) -> None:
        self.errors: list[FieldError] = []
        (
            self.minor,
            self.sidecars,
            self.relaxed_env_names,
            self.relaxed_dns_search,
            self.sleep_zero_allowed,
            self.pod_resources,
        ) = _version_facts(version)
        # With hostNetwork an unset hostPort becomes the containerPort: in Pods always, in the
        # Pod templates of workloads only before 1.28 (DefaultHostNetworkHostPortsInPodTemplates).
        self.default_host_ports = True
        # SetDefaults_Pod: requests from limits and pod-level requests, in Pods only (never in
        # the Pod template of a workload).
        self.pod_defaults = True
        # A workload's Pod template: ValidatePodTemplateSpec gives the spec's rules no Pod
        # metadata, so the rules that read the Pod's annotations do not hold there.
        self.template = False
        # The volume the ServiceAccount admission mounts the API token from in each init and
        # regular container (``mounts.token_volume``); None when it mounts nothing.
        self.token_volume: str | None = None

    def on(self, gate: str) -> bool:
        """Whether a feature gate is on by default in the version being checked."""
        return on_by_default(gate, self.minor)

    def add(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path=path, message=message))

    def add_all(self, path: str, messages: list[str]) -> None:
        for message in messages:
            self.add(path, message)

    def required(self, path: str) -> None:
        field = path.rsplit(".", 1)[-1]
        self.add(path, f'required field "{field}" is missing')

    def enum(
        self, data: dict, key: str, path: str, allowed: tuple[str, ...], said: tuple[str, ...] = ()
    ) -> None:
        """``said``: the values the message lists, when ``allowed`` also takes an empty one."""
        value = as_text(data.get(key))
        if value is not None and value not in allowed:
            self.add(join(path, key), one_of(said or allowed))

    def int_range(self, data: dict, key: str, path: str, low: int, high: int) -> None:
        value = as_int(data.get(key))
        if value is not None and not low <= value <= high:
            self.add(join(path, key), f"must be between {low} and {high}, inclusive")

    def non_negative(self, data: dict, key: str, path: str) -> None:
        value = as_int(data.get(key))
        if value is not None and value < 0:
            self.add(join(path, key), "must be greater than or equal to 0")

    def name_like(self, data: dict, key: str, path: str, check: Any) -> None:
        """Validates a string field with ``check`` when it is set and not empty."""
        value = as_text(data.get(key))
        if value:
            self.add_all(join(path, key), check(value))
