"""A learner resets their own progress: an ended classroom's record stays as it was at its end,
a running classroom shows the reset, and the learner's own pages start afresh."""

import pytest
from django.urls import reverse

from classrooms import actions, grid
from lessons import hints
from lessons.catalog import get_lesson
from lessons.models import LessonRead, QuizAnswer, ReviewItem
from podstudio.builder.models import Design

from .helpers import FINISH_REQUESTS_LIMITS, ITEMS, edit, join, joined, start_exercise

pytestmark = pytest.mark.django_db

EXERCISE = "set-requests-limits"
LESSON = "resources"


def _answer_quiz(client) -> None:
    lesson = get_lesson(LESSON)
    for question in lesson.quiz:
        url = reverse("lessons:answer", args=[LESSON, question.id])
        client.post(url, {"choice": question.answer.id})


def _work(classroom):
    """Ada reads the lesson, answers its quiz, takes a hint and finishes the exercise."""
    client, member = joined(classroom, "Ada")
    client.post(reverse("lessons:read", args=[LESSON]))
    _answer_quiz(client)
    design = start_exercise(client, EXERCISE)
    client.post(reverse("lessons:hint", args=[design.slug]), {"level": "1"})
    edit(client, design, FINISH_REQUESTS_LIMITS)
    return client, member


def _cells(classroom) -> list[tuple]:
    return [
        (cell.item.slug, cell.state, cell.text, cell.detail, cell.hints)
        for row in grid.build(classroom).rows
        for cell in row.cells
    ]


def _exports(client, classroom) -> tuple[list, str]:
    json_url = reverse("classrooms:results", args=[classroom.code, "json"])
    csv_url = reverse("classrooms:results", args=[classroom.code, "csv"])
    return client.get(json_url).json()["results"], client.get(csv_url).content.decode()


def _by_item(client, classroom) -> dict[str, dict]:
    return {row["item"]: row for row in _exports(client, classroom)[0]}


def _reset(client) -> None:
    assert client.post(reverse("lessons:reset")).status_code == 302


def test_an_ended_classrooms_grid_and_exports_stay_as_they_were(instructor_client, classroom):
    client, _ = _work(classroom)
    actions.end_classroom(classroom=classroom)
    cells, exports = _cells(classroom), _exports(instructor_client, classroom)
    assert cells[1][:2] == ("set-requests-limits", "done") and cells[1][4] == 1  # one hint
    assert cells[0][1] == "quiz"
    _reset(client)
    assert _cells(classroom) == cells
    assert _exports(instructor_client, classroom) == exports
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert "Done " in page.content.decode()


def test_learning_again_after_a_reset_leaves_the_ended_classroom_as_it_was(
    instructor_client, classroom
):
    client, _ = _work(classroom)
    actions.end_classroom(classroom=classroom)
    exports = _exports(instructor_client, classroom)
    _reset(client)
    client.post(reverse("lessons:read", args=[LESSON]))
    _answer_quiz(client)  # each answer is a new row, not the kept one changed
    assert _exports(instructor_client, classroom) == exports
    progress = client.get(reverse("lessons:progress")).context["totals"]
    assert progress["read"] == 1 and progress["correct"] == len(get_lesson(LESSON).quiz)
    _reset(client)  # a second reset keeps what the first one kept
    assert _exports(instructor_client, classroom) == exports
    assert QuizAnswer.objects.filter(hidden_at=None).count() == 0


def test_the_learners_own_pages_show_their_progress_reset(instructor_client, classroom):
    client, _ = _work(classroom)
    actions.end_classroom(classroom=classroom)
    _reset(client)
    totals = client.get(reverse("lessons:progress")).context["totals"]
    assert totals["read"] == totals["correct"] == totals["exercises_done"] == 0
    index = client.get(reverse("lessons:index")).context["rows"]
    row = next(row for row in index if row["lesson"].slug == LESSON)
    assert not row["read"] and not row["correct"] and not row["exercise_done"]
    by_item = _by_item(instructor_client, classroom)  # the ended classroom still counts it
    assert by_item[EXERCISE]["status"] == by_item[LESSON]["status"] == "done"
    # The class's page is the class's record, as the instructor's grid has it: the same "Done".
    rows = client.get(reverse("classrooms:mine")).context["rows"]
    assert {row["item"].slug for row in rows if row["done"]} == {LESSON, EXERCISE}


def test_a_running_classroom_shows_the_reset_and_an_ended_one_does_not(
    instructor, instructor_client, classroom
):
    """Decided: a running classroom's record is live until its end, and the learner chose to
    start over, so it shows what they have now (their designs stay: the exercise is "working"
    with the goals its design meets, and done again once they finish it again). Only a
    classroom that had ended by the reset keeps what it counted; extended, it is running again
    and shows the reset too."""
    client, _ = _work(classroom)
    actions.end_classroom(classroom=classroom)
    ended = _exports(instructor_client, classroom)
    running = actions.create_classroom(title="Day two", instructor=instructor, items=ITEMS)
    assert join(client, running, "Ada").status_code == 302
    assert _by_item(instructor_client, running)[LESSON]["status"] == "done"
    _reset(client)
    assert _exports(instructor_client, classroom) == ended
    now = _by_item(instructor_client, running)
    assert now[LESSON]["status"] == "not started"
    assert now[EXERCISE]["status"] == "working" and not now[EXERCISE]["done_at"]
    actions.extend_classroom(classroom=classroom, minutes=30)
    extended = _by_item(instructor_client, classroom)
    assert extended[LESSON]["status"] == "not started"
    assert extended[EXERCISE]["status"] == "working"


def test_a_reset_forgets_what_no_ended_classroom_counts(classroom):
    client, _ = _work(classroom)
    actions.end_classroom(classroom=classroom)
    client.post(reverse("lessons:read", args=["pods"]))  # not on the agenda: nobody counts it
    _reset(client)
    assert list(LessonRead.objects.values_list("lesson", flat=True)) == [LESSON]


def test_hints_kept_for_an_ended_classroom_are_the_learners_no_more(instructor_client, classroom):
    """The ended classroom still counts the hint; the learner starts afresh: no hint shown on
    the design, and finishing the exercise again without one puts nothing up for review."""
    client, _ = _work(classroom)
    design = Design.objects.get(exercise=EXERCISE)
    actions.end_classroom(classroom=classroom)
    _reset(client)
    assert _by_item(instructor_client, classroom)[EXERCISE]["hints_used"] == 1
    assert hints.used_levels(learner_id=design.learner_id, design=design.slug) == 0
    edit(client, design, {"metadata.name": "again"})  # closed: the edit makes a copy
    fresh = Design.objects.exclude(pk=design.pk).get(exercise=EXERCISE)
    edit(client, fresh, FINISH_REQUESTS_LIMITS)
    assert client.get(reverse("lessons:progress")).context["totals"]["exercises_done"] == 1
    assert not ReviewItem.objects.exists()
    assert _by_item(instructor_client, classroom)[EXERCISE]["hints_used"] == 1
