"""Workloads in the sandbox: dry run, apply, delete and live status of Deployments, ReplicaSets,
StatefulSets, DaemonSets, Jobs and CronJobs, in the learner's namespace.

The sandbox's controller manager runs their controllers (``sandbox/start.sh``), so an applied
Deployment gets a ReplicaSet and Pods scheduled on the fake nodes: the live status lists them.
Answers are read like a Pod's (``actions.interpret``): errors at their fields, Pod Security's
``warn`` as warnings (for a workload, admission only warns: it enforces on the Pods).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from podstudio.engine.kinds import KINDS, Kind, kind_of
from podstudio.engine.validation.cronclock import next_runs

__all__ = ["apply", "delete", "dry_run", "kind_of", "status", "workload_kind"]
from podstudio.sandbox import actions
from podstudio.sandbox.client import Cluster, get_cluster, path
from podstudio.sandbox.namespaces import parse_timestamp

FIELD_MANAGER = actions.FIELD_MANAGER


def workload_kind(manifest: Any) -> Kind | None:
    """The kind of a manifest the sandbox applies as a workload (not a Pod)."""
    kind = kind_of(manifest)
    return kind if kind is not None and not kind.is_pod else None


def _collection(kind: Kind, namespace: str) -> str:
    return path(*kind.group_version.split("/"), "namespaces", namespace, kind.resource)


def _object_path(kind: Kind, namespace: str, name: str) -> str:
    return path(*kind.group_version.split("/"), "namespaces", namespace, kind.resource, name)


def _worded(result: actions.ApplyResult, kind: Kind) -> actions.ApplyResult:
    """The answer about a workload, not a Pod."""
    result.message = result.message.replace(" Pod ", f" {kind.name} ", 1)
    return result


def dry_run(*, manifest: dict, namespace: str, cluster: Cluster | None = None):
    """What the API server would do with the workload: a dry-run create, or a dry-run apply
    when one of that name exists."""
    kind = workload_kind(manifest)
    cluster = cluster if cluster is not None else get_cluster()
    body = actions.prepare_pod(manifest, namespace)
    answer = cluster.request(
        "POST",
        _collection(kind, namespace),
        query={"dryRun": "All", "fieldManager": FIELD_MANAGER, "fieldValidation": "Strict"},
        body=body,
    )
    name = actions._pod_name(body)
    if answer.status == 409 and name:
        answer = _apply(cluster, kind, body, namespace, name, dry_run=True)
    return _worded(actions.interpret("dry-run", answer, body), kind)


def _apply(cluster, kind: Kind, body: dict, namespace: str, name: str, *, dry_run: bool):
    query = {"fieldManager": FIELD_MANAGER, "force": "true", "fieldValidation": "Strict"}
    if dry_run:
        query["dryRun"] = "All"
    return cluster.request(
        "PATCH",
        _object_path(kind, namespace, name),
        query=query,
        body=body,
        content_type="application/apply-patch+yaml",
    )


def apply(*, manifest: dict, namespace: str, cluster: Cluster | None = None):
    """Server-side apply of the workload into the learner's namespace."""
    kind = workload_kind(manifest)
    cluster = cluster if cluster is not None else get_cluster()
    body = actions.prepare_pod(manifest, namespace)
    name = actions._pod_name(body)
    if not name:
        result = dry_run(manifest=manifest, namespace=namespace, cluster=cluster)
        return actions.not_applied_without_name(result, kind.name)
    answer = _apply(cluster, kind, body, namespace, name, dry_run=False)
    return _worded(actions.interpret("apply", answer, body), kind)


def delete(*, kind_name: str, name: str, namespace: str, cluster: Cluster | None = None):
    """Deletes the workload; the garbage collector deletes its ReplicaSets, Jobs and Pods."""
    kind = KINDS.get(kind_name)
    if kind is None or kind.is_pod or not actions._DNS_SUBDOMAIN.match(name or ""):
        return actions.ApplyResult("delete", accepted=False, message="That is not a workload.")
    cluster = cluster if cluster is not None else get_cluster()
    answer = cluster.request(
        "DELETE",
        _object_path(kind, namespace, name),
        query={"propagationPolicy": "Background"},
    )
    if answer.status == 404:
        return actions.ApplyResult(
            "delete",
            accepted=True,
            pod_name=name,
            status_code=404,
            message=f"There is no {kind.name} {name} in your namespace (nothing to delete).",
        )
    result = actions.interpret("delete", answer, {"metadata": {"name": name}})
    if result.accepted:
        made = "its Jobs and their Pods" if kind.name == "CronJob" else "its Pods"
        result.message = f"{kind.name} {name} is being deleted, and {made} with it."
    return result


