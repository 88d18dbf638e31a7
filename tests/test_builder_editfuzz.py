"""Form edits found wrong by fuzzing the builder on real files (kubernetes/examples, istio,
kube-prometheus): import, a few edits, download; each test is one cause, minimized."""

import difflib

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder import files
from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data
from podstudio.engine.documents import read_documents
from podstudio.engine.textedit import same

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _import(client: Client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client: Client, design: Design, data: dict) -> None:
    url = reverse("builder:preview", args=[design.slug])
    assert client.post(url, data, **HTMX).status_code == 200
    design.refresh_from_db()


def _keystroke(client: Client, design: Design, fields: dict) -> None:
    _post(client, design, {**fields, "_shown_errors": "", "_shown_sections": ""})


def _download(client: Client, design: Design) -> str:
    text = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    _, documents = read_documents(text)
    assert same(documents[design.document].data, design.manifest)
    assert files.shown(design)[1]  # the author's text kept, not written anew
    return text


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    pairs = []
    old, new = before.splitlines(True), after.splitlines(True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            assert tag == "replace" and i2 - i1 == j2 - j1, (old[i1:i2], new[j1:j2])
            pairs += list(zip(old[i1:i2], new[j1:j2], strict=True))
    return pairs


VSPHERE = """\
apiVersion: v1
kind: Pod
metadata:
  name: test-vmdk
spec:
  containers:
  - image: registry.k8s.io/test-webserver
    name: test-container
    volumeMounts:
    - mountPath: "/test-vmdk"
      name: test-volume
  volumes:
  - name: test-volume
    # This VMDK volume must already exist.
    vsphereVolume:
      volumePath: "[DatastoreName] volumes/myDisk"
      fsType: ext4
"""


@pytest.mark.parametrize("kind", ["DaemonSet", "Job", "CronJob"])
def test_an_edit_after_a_change_of_kind_keeps_the_moved_specs_comments_and_quotes(client, kind):
    """The Pod's spec moves into the template as written; an edit inside it afterwards (a
    volume renamed, a Job's restartPolicy) changed the spec, which was then written anew in
    canonical order: the comment and the quotes of the values beside the edit were gone."""
    design = _import(client, VSPHERE)
    _post(client, design, {"action": "kind", "_kind": kind})
    wrapped = _download(client, design)
    assert "# This VMDK volume must already exist." in wrapped
    prefix = "spec.jobTemplate.spec.template" if kind == "CronJob" else "spec.template"
    _keystroke(client, design, {f"{prefix}.spec.volumes[0].name": "disk"})
    _keystroke(client, design, {f"{prefix}.spec.containers[0].volumeMounts[0].name": "disk"})
    edited = _download(client, design)
    assert [(old.strip(), new.strip()) for old, new in _changed_lines(wrapped, edited)] == [
        ("name: test-volume", "name: disk"),
        ("- name: test-volume", "- name: disk"),
    ]
    # Back to a Pod (it keeps the labels the change of kind gave it): the spec as written.
    _post(client, design, {"action": "kind", "_kind": "Pod"})
    back = _download(client, design)
    assert "  - name: disk\n    # This VMDK volume must already exist.\n" in back
    assert '    - mountPath: "/test-vmdk"\n      name: disk\n' in back
    data = dict(design_form_data(design.manifest))
    _post(client, design, data)
    assert _download(client, design) == back


LOKI = """\
apiVersion: v1
kind: Pod
metadata:
  name: loki
spec:
  containers:
    - name: loki
      image: grafana/loki:3.5.0
      resources:  # sized by the chart
        {}
"""


def test_a_value_below_its_keys_comment_keeps_the_comment_when_it_is_written_anew(client):
    """``resources:  # note`` with ``{}`` on the line below (as Helm renders an empty map):
    a request set in the form wrote the map from the colon on, and the comment went."""
    design = _import(client, LOKI)
    memory = "spec.containers[0].resources.requests.memory"
    _keystroke(client, design, {memory: "64", f"{memory}@unit": "Mi"})
    assert _download(client, design).endswith(
        "      resources:  # sized by the chart\n        requests:\n          memory: 64Mi\n"
    )


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ({"k": 1}, "a:  # c\n  # d\n  {k: 1}\nb: 1\n"),
        ("x", "a:  # c\n  # d\n  x\nb: 1\n"),
        ({"k": [1]}, "a:  # c\n  # d\n  k:\n  - 1\nb: 1\n"),
    ],
)
def test_rewrite_keeps_the_comments_between_a_key_and_its_replaced_value(new, expected):
    from podstudio.engine.textedit import rewrite

    text = "a:  # c\n  # d\n  [z]\nb: 1\n"  # a flow list: written anew as another shape
    assert rewrite(text, 0, {"a": new, "b": 1}, check=True) == expected
    crlf = text.replace("\n", "\r\n")
    assert rewrite(crlf, 0, {"a": new, "b": 1}, check=True) == expected.replace("\n", "\r\n")


VLLM = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  replicas: 1
  selector:
    matchLabels:
      app: gemma-server
  template:
    metadata:
      labels:
        app: gemma-server
    spec:
      containers:
      - name: inference-server
        image: vllm/vllm-openai:v0.11.0
      volumes:
      - name: dshm
        emptyDir:
            medium: Memory
      # Node selectors differ among the cloud providers:
      #
      # - GKE
      # nodeSelector:
      #   cloud.google.com/gke-accelerator: nvidia-l4
"""


def test_unwrapping_a_workload_keeps_the_comments_that_close_its_pod_spec(client):
    """Comment lines after the last entry of the template's spec (settings to choose from, at
    the spec's indentation) went with the template when the Deployment became a Pod."""
    design = _import(client, VLLM)
    _post(client, design, {"action": "kind", "_kind": "Pod"})
    unwrapped = _download(client, design)
    assert unwrapped.endswith(
        "  volumes:\n  - name: dshm\n    emptyDir:\n        medium: Memory\n"
        "  # Node selectors differ among the cloud providers:\n  #\n  # - GKE\n"
        "  # nodeSelector:\n  #   cloud.google.com/gke-accelerator: nvidia-l4\n"
    )
    _post(client, design, {"action": "kind", "_kind": "Deployment"})
    again = _download(client, design)
    assert _changed_lines(VLLM, again) == [("  replicas: 1\n", "  replicas: 2\n")]
