"""The builder keeps the author's place in Chromium: Add and Remove redraw only their list, focus
goes to the new entry, the next one or the Add button, the page does not jump, Undo restores,
titles follow the names typed, and the controls only needed without JavaScript are hidden."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_builder import _blank, _field, _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

WEB_WITH_LOGGING = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    "  - name: web-app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n"
    "    - containerPort: 81\n    - containerPort: 82\n"
    "  - name: log-shipper\n    image: fluentd:v1.17\n"
    "    volumeMounts:\n    - name: logs\n      mountPath: /var/log\n"
    "  volumes:\n  - name: logs\n    emptyDir: {}\n"
)


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _scroll_to(page, selector: str) -> float:
    """Puts ``selector`` in the middle of the window, as an author reaching for it would."""
    page.locator(selector).evaluate("el => el.scrollIntoView({block: 'center'})")
    return page.evaluate("() => window.scrollY")


def _click_and_settle(page, locator):
    with page.expect_response(re.compile(r"/preview$")):
        locator.click()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def test_add_focuses_the_new_entry_without_moving_the_page(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    before = _scroll_to(page, "#add-f-spec-containers_0-ports")
    assert before > 200  # the page was scrolled: a jump would show
    _click_and_settle(page, page.locator("#add-f-spec-containers_0-ports"))
    expect(page.locator(_field("spec.containers[0].ports[3].name"))).to_be_focused()
    assert abs(page.evaluate("() => window.scrollY") - before) < 150
    expect(page.locator("#form-status")).to_have_text("Added port 8080.")
    expect(page.locator("#yaml-code")).to_contain_text("containerPort: 8080")
    # Typing on makes it old news: it goes, and no longer covers the form.
    page.locator(_field("spec.containers[0].ports[3].name")).press_sequentially("m")
    expect(page.locator("#form-status")).to_have_text("")

    before = _scroll_to(page, "#add-f-spec-containers")
    _click_and_settle(page, page.get_by_role("button", name="+ Add container"))
    expect(page.locator(_field("spec.containers[2].name"))).to_be_focused()
    expect(page.locator(_field("spec.containers[2].name"))).to_have_value("app-1")
    assert abs(page.evaluate("() => window.scrollY") - before) < 150

    # An init container's first field is its "Native sidecar" checkbox: focus goes to its Name.
    page.get_by_text("Init containers and sidecars", exact=True).click()  # (a closed section)
    _click_and_settle(page, page.locator("#add-f-spec-initContainers"))
    expect(page.locator(_field("spec.initContainers[0].name"))).to_be_focused()


def test_remove_focuses_the_next_entry_then_the_add_button(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    ports = "spec.containers[0].ports"
    _scroll_to(page, _field(f"{ports}[1]"))
    _click_and_settle(page, page.get_by_role("button", name="Remove Port 2", exact=True))
    expect(page.locator(_field(f"{ports}[1].containerPort"))).to_have_value("82")
    expect(page.locator(_field(f"{ports}[1].name"))).to_be_focused()  # the next one
    _click_and_settle(page, page.get_by_role("button", name="Remove Port 2", exact=True))
    expect(page.locator(_field(f"{ports}[0].name"))).to_be_focused()  # none next: the previous
    _click_and_settle(page, page.get_by_role("button", name="Remove Port 1", exact=True))
    expect(page.locator("#add-f-spec-containers_0-ports")).to_be_focused()  # none left
    expect(page.locator("#sub-f-spec-containers_0-ports")).to_have_attribute("open", "")


def test_undo_restores_the_removed_container(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    _, original = _yaml(page)
    _click_and_settle(page, page.get_by_role("button", name="Remove Container 1: web-app"))
    status = page.locator("#form-status")
    expect(status).to_contain_text("Removed container web-app.")
    expect(page.locator(_field("spec.containers[0].name"))).to_have_value("log-shipper")
    expect(page.locator(_field("spec.containers[0].name"))).to_be_focused()
    expect(page.locator("#yaml-code")).not_to_contain_text("web-app")

    _click_and_settle(page, status.get_by_role("button", name="Undo"))
    expect(status).to_have_text("Restored container web-app.")
    expect(page.locator(_field("spec.containers[0].name"))).to_have_value("web-app")
    expect(page.locator(_field("spec.containers[0].name"))).to_be_focused()
    assert _yaml(page)[1] == original


def _yaml(page) -> tuple[str, str]:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    return "", page.locator("#yaml-code").inner_text()


def test_open_sections_stay_open_when_entries_are_renumbered(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    resources = "#sub-f-spec-containers_1-resources"
    page.locator(f"{resources} > summary").click()
    expect(page.locator(resources)).to_have_attribute("open", "")
    _click_and_settle(page, page.get_by_role("button", name="Remove Container 1: web-app"))
    # log-shipper is container 1 now, and its Resources are still open.
    expect(page.locator("#sub-f-spec-containers_0-resources")).to_have_attribute("open", "")


def test_titles_follow_the_names_typed(page, live_server):
    _blank(page, live_server)
    name = page.locator(_field("spec.containers[0].name"))
    name.fill("web")
    legend = page.locator("#f-spec-containers_0 > legend")
    expect(legend).to_have_text("Container 1: web")
    expect(page.get_by_role("button", name="Remove Container 1: web")).to_be_visible()
    name.fill("")
    expect(legend).to_have_text("Container 1")
    page.locator(_field("metadata.name")).fill("shop")
    expect(page.locator("h1 .pod-name")).to_have_text("shop")


def test_an_image_typed_with_its_tag_moves_the_tag_to_its_box(page, live_server):
    _blank(page, live_server)
    image = page.locator(_field("spec.containers[0].image"))
    tag = page.locator(_field("spec.containers[0].image") + "--tag")
    image.fill("redis:7.2")
    note = page.locator("#note-" + _field("spec.containers[0].image")[1:])
    expect(note).to_contain_text("7.2")
    expect(page.locator("#yaml-code")).to_contain_text("image: redis:7.2")
    tag.focus()  # leaving the image box
    expect(image).to_have_value("redis")
    expect(tag).to_have_value("7.2")
    expect(note).to_be_empty()
    expect(page.locator("#yaml-code")).to_contain_text("image: redis:7.2")


def test_enter_in_a_field_updates_the_preview_and_removes_nothing(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    expect(page.get_by_role("button", name="Update preview")).to_be_hidden()
    with page.expect_response(re.compile(r"/preview$")):
        page.locator(_field("metadata.name")).press("Enter")
    expect(page.locator(_field("spec.containers[1].name"))).to_have_value("log-shipper")
    expect(page.locator(_field("spec.containers[0].ports[2].containerPort"))).to_have_value("82")


def test_without_javascript_remove_and_undo_work_and_keep_the_place(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/builder/")
    page.locator("#import-yaml").fill(WEB_WITH_LOGGING)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("button", name="Update preview")).to_be_visible()
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    page.get_by_role("button", name="Remove Container 1: web-app").click()
    assert page.url.endswith("#f-spec-containers_0")
    expect(page.locator("#form-status")).to_contain_text("Removed container web-app.")
    expect(page.locator(_field("spec.containers[0].name"))).to_have_value("log-shipper")
    page.locator("#form-status").get_by_role("button", name="Undo").click()
    expect(page.locator(_field("spec.containers[0].name"))).to_have_value("web-app")
    expect(page.locator("#form-status")).to_have_text("Restored container web-app.")
    context.close()


def test_a_new_volume_is_offered_to_the_mounts(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    page.locator("#sec-f-spec-volumes > summary").click() if not page.locator(
        "#sec-f-spec-volumes[open]"
    ).count() else None
    _click_and_settle(page, page.get_by_role("button", name="+ Add volume"))
    expect(page.locator(_field("spec.volumes[1].name"))).to_be_focused()
    mount = page.locator(_field("spec.containers[1].volumeMounts[0].name"))
    expect(mount.locator("option[value='volume-1']")).to_have_count(1)
    expect(mount).to_have_value("logs")


def test_scrolling_stays_put_after_remove(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    before = _scroll_to(page, _field("spec.containers[1]"))
    _click_and_settle(page, page.get_by_role("button", name="Remove Mount 1: logs"))
    expect(page.locator("#add-f-spec-containers_1-volumeMounts")).to_be_focused()
    assert abs(page.evaluate("() => window.scrollY") - before) < 150
    _ready(page)


def test_a_select_that_reshapes_the_form_keeps_focus_and_the_page(page, live_server):
    _import(page, live_server, WEB_WITH_LOGGING)
    kind = page.locator("#f-spec-volumes_0--kind")
    before = _scroll_to(page, "#f-spec-volumes_0--kind")
    kind.focus()
    with page.expect_response(re.compile(r"/preview$")):
        kind.select_option("configMap")
    expect(page.locator(_field("spec.volumes[0].configMap.name"))).to_be_visible()
    expect(page.locator("#f-spec-volumes_0--kind")).to_be_focused()
    assert abs(page.evaluate("() => window.scrollY") - before) < 150


def test_a_fields_note_is_not_redrawn_when_its_words_stay_the_same(page, live_server):
    """The note is a live region: drawn again with the same words at each answer for its field
    (another key in the box, a Tab away), a screen reader said it again each time."""
    _blank(page, live_server)
    image = page.locator(_field("spec.containers[0].image"))
    image.fill("redis:7.2")
    note = page.locator("#note-" + _field("spec.containers[0].image")[1:])
    expect(note).to_contain_text("7.2")
    page.evaluate(
        """(id) => {
            window.noteChanges = 0;
            new MutationObserver((changes) => { window.noteChanges += changes.length; })
                .observe(document.getElementById(id), {childList: true, subtree: true,
                                                       characterData: true});
        }""",
        "note-" + _field("spec.containers[0].image")[1:],
    )
    with page.expect_response(re.compile(r"/preview$")):
        image.press("End")
        image.press("Space")  # an answer for the image again, its note unchanged
    with page.expect_response(re.compile(r"/preview$")):
        image.press("Backspace")
    page.wait_for_timeout(200)
    assert page.evaluate("window.noteChanges") == 0
    expect(note).to_contain_text("7.2")


def test_the_status_line_is_said_once_typing_pauses_not_at_every_key(page, live_server):
    """Typing "-two" after a name said "1 problem, QoS: not checked…" and then "Valid, QoS
    BestEffort…" one key later: the live region is busy while keys come."""
    _blank(page, live_server)
    status = page.locator("#pv-status")
    name = page.locator(_field("metadata.name"))
    name.press("End")
    name.press_sequentially("-two", delay=100)
    assert status.get_attribute("aria-busy") == "true"
    expect(status).not_to_have_attribute("aria-busy", "true", timeout=3000)
    expect(status).to_have_attribute("role", "status")


