"""The probe timeline in Chromium: stories and timings update the drawing in place with htmx."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_fixes_a_slow_start_with_a_startup_probe(page, live_server):
    page.goto(f"{live_server.url}/lessons/probes/")
    simulator = page.locator("#probe-simulator")
    url_before = page.url

    # Liveness gives up 30 s after each start; restarts at 30, 61, 101, 151 and 221 s.
    simulator.get_by_role("link", name="Slow start (75 s), no startup probe").click()
    summary = simulator.locator(".sim-summary")
    expect(summary).to_contain_text("The container was restarted 5 times")
    expect(summary).to_contain_text("never became Ready")
    caption = simulator.locator(".sim-story")
    expect(caption).to_contain_text("a restart loop")

    # Turn on a startup probe with a budget of 12 × 10 s and run again.
    simulator.get_by_label("Startup probe").check()
    simulator.locator("#startup-failure_threshold").fill("12")
    simulator.get_by_role("button", name="Run").click()
    expect(summary).to_contain_text("The container was never restarted.")
    expect(summary).to_contain_text("Traffic first reached the Pod at 80 s.")
    # The story's caption no longer fits: it says these are the learner's own timings.
    expect(caption).not_to_contain_text("restart loop")
    expect(caption).to_contain_text("Your timings")
    expect(simulator.locator("svg.timeline title").first).to_have_text(
        "Probe timeline over 300 seconds"
    )
    assert page.url == url_before  # htmx swapped the timeline; no page load


def test_the_timeline_stays_legible_on_a_phone(page, live_server):
    """Shrunk to the phone's width, its labels and time axis were drawn 4 px high."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/lessons/probes/")
    label = page.locator("svg.timeline .tl-label").first
    expect(label).to_be_visible()
    assert label.bounding_box()["height"] >= 9
    expect(page.get_by_text("Slide the timeline sideways to see all of it.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _settled(page) -> None:
    """htmx has wired up what it swapped in (a link pressed before that is a plain link)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-settling, .htmx-swapping, .htmx-request')"
    )


def test_the_simulators_keep_the_keyboard_where_it_was_and_say_what_changed(page, live_server):
    """Next step, Previous step and a story link each drew the simulator anew and dropped the
    focus to the page (45 Tabs back from the top), and nothing was said."""
    page.goto(f"{live_server.url}/lessons/lifecycle/")
    stepper = page.locator("#lifecycle-stepper")
    stepper.locator("#step-next").focus()
    page.keyboard.press("Enter")
    said = page.locator("#stepper-said")
    expect(said).to_have_text(re.compile(r"^Step 2: .+\. Phase \w+, status .+, \d+ restarts?\."))
    expect(stepper.locator("#step-next")).to_be_focused()
    _settled(page)
    page.keyboard.press("Enter")
    expect(said).to_contain_text("Step 3:")
    expect(stepper.locator("#step-next")).to_be_focused()
    _settled(page)
    last = stepper.locator(".steps a").last
    last.focus()
    page.keyboard.press("Enter")
    expect(stepper.locator(".steps li").last).to_have_attribute("aria-current", "step")
    expect(last).to_be_focused()  # the same step's link, drawn anew
    _settled(page)
    stepper.locator("#step-previous").focus()
    page.keyboard.press("Enter")
    expect(stepper.locator("#step-previous")).to_be_focused()

    page.goto(f"{live_server.url}/lessons/probes/")
    story = page.get_by_role("link", name="Slow start (75 s), no startup probe")
    story.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#probe-sim-said")).to_contain_text(
        "Story: Slow start (75 s), no startup probe."
    )
    expect(page.get_by_role("link", name="Slow start (75 s), no startup probe")).to_be_focused()
