"""Lesson pages come from a frame rendered once per process: the page a learner gets is exactly
the page a full render would give them, with their own progress in it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lessons import catalog
from lessons.exercises import EXERCISES
from lessons.progress import SESSION_KEY
from podstudio.frames import CSRF_MARK, Frame

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _without_tokens(html: str) -> str:
    return _TOKEN.sub(r"\1TOKEN", html)


def _learner_with_progress(client: Client) -> None:
    client.post(reverse("lessons:read", args=["qos"]))
    client.post(reverse("lessons:read", args=["probes"]))
    for lesson in catalog.LESSONS[:5]:
        for index, question in enumerate(lesson.quiz):
            choice = question.choices[index % len(question.choices)].id
            url = reverse("lessons:answer", args=[lesson.slug, question.id])
            client.post(url, {"choice": choice})
    from lessons.models import ExerciseDone

    exercise = next(iter(EXERCISES))
    ExerciseDone.objects.create(learner_id=client.session[SESSION_KEY], exercise=exercise)


@pytest.mark.parametrize("lesson", catalog.LESSONS, ids=lambda lesson: lesson.slug)
def test_the_page_from_the_frame_is_the_fully_rendered_page(client, lesson):
    _learner_with_progress(client)
    url = reverse("lessons:lesson", args=[lesson.slug])
    framed = client.get(url).content.decode()
    rendered = client.get(url + "?full=1").content.decode()  # a query draws the page afresh
    assert _without_tokens(framed) == _without_tokens(rendered)
    assert "\ue000" not in framed and CSRF_MARK not in framed


def test_each_request_gets_a_working_csrf_token(client):
    response = client.get(reverse("lessons:lesson", args=["qos"]))
    assert "csrftoken" in response.cookies  # a first visit: the cookie comes with the page
    page = response.content.decode()
    token = re.search(r'csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page).group(1)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    question = catalog.get_lesson("qos").quiz[0]
    url = reverse("lessons:answer", args=["qos", question.id])
    response = strict.post(url, {"choice": question.choices[0].id, "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_a_returning_visitor_gets_a_new_working_token_on_every_page(client):
    """From the second page on the token is masked by Pod Studio (one read of the random
    source), not by Django: it must still be new each time and accepted with the cookie."""
    url = reverse("lessons:lesson", args=["qos"])
    client.get(url)  # the first visit sets the CSRF cookie
    tokens = [
        re.search(
            r'csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', client.get(url).content.decode()
        ).group(1)
        for _ in range(3)
    ]
    assert len(set(tokens)) == 3 and {len(token) for token in tokens} == {64}
    # The cookie is not sent again with every page: it is valid for a year from the first one.
    assert "csrftoken" not in client.get(url).cookies
    question = catalog.get_lesson("qos").quiz[0]
    answer_url = reverse("lessons:answer", args=["qos", question.id])
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    for token in tokens:
        form = {"choice": question.choices[0].id, "csrfmiddlewaretoken": token}
        assert strict.post(answer_url, form).status_code == 200
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(url)  # another visitor's cookie: this page's tokens are not theirs
    form = {"choice": question.choices[0].id, "csrfmiddlewaretoken": tokens[0]}
    assert stranger.post(answer_url, form).status_code == 403


def test_progress_shows_at_once_although_the_page_is_rendered_once(client):
    url = reverse("lessons:lesson", args=["qos"])
    assert "You have read this lesson" not in client.get(url).content.decode()
    client.post(reverse("lessons:read", args=["qos"]))
    page = client.get(url).content.decode()
    assert "You have read this lesson" in page
    assert page.count('class="toc-done"') == 1
    other = Client().get(url).content.decode()  # another learner's page is their own
    assert "You have read this lesson" not in other and 'class="toc-done"' not in other


def test_a_frame_keeps_its_text_and_names_its_holes():
    frame = Frame.from_html("a\ue000one\ue001b\ue000two\ue001c")
    assert frame.holes == ("one", "two")
    assert frame.parts[0::2] == ("a", "b", "c")


def test_pages_kept_for_one_learners_state_are_never_shown_to_another():
    """A filled page is kept per state (what was read, this lesson's answers, the exercise):
    learners who share one share it, and each page is still what a full render gives."""
    lesson = catalog.get_lesson("qos")
    url = reverse("lessons:lesson", args=[lesson.slug])
    first, second = Client(), Client()
    question = lesson.quiz[0]
    answer_url = reverse("lessons:answer", args=[lesson.slug, question.id])
    steps = [
        (first, None),
        (second, None),  # the same state as the first: the kept page
        (first, {"choice": question.choices[0].id}),
        (second, None),
        (second, {"choice": question.choices[1].id}),
        (first, None),
        (second, None),
    ]
    pages = []
    for client, answer in steps:
        if answer is not None:
            client.post(answer_url, answer)
        page = client.get(url).content.decode()
        assert _without_tokens(page) == _without_tokens(
            client.get(url + "?full=1").content.decode()
        )
        pages.append(page)
    assert _without_tokens(pages[0]) == _without_tokens(pages[1])
    assert _without_tokens(pages[5]) != _without_tokens(pages[6])  # each sees their own answer


def test_a_signed_in_visitors_own_links_never_reach_a_kept_page():
    from tests.classroom_mode.helpers import make_instructor

    url = reverse("lessons:lesson", args=["qos"])
    anonymous, instructor = Client(), Client()
    instructor.force_login(make_instructor())
    for _ in range(2):
        assert "Sign out" not in anonymous.get(url).content.decode()
        assert "Sign out" in instructor.get(url).content.decode()
