"""Learners join with a code and a name, keep their progress, and can come back with a PIN."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classrooms import membership
from classrooms.models import CODE_ALPHABET, CODE_LENGTH, Member, new_code
from lessons.models import Learner
from lessons.progress import SESSION_KEY
from podstudio import ratelimit
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


def test_the_code_typed_in_fullwidth_characters_is_read(client, classroom):
    """A Japanese or Chinese input method types "４３ＭＫＥＣ" for "43MKEC"."""
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in classroom.code)
    assert (
        client.post(reverse("classrooms:join"), {"code": fullwidth, "name": "Bo"}).status_code
        == 302
    )


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
    [
        ("", "Enter the name"),
        ("x" * 41, "40 characters"),
        ("bad\u0007name", "letters"),
        # Names that show as blank rows no one can tell apart: Hangul fillers, a Braille
        # blank, a lone accent, a variation selector.
        *[
            (blank, "at least one letter or digit")
            for blank in ("\u3164", "\u3164\u3164", "\u2800", "\u115f", "\u0301", "\ufe0f", "-.-")
        ],
    ],
)
def test_bad_names_are_refused_at_the_field(client, classroom, name, message):
    response = join(client, classroom, name)
    assert response.status_code == 400
    assert message in _text(response)
    assert 'aria-invalid="true" aria-describedby="name-error"' in response.content.decode()


def _wrong_codes(client, count: int) -> None:
    for attempt in range(count):
        response = client.post(
            reverse("classrooms:join"), {"code": f"QQQQ{attempt:02d}", "name": "Guess"}
        )
        assert response.status_code == 404


def test_guessing_codes_is_rate_limited_per_browser(client, classroom):
    _wrong_codes(client, membership.GUESSES_PER_SESSION.count)
    blocked = client.post(reverse("classrooms:join"), {"code": classroom.code, "name": "Guess"})
    assert blocked.status_code == 429  # even the right code waits
    assert "Too many wrong codes or PINs from this browser" in _text(blocked)
    assert join(Client(), classroom, "Other").status_code == 302  # same address, other browser


def test_wrong_guesses_in_a_class_behind_one_address_do_not_lock_out_a_right_join(classroom):
    """A class behind one NAT (or one reverse proxy): its typos add up on one address, but a
    learner with the right code, and one with their rejoin link, still get in."""
    first, member = joined(classroom, "Ada")
    link = first.session["classroom_rejoin"]["link"].split("testserver", 1)[1]
    for _ in range(4):  # four browsers, five typos each: 20, once enough to lock out everyone
        _wrong_codes(Client(), 5)
    assert join(Client(), classroom, "Bea").status_code == 302
    again = Client()
    assert again.post(link).status_code == 302
    assert again.session[SESSION_KEY] == member.learner_id


def test_guessing_from_many_browsers_of_one_address_is_limited_too(classroom, monkeypatch):
    assert membership.GUESSES_PER_ADDRESS.count >= 100  # a whole class's typos
    monkeypatch.setattr(membership, "GUESSES_PER_ADDRESS", ratelimit.Limit(12, 600))
    for _ in range(4):  # cookies dropped after every few guesses
        _wrong_codes(Client(), 3)
    blocked = join(Client(), classroom, "Guess")
    assert blocked.status_code == 429
    assert "Too many wrong codes or PINs from your network" in _text(blocked)
    assert join(Client(REMOTE_ADDR="10.0.0.9"), classroom, "Other").status_code == 302


def test_join_links_with_wrong_codes_do_not_lock_a_network_out_of_the_form(classroom, monkeypatch):
    """Any web page can make its visitors' browsers open join links (an ``<img>`` needs no
    click and sends no cookie). Their misses are counted apart: past the limit the links of
    that network wait, and the form, with the right code, still lets the class in."""
    monkeypatch.setattr(membership, "GUESSES_PER_ADDRESS", ratelimit.Limit(12, 600))
    for number in range(12):
        miss = Client().get(reverse("classrooms:join-code", args=[f"QQQQ{number:02d}"]))
        assert miss.status_code == 404
    link = Client().get(reverse("classrooms:join-code", args=[classroom.code]))
    assert link.status_code == 429
    assert "Type your classroom's code in the form instead" in _text(link)
    assert join(Client(), classroom, "Bea").status_code == 302


def test_a_trusted_proxy_header_names_the_address(classroom, monkeypatch, settings):
    settings.PODSTUDIO_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    monkeypatch.setattr(membership, "GUESSES_PER_ADDRESS", ratelimit.Limit(6, 600))
    for _ in range(2):
        _wrong_codes(Client(HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.1"), 3)
    assert join(Client(HTTP_X_FORWARDED_FOR="10.0.0.1"), classroom, "Cy").status_code == 429
    # The proxy's own entry is the last: what the client wrote before it is not believed.
    assert join(Client(HTTP_X_FORWARDED_FOR="10.0.0.2"), classroom, "Di").status_code == 302
    assert (
        join(Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 10.0.0.3"), classroom, "Ed").status_code == 302
    )


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


@pytest.mark.parametrize("zero", ["\uff10", "\u0660"], ids=["fullwidth", "arabic-indic"])
def test_a_pin_typed_in_other_digits_is_the_same_pin(classroom, zero):
    """An input method left in fullwidth mode types "９３５１２４": it was a wrong PIN, and
    spent one of the name's five tries."""
    first, member = joined(classroom, "Kai")
    pin = first.session["classroom_rejoin"]["pin"]
    typed = "".join(chr(ord(zero) + int(digit)) for digit in pin)
    browser = Client()
    assert join(browser, classroom, "Kai", pin=typed).status_code == 302
    assert browser.session["classroom_rejoin"]["pin"] == pin


