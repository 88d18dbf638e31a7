"""Timed practice rounds: N tasks drawn from the course's exercises and drills, a clock kept by
the server, a score by topic (the task's lesson) and a review of each task with its solution.

A task is done when, at the end of the round, its design meets every goal (an exercise) or its
Pod has run and become Ready (a drill). Rounds belong to the learner, like the rest of progress.
"""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.safestring import mark_safe

from lessons import catalog, exercises, hints
from lessons.models import DrillRun, PracticeRound, PracticeTask
from podstudio.builder.highlight import highlight_yaml
from podstudio.engine.yamldump import dump_manifest

SIZES = (3, 5, 8)
MINUTE_CHOICES = (10, 15, 20, 30)
DEFAULT_SIZE, DEFAULT_MINUTES = 5, 15
EXERCISE, DRILL = "exercise", "drill"


def available_tasks() -> list[tuple[str, str, str]]:
    """Every task a round can draw: (kind, slug, lesson slug)."""
    course = catalog.course()
    found = [(EXERCISE, e.slug, e.lesson) for e in course.exercises.values()]
    found += [(DRILL, d.slug, d.lesson) for d in course.drills.values()]
    return found


def start_round(*, learner, size: int, minutes: int, rng: random.Random | None = None):
    """A new round (an unfinished one is scored first). Sizes and times outside the offered
    choices are brought to the nearest one."""
    size = min(SIZES, key=lambda s: abs(s - size))
    minutes = min(MINUTE_CHOICES, key=lambda m: abs(m - minutes))
    for old in PracticeRound.objects.filter(learner=learner, finished_at__isnull=True):
        finish_round(old)
    pool = available_tasks()
    chosen = (rng or random.SystemRandom()).sample(pool, min(size, len(pool)))
    now = timezone.now()
    current = PracticeRound.objects.create(
        learner=learner, started_at=now, ends_at=now + timedelta(minutes=minutes)
    )
    PracticeTask.objects.bulk_create(
        PracticeTask(round=current, position=index, kind=kind, slug=slug)
        for index, (kind, slug, _) in enumerate(chosen, start=1)
    )
    return current


def current_round(learner_id: int | None) -> PracticeRound | None:
    if learner_id is None:
        return None
    return PracticeRound.objects.filter(learner_id=learner_id).order_by("-started_at").first()


def is_over(current: PracticeRound, now=None) -> bool:
    return current.finished_at is not None or (now or timezone.now()) >= current.ends_at


def exercise_key(task: PracticeTask) -> str:
    return task.slug if task.kind == EXERCISE else f"{exercises.DRILL_PREFIX}{task.slug}"


def open_task(task: PracticeTask, *, learner) -> str:
    """The task's design (made from its start the first time); its slug."""
    from podstudio.builder import services

    if task.design:
        return task.design
    key = exercise_key(task)
    _title, manifest = exercises.exercise_start(key)
    design = services.create_design(manifest=manifest, learner=learner, exercise=key)
    task.design = design.slug
    task.save(update_fields=["design"])
    return design.slug


def _task_passed(task: PracticeTask, learner_id: int) -> bool:
    from podstudio.builder.models import Design

    if not task.design:
        return False
    if task.kind == DRILL:
        return DrillRun.objects.filter(learner_id=learner_id, design=task.design, ok=True).exists()
    design = Design.objects.filter(slug=task.design, learner_id=learner_id).first()
    if design is None:
        return False
    return exercises.all_passed(exercises.check_exercise(task.slug, design.manifest))


def finish_round(current: PracticeRound) -> None:
    now = timezone.now()
    for task in current.tasks.all():
        task.passed = _task_passed(task, current.learner_id)
        task.save(update_fields=["passed"])
    current.finished_at = min(now, current.ends_at)
    current.save(update_fields=["finished_at"])


def _task_view(task: PracticeTask, finished: bool) -> dict:
    from podstudio.builder.models import Design

    course = catalog.course()
    thing = (
        course.exercises.get(task.slug) if task.kind == EXERCISE else course.drills.get(task.slug)
    )
    if thing is None:
        return {"task": task, "title": task.slug, "topic": "(removed)", "missing": True}
    lesson = next((x for x in course.lessons if x.slug == thing.lesson), None)
    view = {
        "task": task,
        "title": thing.title,
        "brief": thing.brief,
        "topic": lesson.title if lesson else thing.lesson,
        "kind": "Drill" if task.kind == DRILL else "Exercise",
    }
    if finished:
        view["solution_html"] = mark_safe(highlight_yaml(dump_manifest(thing.solution)))  # noqa: S308
        design = Design.objects.filter(slug=task.design).first() if task.design else None
        if design is not None and not task.passed:
            view["diff"] = hints.solution_diff(thing.solution, design.manifest)
    return view


def round_view(current: PracticeRound) -> dict:
    """The round's tasks, time left, and (once over) the score by topic with each solution."""
    finished = current.finished_at is not None
    tasks = [_task_view(task, finished) for task in current.tasks.all()]
    by_topic: dict[str, list[int]] = {}
    for view in tasks:
        score = by_topic.setdefault(view["topic"], [0, 0])
        score[1] += 1
        score[0] += 1 if view["task"].passed else 0
    left = max(0, int((current.ends_at - timezone.now()).total_seconds()))
    return {
        "tasks": tasks,
        "finished": finished,
        "score": sum(1 for view in tasks if view["task"].passed),
        "by_topic": sorted(by_topic.items()),
        "seconds_left": left,
        "ends_at_iso": current.ends_at.isoformat(),
    }
