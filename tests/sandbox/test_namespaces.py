"""Learner namespaces against the real cluster: the cap, reclaiming, and gc finishing deletions."""

import time
import uuid

import pytest

from podstudio.sandbox import actions
from podstudio.sandbox import namespaces as learner_namespaces
from podstudio.sandbox.namespaces import SandboxFull

pytestmark = pytest.mark.sandbox

STALE = "2000-01-01T00:00:00Z"


def mark_idle(cluster, namespace: str, since: str = STALE) -> None:
    answer = cluster.request(
        "PATCH",
        f"/api/v1/namespaces/{namespace}",
        body={"metadata": {"annotations": {learner_namespaces.LAST_ACTIVITY: since}}},
        content_type="application/merge-patch+json",
    )
    assert answer.ok, answer.body


def phase(admin, namespace: str) -> str:
    answer = admin.request("GET", f"/api/v1/namespaces/{namespace}")
    return answer.body["status"]["phase"] if answer.ok else "gone"


def active_learner_namespaces(cluster) -> int:
    items = learner_namespaces.learner_namespaces(cluster)
    return sum(1 for item in items if item["status"]["phase"] == "Active")


def wait_for(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return value


def test_a_full_sandbox_reclaims_the_longest_idle_namespace_first(
    settings, cluster, admin, namespaces
):
    older, old = namespaces.new(), namespaces.new()
    mark_idle(cluster, older, "2000-01-01T00:00:00Z")
    mark_idle(cluster, old, "2001-01-01T00:00:00Z")
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = active_learner_namespaces(cluster)
    settings.PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS = 3600
    newcomer = namespaces.new()
    assert phase(admin, older) in ("Terminating", "gone")
    assert phase(admin, old) == "Active"
    assert phase(admin, newcomer) == "Active"


def test_a_full_sandbox_with_nobody_idle_says_so(settings, cluster, admin, namespaces):
    busy = namespaces.new()
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = active_learner_namespaces(cluster)
    settings.PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS = 10**9  # nobody has been idle that long
    latecomer = learner_namespaces.namespace_for(f"test-{uuid.uuid4()}")
    with pytest.raises(SandboxFull, match="The sandbox is full"):
        learner_namespaces.ensure_namespace(namespace=latecomer, cluster=cluster)
    assert phase(admin, latecomer) == "gone"
    assert phase(admin, busy) == "Active"
    # A learner who has a namespace already keeps using it.
    assert learner_namespaces.ensure_namespace(namespace=busy, cluster=cluster) == busy


def stuck_pod(name: str) -> dict:
    """Pending for ever (no node has the label) and held by a finalizer nothing removes."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "finalizers": ["example.com/never-removed"]},
        "spec": {
            "nodeSelector": {"disktype": "floppy"},
            "containers": [{"name": "app", "image": "nginx:1.27"}],
        },
    }


def pod_deleting(cluster, namespace: str, name: str) -> bool:
    answer = cluster.request("GET", f"/api/v1/namespaces/{namespace}/pods/{name}")
    return answer.ok and bool(answer.body["metadata"].get("deletionTimestamp"))


def test_gc_finishes_a_namespace_held_by_a_pods_finalizer(cluster, admin, namespaces):
    namespace = namespaces.new()
    assert actions.apply(manifest=stuck_pod("held"), namespace=namespace, cluster=cluster).accepted
    assert cluster.request("DELETE", f"/api/v1/namespaces/{namespace}").ok
    assert wait_for(lambda: pod_deleting(cluster, namespace, "held")), "never marked for deletion"

    # Within its grace period, gc leaves the Pod alone: the namespace stays Terminating.
    result = learner_namespaces.gc(idle_seconds=3600, grace_seconds=3600, cluster=cluster)
    waiting = [f for f in result.finishing if f.namespace == namespace]
    assert waiting and waiting[0].remaining == 1 and not waiting[0].cleared
    assert phase(admin, namespace) == "Terminating"

    # Past it, gc removes the finalizer, then lets the namespace go.
    cleared = []

    def finished() -> bool:
        result = learner_namespaces.gc(idle_seconds=3600, grace_seconds=0, cluster=cluster)
        for finishing in result.finishing:
            if finishing.namespace == namespace:
                cleared.extend(finishing.cleared)
        return phase(admin, namespace) == "gone"

    assert wait_for(finished, timeout=40), f"{namespace} is still {phase(admin, namespace)}"
    assert cleared == ["held"]


def test_deleted_namespace_without_stuck_pods_is_finished_by_gc(cluster, admin, namespaces):
    namespace = namespaces.new()
    pod = {**stuck_pod("free"), "metadata": {"name": "free"}}
    assert actions.apply(manifest=pod, namespace=namespace, cluster=cluster).accepted
    assert cluster.request("DELETE", f"/api/v1/namespaces/{namespace}").ok

    def finished() -> bool:
        learner_namespaces.gc(idle_seconds=3600, cluster=cluster)
        return phase(admin, namespace) == "gone"

    assert wait_for(finished, timeout=40), f"{namespace} is still {phase(admin, namespace)}"


def test_a_returning_learner_finds_the_old_namespace_cleaned_up_then_a_new_one(
    cluster, admin, namespaces
):
    namespace = namespaces.new()
    assert cluster.request("DELETE", f"/api/v1/namespaces/{namespace}").ok

    def ready() -> bool:
        try:
            learner_namespaces.ensure_namespace(namespace=namespace, cluster=cluster)
        except learner_namespaces.SandboxBusy:
            return False
        return True

    assert wait_for(ready, timeout=40), "the namespace never finished"
    assert phase(admin, namespace) == "Active"
    assert actions.dry_run(
        manifest=stuck_pod("again"), namespace=namespace, cluster=cluster
    ).accepted
