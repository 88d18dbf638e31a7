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


def content_pods() -> list[tuple[str, dict]]:
    """Every Pod the course itself holds outside the example files: each exercise's start and
    solution, each drill's broken Pod and its fix, named ``<file>#<which>``."""
    from lessons import catalog

    course = catalog.course()
    pods = []
    for exercise in course.exercises.values():
        where = f"lessons/content/{exercise.lesson}/exercise.yaml"
        pods += [(f"{where}#start", exercise.start), (f"{where}#solution", exercise.solution)]
    for drill in course.drills.values():
        where = f"lessons/content/{drill.lesson}/drill.yaml#{drill.slug}"
        pods += [(f"{where}/pod", drill.pod), (f"{where}/solution", drill.solution)]
    assert pods, "the course has no exercises or drills"
    return sorted(pods, key=lambda pod: pod[0])
