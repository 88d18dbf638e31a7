"""Troubleshooting drills: a broken Pod, what the cluster shows of it, and a fix to find.

A drill (in a lesson's ``drill.yaml``) is a broken Pod, its solution, the goals a fix must keep,
hints, what ``kubectl get pods`` shows for the broken Pod (``expect``), and facts about the app
and its world that no manifest holds (``app``):

- ``pullable``: the images the registry has; any other image fails to pull;
- ``needs_env``: variables the app exits with code 1 without;
- ``memory``: what the app uses; a lower memory limit gets it OOMKilled;
- ``ready``: ``{path, port}`` its readiness endpoint answers on; a readiness probe elsewhere fails;
- ``configmaps`` / ``secrets``: the ones that exist in the namespace;
- ``service``: ``{name, selector}``, a Service whose endpoints the drill shows.
- ``container``: the container the facts are about (the first one by default).

``play`` tells what a Pod's story is, as the cluster would tell it: Pod Security admission (the
engine, at the namespace's level), the scheduler (the sandbox's three nodes, filter by filter),
then the kubelet (the facts above), its container state played by the lifecycle simulator. With
the sandbox on, ``lessons.drillrun`` sends the same Pod to the real API server and scheduler, and
KWOK's stages (``sandbox/stages/``) play the kubelet's part from annotations ``fate`` computes.
"""

from dataclasses import dataclass, field
from typing import Any

from lessons import goals as goal_checks
from lessons import lifecycle
from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.defaults import container_resources, pod_resources
from podstudio.engine.kinds import kind_of
from podstudio.engine.paths import as_dict, as_list
from podstudio.engine.quantity import parse_quantity
from podstudio.engine.results import LEVELS
from podstudio.engine.validation import validate_pod

APP_FACTS = (
    "container",
    "pullable",
    "needs_env",
    "memory",
    "ready",
    "configmaps",
    "secrets",
    "service",
)
STATUSES = (
    "Running",
    "Pending",
    "ImagePullBackOff",
    "CrashLoopBackOff",
    "OOMKilled",
    "CreateContainerConfigError",
    "NotReady",
    "Forbidden",
    "Invalid",
)

# The sandbox's fake nodes (sandbox/start.sh makes the same three).
NODES = (
    {"name": "ssd-node", "cpu": "4", "memory": "8Gi", "labels": {"disktype": "ssd"}, "taints": []},
    {
        "name": "backend-node",
        "cpu": "4",
        "memory": "8Gi",
        "labels": {},
        "taints": [{"key": "dedicated", "value": "backend", "effect": "NoSchedule"}],
    },
    {"name": "small-node", "cpu": "1", "memory": "1Gi", "labels": {}, "taints": []},
)
_STANDARD_LABELS = ("kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch", "type")

# Annotations read by the KWOK stages in sandbox/stages/podstudio-drills.yaml.
PLAY = "podstudio.dev/play"
PLAY_CONTAINER = "podstudio.dev/play-container"
PLAY_MESSAGE = "podstudio.dev/play-message"
KWOK_READY_WEIGHT = "pod-ready.stage.kwok.x-k8s.io/weight"


@dataclass(frozen=True)
class Drill:
    slug: str
    lesson: str
    title: str
    brief: str
    pod: dict
    solution: dict
    app: dict
    expect: str
    hints: Any  # lessons.content.Hints
    goals: tuple  # lessons.content.Goal: what a fix must keep
    file: str = ""

    @property
    def pod_name(self) -> str:
        name = as_dict(self.pod.get("metadata")).get("name")
        return name if isinstance(name, str) else "drill"


@dataclass
class Event:
    type: str
    reason: str
    message: str
    source: str
    count: int = 1


@dataclass
class ContainerLine:
    name: str
    state: str  # waiting, running, terminated
    reason: str = ""
    message: str = ""
    ready: bool = False
    restarts: int = 0
    last_reason: str = ""
    last_exit_code: int | None = None
    last_message: str = ""  # the last words of the run that ended (its termination message)


