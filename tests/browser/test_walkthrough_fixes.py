"""What a first walk through the product on a phone and with the keyboard turned up.

A page wider than a 390 px phone scrolls sideways as a whole; raising a hand dropped the keyboard
on the page's body; the builder's many "Lesson" links all had the same name for a screen reader.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from classrooms import actions
from lessons.catalog import LESSONS
from tests.browser.test_builder import _blank

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _assert_fits(page, where: str):
    wide, viewport = page.evaluate(PAGE_WIDTH)
    assert wide <= viewport, f"{where} is {wide} px wide on a {viewport} px phone"


def _class_with_a_learner(browser, live_server, page):
    """An instructor (signed in on page) and a learner who joined and raised a hand."""
    user = get_user_model().objects.create_user("ines", password="a-long-password-1")
    actions.make_instructor(user)
    classroom = actions.create_classroom(
        title="Pods workshop",
        instructor=user,
        items=[
            {"kind": "lesson", "slug": "resources"},
            {"kind": "exercise", "slug": "set-requests-limits"},
            {"kind": "exercise", "slug": "add-readiness-probe"},
            {"kind": "exercise", "slug": "fix-image-pull"},
            {"kind": "exercise", "slug": "production-ready"},
        ],
    )
    learner_context = browser.new_context(viewport=PHONE)
    learner = learner_context.new_page()
    learner.goto(f"{live_server.url}/join/{classroom.code}/")
    learner.get_by_label("Your name").fill("Ada")
    learner.get_by_role("button", name="Join").click()
    expect(learner.locator("body")).to_contain_text("Welcome, Ada")
    learner.locator("#hand-message").fill("stuck on limits")
    learner.get_by_role("button", name="Raise hand").click()
    expect(learner.locator(".hand-status")).to_be_visible()
    learner_context.close()

    page.goto(f"{live_server.url}/classrooms/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign in").click()
    return classroom


def test_the_progress_page_fits_a_phone(phone, live_server):
    """Exercise titles such as "Fix an ImagePullBackOff" used to push the table to 470 px."""
    phone.goto(f"{live_server.url}/lessons/progress/")
    expect(phone.locator(".progress-table")).to_be_visible()
    _assert_fits(phone, "the progress page")


def test_every_lesson_fits_a_phone(phone, live_server):
    """The workloads lesson's table of template paths (spec.jobTemplate.spec.template.spec)
    pushed its page to 457 px; examples and code scroll inside their own boxes."""
    for lesson in LESSONS:
        phone.goto(f"{live_server.url}/lessons/{lesson.slug}/")
        expect(phone.locator("h1")).to_have_text(lesson.title)
        _assert_fits(phone, f"the {lesson.slug} lesson")


def test_the_class_grid_and_a_learners_page_fit_a_phone(phone, browser, live_server):
    """The grid scrolls inside its own box; its visually hidden labels (absolutely placed) used
    to escape that box and make the whole page twice as wide. A learner's page was as wide as
    its widest table cell."""
    classroom = _class_with_a_learner(browser, live_server, phone)
    phone.goto(f"{live_server.url}/classrooms/{classroom.code}/")
    expect(phone.locator(".class-grid")).to_contain_text("Ada")
    _assert_fits(phone, "the class grid")
    phone.locator(".class-grid").get_by_role("link", name="Ada").click()
    expect(phone.locator("h1")).to_contain_text("Ada")
    _assert_fits(phone, "a learner's page")


def test_raising_and_lowering_a_hand_keeps_the_keyboard_in_the_bar(page, live_server):
    user = get_user_model().objects.create_user("ines", password="a-long-password-1")
    actions.make_instructor(user)
    classroom = actions.create_classroom(
        title="Pods workshop",
        instructor=user,
        items=[{"kind": "exercise", "slug": "set-requests-limits"}],
    )
    page.goto(f"{live_server.url}/join/{classroom.code}/")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("body")).to_contain_text("Welcome, Ada")

    page.locator("#hand-message").fill("stuck on limits")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Raise hand")).to_be_focused()
    page.keyboard.press("Enter")
    lower = page.get_by_role("button", name="Lower my hand")
    expect(lower).to_be_focused()
    expect(lower).to_have_accessible_description("Hand up Your hand is raised: “stuck on limits”")
    expect(page.locator("#bar-live.htmx-settling")).to_have_count(0)  # htmx has taken the form
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Raise hand")).to_be_focused()

    # On an ordinary page load nothing in the bar takes the focus away from the page.
    page.reload()
    expect(page.get_by_role("button", name="Raise hand")).not_to_be_focused()


def test_each_lesson_link_in_the_builder_says_which_field_it_explains(page, live_server):
    _blank(page, live_server)
    help_for_name = page.locator("#help-f-metadata-name")
    expect(help_for_name.get_by_role("link")).to_have_accessible_name("Lesson on Name")
    expect(help_for_name.get_by_role("link")).to_be_visible()
    names = page.locator(".field .lesson-link").evaluate_all(
        "(links) => links.map((link) => link.textContent.trim())"
    )
    assert "Lesson" not in names, "a lesson link without the field it explains"
    # The words for screen readers are not shown: on screen the link still reads "Lesson".
    expect(help_for_name.locator(".lesson-link .visually-hidden")).to_have_text(" on Name")


def test_the_lesson_list_links_start_without_a_stray_separator_on_a_phone(phone, live_server):
    """The links beside the course's progress bar wrap to a line of their own on a phone; that
    line used to begin with the "·" that separated them from the bar."""
    phone.goto(f"{live_server.url}/lessons/")
    line = phone.locator(".progress-line")
    expect(line.get_by_role("link", name="Your progress")).to_be_visible()
    pieces = line.evaluate(
        """(line) => [...line.childNodes].map((node) => node.textContent.trim()).filter(Boolean)"""
    )
    assert "·" not in pieces, f"a separator stands alone in the line: {pieces}"
    _assert_fits(phone, "the lesson list")
