"""What a usability review of the builder found in Chromium: on a phone the learner never saw an
exercise done, the "1 problem" badge led nowhere, the form's status line stayed over the form,
choosing a kind did nothing without a word, labels and their "?" buttons overlapped, and the
"Jump to the preview" link was only on phones."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_builder import _blank, _field, _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PROBED = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n"
    "    image: nginx:1.27\n    ports:\n    - containerPort: 8080\n    livenessProbe:\n"
    "      httpGet:\n        path: /healthz\n        port: 8080\n"
    "      terminationGracePeriodSeconds: 30\n"
)


@pytest.fixture
def touch_phone(browser, live_server):
    """A phone as the reviewer had it: 390 px, touch (coarse pointer: 36 px "?" buttons)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _open_all(page):
    page.evaluate(
        "() => document.querySelectorAll('#builder-form details').forEach(d => d.open = true)"
    )


def test_on_a_phone_the_status_bar_shows_the_goals_and_the_exercise_done(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lessons/resources/")
    page.get_by_role("link", name="Start the exercise in the builder").first.click()
    _ready(page)
    goals = page.locator("#status-goals")
    expect(goals).to_have_text(re.compile(r"^Goals \d/(\d) met$"))
    total = int(re.search(r"/(\d)", goals.text_content()).group(1))
    page.locator("#sub-f-spec-containers_0-resources > summary").click()
    cpu = page.locator(_field("spec.containers[0].resources.requests.cpu"))
    cpu.scroll_into_view_if_needed()
    cpu.fill("250")
    expect(goals).to_be_in_viewport()  # at the bottom of the screen, while typing in the form
    expect(cpu).to_be_in_viewport()
    page.locator(_field("spec.containers[0].resources.requests.memory")).fill("128")
    page.locator(_field("spec.containers[0].resources.limits.memory")).fill("256")
    expect(goals).to_have_text("✓ All goals met")
    expect(goals).to_be_in_viewport()
    following = page.locator("#pv-goalbar .goal-next")
    expect(following).to_have_text("Next lesson: Quality of Service classes")
    expect(following).to_be_in_viewport()
    expect(page.locator("#goals-live")).to_have_text("All goals met: exercise complete")
    # The badge leads to the goals, far below the form here.
    goals.click()
    expect(page.locator("#goals-heading")).to_be_in_viewport()
    assert page.locator("#pv-goals .goal.pass").count() == total


def test_the_problem_badge_goes_to_the_first_problems_field(page, live_server):
    page.set_viewport_size(PHONE)
    _blank(page, live_server)
    name = page.locator(_field("spec.containers[0].name"))
    name.fill("Not a name")
    badge = page.locator("#status-valid")
    expect(badge).to_have_text("1 problem")
    page.locator(_field("metadata.name")).focus()
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    badge.click()
    expect(name).to_be_focused()
    expect(name).to_be_in_viewport()


def test_the_form_status_goes_at_the_next_edit_or_when_closed(page, live_server):
    _import(page, live_server, PROBED)
    status = page.locator("#form-status")
    ports = "spec.containers[0].ports"
    _open_all(page)
    with page.expect_response(re.compile(r"/preview$")):
        page.locator("#add-f-spec-containers_0-ports").click()
    expect(status).to_have_text("Added port 8081.")  # not a second 8080
    with page.expect_response(re.compile(r"/preview$")):
        page.get_by_role("button", name="Remove Port 1", exact=True).click()
    expect(status).to_contain_text("Removed port 8080.")
    expect(status.get_by_role("button", name="Undo")).to_be_visible()
    # Undo is there to press while the line shows...
    with page.expect_response(re.compile(r"/preview$")):
        status.get_by_role("button", name="Undo").click()
    expect(status).to_have_text("Restored port 8080.")
    # ... the next edit makes the line old news, Undo offer and all.
    with page.expect_response(re.compile(r"/preview$")):
        page.get_by_role("button", name="Remove Port 2", exact=True).click()
    expect(status.get_by_role("button", name="Undo")).to_be_visible()
    page.locator(_field(f"{ports}[0].name")).press_sequentially("h")
    expect(status).to_have_text("")
    # Its close button takes it away too, and the keyboard goes back to the form.
    with page.expect_response(re.compile(r"/preview$")):
        page.locator("#add-f-spec-containers_0-ports").click()
    expect(status).to_have_text("Added port 8081.")
    expect(page.locator(_field(f"{ports}[1].name"))).to_be_focused()  # (the new entry)
    page.locator(_field(f"{ports}[1].containerPort")).focus()
    status.get_by_role("button", name="Close this message").click()
    expect(status).to_have_text("")
    expect(page.locator(_field(f"{ports}[1].containerPort"))).to_be_focused()


def test_choosing_a_kind_says_to_press_change_kind(page, live_server):
    _blank(page, live_server)
    hint = page.locator("#kind-pending")
    expect(hint).to_be_hidden()
    page.locator("#f-kind").select_option("Deployment")
    expect(hint).to_have_text("Not changed yet: press Change kind to make this Pod a Deployment.")
    expect(hint).to_have_attribute("aria-live", "polite")
    page.locator("#f-kind").select_option("Pod")
    expect(hint).to_be_hidden()
    page.locator("#f-kind").select_option("Deployment")
    page.get_by_role("button", name="Change kind").click()
    expect(page.locator("#form-status")).to_contain_text(
        "Now a Deployment. The Deployment starts with replicas 2."
    )
    expect(page.locator("#kind-pending")).to_be_hidden()


def test_a_long_label_does_not_run_under_its_docs_button(page, live_server):
    _import(page, live_server, PROBED)
    _open_all(page)
    field = page.locator(_field("spec.containers[0].livenessProbe.terminationGracePeriodSeconds"))
    expect(field).to_be_visible()
    holder = field.locator("xpath=..")
    expect(holder.locator(".doc-button")).to_be_visible()
    overlap = holder.evaluate(
        """(el) => {
          const label = el.querySelector(':scope > label');
          const range = document.createRange();
          range.selectNodeContents(label);
          const text = range.getBoundingClientRect();
          const button = el.querySelector('.doc-button').getBoundingClientRect();
          const across = text.right > button.left + 0.5 && text.top < button.bottom;
          return [across, label.scrollWidth > label.clientWidth + 1];
        }"""
    )
    assert overlap == [False, False]


def test_on_a_touch_phone_the_docs_buttons_stay_off_their_inputs(touch_phone, live_server):
    _import(touch_phone, live_server, PROBED)
    _open_all(touch_phone)
    expect(touch_phone.locator(".doc-button").first).to_be_visible()
    overlaps = touch_phone.evaluate(
        """() => [...document.querySelectorAll('#builder-form .field > .doc-button')]
        .filter((b) => {
          const field = b.parentElement;
          const input = field.querySelector('input:not([type=hidden]), select, textarea');
          if (!input || !b.offsetParent) return false;
          const box = b.getBoundingClientRect();
          const under = input.getBoundingClientRect();
          return box.height > 0 && box.bottom > under.top + 0.5 && box.right > under.left;
        }).map((b) => b.parentElement.querySelector('label').textContent.trim())"""
    )
    assert overlaps == []
    assert touch_phone.evaluate("document.querySelector('.doc-button').offsetHeight") >= 36


def test_the_jump_to_the_preview_link_is_on_desktop_too(page, live_server):
    _blank(page, live_server)
    link = page.get_by_role("link", name="Jump to the preview")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#preview")).to_be_in_viewport()


def test_the_save_status_is_empty_until_the_first_edit(page, live_server):
    _blank(page, live_server)
    status = page.locator("#save-status")
    expect(status).to_have_text("")
    page.locator(_field("metadata.name")).fill("first-edit")
    expect(status).to_have_text("Saved.")


def test_on_a_phone_the_taller_bar_of_an_exercise_hides_no_control_reached_with_tab(
    page, live_server
):
    """The bar grows a line with the goals: the page keeps room for what it is now."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lessons/resources/")
    page.get_by_role("link", name="Start the exercise in the builder").first.click()
    _ready(page)
    page.locator("#sub-f-spec-containers_0-resources > summary").click()
    page.locator(_field("metadata.name")).focus()
    covered = []
    for _ in range(40):
        page.keyboard.press("Tab")
        covered += page.evaluate(
            """() => {
              const focused = document.activeElement;
              const bar = document.getElementById('status-bar');
              if (!focused || bar.contains(focused) || getComputedStyle(bar).position !== 'fixed')
                return [];
              const box = focused.getBoundingClientRect();
              const area = bar.getBoundingClientRect();
              return box.height && box.bottom > area.top + 2 ? [focused.id || focused.tagName] : [];
            }"""
        )
    assert not covered