@dataclass
class Story:
    """What the cluster shows of one Pod: the ``kubectl get``/``describe`` view of it."""

    status: str  # the STATUS column, or Forbidden / Invalid when the API server refused it
    phase: str = ""
    node: str = ""
    ready: bool = False
    refused: list[str] = field(default_factory=list)  # the API server's or admission's reasons
    conditions: list[tuple[str, str, str]] = field(default_factory=list)  # type, status, reason
    containers: list[ContainerLine] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    endpoints: str = ""  # the Service's endpoints line, when the drill has a Service
    fate: dict[str, str] = field(default_factory=dict)  # what KWOK must play (annotations)

    @property
    def running_and_ready(self) -> bool:
        return self.phase == "Running" and self.ready

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.containers)

    @property
    def ready_text(self) -> str:
        return f"{sum(c.ready for c in self.containers)}/{len(self.containers)}"


# --- the facts --------------------------------------------------------------------------------


POD_IP = "10.244.0.12"  # the address the offline story gives the Pod


def _restart_policy(pod: dict, container: dict) -> str:
    """Whether the kubelet restarts ``container``: its own restartPolicy wins over the Pod's
    (ContainerShouldRestart), which is Always when not set."""
    spec = as_dict(pod.get("spec"))
    return container.get("restartPolicy") or spec.get("restartPolicy") or "Always"


def _container_of(pod: dict, app: dict) -> dict:
    containers = [
        c for c in as_list(as_dict(pod.get("spec")).get("containers")) if isinstance(c, dict)
    ]
    wanted = app.get("container")
    for container in containers:
        if container.get("name") == wanted:
            return container
    return containers[0] if containers else {}


def _quantity(value: Any):
    try:
        return parse_quantity(value) if value is not None else None
    except (ValueError, TypeError, ArithmeticError):
        return None


def _env_names(container: dict) -> set[str]:
    """The variables the app finds set (not empty): of two entries with one name, the kubelet
    gives it the last."""
    entries = [entry for entry in as_list(container.get("env")) if isinstance(entry, dict)]
    last = {entry.get("name"): entry for entry in entries}
    return {
        name
        for name, entry in last.items()
        if entry.get("value") not in (None, "") or entry.get("valueFrom")
    }


def _references(pod: dict) -> list[tuple[str, str, str, str]]:
    """(container, kind, name, how) of every ConfigMap and Secret the containers need."""
    found = []
    spec = as_dict(pod.get("spec"))
    for key in ("initContainers", "containers"):
        for container in as_list(spec.get(key)):
            if not isinstance(container, dict):
                continue
            name = str(container.get("name", ""))
            for source in as_list(container.get("envFrom")):
                for kind, ref in (("configmap", "configMapRef"), ("secret", "secretRef")):
                    target = as_dict(as_dict(source).get(ref))
                    if target and target.get("optional") is not True:
                        found.append((name, kind, str(target.get("name", "")), "env"))
            for entry in as_list(container.get("env")):
                value_from = as_dict(as_dict(entry).get("valueFrom"))
                for kind, ref in (("configmap", "configMapKeyRef"), ("secret", "secretKeyRef")):
                    target = as_dict(value_from.get(ref))
                    if target and target.get("optional") is not True:
                        found.append((name, kind, str(target.get("name", "")), "env"))
    for volume in as_list(spec.get("volumes")):
        for kind, ref, key in (
            ("configmap", "configMap", "name"),
            ("secret", "secret", "secretName"),
        ):
            target = as_dict(as_dict(volume).get(ref))
            if target and target.get("optional") is not True:
                found.append(("", kind, str(target.get(key, "")), "volume"))
    return found


