"""Instructors: signing in and out, the admin, creating classrooms, and the two commands."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from classrooms.actions import is_instructor
from classrooms.models import CODE_ALPHABET, Classroom

from .helpers import joined, make_instructor

pytestmark = pytest.mark.django_db


def test_an_instructor_signs_in_with_djangos_login_view_and_goes_to_next(client):
    make_instructor("ines")
    page = client.get(reverse("login") + "?next=/classrooms/new/")
    html = page.content.decode()
    assert (
        'name="username"' in html
        and 'name="password"' in html
        and 'value="/classrooms/new/"' in html
    )
    response = client.post(
        reverse("login"),
        {"username": "ines", "password": "a-long-password-1", "next": "/classrooms/new/"},
    )
    assert response["Location"] == "/classrooms/new/"
    wrong = Client().post(reverse("login"), {"username": "ines", "password": "nope"})
    assert wrong.status_code == 200 and "correct username and password" in wrong.content.decode()
    # The username is kept; the cursor waits in the password box, which the error describes.
    html = wrong.content.decode()
    password = re.search(r'<input type="password"[^>]*>', html)[0]
    assert "autofocus" in password and 'aria-describedby="login-error"' in password
    assert "autofocus" not in re.search(r'<input type="text" name="username"[^>]*>', html)[0]


@pytest.mark.parametrize("page", ["/", "/lessons/", "/builder/", "/classrooms/"])
def test_a_signed_in_instructor_can_sign_out_from_every_page(instructor_client, page):
    html = instructor_client.get(page).content.decode()
    assert f'action="{reverse("logout")}"' in html and ">Sign out</button>" in html
    response = instructor_client.post(reverse("logout"))
    assert response.status_code == 302
    assert instructor_client.get("/classrooms/")["Location"].startswith("/accounts/login/")


def test_the_admin_works_for_a_superuser():
    root = get_user_model().objects.create_superuser("root", password="a-long-password-1")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/classrooms/classroom/").status_code == 200


def test_an_instructor_creates_a_classroom_with_items_in_order(instructor_client):
    response = instructor_client.post(
        reverse("classrooms:new"),
        {
            "title": "Friday workshop",
            "minutes": "90",
            "max_learners": "40",
            "items": ["lesson:probes", "exercise:add-readiness-probe", "lesson:qos"],
            "order-qos": "1",
        },
    )
    classroom = Classroom.objects.get()
    assert response["Location"] == reverse("classrooms:detail", args=[classroom.code])
    assert classroom.items == [
        {"kind": "lesson", "slug": "qos"},
        {"kind": "lesson", "slug": "probes"},
        {"kind": "exercise", "slug": "add-readiness-probe"},
    ]
    assert 85 * 60 < (classroom.ends_at - classroom.created_at).total_seconds() <= 90 * 60
    assert classroom.max_learners == 40
    assert len(classroom.code) == 6 and set(classroom.code) <= set(CODE_ALPHABET)
    page = instructor_client.get(response["Location"]).content.decode()
    assert f"/join/{classroom.code}/" in page
    svg = instructor_client.get(reverse("classrooms:qr", args=[classroom.code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_new_classroom_form_explains_what_is_missing(instructor_client):
    response = instructor_client.post(reverse("classrooms:new"), {"title": "", "minutes": "180"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pick at least one lesson, exercise or drill." in html
    assert 'id="title-error"' in html
    assert not Classroom.objects.exists()


def test_a_length_cleared_stays_empty_beside_its_error_and_the_choices_error_is_at_them(
    instructor_client,
):
    """An emptied box that came back showing 180 beside "This field is required." said two
    things at once; the "pick a lesson" error sits in the choices' fieldset, which it names."""
    data = {"title": "Pods", "minutes": "", "max_learners": "30"}
    response = instructor_client.post(reverse("classrooms:new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    minutes = re.search(r'<input type="number" name="minutes"[^>]*>', html)[0]
    assert 'value=""' in minutes and "autofocus" in minutes
    assert 'id="minutes-error">This field is required.' in html
    fieldset = html[html.index('<fieldset class="item-choices"') : html.index("</fieldset>")]
    assert 'aria-describedby="items-error"' in fieldset
    assert "Pick at least one lesson, exercise or drill." in fieldset


def test_the_new_classroom_form_defaults_to_three_hours(instructor_client):
    html = instructor_client.get(reverse("classrooms:new")).content.decode()
    assert 'name="minutes" id="id_minutes" min="10" max="10080" value="180"' in html


def test_the_instructor_command_makes_an_instructor_who_can_sign_in(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password-2\n"))
    out = io.StringIO()
    call_command("podstudio_instructor", "nia", "--password-from-stdin", stdout=out)
    assert "instructor nia created" in out.getvalue()
    user = get_user_model().objects.get(username="nia")
    assert is_instructor(user) and not user.is_staff
    client = Client()
    assert client.login(username="nia", password="a-long-password-2")


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        ("", ["--password-from-stdin"], "no password"),
        ("pw\n", [], "--password-from-stdin"),
        ("123\n", ["--password-from-stdin"], "too short"),
    ],
)
def test_the_instructor_command_refuses_bad_input(monkeypatch, stdin, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=message):
        call_command("podstudio_instructor", "nia", *args)
    assert not get_user_model().objects.filter(username="nia").exists()


def test_the_classroom_command_prints_the_code_alone_on_its_last_line(instructor):
    out = io.StringIO()
    call_command(
        "podstudio_classroom",
        "create",
        "--title",
        "Night class",
        "--instructor",
        instructor.username,
        "--exercises",
        "add-readiness-probe,make-guaranteed",
        "--minutes",
        "60",
        stdout=out,
    )
    code = out.getvalue().rstrip("\n").splitlines()[-1]
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", code)
    classroom = Classroom.objects.get(code=code)
    assert classroom.title == "Night class" and instructor in classroom.instructors.all()
    assert classroom.exercises == ["add-readiness-probe", "make-guaranteed"]
    assert classroom.lessons == ["probes", "qos"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instructor", "ines", "--exercises", "nope"], "unknown exercise"),
        (["--instructor", "nobody"], "not an instructor"),
        (["--instructor", "ines", "--minutes", "5"], "--minutes"),
    ],
)
def test_the_classroom_command_refuses_bad_input(instructor, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("podstudio_classroom", "create", "--title", "T", *args)
    assert not Classroom.objects.exists()


def test_an_instructor_gives_a_learner_who_lost_their_pin_a_new_one(instructor_client, classroom):
    from classrooms.models import Member
    from tests.classroom_mode.helpers import join

    _, member = joined(classroom, "Ben")
    stranger = Client()
    for guess in range(5):  # the PIN is lost: the name locks after five wrong ones
        join(stranger, classroom, "Ben", pin=f"{guess:06d}")
    locked = join(stranger, classroom, "Ben", pin="123456")
    assert locked.status_code == 429

    url = reverse("classrooms:new-pin", args=[classroom.code, member.pk])
    page = instructor_client.post(url, follow=True).content.decode()
    found = re.search(r"New rejoin PIN for Ben: (\d{6})", page)
    assert found, page
    link = re.search(r"the link (http\S+/join/again/[^/\s]+/)", page).group(1)

    again = Client()
    response = join(again, classroom, "Ben", pin=found.group(1))
    assert response.status_code == 302  # the lock is lifted, and the new PIN works
    assert Client().get(link.split("testserver", 1)[1]).status_code == 200
    assert Member.objects.filter(classroom=classroom).count() == 1  # still the one Ben


def test_a_learner_is_no_longer_shown_the_pin_their_instructor_replaced(
    instructor_client, classroom
):
    """Their page and the Leave message kept showing the old PIN, which then failed (and
    spent one of the name's five tries)."""
    ben, member = joined(classroom, "Ben")
    old = ben.session["classroom_rejoin"]["pin"]
    assert old in ben.get(reverse("classrooms:mine")).content.decode()
    instructor_client.post(reverse("classrooms:new-pin", args=[classroom.code, member.pk]))
    page = ben.get(reverse("classrooms:mine")).content.decode()
    assert old not in page and "your instructor can tell you the one that works now" in page
    left = ben.post(reverse("classrooms:leave"), follow=True).content.decode()
    assert "your rejoin PIN (your instructor can give a new one)" in left
    assert old not in left


def test_only_the_classrooms_instructor_gives_new_pins(client, classroom):
    _, member = joined(classroom, "Ben")
    url = reverse("classrooms:new-pin", args=[classroom.code, member.pk])
    assert client.post(url).status_code == 302  # to the sign-in page
    other = make_instructor("olga")
    other_client = Client()
    other_client.force_login(other)
    assert other_client.post(url).status_code == 404


def test_classrooms_login_leads_to_sign_in_then_the_classrooms(instructor):
    client = Client()
    response = client.get("/classrooms/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/classrooms/"
