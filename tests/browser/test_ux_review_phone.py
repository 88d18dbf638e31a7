"""What a look at the lessons and classroom pages on a phone (390 px) found."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from classrooms import actions

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_probe_name_in_a_lesson_table_stays_whole_on_a_phone(page, live_server):
    """The probes lesson's table broke livenessProbe into "livene", "ssProb" and "e"."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lessons/probes/")
    lines = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.lesson-body td code')]
            .filter((code) => code.textContent.endsWith('Probe'))
            .map((code) => [code.textContent, code.getClientRects().length]))"""
    )
    assert lines == {"livenessProbe": 1, "readinessProbe": 1, "startupProbe": 1}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_javascript_raise_and_lower_are_confirmed_on_the_page(browser, live_server):
    """With JavaScript off, a Raise or Lower went back to the page with nothing to say it
    worked; it now shows the words the JavaScript answer shows, once."""
    user = get_user_model().objects.create_user("ines", password="a-long-password-123")
    actions.make_instructor(user)
    classroom = actions.create_classroom(
        title="Pods workshop", instructor=user, items=[{"kind": "lesson", "slug": "qos"}]
    )
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/join/{classroom.code}/")
        page.get_by_label("Your name").fill("Ada")
        page.get_by_role("button", name="Join").click()
        page.goto(f"{live_server.url}/lessons/qos/")
        said = page.locator("#hand-said")
        expect(said).to_have_text("")
        page.locator("#hand-message").fill("Why Burstable?")
        page.get_by_role("button", name="Raise hand").click()
        expect(page).to_have_url(f"{live_server.url}/lessons/qos/")
        expect(said).to_have_text("Hand raised: your instructor sees it, with your message.")
        expect(said).to_be_visible()
        expect(said).to_have_attribute("role", "status")
        page.get_by_role("button", name="Lower my hand").click()
        expect(said).to_have_text("Hand lowered.")
        page.reload()
        expect(said).to_have_text("")
    finally:
        context.close()


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


@pytest.mark.parametrize("scripts", [True, False], ids=["js", "no-js"])
def test_the_builders_status_bar_leaves_the_footer_in_sight_on_a_phone(
    browser, live_server, scripts
):
    """Scrolled to the end of a Deployment's builder, the footer's links were under the status
    bar (two lines of badges there), out of reach."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=scripts)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/builder/")
        page.locator("#import-yaml").fill(DEPLOYMENT)
        page.get_by_role("button", name="Import").click()
        expect(page.locator("#status-bar")).to_be_visible()
        page.wait_for_load_state("load")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        link = page.locator("footer a").last
        expect(link).to_be_in_viewport()
        link_bottom = link.evaluate("(el) => el.getBoundingClientRect().bottom")
        bar_top = page.locator("#status-bar").evaluate("(el) => el.getBoundingClientRect().top")
        assert link_bottom <= bar_top
    finally:
        context.close()


def test_a_lesson_card_on_a_phone_has_no_empty_line_under_its_summary(page, live_server):
    """The badges' place (Read, Quiz 3/4) took a line of its own under each unread lesson's
    summary on a phone, empty."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lessons/")
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('.lesson-item')].map((item) => {
            const padding = parseFloat(getComputedStyle(item).paddingBottom);
            const link = item.querySelector('.lesson-link').getBoundingClientRect();
            return item.getBoundingClientRect().bottom - padding - link.bottom;
        })"""
    )
    assert gaps and max(gaps) <= 2, gaps
