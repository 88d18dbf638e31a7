"""The rough edges a new learner met in the first exercises (issue 13, "Why"), each pinned down.

- An empty or invalid Pod shows no "passes" badge and no "well done".
- The exercise banner links back to its lesson; finishing leads to the next lesson.
- Quiz feedback reads as one verdict, never "The right answer is A Pod. Right: …".
- Lesson YAML is highlighted by the builder's highlighter and has a copy button.
(Defaults meeting goals, "+ Add container" included: tests/test_exercise_defaults.py. The probe
simulator's caption: tests/test_lessons_simulators.py.)
"""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from lessons.catalog import LESSONS, get_lesson, neighbours
from lessons.exercises import EXERCISES
from podstudio.builder.edit import form_data
from podstudio.builder.highlight import highlight_yaml
from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _start(client, slug: str) -> tuple[Design, str]:
    response = client.get(reverse("builder:start"), {"exercise": slug}, follow=True)
    assert response.status_code == 200
    return Design.objects.get(exercise=slug), response.content.decode()


def test_the_first_exercises_empty_pod_shows_no_passing_badge_and_no_praise(client):
    design, html = _start(client, "first-pod")
    assert design.manifest["spec"]["containers"] == []
    text = _text(html)
    assert "1 problem" in text
    assert "Security: not checked until valid" in text
    assert "QoS: not checked until valid" in text
    assert "Security: restricted" not in text and "Nothing to improve" not in text
    assert "Well done" not in text
    assert 'id="status-pss"' in html and 'class="badge ok" id="status-pss"' not in html


def test_badges_follow_validity_as_the_learner_adds_and_breaks_a_container(client):
    design, _ = _start(client, "first-pod")
    url = reverse("builder:preview", args=[design.slug])
    data = dict(form_data(design.manifest))
    added = client.post(
        url, urlencode({**data, "action": "add:spec.containers"}), content_type=FORM, follow=True
    )
    text = _text(added.content.decode())
    assert "not checked until valid" not in text  # one container with an image: checked
    assert "Security:" in text and "QoS" in text
    design.refresh_from_db()
    data = dict(form_data(design.manifest))
    data["spec.containers[0].image"] = data["spec.containers[0].image@tag"] = ""  # no image
    broken = client.post(url, urlencode(data), content_type=FORM, follow=True)
    text = _text(broken.content.decode())
    assert "QoS: not checked until valid" in text and "Security: not checked until valid" in text
    assert "Nothing to improve" not in text and "Well done" not in text


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_the_exercise_banner_links_back_to_its_lesson(client, slug):
    lesson = get_lesson(EXERCISES[slug].lesson)
    _, html = _start(client, slug)
    banner = re.search(r'<p class="notice exercise-banner">.*?</p>', html, re.S)
    assert banner, "the builder shows the exercise's banner"
    assert f'href="/lessons/{lesson.slug}/"' in banner.group(0)
    assert f"Lesson: {lesson.title}" in unescape(banner.group(0))
    # The hints sit below the long form: the banner links to them.
    assert 'href="#hints">Stuck? Hints</a>' in banner.group(0) and 'id="hints"' in html


def test_the_banner_links_a_drills_run_and_only_the_owner_gets_the_panel_links(client):
    from django.test import Client

    response = client.get(reverse("builder:start"), {"exercise": "drill:node-selector"})
    html = client.get(response["Location"]).content.decode()
    banner = re.search(r'<p class="notice exercise-banner">.*?</p>', html, re.S).group(0)
    assert 'href="#drill">Run the Pod</a>' in banner and 'id="drill"' in html
    assert 'href="#hints"' in banner
    # Someone the link was shared with sees the design, but no hints of its learner's.
    other = Client().get(response["Location"]).content.decode()
    banner = re.search(r'<p class="notice exercise-banner">.*?</p>', other, re.S).group(0)
    assert "Lesson:" in banner and 'href="#hints"' not in banner and 'id="hints"' not in other


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-javascript"])
def test_finishing_an_exercise_leads_to_the_next_lesson(client, htmx):
    from tests.test_exercises import SOLUTIONS

    slug = "make-guaranteed"
    lesson = get_lesson(EXERCISES[slug].lesson)
    _, following = neighbours(lesson.slug)
    design, _ = _start(client, slug)
    solution = load_manifest(SOLUTIONS[slug])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(url, urlencode(form_data(solution)), content_type=FORM, **headers)
    if not htmx:
        response = client.get(response["Location"] if response.status_code == 302 else url)
    html = unescape(response.content.decode())
    assert "All goals met: exercise complete." in html
    assert f'<a class="next-lesson" href="/lessons/{following.slug}/">' in html
    assert f"Next lesson: {following.title}" in html
    assert f'href="/lessons/{lesson.slug}/">Back to {lesson.title}' in html
    assert 'href="/lessons/">Back to the lessons' not in html