def fate(pod: dict, app: dict) -> dict[str, str]:
    """What the kubelet would make of the Pod's containers, from the drill's facts: ``{}`` when
    they start and pass their checks, else ``{play, container, message}``."""
    container = _container_of(pod, app)
    name = str(container.get("name", ""))
    existing = {"configmap": set(app.get("configmaps", [])), "secret": set(app.get("secrets", []))}
    for owner, kind, ref, how in _references(pod):
        if ref not in existing[kind]:
            if how == "volume":
                return {
                    "play": "mount-failed",
                    "container": name,
                    "message": f'MountVolume.SetUp failed: {kind} "{ref}" not found',
                }
            return {
                "play": "config-missing",
                "container": owner,
                "message": f'{kind} "{ref}" not found',
            }
    pullable = app.get("pullable")
    if pullable is not None:
        spec = as_dict(pod.get("spec"))
        for key in ("initContainers", "containers"):
            for each in as_list(spec.get(key)):
                image = as_dict(each).get("image")
                if image not in pullable:
                    return {
                        "play": "image-pull",
                        "container": str(as_dict(each).get("name", "")),
                        "message": f'Failed to pull image "{image}": not found or access denied',
                    }
    # A container that is not restarted ends there.
    stops = _restart_policy(pod, container) == "Never"
    if "memory" in app:
        limit = _quantity(as_dict(as_dict(container.get("resources")).get("limits")).get("memory"))
        if limit is not None and limit < _quantity(app["memory"]):
            play = "oom-stop" if stops else "oom-killed"
            return {"play": play, "container": name, "message": "OOMKilled"}
    missing = [var for var in app.get("needs_env", []) if var not in _env_names(container)]
    if missing:
        return {
            "play": "crash-stop" if stops else "crash-loop",
            "container": name,
            "message": f"exited with code 1: {missing[0]} is not set",
        }
    ready = app.get("ready")
    probe = as_dict(container.get("readinessProbe"))
    if ready and probe:
        failed = _readiness_failure(pod, container, probe, ready)
        if failed:
            return {"play": "not-ready", "container": name, "message": failed}
    return {}


def _readiness_failure(pod: dict, container: dict, probe: dict, ready: dict) -> str:
    """Why the readiness probe fails against an app that answers HTTP checks on ``ready``'s
    path and port ("" when it passes), in the kubelet's words: an HTTP probe elsewhere gets a
    404, or nothing at a port the app does not listen on; a TCP probe passes at that port; an
    exec probe's command is not the drill's to judge, so it passes."""
    for handler in ("httpGet", "tcpSocket", "grpc"):
        if handler not in probe:
            continue
        action = as_dict(probe.get(handler))
        port_ok = goal_checks.holds(
            {"path": f"readinessProbe.{handler}.port", "port": ready["port"]}, pod, container
        )
        port = action.get("port", "?")
        if not port_ok:
            return f"Readiness probe failed: dial tcp {POD_IP}:{port}: connect: connection refused"
        if handler == "httpGet" and action.get("path", "/") != ready["path"]:
            return (
                "Readiness probe failed: HTTP probe failed with statuscode: 404 "
                f"({action.get('path', '/')} on port {port})"
            )
        if handler == "grpc":  # the app speaks HTTP, not gRPC's health service
            return (
                f'Readiness probe failed: timeout: failed to connect service "{POD_IP}:{port}" '
                "within 1s"
            )
        return ""
    return ""


def fate_annotations(pod: dict, app: dict) -> dict[str, str]:
    """The annotations that make the sandbox's KWOK stages play the Pod's fate."""
    found = fate(pod, app)
    if not found:
        return {}
    return {
        PLAY: found["play"],
        PLAY_CONTAINER: found["container"],
        PLAY_MESSAGE: found["message"][:500],
        KWOK_READY_WEIGHT: "0",
    }


# --- the scheduler ----------------------------------------------------------------------------


def _requests(pod: dict) -> dict[str, Any]:
    """What the scheduler reserves for the Pod (resourcehelper.PodRequests): pod-level requests
    when ``spec.resources`` sets them, else the containers' requests as stored (defaulted from
    limits), regular containers and sidecars added up, each init container beside the sidecars
    started before it."""
    pod_level = pod_resources(pod)
    spec = as_dict(pod.get("spec"))
    total: dict[str, Any] = {}
    for resource in ("cpu", "memory"):
        if pod_level is not None and resource in pod_level[0]:
            total[resource] = pod_level[0][resource]
            continue
        running = sum(
            container_resources(as_dict(c))[0].get(resource, 0)
            for c in as_list(spec.get("containers"))
        )
        sidecars, peak = 0, 0
        for container in as_list(spec.get("initContainers")):
            own = container_resources(as_dict(container))[0].get(resource, 0)
            if as_dict(container).get("restartPolicy") == "Always":
                sidecars += own
                peak = max(peak, sidecars)
            else:
                peak = max(peak, own + sidecars)
        total[resource] = max(running + sidecars, peak)
    return total


