"""PLACEHOLDER — being written (best-practice findings)."""

from podstudio.pods.results import Finding


def lint_pod(pod: dict) -> list[Finding]:
    return []
