"""Designs belong to learners of real sessions: a made-up session cookie owns nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import Learner
from lessons.progress import SESSION_KEY
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _start_blank(client: Client) -> Design:
    response = client.post(reverse("builder:start"), {"blank": "1"})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _edit(client: Client, design: Design, name: str):
    data = dict(form_data(design.manifest), **{"metadata.name": name})
    return client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)


def test_a_new_design_belongs_to_the_learner_of_a_saved_session(client):
    design = _start_blank(client)
    assert design.learner is not None
    assert client.session[SESSION_KEY] == design.learner_id


@pytest.mark.parametrize("forged", ["x" * 100, "abcdefgh", "n0t-a-real-session-key-123456789"])
def test_a_made_up_session_cookie_gets_a_new_session_and_owns_nothing(client, forged):
    victim = Client()
    design = _start_blank(victim)
    client.cookies["sessionid"] = forged
    mine = _start_blank(client)
    assert mine.learner_id != design.learner_id
    assert client.cookies["sessionid"].value != forged
    assert Learner.objects.count() == 2


def test_copying_someone_elses_session_id_after_it_expired_owns_nothing(client):
    owner = Client()
    design = _start_blank(owner)
    stolen = owner.cookies["sessionid"].value
    owner.post(reverse("lessons:reset"))
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=stolen).delete()  # expired and cleared
    client.cookies["sessionid"] = stolen
    response = _edit(client, design, "taken-over")
    assert response.status_code == 200
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] != "taken-over"  # the edit went to a copy
    copy = Design.objects.exclude(pk=design.pk).get()
    assert copy.manifest["metadata"]["name"] == "taken-over"
    assert copy.learner_id != design.learner_id


def test_an_edit_by_another_learner_makes_their_own_copy(client):
    design = _start_blank(Client())
    response = _edit(client, design, "my-copy")
    assert response.status_code == 200
    assert Design.objects.count() == 2
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "my-pod"


def test_only_the_owner_can_delete_a_design(client):
    design = _start_blank(Client())
    response = client.post(reverse("builder:delete", args=[design.slug]))
    assert response.status_code == 404
    assert Design.objects.filter(pk=design.pk).exists()


def test_resetting_progress_keeps_the_learners_designs(client):
    design = _start_blank(client)
    client.post(reverse("lessons:reset"))
    assert Design.objects.filter(pk=design.pk, learner_id=design.learner_id).exists()
    assert client.get(reverse("builder:new")).content.decode().count(design.slug) >= 1


def test_the_start_page_lists_only_the_learners_own_designs(client):
    mine = _start_blank(client)
    theirs = _start_blank(Client())
    page = client.get(reverse("builder:new")).content.decode()
    assert mine.slug in page
    assert theirs.slug not in page


def test_an_owner_whose_session_has_expired_edits_a_copy(client):
    """The keystroke reads the session together with the design: an expired session (its row
    not yet cleared) names no learner there either."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    design = _start_blank(client)
    assert _edit(client, design, "still-mine").status_code == 200
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "still-mine"  # edited in place
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    assert _edit(client, design, "after-expiry").status_code == 200
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "still-mine"
    copy = Design.objects.exclude(pk=design.pk).get()
    assert copy.manifest["metadata"]["name"] == "after-expiry"