def _requirement_holds(requirement: Any, have: dict[str, str]) -> bool:
    """One node selector requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) on ``have``."""
    requirement = as_dict(requirement)
    key, operator = requirement.get("key"), requirement.get("operator")
    values = [str(value) for value in as_list(requirement.get("values"))]
    present = isinstance(key, str) and key in have
    if operator == "In":
        return present and have[key] in values
    if operator == "NotIn":
        return not present or have[key] not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and len(values) == 1:
        try:
            mine, bound = int(have[key]), int(values[0])
        except ValueError:
            return False
        return mine > bound if operator == "Gt" else mine < bound
    return False


def _affinity_allows(spec: dict, labels: dict[str, str], name: str) -> bool:
    """requiredDuringSchedulingIgnoredDuringExecution: some term matches the node (its
    expressions on labels and fields all hold; a term that asks nothing matches no node)."""
    required = as_dict(
        as_dict(as_dict(spec.get("affinity")).get("nodeAffinity")).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
    )
    if not required:
        return True
    for term in as_list(required.get("nodeSelectorTerms")):
        expressions = as_list(as_dict(term).get("matchExpressions"))
        fields = as_list(as_dict(term).get("matchFields"))
        if not expressions and not fields:
            continue
        if all(_requirement_holds(e, labels) for e in expressions) and all(
            _requirement_holds(f, {"metadata.name": name}) for f in fields
        ):
            return True
    return False


def schedule(pod: dict) -> tuple[str, str]:
    """The node the scheduler would pick ("" if none) and, if none, its FailedScheduling message
    (each node counted under the first filter it fails, in the scheduler's filter order)."""
    spec = as_dict(pod.get("spec"))
    selector = as_dict(spec.get("nodeSelector"))
    tolerations = as_list(spec.get("tolerations"))
    wanted = _requests(pod)
    reasons: dict[str, int] = {}
    fits = []
    for node in NODES:
        labels = {
            **node["labels"],
            "kubernetes.io/hostname": node["name"],
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "type": "kwok",
        }
        untolerated = [t for t in node["taints"] if not goal_checks.tolerates(tolerations, t)]
        short = [r for r in ("cpu", "memory") if wanted[r] > parse_quantity(node[r])]
        if untolerated:
            reason = "node(s) had untolerated taint(s)"
        elif any(labels.get(k) != str(v) for k, v in selector.items()) or not _affinity_allows(
            spec, labels, node["name"]
        ):
            reason = "node(s) didn't match Pod's node affinity/selector"
        elif short:
            reason = f"Insufficient {short[0]}"
        else:
            fits.append(node["name"])
            continue
        reasons[reason] = reasons.get(reason, 0) + 1
    if fits:
        return fits[0], ""
    # The scheduler sorts "<count> <reason>" strings (FitError.Error).
    listed = ", ".join(sorted(f"{count} {reason}" for reason, count in reasons.items()))
    total = len(NODES)
    return "", (
        f"0/{total} nodes are available: {listed}. preemption: 0/{total} nodes are available: "
        f"{total} Preemption is not helpful for scheduling."
    )


# --- the whole story --------------------------------------------------------------------------


def is_pod(manifest: Any) -> bool:
    """Whether a drill can run it: not a workload (a Pod, or what the Pod's rules refuse)."""
    kind = kind_of(manifest) if isinstance(manifest, dict) else None
    return kind is None or kind.is_pod


