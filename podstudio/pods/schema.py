"""PLACEHOLDER — being written (OpenAPI schema per Kubernetes version)."""

DEFAULT_VERSION = "1.37"


class UnknownVersionError(ValueError):
    pass


def resolve_version(version: str | None) -> str:
    return version or DEFAULT_VERSION
