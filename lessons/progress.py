"""Reading and recording a learner's progress. Views call these; they never touch models."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from lessons import review
from lessons.models import ExerciseDone, HintUse, Learner, LessonRead, QuizAnswer, ReviewItem

SESSION_KEY = "lessons_learner_id"


def current_learner(request: HttpRequest, *, create: bool) -> Learner | None:
    """The session's learner; with ``create``, makes one (and the session) if needed.

    The learner's id lives in the session's data, so a made-up session cookie finds no learner:
    Django loads no data for it and saves the new learner under a fresh session key.
    """
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is not None:
        learner = Learner.objects.filter(pk=learner_id).first()
        if learner is not None:
            return learner
    if not create:
        return None
    learner = Learner.objects.create()
    request.session[SESSION_KEY] = learner.pk
    return learner


def session_learner_id(request: HttpRequest) -> int | None:
    """The learner id the session names, without a query (ownership checks on every keystroke)."""
    learner_id = request.session.get(SESSION_KEY)
    return learner_id if isinstance(learner_id, int) else None


def mark_lesson_read(request: HttpRequest, *, lesson: str) -> None:
    learner = current_learner(request, create=True)
    LessonRead.objects.get_or_create(learner=learner, lesson=lesson)
    review.practised(learner_id=learner.pk)


def record_answer(
    request: HttpRequest, *, lesson: str, question: str, choice: str, correct: bool
) -> QuizAnswer:
    """Keeps the latest answer; the first one stays as it was. Choosing the same answer again
    is not another attempt."""
    learner = current_learner(request, create=True)
    found = QuizAnswer.objects.filter(learner=learner, lesson=lesson, question=question)
    answer = found.first()
    if answer is None:
        try:
            with transaction.atomic():
                created = QuizAnswer.objects.create(
                    learner=learner,
                    lesson=lesson,
                    question=question,
                    choice=choice,
                    correct=correct,
                    first_choice=choice,
                    first_correct=correct,
                )
            review.question_answered(
                learner_id=learner.pk, lesson=lesson, question=question, first_try_right=correct
            )
            return created
        except IntegrityError:  # the same answer posted twice at once: the other one was first
            answer = found.get()
    if answer.choice != choice:
        answer.attempts += 1
    answer.choice, answer.correct = choice, correct
    answer.save(update_fields=["choice", "correct", "attempts", "answered_at"])
    return answer


def record_exercise(request: HttpRequest, *, exercise: str) -> Learner | None:
    learner = current_learner(request, create=True)
    ExerciseDone.objects.get_or_create(learner=learner, exercise=exercise)
    return learner


def reset_progress(request: HttpRequest) -> None:
    """Forgets lessons read, quiz answers and exercises done; the learner's designs stay."""
    learner = current_learner(request, create=False)
    if learner is not None:
        learner.lessons_read.all().delete()
        learner.quiz_answers.all().delete()
        learner.exercises_done.all().delete()
        HintUse.objects.filter(learner=learner).delete()
        ReviewItem.objects.filter(learner=learner).delete()


class Answer(NamedTuple):
    choice: str  # the latest choice
    correct: bool
    first_correct: bool
    attempts: int


@dataclass
class Progress:
    """Everything one learner has done, read in three queries."""

    lessons_read: set[str] = field(default_factory=set)
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    exercises_done: set[str] = field(default_factory=set)

    def answer(self, lesson: str, question: str) -> Answer | None:
        return self.answers.get((lesson, question))

    def quiz_correct(self, lesson: str) -> int:
        """Questions of ``lesson`` answered right the first time."""
        return sum(
            1 for (les, _), answer in self.answers.items() if les == lesson and answer.first_correct
        )

    def quiz_answered(self, lesson: str) -> int:
        return sum(1 for les, _ in self.answers if les == lesson)


def progress_for(request: HttpRequest) -> Progress:
    """The session's learner's progress (three small queries; none for a new visitor)."""
    learner_id = session_learner_id(request)
    if learner_id is None:
        return Progress()
    return Progress(
        lessons_read=set(
            LessonRead.objects.filter(learner_id=learner_id).values_list("lesson", flat=True)
        ),
        answers={
            (lesson, question): Answer(choice, correct, first_correct, attempts)
            for lesson, question, choice, correct, first_correct, attempts in (
                QuizAnswer.objects.filter(learner_id=learner_id).values_list(
                    "lesson", "question", "choice", "correct", "first_correct", "attempts"
                )
            )
        },
        exercises_done=set(
            ExerciseDone.objects.filter(learner_id=learner_id).values_list("exercise", flat=True)
        ),
    )
