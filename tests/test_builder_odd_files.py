"""Files people write that the builder once got wrong: imported, edited and downloaded as the
author expects (only the edited value changes)."""

import pytest

from podstudio.builder.models import Design
from podstudio.engine.documents import read_documents
from tests.test_builder_authorfile import _changed_lines, _download, _import, _keystroke

pytestmark = pytest.mark.django_db


def test_a_pod_written_on_its_marker_line_imports_and_edits_in_place(client):
    text = (
        "--- {apiVersion: v1, kind: Pod, metadata: {name: a},"
        ' spec: {containers: [{name: web, image: "nginx:1.25"}]}}\n'
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
    )
    design = _import(client, text)
    assert design.manifest["metadata"]["name"] == "a"
    _keystroke(
        client,
        design,
        {"spec.containers[0].image": "nginx", "spec.containers[0].image@tag": "1.26"},
    )
    after = _download(client, design)
    assert [(old.count("1.25"), new.count("1.26")) for old, new in _changed_lines(text, after)] == [
        (1, 1)
    ]
    assert after.replace("1.26", "1.25") == text


VOLCANO_JOB = """\
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: training
spec:
  minAvailable: 1
  tasks:
  - replicas: 1
    name: worker
"""
DEPLOYMENT = """\
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
        image: nginx:1.25
"""


def test_a_custom_resource_named_job_is_kept_and_the_deployment_is_edited(client):
    """Volcano's Job is no batch/v1 Job: the builder once opened it in the Job form, full of
    errors about its own fields."""
    design = _import(client, f"{VOLCANO_JOB}---\n{DEPLOYMENT}")
    assert design.document == 1
    assert design.manifest["kind"] == "Deployment"
    page = client.get(f"/builder/d/{design.slug}/").content.decode()
    assert "Edit Job training" not in page  # no Edit button: it is kept as is
    assert 'aria-label="Edit Deployment web"' not in page  # the one being edited
    assert page.count('<span class="help">kept as is</span>') == 1


def test_a_file_with_only_a_custom_resource_says_what_it_found(client):
    response = client.post("/builder/import", {"yaml": VOLCANO_JOB})
    assert response.status_code == 400
    assert "Job training of batch.volcano.sh/v1alpha1" in response.content.decode()


EMPTY_RESOURCES = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    resources:   # to do
"""


def test_a_request_set_under_an_empty_resources_key_is_saved_and_downloaded(client):
    """The edit vanished while the page said "Saved."."""
    design = _import(client, EMPTY_RESOURCES)
    _keystroke(
        client,
        design,
        {
            "spec.containers[0].resources.requests.cpu": "250",
            "spec.containers[0].resources.requests.cpu@unit": "m",
        },
    )
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["resources"] == {"requests": {"cpu": "250m"}}
    after = _download(client, design)
    assert after.startswith(EMPTY_RESOURCES.removesuffix("    resources:   # to do\n"))
    assert "    resources:   # to do\n      requests:\n        cpu: 250m\n" in after


def test_a_helm_template_pasted_into_the_import_says_to_render_it_first(client):
    template = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"
    response = client.post("/builder/import", {"yaml": template})
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 4, column " in page
    assert "a template is YAML only once rendered" in page


def test_a_list_from_kubectl_get_says_how_to_import_one_of_its_items(client):
    """`kubectl get pods -o yaml` prints a List: the answer names its items and what to do."""
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web-1}\n"
        "  spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web-2}\n"
        "  spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        "metadata: {resourceVersion: ''}\n"
    )
    response = client.post("/builder/import", {"yaml": listed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "this List holds Pod web-1, Pod web-2" in page
    assert "paste one item on its own" in page
    assert 'name="split_lists"' in page
    # one of its items, pasted on its own, imports
    item = "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1}\n"
    item += "spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
    assert client.post("/builder/import", {"yaml": item}).status_code == 302


def test_a_list_is_imported_as_a_file_of_its_items_when_asked(client):
    """The button under a List's answer: each item becomes a document of its own, and the
    builder edits the first workload among them; the other documents are kept."""
    listed = (
        "# kubectl get all -o yaml\n"
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n"
        "  spec: {ports: [{port: 80}]}\n"
        "- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n"
        "  spec:\n    selector: {matchLabels: {app: web}}\n    template:\n"
        "      metadata: {labels: {app: web}}\n"
        "      spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        "metadata: {resourceVersion: ''}\n"
        "---\napiVersion: v1\nkind: ConfigMap  # kept\nmetadata: {name: c}\n"
    )
    response = client.post("/builder/import", {"yaml": listed, "split_lists": "1"})
    assert response.status_code == 302
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert design.manifest["kind"] == "Deployment" and design.document == 1
    _, documents = read_documents(design.source)
    assert [(d.kind, d.name) for d in documents] == [
        ("Service", "web"),
        ("Deployment", "web"),
        ("ConfigMap", "c"),
    ]
    assert design.source.startswith("# kubectl get all -o yaml\napiVersion: v1\nkind: Service\n")
    assert design.source.endswith(
        "---\napiVersion: v1\nkind: ConfigMap  # kept\nmetadata: {name: c}\n"
    )


def test_a_list_inside_a_list_is_named_and_split_in_kubectls_order(client):
    """kubectl applies the objects of a List inside a List too, breadth first."""
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: List\n  items:\n"
        "  - apiVersion: v1\n    kind: Pod\n    metadata: {name: inner}\n"
        "    spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}\n"
    )
    page = client.post("/builder/import", {"yaml": listed}).content.decode()
    assert "this List holds ConfigMap settings, Pod inner" in page
    response = client.post("/builder/import", {"yaml": listed, "split_lists": "1"})
    assert response.status_code == 302
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert (design.manifest["metadata"]["name"], design.document) == ("inner", 1)
    _, documents = read_documents(design.source)
    assert [(d.kind, d.name) for d in documents] == [("ConfigMap", "settings"), ("Pod", "inner")]


def test_a_utf16_list_upload_is_shown_as_text_and_splits(client):
    """PowerShell writes `kubectl get pods -o yaml > pods.yaml` as UTF-16: the refused List
    came back in the box as mojibake, and its split then failed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    listed = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web-1}\n"
        "  spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
    )
    upload = SimpleUploadedFile(
        "pods.yaml", "\ufeff".encode("utf-16-le") + listed.encode("utf-16-le")
    )
    page = client.post("/builder/import", {"upload": upload}).content.decode()
    assert "Cannot import pods.yaml: this List holds Pod web-1" in page
    assert "kind: List" in page and "metadata: {name: web-1}" in page
    response = client.post("/builder/import", {"yaml": listed, "split_lists": "1"})
    assert response.status_code == 302