# --- live status -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnedView:
    """A ReplicaSet, Job or Pod the workload made."""

    kind: str
    name: str
    state: str  # a Pod's phase, "2/3 ready" for a ReplicaSet, "1 succeeded" for a Job
    node: str = ""
    terminating: bool = False


@dataclass
class WorkloadView:
    kind: str
    name: str
    namespace: str
    exists: bool
    summary: list[tuple[str, str]] = field(default_factory=list)
    owned: list[OwnedView] = field(default_factory=list)
    events: list = field(default_factory=list)


def _selector_query(selector: Any) -> str:
    """A ``matchLabels`` selector as a label selector query ("" when there is none)."""
    labels = selector.get("matchLabels") if isinstance(selector, dict) else None
    if not isinstance(labels, dict) or not labels:
        return ""
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items()))


def _pods(cluster: Cluster, namespace: str, query: str) -> list[OwnedView]:
    if not query:
        return []
    answer = cluster.request(
        "GET",
        path("api", "v1", "namespaces", namespace, "pods"),
        query={"labelSelector": query},
    )
    if not answer.ok:
        return []
    pods = []
    for pod in answer.body.get("items") or []:
        metadata, spec, status = pod.get("metadata", {}), pod.get("spec", {}), pod.get("status", {})
        statuses = status.get("containerStatuses") or []
        ready = sum(1 for item in statuses if isinstance(item, dict) and item.get("ready"))
        phase = str(status.get("phase") or "Pending")
        state = f"{phase}, {ready}/{len(spec.get('containers') or [])} containers ready"
        if phase in ("Succeeded", "Failed"):  # done: its containers have ended, as kubectl says
            state = "Completed" if phase == "Succeeded" else "Failed"
        pods.append(
            OwnedView(
                "Pod",
                str(metadata.get("name", "")),
                state,
                str(spec.get("nodeName") or ""),
                bool(metadata.get("deletionTimestamp")),
            )
        )
    return sorted(pods, key=lambda pod: pod.name)


def _owned_by(items: list, uid: str) -> list:
    return [
        item
        for item in items
        if any(
            ref.get("uid") == uid for ref in item.get("metadata", {}).get("ownerReferences") or []
        )
    ]


def status(*, kind_name: str, name: str, namespace: str, cluster: Cluster | None = None):
    """The workload's counts, what it made (ReplicaSets, Jobs, Pods) and its events."""
    kind = KINDS.get(kind_name)
    view = WorkloadView(kind_name, name, namespace, exists=False)
    if kind is None or kind.is_pod or not actions._DNS_SUBDOMAIN.match(name or ""):
        return view
    cluster = cluster if cluster is not None else get_cluster()
    answer = cluster.request("GET", _object_path(kind, namespace, name))
    if not answer.ok and actions.not_there(cluster, namespace, answer):
        return view
    if not answer.ok:
        actions._require_read(answer)
    view.exists = True
    body = answer.body
    spec, state = body.get("spec", {}), body.get("status", {})
    uid = body.get("metadata", {}).get("uid")
    if kind.name in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        view.summary = [
            ("Replicas wanted", str(spec.get("replicas", 1))),
            ("Ready", str(state.get("readyReplicas", 0))),
            ("Up to date", str(state.get("updatedReplicas", state.get("currentReplicas", 0)))),
        ]
    elif kind.name == "DaemonSet":
        view.summary = [
            ("Nodes to run on", str(state.get("desiredNumberScheduled", 0))),
            ("Ready", str(state.get("numberReady", 0))),
        ]
    elif kind.name == "Job":
        view.summary = [
            ("Active", str(state.get("active", 0))),
            ("Succeeded", str(state.get("succeeded", 0))),
            ("Failed", str(state.get("failed", 0))),
        ]
    elif kind.name == "CronJob":
        view.summary = [
            ("Schedule", str(spec.get("schedule", ""))),
            ("Last run", parse_timestamp(state.get("lastScheduleTime")) or "not yet"),
            ("Next run", _next_run(spec)),
            ("Running Jobs", str(len(state.get("active") or []))),
        ]
    if kind.name == "Deployment":
        replica_sets = cluster.request(
            "GET",
            path("apis", "apps", "v1", "namespaces", namespace, "replicasets"),
            query={"labelSelector": _selector_query(spec.get("selector"))},
        )
        if replica_sets.ok:
            for item in _owned_by(replica_sets.body.get("items") or [], uid):
                item_state = item.get("status", {})
                wanted = item.get("spec", {}).get("replicas", 0)
                ready = f"{item_state.get('readyReplicas', 0)}/{wanted}"
                view.owned.append(
                    OwnedView("ReplicaSet", item["metadata"]["name"], f"{ready} Pods ready")
                )
    if kind.name == "CronJob":
        jobs = cluster.request("GET", path("apis", "batch", "v1", "namespaces", namespace, "jobs"))
        names = []
        if jobs.ok:
            for item in _owned_by(jobs.body.get("items") or [], uid):
                job_state = item.get("status", {})
                succeeded, active = job_state.get("succeeded", 0), job_state.get("active", 0)
                text = f"{succeeded} succeeded, {active} active"
                view.owned.append(OwnedView("Job", item["metadata"]["name"], text))
                names.append(item["metadata"]["name"])
        if names:  # and the Pods of those Jobs, in one request
            query = f"batch.kubernetes.io/job-name in ({','.join(names)})"
            view.owned += _pods(cluster, namespace, query)
    elif kind.name == "Job":
        view.owned += _pods(cluster, namespace, f"batch.kubernetes.io/job-name={name}")
    else:
        query = _selector_query(spec.get("selector"))
        if kind.name == "ReplicationController" and isinstance(spec.get("selector"), dict):
            query = _selector_query({"matchLabels": spec["selector"]})
        view.owned += _pods(cluster, namespace, query)
    events = cluster.request(
        "GET",
        path("api", "v1", "namespaces", namespace, "events"),
        query={"fieldSelector": f"involvedObject.kind={kind.name},involvedObject.name={name}"},
    )
    if events.ok:
        view.events = actions._events(events.body, uid)
    return view


