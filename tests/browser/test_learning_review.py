"""A stuck learner in Chromium: two hints in an exercise, finishing it, and finding it on the review
page once its day has come (the home page counts it).

"Later" is made by moving the stored review dates back, as the days passing would: the schedule
(lessons.review) compares ``due_at`` with the clock, nothing else.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lessons.exercises import get_exercise
from lessons.models import HintUse, ReviewItem

pytestmark = pytest.mark.django_db(transaction=True)


def _field(name: str) -> str:
    return "#f-" + name.replace("@", "--").replace(".", "-").replace("[", "_").replace("]", "")


def test_a_learner_helped_by_two_hints_meets_the_exercise_again_in_review(page, live_server):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    exercise = get_exercise("first-pod")

    page.goto(f"{live_server.url}/lessons/what-is-a-pod/")
    page.get_by_role("link", name="Start the exercise in the builder").click()
    expect(page).to_have_url(re.compile(r"/builder/d/[^/]+/$"))
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")

    # Stuck: a nudge, then where to look, one at a time; the solution stays hidden.
    hints = page.locator("#hints")
    expect(hints).not_to_contain_text("Nudge:")
    hints.get_by_role("button", name="Show a hint").click()
    expect(hints).to_contain_text("Nudge: " + exercise.hints.nudge.split(",")[0])
    expect(hints).to_contain_text("Hint 1 of 3 shown.")
    hints.get_by_role("button", name="Show where to look").click()
    expect(hints).to_contain_text("Where to look:")
    expect(hints).to_contain_text("Hint 2 of 3 shown.")
    expect(hints.get_by_role("button", name="Show the solution")).to_be_visible()
    expect(hints.locator(".diff")).to_have_count(0)
    assert HintUse.objects.count() == 2

    # Helped, the learner finishes: a container named web running a pinned httpd.
    goals = page.locator(".goals")
    page.get_by_role("button", name=re.compile("Add container")).click()
    name = page.locator(_field("spec.containers[0].name"))
    expect(name).to_be_visible()
    name.fill("web")
    page.locator(_field("spec.containers[0].image")).fill("httpd")
    page.locator(_field("spec.containers[0].image") + "--tag").fill("2.4")
    expect(goals).to_contain_text("All goals met", timeout=15_000)
    expect(goals.get_by_role("link", name=re.compile("Next lesson"))).to_be_visible()

    # The same day: nothing is due yet; it comes back tomorrow.
    page.goto(f"{live_server.url}/lessons/review/")
    expect(page.locator("main")).to_contain_text("Nothing is due for review now.")
    expect(page.locator("main")).to_contain_text("1 item will come back later.")
    item = ReviewItem.objects.get()
    assert (item.kind, item.key, item.box) == ("exercise", "first-pod", 1)
    assert timedelta(hours=23) < item.due_at - timezone.now() <= timedelta(days=1)

    # A day later (the stored dates moved back by a day): the home page counts it ...
    ReviewItem.objects.filter(pk=item.pk).update(due_at=item.due_at - timedelta(days=1))
    page.goto(f"{live_server.url}/")
    status = page.locator(".review-status")
    expect(status).to_contain_text("1 to review")
    status.get_by_role("link", name=re.compile("to review")).click()

    # ... and the review page brings the exercise back, to be done again from its start.
    expect(page).to_have_url(re.compile(r"/lessons/review/$"))
    entry = page.locator(".review-item")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"Exercise: {exercise.title}")
    expect(entry).to_contain_text("You needed hints last time.")
    entry.get_by_role("link", name="Do it again").click()
    expect(page).to_have_url(re.compile(r"/builder/d/[^/]+/$"))
    expect(page.locator(".goals")).not_to_contain_text("All goals met")
    expect(page.locator("#hints")).not_to_contain_text("Nudge:")  # a new attempt, no hints yet
    assert csp_errors == []
