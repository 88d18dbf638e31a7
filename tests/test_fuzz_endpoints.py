"""Junk thrown at every endpoint that reads what people send: never a server error, and each
request answers in bounded time and memory.

The Django test client re-raises any exception a view lets through, so a crash fails the test
with its traceback; an answer of 500 or more fails it too.
"""

import json
import time
import tracemalloc
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest
from tests.conftest import SEED

pytestmark = pytest.mark.django_db

SECONDS_PER_REQUEST = 5.0
PEAK_BYTES_PER_REQUEST = 64 * 1024 * 1024
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Scalars that have crashed YAML readers, number parsers or databases somewhere.
nasty_scalars = st.sampled_from(
    [
        ".inf",
        "-.inf",
        ".nan",
        "!!map a",
        "!!seq b",
        "!!str",
        "!!int x",
        "!!binary ====",
        "!!python/object:os.system ls",
        "9" * 4301,
        "1e400",
        "0x" + "f" * 200,
        '"\\0"',
        '"\\u0000"',
        "~",
        "y",
        "n",
        "0o777",
        "1:30",
        "2026-12-02",
        "*undefined",
        "&a [*a]",
        "<<: *x",
        "{",
        "- - - -",
        "? complex",
        "'",
        '"\\x',
        "\t",
    ]
)
yamlish_text = st.lists(
    st.one_of(
        nasty_scalars,
        st.text(max_size=40),
        st.sampled_from(["apiVersion: v1", "kind: Pod", "metadata:", "spec:", "containers:"]),
    ),
    max_size=12,
).map(lambda parts: "\n".join(f"{'  ' * (i % 3)}{part}" for i, part in enumerate(parts)))
documents = st.one_of(
    yamlish_text,
    nasty_scalars.map(lambda value: f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {value}}}\n"),
    nasty_scalars.map(
        lambda value: (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            f"spec:\n  terminationGracePeriodSeconds: {value}\n"
            "  containers:\n  - name: a\n    image: b\n"
            f"    resources: {{limits: {{cpu: {value}}}}}\n"
        )
    ),
    # The same values quoted: strings that reach the quantity parser, names and numbers as text.
    nasty_scalars.map(
        lambda value: (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            "spec:\n  containers:\n  - name: a\n    image: b\n"
            f"    resources: {{limits: {{cpu: {json.dumps(value)}}},"
            f" requests: {{memory: {json.dumps(value + 'Mi')}}}}}\n"
        )
    ),
    nasty_scalars.map(
        lambda value: (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
            f"spec:\n  replicas: {value}\n  selector: {{matchLabels: {{app: a}}}}\n"
            "  template:\n    metadata: {labels: {app: a}}\n"
            f"    spec: {{containers: [{{name: a, image: {json.dumps(value)}}}]}}\n"
        )
    ),
    st.binary(max_size=200).map(lambda data: data.decode("latin-1")),
)


def bounded(request: Callable[[], object]):
    """Runs one request and checks it stayed within the time and memory a request may use."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = request()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert response.status_code < 500, response.content[:500]
    assert elapsed < SECONDS_PER_REQUEST, f"took {elapsed:.1f} s"
    assert peak < PEAK_BYTES_PER_REQUEST, f"used {peak / 2**20:.0f} MiB"
    return response


@FUZZ
@given(body=documents, endpoint=st.sampled_from(["/api/v1/analyze", "/api/v1/normalize"]))
def test_the_api_answers_junk_with_a_report_or_a_400(client, body, endpoint):
    response = bounded(
        lambda: client.post(
            endpoint, body.encode("utf-8", "surrogatepass"), content_type="text/yaml"
        )
    )
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


@FUZZ
@given(body=documents)
def test_import_answers_junk_with_a_design_or_an_explanation(client, body):
    response = bounded(lambda: client.post(reverse("builder:import"), {"yaml": body}))
    assert response.status_code in (302, 400)


@pytest.fixture
def design(client) -> Design:
    text = (SEED / "my-app-pod.yaml").read_text()
    response = client.post(reverse("builder:import"), {"yaml": text})
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


FORM_NAMES = [name for name, _ in form_data(load_manifest((SEED / "my-app-pod.yaml").read_text()))]
form_values = st.one_of(
    nasty_scalars,
    st.text(max_size=60),
    st.sampled_from(["", "-1", "0", "2147483648", "99999999999999999999", "1.5", "abc\x00"]),
)
form_names = st.one_of(
    st.sampled_from(FORM_NAMES),
    st.sampled_from(FORM_NAMES).map(lambda name: name + "@unit"),
    st.sampled_from(FORM_NAMES).map(lambda name: name + "@kind"),
    st.text(max_size=30),
)
actions = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "add:spec.containers",
            "add:spec.initContainers",
            "add:spec.volumes",
            "remove:spec.containers[0]",
            "remove:spec.containers[99]",
            "add:spec.containers[0].ports",
            "remove:spec",
            "add:",
            "up:spec.containers[0]",
        ]
    ),
    st.text(max_size=40),
)


@FUZZ
@given(
    edits=st.dictionaries(form_names, form_values, max_size=6),
    action=actions,
    htmx=st.booleans(),
)
def test_the_builder_preview_answers_junk_edits(client, design, edits, action, htmx):
    data = {**edits, "action": action}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("builder:preview", args=[design.slug])
    response = bounded(lambda: client.post(url, data, **headers))
    assert response.status_code in (200, 302)
    design.refresh_from_db()
    assert isinstance(design.manifest, dict)


simulator_queries = st.dictionaries(
    st.sampled_from(
        [
            "preset",
            "duration",
            "healthy_after",
            "hangs_at",
            "response_time",
            "keep_outage",
            "liveness-on",
            "liveness-period",
            "readiness-timeout",
            "startup-failure_threshold",
            "story",
            "policy",
            "step",
        ]
    ),
    st.one_of(form_values, st.integers(-(10**30), 10**30).map(str)),
    max_size=8,
)


@FUZZ
@given(
    query=simulator_queries,
    path=st.sampled_from(
        [
            "/lessons/simulate/probes",
            "/lessons/simulate/lifecycle",
            "/lessons/probes/",
            "/lessons/lifecycle/",
        ]
    ),
)
def test_the_simulators_answer_junk_settings(client: Client, query, path):
    response = bounded(lambda: client.get(path, query, HTTP_HX_REQUEST="true"))
    assert response.status_code == 200
