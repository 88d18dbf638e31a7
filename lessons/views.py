"""Lesson pages, quiz answers, progress and the two simulators. Views parse input and render."""

from functools import cache, lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from lessons import catalog, progress, simulators
from lessons.catalog import Lesson, Question
from podstudio.frames import Frame, frame_context


def _lesson_or_404(slug: str) -> Lesson:
    try:
        return catalog.get_lesson(slug)
    except KeyError:
        raise Http404("No such lesson") from None


def _feedback(question: Question, choice_id: str | None, attempts: int = 1) -> dict | None:
    """What the learner sees after answering: a verdict and the reasons, or a prompt to pick.
    ``attempts``: on which try a right answer came (only a right first try is scored), or how
    many tries a wrong one is."""
    if choice_id is None:
        return None
    chosen = question.choice(choice_id)
    if chosen is None:
        return {"error": "Pick one of the answers first."}
    late = "" if attempts <= 1 else _TRIES.get(attempts, f"try {attempts}")
    return {
        "chosen": chosen,
        "correct": chosen.correct,
        "answer": question.answer,
        "late": late,
        # A first miss says why it is wrong and leaves the next try to the learner; the right
        # answer is given after a second.
        "reveal": not chosen.correct and attempts >= 2,
    }


_TRIES = {2: "the second try", 3: "the third try"}


def _right_on(answer) -> int:
    """The try a right answer came on: 1 when the first answer was right (or none is stored)."""
    return 1 if answer is None or answer.first_correct else answer.attempts


def _quiz_item(
    question: Question, number: int, chosen: str | None, feedback=None, right_on: int = 1
) -> dict:
    feedback = feedback if feedback is not None else _feedback(question, chosen, right_on)
    return {"question": question, "number": number, "chosen": chosen, "feedback": feedback}


def _page_context(lesson: Lesson, query: QueryDict) -> dict:
    """What a lesson page shows whoever reads it."""
    previous, following = catalog.neighbours(lesson.slug)
    course = catalog.course()
    context = {
        "lesson": lesson,
        "number": course.lessons.index(lesson) + 1,
        "lessons": course.lessons,
        "exercise": course.exercises.get(lesson.exercise) if lesson.exercise else None,
        "drills": [course.drills[slug] for slug in lesson.drills],
        "previous": previous,
        "next": following,
    }
    shown = {part.get("simulator") for part in lesson.body}
    if "probes" in shown:
        context["probe_sim"] = simulators.probe_simulation(query)
    if "lifecycle" in shown:
        context["stepper"] = simulators.lifecycle_stepper(query)
    return context


def _lesson_context(
    request: HttpRequest,
    lesson: Lesson,
    answered: dict | None = None,
    learner_progress: progress.Progress | None = None,
) -> dict:
    if learner_progress is None:
        learner_progress = progress.progress_for(request)
    quiz = []
    for number, question in enumerate(lesson.quiz, start=1):
        if answered and answered["question"] == question.id:
            quiz.append(_quiz_item(question, number, answered["choice"], answered["feedback"]))
        else:
            stored = learner_progress.answer(lesson.slug, question.id)
            chosen = stored.choice if stored else None
            quiz.append(_quiz_item(question, number, chosen, right_on=_right_on(stored)))
    context = _page_context(lesson, request.GET)
    exercise = context["exercise"]
    context.update(
        quiz=quiz,
        exercise_done=exercise is not None and exercise.slug in learner_progress.exercises_done,
        is_read=lesson.slug in learner_progress.lessons_read,
        lessons_read=learner_progress.lessons_read,
    )
    return context


# --- lesson pages rendered once per process -----------------------------------------------------
# A lesson page is the same for everyone but for the learner's own progress: its frame (the page
# with holes, see podstudio.frames) is rendered once per process, and each hole once per state
# it can be in (a question answered with each choice, a lesson read or not).


