"""What the engine cannot know about a Pod, said as notes instead of silent passes.

The API server's answer can depend on objects in the cluster (the PriorityClass, RuntimeClass or
ServiceAccount a Pod names) and on feature gates that are off (their fields are dropped before
validation). The engine judges the Pod without them; these notes say where that matters and why.
"""

from podstudio.engine.admission import priority, runtimeclass
from podstudio.engine.paths import as_dict
from podstudio.engine.validation.features import LEGACY, drop_disabled_fields


def cluster_notes(pod: dict) -> list[str]:
    """One sentence per thing the engine cannot check, each starting with what it is about."""
    notes = [*priority.cluster_notes(pod), *runtimeclass.cluster_notes(pod)]
    spec = as_dict(as_dict(pod).get("spec"))
    account = spec.get("serviceAccountName") or spec.get("serviceAccount")
    mirror = "kubernetes.io/config.mirror" in as_dict(
        as_dict(as_dict(pod).get("metadata")).get("annotations")
    )
    if isinstance(account, str) and account and account != "default" and not mirror:
        notes.append(
            f"ServiceAccount: spec.serviceAccountName names {account!r}; it must exist in the "
            "Pod's namespace, or the ServiceAccount admission plugin refuses the Pod "
            "(Pod Studio cannot see a cluster's objects)"
        )
    for path, gate in drop_disabled_fields(pod, remove=False):
        if gate == LEGACY:
            notes.append(
                f"Dropped: {path} is how init containers were written before Kubernetes 1.8; "
                "the API server deletes it before it validates the Pod, so Pod Studio ignores "
                "it too (write init containers in spec.initContainers)"
            )
            continue
        notes.append(
            f"Feature gate off: {path} needs {gate}, which is off by default in Kubernetes 1.37; "
            "the API server drops the field without a word, so Pod Studio ignores it too"
        )
    return notes
