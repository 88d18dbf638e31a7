"""What the API server would reject in a Pod, as plain messages at exact field paths.

Two layers, as in Kubernetes itself: the OpenAPI schema of the chosen version (types, unknown
and required fields; see ``schema``), then the rules the schema cannot express, taken from
``pkg/apis/core/validation/validation.go`` (``ValidatePodCreate`` and what it calls) and from
apimachinery's name and label validation. The server validates the object *after* defaulting,
so a field left out here is treated as its default (``protocol`` as TCP, ``successThreshold``
as 1 ...) and only values the user wrote can fail.

Rules read the manifest defensively: a value of the wrong type is the schema's to report, so the
rules skip it. Messages are short and written for people learning Kubernetes.

Not covered (the API server may still reject these): resource claims and dynamic resource
allocation, volume devices, the legacy volume plugins beyond their required fields, most
projected volume sources, Windows host-process details, and rules that depend on the cluster
(e.g. privileged containers disallowed by kubelet flags). Alpha features count as switched off.

Modules, in the order the rules build on each other: ``formats`` (names and labels), ``checker``,
``metadata``, ``volumes``, ``containers``, ``resources``, and ``pod`` (the spec as a whole).
"""

from podstudio.engine.validation.formats import (
    config_map_key_errors,
    dns_label_errors,
    dns_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)
from podstudio.engine.validation.pod import validate_pod

__all__ = [
    "config_map_key_errors",
    "dns_label_errors",
    "dns_subdomain_errors",
    "label_value_errors",
    "qualified_name_errors",
    "validate_pod",
]
