"""Learners join with a code and a name, keep their progress, and can come back with a PIN."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classrooms import membership
from classrooms.models import CODE_ALPHABET, CODE_LENGTH, Member, new_code
from lessons.models import Learner
from lessons.progress import SESSION_KEY
from podstudio.builder.models import Design

from .helpers import join, joined, start_exercise

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_join_codes_are_six_characters_without_look_alikes():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == CODE_LENGTH for code in codes)
    assert len(codes) == 200
    for look_alike in "0O1IL2Z5S8B":
        assert look_alike not in CODE_ALPHABET


def test_a_learner_joins_with_a_code_and_a_name(client, classroom):
    page = client.get(reverse("classrooms:join"))
    assert 'name="code"' in page.content.decode() and 'name="name"' in page.content.decode()
    response = join(client, classroom, "Ada")
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.name == "Ada" and member.classroom == classroom
    assert client.session[SESSION_KEY] == member.learner_id
    page = client.get(response["Location"])
    text = _text(page)
    assert "Welcome, Ada" in text
    assert re.search(r"rejoin PIN\s+\d{6}", text)


def test_the_code_is_read_whatever_its_case_and_spacing(client, classroom):
    typed = classroom.code.lower()[:3] + " - " + classroom.code.lower()[3:]
    assert client.post(reverse("classrooms:join"), {"code": typed, "name": "Bo"}).status_code == 302


def test_the_join_link_fills_in_the_code(client, classroom):
    page = client.get(reverse("classrooms:join-code", args=[classroom.code]))
    assert f'value="{classroom.code}"' in page.content.decode()


def test_existing_progress_comes_along(client, classroom):
    design = start_exercise(client, "set-requests-limits")  # before joining
    client.post(reverse("lessons:read", args=["resources"]))
    learner_id = client.session[SESSION_KEY]
    join(client, classroom, "Cy")
    member = Member.objects.get()
    assert member.learner_id == learner_id
    assert Design.objects.get(pk=design.pk).learner_id == learner_id


@pytest.mark.parametrize("taken", ["Dee", "dee", "  DEE  ", "D\u0065e"])
def test_a_taken_name_gets_a_clear_message(classroom, taken):
    joined(classroom, "Dee")
    response = join(Client(), classroom, taken)
    assert response.status_code == 400
    assert "already goes by “Dee”" in _text(response)
    assert 'name="pin"' in response.content.decode()  # the way back for the name's owner
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "status", "message"),
    [
        ("unknown", 404, "There is no classroom with the code"),
        ("ended", 410, "has ended"),
        ("full", 409, "is full"),
        ("blank", 400, "Enter the join code"),
    ],
)
def test_unknown_ended_full_and_blank_codes_get_a_clear_message(
    client, classroom, setup, status, message
):
    code = classroom.code
    if setup == "unknown":
        code = "XXXXXX" if classroom.code != "XXXXXX" else "YYYYYY"
    elif setup == "ended":
        classroom.ends_at = timezone.now()
        classroom.save()
    elif setup == "full":
        classroom.max_learners = 1
        classroom.save()
        joined(classroom, "First")
    elif setup == "blank":
        code = "   "
    response = client.post(reverse("classrooms:join"), {"code": code, "name": "Eve"})
    assert response.status_code == status
    assert message in _text(response)
    assert not Member.objects.filter(name="Eve").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter the name"), ("x" * 41, "40 characters"), ("bad\u0007name", "letters")],
)
def test_bad_names_are_refused_at_the_field(client, classroom, name, message):
    response = join(client, classroom, name)
    assert response.status_code == 400
    assert message in _text(response)
    assert 'aria-invalid="true" aria-describedby="name-error"' in response.content.decode()


def test_guessing_codes_is_rate_limited_per_address(client, classroom):
    for attempt in range(membership.GUESSES_PER_ADDRESS.count):
        response = client.post(
            reverse("classrooms:join"), {"code": f"QQQQ{attempt:02d}", "name": "Guess"}
        )
        assert response.status_code == 404
    blocked = client.post(reverse("classrooms:join"), {"code": classroom.code, "name": "Guess"})
    assert blocked.status_code == 429  # even the right code waits
    assert "Too many wrong codes" in _text(blocked)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert join(other, classroom, "Other").status_code == 302


def test_a_learner_rejoins_from_another_browser_with_the_pin(classroom):
    first, member = joined(classroom, "Finn")
    design = start_exercise(first, "set-requests-limits")
    pin = first.session["classroom_rejoin"]["pin"]
    second = Client()
    response = join(second, classroom, "finn", pin=pin)
    assert response.status_code == 302
    assert second.session[SESSION_KEY] == member.learner_id
    page = second.get(reverse("classrooms:exercise", args=["set-requests-limits"]))
    assert page["Location"] == reverse("builder:design", args=[design.slug])
    assert Member.objects.count() == 1


def test_a_wrong_pin_does_not_take_over_the_name(classroom):
    first, member = joined(classroom, "Gus")
    thief = Client()
    response = join(thief, classroom, "Gus", pin="000000")
    if first.session["classroom_rejoin"]["pin"] == "000000":
        pytest.skip("drew the one PIN this test guesses")
    assert response.status_code == 403
    assert "PIN does not match" in _text(response)
    assert thief.session.get(SESSION_KEY) != member.learner_id


def test_pin_guessing_stops_after_five_tries_per_name(classroom):
    first, member = joined(classroom, "Hal")
    pin = first.session["classroom_rejoin"]["pin"]
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != pin][:5]
    for index, guess in enumerate(wrong):
        thief = Client(REMOTE_ADDR=f"10.0.1.{index}")  # from many addresses
        assert join(thief, classroom, "Hal", pin=guess).status_code == 403
    response = join(Client(REMOTE_ADDR="10.0.2.1"), classroom, "Hal", pin=pin)
    assert response.status_code == 429  # even the right PIN waits now


def test_the_rejoin_link_continues_as_the_same_learner(classroom):
    first, member = joined(classroom, "Ivy")
    link = first.session["classroom_rejoin"]["link"]
    path = link.split("testserver", 1)[1]
    second = Client()
    page = second.get(path)
    assert "Continue as Ivy" in _text(page)
    assert second.session.get(SESSION_KEY) is None  # a GET changes nothing
    response = second.post(path)
    assert response.status_code == 302
    assert second.session[SESSION_KEY] == member.learner_id
    assert Learner.objects.filter(pk=member.learner_id).exists()


def test_a_made_up_rejoin_link_is_404(client, classroom):
    assert client.get(reverse("classrooms:rejoin", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("classrooms:rejoin", args=["not-a-token"])).status_code == 404


def test_joining_twice_from_one_browser_keeps_one_membership(client, classroom):
    join(client, classroom, "Jo")
    response = join(client, classroom, "Someone Else")
    assert response.status_code == 302
    assert list(Member.objects.values_list("name", flat=True)) == ["Jo"]
