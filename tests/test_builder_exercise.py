"""An exercise opened in the builder is recorded as done once its goals pass, with or without JS."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from lessons.models import ExerciseDone
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest
from tests.test_exercises import SOLUTIONS

SLUG = "make-guaranteed"
FORM = "application/x-www-form-urlencoded"


def _start(client) -> Design:
    response = client.get(reverse("builder:start"), {"exercise": SLUG})
    assert response.status_code == 302
    return Design.objects.get(exercise=SLUG)


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-javascript"])
def test_meeting_every_goal_records_the_exercise(client, htmx):
    design = _start(client)
    url = reverse("builder:preview", args=[design.slug])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    client.post(url, urlencode(form_data(design.manifest)), content_type=FORM, **headers)
    assert not ExerciseDone.objects.filter(exercise=SLUG).exists()

    solution = load_manifest(SOLUTIONS[SLUG])
    client.post(url, urlencode(form_data(solution)), content_type=FORM, **headers)
    assert ExerciseDone.objects.filter(exercise=SLUG).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-javascript"])
def test_a_classmates_finished_design_opened_by_its_permalink_does_not_count(client, htmx):
    """Bob opened Alice's finished design and renamed it: his copy met every goal, and the
    class grid showed him done in 0 s. A copy of someone else's design is a plain design."""
    from django.test import Client

    alice = Client()
    design = _start(alice)
    url = reverse("builder:preview", args=[design.slug])
    solution = load_manifest(SOLUTIONS[SLUG])
    alice.post(url, urlencode(form_data(solution)), content_type=FORM)
    assert ExerciseDone.objects.filter(exercise=SLUG).count() == 1

    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "the exercise counts only for the learner who did it" in page
    design.refresh_from_db()
    renamed = dict(form_data(design.manifest), **{"metadata.name": "bobs-copy"})
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url, urlencode(renamed), content_type=FORM, **headers)
    assert response.status_code in (200, 302)
    copy = Design.objects.exclude(pk=design.pk).get()
    assert copy.manifest["metadata"]["name"] == "bobs-copy" and copy.exercise == ""
    assert ExerciseDone.objects.filter(exercise=SLUG).count() == 1  # Alice's alone
    if htmx:
        assert "All goals met" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["exercise", "example"])
def test_a_start_link_from_another_site_makes_nothing_until_its_button(client, field):
    """Any page can make browsers open a start link (an ``<img>`` needs no click): from another
    site it shows a button, and only the button makes a learner and a design. The lessons'
    own links (same origin) still open the design at once."""
    value = SLUG if field == "exercise" else "hello-nginx"
    url = reverse("builder:start")
    page = client.get(url, {field: value}, HTTP_SEC_FETCH_SITE="cross-site")
    assert page.status_code == 200
    assert "Open it in the builder" in page.content.decode()
    assert not Design.objects.exists()
    opened = client.post(url, {field: value})
    assert opened.status_code == 302 and Design.objects.count() == 1
    same_site = client.get(url, {field: value}, HTTP_SEC_FETCH_SITE="same-origin")
    assert same_site.status_code == 302 and Design.objects.count() == 2


@pytest.mark.django_db
def test_each_goal_still_to_do_leads_to_its_field(client):
    """The goal's field may be in a collapsed section dozens of Tabs away: a goal not met
    links to it, as a finding does; a goal met has no link."""
    started = client.get(reverse("builder:start"), {"exercise": "set-requests-limits"})
    page = client.get(started["Location"]).content.decode()
    goals = page.split('id="goals-heading"', 1)[1].split("</section>", 1)[0]
    cpu = re.search(r'<li class="goal fail" data-goal="cpu-request">.*?</li>', goals, re.S)
    assert 'href="#f-spec-containers_0-resources-requests-cpu"' in cpu.group(0)
    assert 'Go to field<span class="visually-hidden"> for the goal cpu request' in cpu.group(0)
    met = re.search(r'<li class="goal pass" data-goal="valid">.*?</li>', goals, re.S)
    assert "focus-link" not in met.group(0)
