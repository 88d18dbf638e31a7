"""A lesson page reads the session and the learner's progress in one query once the process
has seen the session; whatever the session names now is what the page shows."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Learner
from lessons.progress import SESSION_KEY
from podstudio.sessions import SessionStore

pytestmark = pytest.mark.django_db

READ = "You have read this lesson"


def _lesson(client: Client, slug: str = "qos") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("lessons:lesson", args=[slug])).content.decode()
    return page, len(queries)


def test_a_returning_learners_lesson_page_is_one_query():
    client = Client()
    client.post(reverse("lessons:read", args=["qos"]))
    client.post(reverse("lessons:read", args=["probes"]))  # the process meets the session
    page, queries = _lesson(client)
    assert READ in page
    assert queries == 1
    assert 'class="toc-done"' in page  # the progress from that one query is on the page


def test_a_new_visitors_page_reads_nothing_of_anyone():
    page, queries = _lesson(Client())
    assert READ not in page
    assert queries == 0


def test_a_session_that_now_names_another_learner_shows_that_learners_progress():
    """As a classroom rejoin does: the same session, another learner (who has read nothing)."""
    client = Client()
    client.post(reverse("lessons:read", args=["qos"]))
    assert READ in _lesson(client)[0]  # the process now takes this session for that learner
    other = Learner.objects.create()
    store = SessionStore(client.session.session_key)
    store[SESSION_KEY] = other.pk
    store.save()
    page, _ = _lesson(client)
    assert READ not in page
    client.post(reverse("lessons:read", args=["probes"]))
    assert READ in _lesson(client, "probes")[0] and READ not in _lesson(client)[0]


def test_an_ended_session_shows_no_progress():
    client = Client()
    client.post(reverse("lessons:read", args=["qos"]))
    assert READ in _lesson(client)[0]
    Session.objects.filter(session_key=client.session.session_key).delete()
    assert READ not in _lesson(client)[0]


def test_session_data_is_checked_before_it_is_trusted_even_when_seen_before():
    """The store remembers data it has checked; a changed copy (same data, other signature or
    content) is checked again and refused, and each load gets its own dict."""
    store = SessionStore()
    store[SESSION_KEY] = 7
    store.save()
    stored = Session.objects.get(session_key=store.session_key).session_data
    first, second = SessionStore().decode(stored), SessionStore().decode(stored)
    assert first == second == {SESSION_KEY: 7}
    first[SESSION_KEY] = 8  # one request's dict is not another's
    assert SessionStore().decode(stored) == {SESSION_KEY: 7}
    tampered = stored[:-2] + ("AA" if not stored.endswith("AA") else "BB")
    assert SessionStore().decode(tampered) == {}
