"""The builder in Debian's Chromium: live preview, errors at fields, import/export, copy, reload."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podstudio.engine.yamlio import load_manifest

pytestmark = pytest.mark.django_db(transaction=True)

SEED = sorted((Path(__file__).parent.parent / "manifests" / "seed").glob("*.yaml"))


def _field(name: str) -> str:
    return "#f-" + name.replace(".", "-").replace("[", "_").replace("]", "")


def _ready(page):
    """The builder is shown and its scripts have run (a learner cannot type faster than that)."""
    expect(page.locator("#builder-form")).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def _blank(page, live_server):
    page.goto(f"{live_server.url}/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    _ready(page)


def _import(page, live_server, text: str):
    page.goto(f"{live_server.url}/builder/")
    page.locator("#import-yaml").fill(text)
    page.get_by_role("button", name="Import").click()
    _ready(page)


def _download(page) -> tuple[str, str]:
    # Not while an answer may still swap the link out from under the click (a busy CI host).
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    with page.expect_download() as info:
        page.locator("#download-link").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text()


def test_typing_resources_changes_the_yaml_qos_and_diagram(page, live_server):
    _blank(page, live_server)
    expect(page.locator("#status-qos")).to_have_text("QoS BestEffort")
    container = "spec.containers[0]"
    page.locator("#sub-" + _field(f"{container}.resources")[1:] + " > summary").click()
    for kind in ("requests", "limits"):
        page.locator(_field(f"{container}.resources.{kind}.cpu")).fill("250")
        page.locator(_field(f"{container}.resources.{kind}.memory")).fill("128")
    expect(page.locator("#status-qos")).to_have_text("QoS Guaranteed")
    expect(page.locator("#yaml-code")).to_contain_text("cpu: 250m")
    expect(page.locator("#yaml-code")).to_contain_text("memory: 128Mi")
    expect(page.locator(".diagram")).to_contain_text("requests: cpu 250m · mem 128Mi")

    page.locator(_field(f"{container}.name")).fill("web-frontend")
    expect(page.locator(".diagram")).to_contain_text("web-frontend")
    expect(page.locator("#yaml-code")).to_contain_text("name: web-frontend")


def test_adding_a_container_redraws_the_form_and_the_diagram(page, live_server):
    _blank(page, live_server)
    page.get_by_role("button", name="+ Add container").click()
    expect(page.locator(_field("spec.containers[1].name"))).to_have_value("app-1")
    expect(page.locator(".diagram")).to_contain_text("app-1")
    page.get_by_role("button", name="Remove Container 2: app-1").click()
    expect(page.locator(_field("spec.containers[1].name"))).to_have_count(0)


def test_an_invalid_value_shows_its_error_at_the_field(page, live_server):
    _import(page, live_server, (SEED[4]).read_text())  # nginx-pod
    port = page.locator(_field("spec.containers[0].ports[0].containerPort"))
    port.fill("70000")
    error = page.locator("#err-" + _field("spec.containers[0].ports[0].containerPort")[1:])
    expect(error).not_to_be_empty()
    expect(port).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#status-valid")).to_contain_text("problem")
    port.fill("8080")
    expect(error).to_be_empty()
    expect(port).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#status-valid")).to_have_text("Valid")


@pytest.mark.parametrize("path", SEED, ids=lambda p: p.stem)
def test_each_seed_imports_and_exports_unchanged(page, live_server, path):
    original = load_manifest(path.read_text())
    _import(page, live_server, path.read_text())
    # The browser posts the whole form back as it is (a submit: Enter in a field, say); nothing
    # may change. The Update preview button itself is only shown without JavaScript.
    expect(page.get_by_role("button", name="Update preview")).to_be_hidden()
    with page.expect_response(re.compile(r"/preview$")):
        page.locator("#builder-form").evaluate("form => form.requestSubmit()")
    filename, text = _download(page)
    assert filename == f"{original['metadata']['name']}.yaml"
    assert load_manifest(text) == original


def test_copy_puts_the_yaml_on_the_clipboard(page, live_server):
    _import(page, live_server, SEED[5].read_text())  # postgres-pod
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("YAML copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    _, downloaded = _download(page)
    # The same Pod; the download of an untouched import is the imported text itself.
    assert load_manifest(copied) == load_manifest(downloaded)
    assert downloaded == SEED[5].read_text()
    expect(page.locator("#kubectl-line")).to_have_text("kubectl apply -f postgres-pod.yaml")


def test_a_saved_design_survives_a_reload(page, live_server):
    _blank(page, live_server)
    name = page.locator(_field("metadata.name"))
    with page.expect_response(re.compile(r"/preview$")):
        name.fill("remembered")
    page.reload()
    expect(page.locator(_field("metadata.name"))).to_have_value("remembered")
    expect(page.locator("#yaml-code")).to_contain_text("name: remembered")


def test_unreadable_import_keeps_the_text_and_says_why(page, live_server):
    page.goto(f"{live_server.url}/builder/")
    page.locator("#import-yaml").fill("kind: Service\nmetadata: {name: x}")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-error")).to_contain_text("no Pod or workload to edit here")
    expect(page.locator("#import-yaml")).to_have_value("kind: Service\nmetadata: {name: x}")


def test_finding_links_focus_their_field(page, live_server):
    _blank(page, live_server)
    link = page.locator(".findings .focus-link").first
    target = link.get_attribute("data-focus")
    link.click()
    focused = page.locator("*:focus")
    expect(focused).to_be_visible()
    assert page.evaluate(
        "(id) => document.getElementById(id).contains(document.activeElement)", target
    )


def test_the_form_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    page.locator(_field("metadata.name")).fill("no-script")
    page.get_by_role("button", name="Update preview").click()
    expect(page.locator("#yaml-code")).to_contain_text("name: no-script")
    page.locator("#sub-f-spec-containers_0-ports > summary").click()
    page.get_by_role("button", name="+ Add port").click()
    expect(page.locator(_field("spec.containers[0].ports[0].containerPort"))).to_have_value("8080")
    context.close()
