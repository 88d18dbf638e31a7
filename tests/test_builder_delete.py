"""Deleting a design from "Your designs": asked first on a page of its own (no JavaScript
needed), only the learner's own, and never a design a classroom counts."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from classrooms import actions
from podstudio.builder.models import Design
from tests.classroom_mode.helpers import ITEMS, joined, make_instructor, start_exercise

pytestmark = pytest.mark.django_db


def _start_blank(client: Client) -> Design:
    response = client.post(reverse("builder:start"), {"blank": "1"})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _text(response) -> str:
    """The page's words, as a reader gets them (tags out, entities read)."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_it_offers_delete_beside_each_of_the_learners_designs(client):
    design = _start_blank(client)
    page = client.get(reverse("builder:new")).content.decode()
    link = reverse("builder:delete", args=[design.slug])
    assert f'href="{link}"' in page
    assert 'Delete<span class="visually-hidden"> my-pod (Pod, changed just now)</span>' in page


def test_it_asks_before_deleting(client):
    design = _start_blank(client)
    response = client.get(reverse("builder:delete", args=[design.slug]))
    assert response.status_code == 200
    text = _text(response)
    assert "Delete “my-pod”?" in text
    assert "cannot be undone" in text
    assert "Delete this design" in text and "Cancel, keep it" in text
    page = response.content.decode()
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    assert Design.objects.filter(pk=design.pk).exists()  # asking deletes nothing


def test_it_deletes_the_design_and_says_so_on_the_start_page(client):
    design = _start_blank(client)
    response = client.post(reverse("builder:delete", args=[design.slug]), follow=True)
    assert response.redirect_chain == [(reverse("builder:new"), 302)]
    assert not Design.objects.filter(pk=design.pk).exists()
    text = _text(response)
    assert "Deleted the design “my-pod”." in text
    assert "Your designs" not in text  # it was the only one
    assert client.get(reverse("builder:design", args=[design.slug])).status_code == 404


def test_delete_needs_the_csrf_token_the_question_page_gives():
    owner = Client()
    design = _start_blank(owner)
    client = Client(enforce_csrf_checks=True)
    client.cookies = owner.cookies
    url = reverse("builder:delete", args=[design.slug])
    assert client.post(url).status_code == 403
    assert Design.objects.filter(pk=design.pk).exists()
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Design.objects.filter(pk=design.pk).exists()


def test_another_session_cannot_see_the_question_or_delete(client):
    design = _start_blank(Client())
    assert client.get(reverse("builder:delete", args=[design.slug])).status_code == 404
    assert client.post(reverse("builder:delete", args=[design.slug])).status_code == 404
    _start_blank(client)  # a learner of their own now: still not theirs
    assert client.post(reverse("builder:delete", args=[design.slug])).status_code == 404
    assert Design.objects.filter(pk=design.pk).exists()


def test_delete_refuses_other_methods(client):
    design = _start_blank(client)
    assert client.put(reverse("builder:delete", args=[design.slug])).status_code == 405


def test_an_exercise_done_alone_can_be_deleted_and_stays_done(client):
    response = client.get(reverse("builder:start") + "?exercise=set-requests-limits")
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.get(reverse("builder:delete", args=[design.slug]))
    assert "An exercise you finished stays done in your progress." in _text(page)
    client.post(reverse("builder:delete", args=[design.slug]))
    assert not Design.objects.filter(pk=design.pk).exists()


def test_a_design_a_classroom_counts_is_kept():
    """The instructor's grid and the class's results are read from it (an ended class's must
    stay as they were): the list offers no Delete, and asking explains why."""
    classroom = actions.create_classroom(
        title="Pods workshop", instructor=make_instructor(), items=ITEMS
    )
    learner, _member = joined(classroom, "Ada")
    design = start_exercise(learner, "set-requests-limits")
    page = learner.get(reverse("builder:new"))
    assert "kept for your class “Pods workshop”" in _text(page)
    assert reverse("builder:delete", args=[design.slug]) not in page.content.decode()
    asked = learner.get(reverse("builder:delete", args=[design.slug]))
    assert asked.status_code == 200
    assert "cannot be deleted" in _text(asked)
    assert "Delete this design" not in _text(asked)
    refused = learner.post(reverse("builder:delete", args=[design.slug]))
    assert refused.status_code == 409
    assert Design.objects.filter(pk=design.pk).exists()
    # The learner's other designs can go.
    other = _start_blank(learner)
    learner.post(reverse("builder:delete", args=[other.slug]))
    assert not Design.objects.filter(pk=other.pk).exists()


def test_once_taken_out_of_the_class_the_design_can_be_deleted():
    classroom = actions.create_classroom(
        title="Pods workshop", instructor=make_instructor(), items=ITEMS
    )
    learner, member = joined(classroom, "Ada")
    design = start_exercise(learner, "set-requests-limits")
    actions.remove_member(member=member)
    assert learner.post(reverse("builder:delete", args=[design.slug])).status_code == 302
    assert not Design.objects.filter(pk=design.pk).exists()
