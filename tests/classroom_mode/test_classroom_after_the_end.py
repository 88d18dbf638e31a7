"""What a learner does after their classroom has ended leaves its record as it was at the end:
a hint revealed on a closed design, a quiz answer changed."""

import pytest
from django.urls import reverse

from classrooms import actions
from lessons.catalog import get_lesson

from .helpers import joined, start_exercise

pytestmark = pytest.mark.django_db

EXERCISE = "set-requests-limits"
LESSON = "resources"


def _results(client, classroom) -> dict[str, dict]:
    url = reverse("classrooms:results", args=[classroom.code, "json"])
    return {row["item"]: row for row in client.get(url).json()["results"]}


def test_a_hint_revealed_after_the_end_is_not_counted(instructor_client, classroom):
    client, _ = joined(classroom, "Ada")
    design = start_exercise(client, EXERCISE)
    client.post(reverse("lessons:hint", args=[design.slug]), {"level": "1"})
    actions.end_classroom(classroom=classroom)
    before = _results(instructor_client, classroom)
    assert before[EXERCISE]["hints_used"] == 1
    client.post(reverse("lessons:hint", args=[design.slug]), {"level": "3"})  # the solution
    assert _results(instructor_client, classroom) == before


def test_changing_a_quiz_answer_after_the_end_leaves_the_record_as_it_was(
    instructor_client, classroom
):
    client, _ = joined(classroom, "Ada")
    lesson = get_lesson(LESSON)
    question = lesson.quiz[0]
    wrong = next(choice for choice in question.choices if not choice.correct)
    url = reverse("lessons:answer", args=[LESSON, question.id])
    client.post(url, {"choice": wrong.id})
    for other in lesson.quiz[1:]:
        client.post(reverse("lessons:answer", args=[LESSON, other.id]), {"choice": other.answer.id})
    actions.end_classroom(classroom=classroom)
    before = _results(instructor_client, classroom)
    assert before[LESSON]["attempts"] == len(lesson.quiz) and before[LESSON]["done_at"]
    client.post(url, {"choice": question.answer.id})  # the right one, after the end
    assert _results(instructor_client, classroom) == before
    page = client.get(reverse("lessons:lesson", args=[LESSON]))
    assert "second try" in page.content.decode()  # the learner's own page has the new answer


def test_raised_hands_go_down_when_the_class_ends_or_the_learner_leaves(classroom):
    from django.urls import reverse

    from classrooms import actions
    from classrooms.models import Member
    from tests.classroom_mode.helpers import joined

    first, one = joined(classroom, "Una")
    second, two = joined(classroom, "Vic")
    for client in (first, second):
        client.post(reverse("classrooms:hand"), {"message": "help"})
    assert Member.objects.filter(classroom=classroom, hand_raised_at__isnull=False).count() == 2
    first.post(reverse("classrooms:leave"))
    one.refresh_from_db()
    assert one.hand_raised_at is None and one.hand_message == ""
    actions.end_classroom(classroom=classroom)
    two.refresh_from_db()
    assert two.hand_raised_at is None
