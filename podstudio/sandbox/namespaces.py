"""Learner namespaces in the sandbox cluster: made on first use, reclaimed, and always finished.

Each learner works in one namespace, ``podstudio-<hash of the learner's key>``, that the learner
never chooses. It is created on first use with Pod Security Admission labels, a ResourceQuota, a
LimitRange and a last-activity annotation that ``gc`` and the namespace cap read.

Pod Studio's cluster identity (deploy/cluster/) may manage namespaces cluster-wide, but it has
rights on Pods only through the RoleBinding ``podstudio`` it creates in each learner namespace.
That RoleBinding carries a finalizer, so those rights outlive the namespace's other content while
the namespace is deleted: ``gc`` can still clear a learner Pod's stuck finalizers, and then lets
the RoleBinding, and with it the namespace, go. A namespace never stays Terminating.
"""

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings

from podstudio.sandbox.client import (
    ApiAnswer,
    Cluster,
    SandboxUnavailable,
    get_cluster,
    path,
    seconds_left,
)

MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY = "podstudio"
LAST_ACTIVITY = "podstudio.dev/last-activity"
CLASSROOM_LABEL = "podstudio.dev/classroom"  # the join code of the learner's classroom
SET_UP = "podstudio.dev/set-up"  # "true" once the quota, limits and RoleBinding exist
NAMESPACE_PREFIX = "podstudio-"
FIELD_MANAGER = "podstudio"
QUOTA_NAME = "podstudio-quota"
LIMIT_RANGE_NAME = "podstudio-limits"
MAX_PODS_PER_LEARNER = "10"
ROLE_BINDING = "podstudio"
LEARNER_ROLE = "podstudio-learner"
KEEP_ACCESS = "podstudio.dev/keep-access"
_SERVICE_ACCOUNT_USER = "system:serviceaccount:"
_RBAC_SETTLE_SECONDS = 3.0  # a new RoleBinding reaches the API server's authorizer within this


class SandboxBusy(SandboxUnavailable):
    """The learner's namespace is being deleted; a new one can be made in a moment."""


class SandboxFull(SandboxUnavailable):
    """Every learner namespace the cluster may hold is in use, and none has been idle long."""


def namespace_for(learner_key: str) -> str:
    """The learner's namespace, from an opaque key that names the learner (today the session
    key): derived, so nobody can pick someone else's."""
    digest = hashlib.sha256(learner_key.encode()).hexdigest()[:16]
    return f"{NAMESPACE_PREFIX}{digest}"