@cache
def _lesson_frame(slug: str) -> Frame:
    lesson = catalog.get_lesson(slug)
    context = _page_context(lesson, QueryDict())
    context.update(nav_section="lessons", k8s_version=settings.PODSTUDIO_K8S_VERSION)
    context["quiz"] = [_quiz_item(q, n, None) for n, q in enumerate(lesson.quiz, start=1)]
    return Frame.from_html(render_to_string("lessons/lesson.html", frame_context(context)))


@lru_cache(maxsize=1024)
def _question_html(slug: str, question_id: str, chosen: str | None, right_on: int = 1) -> str:
    lesson = catalog.get_lesson(slug)
    number, question = next(
        (n, q) for n, q in enumerate(lesson.quiz, start=1) if q.id == question_id
    )
    context = {"lesson": lesson, "item": _quiz_item(question, number, chosen, right_on=right_on)}
    return render_to_string("lessons/lesson.html#question", frame_context(context))


@lru_cache(maxsize=256)
def _read_status_html(slug: str, is_read: bool) -> str:
    lesson = catalog.get_lesson(slug)
    _, following = catalog.neighbours(slug)
    context = {"lesson": lesson, "is_read": is_read, "next": following}
    return render_to_string("lessons/lesson.html#read-status", frame_context(context))


@cache
def _static_part(name: str) -> str:
    return render_to_string(f"lessons/lesson.html#{name}")


def _lesson_from_frame(
    request: HttpRequest, lesson: Lesson, learner_progress: progress.Progress
) -> HttpResponse:

    def region(name: str) -> str:
        kind, _, key = name.partition(":")
        if kind == "toc":
            return _static_part("toc-mark") if key in learner_progress.lessons_read else ""
        if kind == "q":
            stored = learner_progress.answer(lesson.slug, key)
            chosen = stored.choice if stored else None
            return _question_html(lesson.slug, key, chosen, _right_on(stored))
        if kind == "exercise":
            done = lesson.exercise in learner_progress.exercises_done
            return _static_part("exercise-done") if done else ""
        if kind == "read-status":
            return _read_status_html(lesson.slug, lesson.slug in learner_progress.lessons_read)
        raise KeyError(name)

    # What the regions above read of the learner's progress: a page in the same state is the
    # same page (kept per process by ``fill``).
    state = (
        lesson.slug,
        frozenset(learner_progress.lessons_read),
        tuple(learner_progress.answer(lesson.slug, question.id) for question in lesson.quiz),
        lesson.exercise in learner_progress.exercises_done,
    )
    return HttpResponse(_lesson_frame(lesson.slug).fill(region, request, state))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    learner_progress = progress.progress_for(request)
    rows = [
        {
            "lesson": lesson,
            "read": lesson.slug in learner_progress.lessons_read,
            "correct": learner_progress.quiz_correct(lesson.slug),
            "total": len(lesson.quiz),
            "exercise_done": lesson.exercise in learner_progress.exercises_done,
        }
        for lesson in catalog.course().lessons
    ]
    done = sum(1 for row in rows if row["read"])
    context = {
        "rows": [row for row in rows if row["lesson"].shipped],
        "own_rows": [row for row in rows if not row["lesson"].shipped],
        "done": done,
        "total": len(rows),
    }
    return render(request, "lessons/index.html", context)


@require_safe
def lesson_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson_or_404(slug)
    # Progress first: it can read the session in the same query, before the messages read it.
    learner_progress = progress.progress_for(request)
    if request.GET or get_messages(request):
        # A simulator's settings in the query, or a message to show: drawn for this request.
        context = _lesson_context(request, lesson, learner_progress=learner_progress)
        return render(request, "lessons/lesson.html", context)
    return _lesson_from_frame(request, lesson, learner_progress)


