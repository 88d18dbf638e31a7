"""One lesson end to end in Chromium: read, step the simulator, answer the quiz, open an example
in the builder, complete the exercise there, and find it all on the progress page."""

import re

import pytest
from playwright.sync_api import expect

from lessons.catalog import get_lesson

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_finishes_the_lifecycle_lesson(page, live_server):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    lesson = get_lesson("lifecycle")

    # Read.
    page.goto(f"{live_server.url}/lessons/")
    page.get_by_role("link", name=re.compile("The Pod lifecycle")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    page.wait_for_load_state("load")  # htmx is wired up

    # Step through the lifecycle simulator with htmx (no page load: the URL stays put).
    stepper = page.locator("#lifecycle-stepper")
    url_before = page.url
    stepper.get_by_role("link", name="Next step").click()
    expect(stepper.locator(".kubectl-view caption")).to_contain_text("after step 2")
    page.get_by_label("restartPolicy").select_option("Never")
    expect(stepper.locator(".steps")).to_contain_text("The process exits with code 1")
    assert page.url == url_before

    # Answer the quiz: a wrong answer first, then every right one.
    first = lesson.quiz[0]
    wrong = next(choice for choice in first.choices if not choice.correct)
    form = page.locator(f"#q-{first.id}")
    form.get_by_label(wrong.text, exact=True).check()
    form.get_by_role("button", name="Check answer").click()
    expect(form.locator(".feedback")).to_contain_text(f"Not quite: {wrong.text}")
    expect(form.locator(".feedback")).to_contain_text(wrong.explanation)
    expect(form.locator(".feedback")).to_contain_text("Try another answer.")  # not the answer
    for question in lesson.quiz:
        form = page.locator(f"#q-{question.id}")
        form.get_by_label(question.answer.text, exact=True).check()
        form.get_by_role("button", name="Check answer").click()
        expect(form.locator(".feedback")).to_contain_text(f"Correct: {question.answer.text}")
    # Only a right first answer counts: the first question was right on the second try.
    expect(page.locator(f"#q-{first.id} .feedback")).to_contain_text("Right on the second try")

    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#read-status")).to_contain_text("You have read this lesson.")
    # The button is gone: focus is on what took its place, not back at the top of the page.
    expect(page.locator("#read-status .notice")).to_be_focused()

    # Open the example in the builder.
    page.get_by_role("link", name="Open in builder (A task that runs to completion)").click()
    expect(page).to_have_url(re.compile(r"/builder/d/[^/]+/$"))
    expect(page.locator("body")).to_contain_text("nightly-report")

    # Complete the exercise in the builder: the goal list turns green as the Pod changes.
    page.goto(f"{live_server.url}/lessons/lifecycle/")
    page.get_by_role("link", name="Start the exercise in the builder").click()
    expect(page).to_have_url(re.compile(r"/builder/d/[^/]+/$"))
    page.wait_for_load_state("load")
    goals = page.locator(".goals")
    expect(goals).to_contain_text("restartPolicy is OnFailure (the Pod's, or the container's own")
    page.locator("#sec-f-spec-lifecycle > summary h2").click()
    page.get_by_label("Restart policy").select_option("OnFailure")
    page.get_by_label("Grace period (seconds)").fill("60")
    expect(goals).to_contain_text("All goals met", timeout=15_000)

    # Progress remembers all of it.
    page.goto(f"{live_server.url}/lessons/progress/")
    row = page.get_by_role("row", name=re.compile("The Pod lifecycle"))
    expect(row).to_contain_text("Read")
    expect(row).to_contain_text(f"{len(lesson.quiz) - 1} of {len(lesson.quiz)} right first time")
    expect(row).to_contain_text("Done")
    assert csp_errors == []


def test_lesson_yaml_is_coloured_and_copied_as_text(page, live_server):
    from lessons.catalog import course

    page.goto(f"{live_server.url}/lessons/qos/")
    code = page.locator("#example-guaranteed-cache-code")
    colour = "el => getComputedStyle(el).color"
    plain = code.evaluate(colour)
    key = code.locator(".k").first.evaluate(colour)
    value = code.locator(".s").first.evaluate(colour)
    assert len({plain, key, value}) == 3  # keys and strings stand out from the text and each other

    card = page.locator("#example-guaranteed-cache")
    card.get_by_role("button", name="Copy").click()
    expect(card.locator(".copy-status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == course().examples["guaranteed-cache"].yaml.strip()


def test_a_learner_wraps_the_workloads_exercise_pod_in_a_cronjob(page, live_server):
    page.goto(f"{live_server.url}/lessons/workloads/")
    expect(page.get_by_role("heading", level=1)).to_have_text(get_lesson("workloads").title)
    page.get_by_role("link", name="Start the exercise in the builder").click()
    expect(page).to_have_url(re.compile(r"/builder/d/[^/]+/$"))
    page.wait_for_load_state("load")
    goals = page.locator(".goals")
    expect(goals).to_contain_text("It is a CronJob")
    expect(goals).not_to_contain_text("All goals met")

    # The start is a Pod: the learner turns it into a CronJob's template.
    page.locator("#f-kind").select_option("CronJob")
    page.get_by_role("button", name="Change kind").click()
    expect(page.locator("h1")).to_contain_text("CronJob builder")
    expect(page.locator("#status-kind")).to_have_text("CronJob · at 03:00, every day")
    page.wait_for_load_state("load")

    page.get_by_label("Schedule").fill("30 2 * * mon-fri")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_label("When a run is still going").select_option("Forbid")
    expect(page.locator("#status-kind")).to_have_text(
        "CronJob · at 02:30, Monday through Friday (Europe/Berlin)"
    )
    expect(goals).to_contain_text("All goals met", timeout=15_000)

    page.goto(f"{live_server.url}/lessons/progress/")
    row = page.get_by_role("row", name=re.compile("Workloads: Pods made by controllers"))
    expect(row).to_contain_text("Done")


def test_an_answer_or_mark_as_read_that_cannot_reach_the_server_says_so(page, live_server):
    """With the server down (or restarting) "Check answer" and "Mark as read" showed nothing at
    all, as if sent; now a note beside the form says it was not, and goes when it is sent."""
    lesson = get_lesson("lifecycle")
    page.goto(f"{live_server.url}/lessons/{lesson.slug}/")
    page.wait_for_load_state("load")
    page.route("**/lessons/**/read", lambda route: route.abort())
    page.route("**/lessons/**/quiz/**", lambda route: route.abort())
    form = page.locator("#read-status form")
    form.get_by_role("button", name="Mark as read").click()
    note = page.locator("#read-status form + [data-refused]")
    expect(note).to_have_text(re.compile("^Not sent: the server cannot be reached"))
    expect(note).to_have_attribute("role", "alert")
    first = lesson.quiz[0]
    question = page.locator(f"#q-{first.id}")
    question.locator("input[type=radio]").first.check()
    question.get_by_role("button", name="Check answer").click()
    expect(page.locator(f"#q-{first.id} + [data-refused]")).to_contain_text("Not sent")
    page.unroute("**/lessons/**/read")
    form.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#read-status")).to_contain_text("You have read this lesson")
    expect(page.locator("[data-refused]")).to_have_count(1)  # the quiz's, not sent again yet
