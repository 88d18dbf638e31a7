"""What a learner coming back is told: a wrong PIN says what to do and how many tries are left."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import join, joined

pytestmark = pytest.mark.django_db


def _error(response) -> str:
    found = re.search(
        r'<span class="field-error" id="pin-error"[^>]*>(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    assert found, response.content.decode()[:2000]
    return unescape(found.group(1))


def test_a_wrong_pin_counts_down_the_tries_and_names_the_instructor(classroom):
    first, _ = joined(classroom, "Tao")
    pin = first.session["classroom_rejoin"]["pin"]
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != pin][:5]
    said = [_error(join(Client(), classroom, "tao", pin=guess)) for guess in wrong]
    assert said[0] == (
        "That PIN does not match “Tao”. Check the six digits you were shown when you first "
        "joined (4 tries left), or ask your instructor for a new PIN."
    )
    assert "(3 tries left)" in said[1]
    assert "(1 try left)" in said[3]
    assert said[4] == (
        "That PIN does not match “Tao”, and it was the last try for now: wait a quarter of an "
        "hour, or ask your instructor for a new PIN."
    )


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_leaving_asks_first_with_the_code_the_name_and_the_pin(classroom):
    client, _ = joined(classroom, "Tao")
    pin = client.session["classroom_rejoin"]["pin"]
    page = client.get(reverse("classrooms:mine"))
    step = re.search(r'<details class="leave-step">.*?</details>', page.content.decode(), re.S)
    assert step, "leaving is one tap"
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", step.group(0))).split())
    assert f"you need the code {classroom.code} , your name Tao and your rejoin PIN {pin}" in words
    assert "Leave “Pods workshop” now" in words


def test_after_leaving_a_notice_says_how_to_come_back(classroom):
    client, _ = joined(classroom, "Tao")
    pin = client.session["classroom_rejoin"]["pin"]
    page = client.post(reverse("classrooms:leave"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("lessons:index")
    assert (
        f"You left “Pods workshop” in this browser. Your work stays. To come back, join with "
        f"the code {classroom.code}, the name “Tao” and your rejoin PIN {pin}."
    ) in _text(page)
    assert "Pods workshop" not in _text(client.get(reverse("lessons:index")))  # said once


def test_a_learner_back_with_the_pin_sees_it_again_on_the_class_page(classroom):
    first, _ = joined(classroom, "Tao")
    pin = first.session["classroom_rejoin"]["pin"]
    second = Client()
    assert join(second, classroom, "Tao", pin=pin).status_code == 302
    text = _text(second.get(reverse("classrooms:mine")))
    assert f"rejoin PIN {pin} with the code {classroom.code} and your name." in text
    assert f"your rejoin PIN {pin} . Note them before you leave" in text
