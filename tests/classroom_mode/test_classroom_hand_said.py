"""After their own Raise hand or Lower my hand, a learner is told it worked, in a live region of
the classroom bar that stays in the page (the bar's answers replace its words)."""

import re

from django.urls import reverse
from django.utils import timezone

from .helpers import HTMX, joined

SAID = re.compile(r'<p id="hand-said" hx-swap-oob="innerHTML">(.*?)</p>', re.S)


def _said(response) -> str | None:
    found = SAID.search(response.content.decode())
    return found[1].strip() if found else None


def test_the_bar_has_an_empty_live_region_for_it(classroom):
    learner, _member = joined(classroom, "Ada")
    page = learner.get(reverse("classrooms:mine")).content.decode()
    assert '<p class="hand-said" id="hand-said" role="status"></p>' in page


def test_raising_a_hand_says_the_instructor_sees_it(classroom):
    learner, _member = joined(classroom, "Ada")
    answer = learner.post(reverse("classrooms:hand"), {"message": ""}, **HTMX)
    assert _said(answer) == "Hand raised: your instructor sees it."
    answer = learner.post(reverse("classrooms:hand"), {"message": "limits?"}, **HTMX)
    assert _said(answer) == "Hand raised: your instructor sees it, with your message."


def test_lowering_a_hand_says_so(classroom):
    learner, _member = joined(classroom, "Ada")
    learner.post(reverse("classrooms:hand"), {"message": "help"}, **HTMX)
    answer = learner.post(reverse("classrooms:hand"), {"lower": "1"}, **HTMX)
    assert _said(answer) == "Hand lowered."


def test_a_refused_message_says_nothing_of_a_raised_hand(classroom):
    learner, _member = joined(classroom, "Ada")
    answer = learner.post(reverse("classrooms:hand"), {"message": "x" * 201}, **HTMX)
    assert _said(answer) == ""
    assert "shorten it" in answer.content.decode()


def test_news_from_the_poll_empties_it(classroom):
    """The instructor may have lowered the hand since: the words would no longer be true."""
    learner, member = joined(classroom, "Ada")
    learner.post(reverse("classrooms:hand"), {"message": "help"}, **HTMX)
    member.refresh_from_db()
    member.hand_raised_at = None
    member.changed_at = timezone.now()
    member.save()
    answer = learner.get(reverse("classrooms:bar"), {"v": "old"}, **HTMX)
    assert answer.status_code == 200
    assert _said(answer) == ""


def test_a_hand_raised_after_the_end_is_answered_with_the_ended_bar(classroom):
    """The page was drawn before the end: pressing Raise hand swaps in the bar that says the
    class has ended (htmx would not swap a 409, and the page stayed as it was)."""
    learner, member = joined(classroom, "Ada")
    classroom.ends_at = timezone.now()
    classroom.save()
    answer = learner.post(reverse("classrooms:hand"), {"message": "help"}, **HTMX)
    assert answer.status_code == 200
    assert "This classroom has ended" in answer.content.decode()
    assert _said(answer) == ""  # no "Your hand is raised"
    member.refresh_from_db()
    assert member.hand_raised_at is None


def test_the_builder_on_a_phone_links_to_the_hand_form(classroom):
    learner, _member = joined(classroom, "Ada")
    page = learner.get(reverse("classrooms:exercise", args=["set-requests-limits"]), follow=True)
    html = page.content.decode()
    assert re.search(
        r'<a href="#hand-form" class="badge info status-hand" id="status-hand">Raise hand</a>', html
    )
    assert 'id="hand-form"' in html
    learner.post(reverse("classrooms:hand"), {"message": "help"})
    html = learner.get(page.redirect_chain[-1][0]).content.decode()
    assert re.search(r'class="badge warn status-hand" id="status-hand">Hand up</a>', html)


def test_a_builder_outside_a_class_has_no_hand_link(client, db):
    client.post(reverse("builder:start"), {"blank": "1"}, follow=True)
    from podstudio.builder.models import Design

    html = client.get(reverse("builder:design", args=[Design.objects.get().slug])).content.decode()
    assert "status-hand" not in html


# --- without JavaScript: the page the Raise or Lower goes back to says it, once ------------------

PAGE_SAID = re.compile(r'<p class="hand-said" id="hand-said" role="status">(.*?)</p>', re.S)


def _page_said(response) -> str:
    return PAGE_SAID.search(response.content.decode())[1].strip()


def test_without_javascript_the_page_after_raise_or_lower_says_it_once(classroom):
    learner, _member = joined(classroom, "Ada")
    page = learner.post(
        reverse("classrooms:hand"), {"message": "limits?", "next": "/lessons/qos/"}, follow=True
    )
    # (a lesson page reads the bar more than once: it is said all the same)
    assert page.redirect_chain[-1][0] == "/lessons/qos/"
    assert _page_said(page) == "Hand raised: your instructor sees it, with your message."
    assert _page_said(learner.get("/lessons/qos/")) == ""  # once
    page = learner.post(reverse("classrooms:hand"), {"lower": "1"}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("classrooms:mine")
    assert _page_said(page) == "Hand lowered."


def test_without_javascript_a_refused_message_says_nothing_of_a_raised_hand(classroom):
    learner, _member = joined(classroom, "Ada")
    page = learner.post(
        reverse("classrooms:hand"), {"message": "x" * 201, "next": "/lessons/"}, follow=True
    )
    assert _page_said(page) == ""
    assert "shorten it" in page.content.decode()
