"""Pages that carry a PIN, a rejoin token or learners' results are never kept by a browser's or
a proxy's cache (a classroom computer is shared), and the links printed for a class answer HEAD
as link checkers and chat previews ask. Input past a limit gets a reason, never dropped."""

import pytest
from django.urls import reverse

from .helpers import joined

pytestmark = pytest.mark.django_db


def _not_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_learners_own_page_with_their_pin_is_not_stored(classroom):
    client, _ = joined(classroom, "Ada")
    response = client.get(reverse("classrooms:mine") + "?welcome=1")
    assert response.status_code == 200 and _not_stored(response)
    assert _not_stored(client.get(reverse("lessons:progress")))


def test_an_instructors_pages_of_learners_and_results_are_not_stored(instructor_client, classroom):
    _, member = joined(classroom, "Bea")
    learner = instructor_client.get(reverse("classrooms:learner", args=[classroom.code, member.pk]))
    assert learner.status_code == 200 and _not_stored(learner)
    for fmt in ("csv", "json"):
        results = instructor_client.get(reverse("classrooms:results", args=[classroom.code, fmt]))
        assert results.status_code == 200 and _not_stored(results)


def test_the_join_link_answers_head(client, classroom):
    response = client.head(reverse("classrooms:join-code", args=[classroom.code]))
    assert response.status_code == 200
    assert response.content == b""


def test_a_hand_message_too_long_is_refused_with_a_reason_not_dropped(classroom):
    client, member = joined(classroom, "Cy")
    answer = client.post(reverse("classrooms:hand"), {"message": "x" * 201}, HTTP_HX_REQUEST="true")
    assert "longer than 200 characters" in answer.content.decode()
    member.refresh_from_db()
    assert member.hand_raised_at is None  # not raised without its message
    client.post(reverse("classrooms:hand"), {"message": "help with probes"}, HTTP_HX_REQUEST="true")
    member.refresh_from_db()
    assert member.hand_raised_at is not None and member.hand_message == "help with probes"


def test_every_page_of_a_learners_or_an_instructors_own_work_is_not_stored(
    instructor_client, classroom
):
    """Pages built from the session are marked private and not stored, whichever view made
    them; static files stay cacheable."""
    client, _ = joined(classroom, "Dee")
    design = client.post(reverse("builder:start"), {"blank": "1"})["Location"]
    learner_pages = [
        reverse("builder:new"),
        design,
        reverse("lessons:index"),
        reverse("lessons:lesson", args=["anatomy"]),
        reverse("lessons:review"),
        reverse("lessons:practice"),
    ]
    for url in learner_pages:
        response = client.get(url)
        assert response.status_code == 200 and _not_stored(response), url
    for url in (
        reverse("classrooms:index"),
        reverse("classrooms:join-sheet", args=[classroom.code]),
    ):
        response = instructor_client.get(url)
        assert response.status_code == 200 and _not_stored(response), url
    assert not _not_stored(client.get("/static/favicon.svg"))
