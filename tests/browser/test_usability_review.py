"""Findings of a usability review, as a learner meets them in Chromium: deleting a design,
a limit below its request said at the limit, and the classroom bar's hand confirmations.

``PODSTUDIO_REVIEW_SHOTS=<folder>`` saves a screenshot of each at 1280 × 800 and 390 × 844."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from classrooms import actions
from podstudio.builder.models import Design
from tests.browser.test_builder import _blank, _field, _import, _ready
from tests.classroom_mode.helpers import ITEMS

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"wide": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _axe_clean(page) -> None:
    from tests.browser.test_accessibility import AXE

    violations = AXE.run(page).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def _shot(page, name: str) -> None:
    folder = os.environ.get("PODSTUDIO_REVIEW_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("size", SIZES)
def test_a_learner_deletes_a_design_from_the_list(page, live_server, size):
    page.set_viewport_size(SIZES[size])
    _blank(page, live_server)
    keep = Design.objects.get()
    _blank(page, live_server)
    page.goto(f"{live_server.url}/builder/")
    recent = page.locator(".recent li")
    expect(recent).to_have_count(2)
    page.locator("#start-recent").scroll_into_view_if_needed()
    _shot(page, f"delete-list-{size}")
    _axe_clean(page)
    # The keyboard reaches the link; its name says which design it deletes.
    delete = recent.first.get_by_role("link", name="Delete my-pod (Pod, changed just now)")
    delete.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Delete “my-pod”?")).to_be_visible()
    _shot(page, f"delete-confirm-{size}")
    _axe_clean(page)
    page.get_by_role("button", name="Delete this design").click()
    expect(page.locator(".messages")).to_have_text("Deleted the design “my-pod”.")
    expect(page.locator(".recent li")).to_have_count(1)
    _shot(page, f"delete-done-{size}")
    assert list(Design.objects.values_list("pk", flat=True)) == [keep.pk]


def test_cancel_keeps_the_design(page, live_server):
    _blank(page, live_server)
    page.goto(f"{live_server.url}/builder/")
    page.locator(".recent").get_by_role("link", name="Delete", exact=False).click()
    page.get_by_role("link", name="Cancel, keep it").click()
    expect(page.locator(".recent li")).to_have_count(1)
    assert Design.objects.count() == 1


def test_a_delete_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    page.goto(f"{live_server.url}/builder/")
    page.locator(".recent").get_by_role("link", name="Delete", exact=False).click()
    page.get_by_role("button", name="Delete this design").click()
    expect(page.locator(".messages")).to_have_text("Deleted the design “my-pod”.")
    assert Design.objects.count() == 0
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_limit_below_its_request_is_said_at_the_limit(page, live_server, size):
    page.set_viewport_size(SIZES[size])
    _blank(page, live_server)
    resources = "spec.containers[0].resources"
    page.locator("#sub-" + _field(resources)[1:] + " > summary").click()
    page.locator(_field(f"{resources}.requests.memory")).fill("256")
    limit = page.locator(_field(f"{resources}.limits.memory"))
    limit.fill("128")
    error = page.locator("#err-" + _field(f"{resources}.limits.memory")[1:])
    expect(error).to_have_text("256Mi: must be less than or equal to memory limit of 128Mi")
    expect(limit).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-" + _field(resources)[1:])).to_be_empty()
    error.scroll_into_view_if_needed()
    _shot(page, f"limit-error-{size}")
    # The status's "1 problem" jumps to the limit, the field to fix.
    limit.blur()
    page.locator("#status-valid").click()
    expect(limit).to_be_focused()
    limit.fill("512")
    expect(error).to_be_empty()
    expect(limit).not_to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("size", SIZES)
def test_a_selector_mismatch_names_the_missing_label_at_the_labels(page, live_server, size):
    from tests.test_selector_wording import DEPLOYMENT

    page.set_viewport_size(SIZES[size])
    _import(page, live_server, DEPLOYMENT)
    labels = page.locator(_field("spec.template.metadata.labels"))
    error = page.locator("#err-" + _field("spec.template.metadata.labels")[1:])
    expect(error).to_contain_text("add the missing ones to these labels")
    expect(error).to_contain_text("Missing here: app=shop (these labels have app=store).")
    labels.fill("app=shop\ntier=web")
    expect(error).to_be_empty()
    labels.fill("app=shop")
    expect(error).to_contain_text("Missing here: tier=web.")
    error.scroll_into_view_if_needed()
    _shot(page, f"selector-error-{size}")


def _joined_learner(page, live_server, name: str = "Ada"):
    teacher = get_user_model().objects.create_user("ines", password="a-long-password-1")
    actions.make_instructor(teacher)
    classroom = actions.create_classroom(title="Pods workshop", instructor=teacher, items=ITEMS)
    page.goto(f"{live_server.url}/join/{classroom.code}/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("body")).to_contain_text(f"Welcome, {name}")
    return classroom


@pytest.mark.parametrize("size", SIZES)
def test_raising_and_lowering_a_hand_is_confirmed_in_a_live_region(page, live_server, size):
    page.set_viewport_size(SIZES[size])
    _joined_learner(page, live_server)
    said = page.locator("#hand-said")
    expect(said).to_have_attribute("role", "status")
    expect(said).to_be_empty()
    region = said.element_handle()
    page.locator("#hand-message").fill("my limits")
    page.get_by_role("button", name="Raise hand").click()
    expect(said).to_have_text("Hand raised: your instructor sees it, with your message.")
    expect(page.get_by_role("button", name="Lower my hand")).to_be_focused()
    _shot(page, f"hand-raised-{size}")
    _axe_clean(page)
    page.get_by_role("button", name="Lower my hand").click()
    expect(said).to_have_text("Hand lowered.")
    expect(page.get_by_role("button", name="Raise hand")).to_be_focused()
    _shot(page, f"hand-lowered-{size}")
    # The same region, its words replaced: a screen reader says each.
    assert region.evaluate("(el) => el.isConnected")


def test_the_phone_status_bar_reaches_raise_hand(page, live_server):
    page.set_viewport_size(SIZES["phone"])
    _joined_learner(page, live_server)
    page.locator(".bar-agenda summary").click()
    page.locator(".bar-agenda").get_by_role("link", name="Set requests and limits").click()
    _ready(page)
    page.locator(_field("spec.containers[0].image")).scroll_into_view_if_needed()
    page.mouse.wheel(0, 900)
    hand = page.locator("#status-bar").get_by_role("link", name="Raise hand")
    expect(hand).to_be_in_viewport()
    _shot(page, "hand-status-bar-phone")
    hand.click()
    expect(page.locator("#hand-message")).to_be_focused()
    expect(page.locator("#hand-message")).to_be_in_viewport()
    page.get_by_role("button", name="Raise hand").click()
    expect(page.locator("#hand-said")).to_have_text("Hand raised: your instructor sees it.")
    expect(page.locator("#status-bar").get_by_role("link", name="Hand up")).to_have_count(1)
    _shot(page, "hand-status-bar-raised-phone")
    page.emulate_media(color_scheme="dark")
    _axe_clean(page)


def test_the_wide_builder_keeps_raise_hand_in_the_classroom_bar_only(page, live_server):
    page.set_viewport_size(SIZES["wide"])
    _joined_learner(page, live_server)
    page.goto(f"{live_server.url}/classroom/exercise/set-requests-limits/")
    _ready(page)
    expect(page.locator("#status-hand")).to_be_hidden()
    expect(page.locator(".classroom-bar").get_by_role("button", name="Raise hand")).to_be_visible()
    _shot(page, "hand-builder-wide")


@pytest.mark.parametrize("size", SIZES)
def test_a_design_a_class_counts_says_why_it_is_kept(page, live_server, size):
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme="dark")
    _joined_learner(page, live_server)
    page.goto(f"{live_server.url}/classroom/exercise/set-requests-limits/")
    _ready(page)
    _blank(page, live_server)
    page.goto(f"{live_server.url}/builder/")
    page.locator("#start-recent").scroll_into_view_if_needed()
    kept = page.locator(".recent li", has_text="Set requests and limits")
    expect(kept).to_contain_text("kept for your class “Pods workshop”")
    expect(kept.get_by_role("link", name="Delete", exact=False)).to_have_count(0)
    _shot(page, f"delete-list-dark-{size}")
    _axe_clean(page)
    design = Design.objects.get(exercise="set-requests-limits")
    page.goto(f"{live_server.url}/builder/d/{design.slug}/delete")
    expect(page.locator("h1")).to_have_text("“image-resizer” is kept for your class")
    expect(page.get_by_role("button", name="Delete this design")).to_have_count(0)
    _shot(page, f"delete-kept-dark-{size}")
    _axe_clean(page)
