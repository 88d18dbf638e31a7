"""Leaving a class on a shared computer: while the class runs, the browser forgets the learner,
so the next person at it neither sees nor takes over their work; the code, the name and the
PIN bring everything back. After the end, when no one can join again, leaving only hides the
class and the learner keeps working in this browser."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from classrooms import actions
from classrooms.models import Member

from .helpers import join, joined, start_exercise

pytestmark = pytest.mark.django_db


def _design_slugs(client: Client) -> set[str]:
    """The designs the builder's start page lists as this browser's."""
    page = client.get(reverse("builder:new")).content.decode()
    return set(re.findall(r'href="/builder/d/([a-z0-9]+)/"', page))


def test_leaving_a_running_class_hides_the_work_until_the_pin_brings_it_back(classroom):
    lena, member = joined(classroom, "Lena")
    pin = lena.session["classroom_rejoin"]["pin"]
    design = start_exercise(lena, "set-requests-limits")
    assert design.slug in _design_slugs(lena)
    lena.post(reverse("classrooms:leave"))
    # The next person at this computer: none of Lena's work, and not Lena without her PIN.
    assert design.slug not in _design_slugs(lena)
    assert lena.session.get("lessons_learner_id") != member.learner_id
    refused = join(lena, classroom, "Lena")
    assert refused.status_code != 302
    assert Member.objects.filter(classroom=classroom).count() == 1
    page = lena.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "This design was shared with you" in page  # an edit would make a copy
    # Lena herself, with her PIN: all of it is back.
    assert join(lena, classroom, "Lena", pin=pin).status_code == 302
    assert lena.session["lessons_learner_id"] == member.learner_id
    assert design.slug in _design_slugs(lena)


def test_leaving_an_ended_class_keeps_the_learner_and_their_work_in_this_browser(classroom):
    lena, member = joined(classroom, "Lena")
    design = start_exercise(lena, "set-requests-limits")
    actions.end_classroom(classroom=classroom)
    lena.post(reverse("classrooms:leave"))
    assert lena.session["lessons_learner_id"] == member.learner_id
    assert design.slug in _design_slugs(lena)
    assert "Pods workshop" not in lena.get(reverse("lessons:index")).content.decode()
