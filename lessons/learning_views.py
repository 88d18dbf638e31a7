"""Hints, drill runs, the review page and practice rounds. Views parse input and render; the
work is in lessons.hints, lessons.drillrun, lessons.review and lessons.practice.

A hint or a run acts on a builder design: only its own learner may use it (anyone else gets 404,
as for a design that does not exist). htmx gets the panel's partial back; without JavaScript the
forms post and the browser is sent back to the design.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons import catalog, drillrun, drills, exercises, hints, practice, progress, review
from lessons.models import ReviewItem
from podstudio.builder.models import Design

STOP_POLLING = 286


def _own_design(request: HttpRequest, slug: str) -> Design:
    learner_id = progress.session_learner_id(request)
    design = Design.objects.filter(slug=slug, learner_id=learner_id or -1).first()
    if design is None or not design.exercise:
        raise Http404("There is no exercise of yours at that address.")
    return design


def panel_context(design: Design, learner_id: int | None) -> dict:
    """What the builder's learning panel shows for ``design`` (an exercise's or a drill's)."""
    context: dict = {"design": design, "level": 0}
    drill_slug = exercises.drill_slug(design.exercise)
    course = catalog.course()
    if drill_slug is not None:
        drill = course.drills.get(drill_slug)
        if drill is None:
            return {}
        context.update(drill=drill, hint_source=drill.hints, solution=drill.solution)
        context["lesson"] = _lesson(drill.lesson)
        context["sandbox_on"] = drillrun.sandbox_on()
        context["enforce"] = drillrun.enforced_level()
        run = drillrun.latest_run(learner_id=learner_id, design=design.slug)
        context["run"] = run
    else:
        exercise = course.exercises.get(design.exercise)
        if exercise is None:
            return {}
        context.update(exercise=exercise, hint_source=exercise.hints, solution=exercise.solution)
        context["lesson"] = _lesson(exercise.lesson)
    level = hints.used_levels(learner_id=learner_id, design=design.slug)
    context["level"] = level
    if level >= 3:
        context["diff"] = hints.solution_diff(context["solution"], design.manifest)
    return context


def _lesson(slug: str):
    try:
        return catalog.get_lesson(slug)
    except KeyError:
        return None


def _back(design: Design, anchor: str) -> HttpResponse:
    return redirect(reverse("builder:design", args=[design.slug]) + anchor)


@require_POST
def hint(request: HttpRequest, slug: str) -> HttpResponse:
    design = _own_design(request, slug)
    try:
        level = int(request.POST.get("level", "1"))
    except ValueError:
        level = 1
    hints.reveal(
        learner_id=design.learner_id, exercise=design.exercise, design=design.slug, level=level
    )
    if not request.htmx:
        return _back(design, "#hints")
    context = panel_context(design, design.learner_id)
    return render(request, "lessons/_learning_panel.html#hints", context)


@require_POST
def drill_run(request: HttpRequest, slug: str) -> HttpResponse:
    design = _own_design(request, slug)
    drill_slug = exercises.drill_slug(design.exercise)
    drill = catalog.course().drills.get(drill_slug or "")
    if drill is None:
        raise Http404("This design is not a drill.")
    learner = progress.current_learner(request, create=False)
    context = panel_context(design, design.learner_id)
    # A workload is refused offline, as the sandbox would run something else than a Pod.
    if drillrun.sandbox_on() and drills.is_pod(design.manifest):
        from classrooms.sandbox import namespace_labels
        from podstudio.sandbox.client import SandboxUnavailable

        try:
            result = drillrun.run_in_sandbox(
                drill=drill,
                manifest=design.manifest,
                learner=learner,
                design=design.slug,
                labels=namespace_labels(request),
            )
        except SandboxUnavailable as exc:
            context["unavailable"] = str(exc)
            result = None
    else:
        result = drillrun.run_offline(
            drill=drill, manifest=design.manifest, learner_id=learner.pk, design=design.slug
        )
    if result is not None:
        context.update(run=result.run, story=result.story, goals=result.goals)
    if not request.htmx:
        return _back(design, "#drill")
    return render(request, "lessons/_learning_panel.html#drill-result", context)


@require_safe
def drill_status(request: HttpRequest, slug: str) -> HttpResponse:
    """The run's Pod as the sandbox shows it now (polled while it changes)."""
    design = _own_design(request, slug)
    drill = catalog.course().drills.get(exercises.drill_slug(design.exercise) or "")
    run = drillrun.latest_run(learner_id=design.learner_id, design=design.slug)
    if drill is None or run is None:
        raise Http404("Nothing has run yet.")
    context = panel_context(design, design.learner_id)
    if run.mode == drillrun.SANDBOX and drillrun.sandbox_on():
        from podstudio.sandbox.client import SandboxUnavailable

        learner = progress.current_learner(request, create=False)
        try:
            result = drillrun.watch(run=run, drill=drill, manifest=design.manifest, learner=learner)
            context.update(run=result.run, story=result.story, goals=result.goals)
        except SandboxUnavailable as exc:
            context["unavailable"] = str(exc)
    else:
        result = drillrun.run_offline(
            drill=drill, manifest=design.manifest, learner_id=design.learner_id, design=design.slug
        )
        context.update(run=result.run, story=result.story, goals=result.goals)
    status = STOP_POLLING if request.htmx and context.get("run") and context["run"].ok else 200
    if not request.htmx:
        return _back(design, "#drill")
    return render(request, "lessons/_learning_panel.html#drill-result", context, status=status)


