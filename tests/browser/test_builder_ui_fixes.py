"""Small things a tester found in the builder in Chromium: typing over a new entry's default
name, hints and goal progress announced to screen readers, no sideways scrolling on a phone,
and an edit typed just before a reload kept."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_builder import _blank, _field, _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

# A Deployment with no securityContext (long Pod Security fixes) and a part the form keeps as
# is (a long path in "Kept as is").
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
    "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
    "        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n"
    "        envFrom:\n        - configMapRef:\n            name: web-config\n"
)


def _start_exercise(page, live_server, lesson: str):
    page.goto(f"{live_server.url}/lessons/{lesson}/")
    page.get_by_role("link", name="Start the exercise in the builder").first.click()
    _ready(page)


def test_typing_after_an_add_replaces_the_new_entrys_default_name(page, live_server):
    _blank(page, live_server)
    with page.expect_response(re.compile(r"/preview$")):
        page.get_by_role("button", name="+ Add container").click()
    name = page.locator(_field("spec.containers[1].name"))
    expect(name).to_be_focused()
    expect(name).to_have_value(re.compile(r"^app-\d+$"))
    page.keyboard.type("sidecar")
    expect(name).to_have_value("sidecar")
    expect(page.locator("#yaml-code")).to_contain_text("name: sidecar")


def test_a_new_containers_image_retyped_drops_the_tag_the_builder_gave_it(page, live_server):
    """Typing httpd over a new container's nginx kept the 1.27 tag: httpd:1.27, which does not
    exist, and which the first exercise took for a pinned tag."""
    _blank(page, live_server)
    image = page.locator(_field("spec.containers[0].image"))
    tag = page.locator(_field("spec.containers[0].image") + "--tag")
    expect(tag).to_have_value("1.27")
    image.fill("httpd")
    image.press("Tab")
    expect(tag).to_have_value("")
    expect(page.locator("#yaml-code")).to_contain_text("image: httpd")
    expect(page.locator("#yaml-code")).not_to_contain_text("httpd:1.27")
    tag.fill("2.4")  # a tag typed for the new image stays
    expect(page.locator("#yaml-code")).to_contain_text("image: httpd:2.4")
    image.fill("ghcr.io/example/httpd")
    image.press("Tab")
    expect(tag).to_have_value("2.4")


def test_hints_are_added_inside_a_polite_live_region_that_stays(page, live_server):
    _start_exercise(page, live_server, "resources")
    hints = page.locator("#hints")
    expect(hints).to_have_attribute("aria-live", "polite")
    handle = hints.element_handle()
    page.get_by_role("button", name="Show a hint").click()
    expect(hints.locator(".hint")).to_have_count(1)
    expect(hints).to_contain_text("Nudge:")
    # The keyboard stays on the hints' button, and the region is the one that was there.
    expect(page.get_by_role("button", name="Show where to look")).to_be_focused()
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"
    page.get_by_role("button", name="Show where to look").click()
    expect(hints.locator(".hint")).to_have_count(2)
    expect(page.get_by_role("button", name="Show the solution")).to_be_focused()
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"
    expect(hints).to_have_attribute("aria-live", "polite")


def test_goal_progress_is_announced_by_a_live_region_that_stays(page, live_server):
    _start_exercise(page, live_server, "resources")
    region = page.locator("#goals-live")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    handle = region.element_handle()
    expect(region).to_have_text("")  # nothing to say until a goal is met or lost
    page.locator("#sub-f-spec-containers_0-resources > summary").click()
    page.locator(_field("spec.containers[0].resources.requests.cpu")).fill("250")
    expect(region).to_have_text(re.compile(r"^\d of \d goals met$"))
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"
    # An edit that meets no new goal leaves the region alone: nothing is said again.
    said = region.text_content()
    handle.evaluate(
        "(el) => { el.dataset.changes = 0; new MutationObserver(() => { el.dataset.changes++; })"
        ".observe(el, {childList: true, characterData: true, subtree: true}); }"
    )
    with page.expect_response(re.compile(r"/preview$")):
        page.locator(_field("metadata.name")).fill("resizer")
    expect(page.locator("#yaml-code")).to_contain_text("name: resizer")
    expect(region).to_have_text(said)
    expect(region).to_have_attribute("data-changes", "0")
    page.locator(_field("spec.containers[0].resources.requests.memory")).fill("128")
    page.locator(_field("spec.containers[0].resources.limits.memory")).fill("256")
    expect(region).to_have_text("All goals met: exercise complete")
    expect(page.locator("#pv-goals")).to_contain_text("All goals met")
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"


def test_long_paths_and_fixes_wrap_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    _import(page, live_server, DEPLOYMENT)
    expect(page.locator("#pv-pss")).to_contain_text("seccompProfile")
    expect(page.locator("#pv-kept")).to_contain_text("spec.template.spec.containers[0].envFrom")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at a 390 px viewport: {_past(page, 390)}"


def _past(page, width: int) -> list[str]:
    """The outermost elements that reach past ``width`` (for a failure to name its cause)."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > width
                && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width))
            .slice(0, 5)
            .map((e) => {
                const right = Math.round(e.getBoundingClientRect().right);
                return `${e.tagName.toLowerCase()}#${e.id} ${right} px`;
            })""",
        width,
    )


def test_the_diagram_keeps_legible_text_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    _import(page, live_server, DEPLOYMENT)
    diagram = page.get_by_role("group", name="Pod diagram")
    image = page.locator(".diagram .dg-image").first
    expect(image).to_have_text("nginx:1.27")
    # Drawn at 11 units: shrunk to fit 390 px it was about 7 px tall, too small to read.
    height = image.bounding_box()["height"]
    assert height >= 10, f"the diagram's text is {height:.1f} px tall"
    # It scrolls sideways, from the keyboard too, and the page itself does not.
    diagram.focus()
    expect(diagram).to_be_focused()
    page.keyboard.press("ArrowRight")
    for _ in range(50):  # wait_for_function would need eval, which the CSP forbids
        if page.evaluate("document.querySelector('.diagram').scrollLeft") > 0:
            break
        page.wait_for_timeout(20)
    assert page.evaluate("document.querySelector('.diagram').scrollLeft") > 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at a 390 px viewport"


def test_the_hints_solution_scrolls_in_its_own_box_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    _start_exercise(page, live_server, "resources")
    for name, following in (
        ("Show a hint", "Show where to look"),
        ("Show where to look", "Show the solution"),
        ("Show the solution", "Compare again"),
    ):
        page.get_by_role("button", name=name).click()
        expect(page.get_by_role("button", name=following)).to_be_focused()
    expect(page.locator("#hints pre.diff")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at a 390 px viewport"


def test_an_edit_typed_just_before_a_reload_is_kept(page, live_server):
    _blank(page, live_server)
    name = page.locator(_field("metadata.name"))
    name.click()
    name.press("ControlOrMeta+a")
    page.keyboard.type("kept-on-reload", delay=5)  # faster than the save's 120 ms delay
    page.reload()
    _ready(page)
    expect(page.locator(_field("metadata.name"))).to_have_value("kept-on-reload")
    expect(page.locator("#yaml-code")).to_contain_text("name: kept-on-reload")


def test_on_a_phone_the_status_stays_in_sight_while_typing_in_the_form(page, live_server):
    """The preview comes after the whole form on a phone: its status did not show while typing."""
    page.set_viewport_size({"width": 390, "height": 844})
    _blank(page, live_server)
    name = page.locator(_field("spec.containers[0].name"))
    name.scroll_into_view_if_needed()
    name.fill("web server")
    expect(page.locator("#status-valid")).to_have_text("1 problem")
    expect(page.locator("#status-valid")).to_be_in_viewport()
    expect(name).to_be_in_viewport()
    name.fill("web")
    expect(page.locator("#status-valid")).to_have_text("Valid")
    page.set_viewport_size({"width": 1280, "height": 900})  # beside the form: no bar
    assert page.evaluate("getComputedStyle(document.getElementById('pv-status')).position") in (
        "static",
        "relative",
    )


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_control_reached_with_tab_is_never_under_the_sticky_bars(page, live_server, viewport):
    """The form's status line (desktop) and the status bar (phone) stay put at the bottom of
    the screen: the control Tab moved to was drawn under them (WCAG 2.4.11)."""
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _blank(page, live_server)
    with page.expect_response(re.compile(r"/preview$")):
        page.get_by_role("button", name="+ Add container").click()
    expect(page.locator("#form-status")).to_contain_text("Added container")
    covered = []
    for _ in range(40):
        page.keyboard.press("Tab")
        hidden = page.evaluate(
            """() => {
              const focused = document.activeElement;
              if (!focused || focused === document.body) return null;
              const box = focused.getBoundingClientRect();
              if (!box.height) return null;
              const bars = [...document.querySelectorAll('.form-status > p')];
              const status = document.getElementById('status-bar');
              if (status && getComputedStyle(status).position === 'fixed') bars.push(status);
              const under = bars.some((bar) => {
                if (bar.contains(focused)) return false;
                const area = bar.getBoundingClientRect();
                return area.height > 0 && box.bottom > area.top + 2 && box.top < area.bottom
                  && box.left < area.right && box.right > area.left;
              });
              return under ? (focused.id || focused.textContent.trim().slice(0, 40)) : null;
            }"""
        )
        if hidden:
            covered.append(hidden)
    assert not covered


def test_a_file_too_large_is_refused_at_the_file_input_before_it_is_sent(page, live_server):
    """A file over the request limit got a page of its own ("Request refused", focus lost);
    one over a design's limit marked the empty paste box."""
    page.goto(f"{live_server.url}/builder/")
    upload = page.locator("#import-upload")
    big = {"name": "huge.yaml", "mimeType": "text/yaml", "buffer": b"# x\n" * 600_000}
    upload.set_input_files(big)
    error = page.locator("#import-error")
    expect(error).to_have_text(
        "Cannot import huge.yaml: the file is larger than 1024 KiB, the most a design can be."
    )
    expect(upload).to_be_focused()
    expect(upload).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith("/builder/")
    # A file that fits clears the refusal.
    upload.set_input_files({"name": "ok.yaml", "mimeType": "text/yaml", "buffer": b"kind: Pod\n"})
    expect(error).to_have_count(0)
