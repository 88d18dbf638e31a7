"""Field docs from the OpenAPI schema, like kubectl explain, for every shipped version."""

import json
import re

import pytest

from podstudio.builder.formfields import FIELDS, pattern_of
from podstudio.engine import fielddocs
from podstudio.engine.fielddocs import UnknownFieldError, explain, field_docs
from podstudio.engine.schema import SUPPORTED_VERSIONS, UnknownVersionError


def test_the_shipped_docs_equal_a_fresh_build_from_the_schemas():
    shipped = json.loads(fielddocs.DATA_FILE.read_text("utf-8"))
    assert shipped == json.loads(json.dumps(fielddocs.build()))
    assert shipped["versions"] == list(SUPPORTED_VERSIONS)


def test_a_field_has_its_type_description_and_default():
    doc = explain("pod.spec.containers.ports.protocol", "1.37")
    assert doc["type"] == "string"
    assert doc["description"].startswith("Protocol for port.")
    assert doc["default"] == '"TCP"'
    assert doc["path"] == "pod.spec.containers.ports.protocol"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pod.spec.containers.readinessProbe", "Probe"),
        ("spec.containers[0].image", "string"),
        ("spec.containers[*].resources.limits", "map[string]Quantity"),
        ("spec.containers[0].resources.limits.memory", "Quantity"),
        ("spec.containers[0].ports[0].containerPort", "integer"),
        ("spec.containers.livenessProbe.httpGet.port", "IntOrString"),
        ("spec.containers", "[]Container"),
        ("metadata.labels[app.kubernetes.io/name]", "string"),
        ("pod.spec.volumes@kind", "[]Volume"),
        ("deployment.spec.template.spec.containers", "[]Container"),
        ("deploy.spec.replicas", "integer"),
        ("cronjob.spec.jobTemplate.spec.template.spec.restartPolicy", "string"),
        ("statefulset.spec.volumeClaimTemplates", "[]PersistentVolumeClaim"),
    ],
)
def test_paths_in_every_spelling_reach_their_field(path, expected):
    assert explain(path)["type"] == expected


def test_native_sidecars_need_1_29():
    sidecar_128 = explain("spec.initContainers[0].restartPolicy", "1.28")
    sidecar_129 = explain("pod.spec.initContainers.restartPolicy", "1.29")
    assert sidecar_128["since"] == "1.29" and not sidecar_128["available"]
    assert sidecar_129["available"] and "SidecarContainers" in sidecar_129["note"]
    assert explain("spec.initContainers[0].restartPolicy", "1.27")["available"] is False
    # on app containers the field is in the schema from 1.28 too, with no sidecar note
    assert explain("spec.containers[0].restartPolicy", "1.28")["note"] is None


def test_a_field_newer_than_the_chosen_version_says_since_when():
    doc = explain("spec.containers[0].resizePolicy", "1.26")
    assert doc["since"] == "1.27" and doc["available"] is False
    assert explain("spec.containers[0].resizePolicy", "1.27")["available"] is True


def test_deprecated_and_required_fields_say_so():
    assert explain("spec.serviceAccount")["deprecated"] is True
    assert explain("spec.serviceAccountName")["deprecated"] is False
    assert explain("spec.containers")["required"] is True
    assert explain("spec.containers[0].name")["required"] is True


def test_objects_list_their_fields():
    names = {field["name"] for field in explain("pod.spec.containers.readinessProbe")["fields"]}
    assert {"httpGet", "exec", "periodSeconds", "failureThreshold"} <= names


@pytest.mark.parametrize("path", ["spec.probe", "spec.containers[0].imag", "metadata.name.x"])
def test_unknown_fields_are_refused_with_their_place(path):
    with pytest.raises(UnknownFieldError, match="does not exist|no field|not a map"):
        explain(path)


def test_unknown_versions_are_refused():
    with pytest.raises(UnknownVersionError):
        explain("spec.containers", "1.12")


def test_every_form_field_has_docs_small_enough_to_embed():
    docs = field_docs(FIELDS, "1.37")
    assert set(docs) == set(FIELDS)
    assert all(doc["description"] for doc in docs.values())
    assert len(json.dumps(docs)) < 150_000
    assert docs["spec.containers[*].resources.limits.cpu"]["type"] == "Quantity"


# --- newer than a version, from the shipped schemas ------------------------------------------