def test_the_last_lessons_exercise_leads_to_the_review_instead():
    from django.template import Context, Template

    last = LESSONS[-1]
    html = Template("{% load lessons_tags %}{% next_step_link slug %}").render(
        Context({"slug": last.slug})
    )
    assert "Next lesson" not in html
    assert f'href="{reverse("lessons:review")}"' in html


def _feedback(response, question) -> str:
    """The feedback's words: the htmx answer is the feedback alone, the page holds it in the
    question's form."""
    html = response.content.decode()
    if "<html" in html:
        html = html[html.index(f'id="q-{question.id}"') :]
        html = html[: html.index("</form>")]
    return _text(html)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-javascript"])
def test_quiz_feedback_is_one_verdict_not_right_answer_then_right(client, htmx):
    lesson = get_lesson("what-is-a-pod")
    question = lesson.quiz[0]
    wrong = next(choice for choice in question.choices if not choice.correct)
    url = reverse("lessons:answer", args=[lesson.slug, question.id])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for choice in (wrong, question.answer):
        feedback = _feedback(client.post(url, {"choice": choice.id}, **headers), question)
        assert "The right answer is" not in feedback
        assert "Right:" not in feedback
    # The wrong answer: "Not quite: <it>", its explanation, then "The right answer: <answer>".
    feedback = _feedback(client.post(url, {"choice": wrong.id}, **headers), question)
    assert feedback.index(f"Not quite: {wrong.text}") < feedback.index(
        f"The right answer: {question.answer.text}"
    )


def test_lesson_yaml_is_highlighted_like_the_builders_and_has_a_copy_button(client):
    from lessons.catalog import course

    for lesson in LESSONS:
        html = client.get(reverse("lessons:lesson", args=[lesson.slug])).content.decode()
        for name in lesson.examples:
            code = re.search(rf'<code id="example-{name}-code">(.*?)</code></pre>', html, re.S)
            assert code, name
            assert code.group(1) == highlight_yaml(course().examples[name].yaml), name
            assert f'data-copy="example-{name}-code"' in html, name
            assert f'id="example-{name}-copied"' in html  # where "Copied" is announced


@pytest.mark.django_db
def test_the_home_page_counts_the_lessons_there_are(client):
    text = _text(client.get("/").content.decode())
    assert f"{len(LESSONS)} lessons" in text


@pytest.mark.django_db
def test_a_learner_on_their_own_is_not_told_an_instructor_sees_their_hints(client):
    design, page = _start(client, "add-readiness-probe")
    assert "Show a hint" in page and "Your instructor sees" not in page
    hinted = client.post(
        reverse("lessons:hint", args=[design.slug]), {"level": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Hint 1 of 3 shown." in hinted.content.decode()
    assert "Your instructor sees" not in hinted.content.decode()


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-javascript"])
def test_a_first_miss_leaves_the_next_try_to_the_learner_and_a_second_shows_the_answer(
    client, htmx
):
    """The right answer came with the first miss, which made the second try a formality."""
    lesson, question = next(
        (lesson, question)
        for lesson in LESSONS
        for question in lesson.quiz
        if sum(not choice.correct for choice in question.choices) >= 2
    )
    first, second = [choice for choice in question.choices if not choice.correct][:2]
    url = reverse("lessons:answer", args=[lesson.slug, question.id])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    feedback = _feedback(client.post(url, {"choice": first.id}, **headers), question)
    assert f"Not quite: {first.text}" in feedback and first.explanation in feedback
    assert "Try another answer." in feedback and "The right answer" not in feedback
    page = _feedback(client.get(reverse("lessons:lesson", args=[lesson.slug])), question)
    assert "The right answer" not in page  # nor on the page drawn again
    feedback = _feedback(client.post(url, {"choice": second.id}, **headers), question)
    assert f"The right answer: {question.answer.text}" in feedback
