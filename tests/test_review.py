"""Spaced review: the Leitner schedule on hand-made histories, the streak, and what enters
review (a wrong first answer, an exercise finished with hints)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from lessons import review
from lessons.models import HintUse, Learner, ReviewItem
from lessons.progress import SESSION_KEY

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(n: int, hour: int = 9) -> datetime:
    return T0 + timedelta(days=n, hours=hour - 9)


@pytest.mark.parametrize(
    ("history", "box", "due"),
    [
        ([], 1, day(1)),  # missed today: back tomorrow
        ([(day(1), True)], 2, day(4)),  # right on time: box 2, three days on
        ([(day(1), True), (day(4), True)], 3, day(11)),
        ([(day(1), True), (day(4), True), (day(11), True)], 4, day(32)),
        ([(day(1), True), (day(4), True), (day(11), True), (day(32), True)], None, day(32)),
        ([(day(1), True), (day(4), False)], 1, day(5)),  # a miss starts again tomorrow
        ([(day(0, 12), True)], 1, day(1)),  # reviewing before it is due changes nothing
        ([(day(2), True), (day(3), True)], 2, day(5)),  # late is fine; early again is not
    ],
)
def test_the_leitner_schedule(history, box, due):
    assert review.replay(history, T0) == (box, due)


def test_the_boxes_wait_one_three_seven_and_twenty_one_days():
    assert review.INTERVALS == (1, 3, 7, 21)
    assert [review.next_box(b, right=True) for b in (1, 2, 3, 4)] == [2, 3, 4, None]
    assert {review.next_box(b, right=False) for b in (1, 2, 3, 4)} == {1}


@pytest.mark.parametrize(
    ("days", "streak"),
    [
        (set(), 0),
        ({date(2026, 3, 10)}, 1),
        ({date(2026, 3, 9)}, 1),  # yesterday counts until today's practice
        ({date(2026, 3, 8)}, 0),
        ({date(2026, 3, 10), date(2026, 3, 9), date(2026, 3, 8), date(2026, 3, 6)}, 3),
    ],
)
def test_the_streak(days, streak):
    assert review.streak(days, date(2026, 3, 10)) == streak


def _learner_client(client) -> Learner:
    learner = Learner.objects.create()
    session = client.session
    session[SESSION_KEY] = learner.pk
    session.save()
    return learner


@pytest.mark.django_db
def test_a_wrong_first_answer_comes_back_for_review_tomorrow(client):
    learner = _learner_client(client)
    client.post(reverse("lessons:answer", args=["qos", "besteffort"]), {"choice": "a"})
    item = ReviewItem.objects.get(learner=learner)
    assert (item.kind, item.key, item.box) == ("question", "qos/besteffort", 1)
    assert timedelta(hours=23) < item.due_at - item.created_at <= timedelta(days=1, minutes=1)
    assert "Nothing is due" in client.get(reverse("lessons:review")).content.decode()
    item.due_at -= timedelta(days=2)
    item.save()
    page = client.get(reverse("lessons:review")).content.decode()
    assert "A Pod has no resources section at all" in page
    client.post(reverse("lessons:review-answer", args=[item.pk]), {"choice": "c"})
    item.refresh_from_db()
    assert item.box == 2


@pytest.mark.django_db
def test_a_right_first_answer_does_not_enter_review(client):
    learner = _learner_client(client)
    client.post(reverse("lessons:answer", args=["qos", "besteffort"]), {"choice": "c"})
    assert not ReviewItem.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_an_exercise_finished_with_hints_comes_back_and_one_without_does_not(client):
    learner = _learner_client(client)
    review.exercise_finished(learner_id=learner.pk, exercise="first-pod")
    assert not ReviewItem.objects.exists()
    HintUse.objects.create(learner=learner, exercise="make-guaranteed", design="x", level=1)
    review.exercise_finished(learner_id=learner.pk, exercise="make-guaranteed")
    item = ReviewItem.objects.get()
    assert (item.kind, item.key, item.box) == ("exercise", "make-guaranteed", 1)
    item.due_at = item.created_at - timedelta(minutes=1)
    item.save()
    review.exercise_finished(learner_id=learner.pk, exercise="make-guaranteed")
    item.refresh_from_db()
    assert item.box == 2  # done again without a new hint


@pytest.mark.django_db
def test_the_home_page_shows_what_is_due_and_the_streak(client):
    learner = _learner_client(client)
    assert "to review" not in client.get("/").content.decode()
    review.missed(learner_id=learner.pk, kind="question", key="qos/besteffort", now=day(-5))
    review.practised(learner_id=learner.pk)
    html = client.get("/").content.decode()
    assert "<strong>1</strong> to review" in html
    assert "1-day streak" in html


def test_the_session_outlives_a_browser_restart(settings):
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE >= 60 * 60 * 24 * 30
