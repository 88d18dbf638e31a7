"""Workloads and multi-document files in Debian's Chromium, as a person would use them."""

import pytest
from playwright.sync_api import expect

from podstudio.engine.documents import read_documents
from tests.browser.test_builder import _download, _field, _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE = """\
# Web shop: the Service in front and the Deployment behind it.
apiVersion: v1
kind: Service
metadata:
  name: shop   # the ingress points here, keep the name
spec:
  selector: {app: shop}
  ports:
  - port: 80
    targetPort: 8080
"""
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
        image: ghcr.io/example/shop:2.4.1
        ports:
        - containerPort: 8080
"""
FILE = f"{SERVICE}---\n{DEPLOYMENT}---\n"


def test_edit_a_deployments_image_and_download_the_file_with_the_service_untouched(
    page, live_server
):
    _import(page, live_server, FILE)
    expect(page.locator("h1")).to_contain_text("Deployment builder")
    expect(page.locator(".document-list li.current")).to_contain_text("Deployment shop")
    expect(page.locator("#status-kind")).to_have_text("Deployment · 3 replicas")
    image = _field("spec.template.spec.containers[0].image")
    expect(page.locator(image)).to_have_value("ghcr.io/example/shop")
    page.locator(image + "--tag").fill("2.5.0")
    expect(page.locator("#yaml-code")).to_contain_text("image: ghcr.io/example/shop:2.5.0")
    expect(page.locator("#save-status")).to_have_text("Saved.")

    name, text = _download(page)
    assert name == "shop.yaml"
    segments, documents = read_documents(text)
    assert [d.kind for d in documents] == ["Service", "Deployment"]
    assert segments[documents[0].segment].text == SERVICE  # byte for byte, comments included
    assert text.startswith(SERVICE + "---\n")
    container = documents[1].data["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/example/shop:2.5.0"
    assert "containers" not in documents[1].data["spec"]  # never written at a Pod's path


def test_an_imported_selector_stays_as_written_and_errors_land_at_template_fields(
    page, live_server
):
    """A label added to an imported Deployment's Pods leaves its selector as the file wrote it
    (a running Deployment's selector cannot change)."""
    _import(page, live_server, DEPLOYMENT)
    labels = _field("spec.template.metadata.labels")
    page.locator(labels).fill("app=shop\ntier=web")
    expect(page.locator("#yaml-code")).to_contain_text("tier: web")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(page.locator("#note-selector")).to_have_text(
        "app=shop (kept as written: the Pod labels below must include it)"
    )
    expect(page.locator("#yaml-code")).to_contain_text("matchLabels: {app: shop}")
    port = _field("spec.template.spec.containers[0].ports[0].containerPort")
    page.locator(port).fill("70000")
    expect(page.locator("#status-valid")).to_have_text("1 problem")
    expect(page.locator("#err-" + port[1:])).to_contain_text("65535")
    expect(page.locator(port)).to_have_attribute("aria-invalid", "true")


def test_a_deployment_without_a_selector_gets_one_from_its_button(page, live_server):
    """An image edit leaves a missing selector missing (the file may be a patch); the button
    beside the selector line sets it, and focus lands on that line."""
    _import(
        page, live_server, DEPLOYMENT.replace("  selector:\n    matchLabels: {app: shop}\n", "")
    )
    expect(page.locator("#note-selector")).to_have_text(
        "none: the API server refuses a Deployment without one"
    )
    page.locator(_field("spec.template.spec.containers[0].image") + "--tag").fill("2.5.0")
    expect(page.locator("#yaml-code")).to_contain_text("shop:2.5.0")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(page.locator("#yaml-code")).not_to_contain_text("selector")
    page.locator("#selector-action").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#note-selector")).to_have_text(
        "app=shop (kept as written: the Pod labels below must include it)"
    )
    expect(page.locator("#note-selector")).to_be_focused()
    expect(page.locator("#yaml-code")).to_contain_text("matchLabels")
    expect(page.locator("#selector-action")).to_have_count(0)


