"""Reading and recording a learner's progress. Views call these; they never touch models."""

from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, CharField, IntegerField, Q, QuerySet, Value
from django.http import HttpRequest
from django.utils import timezone

from lessons import review
from lessons.models import ExerciseDone, HintUse, Learner, LessonRead, QuizAnswer, ReviewItem
from podstudio.sessions import ProcessMemo, SessionStore, expiry_param, session_row_sql

SESSION_KEY = "lessons_learner_id"


def current_learner(request: HttpRequest, *, create: bool) -> Learner | None:
    """The session's learner; with ``create``, makes one (and the session) if needed.

    The learner's id lives in the session's data, so a made-up session cookie finds no learner:
    Django loads no data for it and saves the new learner under a fresh session key.
    """
    learner_id = session_learner_id(request)
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
    if not isinstance(learner_id, int):
        return None
    if request.session.session_key:
        _learner_of_session.put(request.session.session_key, learner_id)
    return learner_id


def mark_lesson_read(request: HttpRequest, *, lesson: str) -> None:
    learner = current_learner(request, create=True)
    LessonRead.objects.get_or_create(learner=learner, lesson=lesson, hidden_at=None)
    review.practised(learner_id=learner.pk)


def record_answer(
    request: HttpRequest, *, lesson: str, question: str, choice: str, correct: bool
) -> QuizAnswer:
    """Keeps the latest answer; the first one stays as it was. Choosing the same answer again
    is not another attempt."""
    learner = current_learner(request, create=True)
    found = QuizAnswer.objects.filter(
        learner=learner, lesson=lesson, question=question, hidden_at=None
    )
    answer = found.first()
    if answer is not None:
        answer = _replaced_if_kept(answer, found)
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


def _replaced_if_kept(answer: QuizAnswer, found: QuerySet[QuizAnswer]) -> QuizAnswer:
    """``answer``, or the copy of it that takes its place when a classroom that has ended
    counts it: that classroom's record stays as it was at its end (as a closed design does, the
    answer is not changed: the copy is). The copy is the learner's answer from now on, counted
    by classrooms from now on (``first_answered_at``); the first try stays as it was."""
    now = timezone.now()
    kept = _counted_by_ended_classrooms(answer.learner_id, now).answers
    if kept is None or not QuizAnswer.objects.filter(kept, pk=answer.pk).exists():
        return answer
    try:
        with transaction.atomic():
            QuizAnswer.objects.filter(pk=answer.pk).update(hidden_at=now)
            return QuizAnswer.objects.create(
                learner_id=answer.learner_id,
                lesson=answer.lesson,
                question=answer.question,
                choice=answer.choice,
                correct=answer.correct,
                first_choice=answer.first_choice,
                first_correct=answer.first_correct,
                first_answered_at=now,
                attempts=answer.attempts,
            )
    except IntegrityError:  # the same answer posted twice at once: the other one copied it
        return found.get()


def record_exercise(request: HttpRequest, *, exercise: str) -> Learner | None:
    learner = current_learner(request, create=True)
    ExerciseDone.objects.get_or_create(learner=learner, exercise=exercise, hidden_at=None)
    return learner


def reset_progress(request: HttpRequest) -> None:
    """Forgets lessons read, quiz answers, exercises done and hints; the designs stay.

    An ended classroom's results are read from these rows (``classrooms.grid``), and instructors
    expect them to stay as they were at its end. So a row some ended classroom of the learner
    counts (its item is on that classroom's agenda, and it was made before its end) is not
    deleted but hidden (``hidden_at``): the learner's pages no longer see it, they start that
    item afresh in a new row, and only classrooms that had ended by then still count it. A
    running classroom shows the reset, as the learner's own pages do."""
    learner = current_learner(request, create=False)
    if learner is None:
        return
    now = timezone.now()
    kept = _counted_by_ended_classrooms(learner.pk, now)
    with transaction.atomic():
        for model, counted in (
            (LessonRead, kept.reads),
            (QuizAnswer, kept.answers),
            (ExerciseDone, kept.done),
            (HintUse, kept.hints),
        ):
            rows = model.objects.filter(learner=learner, hidden_at=None)
            if counted is not None:
                rows.filter(counted).update(hidden_at=now)
                rows = rows.exclude(counted)
            rows.delete()
        ReviewItem.objects.filter(learner=learner).delete()


class _Kept(NamedTuple):
    """Filters of the rows ended classrooms count, per table (``None``: none)."""

    reads: Q | None = None
    answers: Q | None = None
    done: Q | None = None
    hints: Q | None = None


