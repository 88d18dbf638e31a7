"""A keystroke's answer re-sends only the preview sections whose content changed."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from podstudio.builder.models import Design
from tests.conftest import SEED

FORM = "application/x-www-form-urlencoded"


def _design(client) -> Design:
    client.post(reverse("builder:import"), {"yaml": (SEED / "my-app-pod.yaml").read_text()})
    return Design.objects.get()


def _preview(client, design, fields, shown=""):
    body = urlencode([*fields, ("_shown_sections", shown)])
    return client.post(
        reverse("builder:preview", args=[design.slug]),
        body,
        content_type=FORM,
        HTTP_HX_REQUEST="true",
    )


def _sections(html: str) -> set[str]:
    return set(re.findall(r'<div id="pv-([a-z]+)" hx-swap-oob="[a-zA-Z]+">', html))


def _shown(html: str) -> str:
    return re.search(r'id="shown-sections" value="([^"]*)"', html).group(1)


@pytest.mark.django_db
def test_first_answer_sends_every_section(client):
    design = _design(client)
    html = _preview(client, design, [("metadata.name", "first")]).content.decode()
    assert _sections(html) == {
        "status",
        "goals",
        "problems",
        "yaml",
        "diagram",
        "qos",
        "pss",
        "findings",
        "kept",
    }


@pytest.mark.django_db
def test_renaming_the_pod_resends_only_what_shows_the_name(client):
    design = _design(client)
    shown = _shown(_preview(client, design, [("metadata.name", "first")]).content.decode())
    response = _preview(client, design, [("metadata.name", "second")], shown)
    html = response.content.decode()
    assert response["HX-Reswap"] == "none"
    assert _sections(html) == {"yaml", "diagram"}
    yaml_section = html.split('id="pv-yaml"')[1].split('id="pv-diagram"')[0]
    assert "second" in yaml_section


@pytest.mark.django_db
def test_a_change_to_the_findings_resends_the_findings(client):
    design = _design(client)
    shown = _shown(_preview(client, design, [("metadata.name", "first")]).content.decode())
    image = "spec.containers[0].image"
    html = _preview(client, design, [(image, "my-app"), (f"{image}@tag", "latest")], shown)
    html = html.content.decode()
    assert "findings" in _sections(html)
    assert "latest" in html


@pytest.mark.django_db
def test_a_change_of_qos_class_resends_qos_and_status(client):
    design = _design(client)
    shown = _shown(_preview(client, design, [("metadata.name", "first")]).content.decode())
    # Requests equal to the limits (500m, 256Mi): the Pod becomes Guaranteed.
    requests = "spec.containers[0].resources.requests"
    fields = [
        (f"{requests}.cpu", "500"),
        (f"{requests}.cpu@unit", "m"),
        (f"{requests}.memory", "256"),
        (f"{requests}.memory@unit", "Mi"),
    ]
    html = _preview(client, design, fields, shown).content.decode()
    assert {"qos", "status"} <= _sections(html)
    assert "QoS Guaranteed" in html


@pytest.mark.django_db
def test_a_change_of_reasons_alone_leaves_the_status_badges_alone(client):
    design = _design(client)
    shown = _shown(_preview(client, design, [("metadata.name", "first")]).content.decode())
    cpu = "spec.containers[0].resources.requests.cpu"
    html = _preview(client, design, [(cpu, "300"), (f"{cpu}@unit", "m")], shown).content.decode()
    assert "qos" in _sections(html)
    assert "status" not in _sections(html)
