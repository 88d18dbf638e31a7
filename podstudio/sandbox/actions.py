"""What Pod Studio does with a learner's Pod in the sandbox cluster, as plain functions.

Each learner works in a namespace of their own (``podstudio.sandbox.namespaces``), that the
learner never chooses. Per-learner state lives on that namespace, in the cluster, not in Pod
Studio's database.

Results keep the API server's own words: its validation causes become errors at their field
paths, a Pod Security rejection becomes one error per failed control, and ``Warning`` headers
(Pod Security ``warn`` among them) stay warnings.
"""

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from podstudio.engine.analyze import analyze
from podstudio.sandbox.client import ApiAnswer, Cluster, SandboxUnavailable, get_cluster, path
from podstudio.sandbox.namespaces import FIELD_MANAGER, MAX_PODS_PER_LEARNER

LOG_TAIL_LINES = 200
DELETE_GRACE_SECONDS = 1
LOG_LIMIT_BYTES = 64 * 1024
LEVELS = ("privileged", "baseline", "restricted")

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
# Fields the server sets; a manifest copied from `kubectl get -o yaml` would carry them.
_SERVER_FIELDS = (
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "generation",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
)


@dataclass(frozen=True)
class Problem:
    """One thing the API server or admission refused, at a field path when it gave one."""

    path: str
    message: str
    reason: str = ""


@dataclass
class ApplyResult:
    """The API server's answer to a dry run, an apply or a delete."""

    action: str  # "dry-run", "apply" or "delete"
    accepted: bool
    message: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hint: str = ""
    pod_name: str = ""
    node_name: str = ""
    status_code: int = 0

    def to_dict(self) -> dict:
        return {
            "action": self.action,
            "accepted": self.accepted,
            "message": self.message,
            "hint": self.hint,
            "pod": self.pod_name,
            "errors": [
                {
                    "id": f"sandbox.{e.reason or 'error'}",
                    "status": "error",
                    "path": e.path,
                    "message": e.message,
                }
                for e in self.errors
            ],
            "warnings": [
                {"id": "sandbox.warning", "status": "warning", "path": "", "message": w}
                for w in self.warnings
            ],
        }


@dataclass(frozen=True)
class ContainerView:
    name: str
    kind: str  # "init", "app" or "ephemeral"
    state: str  # "waiting", "running", "terminated" or "unknown"
    reason: str
    message: str
    ready: bool
    restarts: int
    # How the container's last run ended (a crash's exit code and last words), once restarted.
    last_reason: str = ""
    last_exit_code: int | None = None
    last_message: str = ""


@dataclass(frozen=True)
class EventView:
    type: str
    reason: str
    message: str
    count: int
    source: str
    time: str


@dataclass
class PodView:
    """What a learner sees of a Pod in the cluster: where it is in its life and why."""

    name: str
    namespace: str
    exists: bool
    phase: str = ""
    node_name: str = ""
    terminating: bool = False
    conditions: list[dict[str, str]] = field(default_factory=list)
    containers: list[ContainerView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)


@dataclass
class LogsView:
    container: str
    text: str = ""
    unavailable: str = ""


def _cluster(cluster: Cluster | None) -> Cluster:
    return cluster if cluster is not None else get_cluster()


def prepare_pod(manifest: dict, namespace: str) -> dict:
    """The learner's Pod, placed in the learner's namespace whatever its manifest says."""
    pod = copy.deepcopy(manifest)
    metadata = pod.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
        pod["metadata"] = metadata
    metadata["namespace"] = namespace
    for key in _SERVER_FIELDS:
        metadata.pop(key, None)
    pod.pop("status", None)
    return pod


def _shape_problem(manifest: Any) -> Problem | None:
    if not isinstance(manifest, dict):
        return Problem("", "The manifest must be a mapping (a Pod object).", "Invalid")
    if manifest.get("apiVersion") != "v1" or manifest.get("kind") != "Pod":
        return Problem(
            "kind", "The sandbox takes Pods only: apiVersion: v1 and kind: Pod.", "Unsupported"
        )
    return None


# deploy/cluster/30-admission.yaml refuses these for any client in a learner namespace; Pod
# Studio checks first, so the learner reads why without a round trip to the cluster.
SCHEDULING_PRIVILEGE = "SchedulingPrivilege"
SYSTEM_PRIORITY_PREFIX = "system-"