def test_pin_tries_either_side_of_a_quarter_hour_still_lock_the_name(classroom, monkeypatch):
    """Counted in fixed quarter hours, three wrong tries at 14:29:59 and two at 14:30:01 were
    two windows' worth: the name was never locked (CI met it at 14:30 UTC)."""
    clock = SimpleNamespace(now=900 * 1_900_000 - 1.0)
    monkeypatch.setattr("podstudio.ratelimit.time", SimpleNamespace(time=lambda: clock.now))
    first, member = joined(classroom, "Hob")
    pin = first.session["classroom_rejoin"]["pin"]
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != pin][:5]
    for index, guess in enumerate(wrong):
        clock.now += 0.5
        assert (
            join(Client(REMOTE_ADDR=f"10.0.4.{index}"), classroom, "Hob", pin=guess).status_code
            == 403
        )
    assert join(Client(REMOTE_ADDR="10.0.4.9"), classroom, "Hob", pin=pin).status_code == 429
    clock.now += 900
    assert join(Client(REMOTE_ADDR="10.0.4.9"), classroom, "Hob", pin=pin).status_code == 302


def test_each_pin_try_is_counted_before_it_is_checked(classroom, monkeypatch):
    """Tries sent at the same moment must not all find the count still low: the count grows
    before each check, so at most five are ever checked."""
    from classrooms import membership
    from podstudio import ratelimit

    first, member = joined(classroom, "Hex")
    checked = []
    compare = membership.constant_time_compare

    def counted_compare(a, b):
        key = f"classroom-pin:{member.pk}"
        checked.append(ratelimit.is_spent(key, ratelimit.Limit(len(checked) + 1, 900)))
        return compare(a, b)

    monkeypatch.setattr(membership, "constant_time_compare", counted_compare)
    join(Client(REMOTE_ADDR="10.0.3.1"), classroom, "Hex", pin="000001")
    join(
        Client(REMOTE_ADDR="10.0.3.2"),
        classroom,
        "Hex",
        pin=first.session["classroom_rejoin"]["pin"],
    )
    assert checked == [True, True]  # the try was counted when its PIN was checked


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
    assert join(client, classroom, "jo").status_code == 302  # the same name: still Jo
    response = join(client, classroom, "Someone Else")
    assert response.status_code == 409
    assert (
        "This browser is already in this classroom as “Jo”. To join under another name, leave "
        "the classroom first"
    ) in _text(response)
    assert list(Member.objects.values_list("name", flat=True)) == ["Jo"]


