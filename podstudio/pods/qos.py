"""PLACEHOLDER — being written (QoS class)."""

from podstudio.pods.results import QosResult


def compute_qos(pod: dict) -> QosResult:
    return QosResult("BestEffort", [])