# --- review -----------------------------------------------------------------------------------


def _review_entry(item: ReviewItem) -> dict | None:
    course = catalog.course()
    if item.kind == review.QUESTION:
        lesson_slug, _, question_id = item.key.partition("/")
        lesson = next((x for x in course.lessons if x.slug == lesson_slug), None)
        question = lesson.question(question_id) if lesson else None
        if question is None:
            return None
        return {"item": item, "lesson": lesson, "question": question}
    if item.kind == review.EXERCISE and item.key in course.exercises:
        exercise = course.exercises[item.key]
        return {"item": item, "exercise": exercise, "lesson": _lesson(exercise.lesson)}
    if item.kind == review.DRILL and item.key in course.drills:
        drill = course.drills[item.key]
        return {"item": item, "drill": drill, "lesson": _lesson(drill.lesson)}
    return None


@require_safe
def review_page(request: HttpRequest) -> HttpResponse:
    learner_id = progress.session_learner_id(request)
    entries = [e for e in map(_review_entry, review.due_items(learner_id)) if e is not None]
    upcoming = (
        ReviewItem.objects.filter(learner_id=learner_id, retired=False, due_at__gt=timezone.now())
        .order_by("due_at")
        .count()
        if learner_id
        else 0
    )
    context = {
        "entries": entries,
        "upcoming": upcoming,
        "streak": review.learner_streak(learner_id),
        "intervals": review.INTERVALS,
    }
    return render(request, "lessons/review.html", context)


@require_POST
def review_answer(request: HttpRequest, item_id: int) -> HttpResponse:
    """A due question answered again: right moves it up a box, wrong back to box 1."""
    learner_id = progress.session_learner_id(request)
    item = ReviewItem.objects.filter(pk=item_id, learner_id=learner_id or -1).first()
    entry = _review_entry(item) if item is not None else None
    if entry is None or "question" not in entry:
        raise Http404("Nothing to review there.")
    chosen = entry["question"].choice(request.POST.get("choice", ""))
    if chosen is None:
        return redirect("lessons:review")
    review.reviewed(item, right=chosen.correct)
    context = {"entry": entry, "chosen": chosen}
    if request.htmx:
        return render(request, "lessons/review.html#verdict", context)
    return render(request, "lessons/review.html", {**context, "entries": [], "answered": entry})


# --- practice rounds --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def practice_page(request: HttpRequest) -> HttpResponse:
    """Start a round (POST), or see the current one, or the last one's score and review."""
    if request.method == "POST":
        learner = progress.current_learner(request, create=True)
        try:
            size = int(request.POST.get("size", practice.DEFAULT_SIZE))
            minutes = int(request.POST.get("minutes", practice.DEFAULT_MINUTES))
        except ValueError:
            size, minutes = practice.DEFAULT_SIZE, practice.DEFAULT_MINUTES
        practice.start_round(learner=learner, size=size, minutes=minutes)
        return redirect("lessons:practice")
    learner_id = progress.session_learner_id(request)
    current = practice.current_round(learner_id)
    if current is not None and practice.is_over(current):
        practice.finish_round(current)
    context = {
        "round": current,
        "sizes": practice.SIZES,
        "minute_choices": practice.MINUTE_CHOICES,
        "default_size": practice.DEFAULT_SIZE,
        "default_minutes": practice.DEFAULT_MINUTES,
        "available": practice.available_tasks(),
    }
    if current is not None:
        context.update(practice.round_view(current))
    return render(request, "lessons/practice.html", context)


@require_POST
def practice_task(request: HttpRequest, position: int) -> HttpResponse:
    """Opens a task of the running round in the builder (its design is made on first use)."""
    learner = progress.current_learner(request, create=False)
    current = practice.current_round(learner.pk if learner else None)
    if current is None or current.finished_at is not None or practice.is_over(current):
        return redirect("lessons:practice")
    task = current.tasks.filter(position=position).first()
    if task is None:
        raise Http404("No such task.")
    slug = practice.open_task(task, learner=learner)
    return redirect("builder:design", slug=slug)


@require_POST
def practice_finish(request: HttpRequest) -> HttpResponse:
    learner_id = progress.session_learner_id(request)
    current = practice.current_round(learner_id)
    if current is not None and current.finished_at is None:
        practice.finish_round(current)
    return redirect("lessons:practice")