def test_a_mount_removed_takes_its_new_volume_and_undo_brings_both(page, live_server):
    _blank(page, live_server)
    page.locator("#sub-f-spec-containers_0-volumeMounts > summary").click()
    _click_and_settle(page, page.locator("#add-f-spec-containers_0-volumeMounts"))
    volume = page.locator(_field("spec.volumes[0].name"))
    expect(volume).to_have_value("data")
    _click_and_settle(page, page.get_by_role("button", name="Remove Mount 1: data"))
    status = page.locator("#form-status")
    expect(status).to_contain_text("Removed mount /data, and the empty volume data made for it.")
    expect(volume).to_have_count(0)
    expect(page.locator("#yaml-code")).not_to_contain_text("volumes")
    expect(page.locator("#add-f-spec-containers_0-volumeMounts")).to_be_focused()
    _click_and_settle(page, status.get_by_role("button", name="Undo"))
    expect(status).to_have_text("Restored mount /data, and the volume it mounts.")
    expect(volume).to_have_value("data")
    expect(page.locator("#yaml-code")).to_contain_text("emptyDir: {}")
    expect(page.locator("#status-valid")).not_to_contain_text("problem")


def test_undo_is_one_key_away_wherever_the_remove_was(page, live_server):
    """Undo's button is in the status line at the top of the form: a keyboard user who removed
    a mount far down it was dozens of Tabs away. Alt+Shift+Z presses it from anywhere."""
    _import(page, live_server, WEB_WITH_LOGGING)
    _, original = _yaml(page)
    _scroll_to(page, _field("spec.containers[1]"))
    _click_and_settle(page, page.get_by_role("button", name="Remove Mount 1: logs"))
    status = page.locator("#form-status")
    expect(status.locator("kbd")).to_have_text("Alt+Shift+Z")
    expect(page.locator("#add-f-spec-containers_1-volumeMounts")).to_be_focused()
    with page.expect_response(re.compile(r"/preview$")):
        page.keyboard.press("Alt+Shift+KeyZ")
    expect(status).to_contain_text("Restored mount /var/log.")
    expect(page.locator(_field("spec.containers[1].volumeMounts[0].mountPath"))).to_be_focused()
    assert _yaml(page)[1] == original
    page.keyboard.press("Alt+Shift+KeyZ")  # nothing left to undo: nothing is sent
    page.wait_for_timeout(300)
    assert _yaml(page)[1] == original
