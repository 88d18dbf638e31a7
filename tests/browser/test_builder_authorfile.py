"""The author's file in Debian's Chromium: a commented manifest pasted into the import box,
three fields typed in, and the download differs from the paste in those three values only."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import load_manifest
from tests.browser.test_builder import _download, _field, _import
from tests.test_builder_authorfile import COMMENTED, _changed_lines

pytestmark = pytest.mark.django_db(transaction=True)


def _type(locator, text: str) -> None:
    """Replaces a field's value key by key, as a person does."""
    locator.click()
    locator.press("ControlOrMeta+a")
    locator.press_sequentially(text, delay=20)


def test_three_fields_typed_in_change_only_those_values_in_the_download(page, live_server):
    _import(page, live_server, COMMENTED)
    code = page.locator("#yaml-code")
    expect(code).to_contain_text("# DO NOT remove the seccomp profile")
    expect(page.locator("#yaml-form-note")).to_contain_text("Shown as you imported it")

    _type(page.locator(_field("spec.containers[0].image") + "--tag"), "1.28")
    expect(code).to_contain_text('image: "nginx:1.28"')
    memory = page.locator(_field("spec.containers[0].resources.limits.memory"))
    if not memory.is_visible():  # its section is closed: open it
        page.locator("#sub-" + _field("spec.containers[0].resources")[1:] + " > summary").click()
    _type(memory, "256")
    expect(code).to_contain_text('memory: "256Mi"   # measured under load')
    labels = page.locator(_field("metadata.labels"))
    labels.click()
    labels.press("End")
    _type_at_end = "\b" * len("front") + "back"
    for key in _type_at_end:
        labels.press("Backspace" if key == "\b" else key, delay=20)
    expect(code).to_contain_text("tier: 'back'")
    expect(page.locator("#save-status")).to_have_text("Saved.")

    name, _ = _download(page)
    assert name == "web-frontend.yaml"
    with page.expect_download() as info:
        page.locator("#download-link").click()
    # Pasted text keeps Unix line ends (a browser posts a textarea's lines with CRLF).
    text = Path(info.value.path()).read_bytes().decode()
    assert _changed_lines(COMMENTED, text) == [
        (
            "  labels: {app: \"web\", tier: 'front'}   # a flow map, quoted values\n",
            "  labels: {app: \"web\", tier: 'back'}   # a flow map, quoted values\n",
        ),
        ('    - image: "nginx:1.27"\n', '    - image: "nginx:1.28"\n'),
        (
            '          memory: "128Mi"   # measured under load\n',
            '          memory: "256Mi"   # measured under load\n',
        ),
    ]
    # The preview showed what was downloaded.
    assert code.text_content().rstrip("\n") == text.rstrip("\n")

    with page.expect_download() as info:
        page.locator("#download-canonical").click()
    canonical = Path(info.value.path()).read_text()
    assert canonical == dump_manifest(load_manifest(text))
    assert not re.search(r"#", canonical)
