"""A join link (or its QR code) says at once when its classroom cannot be joined."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from classrooms import actions
from classrooms.models import Classroom

from .helpers import join, joined

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _open(client, classroom):
    return client.get(reverse("classrooms:join-code", args=[classroom.code]))


def test_the_join_link_of_a_running_class_shows_the_form(client, classroom):
    page = _open(client, classroom)
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    assert "cannot be joined" not in _text(page)


def test_the_join_link_puts_the_cursor_in_the_name_box(client, classroom):
    """The code is filled in already: what is left to type is the name."""
    html = _open(client, classroom).content.decode()
    name = re.search(r'<input type="text" name="name"[^>]*>', html)[0]
    assert "autofocus" in name
    plain = client.get(reverse("classrooms:join")).content.decode()
    assert "autofocus" not in re.search(r'<input type="text" name="name"[^>]*>', plain)[0]


def test_the_join_link_of_an_ended_class_says_so_without_a_form(client, classroom):
    actions.end_classroom(classroom=classroom)
    page = _open(client, classroom)
    assert page.status_code == 410
    text = _text(page)
    assert "The classroom “Pods workshop” has ended; it cannot be joined any more." in text
    assert "your instructor can reopen the class" in text
    assert 'name="name"' not in page.content.decode()
    assert "Keep practising in the lessons" in text


def test_the_join_link_of_a_full_class_says_so_and_offers_only_rejoining(client, classroom):
    Classroom.objects.filter(pk=classroom.pk).update(max_learners=1)
    first, _ = joined(classroom, "Ada")
    page = _open(client, classroom)
    assert page.status_code == 409
    html = page.content.decode()
    assert "is full (1 learner)" in _text(page)
    assert "Enter the same name and your rejoin PIN" in _text(page)
    assert re.search(r'<details class="rejoin-pin" open>', html)
    # ...which works: Ada comes back from another browser.
    pin = first.session["classroom_rejoin"]["pin"]
    assert join(Client(), classroom, "Ada", pin=pin).status_code == 302
    # Ada's own browser is in the class: its link opens the form as usual.
    assert _open(first, classroom).status_code == 200


def test_a_join_link_with_an_unknown_code_says_so_and_counts_as_a_guess(client):
    page = client.get(reverse("classrooms:join-code", args=["QQQQQQ"]))
    assert page.status_code == 404
    assert "There is no classroom with the code QQQQQQ" in _text(page)
    assert '<form method="post"' in page.content.decode()
    for guess in range(10):
        client.get(reverse("classrooms:join-code", args=[f"QQQQQ{guess}"]))
    held = client.get(reverse("classrooms:join-code", args=["QQQQQR"]))
    assert held.status_code == 429
    assert "Too many wrong codes or PINs from this browser" in _text(held)
