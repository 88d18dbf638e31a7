"""Field docs from the OpenAPI schema, like kubectl explain, for every shipped version."""

import json

import pytest

from podstudio.builder.formfields import FIELDS
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
