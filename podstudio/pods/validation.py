"""PLACEHOLDER — being written (validation)."""

from podstudio.pods.results import FieldError


def validate_pod(pod: dict, k8s_version: str | None = None) -> list[FieldError]:
    return []
