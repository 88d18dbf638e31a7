"""Undo after a change of kind, in Chromium: the status line says what the change did, says it
(a live region filled after the builder is drawn anew), and Undo beside the Kind picker is two
Tabs away from it for a keyboard; the design comes back as it was, its download byte for byte."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_builder import _download, _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop   # the shop's front
spec:
  replicas: 3
  strategy: {type: Recreate}
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
"""

WATCH = """() => {
  window.formStatusSaid = [];
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.target.id === 'form-status' && record.addedNodes.length) {
        window.formStatusSaid.push(record.target.textContent.trim());
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def test_undo_after_unwrapping_restores_the_file_and_is_said(page, live_server):
    _import(page, live_server, DEPLOYMENT)
    _name, before = _download(page)
    assert before == DEPLOYMENT
    page.evaluate(WATCH)
    page.locator("#f-kind").select_option("Pod")
    page.locator("#kind-button").focus()
    page.keyboard.press("Enter")
    status = page.locator("#form-status")
    expect(status).to_contain_text("Now a Pod. Not kept, as a Pod has no place for them")
    expect(status).to_have_attribute("role", "status")
    undo = page.get_by_role("button", name="Undo change of kind")
    expect(undo).to_be_visible()
    expect(undo).to_have_accessible_description(re.compile(r"^Now a Pod\."))
    # Filled after the builder was drawn anew, so that a screen reader says it.
    page.wait_for_function("() => window.formStatusSaid.some(t => t.startsWith('Now a Pod.'))")
    expect(page.locator("#f-kind")).to_have_value("Pod")
    expect(page.locator("#f-kind")).to_be_focused()

    page.keyboard.press("Tab")  # Change kind
    page.keyboard.press("Tab")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Undone: a Deployment again, as it was before.")
    expect(page.get_by_role("button", name="Undo change of kind")).to_have_count(0)
    expect(page.locator("#f-kind")).to_have_value("Deployment")
    expect(page.locator("#f-kind")).to_be_focused()
    _ready(page)
    assert _download(page)[1] == before


def test_the_next_edit_takes_the_undo_of_a_change_of_kind_away(page, live_server):
    _import(page, live_server, DEPLOYMENT)
    page.locator("#f-kind").select_option("Pod")
    page.locator("#kind-button").click()
    undo = page.get_by_role("button", name="Undo change of kind")
    expect(undo).to_be_visible()
    _ready(page)
    page.locator("#f-metadata-name").fill("shop-2")  # an edit after the change: Undo would lose it
    expect(undo).to_have_count(0)
    expect(page.locator("#form-status")).to_have_text("")
    _ready(page)
    page.reload()
    expect(page.get_by_role("button", name="Undo change of kind")).to_have_count(0)
    expect(page.locator("#f-metadata-name")).to_have_value("shop-2")


def test_alt_shift_z_undoes_a_change_of_kind_from_anywhere(page, live_server):
    _import(page, live_server, DEPLOYMENT)
    _name, before = _download(page)
    page.locator("#f-kind").select_option("Pod")
    page.locator("#kind-button").click()
    expect(page.get_by_role("button", name="Undo change of kind")).to_have_attribute(
        "aria-keyshortcuts", "Alt+Shift+Z"
    )
    _ready(page)
    page.locator("#f-spec-containers_0-image").focus()  # far down the form, typing nothing
    page.keyboard.press("Alt+Shift+KeyZ")
    expect(page.locator("#form-status")).to_contain_text("Undone: a Deployment again")
    expect(page.locator("#f-kind")).to_have_value("Deployment")
    _ready(page)
    assert _download(page)[1] == before
