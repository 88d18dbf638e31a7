"""A keystroke that would make a design past the address's limit (typing into someone else's
design makes a copy) says so in the builder's save status, not that the server is down."""

import pytest
from playwright.sync_api import expect

from lessons.catalog import get_lesson
from podstudio.models import RateCounter
from tests.browser.test_builder import _blank, _field, _ready

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def counted_afresh():
    """No uses from the tests before: a live server's writes outlive a test that did not flush
    the database, so this address may have made designs and learners this hour already."""
    RateCounter.objects.all().delete()


def test_a_copy_past_the_limit_says_why_and_keeps_the_edit(settings, browser, page, live_server):
    settings.PODSTUDIO_NEW_DESIGNS_PER_ADDRESS = 2
    other = browser.new_context()
    try:
        someone = other.new_page()
        _blank(someone, live_server)  # the address's first design, someone else's
        theirs = someone.url
    finally:
        other.close()
    _blank(page, live_server)  # its second, the learner's own
    page.goto(theirs)
    _ready(page)
    page.locator(_field("metadata.name")).fill("my-copy")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Too many new designs from your network")
    expect(status).to_contain_text("Your edits stay on this page")
    expect(status).not_to_contain_text("cannot be reached")
    expect(page.locator(_field("metadata.name"))).to_have_value("my-copy")
    expect(page.locator("p[data-refused]")).to_have_count(0)  # said once, in the status


def test_a_quiz_answer_from_a_browser_past_the_limit_is_refused_beside_its_form(
    settings, browser, page, live_server
):
    """A new browser's first answer stores its progress: past the address's allowance of new
    browsers, the reason shows beside the question, where htmx alone would show nothing."""
    settings.PODSTUDIO_NEW_LEARNERS_PER_ADDRESS = 1
    question = get_lesson("lifecycle").quiz[0]

    def answer(tab):
        tab.goto(f"{live_server.url}/lessons/lifecycle/")
        tab.wait_for_load_state("load")
        tab.wait_for_function("() => window.htmx !== undefined")  # answers go through htmx
        form = tab.locator(f"#q-{question.id}")
        form.get_by_label(question.answer.text, exact=True).check()
        form.get_by_role("button", name="Check answer").click()
        return form

    other = browser.new_context()
    try:
        first = answer(other.new_page())
        expect(first.locator(".feedback")).to_contain_text("Correct", timeout=15_000)
    finally:
        other.close()
    form = answer(page)
    note = page.locator("p[data-refused]")
    expect(note).to_have_attribute("role", "alert")
    expect(note).to_contain_text("Too many new browsers from your network")
    expect(form.locator(".feedback")).not_to_contain_text("Correct")


def test_an_edit_from_a_page_opened_before_a_sign_in_elsewhere_says_to_reload(page, live_server):
    """Signing in (an instructor in another tab) gives the browser a new CSRF token, so the
    forms of the pages opened before are refused: the builder says what to do, not "HTTP 403"
    or that the server is down."""
    _blank(page, live_server)
    page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "url": live_server.url}])
    page.locator(_field("metadata.name")).fill("after-a-sign-in")
    status = page.locator("#save-status")
    expect(status).to_contain_text("This page is out of date")
    expect(status).to_contain_text("Reload the page")
    expect(status).not_to_contain_text("HTTP 403")
    expect(status).not_to_contain_text("cannot be reached")