NOT_A_POD = (
    "a drill runs the Pod itself, and this is a {kind}: choose Pod as the kind and press Change "
    "kind to unwrap it, then run it again"
)


def _replay(events: list[str], policy: str) -> lifecycle.PodState:
    return lifecycle.replay(events, policy).steps[-1].state


def play(pod: Any, app: dict, *, enforce: str = "baseline") -> Story:
    """The story of ``pod`` in a namespace enforcing Pod Security ``enforce``, told offline."""
    if not isinstance(pod, dict):
        return Story("Invalid", refused=["the manifest is not a Pod"])
    if not is_pod(pod):
        return Story("Invalid", refused=[NOT_A_POD.format(kind=kind_of(pod).name)])
    errors = validate_pod(pod, goal_checks.cluster_version())
    if errors:
        return Story("Invalid", refused=[f"{e.path}: {e.message}" for e in errors[:5]])
    level = evaluate_pss(pod)
    if LEVELS.index(level.level) < LEVELS.index(enforce):
        blocked = [v for v in level.violations if LEVELS.index(v.level) <= LEVELS.index(enforce)]
        detail = [f"{v.control}: {v.message}" for v in blocked] or [f"it meets only {level.level}"]
        return Story("Forbidden", refused=[f'violates PodSecurity "{enforce}:latest"', *detail])
    spec = as_dict(pod.get("spec"))
    names = [str(as_dict(c).get("name", "")) for c in as_list(spec.get("containers"))]
    policy = spec.get("restartPolicy", "Always")
    node, unschedulable = schedule(pod)
    story = Story("Pending", phase="Pending")
    if not node:
        story.conditions = [("PodScheduled", "False", "Unschedulable")]
        story.containers = [ContainerLine(n, "waiting", "", "") for n in names]
        story.events = [Event("Warning", "FailedScheduling", unschedulable, "default-scheduler")]
        return story
    story.node = node
    story.events.append(
        Event(
            "Normal", "Scheduled", f"Successfully assigned the Pod to {node}", "default-scheduler"
        )
    )
    found = fate(pod, app)
    story.fate = found
    play_name = found.get("play", "")
    target = found.get("container", "")
    for name in names:
        story.containers.append(ContainerLine(name, "running", ready=True))
    line = next((c for c in story.containers if c.name == target), None)
    if play_name in ("config-missing", "mount-failed", "image-pull"):
        events = {
            "config-missing": ["schedule", "pull-image"],
            "mount-failed": ["schedule", "pull-image"],
            "image-pull": ["schedule", "pull-failed", "pull-failed"],
        }[play_name]
        state = _replay(events, policy)
        reason = {
            "config-missing": "CreateContainerConfigError",
            "mount-failed": "ContainerCreating",
        }.get(play_name, state.container.reason)
        for each in story.containers:
            if each is line or play_name == "mount-failed":
                each.state, each.ready, each.reason = "waiting", False, reason
                each.message = found["message"] if each is line else ""
            else:
                each.ready = False  # the Pod's containers start together once all can
                each.state, each.reason = "waiting", "ContainerCreating"
        story.phase, story.status = "Pending", reason
        event = {
            "config-missing": ("Warning", "Failed", f"Error: {found['message']}"),
            "mount-failed": ("Warning", "FailedMount", found["message"]),
            "image-pull": ("Warning", "Failed", found["message"]),
        }[play_name]
        story.events.append(Event(*event, source="kubelet", count=3))
        if play_name == "image-pull":
            story.events.append(
                Event("Normal", "BackOff", "Back-off pulling image", "kubelet", count=3)
            )
    elif play_name in ("crash-loop", "oom-killed", "crash-stop", "oom-stop"):
        crashed = play_name.startswith("crash")
        code = "exit-1" if crashed else "oom-killed"
        state = _replay(
            ["schedule", "pull-image", "start", code, "back-off", "start", code, "back-off"],
            _restart_policy(pod, _container_of(pod, app)),
        )
        container = state.container
        said = found["message"] if crashed else ""
        if container.state == "terminated":  # not restarted: it stays as it ended
            if line is not None:
                line.state, line.ready, line.reason = "terminated", False, container.reason
                line.message = said or f"exit code {container.exit_code}"
            # Failed once no container runs on; the STATUS column shows how it ended.
            story.phase = state.phase if len(names) == 1 else "Running"
            story.status = container.reason
        else:
            if line is not None:
                line.state, line.ready = "waiting", False
                line.reason = container.reason or "CrashLoopBackOff"
                line.restarts = container.restarts
                line.last_reason = "Error" if crashed else "OOMKilled"
                line.last_exit_code = 1 if crashed else 137
                line.message = said
                line.last_message = said  # its last words, as the cluster keeps them
            story.phase = state.phase
            story.status = line.reason if line else state.status
            story.events.append(
                Event(
                    "Warning", "BackOff", "Back-off restarting failed container", "kubelet", count=2
                )
            )
    else:
        state = _replay(["schedule", "pull-image", "start"], policy)
        story.phase = state.phase
        story.status = "Running"
        if play_name == "not-ready" and line is not None:
            line.ready = False
            story.events.append(Event("Warning", "Unhealthy", found["message"], "kubelet", count=5))
        story.events.append(Event("Normal", "Started", "Started container", "kubelet"))
    story.ready = story.phase == "Running" and all(c.ready for c in story.containers)
    story.conditions = [
        ("PodScheduled", "True", ""),
        ("Initialized", "True", ""),
        ("ContainersReady", str(story.ready), "" if story.ready else "ContainersNotReady"),
        ("Ready", str(story.ready), "" if story.ready else "ContainersNotReady"),
    ]
    return story


