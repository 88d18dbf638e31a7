"""The shapes every check returns. Plain data, so views, the CLI and the API share them.

The engine's records are named tuples, not dataclasses: immutable either way, but making a
dataclass costs about 0.4 ms (exec'd methods) and importing ``dataclasses`` 6 ms, together a
sixth of a one-file ``podstudio analyze`` run; a named tuple is made in a tenth of that.
"""

from typing import NamedTuple

LEVELS = ("privileged", "baseline", "restricted")
SEVERITIES = ("error", "warning", "info")


class FieldError(NamedTuple):
    """Something the API server would reject, at a field path."""

    path: str
    message: str


# What a report says when one of the engine's rules failed on a value of a shape it did not
# expect: an error, so that a document the engine could not finish judging never passes a gate.
RULE_CRASHED = (
    "Pod Studio could not finish checking this document: one of its rules failed on a value of "
    "an unexpected shape (a bug in Pod Studio), so the document is not passed as valid; "
    "kubectl apply --dry-run=server gives the cluster's answer"
)


class Violation(NamedTuple):
    """A Pod Security Standards control the Pod fails."""

    control: str
    level: str  # the lowest level that forbids it: "baseline" or "restricted"
    path: str
    message: str
    fix: str


class Finding(NamedTuple):
    """A best-practice finding: the Pod is accepted, but could be better."""

    id: str
    severity: str  # "error" (serious risk), "warning" or "info"
    path: str
    message: str
    fix: str


class QosResult(NamedTuple):
    qos_class: str  # "Guaranteed", "Burstable" or "BestEffort"
    reasons: list[str]


class PssResult(NamedTuple):
    level: str  # the highest level the Pod meets
    violations: list[Violation]


def as_dicts(items: list) -> list[dict]:
    """Each result as a JSON-ready dict, fields in declaration order (every field is a string)."""
    return [item._asdict() for item in items]
