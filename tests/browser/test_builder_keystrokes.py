"""The live preview sends only the fields a learner edited, and loses no edit on the way."""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from podstudio.builder.models import Design
from tests.browser.test_builder import _field, _import, _ready
from tests.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)


def _preview_bodies(page) -> list[dict]:
    """The form data of every preview request the page sends from now on, in order."""
    bodies: list[dict] = []
    page.on(
        "request",
        lambda r: (
            bodies.append(parse_qs(r.post_data or "")) if r.url.endswith("/preview") else None
        ),
    )
    return bodies


def test_a_keystroke_posts_only_the_edited_field(page, live_server):
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    bodies = _preview_bodies(page)
    page.locator(_field("metadata.name")).fill("renamed-pod")
    expect(page.locator("#yaml-code")).to_contain_text("name: renamed-pod")
    assert bodies, "no preview request was sent"
    edited = {
        name
        for name in bodies[-1]
        if not name.startswith(("csrfmiddlewaretoken", "_shown_", "_edit", "_base"))
    }
    assert edited == {"metadata.name"}
    # Every field the learner did not touch is still in the saved design.
    manifest = Design.objects.get().manifest
    assert manifest["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "500m"
    assert manifest["metadata"]["labels"]["version"] == "1.0"


def test_quick_edits_in_two_fields_both_land(page, live_server):
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    # Two edits inside one debounce window: the request that follows must carry both.
    page.locator(_field("metadata.name")).fill("quick-one")
    page.locator(_field("metadata.namespace")).fill("quick-two")
    expect(page.locator("#yaml-code")).to_contain_text("namespace: quick-two")
    expect(page.locator("#yaml-code")).to_contain_text("name: quick-one")
    page.reload()
    expect(page.locator(_field("metadata.name"))).to_have_value("quick-one")
    expect(page.locator(_field("metadata.namespace"))).to_have_value("quick-two")


def test_each_request_is_numbered_so_an_older_one_never_lands_over_a_newer(page, live_server):
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    bodies = _preview_bodies(page)
    for name in ("first-name", "second-name"):
        page.locator(_field("metadata.name")).fill(name)
        expect(page.locator("#yaml-code")).to_contain_text(f"name: {name}")
    marks = [body["_edit"][0] for body in bodies]
    pages = {mark.split(":")[0] for mark in marks}
    numbers = [int(mark.split(":")[1]) for mark in marks]
    assert len(pages) == 1 and len(next(iter(pages))) == 16
    assert numbers == sorted(set(numbers)) and len(numbers) >= 2
    design = Design.objects.get()
    assert (design.edit_page, design.edit_seq) == (pages.pop(), numbers[-1])
    # A new page load is a new page: its first edit is saved though its number is 1 again.
    page.reload()
    page.locator(_field("metadata.name")).fill("after-reload")
    expect(page.locator("#yaml-code")).to_contain_text("name: after-reload")
    assert Design.objects.get().manifest["metadata"]["name"] == "after-reload"


def test_a_second_tab_with_an_older_form_saves_nothing_over_the_first(page, live_server):
    """Two tabs on one design. The second still shows the design as it opened: a keystroke
    there, or its Add button (which posts that whole form), would undo the first tab's edit. It
    saves nothing, shows the newer version and says so; its next edit works on that version."""
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    second = page.context.new_page()
    second.goto(page.url)
    _ready(second)
    image = _field("spec.containers[0].image")
    page.locator(image).fill("registry.example/shop")
    expect(page.locator("#yaml-code")).to_contain_text("registry.example/shop")
    second.locator(_field("metadata.name")).press("End")
    second.keyboard.type("-b")
    expect(second.locator("#save-status")).to_contain_text("changed somewhere else")
    expect(second.locator(image)).to_have_value("registry.example/shop")
    expect(second.locator(_field("metadata.name"))).to_have_value("my-app-pod")
    expect(second.locator(".builder-head .pod-name")).to_have_text("my-app-pod")
    # filled again after the swap, so that screen readers announce it
    expect(second.locator("#save-status:not([data-announce])")).to_contain_text("changed")
    assert Design.objects.get().manifest["metadata"]["name"] == "my-app-pod"

    page.locator(image).fill("registry.example/shop-two")
    expect(page.locator("#yaml-code")).to_contain_text("registry.example/shop-two")
    second.get_by_role("button", name="+ Add container").click()
    expect(second.locator(image)).to_have_value("registry.example/shop-two")
    expect(second.locator("#save-status")).to_contain_text("changed somewhere else")
    design = Design.objects.get()
    assert design.manifest["spec"]["containers"][0]["image"].startswith("registry.example/shop-two")
    assert len(design.manifest["spec"]["containers"]) == 1

    second.get_by_role("button", name="+ Add container").click()
    expect(second.locator(_field("spec.containers[1].name"))).to_be_visible()
    expect(second.locator("#save-status")).to_have_text("Saved.")
    second.wait_for_timeout(200)  # the refusal, filled again for screen readers, stays gone
    expect(second.locator("#save-status")).to_have_text("Saved.")
    design = Design.objects.get()
    assert len(design.manifest["spec"]["containers"]) == 2
    assert design.manifest["spec"]["containers"][0]["image"].startswith("registry.example/shop-two")


def test_a_tab_brought_back_to_the_front_shows_what_another_tab_saved(page, live_server):
    """Coming back to a tab whose design was saved elsewhere meanwhile draws its builder again,
    so that the next keystroke there is saved, not refused."""
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    second = page.context.new_page()
    second.goto(page.url)
    _ready(second)
    with second.expect_response(lambda r: "/fresh?" in r.url) as asked:
        second.evaluate("window.dispatchEvent(new Event('focus'))")  # nothing changed yet
    assert asked.value.status == 204
    expect(second.locator("#save-status")).to_have_text("")  # nothing saved yet

    image = _field("spec.containers[0].image")
    page.locator(image).fill("registry.example/shop")
    expect(page.locator("#yaml-code")).to_contain_text("registry.example/shop")
    with second.expect_response(lambda r: "/fresh?" in r.url) as asked:
        second.evaluate("window.dispatchEvent(new Event('focus'))")
    assert asked.value.status == 200
    expect(second.locator(image)).to_have_value("registry.example/shop")
    expect(second.locator("#save-status")).to_contain_text("since this page showed it. The form")

    second.locator(_field("metadata.name")).fill("named-in-tab-two")
    expect(second.locator("#save-status")).to_have_text("Saved.")
    manifest = Design.objects.get().manifest
    assert manifest["metadata"]["name"] == "named-in-tab-two"
    assert manifest["spec"]["containers"][0]["image"].startswith("registry.example/shop")


def test_a_slow_save_says_saving_until_it_is_saved(page, live_server):
    """The status never says "Saved." for an edit still on its way: a save that takes longer
    than half a second shows "Saving…" until its answer comes."""
    import time

    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    status = page.locator("#save-status")
    expect(status).to_have_text("")  # nothing is saved on opening

    def slow(route):
        time.sleep(1.5)
        route.continue_()

    page.route("**/preview", slow)
    page.locator(_field("metadata.name")).fill("slowly-renamed")
    expect(status).to_have_text("Saving…")
    expect(page.locator("#yaml-code")).to_contain_text("name: slowly-renamed")
    expect(status).to_have_text("Saved.")
    assert Design.objects.get().manifest["metadata"]["name"] == "slowly-renamed"


def test_typing_on_against_a_server_that_does_not_answer_says_saving_not_saved(page, live_server):
    """Each keystroke restarted the half second before "Saving…": a learner typing on against
    a frozen server saw "Saved." the whole time."""
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    held = []
    page.route("**/preview", lambda route: held.append(route))  # never answered while held
    status = page.locator("#save-status")
    name = page.locator(_field("metadata.name"))
    name.press("End")
    name.press_sequentially("-typed-on", delay=200)  # 1.6 s, each key's request sent
    assert status.text_content() == "Saving…"  # said while the typing goes on
    assert len(held) > 3  # (the requests are dropped with the page)


def test_keystrokes_typed_while_the_server_is_down_do_not_lengthen_the_wait_for_a_retry(
    page, live_server
):
    """Every failed keystroke doubled the wait, so a few seconds of typing meant "Retrying in
    15 s"; now it grows with each retry that fails, and the edits are saved once it answers."""
    _import(page, live_server, (SEED / "my-app-pod.yaml").read_text())
    page.route("**/preview", lambda route: route.abort())
    status = page.locator("#save-status")
    name = page.locator(_field("metadata.name"))
    name.press("End")
    name.press_sequentially("-while-", delay=200)  # each key's request sent, and failed
    name.press_sequentially("down", delay=20)
    # 7 keys failed in 1.4 s, and maybe the first retry (after 1 s): 1 or 2 s, not 15 s.
    assert re.search(r"Retrying in [12] s", status.text_content())
    expect(status).to_contain_text("Retrying in 4 s")  # the second retry failed too
    page.unroute("**/preview")
    expect(status).to_have_text("Saved.", timeout=10_000)
    assert Design.objects.get().manifest["metadata"]["name"].endswith("-while-down")
