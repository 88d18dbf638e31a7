"""The sandbox panel in Debian's Chromium, against the real API server: the issue's "done when"."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest
from tests.conftest import SEED
from tests.sandbox.conftest import sandbox  # noqa: F401 (the running sandbox, or a skip)

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sandbox"),
]


def open_panel(page, live_server, manifest: dict):
    design = Design.objects.create(manifest=manifest)
    page.goto(f"{live_server.url}/builder/d/{design.slug}/")
    page.locator("#sandbox-panel > summary").click()
    return page.locator("#sandbox-panel")


def test_learner_applies_my_app_pod_and_sees_it_running_on_the_ssd_node(page, live_server):
    panel = open_panel(page, live_server, load_manifest((SEED / "my-app-pod.yaml").read_text()))
    # Nothing applied yet: said as such, not as the cluster's refusal of a namespace not made.
    expect(panel.locator("#sandbox-status")).to_contain_text("is not in your sandbox namespace")
    panel.get_by_role("button", name="Apply").click()
    expect(panel.locator("#sandbox-result")).to_contain_text(
        "The API server accepted Pod my-app-pod"
    )
    status = panel.locator("#sandbox-status")
    expect(status).to_contain_text("Running", timeout=20_000)
    expect(status).to_contain_text("ssd-node")
    expect(status.locator(".sandbox-events")).to_contain_text("Scheduled")
    # The Logs link fills the logs region (it swapped the region away), and says plainly why
    # the local sandbox has none.
    status.get_by_role("link", name="Logs").first.click()
    logs = panel.locator("#sandbox-logs")
    expect(logs).to_contain_text("its node is simulated and runs no containers")
    status.get_by_role("link", name="Logs").first.click()
    expect(logs).to_contain_text("its node is simulated")
    panel.get_by_role("button", name="Delete from the cluster").click()
    expect(status).to_contain_text("is not in your sandbox namespace", timeout=20_000)


def test_learner_sees_why_a_pod_cannot_be_scheduled(page, live_server):
    nowhere = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "nowhere"},
        "spec": {
            "nodeSelector": {"disktype": "floppy"},
            "containers": [{"name": "app", "image": "nginx:1.27"}],
        },
    }
    panel = open_panel(page, live_server, nowhere)
    panel.get_by_role("button", name="Apply").click()
    status = panel.locator("#sandbox-status")
    expect(status).to_contain_text("FailedScheduling", timeout=20_000)
    expect(status).to_contain_text(re.compile(r"0/3 nodes are available: .*node affinity/selector"))
    expect(status.locator(".phase")).to_have_text("Pending")


def test_privileged_pod_is_refused_in_a_restricted_namespace(settings, page, live_server):
    settings.PODSTUDIO_SANDBOX_ENFORCE = "restricted"
    privileged = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "root-power"},
        "spec": {
            "containers": [
                {"name": "app", "image": "nginx:1.27", "securityContext": {"privileged": True}}
            ]
        },
    }
    panel = open_panel(page, live_server, privileged)
    panel.get_by_role("button", name="Dry run").click()
    result = panel.locator("#sandbox-result")
    expect(result).to_contain_text('violates PodSecurity "restricted:latest"')
    expect(result.locator("code.path").first).to_have_text(
        "spec.containers[0].securityContext.privileged"
    )
    # The refusal leads to the field to change.
    result.get_by_role("link", name="Go to field").first.click()
    expect(page.locator("#f-spec-containers_0-securityContext-privileged")).to_be_focused()


def test_a_pod_that_names_its_node_gets_a_note_at_the_field(page, live_server):
    pinned = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "pinned"},
        "spec": {"nodeName": "backend-node", "containers": [{"name": "app", "image": "nginx"}]},
    }
    panel = open_panel(page, live_server, pinned)
    panel.get_by_role("button", name="Dry run").click()
    result = panel.locator("#sandbox-result")
    expect(result).to_contain_text("Not sent: this Pod asks for scheduling privileges")
    expect(result.locator("code.path")).to_have_text("spec.nodeName")


def test_a_learner_acting_too_fast_reads_why_in_the_panel(settings, monkeypatch, page, live_server):
    settings.PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE = 1
    # The limiter's clock stands still at the start of a bucket: the clicks count for 60 s.
    monkeypatch.setattr("podstudio.ratelimit.time", SimpleNamespace(time=lambda: 1_000_020.0))
    panel = open_panel(page, live_server, load_manifest((SEED / "my-app-pod.yaml").read_text()))
    result = panel.locator("#sandbox-result")
    panel.get_by_role("button", name="Dry run").click()
    expect(result).to_contain_text("would accept Pod my-app-pod")
    panel.get_by_role("button", name="Dry run").click()
    expect(result).to_contain_text(
        "Slow down: the sandbox takes up to 1 action (dry run, apply or delete) a minute"
    )
    expect(result.get_by_role("alert")).to_contain_text("Try again in 60 s.")


def test_a_pod_applied_from_a_design_since_renamed_is_listed_and_can_be_deleted(page, live_server):
    """The panel follows the design's name: the Pod applied under the old one was lost, still
    counting against the namespace's quota."""
    page.goto(f"{live_server.url}/builder/")
    page.get_by_role("button", name="New blank Pod").click()
    page.locator("#sandbox-panel > summary").click()
    panel = page.locator("#sandbox-panel")
    panel.get_by_role("button", name="Apply").click()
    expect(panel.locator("#sandbox-result")).to_contain_text("accepted Pod my-pod")
    everything = panel.locator("#sandbox-everything")
    expect(everything).to_contain_text("my-pod")  # listed after the apply
    page.locator("#f-metadata-name").fill("renamed-pod")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(panel.locator("#sandbox-status")).to_contain_text("renamed-pod is not in your sandbox")
    # The list is drawn anew when its answer comes: a Delete clicked in the list it replaces
    # would be a button no longer on the page (htmx drops answers to those).
    with page.expect_response(lambda response: "/sandbox/everything" in response.url):
        panel.get_by_role("link", name="List it").click()
    swapping = "#sandbox-everything.htmx-swapping, #sandbox-everything.htmx-settling"
    expect(page.locator(swapping)).to_have_count(0)  # and its swap
    row = everything.locator("tr", has_text="my-pod")
    expect(row).to_contain_text("Pod")
    row.get_by_role("button", name="Delete Pod my-pod").focus()
    page.keyboard.press("Enter")
    expect(panel.locator("#sandbox-result")).to_contain_text("Pod my-pod is being deleted")
    # The list is read again: the Pod is terminating there, or already gone when the machine
    # is slow (the sandbox gives it one second), and either way offers no second Delete.
    still_running = everything.locator("tr", has_text="my-pod").filter(has_not_text="terminating")
    expect(still_running).to_have_count(0)
    expect(everything.get_by_role("button", name="Delete Pod my-pod")).to_have_count(0)
    # Its button went with the list read again: the keyboard's place is the answer, not <body>.
    expect(panel.locator("#sandbox-result")).to_be_focused()


