"""Helpers of the classroom tests: instructors, classrooms and learners, made as users make them."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from classrooms import actions
from classrooms.models import Member
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design

HTMX = {"HTTP_HX_REQUEST": "true"}
# A lesson with a quiz and its exercise, then another exercise: the class in most tests.
ITEMS = [
    {"kind": "lesson", "slug": "resources"},
    {"kind": "exercise", "slug": "set-requests-limits"},
    {"kind": "exercise", "slug": "add-readiness-probe"},
]
# The form fields that finish "set-requests-limits" (all five goals).
FINISH_REQUESTS_LIMITS = {
    "spec.containers[0].resources.requests.cpu": "250",
    "spec.containers[0].resources.requests.cpu@unit": "m",
    "spec.containers[0].resources.requests.memory": "128",
    "spec.containers[0].resources.requests.memory@unit": "Mi",
    "spec.containers[0].resources.limits.memory": "256",
    "spec.containers[0].resources.limits.memory@unit": "Mi",
}


def make_instructor(username: str = "ines"):
    user = get_user_model().objects.create_user(username=username, password="a-long-password-1")
    actions.make_instructor(user)
    return user


def join(client: Client, classroom, name: str, **extra):
    return client.post(reverse("classrooms:join"), {"code": classroom.code, "name": name, **extra})


def joined(classroom, name: str) -> tuple[Client, Member]:
    client = Client()
    response = join(client, classroom, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, Member.objects.get(classroom=classroom, name=name)


def start_exercise(client: Client, slug: str) -> Design:
    response = client.get(reverse("classrooms:exercise", args=[slug]), follow=True)
    assert response.status_code == 200
    return Design.objects.get(slug=response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[1])


def edit(client: Client, design: Design, changes: dict, htmx: bool = True):
    """One keystroke in the builder: the whole form as the page shows it, with ``changes``."""
    design.refresh_from_db()
    data = dict(form_data(design.manifest))
    data.update(changes)
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}))
