"""Exercises and drills as the builder sees them: a starting Pod, goals, and completion.

The builder calls ``exercise_start``, ``check_exercise`` and ``mark_completed`` with the design's
``exercise``: an exercise's slug, or ``drill:<slug>`` for a troubleshooting drill. Goals come
back in the shape every check in Pod Studio uses: ``{"id", "status", "path", "message"}``; the
goals themselves are data (``lessons.goals``), written in each lesson's ``exercise.yaml``.
"""

import copy

from lessons import catalog, drills, goals, review
from lessons.content import VALID_GOAL, Exercise
from lessons.progress import record_exercise
from podstudio.engine.kinds import kind_of, unwrap

DRILL_PREFIX = "drill:"


def __getattr__(name: str):
    if name == "EXERCISES":  # read from the files on first use
        return catalog.course().exercises
    raise AttributeError(name)


def get_exercise(slug: str) -> Exercise:
    """The exercise with this slug; KeyError if there is none."""
    return catalog.course().exercises[slug]


def get_drill(slug: str) -> drills.Drill:
    return catalog.course().drills[slug]


def drill_slug(exercise: str) -> str | None:
    """The drill a design's ``exercise`` names, or ``None`` for an exercise."""
    return exercise.removeprefix(DRILL_PREFIX) if exercise.startswith(DRILL_PREFIX) else None


def exercise_start(slug: str) -> tuple[str, dict]:
    """The exercise's (or drill's) title and a fresh copy of its starting Pod. KeyError if
    unknown."""
    drill = drill_slug(slug)
    if drill is not None:
        found = get_drill(drill)
        return found.title, copy.deepcopy(found.pod)
    exercise = get_exercise(slug)
    return exercise.title, copy.deepcopy(exercise.start)


def _judged(exercise: Exercise, manifest: dict) -> dict:
    """What an exercise's goals read: the manifest itself if the exercise asks for a workload
    (its solution is one), else the Pod, even once the learner has wrapped it in a Deployment
    (its goals are about the Pod, and the template holds it)."""
    kind = kind_of(manifest)
    solution = kind_of(exercise.solution)
    if kind is None or kind.is_pod or (solution is not None and not solution.is_pod):
        return manifest
    return unwrap(manifest)


def check_exercise(slug: str, manifest: dict) -> list[dict]:
    """Each goal with status "pass" or "fail". Never raises on bad shapes. A drill's goals are
    what a fix must keep: whether the Pod runs is the cluster's to say (lessons.drillrun)."""
    drill = drill_slug(slug)
    if drill is not None:
        return drills.check_goals(get_drill(drill), manifest, runs=False)[1:]
    exercise = get_exercise(slug)
    exercise_goals = exercise.goals
    checks = [goal.check for goal in exercise_goals]
    judged = _judged(exercise, manifest)
    messages = [goal.message for goal in exercise_goals]
    if judged is manifest:
        met = goals.evaluate_all(checks, manifest)
    else:
        # A Pod exercise wrapped in a workload: its goals read the template, but "valid" is the
        # workload's to meet (a Deployment's template must restart Always, its selector match
        # the labels...), or kubectl apply would refuse what the exercise called done.
        kind = kind_of(manifest)
        whole = [index for index, check in enumerate(checks) if "valid" in check]
        rest = [index for index in range(len(checks)) if index not in whole]
        met = [False] * len(checks)
        for chosen, subject in ((whole, manifest), (rest, judged)):
            passed = goals.evaluate_all([checks[index] for index in chosen], subject)
            for index, result in zip(chosen, passed, strict=True):
                met[index] = result
        for index in whole:
            if messages[index] == VALID_GOAL.message:
                messages[index] = f"The {kind.name} is valid: the API server would accept it."
    return [
        {
            "id": goal.id,
            "status": "pass" if passed else "fail",
            "path": goal.path,
            "message": message,
        }
        for goal, passed, message in zip(exercise_goals, met, messages, strict=True)
    ]


def all_passed(results: list[dict]) -> bool:
    return bool(results) and all(goal["status"] == "pass" for goal in results)


def mark_completed(request, slug: str) -> None:
    """Records the exercise as done in the learner's progress (and its review). KeyError if
    unknown. A drill is done when its Pod runs, not when its goals pass: nothing to do here."""
    if drill_slug(slug) is not None:
        return
    get_exercise(slug)
    learner = record_exercise(request, exercise=slug)
    if learner is not None:
        review.exercise_finished(learner_id=learner.pk, exercise=slug)