def scheduling_problems(manifest: Any) -> list[Problem]:
    """``nodeName`` and the ``system-*`` priority classes: privileges a learner Pod cannot take."""
    spec = manifest.get("spec") if isinstance(manifest, dict) else None
    if not isinstance(spec, dict):
        return []
    problems = []
    node_name = spec.get("nodeName")
    if node_name not in (None, ""):
        problems.append(
            Problem(
                "spec.nodeName",
                "The sandbox does not let a Pod choose its node: nodeName skips the scheduler, "
                "and with it taints and resource checks. Remove it; a nodeSelector or node "
                "affinity asks the scheduler instead.",
                SCHEDULING_PRIVILEGE,
            )
        )
    priority = spec.get("priorityClassName")
    if isinstance(priority, str) and priority.startswith(SYSTEM_PRIORITY_PREFIX):
        problems.append(
            Problem(
                "spec.priorityClassName",
                f"{priority} is reserved for the cluster's own components (a Pod with it can "
                "evict other Pods). Remove priorityClassName or use a class of your own.",
                SCHEDULING_PRIVILEGE,
            )
        )
    return problems


def _refused_before_sending(action: str, manifest: Any) -> ApplyResult | None:
    """A result without asking the cluster, when the Pod is not one the sandbox takes."""
    problem = _shape_problem(manifest)
    if problem:
        return ApplyResult(action, accepted=False, message=problem.message, errors=[problem])
    problems = scheduling_problems(manifest)
    if problems:
        return ApplyResult(
            action,
            accepted=False,
            message="Not sent: this Pod asks for scheduling privileges the sandbox refuses.",
            errors=problems,
            hint="The sandbox cluster's admission policy refuses these for every client; "
            "Pod Studio checked before sending.",
            pod_name=_pod_name(manifest),
        )
    return None


def _pod_name(manifest: dict) -> str:
    metadata = manifest.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) and _DNS_SUBDOMAIN.match(name) else ""


def dry_run(*, manifest: Any, namespace: str, cluster: Cluster | None = None) -> ApplyResult:
    """Asks the API server, without saving anything, whether it would accept the Pod.

    A dry-run create gives the full validation and admission of a new Pod. When a Pod of that
    name exists already, a dry-run apply tells what Apply would do to it instead.
    """
    refused = _refused_before_sending("dry-run", manifest)
    if refused:
        return refused
    cluster = _cluster(cluster)
    pod = prepare_pod(manifest, namespace)
    answer = cluster.request(
        "POST",
        path("api", "v1", "namespaces", namespace, "pods"),
        query={"dryRun": "All", "fieldManager": FIELD_MANAGER, "fieldValidation": "Strict"},
        body=pod,
    )
    if answer.status == 409 and _pod_name(pod):
        answer = _apply_pod(cluster, pod, namespace, dry_run=True)
    return interpret("dry-run", answer, pod)


def _apply_pod(cluster: Cluster, pod: dict, namespace: str, *, dry_run: bool) -> ApiAnswer:
    query = {"fieldManager": FIELD_MANAGER, "force": "true", "fieldValidation": "Strict"}
    if dry_run:
        query["dryRun"] = "All"
    return cluster.request(
        "PATCH",
        path("api", "v1", "namespaces", namespace, "pods", _pod_name(pod)),
        query=query,
        body=pod,
        content_type="application/apply-patch+yaml",
    )


def apply(*, manifest: Any, namespace: str, cluster: Cluster | None = None) -> ApplyResult:
    """Server-side apply (field manager ``podstudio``) of the Pod into the learner's namespace."""
    refused = _refused_before_sending("apply", manifest)
    if refused:
        return refused
    cluster = _cluster(cluster)
    pod = prepare_pod(manifest, namespace)
    if not _pod_name(pod):
        return not_applied_without_name(
            dry_run(manifest=manifest, namespace=namespace, cluster=cluster), "Pod"
        )
    return interpret("apply", _apply_pod(cluster, pod, namespace, dry_run=False), pod)


def not_applied_without_name(result: ApplyResult, kind_name: str) -> ApplyResult:
    """The answer to Apply for an object without a valid name, from a dry run of it.

    Apply finds the object by its name, so it cannot send one without. When the dry run
    refused the object, its errors say what is wrong with the name; when it accepted it, the
    object has only ``generateName``, which the API server completes at creation (as
    ``kubectl create`` asks, while ``kubectl apply`` refuses it too).
    """
    result.action, result.accepted = "apply", False
    if not result.errors:
        result.message = (
            f"Not applied: this {kind_name} has no name, and Apply finds objects by name."
        )
        result.errors = [
            Problem(
                "metadata.name",
                f"Apply needs a name. generateName asks the API server to make one up when it "
                f"creates the {kind_name} (it would accept this one), so each create makes a new "
                f"{kind_name}. Set a name to apply and update it here.",
                "NameRequired",
            )
        ]
        result.hint = (
            "kubectl apply refuses objects with only generateName too; kubectl create -f makes "
            "one with a generated name."
        )
    return result


