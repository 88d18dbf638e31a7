"""Odd values typed or pasted into the builder's form, posted as builder.js posts a keystroke:
what is saved is what was typed (with the type the field needs), the download reads back as
the same values, and a value the form cannot use as typed says so at its field."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

COMMENTED = """\
# the web Pod
apiVersion: v1
kind: Pod
metadata:
  name: web   # keep
  labels: {app: web}
  annotations:
    note: hi
spec:
  nodeSelector:
    disk: ssd
  terminationGracePeriodSeconds: 30
  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 250m}
"""


def _import(client: Client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _keystroke(client: Client, design: Design, fields: dict) -> str:
    """What builder.js posts after typing in a field; the answer's HTML."""
    url = reverse("builder:preview", args=[design.slug])
    data = {**fields, "_shown_errors": "", "_shown_sections": ""}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Podstudio-Not-Saved" not in response
    design.refresh_from_db()
    return html.unescape(response.content.decode())


def _download(client: Client, design: Design, **query) -> dict:
    response = client.get(reverse("builder:download", args=[design.slug]), query)
    assert response.status_code == 200
    return load_manifest(response.content.decode())


def _note(answer: str, field_id: str) -> str:
    match = re.search(rf'id="note-{re.escape(field_id)}"[^>]*>(.*?)</', answer, re.S)
    return match[1] if match else ""


@pytest.mark.parametrize("name", ["metadata.labels", "metadata.annotations", "spec.nodeSelector"])
def test_a_pasted_key_over_1024_characters_downloads_as_yaml_that_reads_back(client, name):
    design = _import(client, COMMENTED)
    key = "x" * 1500
    _keystroke(client, design, {name: f"{key}=v\nb=c"})
    path = name.split(".")
    saved = design.manifest[path[0]][path[1]]
    assert saved == {key: "v", "b": "c"}
    for query in ({}, {"format": "canonical"}):
        assert _download(client, design, **query)[path[0]][path[1]] == saved
    assert design.manifest["metadata"]["name"] == "web"


@pytest.mark.parametrize("digits", ["١٢٣", "１２３"])
def test_digits_of_other_scripts_in_a_number_field_are_kept_as_typed_not_read_as_123(
    client, digits
):
    design = _import(client, COMMENTED)
    answer = _keystroke(client, design, {"spec.terminationGracePeriodSeconds": digits})
    assert design.manifest["spec"]["terminationGracePeriodSeconds"] == digits
    assert "must be an integer, got the string" in answer
    assert _download(client, design)["spec"]["terminationGracePeriodSeconds"] == digits


def test_arabic_indic_digits_with_millicores_are_not_read_as_a_fraction_of_a_cpu(client):
    design = _import(client, COMMENTED)
    name = "spec.containers[0].resources.requests.cpu"
    answer = _keystroke(client, design, {name: "١.٥", f"{name}@unit": "m"})
    assert design.manifest["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "١.٥m"
    assert "must be a quantity such as 500m or 2" in answer  # (no memory example for a CPU)


def test_a_map_line_with_no_key_or_a_key_given_twice_says_what_was_left_out(client):
    design = _import(client, COMMENTED)
    answer = _keystroke(client, design, {"metadata.labels": "app=web\n=v\napp=shop"})
    assert design.manifest["metadata"]["labels"] == {"app": "shop"}
    note = _note(answer, "f-metadata-labels")
    assert "Left out “=v”: it has no key before the =." in note
    assert "app is given more than once: only its last line is kept." in note
    # Written as it is read: nothing to say.
    answer = _keystroke(client, design, {"metadata.labels": "app=shop"})
    assert 'id="note-f-metadata-labels"' in answer
    assert _note(answer, "f-metadata-labels").strip() == ""


@pytest.mark.parametrize("value", ["yes", "no", "null", "~", "08", "1e3", "0o17", "1:20", "&a"])
def test_yaml_special_strings_in_a_label_value_read_back_as_the_same_strings(client, value):
    design = _import(client, COMMENTED)
    _keystroke(client, design, {"metadata.labels": f"app=web\nx={value}"})
    assert design.manifest["metadata"]["labels"] == {"app": "web", "x": value}
    assert _download(client, design)["metadata"]["labels"] == {"app": "web", "x": value}


def test_an_image_name_cleared_with_its_tag_left_in_the_tag_box_sets_no_image_and_says_why(
    client,
):
    design = _import(client, COMMENTED)
    name = "spec.containers[0].image"
    answer = _keystroke(client, design, {name: "  ", f"{name}@tag": "1.27"})
    assert "image" not in design.manifest["spec"]["containers"][0]
    assert "needs an image name before it" in _note(answer, "f-spec-containers_0-image")
    assert re.search(r"id=\"err-f-spec-containers_0-image\"[^>]*><span>[^<]+", answer)
    answer = _keystroke(client, design, {name: "redis", f"{name}@tag": "1.27"})
    assert design.manifest["spec"]["containers"][0]["image"] == "redis:1.27"
    assert _note(answer, "f-spec-containers_0-image").strip() == ""


@pytest.mark.parametrize(
    "name",
    [
        f"spec.containers[{'9' * 5000}].image",
        f"spec.containers[0].ports[{'9' * 5000}].containerPort",
        f"spec.containers[{'9' * 5000}].resources.limits.cpu@unit",
        "spec.containers[0].ports[5].containerPort",  # (made "ports: {}")
    ],
)
def test_a_field_posted_with_an_index_past_its_list_changes_nothing(client, name):
    """Python's int() refuses more than 4,300 digits; such an index was a server error."""
    design = _import(client, COMMENTED)
    before = _download(client, design)
    body = urlencode({name: "x", "_shown_errors": "", "_shown_sections": ""})
    url = reverse("builder:preview", args=[design.slug])
    form = "application/x-www-form-urlencoded"  # as htmx posts it
    response = client.post(url, body, content_type=form, **HTMX)
    assert response.status_code == 200
    assert _download(client, design) == before