def test_another_learner_comes_back_in_a_browser_already_in_the_class_with_their_pin(classroom):
    """Alice's name and PIN typed in Bob's browser: it was silently still Bob's (and so was
    Alice's work after it), and a wrong PIN looked as if it had worked."""
    alice, alice_member = joined(classroom, "Alice")
    pin = alice.session["classroom_rejoin"]["pin"]
    bob, bob_member = joined(classroom, "Bob")
    wrong = join(bob, classroom, "Alice", pin="000000" if pin != "000000" else "111111")
    assert wrong.status_code == 403 and "That PIN does not match “Alice”" in _text(wrong)
    assert bob.session[SESSION_KEY] == bob_member.learner_id
    right = join(bob, classroom, "Alice", pin=pin)
    assert right.status_code == 302
    assert bob.session[SESSION_KEY] == alice_member.learner_id
    page = bob.get(reverse("classrooms:mine")).content.decode()
    assert "Alice" in page and pin in page


def test_the_rejoin_link_of_an_ended_classroom_answers_as_its_code_and_pin_do(
    classroom, instructor_client
):
    first, _ = joined(classroom, "Kim")
    link = first.session["classroom_rejoin"]["link"].split("testserver", 1)[1]
    pin = first.session["classroom_rejoin"]["pin"]
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    by_pin = join(Client(), classroom, "Kim", pin=pin)
    message = f"The classroom “{classroom.title}” has ended; it cannot be joined any more."
    assert by_pin.status_code == 410 and message in _text(by_pin)
    second = Client()
    for response in (second.get(link), second.post(link)):
        assert response.status_code == 410
        assert message in _text(response)
        assert "Continue as" not in _text(response)
    assert second.session.get(SESSION_KEY) is None


def test_a_fullwidth_look_alike_of_a_name_in_the_class_is_the_same_name(classroom):
    joined(classroom, "Bob")
    response = join(Client(), classroom, "\uff22\uff4f\uff42")  # Ｂｏｂ
    assert response.status_code == 400
    assert "already goes by “Bob”" in _text(response)
    assert list(Member.objects.values_list("name", flat=True)) == ["Bob"]


def test_a_join_landing_while_another_is_checked_cannot_overfill_the_class(classroom, monkeypatch):
    """Two learners join the last place at the same moment: the places are counted under a
    lock, together with the new member. (The other join is made to land between this one's
    start and its count, where two joins once both found a place: 3 members in a class of 2.)"""
    classroom.max_learners = 2
    classroom.save()
    joined(classroom, "Ada")
    made_pin = membership.new_pin

    def another_join_lands():
        monkeypatch.setattr(membership, "new_pin", made_pin)
        joined(classroom, "Bo")  # takes the last place
        return made_pin()

    monkeypatch.setattr(membership, "new_pin", another_join_lands)
    response = Client().post(reverse("classrooms:join"), {"code": classroom.code, "name": "Cy"})
    assert response.status_code == 409
    assert "is full" in response.content.decode()
    assert sorted(classroom.members.values_list("name", flat=True)) == ["Ada", "Bo"]


def test_the_join_forms_help_is_read_with_its_fields_and_the_name_stops_at_its_limit(client):
    """A screen reader reads each field's help with it; the name field takes no more than the
    40 characters a name may have (80 let a learner type a name only refused after)."""
    page = client.get(reverse("classrooms:join")).content.decode()
    name = re.search(r'<input [^>]*name="name"[^>]*>', page).group(0)
    assert 'maxlength="40"' in name and 'aria-describedby="name-help"' in name
    assert 'id="name-help"' in page
    pin = re.search(r'<input [^>]*name="pin"[^>]*>', page).group(0)
    assert 'aria-describedby="pin-help"' in pin and 'id="pin-help"' in page
