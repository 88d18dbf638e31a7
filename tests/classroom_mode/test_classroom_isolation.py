"""One learner in two instructors' classrooms: what one instructor does in theirs never changes
the other's, and an ended classroom's results and read-only designs stay as they were."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from classrooms import actions
from lessons.models import ExerciseDone
from podstudio.builder.models import Design

from .helpers import FINISH_REQUESTS_LIMITS, ITEMS, edit, join, joined, make_instructor

pytestmark = pytest.mark.django_db

EXERCISE = "set-requests-limits"


def _results(instructor_client: Client, classroom) -> dict[tuple[str, str], dict]:
    url = reverse("classrooms:results", args=[classroom.code, "csv"])
    response = instructor_client.get(url)
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {(row["learner"], row["item"]): row for row in rows}


def _cell(instructor_client: Client, classroom, name: str) -> dict:
    return _results(instructor_client, classroom)[(name, EXERCISE)]


def _start(client: Client) -> Design:
    """The learner's agenda link to the exercise: the design it opens (made if needed)."""
    response = client.get(reverse("classrooms:exercise", args=[EXERCISE]), follow=True)
    assert response.status_code == 200
    slug = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[1]
    return Design.objects.get(slug=slug)


@pytest.fixture
def second_instructor_client():
    client = Client()
    client.force_login(make_instructor("yann"))
    return client


def _second_classroom(client: Client):
    """A classroom of the instructor signed in with ``client``, with the same exercises."""
    instructor = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return actions.create_classroom(title="Other workshop", instructor=instructor, items=ITEMS)


def test_a_reset_in_one_classroom_leaves_another_instructors_ended_classroom_as_it_was(
    instructor_client, classroom, second_instructor_client
):
    learner, member_x = joined(classroom, "Dora")
    design = _start(learner)
    edit(learner, design, FINISH_REQUESTS_LIMITS)
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    before = _results(instructor_client, classroom)
    assert before[("Dora", EXERCISE)]["status"] == "done"
    finished = dict(Design.objects.filter(pk=design.pk).values()[0])

    other = _second_classroom(second_instructor_client)
    assert join(learner, other, "Dora").status_code == 302  # the same browser
    member_y = other.members.get()
    assert _cell(second_instructor_client, other, "Dora")["status"] == "done"  # came along
    url = reverse("classrooms:reset", args=[other.code, member_y.pk])
    assert second_instructor_client.post(url, {"exercise": EXERCISE}).status_code == 302

    # The ended classroom's results and its closed design are untouched.
    assert _results(instructor_client, classroom) == before
    assert dict(Design.objects.filter(pk=design.pk).values()[0]) == finished
    # The reset classroom shows the exercise at its start, in a design of its own...
    reset = _cell(second_instructor_client, other, "Dora")
    assert (reset["status"], reset["goals_met"], reset["done_at"]) == ("working", "1", "")
    fresh = _start(learner)
    assert fresh.pk != design.pk and not fresh.is_closed()
    assert "resources" not in fresh.manifest["spec"]["containers"][0]
    # ...which the learner finishes again, and it shows done there again.
    edit(learner, fresh, FINISH_REQUESTS_LIMITS)
    again = _cell(second_instructor_client, other, "Dora")
    assert (again["status"], again["goals_met"]) == ("done", "5")
    assert again["done_at"] > before[("Dora", EXERCISE)]["done_at"]
    assert _results(instructor_client, classroom) == before
    grid = second_instructor_client.get(reverse("classrooms:detail", args=[other.code]))
    assert "Done" in grid.content.decode()
    assert member_x.pk != member_y.pk


def test_a_reset_still_forgets_a_completion_only_its_own_classroom_counts(
    instructor_client, classroom
):
    learner, member = joined(classroom, "Eli")
    design = _start(learner)
    edit(learner, design, FINISH_REQUESTS_LIMITS)
    url = reverse("classrooms:reset", args=[classroom.code, member.pk])
    instructor_client.post(url, {"exercise": EXERCISE})
    assert not ExerciseDone.objects.filter(learner_id=member.learner_id).exists()
    assert _cell(instructor_client, classroom, "Eli")["status"] == "working"
    assert _start(learner).pk == design.pk  # reset in place: no classroom had closed it
    edit(learner, design, FINISH_REQUESTS_LIMITS)
    assert _cell(instructor_client, classroom, "Eli")["status"] == "done"


def test_joining_another_classroom_does_not_reopen_a_design_an_ended_one_closed(
    instructor_client, classroom, second_instructor_client
):
    learner, _ = joined(classroom, "Dora")
    design = _start(learner)
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    before = _results(instructor_client, classroom)
    assert before[("Dora", EXERCISE)]["attempts"] == "0"

    other = _second_classroom(second_instructor_client)
    assert join(learner, other, "Dora").status_code == 302
    design.refresh_from_db()
    assert design.is_closed()
    page = learner.get(reverse("builder:design", args=[design.slug]))
    assert 'id="builder-form"' in page.content.decode()
    edit(learner, design, {"spec.containers[0].resources.requests.cpu": "250"})
    design.refresh_from_db()
    assert design.edits == 0  # the edit made the learner's own copy
    copy = _start(learner)
    assert copy.pk != design.pk and not copy.is_closed()
    assert copy.manifest["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "250m"
    assert _results(instructor_client, classroom) == before
    # Extending the other classroom does not reopen it either.
    extend = reverse("classrooms:extend", args=[other.code])
    second_instructor_client.post(extend, {"minutes": 30})
    design.refresh_from_db()
    assert design.is_closed()


def test_extending_an_ended_classroom_reopens_only_what_no_other_ended_classroom_counts(
    instructor_client, classroom, second_instructor_client
):
    learner, _ = joined(classroom, "Dora")
    design = _start(learner)
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    other = _second_classroom(second_instructor_client)
    assert join(learner, other, "Dora").status_code == 302  # the first one has ended
    second_instructor_client.post(reverse("classrooms:end", args=[other.code]))
    frozen = _results(second_instructor_client, other)
    instructor_client.post(reverse("classrooms:extend", args=[classroom.code]), {"minutes": 30})
    design.refresh_from_db()
    assert design.is_closed()  # the other ended classroom counts it
    edit(learner, design, {"spec.containers[0].resources.requests.cpu": "250"})
    assert _results(second_instructor_client, other) == frozen


def test_a_browser_in_a_running_classroom_cannot_join_another_until_it_leaves(
    instructor_client, classroom, second_instructor_client
):
    """In two running classrooms at once, one learner's designs would be both classes' work:
    each instructor would see, and could reset, what was done for the other's."""
    learner, member = joined(classroom, "Dora")
    _start(learner)
    other = _second_classroom(second_instructor_client)
    refused = join(learner, other, "Dora")
    assert refused.status_code == 409
    assert "still running. Leave it first" in refused.content.decode()
    assert not other.members.exists()
    learner.post(reverse("classrooms:leave"))
    assert join(learner, other, "Dora").status_code == 302
    joined_there = other.members.get()
    assert joined_there.learner_id != member.learner_id  # a running class's work stays there