def _counted_by_ended_classrooms(learner_id: int, now) -> _Kept:
    """The lessons read, answers, exercises done and hints that the learner's classrooms that
    have ended by ``now`` count in their results (``grid.build``): of an item on the agenda,
    from before the classroom's end."""
    from classrooms.models import Classroom  # classrooms builds on lessons, not the reverse

    found: dict[str, list[Q]] = {name: [] for name in _Kept._fields}
    ended = Classroom.objects.filter(members__learner_id=learner_id, ends_at__lte=now)
    for classroom in ended.only("items", "ends_at"):
        end, lessons, exercises = classroom.ends_at, classroom.lessons, classroom.exercises
        if lessons:
            found["reads"].append(Q(lesson__in=lessons, read_at__lt=end))
            found["answers"].append(Q(lesson__in=lessons, first_answered_at__lt=end))
        if exercises:
            found["done"].append(Q(exercise__in=exercises, completed_at__lt=end))
            found["hints"].append(Q(exercise__in=exercises, used_at__lt=end))
    return _Kept(**{name: reduce(or_, each) if each else None for name, each in found.items()})


class Answer(NamedTuple):
    choice: str  # the latest choice
    correct: bool
    first_correct: bool
    attempts: int


@dataclass
class Progress:
    """Everything one learner has done, read in one query."""

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


# Stands for the learner's id while the progress query is written; never a real id.
_LEARNER = -1
_READ, _ANSWER, _DONE = 0, 1, 2


@lru_cache(maxsize=4)
def _progress_sql(vendor: str) -> tuple[str, tuple]:
    """``progress_for``'s query and its parameters, written once per database vendor: the
    lessons read, the answers and the exercises done in one ``UNION ALL``, each row tagged
    with its table. The ORM takes longer to write it than the database takes to run it, and
    one query instead of three is a fifth of what a lesson page costs the server."""
    text_column = Value(None, output_field=CharField())
    flag_column = Value(None, output_field=BooleanField())
    number_column = Value(None, output_field=IntegerField())
    reads = LessonRead.objects.filter(learner_id=_LEARNER, hidden_at=None).values_list(
        Value(_READ), "lesson", text_column, text_column, flag_column, flag_column, number_column
    )
    answers = QuizAnswer.objects.filter(learner_id=_LEARNER, hidden_at=None).values_list(
        Value(_ANSWER), "lesson", "question", "choice", "correct", "first_correct", "attempts"
    )
    done = ExerciseDone.objects.filter(learner_id=_LEARNER, hidden_at=None).values_list(
        Value(_DONE), "exercise", text_column, text_column, flag_column, flag_column, number_column
    )
    text, params = reads.union(answers, done, all=True).query.sql_with_params()
    if list(params).count(_LEARNER) != 3:  # the learner's id must be where it is meant to be
        raise RuntimeError(f"unexpected parameters {params!r} in {text}")
    return text, tuple(params)


def progress_for(request: HttpRequest) -> Progress:
    """The session's learner's progress: one query, none for a new visitor.

    A learner's pages come in a row, and the database round trip is most of what a lesson page
    costs, so this process remembers which learner each session it has seen names. When it
    knows, and the session is not read yet, the session and that learner's progress come in one
    query; if the session turns out to name another learner now (a classroom rejoin), the
    progress is read again for the right one. The learner is always the session's, never the
    hint's.
    """
    session = request.session
    key = session.session_key
    hinted = _learner_of_session.get(key) if key else None
    progress = None
    if hinted is not None and isinstance(session, SessionStore) and not session.loaded:
        session_data, progress = _session_and_progress(key, hinted)
        session.load_data(session_data)
    learner_id = session_learner_id(request)
    if learner_id is None:
        return Progress()
    if progress is None or learner_id != hinted:
        progress = _progress(learner_id)
    return progress


_SESSION = 3  # the tag of the session's own row in ``_session_and_progress``
_learner_of_session = ProcessMemo(limit=20_000)  # session key -> learner id (about 3 MB)


def _progress(learner_id: int) -> Progress:
    text, params = _progress_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(text, _with_learner(params, learner_id))
        return _from_rows(cursor.fetchall())


def _session_and_progress(session_key: str, learner_id: int) -> tuple[str | None, Progress]:
    """The session's stored data (None: no such unexpired session) and the progress of
    ``learner_id``, in one query: the progress rows and a row tagged ``_SESSION``."""
    text, params = _progress_sql(connection.vendor)
    session_row = session_row_sql(before="%s", after="NULL, NULL, NULL, NULL, NULL")
    with connection.cursor() as cursor:
        cursor.execute(
            f"{text} UNION ALL {session_row}",
            [*_with_learner(params, learner_id), _SESSION, session_key, expiry_param()],
        )
        rows = cursor.fetchall()
    session_data = next((row[1] for row in rows if row[0] == _SESSION), None)
    return session_data, _from_rows([row for row in rows if row[0] != _SESSION])


def _with_learner(params: tuple, learner_id: int) -> list:
    return [learner_id if param == _LEARNER else param for param in params]


def _from_rows(rows: list[tuple]) -> Progress:
    progress = Progress()
    for part, name, question, choice, correct, first_correct, attempts in rows:
        if part == _READ:
            progress.lessons_read.add(name)
        elif part == _ANSWER:
            answer = Answer(choice, bool(correct), bool(first_correct), attempts)
            progress.answers[(name, question)] = answer
        else:
            progress.exercises_done.add(name)
    return progress
