"""Two requests that read the same version of a design are never both saved, the later over
the earlier: the save lands only on the version its request read (``builder.saving``).

Each race is played out in order: the first request is held after it has read the design
(after its "changed elsewhere" check), the second runs to its end, then the first goes on.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder import saving
from podstudio.builder.models import Design
from tests.conftest import builder_page_base

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TWO_DOCUMENTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
# kept as it is
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - name: shell
    image: busybox:1.36
"""


def _keystroke(client: Client, design: Design, base: str, page: str, seq: int, fields: dict):
    data = {"_base": base, "_edit": f"{page}:{seq}", **fields}
    return client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)


def _while_read(monkeypatch, meanwhile) -> None:
    """Runs ``meanwhile`` once, right after the next request has read the design."""
    original = saving.changed_elsewhere

    def read_then_wait(design, base, edit):
        answer = original(design, base, edit)
        monkeypatch.setattr(saving, "changed_elsewhere", original)
        meanwhile()
        return answer

    monkeypatch.setattr(saving, "changed_elsewhere", read_then_wait)


def _start(client: Client) -> Design:
    response = client.post(reverse("builder:start"), {"blank": "1"})
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_of_two_tabs_typing_at_once_the_later_save_is_refused_not_saved_over(client, monkeypatch):
    """Tab B read the design before tab A's keystroke was saved, and was saved after it: A's
    name was lost, and both tabs said "Saved."."""
    design = _start(client)
    base = builder_page_base(client, design.slug)
    tab_a = "aaaaaaaaaaaaaaaa"
    _while_read(
        monkeypatch,
        lambda: _keystroke(client, design, base, tab_a, 1, {"metadata.name": "from-tab-a"}),
    )
    tab_b = _keystroke(
        client, design, base, "bbbbbbbbbbbbbbbb", 1, {"spec.containers[0].image": "redis:7"}
    )
    assert tab_b["Podstudio-Not-Saved"].startswith("Not saved: this design was changed")
    assert tab_b["HX-Retarget"] == "#builder"  # drawn again with tab A's version
    assert "from-tab-a" in tab_b.content.decode()
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "from-tab-a"
    assert design.manifest["spec"]["containers"][0]["image"] != "redis:7"


def test_a_page_saves_its_own_keystrokes_in_order_while_one_is_still_running(client, monkeypatch):
    """The same page's earlier keystroke saved in between is no conflict; an older keystroke
    that arrives after a newer one is superseded, as before."""
    design = _start(client)
    base = builder_page_base(client, design.slug)
    page = "cccccccccccccccc"
    _while_read(
        monkeypatch,
        lambda: _keystroke(client, design, base, page, 1, {"metadata.name": "first"}),
    )
    newer = _keystroke(client, design, base, page, 2, {"metadata.name": "second"})
    assert newer.status_code == 200 and "Podstudio-Not-Saved" not in newer
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "second"
    _while_read(
        monkeypatch,
        lambda: _keystroke(client, design, base, page, 4, {"metadata.name": "fourth"}),
    )
    older = _keystroke(client, design, base, page, 3, {"metadata.name": "third"})
    assert older.status_code == 204 and older["Podstudio-Stale"] == "1"
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "fourth"


def test_a_keystroke_read_before_a_switch_of_document_is_not_saved_into_the_other(
    client, monkeypatch
):
    """Typing in the Deployment, then Edit on the Pod at once: the keystroke, saved after the
    switch, wrote the Deployment over the Pod's document (the file lost its Pod)."""
    response = client.post(reverse("builder:import"), {"yaml": TWO_DOCUMENTS})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    base = builder_page_base(client, design.slug)
    switch = reverse("builder:document", args=[design.slug])
    _while_read(monkeypatch, lambda: client.post(switch, {"document": "1"}))
    typed = _keystroke(
        client, design, base, "dddddddddddddddd", 1, {"metadata.name": "web-renamed"}
    )
    assert typed["Podstudio-Not-Saved"].startswith("Not saved: this design was changed")
    design.refresh_from_db()
    assert design.manifest["kind"] == "Pod" and design.manifest["metadata"]["name"] == "debug"
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == TWO_DOCUMENTS


def test_a_switch_of_document_read_before_a_keystroke_is_saved_keeps_the_keystroke(
    client, monkeypatch
):
    """The other order: the keystroke is saved while the switch is under way; the switch is
    refused with what to do, and the keystroke stays in its document."""
    response = client.post(reverse("builder:import"), {"yaml": TWO_DOCUMENTS})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    base = builder_page_base(client, design.slug)
    from podstudio.builder import files

    original = files.switched

    def switched_then_keystroke(held, index):
        answer = original(held, index)
        monkeypatch.setattr(files, "switched", original)
        _keystroke(client, design, base, "eeeeeeeeeeeeeeee", 1, {"metadata.name": "web-2"})
        return answer

    monkeypatch.setattr(files, "switched", switched_then_keystroke)
    switch = reverse("builder:document", args=[design.slug])
    page = client.post(switch, {"document": "1"}, follow=True).content.decode()
    assert "Not switched: this design was saved again while switching" in page
    design.refresh_from_db()
    assert design.manifest["kind"] == "Deployment"
    assert design.manifest["metadata"]["name"] == "web-2"
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == TWO_DOCUMENTS.replace("name: web\n", "name: web-2\n", 1)
    assert re.search(r"name: debug", download)


def test_a_page_whose_browser_lost_its_session_is_told_so_not_that_the_design_was_shared(
    client,
):
    """Cookies cleared (or the session expired) mid-work: the next keystroke makes a copy for
    the browser's new learner, and said "Saved as your own copy; the original stays as it is",
    as for a design someone shared."""
    design = _start(client)
    base = builder_page_base(client, design.slug)
    page = "ffffffffffffffff"
    _keystroke(client, design, base, page, 1, {"metadata.name": "mine"})
    client.cookies.clear()
    design.refresh_from_db()
    answer = _keystroke(client, design, design.revision, page, 2, {"metadata.name": "mine-2"})
    text = answer.content.decode()
    assert "this browser no longer knows you (its session expired or its cookies" in text
    assert "rejoin PIN" in text and "the original stays as it is" not in text
    stranger = Client()
    shared = _keystroke(
        stranger, design, design.revision, "0123456789abcdef", 1, {"metadata.name": "theirs"}
    ).content.decode()
    assert "Saved as your own copy; the original stays as it is." in shared
    assert "no longer knows you" not in shared


def test_a_post_that_names_no_version_is_saved_as_before(client, monkeypatch):
    """An older page (or a script) that posts no ``_base`` says nothing of the version it
    edits: it is saved, as the check of "changed elsewhere" lets it through."""
    design = _start(client)
    url = reverse("builder:preview", args=[design.slug])
    _while_read(
        monkeypatch,
        lambda: client.post(url, {"_edit": "aaaaaaaaaaaaaaaa:1", "metadata.name": "a"}, **HTMX),
    )
    later = client.post(url, {"_edit": "bbbbbbbbbbbbbbbb:1", "metadata.name": "b"}, **HTMX)
    assert later.status_code == 200 and "Podstudio-Not-Saved" not in later
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "b"