def endpoints_line(app: dict, pod: dict, ready: bool, pod_ip: str = POD_IP) -> str:
    """The Service's endpoints, as ``kubectl get endpoints`` would list them, when it has one."""
    service = app.get("service")
    if not service:
        return ""
    shown = (
        f"{pod_ip}:{service.get('port', 8080)}" if _selects(service, pod) and ready else "<none>"
    )
    return f"{service['name']}   {shown}"


def _selects(service: dict, pod: Any) -> bool:
    """Whether the Pod carries every label of the Service's selector."""
    labels = as_dict(as_dict(as_dict(pod).get("metadata")).get("labels"))
    return all(labels.get(k) == v for k, v in as_dict(service.get("selector")).items())


def outcome(drill: Drill, manifest: Any, *, enforce: str = "baseline") -> tuple[Story, list[dict]]:
    """The drill's story for ``manifest`` and its goals (what the fix must keep), checked."""
    story = play(manifest, drill.app, enforce=enforce)
    if isinstance(manifest, dict):
        story.endpoints = endpoints_line(drill.app, manifest, story.running_and_ready)
    return story, check_goals(drill, manifest, story.running_and_ready)


def check_goals(drill: Drill, manifest: Any, runs: bool) -> list[dict]:
    """The fix's goals: the Pod runs and is Ready (and, in a drill with a Service, is one of its
    endpoints: the cluster's to say, like Ready), and it keeps what the drill asks to keep."""
    service = as_dict(drill.app.get("service"))
    message = "The Pod is Running and Ready."
    if service:
        runs = runs and _selects(service, manifest)
        message = (
            f"The Pod is Running and Ready, and the Service {service.get('name')} sends it traffic."
        )
    results = [
        {
            "id": "runs",
            "status": "pass" if runs else "fail",
            "path": "status",
            "message": message,
        }
    ]
    checked = goal_checks.evaluate_all([goal.check for goal in drill.goals], manifest)
    for goal, met in zip(drill.goals, checked, strict=True):
        results.append(
            {
                "id": goal.id,
                "status": "pass" if met else "fail",
                "path": goal.path,
                "message": goal.message,
            }
        )
    return results


def passed(goals: list[dict]) -> bool:
    return bool(goals) and all(goal["status"] == "pass" for goal in goals)


# --- reading drill.yaml -----------------------------------------------------------------------


