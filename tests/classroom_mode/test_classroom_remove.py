"""An instructor takes someone out of a class: a name joined by mistake or by someone who was
not invited, which also frees a place in a full class."""

import pytest
from django.test import Client
from django.urls import reverse

from classrooms.models import Member
from podstudio.builder.models import Design

from .helpers import join, joined, start_exercise

pytestmark = pytest.mark.django_db


def test_an_instructor_takes_a_learner_out_and_their_place_is_free(instructor_client, classroom):
    classroom.max_learners = 1
    classroom.save()
    intruder, member = joined(classroom, "Not Invited")
    design = start_exercise(intruder, "set-requests-limits")
    assert join(Client(), classroom, "Ada").status_code == 409  # full
    url = reverse("classrooms:remove-learner", args=[classroom.code, member.pk])
    response = instructor_client.post(url, follow=True)
    assert "Not Invited is no longer in this class" in response.content.decode()
    assert not Member.objects.filter(pk=member.pk).exists()
    assert Design.objects.filter(pk=design.pk).exists()  # their own work stays theirs
    grid = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert "Not Invited" not in grid.content.decode()
    assert join(Client(), classroom, "Ada").status_code == 302  # the place is free


def test_a_removed_learners_work_stays_open_after_the_class_ends(instructor_client, classroom):
    """Their designs closed at the class's end while it counted them; taken out, they are no
    longer its results, and stay theirs to edit when it ends."""
    from classrooms import actions

    lena, member = joined(classroom, "Lena")
    design = start_exercise(lena, "set-requests-limits")
    design.refresh_from_db()
    assert design.closes_at == classroom.ends_at
    url = reverse("classrooms:remove-learner", args=[classroom.code, member.pk])
    instructor_client.post(url)
    design.refresh_from_db()
    assert design.closes_at is None
    actions.end_classroom(classroom=classroom)
    design.refresh_from_db()
    assert not design.is_closed()
    page = lena.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "stays as your instructor saw it" not in page


def test_only_the_classrooms_instructor_takes_learners_out(client, classroom):
    _, member = joined(classroom, "Bo")
    url = reverse("classrooms:remove-learner", args=[classroom.code, member.pk])
    learner, _ = joined(classroom, "Cy")
    assert learner.post(url).status_code in (302, 403, 404)
    assert Member.objects.filter(pk=member.pk).exists()
    assert client.get(url).status_code in (302, 405)


def test_an_instructor_opens_places_in_a_full_class_and_can_close_it(instructor_client, classroom):
    classroom.max_learners = 1
    classroom.save()
    joined(classroom, "Ada")
    assert join(Client(), classroom, "Bo").status_code == 409  # full
    url = reverse("classrooms:places", args=[classroom.code])
    page = instructor_client.post(url, {"max_learners": 2}, follow=True).content.decode()
    assert "Up to 2 learners may join (1 in the class now)." in page
    assert join(Client(), classroom, "Bo").status_code == 302
    refused = instructor_client.post(url, {"max_learners": 0}, follow=True).content.decode()
    assert "The places were not changed" in refused
    classroom.refresh_from_db()
    assert classroom.max_learners == 2


def test_with_the_sandbox_cluster_down_a_learner_is_still_taken_out_and_told_so(
    instructor_client, classroom, monkeypatch
):
    """Taking someone out also takes their namespace out of the class; a cluster that does not
    answer holds up neither the removal nor the page, and the instructor is told."""
    from classrooms import sandbox as class_sandbox
    from classrooms import views
    from podstudio.sandbox.client import SandboxUnavailable

    def down(learner_key, code):
        raise SandboxUnavailable("down")

    monkeypatch.setattr(views, "is_configured", lambda: True)
    monkeypatch.setattr(class_sandbox, "release", down)
    _, member = joined(classroom, "Kai")
    url = reverse("classrooms:remove-learner", args=[classroom.code, member.pk])
    page = instructor_client.post(url, follow=True).content.decode()
    assert "Kai is no longer in this class" in page
    assert "The sandbox cluster did not answer: their namespace is still listed" in page
    assert not Member.objects.filter(pk=member.pk).exists()
