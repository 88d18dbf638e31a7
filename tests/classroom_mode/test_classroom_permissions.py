"""Who may see and do what: only a classroom's instructors (and superusers) see its grid, its
learners' work and its export; learners see their own work and the announcements only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from classrooms import actions
from classrooms.models import Member, Message

from .helpers import ITEMS, join, joined, make_instructor, start_exercise

pytestmark = pytest.mark.django_db


def _urls(classroom, member) -> list[tuple[str, str]]:
    code, pk = classroom.code, member.pk
    return [
        ("get", reverse("classrooms:detail", args=[code])),
        ("post", reverse("classrooms:refresh", args=[code])),
        ("get", reverse("classrooms:learner", args=[code, pk])),
        ("post", reverse("classrooms:hint", args=[code, pk])),
        ("post", reverse("classrooms:reset", args=[code, pk])),
        ("post", reverse("classrooms:lower-hand", args=[code, pk])),
        ("post", reverse("classrooms:remove-learner", args=[code, pk])),
        ("post", reverse("classrooms:places", args=[code])),
        ("post", reverse("classrooms:announce", args=[code])),
        ("post", reverse("classrooms:end", args=[code])),
        ("post", reverse("classrooms:extend", args=[code])),
        ("post", reverse("classrooms:thresholds", args=[code])),
        ("get", reverse("classrooms:results", args=[code, "csv"])),
        ("get", reverse("classrooms:results", args=[code, "json"])),
        ("get", reverse("classrooms:qr", args=[code])),
        ("get", reverse("classrooms:join-sheet", args=[code])),
        ("get", reverse("classrooms:sandbox", args=[code])),
    ]


def _hit(client, method: str, url: str):
    data = {"text": "x", "exercise": "set-requests-limits", "minutes": 30}
    return client.post(url, data) if method == "post" else client.get(url)


def test_signed_out_visitors_are_sent_to_the_login(classroom):
    _, member = joined(classroom, "Ada")
    for method, url in _urls(classroom, member):
        response = _hit(Client(), method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_learners_cannot_see_the_grid_or_anyone_elses_work(classroom):
    learner, member = joined(classroom, "Ada")
    start_exercise(learner, "set-requests-limits")
    for method, url in _urls(classroom, member):
        assert _hit(learner, method, url).status_code == 302, url  # to the login page


def test_another_instructor_gets_404_as_for_a_code_that_does_not_exist(classroom):
    _, member = joined(classroom, "Ada")
    other = Client()
    other.force_login(make_instructor("otto"))
    for method, url in _urls(classroom, member):
        assert _hit(other, method, url).status_code == 404, url
    assert Message.objects.count() == 0
    classroom.refresh_from_db()
    assert not classroom.has_ended()


def test_a_co_instructor_and_a_superuser_see_the_classroom(classroom):
    co = make_instructor("cora")
    classroom.instructors.add(co)
    root = get_user_model().objects.create_superuser("root", password="a-long-password-1")
    for user in (co, root):
        client = Client()
        client.force_login(user)
        url = reverse("classrooms:detail", args=[classroom.code])
        assert client.get(url).status_code == 200


def test_an_instructor_cannot_open_a_learner_of_another_classroom(instructor_client, instructor):
    mine = actions.create_classroom(title="Mine", instructor=instructor, items=ITEMS)
    theirs = actions.create_classroom(
        title="Theirs", instructor=make_instructor("tia"), items=ITEMS
    )
    _, stranger = joined(theirs, "Stranger")
    url = reverse("classrooms:learner", args=[mine.code, stranger.pk])
    assert instructor_client.get(url).status_code == 404
    hint = reverse("classrooms:hint", args=[mine.code, stranger.pk])
    assert instructor_client.post(hint, {"text": "psst"}).status_code == 404
    assert not Message.objects.exists()


def test_only_instructors_create_classrooms(classroom):
    plain = Client()
    plain.force_login(get_user_model().objects.create_user("pat", password="a-long-password-1"))
    assert plain.get(reverse("classrooms:new")).status_code == 403
    page = plain.get(reverse("classrooms:index")).content.decode()
    assert "not an instructor" in page and classroom.code not in page
    staff = Client()
    staff.force_login(
        get_user_model().objects.create_user("sam", password="a-long-password-1", is_staff=True)
    )
    assert staff.get(reverse("classrooms:new")).status_code == 200


def test_the_classroom_list_shows_only_ones_own_classrooms(instructor_client, classroom):
    other = actions.create_classroom(title="Other", instructor=make_instructor("oz"), items=ITEMS)
    page = instructor_client.get(reverse("classrooms:index")).content.decode()
    assert classroom.code in page and other.code not in page


def test_a_learner_sees_only_their_own_hints_and_everyones_announcements(classroom, instructor):
    ada_client, ada = joined(classroom, "Ada")
    bo_client, bo = joined(classroom, "Bo")
    actions.send_hint(member=ada, text="Ada, check the port", exercise="", user=instructor)
    actions.announce(classroom=classroom, text="Break in 5 minutes", user=instructor)
    ada_page = ada_client.get(reverse("classrooms:mine")).content.decode()
    bo_page = bo_client.get(reverse("classrooms:mine")).content.decode()
    assert "Ada, check the port" in ada_page and "Break in 5 minutes" in ada_page
    assert "Ada, check the port" not in bo_page and "Break in 5 minutes" in bo_page
    assert "Ada, check the port" not in bo_client.get(reverse("lessons:index")).content.decode()


def test_the_session_of_another_learner_does_not_bring_their_membership(classroom):
    ada_client, ada = joined(classroom, "Ada")
    other = Client()
    session = other.session
    session["classroom_member_id"] = ada.pk  # someone else's membership, in a made-up session
    session.save()
    other.cookies["sessionid"] = session.session_key
    assert other.get(reverse("classrooms:mine"))["Location"] == reverse("classrooms:join")
    other.post(reverse("classrooms:hand"), {"message": "not me"})
    assert Member.objects.get(pk=ada.pk).hand_raised_at is None


def test_a_session_key_planted_before_joining_does_not_see_the_learner(classroom):
    """Joining gives the browser a new session key: someone who planted the old one (on a
    shared computer) gets neither the membership with its PIN nor the learner's work."""
    planted = Client()
    session = planted.session
    session.save()
    key = session.session_key
    planted.cookies["sessionid"] = key
    victim = Client()
    victim.cookies["sessionid"] = key
    assert join(victim, classroom, "Ada").status_code == 302
    assert victim.cookies["sessionid"].value != key
    assert planted.get(reverse("classrooms:mine"))["Location"] == reverse("classrooms:join")


