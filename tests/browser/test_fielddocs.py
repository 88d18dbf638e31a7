"""Schema docs in the builder, in Debian's Chromium: a "?" per field, keyboard first, and the
keys of the YAML preview, all from data in the page (no request when shown)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.31.0
    restartPolicy: Always
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 80
"""


def _open(page, live_server, text: str = POD):
    page.goto(f"{live_server.url}/builder/")
    page.locator("#import-yaml").fill(text)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#builder-form")).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def test_tab_to_a_fields_doc_button_enter_shows_its_docs_and_escape_hides_them(page, live_server):
    _open(page, live_server)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    image = page.locator("#f-spec-containers_0-image")
    image.focus()
    # the image box, then its tag box, then the field's "?" button
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    button = page.locator("[aria-controls='doc-f-spec-containers_0-image']")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    docs = page.locator("#doc-f-spec-containers_0-image")
    expect(docs).to_be_hidden()
    page.keyboard.press("Enter")
    expect(docs).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(docs).to_contain_text("Container image name.")
    expect(docs).to_contain_text("spec.containers[*].image <string>")
    # "More info: https://…" is a link, opening in a new tab.
    link = docs.locator("a.doc-link")
    expect(link).to_have_attribute("href", "https://kubernetes.io/docs/concepts/containers/images")
    expect(link).to_have_attribute("target", "_blank")
    page.keyboard.press("Escape")
    expect(docs).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    assert requests == []  # the docs were in the page


def test_a_field_newer_than_the_checked_version_says_which_version_it_needs(
    page, live_server, settings
):
    settings.PODSTUDIO_K8S_VERSION = "1.28"
    _open(page, live_server)
    button = page.locator("[aria-controls='doc-f-spec-initContainers_0-restartPolicy']")
    button.click()
    docs = page.locator("#doc-f-spec-initContainers_0-restartPolicy")
    expect(docs).to_contain_text("needs Kubernetes 1.29+: newer than 1.28")
    expect(docs).to_contain_text("SidecarContainers")
    button.click()
    expect(docs).to_be_hidden()


def test_hovering_a_yaml_key_shows_its_docs_and_arrow_keys_walk_the_keys(page, live_server):
    _open(page, live_server)
    code = page.locator("#yaml-code")
    code.locator(".k", has_text="containerPort").hover()
    tooltip = page.locator("#yaml-key-doc")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("spec.containers[*].ports[*].containerPort <integer>")
    expect(tooltip).to_contain_text("required")
    # a label is a key of a map: its docs are the map's
    code.locator(".k", has_text="app").first.hover()
    expect(tooltip).to_contain_text("metadata.labels <map[string]string>")
    expect(tooltip).to_contain_text("“app” is a key of this map")
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    # keyboard: the YAML takes focus, the arrow keys go from key to key
    page.locator("pre.yaml").focus()
    page.keyboard.press("ArrowDown")
    expect(tooltip).to_contain_text("apiVersion <string>")
    page.keyboard.press("ArrowDown")
    expect(tooltip).to_contain_text("kind <string>")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(page.locator("pre.yaml")).to_be_focused()
    # a keystroke redraws the YAML: its keys still have their docs
    name = page.locator("#f-metadata-name")
    name.fill("web-2")
    expect(code).to_contain_text("name: web-2")
    with page.expect_response(lambda response: "/preview" in response.url):
        name.press("Tab")  # leaving the box sends its change once more
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    page.locator("pre.yaml").focus()
    page.keyboard.press("End")
    expect(tooltip).to_contain_text("spec.containers[*].ports[*].containerPort <integer>")


def test_a_structural_redraw_keeps_the_doc_buttons(page, live_server):
    _open(page, live_server)
    page.get_by_role("button", name="+ Add container").click()
    button = page.locator("[aria-controls='doc-f-spec-containers_1-name']")
    expect(button).to_be_visible()
    button.click()
    docs = page.locator("#doc-f-spec-containers_1-name")
    expect(docs).to_contain_text("spec.containers[*].name <string>")
    expect(docs).to_contain_text("required")
