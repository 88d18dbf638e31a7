"""deploy/app/ as a real API server sees it: every document applied (server-side, dry run) into a
namespace that enforces, and warns about, Pod Security ``restricted``."""

import copy
import uuid
from pathlib import Path

import pytest
import yaml

from podstudio.sandbox.client import path

pytestmark = pytest.mark.sandbox

APP = Path(__file__).resolve().parents[2] / "deploy" / "app"
RESTRICTED = {
    f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "warn", "audit")
}


def documents() -> list[dict]:
    found = []
    for file in sorted(APP.glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(file.read_text()) if doc]
    return found


@pytest.fixture
def cluster(admin):
    """Deploying Pod Studio itself is the cluster admin's work: Pod Studio's own identity may
    touch learner namespaces only (deploy/cluster/)."""
    return admin


@pytest.fixture
def restricted_namespace(cluster):
    """A namespace of its own (not ``podstudio-*``, so sandbox gc leaves it alone)."""
    name = f"deploy-test-{uuid.uuid4().hex[:10]}"
    body = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": RESTRICTED},
    }
    created = cluster.request("POST", "/api/v1/namespaces", body=body)
    assert created.status == 201, created.text
    yield name
    cluster.request("DELETE", path("api", "v1", "namespaces", name))


def collection(cluster, document: dict, namespace: str) -> str:
    """The API path of the document's kind in ``namespace``, from the server's discovery."""
    version = document["apiVersion"]
    base = path("api", version) if "/" not in version else path("apis", *version.split("/"))
    listing = cluster.request("GET", base)
    assert listing.ok, listing.text
    for resource in listing.body["resources"]:
        if resource["kind"] == document["kind"] and "/" not in resource["name"]:
            assert resource["namespaced"], f"{document['kind']} is not namespaced"
            return f"{base}{path('namespaces', namespace, resource['name'])}"
    raise AssertionError(f"the server does not serve {document['kind']} in {version}")


def dry_run_apply(cluster, document: dict, namespace: str):
    """``kubectl apply --server-side --dry-run=server --validate=strict``, as one request."""
    url = f"{collection(cluster, document, namespace)}{path(document['metadata']['name'])}"
    return cluster.request(
        "PATCH",
        url,
        query={"dryRun": "All", "fieldManager": "podstudio-tests", "fieldValidation": "Strict"},
        body=document,
        content_type="application/apply-patch+yaml",
    )


def test_the_folder_holds_the_documents_the_readme_names():
    kinds = sorted(document["kind"] for document in documents())
    assert kinds == ["ConfigMap", "CronJob", "Deployment", "Job", "PodDisruptionBudget", "Service"]


@pytest.mark.parametrize("document", documents(), ids=lambda doc: doc["kind"])
def test_the_api_server_accepts_each_document_without_warnings(
    cluster, restricted_namespace, document
):
    answer = dry_run_apply(cluster, document, restricted_namespace)
    assert answer.status in (200, 201), answer.text
    assert answer.warnings == []
    assert answer.body["metadata"]["namespace"] == restricted_namespace


@pytest.mark.parametrize("kind", ["Deployment", "Job", "CronJob"])
def test_the_pods_they_make_pass_enforce_restricted(cluster, restricted_namespace, kind):
    """Enforcement applies to Pods, not to their templates: the Pod itself is admitted too."""
    (workload,) = [document for document in documents() if document["kind"] == kind]
    spec = workload["spec"]["jobTemplate"]["spec"] if kind == "CronJob" else workload["spec"]
    template = spec["template"]
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {**template["metadata"], "name": f"{workload['metadata']['name']}-pod"},
        "spec": template["spec"],
    }
    answer = dry_run_apply(cluster, pod, restricted_namespace)
    assert answer.status in (200, 201), answer.text
    assert answer.warnings == []


def test_the_namespace_does_warn_about_a_template_that_is_not_restricted(
    cluster, restricted_namespace
):
    """The check above can fail: the same Deployment without runAsNonRoot draws a warning."""
    (deployment,) = [document for document in documents() if document["kind"] == "Deployment"]
    weakened = copy.deepcopy(deployment)
    del weakened["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]
    answer = dry_run_apply(cluster, weakened, restricted_namespace)
    assert answer.ok, answer.text
    assert any("runAsNonRoot" in warning for warning in answer.warnings), answer.warnings
