"""What a file copied from `kubectl get -o yaml` does in a real cluster, as the findings say:
a Pod whose ownerReferences name an owner no object is (its uid came from another cluster, or
the owner is gone) is deleted by the garbage collector soon after it is created, and one whose
nodeName names a node that is gone never starts."""

import uuid

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import load_manifest
from podstudio.sandbox import actions
from tests.sandbox.test_views import wait_for
from tests.test_findings import COPIED_POD

pytestmark = pytest.mark.sandbox


def test_a_pod_with_a_copied_owner_reference_is_deleted_by_the_garbage_collector(
    cluster, namespaces
):
    namespace = namespaces.new()
    copied = load_manifest(COPIED_POD)
    assert "copied-owner-reference" in {finding.id for finding in analyze(copied).findings}
    plain = load_manifest(COPIED_POD)
    del plain["metadata"]["ownerReferences"]
    plain["metadata"]["name"] = "written-by-hand"
    pods = f"/api/v1/namespaces/{namespace}/pods"
    for pod in (copied, plain):
        answer = cluster.request("POST", pods, body=actions.prepare_pod(pod, namespace))
        assert answer.status == 201, answer.text  # the API server accepts both

    def copied_is_gone() -> bool:
        return cluster.request("GET", f"{pods}/{copied['metadata']['name']}").status == 404

    assert wait_for(copied_is_gone, timeout=90)
    # The same Pod without the reference stays: the reference is what the collector acted on.
    assert cluster.request("GET", f"{pods}/written-by-hand").status == 200


def test_a_pod_bound_to_a_node_by_name_skips_the_scheduler(admin):
    """spec.nodeName copied from `kubectl get -o yaml`: with no node of that name, nothing
    places the Pod anywhere else; without the field the scheduler puts it on a fake node."""
    from tests.sandbox.conftest import remove_namespace

    namespace = f"podstudio-node-name-{uuid.uuid4().hex[:8]}"
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    assert admin.request("POST", "/api/v1/namespaces", body=body).ok
    try:
        pods = f"/api/v1/namespaces/{namespace}/pods"
        pinned = load_manifest(COPIED_POD)
        del pinned["metadata"]["ownerReferences"]
        pinned["spec"]["nodeName"] = "worker-that-is-gone"
        assert "node-name" in {finding.id for finding in analyze(pinned).findings}
        free = load_manifest(COPIED_POD)
        del free["metadata"]["ownerReferences"]
        free["metadata"]["name"] = "scheduled"
        for pod in (pinned, free):
            answer = admin.request("POST", pods, body=actions.prepare_pod(pod, namespace))
            assert answer.status == 201, answer.text

        def phase(name: str) -> str:
            return admin.request("GET", f"{pods}/{name}").body.get("status", {}).get("phase", "")

        assert wait_for(lambda: phase("scheduled") == "Running", timeout=60)
        assert phase(pinned["metadata"]["name"]) == "Pending"
        node = admin.request("GET", f"{pods}/{pinned['metadata']['name']}").body["spec"]
        assert node["nodeName"] == "worker-that-is-gone"
    finally:
        remove_namespace(admin, namespace)