SCHEMAS = fielddocs.DATA_FILE.parent / "schemadata"


def _has_field(version: str, definition: str, name: str) -> bool:
    """Whether the prepared schema of ``version`` (what validation uses) has the field."""
    schema = json.loads((SCHEMAS / f"{version}.json").read_text("utf-8"))
    return name in schema["$defs"][f"io.k8s.api.core.v1.{definition}"].get("properties", {})


@pytest.mark.parametrize(
    ("path", "definition", "name"),
    [
        ("spec.resources", "PodSpec", "resources"),  # Pod-level resources
        ("spec.containers[0].resizePolicy", "Container", "resizePolicy"),
        ("spec.containers[0].lifecycle.preStop.sleep", "LifecycleHandler", "sleep"),
        ("spec.schedulingGates", "PodSpec", "schedulingGates"),
        (
            "spec.containers[0].securityContext.appArmorProfile",
            "SecurityContext",
            "appArmorProfile",
        ),
    ],
)
def test_since_is_the_first_shipped_version_whose_schema_has_the_field(path, definition, name):
    since = explain(path)["since"]
    before = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.index(since) - 1]
    assert _has_field(since, definition, name)
    assert not _has_field(before, definition, name)
    assert explain(path, before)["available"] is False
    assert explain(path, since)["available"] is True
    # a field of every shipped version says nothing of a version
    assert explain("spec.hostUsers", SUPPORTED_VERSIONS[0])["since"] == SUPPORTED_VERSIONS[0]


def test_the_version_comes_from_podstudio_k8s_version_by_default(monkeypatch):
    monkeypatch.setenv("PODSTUDIO_K8S_VERSION", "1.31")
    doc = explain("spec.resources")
    assert doc["version"] == "1.31" and doc["available"] is False


def test_a_kind_can_be_named_apart_from_the_path():
    doc = explain("spec.replicas", "1.37", "Deployment")
    assert doc["path"] == "deployment.spec.replicas" and doc["type"] == "integer"
    assert doc["default"] == "1"
    assert explain("spec.template.spec.containers", kind="sts")["type"] == "[]Container"
    with pytest.raises(UnknownFieldError, match="unknown kind"):
        explain("spec.replicas", kind="Service")
    with pytest.raises(UnknownFieldError, match="of Deployment, not of Pod"):
        explain("deployment.spec.replicas", kind="Pod")


def test_a_misspelt_field_suggests_the_near_one():
    with pytest.raises(UnknownFieldError, match='did you mean "image"'):
        explain("spec.containers[0].imag")


# --- the docs one page embeds --------------------------------------------------------------------


def test_page_docs_read_back_as_explain_says():
    patterns = ["spec.containers[*].ports[*].protocol", "spec.initContainers[*].restartPolicy"]
    bundle = fielddocs.page_docs([*patterns, "spec.nope"], "pod", "1.28")
    assert bundle["version"] == "1.28"
    for pattern in patterns:
        doc = explain(pattern, "1.28")
        back = fielddocs.page_doc(bundle, pattern)
        assert back == {key: doc[key] for key in back}
    assert fielddocs.page_doc(bundle, "spec.nope") is None
    sidecar = fielddocs.page_doc(bundle, "spec.initContainers[*].restartPolicy")
    assert sidecar["since"] == "1.29" and not sidecar["available"]


def test_page_docs_store_each_description_once():
    bundle = fielddocs.page_docs(FIELDS, "pod", "1.37")
    assert len(bundle["texts"]) == len(set(bundle["texts"]))
    # containers and init containers share the Container type's texts
    image = fielddocs.page_doc(bundle, "spec.containers[*].image")["description"]
    assert image == fielddocs.page_doc(bundle, "spec.initContainers[*].image")["description"]
    assert sum(text == image for text in bundle["texts"]) == 1
    assert len(json.dumps(bundle, separators=(",", ":"))) < len(json.dumps(field_docs(FIELDS)))


def test_document_patterns_are_the_keys_the_schema_knows_down_to_maps():
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "containers": [{"name": "app", "resizePolicy": [{"resourceName": "cpu"}], "x": 1}],
            "volumes": [{"name": "data", "emptyDir": {}}],
        },
    }
    patterns = fielddocs.document_patterns(pod)
    assert "spec.containers[*].resizePolicy[*].resourceName" in patterns
    assert "spec.volumes[*].emptyDir" in patterns
    assert "metadata.labels" in patterns and "metadata.labels.app" not in patterns
    assert "spec.containers[*].x" not in patterns