def test_names_are_escaped_everywhere(instructor_client, classroom, instructor):
    name = "<img src=x onerror=alert(1)>"
    client, member = joined(classroom, name)
    client.post(reverse("classrooms:hand"), {"message": "<b>help</b>"})
    start_exercise(client, "set-requests-limits")
    actions.announce(classroom=classroom, text="<script>alert(2)</script>", user=instructor)
    pages = [
        instructor_client.get(reverse("classrooms:detail", args=[classroom.code])),
        instructor_client.get(reverse("classrooms:learner", args=[classroom.code, member.pk])),
        instructor_client.post(
            reverse("classrooms:refresh", args=[classroom.code]),
            {"shown": ""},
            HTTP_HX_REQUEST="true",
        ),
        client.get(reverse("classrooms:mine")),
        client.get(reverse("lessons:index")),
    ]
    for response in pages:
        html = response.content.decode()
        assert "<img src=x" not in html and "<b>help</b>" not in html
        assert "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0].content.decode()
    csv = instructor_client.get(reverse("classrooms:results", args=[classroom.code, "csv"]))
    assert name in csv.content.decode()  # text in a CSV, nothing to escape


def test_an_instructor_whose_role_was_taken_away_no_longer_opens_their_classrooms(
    instructor, instructor_client, classroom
):
    """Removed from the instructors group, they still have an account and their classrooms'
    rows, but not the learners' work: every page of a classroom is a 404, and the list is
    empty. Giving the role back gives the classrooms back."""
    _, member = joined(classroom, "Ada")
    instructor.groups.clear()
    for method, url in _urls(classroom, member):
        assert _hit(instructor_client, method, url).status_code == 404, url
    index = instructor_client.get(reverse("classrooms:index"))
    assert classroom.code not in index.content.decode()
    classroom.refresh_from_db()
    assert not classroom.has_ended() and not Message.objects.exists()
    actions.make_instructor(instructor)
    detail = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert detail.status_code == 200


def test_a_join_code_already_taken_is_drawn_again_and_other_refusals_are_not_hidden(
    classroom, instructor, monkeypatch
):
    """Two classrooms never share a code: a taken one is drawn again. A row the database
    refuses for another reason says so, rather than blaming the code."""
    from django.db import IntegrityError

    codes = iter([classroom.code, "FRESH7"])
    monkeypatch.setattr(actions, "new_code", lambda: next(codes))
    second = actions.create_classroom(title="Day two", instructor=instructor, items=ITEMS)
    assert second.code == "FRESH7" != classroom.code

    monkeypatch.setattr(actions, "new_code", lambda: "OTHER7")
    with pytest.raises(IntegrityError):  # a negative size breaks the column's own check
        actions.create_classroom(title="x", instructor=instructor, items=ITEMS, max_learners=-1)
