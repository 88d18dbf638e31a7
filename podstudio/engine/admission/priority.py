"""The Priority admission plugin (``plugin/pkg/admission/priority``), on in every cluster.

It runs before validation: the Pod's priority comes from its PriorityClass, or from the cluster's
global default class, or is 0 (with preemption policy PreemptLowerPriority) when there is none.
A Pod that states a different priority or preemption policy is refused. Without a class name
the engine assumes the cluster has no global default PriorityClass and says so in a note; the
two system classes are in every cluster, with fixed values; of any other class it cannot know
the value (``cluster_notes``).
"""

from typing import TYPE_CHECKING

from podstudio.engine.paths import as_dict

if TYPE_CHECKING:  # the validation package imports this module
    from podstudio.engine.validation.checker import Checker


# The classes the API server makes in every cluster (``SystemPriorityClasses`` in
# pkg/apis/scheduling/v1/helpers.go), both with preemption policy PreemptLowerPriority.
SYSTEM_PRIORITY_CLASSES = {
    "system-node-critical": 2000001000,
    "system-cluster-critical": 2000000000,
}


def check_priority(c: "Checker", spec: dict) -> None:
    class_name = spec.get("priorityClassName")
    computed = 0
    if isinstance(class_name, str) and class_name:
        if class_name not in SYSTEM_PRIORITY_CLASSES:
            return  # the class's value and policy live in the cluster: see cluster_notes
        computed = SYSTEM_PRIORITY_CLASSES[class_name]
    priority = spec.get("priority")
    value = priority if type(priority) is int else None
    if value is not None and value != computed:
        c.add(
            "spec.priority",
            f"the integer value of priority ({value}) must not be provided in pod spec; "
            f"priority admission controller computed {computed} from the given PriorityClass "
            "name",
        )
    policy = spec.get("preemptionPolicy")
    if isinstance(policy, str) and policy and policy != "PreemptLowerPriority":
        c.add(
            "spec.preemptionPolicy",
            f"the string value of PreemptionPolicy ({policy}) must not be provided in pod spec; "
            "priority admission controller computed PreemptLowerPriority from the given "
            "PriorityClass name",
        )


def cluster_notes(pod: dict) -> list[str]:
    spec = as_dict(as_dict(pod).get("spec"))
    class_name = spec.get("priorityClassName")
    if isinstance(class_name, str) and class_name in SYSTEM_PRIORITY_CLASSES:
        return []  # in every cluster, and checked
    if isinstance(class_name, str) and class_name:
        return [
            f"PriorityClass: spec.priorityClassName names {class_name!r}; the cluster must have "
            "this PriorityClass, and spec.priority and spec.preemptionPolicy must match it "
            "(Pod Studio cannot see a cluster's objects)"
        ]
    if spec.get("priority") is not None or spec.get("preemptionPolicy") is not None:
        return [
            "PriorityClass: with no spec.priorityClassName the Pod gets the cluster's global "
            "default PriorityClass; Pod Studio assumes there is none (priority 0)"
        ]
    return []