def test_a_list_beside_other_documents_offers_its_split_too(client):
    listed = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
        "---\napiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web-1}\n"
        "  spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
    )
    page = client.post("/builder/import", {"yaml": listed}).content.decode()
    assert "document 2: this List holds Pod web-1" in page
    assert 'name="split_lists"' in page
    response = client.post("/builder/import", {"yaml": listed, "split_lists": "1"})
    assert response.status_code == 302


def test_an_empty_list_offers_nothing_to_split(client):
    response = client.post("/builder/import", {"yaml": "apiVersion: v1\nkind: List\nitems: []\n"})
    page = response.content.decode()
    assert response.status_code == 400 and "this List is empty" in page
    assert 'name="split_lists"' not in page


COPIED_FROM_CLUSTER = """\
# the web Pod, as `kubectl get pod -o yaml` printed it
apiVersion: v1
kind: Pod
metadata:
  annotations:
    team: web   # who to call
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Pod"}
  creationTimestamp: "2026-12-01T10:00:05Z"
  labels:
    app: web
  name: web-7d9c6b5f4-x2x9k
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: web-7d9c6b5f4
    uid: 3b0e6a0e-1c1e-4c5e-9a55-0f4b1f0c2d11
    controller: true
  resourceVersion: "123456"
  uid: 9f1c2a8e-5b7d-4e3a-8c1f-2d6e4b9a7c30
spec:
  containers:
  - image: nginx:1.27   # pinned
    name: web
status:
  phase: Running
  podIP: 10.244.0.5
"""


def test_what_the_cluster_wrote_into_a_copied_pod_goes_with_one_button(client):
    """The notice lists it, the button removes exactly it, and the author's comments and every
    other line of the file stay as they were."""
    from django.urls import reverse

    design = _import(client, COPIED_FROM_CLUSTER)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert 'id="cluster-written"' in page
    for path in ("metadata.resourceVersion", "metadata.uid", "status", "metadata.ownerReferences"):
        assert path in page
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(url, {"action": "clusterfields"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="cluster-written"' not in response.content.decode()
    assert "Removed what the cluster wrote" in response.content.decode()  # the form's status
    after = _download(client, design)
    kept = [
        line
        for line in COPIED_FROM_CLUSTER.splitlines(True)
        if not line.startswith(("  creationTimestamp", "  resourceVersion", "  uid", "status"))
        and not line.startswith(("  phase", "  podIP", "  ownerReferences", "  - apiVersion"))
        and not line.startswith(("    kind: R", "    name: web-7", "    uid", "    controller"))
        and "last-applied" not in line
        and '{"apiVersion"' not in line
    ]
    assert after == "".join(kept)
    # nothing left to remove: the button is gone, and pressing it again changes nothing
    design.refresh_from_db()
    assert (
        "clusterfields-action"
        not in client.get(reverse("builder:design", args=[design.slug])).content.decode()
    )
    client.post(url, {"action": "clusterfields"}, HTTP_HX_REQUEST="true")
    assert _download(client, design) == after
