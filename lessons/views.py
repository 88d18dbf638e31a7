"""Lesson pages, quiz answers, progress and the two simulators. Views parse input and render."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lessons import catalog, progress, simulators
from lessons.catalog import Lesson, Question
from lessons.exercises import EXERCISES


def _lesson_or_404(slug: str) -> Lesson:
    try:
        return catalog.get_lesson(slug)
    except KeyError:
        raise Http404("No such lesson") from None


def _feedback(question: Question, choice_id: str | None, attempts: int = 1) -> dict | None:
    """What the learner sees after answering: a verdict and the reasons, or a prompt to pick.
    ``attempts`` says on which try a right answer came (only a right first try is scored)."""
    if choice_id is None:
        return None
    chosen = question.choice(choice_id)
    if chosen is None:
        return {"error": "Pick one of the answers first."}
    late = "" if attempts <= 1 else _TRIES.get(attempts, f"try {attempts}")
    return {"chosen": chosen, "correct": chosen.correct, "answer": question.answer, "late": late}


_TRIES = {2: "the second try", 3: "the third try"}


def _right_on(answer) -> int:
    """The try a right answer came on: 1 when the first answer was right (or none is stored)."""
    return 1 if answer is None or answer.first_correct else answer.attempts


def _lesson_context(request: HttpRequest, lesson: Lesson, answered: dict | None = None) -> dict:
    learner_progress = progress.progress_for(request)
    quiz = []
    for question in lesson.quiz:
        if answered and answered["question"] == question.id:
            choice_id, feedback = answered["choice"], answered["feedback"]
        else:
            stored = learner_progress.answer(lesson.slug, question.id)
            choice_id = stored.choice if stored else None
            feedback = _feedback(question, choice_id, _right_on(stored))
        quiz.append({"question": question, "chosen": choice_id, "feedback": feedback})
    previous, following = catalog.neighbours(lesson.slug)
    exercise = EXERCISES.get(lesson.exercise) if lesson.exercise else None
    context = {
        "lesson": lesson,
        "number": catalog.LESSONS.index(lesson) + 1,
        "lessons": catalog.LESSONS,
        "quiz": quiz,
        "exercise": exercise,
        "exercise_done": exercise is not None and exercise.slug in learner_progress.exercises_done,
        "is_read": lesson.slug in learner_progress.lessons_read,
        "lessons_read": learner_progress.lessons_read,
        "previous": previous,
        "next": following,
    }
    if lesson.slug == "probes":
        context["probe_sim"] = simulators.probe_simulation(request.GET)
    if lesson.slug == "lifecycle":
        context["stepper"] = simulators.lifecycle_stepper(request.GET)
    return context


@require_GET
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
        for lesson in catalog.LESSONS
    ]
    done = sum(1 for row in rows if row["read"])
    return render(request, "lessons/index.html", {"rows": rows, "done": done, "total": len(rows)})


@require_GET
def lesson_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson_or_404(slug)
    return render(request, "lessons/lesson.html", _lesson_context(request, lesson))


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
            {"lesson": lesson, "is_read": True, "next": following},
        )
    return redirect(reverse("lessons:lesson", args=[lesson.slug]) + "#read-status")


@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    learner_progress = progress.progress_for(request)
    rows = []
    for lesson in catalog.LESSONS:
        exercise = EXERCISES.get(lesson.exercise) if lesson.exercise else None
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


@require_GET
def probe_simulator(request: HttpRequest) -> HttpResponse:
    """The probe timeline alone, for htmx; without JavaScript the form loads the lesson page."""
    if not request.htmx:
        return redirect(_lesson_url_with_query(request, "probes") + "#probe-simulator")
    # Choosing a story replaces the form too; running the form replaces only the timeline.
    part = "body" if request.htmx.target == "probe-sim-body" else "timeline"
    return render(
        request,
        f"lessons/_probe_simulator.html#{part}",
        {"probe_sim": simulators.probe_simulation(request.GET)},
    )


@require_GET
def lifecycle_stepper(request: HttpRequest) -> HttpResponse:
    if not request.htmx:
        return redirect(_lesson_url_with_query(request, "lifecycle") + "#lifecycle-stepper")
    return render(
        request,
        "lessons/_lifecycle_stepper.html#stepper",
        {"stepper": simulators.lifecycle_stepper(request.GET)},
    )


def _lesson_url_with_query(request: HttpRequest, slug: str) -> str:
    url = reverse("lessons:lesson", args=[slug])
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url
