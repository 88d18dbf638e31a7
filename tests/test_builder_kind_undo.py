"""Undo after a change of kind: the status line that says what the wrap or unwrap did offers
Undo, which puts the design back exactly as it was (an imported file's text byte for byte),
with htmx and without JavaScript, once, and never over a later edit."""

import pytest
from django.urls import reverse

from podstudio.builder.files import render_file
from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

# An author's file: comments, flow style, quoting and key order the builder must keep.
FILE = """\
# the web tier
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # keep this comment
  labels: {app: web, team: "payments"}
spec:
  replicas: 3
  strategy: {type: Recreate}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: 'nginx:1.27'
        ports: [{containerPort: 8080}]
"""


def _import(client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client, design: Design, changes: dict, htmx: bool = True):
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    data.update(changes)
    extra = HTMX if htmx else {}
    return client.post(reverse("builder:preview", args=[design.slug]), data, **extra)


def _undo_button(page: str) -> bool:
    return 'name="action" value="undo-kind"' in page


def test_undo_after_unwrapping_an_imported_deployment_gives_back_its_text_byte_for_byte(client):
    design = _import(client, FILE)
    before_text = render_file(design)
    before_manifest = design.manifest
    page = _post(client, design, {"action": "kind", "_kind": "Pod"}).content.decode()
    assert "Now a Pod. Not kept, as a Pod has no place for them" in page
    assert _undo_button(page)
    design.refresh_from_db()
    assert design.manifest["kind"] == "Pod"
    assert render_file(design) != before_text

    page = _post(client, design, {"action": "undo-kind"}).content.decode()
    assert "Undone: a Deployment again, as it was before." in page
    assert 'name="spec.replicas"' in page  # the form is the Deployment's again
    assert not _undo_button(page)  # one step
    design.refresh_from_db()
    assert design.manifest == before_manifest
    assert render_file(design) == before_text
    download = client.get(reverse("builder:download", args=[design.slug]))
    assert download.content.decode() == before_text


def test_undo_after_wrapping_a_pod_without_javascript(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    before = design.manifest
    response = _post(client, design, {"action": "kind", "_kind": "CronJob"}, htmx=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Now a CronJob." in page
    assert _undo_button(page)

    response = _post(client, design, {"action": "undo-kind"}, htmx=False)
    page = client.get(response["Location"]).content.decode()
    assert "Undone: a Pod again, as it was before." in page
    design.refresh_from_db()
    assert design.manifest == before
    assert design.manifest["spec"].get("restartPolicy") is None  # the Job's Never went too


def test_undo_is_not_offered_over_a_later_edit(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    _post(client, design, {"action": "kind", "_kind": "Deployment"})
    design.refresh_from_db()
    _post(client, design, {"spec.replicas": "5"})
    design.refresh_from_db()
    assert design.manifest["spec"]["replicas"] == 5
    page = _post(client, design, {"action": "undo-kind"}).content.decode()
    assert "Nothing to undo: the design has changed since its kind did" in page
    design.refresh_from_db()
    assert design.manifest["kind"] == "Deployment"
    assert design.manifest["spec"]["replicas"] == 5


def test_a_page_drawn_later_does_not_offer_undo_without_its_message(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    _post(client, design, {"action": "kind", "_kind": "Job"})
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert not _undo_button(page)


def test_undo_restores_a_change_of_kind_in_a_file_without_a_selector(client):
    """The design's selector (set by the first change of kind) was dropped on every post that
    kept the file's labels, Undo's included: Undo then found the design changed and did nothing,
    leaving a Deployment the API server refuses."""
    design = _import(
        client,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
        "    metadata: {labels: {app: web, tier: fe}}\n"
        "    spec: {containers: [{name: web, image: nginx}]}\n",
    )
    _post(client, design, {"action": "kind", "_kind": "StatefulSet"})
    _post(client, design, {"action": "kind", "_kind": "Deployment"})
    html = _post(client, design, {"action": "undo-kind"}).content.decode()
    design.refresh_from_db()
    assert "Undone: a StatefulSet again" in html
    assert design.manifest["kind"] == "StatefulSet"
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "web", "tier": "fe"}}
