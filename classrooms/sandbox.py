"""A classroom's learners in the sandbox cluster: their namespaces carry the classroom's code.

The cluster is optional: without it these answer "not configured" instead of failing.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest

from classrooms import membership
from podstudio.sandbox import namespaces
from podstudio.sandbox.client import SandboxUnavailable, get_cluster, path


def namespace_labels(request: HttpRequest) -> dict[str, str]:
    """The labels a learner's namespace gets from their running classroom (none outside one)."""
    member = membership.current_member(request)
    if member is None or member.classroom.has_ended():
        return {}
    return {namespaces.CLASSROOM_LABEL: member.classroom.code}


@dataclass
class PodLine:
    name: str
    phase: str
    ready: str  # "1/2"
    restarts: int
    reason: str  # a waiting or terminated container's reason, if any


@dataclass
class LearnerSandbox:
    name: str  # the learner's display name
    namespace: str
    exists: bool = False
    # It exists but is no longer the class's (its learner left, or the class ended, and applied
    # since): its Pods are the learner's own, not the instructor's to see.
    elsewhere: bool = False
    pods: list[PodLine] = field(default_factory=list)


def _pod_line(pod: dict) -> PodLine:
    status = pod.get("status") or {}
    statuses = [s for s in status.get("containerStatuses") or [] if isinstance(s, dict)]
    ready = sum(1 for s in statuses if s.get("ready"))
    total = len((pod.get("spec") or {}).get("containers") or [])
    reason = ""
    for container in statuses:
        state = container.get("state") or {}
        for detail in (state.get("waiting"), state.get("terminated")):
            if isinstance(detail, dict) and detail.get("reason"):
                reason = reason or str(detail["reason"])
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        reason = "Terminating"
    return PodLine(
        name=str((pod.get("metadata") or {}).get("name", "")),
        phase=str(status.get("phase") or "Pending"),
        ready=f"{ready}/{total}",
        restarts=sum(int(s.get("restartCount") or 0) for s in statuses),
        reason=reason,
    )


def pods(namespace: str, *, cluster=None) -> list[PodLine]:
    cluster = cluster or get_cluster()
    answer = cluster.request("GET", path("api", "v1", "namespaces", namespace, "pods"))
    if answer.status in (403, 404):  # no such namespace, or one being deleted: no Pods to show
        return []
    if not answer.ok:
        raise SandboxUnavailable(f"The sandbox cluster answered HTTP {answer.status}.")
    return [_pod_line(pod) for pod in answer.body.get("items") or [] if isinstance(pod, dict)]


def learner_sandbox(name: str, learner_key: str, code: str, *, cluster=None) -> LearnerSandbox:
    """One learner's namespace and the status of each of its Pods, while the namespace is the
    classroom's (labelled with its ``code``, as ``overview`` finds them)."""
    cluster = cluster or get_cluster()
    namespace = namespaces.namespace_for(learner_key)
    view = LearnerSandbox(name=name, namespace=namespace)
    answer = cluster.request("GET", path("api", "v1", "namespaces", namespace))
    view.exists = answer.ok
    if not view.exists:  # Pod Studio may read Pods only in learner namespaces that exist
        return view
    labels = ((answer.body or {}).get("metadata") or {}).get("labels") or {}
    view.elsewhere = labels.get(namespaces.CLASSROOM_LABEL) != code
    if not view.elsewhere:
        view.pods = pods(namespace, cluster=cluster)
    return view


def classroom_namespaces(code: str, *, cluster=None, deleting: bool = True) -> list[str]:
    """Names of the namespaces labelled with this classroom's code (``deleting``: with those
    being deleted, whose Pods are on their way out)."""
    cluster = cluster or get_cluster()
    selector = (
        f"{namespaces.MANAGED_BY_LABEL}={namespaces.MANAGED_BY},{namespaces.CLASSROOM_LABEL}={code}"
    )
    answer = cluster.request("GET", "/api/v1/namespaces", query={"labelSelector": selector})
    if not answer.ok:
        raise SandboxUnavailable(f"The sandbox cluster answered HTTP {answer.status}.")
    return sorted(
        str((item.get("metadata") or {}).get("name", ""))
        for item in answer.body.get("items") or []
        if isinstance(item, dict)
        and (deleting or (item.get("status") or {}).get("phase") != "Terminating")
    )


def overview(classroom, members: list[tuple[str, str]], *, cluster=None) -> list[LearnerSandbox]:
    """Every labelled namespace of the classroom with its Pods, named after its learner.

    ``members`` are (display name, learner key) pairs; a namespace of the classroom whose
    learner is not among them (a learner who left) is listed under its own name.
    """
    cluster = cluster or get_cluster()
    by_namespace = {namespaces.namespace_for(key): name for name, key in members}
    views = []
    for namespace in classroom_namespaces(classroom.code, cluster=cluster, deleting=False):
        view = LearnerSandbox(name=by_namespace.get(namespace, namespace), namespace=namespace)
        view.exists = True
        view.pods = pods(namespace, cluster=cluster)
        views.append(view)
    return sorted(views, key=lambda view: view.name.casefold())


def release(learner_key: str, code: str, *, cluster=None) -> bool:
    """The learner's namespace no longer the classroom's (they were taken out of it): its
    instructor no longer sees or deletes their Pods, which may be another class's by now.
    Whether a label was removed."""
    cluster = cluster or get_cluster()
    namespace_path = path("api", "v1", "namespaces", namespaces.namespace_for(learner_key))
    answer = cluster.request("GET", namespace_path)
    if answer.status == 404:
        return False
    if not answer.ok:
        raise SandboxUnavailable(f"The sandbox cluster answered HTTP {answer.status}.")
    labels = ((answer.body or {}).get("metadata") or {}).get("labels") or {}
    if labels.get(namespaces.CLASSROOM_LABEL) != code:
        return False
    patch = {"metadata": {"labels": {namespaces.CLASSROOM_LABEL: None}}}  # null: removed
    removed = cluster.request(
        "PATCH", namespace_path, body=patch, content_type="application/merge-patch+json"
    )
    if not removed.ok and removed.status != 404:
        raise SandboxUnavailable(f"The sandbox cluster answered HTTP {removed.status}.")
    return removed.ok


def delete_all(classroom, *, cluster=None) -> list[str]:
    """Deletes every namespace of the classroom (and so its Pods)."""
    return namespaces.gc(idle_seconds=0, classroom=classroom.code, cluster=cluster).deleted
