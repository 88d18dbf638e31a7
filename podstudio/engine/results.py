"""The shapes every check returns. Plain data, so views, the CLI and the API share them."""

from dataclasses import dataclass, field

LEVELS = ("privileged", "baseline", "restricted")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class FieldError:
    """Something the API server would reject, at a field path."""

    path: str
    message: str


@dataclass(frozen=True)
class Violation:
    """A Pod Security Standards control the Pod fails."""

    control: str
    level: str  # the lowest level that forbids it: "baseline" or "restricted"
    path: str
    message: str
    fix: str


@dataclass(frozen=True)
class Finding:
    """A best-practice finding: the Pod is accepted, but could be better."""

    id: str
    severity: str  # "error" (serious risk), "warning" or "info"
    path: str
    message: str
    fix: str


@dataclass(frozen=True)
class QosResult:
    qos_class: str  # "Guaranteed", "Burstable" or "BestEffort"
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PssResult:
    level: str  # the highest level the Pod meets
    violations: list[Violation] = field(default_factory=list)


def as_dicts(items: list) -> list[dict]:
    """Each result as a JSON-ready dict, fields in declaration order.

    Every field of these results is a string, so a shallow copy is all ``dataclasses.asdict``
    would do, at a fraction of its cost (it deep-copies each value).
    """
    return [dict(vars(item)) for item in items]
