"""Quiz feedback, driven by the quiz data: every answer of every question, with and without htmx."""

from html import unescape

import pytest
from django.urls import reverse

from lessons.catalog import LESSONS

pytestmark = pytest.mark.django_db

ANSWERS = [
    pytest.param(lesson, question, choice, id=f"{lesson.slug}/{question.id}/{choice.id}")
    for lesson in LESSONS
    for question in lesson.quiz
    for choice in question.choices
]


def _post(client, lesson, question, choice_id, htmx):
    url = reverse("lessons:answer", args=[lesson.slug, question.id])
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, {"choice": choice_id}, headers=headers)


def test_every_lesson_has_three_to_five_questions_with_one_right_answer():
    for lesson in LESSONS:
        assert 3 <= len(lesson.quiz) <= 5, lesson.slug
        for question in lesson.quiz:
            assert sum(choice.correct for choice in question.choices) == 1, question.id
            assert len(question.choices) >= 3, question.id
            assert all(choice.explanation for choice in question.choices), question.id


@pytest.mark.parametrize(("lesson", "question", "choice"), ANSWERS)
def test_htmx_feedback_marks_the_answer_and_explains_it(client, lesson, question, choice):
    response = _post(client, lesson, question, choice.id, htmx=True)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "<html" not in html
    assert choice.explanation in html
    if choice.correct:
        assert f"Correct: {choice.text}" in html
        assert "Not quite" not in html
    else:
        assert f"Not quite: {choice.text}" in html
        # A first miss leaves the next try to the learner: the right answer comes after a second.
        assert "Try another answer." in html
        assert question.answer.explanation not in html
        other = next(c for c in question.choices if not c.correct and c.id != choice.id)
        html = unescape(_post(client, lesson, question, other.id, htmx=True).content.decode())
        assert f"The right answer: <strong>{question.answer.text}</strong>" in html
        assert question.answer.explanation in html


@pytest.mark.parametrize(("lesson", "question", "choice"), ANSWERS)
def test_without_javascript_the_page_rerenders_with_the_feedback(client, lesson, question, choice):
    response = _post(client, lesson, question, choice.id, htmx=False)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f'<h1 id="lesson-title">{lesson.title}</h1>' in html
    assert choice.explanation in html
    assert ("Correct: " if choice.correct else "Not quite: ") + choice.text in html
    assert f'value="{choice.id}" id="q-{question.id}-{choice.id}" checked' in html


def test_an_answer_without_a_choice_asks_for_one(client):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    url = reverse("lessons:answer", args=[lesson.slug, question.id])
    response = client.post(url, {}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only successful responses
    assert "Pick one of the answers first." in response.content.decode()


def test_an_unknown_choice_is_not_recorded(client):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    response = _post(client, lesson, question, "z", htmx=False)
    assert response.status_code == 400
    assert "Pick one of the answers first." in response.content.decode()
    assert client.get(reverse("lessons:progress")).content.decode().count("Not started") == len(
        LESSONS
    )


def test_an_unknown_question_is_404(client):
    response = client.post("/lessons/qos/quiz/nope", {"choice": "a"})
    assert response.status_code == 404


def test_answers_need_post(client):
    lesson = LESSONS[0]
    url = reverse("lessons:answer", args=[lesson.slug, lesson.quiz[0].id])
    assert client.get(url).status_code == 405


def test_scores_count_only_right_first_answers(client):
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "qos")
    first, second = lesson.quiz[0], lesson.quiz[1]
    wrong = next(c for c in first.choices if not c.correct)
    _post(client, lesson, first, wrong.id, htmx=True)
    _post(client, lesson, second, second.answer.id, htmx=True)
    page = client.get(reverse("lessons:progress")).content.decode()
    # Two of the quiz's questions answered: said as such, not as a score of the whole quiz.
    assert f"2 of {len(lesson.quiz)} answered, 1 right first time" in page
    _post(client, lesson, first, first.answer.id, htmx=True)  # right, but on the second try
    page = client.get(reverse("lessons:progress")).content.decode()
    assert f"2 of {len(lesson.quiz)} answered, 1 right first time" in page
    assert f"Quiz 1/{len(lesson.quiz)}" in client.get("/lessons/").content.decode()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_wrong_answer_then_the_right_one_is_right_on_the_second_try(client, htmx):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    wrong = [c for c in question.choices if not c.correct]
    _post(client, lesson, question, wrong[0].id, htmx=htmx)
    html = unescape(_post(client, lesson, question, question.answer.id, htmx=htmx).content.decode())
    assert f"Correct: {question.answer.text}" in html
    assert "Right on the second try" in html
    page = unescape(client.get(reverse("lessons:lesson", args=[lesson.slug])).content.decode())
    assert "Right on the second try" in page  # also when the lesson is visited again


def test_choosing_the_same_wrong_answer_again_is_not_another_try(client):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    wrong = [c for c in question.choices if not c.correct]
    for choice in (wrong[0], wrong[0], wrong[1], question.answer):
        html = unescape(_post(client, lesson, question, choice.id, htmx=True).content.decode())
    assert "Right on the third try" in html


def test_a_right_first_answer_has_no_try_note_even_after_exploring(client):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    wrong = next(c for c in question.choices if not c.correct)
    html = unescape(_post(client, lesson, question, question.answer.id, htmx=True).content.decode())
    assert "Correct:" in html and "try" not in html
    _post(client, lesson, question, wrong.id, htmx=True)
    html = unescape(_post(client, lesson, question, question.answer.id, htmx=True).content.decode())
    assert "Correct:" in html and "Right on" not in html
    page = client.get(reverse("lessons:progress")).content.decode()
    assert f"1 of {len(lesson.quiz)} answered, 1 right first time" in page


def test_a_revisited_lesson_shows_earlier_answers_with_feedback(client):
    lesson = LESSONS[0]
    question = lesson.quiz[0]
    _post(client, lesson, question, question.answer.id, htmx=True)
    html = unescape(client.get(reverse("lessons:lesson", args=[lesson.slug])).content.decode())
    assert f"Correct: {question.answer.text}" in html
    assert f'id="q-{question.id}-{question.answer.id}" checked' in html