def read_drills(reader, lesson: str) -> list[Drill]:
    """The drills of one lesson folder; mistakes go to ``reader.mistakes`` with their line."""
    from lessons.content import read_goals, read_hints

    doc = reader.yaml_file("drill.yaml")
    if doc is None:
        return []
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("drills"), list):
        reader.mistakes.append(doc.mistake("drill.yaml must hold drills: a list of drills"))
        return []
    reader.unknown(doc, data, {"drills"})
    found = []
    for index, item in enumerate(data["drills"]):
        at = ("drills", index)
        if not isinstance(item, dict):
            reader.mistakes.append(doc.mistake("a drill must be a mapping", *at))
            continue
        reader.unknown(
            doc,
            item,
            {"slug", "title", "brief", "pod", "solution", "app", "expect", "hints", "goals"},
            *at,
        )
        before = len(reader.mistakes)
        app = item.get("app", {})
        if not isinstance(app, dict):
            reader.mistakes.append(doc.mistake("app must be a mapping of facts", *at, "app"))
            app = {}
        for key in app:
            if key not in APP_FACTS:
                reader.mistakes.append(
                    doc.mistake(
                        f"unknown app fact {key!r} (known: {', '.join(APP_FACTS)})", *at, "app", key
                    )
                )
        for key in ("pullable", "needs_env", "configmaps", "secrets"):
            if key in app and not isinstance(app[key], list):
                reader.mistakes.append(doc.mistake(f"app.{key} must be a list", *at, "app", key))
        if "memory" in app and _quantity(app["memory"]) is None:
            reader.mistakes.append(
                doc.mistake("app.memory must be a quantity", *at, "app", "memory")
            )
        if "ready" in app and not (
            isinstance(app["ready"], dict) and {"path", "port"} <= set(app["ready"])
        ):
            reader.mistakes.append(
                doc.mistake("app.ready needs path and port", *at, "app", "ready")
            )
        if "service" in app and not (
            isinstance(app["service"], dict) and {"name", "selector"} <= set(app["service"])
        ):
            reader.mistakes.append(
                doc.mistake("app.service needs name and selector", *at, "app", "service")
            )
        expect = item.get("expect")
        if expect not in STATUSES:
            reader.mistakes.append(
                doc.mistake(f"expect must be one of {', '.join(STATUSES)}", *at, "expect")
            )
        goals = item.get("goals", [])
        drill = Drill(
            slug=reader.string(doc, item, "slug", *at),
            lesson=lesson,
            title=reader.string(doc, item, "title", *at),
            brief=reader.string(doc, item, "brief", *at),
            pod=reader.pod(doc, item, "pod", *at),
            solution=reader.pod(doc, item, "solution", *at),
            app=app,
            expect=str(expect),
            hints=read_hints(reader, doc, item.get("hints"), *at, "hints"),
            goals=read_goals(reader, doc, goals, *at, "goals") if goals else (),
            file=doc.file,
        )
        if len(reader.mistakes) > before:
            continue
        for where, message in drill_problems(drill):
            reader.mistakes.append(doc.mistake(message, *at, *where))
        found.append(drill)
    return found


def drill_problems(drill: Drill) -> list[tuple[tuple, str]]:
    """A drill's story must hold together: the broken Pod shows ``expect`` and fails, the solution
    runs and is Ready and keeps every goal."""
    problems = []
    story, goals = outcome(drill, drill.pod)
    shown = "NotReady" if story.status == "Running" and not story.ready else story.status
    if shown != drill.expect:
        problems.append((("expect",), f"the broken Pod shows {shown}, not {drill.expect}"))
    if passed(goals):
        problems.append((("pod",), "the broken Pod already runs and keeps every goal"))
    story, goals = outcome(drill, drill.solution)
    if not story.running_and_ready:
        problems.append(
            (("solution",), f"the solution does not run and become Ready ({story.status})")
        )
    elif goals[0]["status"] != "pass":
        problems.append((("solution",), "the drill's Service does not select the solution"))
    for goal in goals[1:]:
        if goal["status"] != "pass":
            problems.append((("solution",), f"the solution does not keep goal {goal['id']!r}"))
    return problems