# --- the builder page carries the docs ------------------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""

TWO_CONTAINERS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.31.0
    restartPolicy: Always
  containers:
  - name: app
    image: nginx:1.27
    resizePolicy:
    - resourceName: cpu
      restartPolicy: NotRequired
  - name: log
    image: busybox:1.36
"""


def _page(client, text: str):
    from django.urls import reverse

    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def _bundle(page: str) -> dict:
    blocks = re.findall(r'<script id="field-docs" type="application/json">(.*?)</script>', page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.django_db
def test_the_builder_page_carries_the_docs_of_every_field_it_shows(client, settings):
    settings.PODSTUDIO_K8S_VERSION = "1.37"
    page = _page(client, TWO_CONTAINERS)
    bundle = _bundle(page)
    names = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([a-z][^"@]*(?:@kind)?)"', page))
    names -= set(re.findall(r'<input type="hidden"[^>]* name="([^"]*)"', page))
    assert "spec.containers[1].image" in names and "spec.initContainers[0].restartPolicy" in names
    missing = [name for name in names if fielddocs.page_doc(bundle, pattern_of(name)) is None]
    assert missing == []
    image = fielddocs.page_doc(bundle, "spec.containers[*].image")
    assert image["description"] == explain("spec.containers[0].image", "1.37")["description"]
    # the YAML's keys the form does not edit have docs too (for the preview)
    resize = fielddocs.page_doc(bundle, "spec.containers[*].resizePolicy[*].restartPolicy")
    assert resize["type"] == "string"
    assert fielddocs.page_doc(bundle, "spec.containers")["type"] == "[]Container"


@pytest.mark.django_db
def test_each_description_is_in_the_page_once(client):
    page = _page(client, TWO_CONTAINERS)
    text = explain("spec.containers[0].image")["description"]
    assert page.count(json.dumps(text)[1:-1]) == 1  # three containers, one text


@pytest.mark.django_db
def test_the_page_says_which_fields_are_newer_than_the_version_checked(client, settings):
    settings.PODSTUDIO_K8S_VERSION = "1.28"
    bundle = _bundle(_page(client, TWO_CONTAINERS))
    assert bundle["version"] == "1.28"
    sidecar = fielddocs.page_doc(bundle, "spec.initContainers[*].restartPolicy")
    assert sidecar["since"] == "1.29" and not sidecar["available"]
    assert "SidecarContainers" in sidecar["note"]
    assert fielddocs.page_doc(bundle, "spec.containers[*].resizePolicy")["available"]
    settings.PODSTUDIO_K8S_VERSION = "1.26"
    bundle = _bundle(_page(client, TWO_CONTAINERS))
    resize = fielddocs.page_doc(bundle, "spec.containers[*].resizePolicy")
    assert resize["since"] == "1.27" and not resize["available"]


@pytest.mark.django_db
def test_a_workloads_page_has_docs_under_its_own_paths(client):
    bundle = _bundle(_page(client, DEPLOYMENT))
    assert bundle["kind"] == "deployment"
    assert fielddocs.page_doc(bundle, "spec.replicas")["default"] == "1"
    template_image = fielddocs.page_doc(bundle, "spec.template.spec.containers[*].image")
    assert template_image["description"].startswith("Container image name.")
    assert fielddocs.page_doc(bundle, "spec.containers[*].image") is None


@pytest.mark.django_db
def test_a_redrawn_form_carries_the_docs_again(client):
    from django.urls import reverse

    from podstudio.builder.edit import form_data
    from podstudio.builder.models import Design

    _page(client, TWO_CONTAINERS)
    design = Design.objects.get()
    url = reverse("builder:preview", args=[design.slug])
    data = dict(form_data(design.manifest))
    data["action"] = "add:spec.volumes"
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    design.refresh_from_db()
    # A volume's type reshapes the form: the whole builder is drawn again, docs included.
    data = dict(form_data(design.manifest))
    data["spec.volumes[0]@kind"] = "configMap"
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#builder"
    bundle = _bundle(response.content.decode())
    assert fielddocs.page_doc(bundle, "spec.volumes[*].name")["required"]
    assert fielddocs.page_doc(bundle, "spec.volumes[*].configMap.name")