@require_POST
def answer(request: HttpRequest, slug: str, question_id: str) -> HttpResponse:
    """Checks one quiz answer, saves it, and shows the feedback (a partial for htmx)."""
    lesson = _lesson_or_404(slug)
    question = lesson.question(question_id)
    if question is None:
        raise Http404("No such question")
    choice_id = request.POST.get("choice", "")
    feedback = _feedback(question, choice_id)
    if feedback is not None and "chosen" in feedback:
        recorded = progress.record_answer(
            request,
            lesson=lesson.slug,
            question=question.id,
            choice=choice_id,
            correct=feedback["correct"],
        )
        feedback = _feedback(question, choice_id, _right_on(recorded))
    status = 400 if feedback is None or "error" in feedback else 200
    if request.htmx:
        # htmx does not swap error responses, and the learner must see the prompt: answer 200.
        return render(
            request,
            "lessons/lesson.html#feedback",
            {"item": {"question": question, "feedback": feedback}},
        )
    answered = {"question": question.id, "choice": choice_id, "feedback": feedback}
    context = _lesson_context(request, lesson, answered=answered)
    return render(request, "lessons/lesson.html", context, status=status)


@require_POST
def mark_read(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson_or_404(slug)
    progress.mark_lesson_read(request, lesson=lesson.slug)
    if request.htmx:
        _, following = catalog.neighbours(lesson.slug)
        return render(
            request,
            "lessons/lesson.html#read-status",
            # The button pressed is gone: focus goes to what replaced it (htmx: autofocus).
            {"lesson": lesson, "is_read": True, "next": following, "just_read": True},
        )
    return redirect(reverse("lessons:lesson", args=[lesson.slug]) + "#read-status")


@never_cache  # the learner's own results
@require_safe
def progress_page(request: HttpRequest) -> HttpResponse:
    learner_progress = progress.progress_for(request)
    rows = []
    course = catalog.course()
    for lesson in course.lessons:
        exercise = course.exercises.get(lesson.exercise) if lesson.exercise else None
        rows.append(
            {
                "lesson": lesson,
                "read": lesson.slug in learner_progress.lessons_read,
                "correct": learner_progress.quiz_correct(lesson.slug),
                "answered": learner_progress.quiz_answered(lesson.slug),
                "total": len(lesson.quiz),
                "exercise": exercise,
                "exercise_done": exercise is not None
                and exercise.slug in learner_progress.exercises_done,
            }
        )
    totals = {
        "read": sum(1 for row in rows if row["read"]),
        "lessons": len(rows),
        "correct": sum(row["correct"] for row in rows),
        "questions": sum(row["total"] for row in rows),
        "exercises_done": sum(1 for row in rows if row["exercise_done"]),
        "exercises": sum(1 for row in rows if row["exercise"]),
    }
    return render(request, "lessons/progress.html", {"rows": rows, "totals": totals})


@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    progress.reset_progress(request)
    return redirect("lessons:progress")


@require_safe
def probe_simulator(request: HttpRequest) -> HttpResponse:
    """The probe timeline alone, for htmx; without JavaScript the form loads the lesson page."""
    if not request.htmx:
        slug = _lesson_with_simulator("probes")
        return redirect(_lesson_url_with_query(request, slug) + "#probe-simulator")
    # Choosing a story replaces the form too; running the form replaces only the timeline.
    part = "body" if request.htmx.target == "probe-sim-body" else "timeline"
    return render(
        request,
        f"lessons/_probe_simulator.html#{part}",
        {"probe_sim": simulators.probe_simulation(request.GET), "answer": True},
    )


@require_safe
def lifecycle_stepper(request: HttpRequest) -> HttpResponse:
    if not request.htmx:
        slug = _lesson_with_simulator("lifecycle")
        return redirect(_lesson_url_with_query(request, slug) + "#lifecycle-stepper")
    return render(
        request,
        "lessons/_lifecycle_stepper.html#stepper",
        {"stepper": simulators.lifecycle_stepper(request.GET), "answer": True},
    )


def _lesson_with_simulator(name: str) -> str:
    """The first lesson that shows the simulator ``name`` (404 if none does)."""
    for lesson in catalog.course().lessons:
        if any(part.get("simulator") == name for part in lesson.body):
            return lesson.slug
    raise Http404("No lesson shows this simulator")


def _lesson_url_with_query(request: HttpRequest, slug: str) -> str:
    url = reverse("lessons:lesson", args=[slug])
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url
