"""An exercise opened in the builder is recorded as done once its goals pass, with or without JS."""

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