def _next_run(spec: dict) -> datetime | str:
    """When the controller starts the CronJob's next Job: on its ``timeZone``, or on the
    controller's clock (UTC) without one."""
    if spec.get("suspend"):
        return "none while suspended"
    schedule, zone = spec.get("schedule"), spec.get("timeZone") or "UTC"
    runs = next_runs(schedule, zone, datetime.now(UTC), 1) if isinstance(schedule, str) else ()
    return runs[0] if runs else "not known (counted from the controller's start)"


# --- everything in the namespace ---------------------------------------------------------------


def _made_by_a_controller(metadata: dict) -> bool:
    owners = metadata.get("ownerReferences") or []
    return any(isinstance(owner, dict) and owner.get("controller") for owner in owners)


def _summary(kind_name: str, spec: dict, state: dict) -> str:
    """A line of what an object is doing, as ``kubectl get`` sums it up."""
    if kind_name == "Pod":
        return str(state.get("phase") or "Pending")
    if kind_name in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        wanted = spec.get("replicas", 1)
        return f"{state.get('readyReplicas') or 0}/{wanted} ready"
    if kind_name == "DaemonSet":
        return f"{state.get('numberReady') or 0}/{state.get('desiredNumberScheduled') or 0} ready"
    if kind_name == "Job":
        return f"{state.get('succeeded') or 0}/{spec.get('completions', 1)} succeeded"
    if kind_name == "CronJob":
        running = len(state.get("active") or [])
        return (
            "suspended"
            if spec.get("suspend")
            else f"{running} Job{'' if running == 1 else 's'} running"
        )
    return ""


def everything(*, namespace: str, cluster: Cluster | None = None) -> list[OwnedView]:
    """Every Pod and workload in the learner's namespace that no controller made: what they
    applied from any design (one since renamed, a drill's Pod), each of which counts against
    the namespace's quota until it is deleted."""
    cluster = cluster if cluster is not None else get_cluster()
    found = []
    for kind in KINDS.values():
        where = path(*kind.group_version.split("/"), "namespaces", namespace, kind.resource)
        answer = cluster.request("GET", where)
        if not answer.ok and actions.not_there(cluster, namespace, answer):
            return []
        if not answer.ok:
            actions._require_read(answer)
        for item in answer.body.get("items") or []:
            metadata = item.get("metadata") or {}
            if not isinstance(metadata, dict) or _made_by_a_controller(metadata):
                continue
            found.append(
                OwnedView(
                    kind.name,
                    str(metadata.get("name", "")),
                    _summary(kind.name, item.get("spec") or {}, item.get("status") or {}),
                    terminating=bool(metadata.get("deletionTimestamp")),
                )
            )
    return sorted(found, key=lambda view: (view.kind != "Pod", view.kind, view.name))
