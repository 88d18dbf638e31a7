"""Lesson pages: every lesson renders with its examples and exercise, navigation, read marks."""

import re

import pytest
from django.urls import reverse

from lessons.catalog import EXAMPLES, LESSONS, get_lesson
from lessons.exercises import EXERCISES

pytestmark = pytest.mark.django_db

SLUGS = [
    "what-is-a-pod",
    "anatomy",
    "lifecycle",
    "multi-container",
    "init-containers",
    "resources",
    "qos",
    "probes",
    "security",
    "networking",
    "troubleshooting",
    "scheduling",
    "workloads",
    "summary",
]


def test_the_course_has_the_slugs_the_builder_links_to():
    assert [lesson.slug for lesson in LESSONS] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_it_renders_each_lesson_with_its_title(client, slug):
    lesson = get_lesson(slug)
    response = client.get(reverse("lessons:lesson", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 id="lesson-title">{lesson.title}</h1>' in html


@pytest.mark.parametrize("slug", SLUGS)
def test_each_lesson_shows_its_examples_with_open_in_builder_links(client, slug):
    lesson = get_lesson(slug)
    html = client.get(reverse("lessons:lesson", args=[slug])).content.decode()
    assert lesson.examples, "every lesson has at least one example"
    for name in lesson.examples:
        assert f'href="/builder/start?example={name}"' in html
        assert f"{name}.yaml" in html
        assert f"This Pod is {EXAMPLES[name].qos}" in html


@pytest.mark.parametrize("slug", SLUGS)
def test_each_lesson_links_its_exercise_to_the_builder(client, slug):
    lesson = get_lesson(slug)
    assert lesson.exercise in EXERCISES
    html = client.get(reverse("lessons:lesson", args=[slug])).content.decode()
    assert f'href="/builder/start?exercise={lesson.exercise}"' in html
    assert EXERCISES[lesson.exercise].title in html.replace("&#x27;", "'")


def test_it_shows_the_yaml_of_an_example_on_the_page(client):
    html = client.get(reverse("lessons:lesson", args=["qos"])).content.decode()
    card = html[html.index('id="example-guaranteed-cache"') :]
    card = card[: card.index("</figure>")]
    assert "name: session-cache" in re.sub(r"<[^>]+>", "", card)
    assert '<span class="k">' in card  # highlighted by the builder's highlighter
    assert 'data-copy="example-guaranteed-cache-code"' in card
    assert "QoS: Guaranteed" in html


def test_it_answers_404_for_an_unknown_lesson(client):
    assert client.get("/lessons/no-such-lesson/").status_code == 404


def test_it_links_previous_and_next_lessons(client):
    html = client.get(reverse("lessons:lesson", args=["lifecycle"])).content.decode()
    assert 'href="/lessons/anatomy/" rel="prev"' in html
    assert 'href="/lessons/multi-container/" rel="next"' in html


def test_the_first_lesson_has_no_previous_and_the_last_no_next(client):
    first = client.get("/lessons/what-is-a-pod/").content.decode()
    last = client.get("/lessons/summary/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_the_index_lists_every_lesson_in_order(client):
    html = client.get(reverse("lessons:index")).content.decode()
    positions = [html.index(f'href="/lessons/{slug}/"') for slug in SLUGS]
    assert positions == sorted(positions)
    assert "0 of 14 lessons read" in html


def test_marking_a_lesson_read_shows_on_the_index_and_the_lesson(client):
    response = client.post(reverse("lessons:read", args=["qos"]))
    assert response.status_code == 302
    assert response["Location"] == "/lessons/qos/#read-status"
    assert "1 of 14 lessons read" in client.get("/lessons/").content.decode()
    lesson = client.get("/lessons/qos/").content.decode()
    assert "You have read this lesson." in lesson
    assert "Mark as read" not in lesson


def test_marking_read_with_htmx_answers_the_status_fragment(client):
    response = client.post(reverse("lessons:read", args=["qos"]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "You have read this lesson." in html
    assert 'href="/lessons/probes/"' in html  # the next lesson


def test_marking_read_twice_is_harmless(client):
    client.post(reverse("lessons:read", args=["qos"]))
    client.post(reverse("lessons:read", args=["qos"]))
    assert "1 of 14 lessons read" in client.get("/lessons/").content.decode()


def test_marking_read_needs_post(client):
    assert client.get(reverse("lessons:read", args=["qos"])).status_code == 405


def test_marking_an_unknown_lesson_read_is_404(client):
    assert client.post("/lessons/nope/read").status_code == 404


def test_progress_is_per_session(client):
    from django.test import Client

    client.post(reverse("lessons:read", args=["qos"]))
    other = Client()
    assert "0 of 14 lessons read" in other.get("/lessons/").content.decode()


def test_pages_carry_no_inline_styles_or_scripts(client):
    for slug in SLUGS:
        html = client.get(f"/lessons/{slug}/").content.decode()
        assert ' style="' not in html
        assert "<script>" not in html
        assert "<style" not in html


def test_every_quiz_input_has_a_label(client):
    import re

    for slug in SLUGS:
        html = client.get(f"/lessons/{slug}/").content.decode()
        for input_id in re.findall(r'<input type="radio"[^>]* id="([^"]+)"', html):
            assert f'<label for="{input_id}">' in html, (slug, input_id)