def test_a_deployment_from_an_old_post_is_brought_up_to_date_with_two_buttons(page, live_server):
    """extensions/v1beta1 defaulted the selector; apps/v1 needs it: one button each."""
    old = DEPLOYMENT.replace("apps/v1", "extensions/v1beta1").replace(
        "  selector:\n    matchLabels: {app: shop}\n", ""
    )
    _import(page, live_server, old)
    expect(page.locator("#old-version")).to_contain_text("removed in Kubernetes 1.16")
    # the old apiVersion, and the missing selector at spec.selector and at the labels it
    # cannot match (the API server names both)
    expect(page.locator("#status-valid")).to_have_text("3 problems")
    page.locator("#apiversion-action").click()
    expect(page.locator("#old-version")).to_have_count(0)
    expect(page.locator("#f-kind")).to_be_focused()
    expect(page.locator("#yaml-code")).to_contain_text("apiVersion: apps/v1")
    expect(page.locator("#status-valid")).to_have_text("2 problems")
    page.locator("#selector-action").click()
    expect(page.locator("#status-valid")).to_have_text("Valid")
    name, text = _download(page)
    assert text == DEPLOYMENT.replace(
        "  selector:\n    matchLabels: {app: shop}\n",
        "  selector:\n    matchLabels:\n      app: shop\n",
    )


def test_wrap_a_pod_into_a_cronjob_and_back(page, live_server):
    page.goto(f"{live_server.url}/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    _ready(page)
    page.locator("#f-kind").select_option("CronJob")
    page.get_by_role("button", name="Change kind").click()
    expect(page.locator("h1")).to_contain_text("CronJob builder")
    expect(page.locator("#yaml-code")).to_contain_text("kind: CronJob")
    expect(page.locator("#form-status")).to_contain_text("restartPolicy is now Never")
    # The answer drew the builder anew: the status still hears that it was saved, and does
    # not turn to "Saving…" (it would half a second after a save still on its way).
    expect(page.locator("#save-status")).to_have_text("Saved.")
    page.wait_for_timeout(800)
    expect(page.locator("#save-status")).to_have_text("Saved.")
    schedule = page.locator(_field("spec.schedule"))
    expect(schedule).to_have_value("0 3 * * *")
    schedule.fill("*/15 * * * *")
    expect(page.locator("#status-kind")).to_have_text("CronJob · every 15 minutes")
    schedule.fill("every day")
    expect(page.locator("#err-" + _field("spec.schedule")[1:])).to_contain_text("5 fields")
    expect(page.locator("#status-kind")).to_have_text("CronJob · schedule every day")
    schedule.fill("@daily")
    expect(page.locator("#status-valid")).to_have_text("Valid")
    expect(page.locator("#status-kind")).to_have_text("CronJob · at 00:00, every day")
    page.locator("#f-kind").select_option("Pod")
    page.get_by_role("button", name="Change kind").click()
    expect(page.locator("h1")).to_contain_text("Pod builder")
    expect(page.locator("#yaml-code")).to_contain_text("kind: Pod")
    expect(page.locator("#yaml-code")).to_contain_text("restartPolicy: Never")


def test_switch_to_another_document_and_keep_the_edits(page, live_server):
    second = DEPLOYMENT.replace("name: shop\nspec", "name: admin\nspec").replace(
        "app: shop", "app: admin"
    )
    _import(page, live_server, f"{DEPLOYMENT}---\n{second}")
    replicas = page.locator(_field("spec.replicas"))
    replicas.fill("5")
    expect(page.locator("#status-kind")).to_have_text("Deployment · 5 replicas")
    page.get_by_role("button", name="Edit Deployment admin").click()
    _ready(page)
    expect(page.locator(".document-list li.current")).to_contain_text("admin")
    _, text = _download(page)
    _, documents = read_documents(text)
    assert documents[0].data["spec"]["replicas"] == 5
    assert documents[1].data["metadata"]["name"] == "admin"


def test_a_refused_import_is_shown_next_to_the_box_which_takes_focus(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(f"{live_server.url}/builder/")
    page.locator("#import-yaml").fill("apiVersion: v1\nkind: Service\nmetadata: {name: x}\n")
    page.get_by_role("button", name="Import").click()
    error = page.locator("#import-error")
    expect(error).to_contain_text("no Pod or workload to edit here")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_be_in_viewport()
    expect(page.locator("#import-yaml")).to_be_focused()
    described = page.locator("#import-yaml").get_attribute("aria-describedby")
    assert "import-error" in described.split()
