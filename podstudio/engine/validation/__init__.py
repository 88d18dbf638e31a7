"""What the API server would reject in a Pod, as plain messages at exact field paths.

Two layers, as in Kubernetes itself: the OpenAPI schema of the chosen version (types and unknown
fields, as the server decodes them; see ``schema``), then the rules the schema cannot express,
taken from ``pkg/apis/core/validation/validation.go`` (``ValidatePodCreate`` and what it calls)
and from apimachinery's name and label validation. The server validates the object *after*
defaulting, so a field left out here is treated as its default (``protocol`` as TCP,
``successThreshold`` as 1 ...) and only values the user wrote can fail.

Rules read the manifest defensively: a value of the wrong type is the schema's to report, so the
rules skip it. Messages are short and written for people learning Kubernetes; paths are the API
server's (``tests/sandbox/test_differential.py`` compares them with a real v1.37.2 server).

What the server does before it validates is done here too: fields of feature gates that are off
are dropped (``features``: gates as 1.37 ships them; a rule that depends on a gate checks it
for the chosen ``k8s_version``), a ``null`` entry of a list is a zero-valued entry, and Pod-level
resources are defaulted (``defaults``). Rules that need a cluster object (a PriorityClass, a
RuntimeClass, a ServiceAccount) or a kubelet flag are not guessed: ``admission.notes`` says so.

Modules, in the order the rules build on each other: ``checker`` and ``formats`` (names, labels,
quantities), ``features``, ``metadata`` and ``annotations``, ``files`` and ``downward`` (paths,
modes, field references), ``volumes``, ``env``, ``mounts``, ``resources``, ``security``,
``containers``, ``scheduling`` (affinity, tolerations, topology spread, DNS, host aliases), and
``pod`` (the spec as a whole and ``validate_pod``). Admission (Priority, RuntimeClass overhead,
Pod Security) lives in ``podstudio.engine.admission``.
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
