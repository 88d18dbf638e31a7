"""A limit set below its request is said at the limit field the learner typed in (the API
server says it at ``resources.requests``, a path the form has no field for), on the page and in
the live preview's answer, and the problems list jumps there."""

import re

import pytest
from django.urls import reverse

from podstudio.builder.edit import form_data
from podstudio.builder.models import Design

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MESSAGE = "256Mi: must be less than or equal to memory limit of 128Mi"
LIMIT_ERROR = "err-f-spec-containers_0-resources-limits-memory"
GROUP_ERROR = "err-f-spec-containers_0-resources"


def _errors_at(page: str) -> dict[str, str]:
    """Each field's error slot and the text in it."""
    found = re.finditer(r'<p class="field-error" id="([^"]+)"[^>]*>(.*?)</p>', page, re.S)
    return {match[1]: re.sub(r"<[^>]+>", "", match[2]).strip() for match in found}


def _blank(client) -> Design:
    client.post(reverse("builder:start"), {"blank": "1"})
    return Design.objects.get()


def _memory(client, design, request: str, limit: str, *, htmx=True, shown=""):
    data = dict(form_data(design.manifest))
    data.update(
        {
            "spec.containers[0].resources.requests.memory": request,
            "spec.containers[0].resources.requests.memory@unit": "Mi",
            "spec.containers[0].resources.limits.memory": limit,
            "spec.containers[0].resources.limits.memory@unit": "Mi",
            "_shown_errors": shown,
        }
    )
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}))


def test_the_live_preview_says_it_at_the_memory_limit(client):
    design = _blank(client)
    answer = _memory(client, design, "256", "128").content.decode()
    errors = _errors_at(answer)
    assert errors[LIMIT_ERROR] == MESSAGE
    assert errors.get(GROUP_ERROR, "") == ""  # not at the top of the Resources group
    # The answer's list of shown errors names the limit, so the next keystroke clears it there.
    assert re.search(
        r'id="shown-errors" value="[^"]*f-spec-containers_0-resources-limits-memory', answer
    )
    # The problems list links to the limit field.
    assert 'href="#f-spec-containers_0-resources-limits-memory"' in answer


def test_the_page_says_it_at_the_limit_and_marks_the_limit_invalid(client):
    design = _blank(client)
    _memory(client, design, "256", "128", htmx=False)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert _errors_at(page)[LIMIT_ERROR] == MESSAGE
    assert _errors_at(page)[GROUP_ERROR] == ""
    limit = re.search(r'<input[^>]+id="f-spec-containers_0-resources-limits-memory"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in limit


def test_raising_the_limit_clears_the_error_at_the_limit(client):
    design = _blank(client)
    _memory(client, design, "256", "128")
    design.refresh_from_db()
    shown = LIMIT_ERROR.removeprefix("err-")
    answer = _memory(client, design, "256", "512", shown=shown).content.decode()
    assert _errors_at(answer)[LIMIT_ERROR] == ""


def test_a_deployments_cpu_limit_below_its_request_is_said_at_the_cpu_limit(client):
    design = _blank(client)
    client.post(
        reverse("builder:preview", args=[design.slug]), {"action": "kind", "_kind": "Deployment"}
    )
    design.refresh_from_db()
    data = dict(form_data(design.manifest))
    base = "spec.template.spec.containers[0].resources"
    data.update(
        {
            f"{base}.requests.cpu": "500",
            f"{base}.requests.cpu@unit": "m",
            f"{base}.limits.cpu": "250",
            f"{base}.limits.cpu@unit": "m",
        }
    )
    answer = client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    errors = _errors_at(answer.content.decode())
    limit = "err-f-spec-template-spec-containers_0-resources-limits-cpu"
    assert errors[limit] == "500m: must be less than or equal to cpu limit of 250m"
