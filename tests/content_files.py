"""The shipped course's files, for tests that read every lesson example or exercise Pod.

Lessons live in ``lessons/content/<slug>/``; a glob of a folder that no longer exists would give
an empty list and a parametrized test over it would pass without checking anything, so each list
here is asserted non-empty where it is made.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "lessons" / "content"

EXAMPLES = sorted(CONTENT.glob("*/examples/*.yaml"))
assert EXAMPLES, f"no lesson examples under {CONTENT}/*/examples/"


def _content_objects() -> list[tuple[str, dict]]:
    """Every object the course itself holds outside the example files: each exercise's start and
    solution, each drill's broken Pod and its fix, named ``<file>#<which>``."""
    from lessons import catalog

    course = catalog.course()
    objects = []
    for exercise in course.exercises.values():
        where = f"lessons/content/{exercise.lesson}/exercise.yaml"
        objects += [(f"{where}#start", exercise.start), (f"{where}#solution", exercise.solution)]
    for drill in course.drills.values():
        where = f"lessons/content/{drill.lesson}/drill.yaml#{drill.slug}"
        objects += [(f"{where}/pod", drill.pod), (f"{where}/solution", drill.solution)]
    assert objects, "the course has no exercises or drills"
    return sorted(objects, key=lambda item: item[0])


def content_pods() -> list[tuple[str, dict]]:
    """The Pods among the course's own objects (``_content_objects``)."""
    return [(name, data) for name, data in _content_objects() if data.get("kind") == "Pod"]


def content_workloads() -> list[tuple[str, dict]]:
    """The workloads among them: what a workload exercise asks the learner to make."""
    return [(name, data) for name, data in _content_objects() if data.get("kind") != "Pod"]