def test_the_keyboard_stays_on_the_button_it_pressed(page, live_server):
    """The buttons were disabled while the API server was asked, and a disabled button loses
    the focus to the page: a keyboard or screen reader user lost their place on each action."""
    panel = open_panel(page, live_server, load_manifest((SEED / "my-app-pod.yaml").read_text()))
    for name, answer in (
        ("Dry run", "would accept Pod my-app-pod"),
        ("Apply", "accepted Pod my-app-pod"),
        ("Delete from the cluster", "my-app-pod is being deleted"),
    ):
        button = panel.get_by_role("button", name=name)
        button.focus()
        page.keyboard.press("Enter")
        expect(panel.locator("#sandbox-result")).to_contain_text(answer)
        expect(button).to_be_focused()


def test_the_api_servers_long_words_wrap_on_a_phone(page, live_server):
    """Pod Security's warnings hold long unbroken words (securityContext.allowPrivilege…):
    on a phone they wrap inside the panel, and the page never scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    panel = open_panel(page, live_server, load_manifest((SEED / "my-app-pod.yaml").read_text()))
    panel.get_by_role("button", name="Dry run").click()
    expect(panel.locator(".sandbox-warnings")).to_contain_text("allowPrivilegeEscalation")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_everything_in_the_namespace_follows_the_cluster(page, live_server):
    """The list was read once after an action and then kept saying Pending (or "0/2 ready")
    while the live status above it said Running."""
    panel = open_panel(page, live_server, load_manifest((SEED / "my-app-pod.yaml").read_text()))
    panel.get_by_role("button", name="Apply").click()
    expect(panel.locator("#sandbox-status")).to_contain_text("Running", timeout=20_000)
    row = panel.locator("#sandbox-everything tr", has_text="my-app-pod")
    expect(row).to_contain_text("Running", timeout=20_000)
    panel.get_by_role("button", name="Delete from the cluster").click()
