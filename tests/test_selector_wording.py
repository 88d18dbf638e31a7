"""A workload whose selector does not select its template's labels: the message says what to
do, at the template's labels (the API server's path), and the builder names the missing label."""

import html
import re

import pytest
import yaml
from django.urls import reverse

from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data
from podstudio.engine.analyze import analyze

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  selector:
    matchLabels: {app: shop, tier: web}
  template:
    metadata:
      labels: {app: store, tier: web}
    spec:
      containers:
      - name: shop
        image: nginx:1.27
"""
SAYS = (
    "`selector` does not match template `labels` (the Pods' labels must include every label "
    "of spec.selector, with the same value: add the missing ones to these labels, or change "
    "the selector to match them)"
)


@pytest.mark.parametrize(
    "kind, changes",
    [
        ("Deployment", {}),
        ("StatefulSet", {"serviceName": "shop"}),
        ("DaemonSet", {}),
        ("ReplicaSet", {}),
    ],
)
def test_the_engine_says_what_to_do_at_the_template_labels(kind, changes):
    manifest = yaml.safe_load(DEPLOYMENT)
    manifest["kind"] = kind
    manifest["spec"].update(changes)
    errors = [(e.path, e.message) for e in analyze(manifest).errors]
    assert ("spec.template.metadata.labels", SAYS) in errors


def test_a_replication_controller_too():
    manifest = yaml.safe_load(DEPLOYMENT)
    manifest.update(apiVersion="v1", kind="ReplicationController")
    manifest["spec"]["selector"] = {"app": "shop"}
    errors = [(e.path, e.message) for e in analyze(manifest).errors]
    assert ("spec.template.metadata.labels", SAYS) in errors


def _errors_at(page: str) -> dict[str, str]:
    found = re.finditer(r'<p class="field-error" id="([^"]+)"[^>]*>(.*?)</p>', page, re.S)
    return {m[1]: html.unescape(re.sub(r"<[^>]+>", "", m[2])).strip() for m in found}


def _import(client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    return Design.objects.get()


def test_the_builder_names_the_label_the_template_lacks_at_the_labels_field(client):
    design = _import(client, DEPLOYMENT)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    said = _errors_at(page)["err-f-spec-template-metadata-labels"]
    assert said == f"{SAYS}. Missing here: app=shop (these labels have app=store)."
    # The problems list says the same, with the path.
    assert "spec.template.metadata.labels" in page
    assert html.escape(f"{SAYS}. Missing here: app=shop") in page


def test_a_label_taken_out_is_named_as_you_type_and_the_error_goes_once_it_is_back(client):
    design = _import(
        client, DEPLOYMENT.replace("{app: store, tier: web}", "{app: shop, tier: web}")
    )
    url = reverse("builder:preview", args=[design.slug])
    data = dict(design_form_data(design.manifest))
    data["spec.template.metadata.labels"] = "app=shop"
    answer = client.post(url, data, **HTMX).content.decode()
    assert _errors_at(answer)["err-f-spec-template-metadata-labels"].endswith(
        "Missing here: tier=web."
    )
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    data["spec.template.metadata.labels"] = "app=shop\ntier=web"
    data["_shown_errors"] = "f-spec-template-metadata-labels"
    answer = client.post(url, data, **HTMX).content.decode()
    assert _errors_at(answer)["err-f-spec-template-metadata-labels"] == ""
