"""PLACEHOLDER — being written (Pod Security Standards)."""

from podstudio.pods.results import PssResult


def evaluate_pss(pod: dict) -> PssResult:
    return PssResult("restricted", [])