def delete(*, name: str, namespace: str, cluster: Cluster | None = None) -> ApplyResult:
    cluster = _cluster(cluster)
    if not _DNS_SUBDOMAIN.match(name or ""):
        return ApplyResult("delete", accepted=False, message="That is not a Pod name.")
    # A short grace period, so the learner can apply a changed Pod of the same name soon after.
    answer = cluster.request(
        "DELETE",
        path("api", "v1", "namespaces", namespace, "pods", name),
        query={"gracePeriodSeconds": str(DELETE_GRACE_SECONDS)},
    )
    if answer.status == 404:
        return ApplyResult(
            "delete",
            accepted=True,
            pod_name=name,
            status_code=404,
            message=f"There is no Pod {name} in your namespace (nothing to delete).",
        )
    result = interpret("delete", answer, {"metadata": {"name": name}})
    if result.accepted:
        result.message = (
            f"Pod {name} is being deleted (the sandbox gives its containers "
            f"{DELETE_GRACE_SECONDS} second to stop)."
        )
    return result


_PSA_PREFIX = re.compile(r'violates PodSecurity "([^"]+)": ')
# A ValidatingAdmissionPolicy's refusal; Pod Studio's policies start their messages with a path.
_POLICY_PREFIX = re.compile(
    r"ValidatingAdmissionPolicy '([^']+)'(?: with binding '[^']+')? denied request: "
)
_POLICY_PATH = re.compile(r"^((?:spec|metadata)(?:\.[A-Za-z]+(?:\[\d+\])?)*): (.+)$", re.S)
_WARN_PREFIX = re.compile(r'^would violate PodSecurity "([^"]+)": ')
_IMMUTABLE_HINT = (
    "A Pod's spec cannot be changed in place (only images, a few tolerations and timeouts can). "
    "Delete the Pod in the sandbox, then apply again."
)


def interpret(action: str, answer: ApiAnswer, pod: dict) -> ApplyResult:
    """Turns the API server's answer into errors at field paths, warnings and a message."""
    name = _pod_name(pod)
    body = answer.body
    if answer.ok:
        spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
        verb = {"dry-run": "would accept", "apply": "accepted", "delete": "accepted"}[action]
        return ApplyResult(
            action,
            accepted=True,
            message=f"The API server {verb} Pod {body.get('metadata', {}).get('name') or name}.",
            warnings=answer.warnings,
            hint=_warnings_not_repeated(action, answer, pod),
            pod_name=name,
            node_name=str(spec.get("nodeName") or ""),
            status_code=answer.status,
        )
    message = str(body.get("message") or answer.text.strip() or f"HTTP {answer.status}")
    reason = str(body.get("reason") or "")
    errors: list[Problem] = []
    psa = _PSA_PREFIX.search(message)
    policy = _POLICY_PREFIX.search(message)
    if psa:
        errors = [
            Problem(pod_security_path(pod, detail), f"{check}: {detail}", "PodSecurity")
            for check, detail in split_pod_security(message[psa.end() :])
        ]
    elif policy:
        text = message[policy.end() :]
        located = _POLICY_PATH.match(text)
        field_path, detail = located.groups() if located else ("", text)
        errors = [Problem(field_path, f"{detail} (admission policy {policy.group(1)})", "Policy")]
    else:
        causes = (
            body.get("details", {}).get("causes") if isinstance(body.get("details"), dict) else None
        )
        for cause in causes or []:
            if isinstance(cause, dict):
                errors.append(
                    Problem(
                        str(cause.get("field") or ""),
                        str(cause.get("message") or ""),
                        str(cause.get("reason") or reason),
                    )
                )
    if not errors:
        errors = [Problem("", message, reason)]
    hint = ""
    if "pod updates may not change fields" in message or "field is immutable" in message:
        hint = _IMMUTABLE_HINT
        # The server's own words are a diff of the whole spec: the plain sentence leads.
        message = (
            f"Not applied: Pod {name} is already in the sandbox, and this change needs a new Pod."
        )
    elif "exceeded quota" in message:
        hint = f"Your namespace allows {MAX_PODS_PER_LEARNER} Pods; delete one to make room."
    return ApplyResult(
        action,
        accepted=False,
        message=message,
        errors=errors,
        warnings=answer.warnings,
        hint=hint,
        pod_name=name,
        status_code=answer.status,
    )


