"""A class's end and its reopening, as the pages open at the time meet them: a learner's bar and
an instructor's second tab learn of either, nothing is sent into an ended class, and a lesson's
own "Start the exercise" resumes the work the class counts."""

import pytest
from django.urls import reverse

from classrooms import actions
from classrooms.models import Message
from lessons.catalog import get_lesson
from podstudio.builder.models import Design

from .helpers import HTMX, joined, start_exercise

pytestmark = pytest.mark.django_db

EXERCISE = "set-requests-limits"
LESSON = "resources"


def _started_from_the_lesson(client) -> str:
    """The slug of the design the lesson's "Start the exercise" link opens."""
    answer = client.get(reverse("builder:start"), {"exercise": EXERCISE})
    assert answer.status_code == 302
    return answer["Location"].rstrip("/").rsplit("/", 1)[1]


def test_the_lessons_start_button_in_class_resumes_the_design_the_class_counts(classroom):
    client, _ = joined(classroom, "Ada")
    design = start_exercise(client, EXERCISE)
    assert _started_from_the_lesson(client) == design.slug
    assert Design.objects.filter(exercise=EXERCISE).count() == 1


def test_outside_a_running_class_the_start_button_starts_afresh(classroom):
    client, _ = joined(classroom, "Ada")
    design = start_exercise(client, EXERCISE)
    actions.end_classroom(classroom=classroom)
    assert _started_from_the_lesson(client) != design.slug  # the ended class's stays as it was
    stranger = type(client)()
    stranger.get("/lessons/")
    assert _started_from_the_lesson(stranger) != design.slug


def test_an_ended_class_sends_no_hints_and_counts_none_sent_later(instructor_client, classroom):
    client, member = joined(classroom, "Ada")
    start_exercise(client, EXERCISE)
    learner_page = reverse("classrooms:learner", args=[classroom.code, member.pk])
    assert "Send the hint" in instructor_client.get(learner_page).content.decode()
    actions.end_classroom(classroom=classroom)
    page = instructor_client.get(learner_page).content.decode()
    assert "Send the hint" not in page and "Reset the exercise" not in page
    url = reverse("classrooms:hint", args=[classroom.code, member.pk])
    answer = instructor_client.post(url, {"text": "look at limits", "exercise": EXERCISE})
    assert answer.status_code == 302
    assert not Message.objects.filter(kind=Message.HINT).exists()
    said = [str(m) for m in instructor_client.get(answer["Location"]).context["messages"]]
    assert said == ["Not sent: the classroom has ended, so Ada sees no more hints."]


def test_the_export_counts_only_the_hints_sent_before_the_end(instructor_client, classroom):
    """The export counts the hints sent while the class ran, up to its end."""
    client, member = joined(classroom, "Ada")
    start_exercise(client, EXERCISE)
    url = reverse("classrooms:hint", args=[classroom.code, member.pk])
    instructor_client.post(url, {"text": "look at limits", "exercise": EXERCISE})
    actions.end_classroom(classroom=classroom)
    Message.objects.create(  # as a hint sent from a page opened before the end used to be
        classroom=classroom, member=member, kind=Message.HINT, text="late", exercise=EXERCISE
    )
    results = reverse("classrooms:results", args=[classroom.code, "json"])
    rows = {row["item"]: row for row in instructor_client.get(results).json()["results"]}
    assert rows[EXERCISE]["hints_received"] == 1


def test_a_learners_ended_page_learns_that_the_class_was_reopened(classroom):
    client, _ = joined(classroom, "Ada")
    actions.end_classroom(classroom=classroom)
    page = client.get(reverse("classrooms:mine")).content.decode()
    assert 'hx-get="/classroom/bar?reopened=1" hx-trigger="every 60s"' in page
    ask = reverse("classrooms:bar") + "?reopened=1"
    assert client.get(ask, **HTMX).status_code == 204
    actions.extend_classroom(classroom=classroom, minutes=30)
    answer = client.get(ask, **HTMX)
    assert answer.status_code == 200 and answer["HX-Refresh"] == "true"


@pytest.mark.parametrize("ended_in_between", [True, False])
def test_an_instructors_other_tab_is_drawn_anew_once_the_class_ends_or_reopens(
    instructor_client, classroom, ended_in_between
):
    """Its Time panel would still offer Extend and End (or say the class had ended)."""
    url = reverse("classrooms:refresh", args=[classroom.code])
    if ended_in_between:
        drawn = "running"
        actions.end_classroom(classroom=classroom)
    else:
        actions.end_classroom(classroom=classroom)
        drawn = "ended"
        actions.extend_classroom(classroom=classroom, minutes=30)
    answer = instructor_client.post(url, {"shown": "", "drawn": drawn}, **HTMX)
    assert answer["HX-Refresh"] == "true"
    same = "ended" if ended_in_between else "running"
    answer = instructor_client.post(url, {"shown": "", "drawn": same}, **HTMX)
    assert "HX-Refresh" not in answer


def test_the_learners_agenda_counts_done_as_the_instructors_grid_does(classroom):
    """A lesson is done once its quiz is answered through, not once it is marked read."""
    client, _ = joined(classroom, "Ada")
    client.post(reverse("lessons:read", args=[LESSON]))
    rows = {row["item"].slug: row for row in client.get(reverse("classrooms:mine")).context["rows"]}
    assert not rows[LESSON]["done"]
    assert rows[LESSON]["detail"] == "Lesson read, quiz not started"
    for question in get_lesson(LESSON).quiz:
        url = reverse("lessons:answer", args=[LESSON, question.id])
        client.post(url, {"choice": question.answer.id})
    rows = {row["item"].slug: row for row in client.get(reverse("classrooms:mine")).context["rows"]}
    assert rows[LESSON]["done"]


def test_an_ended_class_shows_no_way_to_join_it(instructor_client, classroom):
    """Its code and QR code on the projector would send a room to a join form that refuses."""
    grid_page = reverse("classrooms:detail", args=[classroom.code])
    sheet = reverse("classrooms:join-sheet", args=[classroom.code])
    assert "QR code of the join link" in instructor_client.get(sheet).content.decode()
    actions.end_classroom(classroom=classroom)
    for url in (grid_page, sheet):
        page = instructor_client.get(url).content.decode()
        assert "QR code of the join link" not in page
        assert "nobody can join" in page


def test_ending_and_reopening_say_so_with_the_new_end(instructor_client, classroom):
    end = reverse("classrooms:end", args=[classroom.code])
    said = [str(m) for m in instructor_client.post(end, follow=True).context["messages"]]
    assert len(said) == 1 and said[0].startswith("The classroom ended at ")
    extend = reverse("classrooms:extend", args=[classroom.code])
    answer = instructor_client.post(extend, {"minutes": "30"}, follow=True)
    said = [str(m) for m in answer.context["messages"]]
    classroom.refresh_from_db()
    assert said == [f"Reopened: the classroom now ends at {classroom.ends_at:%H:%M} UTC."]
    answer = instructor_client.post(extend, {"minutes": "30"}, follow=True)
    assert [str(m) for m in answer.context["messages"]][0].startswith("Extended: ")