def namespace_labels(enforce: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every label a learner namespace carries: Pod Studio's mark, Pod Security Admission
    (enforce the configured level, warn about restricted) and ``extra`` labels such as
    ``podstudio.dev/classroom``. The admission policy in deploy/cluster/ admits only
    ``podstudio.dev/*`` keys among the extras."""
    labels = {
        MANAGED_BY_LABEL: MANAGED_BY,
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
    }
    labels.update(extra or {})
    return labels


def is_learner_namespace(namespace: dict) -> bool:
    metadata = namespace.get("metadata") or {}
    labels = metadata.get("labels") or {}
    return str(metadata.get("name") or "").startswith(NAMESPACE_PREFIX) and (
        labels.get(MANAGED_BY_LABEL) == MANAGED_BY
    )


def now_utc() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def last_activity(namespace: dict) -> datetime | None:
    metadata = namespace.get("metadata") or {}
    stamp = parse_timestamp((metadata.get("annotations") or {}).get(LAST_ACTIVITY))
    return stamp or parse_timestamp(metadata.get("creationTimestamp"))


def _cluster(cluster: Cluster | None) -> Cluster:
    return cluster if cluster is not None else get_cluster()


def _require(answer: ApiAnswer, doing: str = "set up your namespace") -> None:
    if not answer.ok:
        message = answer.body.get("message") or f"HTTP {answer.status}"
        raise SandboxUnavailable(f"The sandbox cluster refused to {doing}: {message}")


def _merge_patch(cluster: Cluster, api_path: str, patch: dict) -> ApiAnswer:
    return cluster.request(
        "PATCH", api_path, body=patch, content_type="application/merge-patch+json"
    )


def _apply_object(cluster: Cluster, api_path: str, body: dict) -> ApiAnswer:
    return cluster.request(
        "PATCH",
        api_path,
        query={"fieldManager": FIELD_MANAGER, "force": "true"},
        body=body,
        content_type="application/apply-patch+yaml",
    )


def ensure_namespace(
    *,
    namespace: str,
    enforce: str | None = None,
    labels: Mapping[str, str] | None = None,
    cluster: Cluster | None = None,
) -> str:
    """Creates the namespace with its guard rails on first use; afterwards marks it active.

    When the cluster holds PODSTUDIO_SANDBOX_MAX_NAMESPACES learner namespaces already, the
    longest idle ones are deleted first to make room; when none has been idle long enough,
    ``SandboxFull`` says so.
    """
    cluster = _cluster(cluster)
    wanted_labels = namespace_labels(enforce or settings.PODSTUDIO_SANDBOX_ENFORCE, labels)
    stamp = timestamp(now_utc())
    namespace_path = path("api", "v1", "namespaces", namespace)
    answer = cluster.request("GET", namespace_path)
    if answer.ok:
        if answer.body.get("status", {}).get("phase") == "Terminating":
            finish_namespace(namespace=namespace, cluster=cluster)
            raise SandboxBusy(
                "Your sandbox namespace is being cleaned up; try again in a few seconds."
            )
        labels: dict[str, str | None] = dict(wanted_labels)
        if CLASSROOM_LABEL not in labels:
            # A learner who has left a classroom (or whose classroom ended) runs Pods of their
            # own: its instructor, who sees and deletes the classroom's namespaces, no longer may.
            labels[CLASSROOM_LABEL] = None  # a merge patch removes a key set to null
        patch = {"metadata": {"labels": labels, "annotations": {LAST_ACTIVITY: stamp}}}
        _require(_merge_patch(cluster, namespace_path, patch))
        annotations = answer.body.get("metadata", {}).get("annotations") or {}
        if annotations.get(SET_UP) != "true":  # an earlier set-up ran out of time: finish it
            _set_up(cluster, namespace)
        return namespace
    if answer.status != 404:
        _require(answer)
    make_room(cluster=cluster)
    created = cluster.request(
        "POST",
        "/api/v1/namespaces",
        body={
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": namespace,
                "labels": wanted_labels,
                "annotations": {LAST_ACTIVITY: stamp},
            },
        },
    )
    if created.status != 409:  # created by a request racing this one: fine
        _require(created)
    _set_up(cluster, namespace)
    return namespace


def _set_up(cluster: Cluster, namespace: str) -> None:
    """The namespace's RoleBinding, quota, limits and default service account. Every step can
    run again, so a set-up cut short by the time budget is finished by the next request."""
    binding = cluster.request(
        "POST",
        path("apis", "rbac.authorization.k8s.io", "v1", "namespaces", namespace, "rolebindings"),
        body=role_binding_manifest(namespace, cluster.username()),
    )
    if binding.status != 409:
        _require(binding)
    # The authorizer learns about a new RoleBinding a moment after it is stored.
    quota_path = path("api", "v1", "namespaces", namespace, "resourcequotas", QUOTA_NAME)
    deadline = time.monotonic() + _RBAC_SETTLE_SECONDS
    while True:
        quota = _apply_object(cluster, quota_path, quota_manifest(namespace))
        if quota.status != 403 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    _require(quota)
    _require(
        _apply_object(
            cluster,
            path("api", "v1", "namespaces", namespace, "limitranges", LIMIT_RANGE_NAME),
            limit_range_manifest(namespace),
        )
    )
    # Pods need the namespace's "default" service account. The controller manager creates it
    # shortly after the namespace; creating it here avoids a race on the learner's first Pod.
    account = cluster.request(
        "POST",
        path("api", "v1", "namespaces", namespace, "serviceaccounts"),
        body={"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
    )
    if account.status != 409:
        _require(account)
    _wait_for_quota_status(cluster, namespace)
    _require(
        _merge_patch(
            cluster,
            path("api", "v1", "namespaces", namespace),
            {"metadata": {"annotations": {SET_UP: "true"}}},
        )
    )


def _wait_for_quota_status(cluster: Cluster, namespace: str, timeout: float = 3.0) -> None:
    """Quota admission refuses Pods ("status unknown for quota") until the controller manager
    has counted the namespace's usage; that takes milliseconds, so wait for it briefly (never
    past the request's time budget)."""
    quota_path = path("api", "v1", "namespaces", namespace, "resourcequotas", QUOTA_NAME)
    left = seconds_left()
    deadline = time.monotonic() + (timeout if left is None else min(timeout, left - 0.5))
    while time.monotonic() < deadline:
        answer = cluster.request("GET", quota_path)
        if answer.ok and answer.body.get("status", {}).get("used"):
            return
        time.sleep(0.1)


def role_binding_manifest(namespace: str, username: str) -> dict:
    """Gives Pod Studio's identity the podstudio-learner role in this namespace only. The
    finalizer keeps it while the namespace is deleted, until ``finish_namespace`` lets it go."""
    if username.startswith(_SERVICE_ACCOUNT_USER):
        account_namespace, _, name = username[len(_SERVICE_ACCOUNT_USER) :].partition(":")
        subject = {"kind": "ServiceAccount", "name": name, "namespace": account_namespace}
    else:  # a person's or an admin's kubeconfig on a cluster of one's own
        subject = {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": username}
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": ROLE_BINDING, "namespace": namespace, "finalizers": [KEEP_ACCESS]},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": LEARNER_ROLE,
        },
        "subjects": [subject],
    }


def quota_manifest(namespace: str) -> dict:
    """Caps how many Pods a learner can have. It counts objects only: a quota on CPU or memory
    would make the API server refuse every Pod without requests, which lessons need to show."""
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": QUOTA_NAME, "namespace": namespace},
        "spec": {"hard": {"pods": MAX_PODS_PER_LEARNER, "persistentvolumeclaims": "0"}},
    }


def limit_range_manifest(namespace: str) -> dict:
    """Bounds volume claims only. Container defaults would silently add requests and limits,
    changing the QoS class the learner designed; container maximums would refuse BestEffort Pods."""
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": LIMIT_RANGE_NAME, "namespace": namespace},
        "spec": {"limits": [{"type": "PersistentVolumeClaim", "max": {"storage": "1Gi"}}]},
    }


def touch_namespace(*, namespace: str, cluster: Cluster | None = None) -> None:
    """Marks the namespace active now, so ``gc`` and the namespace cap leave it alone."""
    cluster = _cluster(cluster)
    _merge_patch(
        cluster,
        path("api", "v1", "namespaces", namespace),
        {"metadata": {"annotations": {LAST_ACTIVITY: timestamp(now_utc())}}},
    )


def learner_namespaces(cluster: Cluster) -> list[dict]:
    answer = cluster.request(
        "GET", "/api/v1/namespaces", query={"labelSelector": f"{MANAGED_BY_LABEL}={MANAGED_BY}"}
    )
    _require(answer, "list the learner namespaces")
    return [item for item in answer.body.get("items") or [] if is_learner_namespace(item)]


def _terminating(namespace: dict) -> bool:
    return (namespace.get("status") or {}).get("phase") == "Terminating"


def make_room(*, cluster: Cluster | None = None, now: datetime | None = None) -> list[str]:
    """Keeps the learner namespaces under PODSTUDIO_SANDBOX_MAX_NAMESPACES before one more is
    made: deletes the longest idle ones (idle for PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS at
    least), oldest first. Returns the names it deleted. Under concurrent first visits the cap
    can be passed by as many namespaces as requests race."""
    limit = settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES
    if not limit:
        return []
    cluster = _cluster(cluster)
    now = now or now_utc()
    active = [item for item in learner_namespaces(cluster) if not _terminating(item)]
    needed = len(active) - limit + 1
    if needed <= 0:
        return []
    cutoff = now - timedelta(seconds=settings.PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS)
    idle = sorted(
        (moment, item["metadata"]["name"])
        for item in active
        if (moment := last_activity(item)) is not None and moment <= cutoff
    )
    reclaimed = []
    for _, name in idle[:needed]:
        removed = cluster.request("DELETE", path("api", "v1", "namespaces", name))
        if removed.ok or removed.status == 404:
            reclaimed.append(name)
    if len(reclaimed) < needed:
        raise SandboxFull(
            f"The sandbox is full: {len(active)} learners are using it right now, the most it "
            "holds. Try again in a few minutes, when someone's sandbox has been idle long enough "
            "to be reclaimed."
        )
    return reclaimed


@dataclass
class Finishing:
    """What ``finish_namespace`` did in one namespace being deleted."""

    namespace: str
    cleared: list[str] = field(default_factory=list)  # Pods whose finalizers it removed
    remaining: int = 0  # Pods still there (not yet overdue, or being deleted normally)
    released: bool = False  # the RoleBinding's finalizer is gone: the namespace can finish
    no_access: bool = False  # the RoleBinding was gone already: nothing Pod Studio can do


def finish_namespace(
    *,
    namespace: str,
    grace_seconds: int | None = None,
    cluster: Cluster | None = None,
    now: datetime | None = None,
) -> Finishing:
    """Helps a namespace being deleted to finish.

    A Pod whose deletion is overdue by ``grace_seconds`` loses its finalizers (a learner may
    have set some that nothing will ever remove) and, if a node still holds it, is deleted at
    once. When no Pod is left, the RoleBinding's finalizer goes and the namespace controller
    removes the rest.
    """
    cluster = _cluster(cluster)
    now = now or now_utc()
    if grace_seconds is None:
        grace_seconds = settings.PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS
    done = Finishing(namespace)
    pods_path = path("api", "v1", "namespaces", namespace, "pods")
    listed = cluster.request("GET", pods_path)
    if listed.status in (403, 404):
        done.no_access = True
        return done
    _require(listed, f"list the Pods in {namespace}")
    for pod in listed.body.get("items") or []:
        metadata = pod.get("metadata") or {}
        name = str(metadata.get("name") or "")
        deleting_since = parse_timestamp(metadata.get("deletionTimestamp"))
        if deleting_since is None or now < deleting_since + timedelta(seconds=grace_seconds):
            done.remaining += 1
            continue
        pod_path = path("api", "v1", "namespaces", namespace, "pods", name)
        if metadata.get("finalizers"):
            cleared = _merge_patch(cluster, pod_path, {"metadata": {"finalizers": None}})
            if cleared.ok or cleared.status == 404:
                done.cleared.append(name)
        # A Pod on a node waits for its kubelet to confirm; past the grace period, don't.
        cluster.request("DELETE", pod_path, query={"gracePeriodSeconds": "0"})
    if done.remaining:
        return done
    left = cluster.request("GET", pods_path)
    if left.ok and not left.body.get("items"):
        binding_path = path(
            "apis",
            "rbac.authorization.k8s.io",
            "v1",
            "namespaces",
            namespace,
            "rolebindings",
            ROLE_BINDING,
        )
        released = _merge_patch(cluster, binding_path, {"metadata": {"finalizers": None}})
        done.released = released.ok or released.status == 404
    else:
        done.remaining = len(left.body.get("items") or [])
    return done


@dataclass
class GcResult:
    deleted: list[str] = field(default_factory=list)  # idle namespaces it deleted
    finishing: list[Finishing] = field(default_factory=list)  # namespaces being deleted


def gc(
    *,
    idle_seconds: int,
    grace_seconds: int | None = None,
    cluster: Cluster | None = None,
    now: datetime | None = None,
    classroom: str | None = None,
) -> GcResult:
    """Deletes learner namespaces (and so their Pods) idle for longer than ``idle_seconds``, and
    helps every learner namespace being deleted to finish (``finish_namespace``). With
    ``classroom`` (a join code): only that classroom's namespaces, and all of them, idle or not."""
    cluster = _cluster(cluster)
    now = now or now_utc()
    result = GcResult()
    cutoff = now - timedelta(seconds=idle_seconds)
    for item in learner_namespaces(cluster):
        name = item["metadata"]["name"]
        labels = item["metadata"].get("labels") or {}
        if classroom is not None and labels.get(CLASSROOM_LABEL) != classroom:
            continue
        if _terminating(item):
            result.finishing.append(
                finish_namespace(
                    namespace=name, grace_seconds=grace_seconds, cluster=cluster, now=now
                )
            )
            continue
        last = last_activity(item)
        if classroom is None and last is not None and last >= cutoff:
            continue
        removed = cluster.request("DELETE", path("api", "v1", "namespaces", name))
        if removed.ok or removed.status == 404:
            result.deleted.append(name)
    return result
