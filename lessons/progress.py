"""Reading and recording a learner's progress. Views call these; they never touch models."""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
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


@lru_cache(maxsize=4)
def _progress_sql(vendor: str) -> tuple[str, str, str]:
    """The three queries of ``progress_for`` as SQL with the learner's id as their one
    parameter, written once: the ORM takes longer to write them than the database takes to
    run them, on every page a learner opens."""

    def sql(queryset) -> str:
        text, params = queryset.query.sql_with_params()
        if list(params) != [0]:  # the learner's id must be the only parameter
            raise RuntimeError(f"unexpected parameters {params!r} in {text}")
        return text

    return (
        sql(LessonRead.objects.filter(learner_id=0).values_list("lesson")),
        sql(
            QuizAnswer.objects.filter(learner_id=0).values_list(
                "lesson", "question", "choice", "correct", "first_correct", "attempts"
            )
        ),
        sql(ExerciseDone.objects.filter(learner_id=0).values_list("exercise")),
    )


def progress_for(request: HttpRequest) -> Progress:
    """The session's learner's progress (three small queries; none for a new visitor)."""
    learner_id = session_learner_id(request)
    if learner_id is None:
        return Progress()
    reads_sql, answers_sql, done_sql = _progress_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(reads_sql, [learner_id])
        lessons_read = {lesson for (lesson,) in cursor.fetchall()}
        cursor.execute(answers_sql, [learner_id])
        answers = {
            (lesson, question): Answer(choice, bool(correct), bool(first), attempts)
            for lesson, question, choice, correct, first, attempts in cursor.fetchall()
        }
        cursor.execute(done_sql, [learner_id])
        exercises_done = {exercise for (exercise,) in cursor.fetchall()}
    return Progress(lessons_read=lessons_read, answers=answers, exercises_done=exercises_done)
