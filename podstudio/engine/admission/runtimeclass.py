"""The RuntimeClass admission plugin (``plugin/pkg/admission/runtimeclass``), on in every cluster.

A RuntimeClass may define the Pod's overhead; the plugin copies it into ``spec.overhead`` and
refuses a Pod whose overhead differs. A Pod that sets ``spec.overhead`` without a
``runtimeClassName`` is refused outright: no RuntimeClass defines that overhead. With a class
name the engine cannot know the class (``cluster_notes``).
"""

from typing import TYPE_CHECKING

from podstudio.engine.paths import as_dict

if TYPE_CHECKING:  # the validation package imports this module
    from podstudio.engine.validation.checker import Checker


def check_overhead_admission(c: "Checker", spec: dict) -> None:
    class_name = spec.get("runtimeClassName")
    if spec.get("overhead") is not None and not (isinstance(class_name, str) and class_name):
        c.add(
            "spec.overhead",
            "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead",
        )


def cluster_notes(pod: dict) -> list[str]:
    class_name = as_dict(as_dict(pod).get("spec")).get("runtimeClassName")
    if isinstance(class_name, str) and class_name:
        return [
            f"RuntimeClass: spec.runtimeClassName names {class_name!r}; the cluster must have "
            "this RuntimeClass, and spec.overhead must match the overhead it defines "
            "(Pod Studio cannot see a cluster's objects)"
        ]
    return []