def _warnings_not_repeated(action: str, answer: ApiAnswer, sent: dict) -> str:
    """Why a Pod already in the sandbox came back without the restricted level's warnings its
    create had: Pod Security Admission checks an update of a Pod only when it changes an image
    (``isSignificantPodUpdate``), so applying the same Pod again is silent. (Workloads are
    checked on every update.)"""
    if action == "delete" or answer.status != 200 or sent.get("kind") != "Pod":
        return ""  # 201: created, and checked
    if any(_WARN_PREFIX.match(warning) for warning in answer.warnings):
        return ""
    if analyze(sent).pss.level == "restricted":
        return ""  # nothing to warn about anyway
    return (
        "This Pod was already in the sandbox, and Pod Security checks an update of a Pod only "
        "when it changes an image: the restricted level's warnings are not repeated, but they "
        "still stand (the builder's Pod Security badge lists what they ask for)."
    )


def split_pod_security(text: str) -> list[tuple[str, str]]:
    """Splits ``check (detail), check (detail)`` as Pod Security Admission words its answers."""
    items: list[tuple[str, str]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append(_check_and_detail(text[start:index]))
            start = index + 1
    if text[start:].strip():
        items.append(_check_and_detail(text[start:]))
    return items


def _check_and_detail(item: str) -> tuple[str, str]:
    item = item.strip()
    if item.endswith(")") and "(" in item:
        check, _, detail = item.partition(" (")
        return check.strip(), detail[:-1].strip()
    return item, ""


_QUOTED = re.compile(r'"([^"]+)"')
_FIELD = re.compile(r"\b((?:spec|securityContext|metadata)(?:\.[A-Za-z]+)+)")


def pod_security_path(pod: dict, detail: str) -> str:
    """Best-effort field path for one Pod Security failure, from the names it quotes."""
    field_match = _FIELD.search(detail)
    field_name = field_match.group(1) if field_match else ""
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    if "container" in detail:
        wanted = set(_QUOTED.findall(detail))
        for list_name in ("initContainers", "containers", "ephemeralContainers"):
            containers = spec.get(list_name)
            for index, container in enumerate(containers if isinstance(containers, list) else []):
                if isinstance(container, dict) and container.get("name") in wanted:
                    base = f"spec.{list_name}[{index}]"
                    if field_name.startswith("securityContext"):
                        return f"{base}.{field_name}"
                    return base
    if field_name.startswith("spec."):
        return field_name
    if field_name.startswith("securityContext"):
        return f"spec.{field_name}"
    return "spec"


def warning_items(warnings: list[str]) -> list[str]:
    """Pod Security ``warn`` answers split into one line per control; other warnings as sent."""
    items = []
    for warning in warnings:
        match = _WARN_PREFIX.match(warning)
        if not match:
            items.append(warning)
            continue
        for check, detail in split_pod_security(warning[match.end() :]):
            items.append(f'Pod Security "{match.group(1)}" warns: {check}: {detail}')
    return items


def status(*, name: str, namespace: str, cluster: Cluster | None = None) -> PodView:
    """Phase, conditions, each container's state, and the Pod's events (scheduler reasons too)."""
    cluster = _cluster(cluster)
    if not _DNS_SUBDOMAIN.match(name or ""):
        return PodView(name=name, namespace=namespace, exists=False)
    answer = cluster.request("GET", path("api", "v1", "namespaces", namespace, "pods", name))
    view = PodView(name=name, namespace=namespace, exists=answer.ok)
    if answer.ok:
        _fill_pod(view, answer.body)
    elif not not_there(cluster, namespace, answer):
        _require_read(answer)
    events = cluster.request(
        "GET",
        path("api", "v1", "namespaces", namespace, "events"),
        query={"fieldSelector": f"involvedObject.kind=Pod,involvedObject.name={name}"},
    )
    if events.ok and view.exists:
        uid = answer.body.get("metadata", {}).get("uid")
        view.events = _events(events.body, uid)
    return view


def not_there(cluster: Cluster, namespace: str, answer: ApiAnswer) -> bool:
    """Whether a refused read means "nothing applied yet": a 404, or the 403 Pod Studio's
    identity gets in a learner namespace not made yet (its rights there come with it)."""
    if answer.status == 404:
        return True
    if answer.status != 403:
        return False
    return cluster.request("GET", path("api", "v1", "namespaces", namespace)).status == 404


def _require_read(answer: ApiAnswer) -> None:
    raise SandboxUnavailable(
        f"The sandbox cluster answered HTTP {answer.status}: {answer.body.get('message', '')}"
    )


def _fill_pod(view: PodView, pod: dict) -> None:
    metadata = pod.get("metadata", {})
    spec = pod.get("spec", {})
    pod_status = pod.get("status", {})
    view.phase = str(pod_status.get("phase") or "")
    view.node_name = str(spec.get("nodeName") or "")
    view.terminating = bool(metadata.get("deletionTimestamp"))
    view.conditions = [
        {
            "type": str(c.get("type", "")),
            "status": str(c.get("status", "")),
            "reason": str(c.get("reason") or ""),
            "message": str(c.get("message") or ""),
        }
        for c in pod_status.get("conditions") or []
        if isinstance(c, dict)
    ]
    for kind, spec_key, status_key in (
        ("init", "initContainers", "initContainerStatuses"),
        ("app", "containers", "containerStatuses"),
        ("ephemeral", "ephemeralContainers", "ephemeralContainerStatuses"),
    ):
        statuses = {
            s.get("name"): s for s in pod_status.get(status_key) or [] if isinstance(s, dict)
        }
        for container in spec.get(spec_key) or []:
            container_name = container.get("name", "")
            view.containers.append(
                _container_view(kind, container_name, statuses.get(container_name))
            )


def _container_view(kind: str, name: str, container_status: dict | None) -> ContainerView:
    if not container_status:
        return ContainerView(name, kind, "waiting", "", "Not started yet.", False, 0)
    state = container_status.get("state") or {}
    state_name = next(iter(state), "unknown") if isinstance(state, dict) else "unknown"
    detail = state.get(state_name) or {} if isinstance(state, dict) else {}
    last = container_status.get("lastState") or {}
    ended = last.get("terminated") if isinstance(last, dict) else None
    ended = ended if isinstance(ended, dict) else {}
    exit_code = ended.get("exitCode")
    return ContainerView(
        name=name,
        kind=kind,
        state=state_name,
        reason=str(detail.get("reason") or ""),
        message=str(detail.get("message") or ""),
        ready=bool(container_status.get("ready")),
        restarts=int(container_status.get("restartCount") or 0),
        last_reason=str(ended.get("reason") or ("Terminated" if ended else "")),
        last_exit_code=exit_code if isinstance(exit_code, int) else None,
        last_message=str(ended.get("message") or "").strip(),
    )


def _events(body: dict, uid: str | None) -> list[EventView]:
    events = []
    for item in body.get("items") or []:
        involved = item.get("involvedObject") or {}
        if uid and involved.get("uid") and involved.get("uid") != uid:
            continue  # an earlier Pod of the same name
        source = item.get("reportingComponent") or (item.get("source") or {}).get("component") or ""
        moment = (
            item.get("lastTimestamp") or item.get("eventTime") or item.get("firstTimestamp") or ""
        )
        count = item.get("count") or (item.get("series") or {}).get("count") or 1
        events.append(
            EventView(
                str(item.get("type") or ""),
                str(item.get("reason") or ""),
                str(item.get("message") or ""),
                int(count),
                str(source),
                str(moment),
            )
        )
    events.sort(key=lambda event: event.time)
    return events


def logs(
    *, name: str, namespace: str, container: str = "", cluster: Cluster | None = None
) -> LogsView:
    """The container's recent log lines, where the cluster has them (KWOK's fake nodes don't)."""
    cluster = _cluster(cluster)
    view = LogsView(container=container)
    if not _DNS_SUBDOMAIN.match(name or ""):
        view.unavailable = "That is not a Pod name."
        return view
    query = {"tailLines": str(LOG_TAIL_LINES), "limitBytes": str(LOG_LIMIT_BYTES)}
    if container:
        query["container"] = container
    answer = cluster.request(
        "GET",
        path("api", "v1", "namespaces", namespace, "pods", name, "log"),
        query=query,
        accept="text/plain, application/json",
    )
    if answer.ok:
        view.text = answer.text
    else:
        reason = answer.body.get("message") or answer.text.strip() or f"HTTP {answer.status}"
        if ":10250" in reason or "dial tcp" in reason:
            # The API server could not reach the node's kubelet: KWOK's nodes have none.
            reason = "its node is simulated and runs no containers, so nothing was printed"
        view.unavailable = f"The cluster has no logs for this Pod: {reason}."
    return view
