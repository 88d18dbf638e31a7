"""Pod phases and container states, and the events that move a one-container Pod between them.

``pod_phase`` is the kubelet's own rule (``getPhase`` in pkg/kubelet/kubelet_pods.go) for the
regular containers; ``apply`` plays one event (scheduled, image pulled, exited with a code, probe
failure, node lost …) and ``replay`` plays a story, stopping where the restart policy forbids
the next step. The model has one app container and no init containers, on purpose.

A lost node does not make the phase ``Unknown``: the API still lists that value, but nothing has
set it since 2015. The node lifecycle controller marks the node's Pods not Ready
(``MarkPodsNotReady``), their phase stays as last reported, and the taint eviction controller
deletes them once the ``node.kubernetes.io/unreachable`` toleration (300 s by default) runs out;
they then show ``Terminating`` until the node reports again or is removed.
"""

from dataclasses import dataclass, replace

PHASES = ("Pending", "Running", "Succeeded", "Failed")
RESTART_POLICIES = ("Always", "OnFailure", "Never")


@dataclass(frozen=True)
class ContainerState:
    state: str = "waiting"  # "waiting", "running" or "terminated"
    reason: str = "ContainerCreating"
    exit_code: int | None = None
    last_terminated: bool = False  # an earlier run has ended (status.lastState.terminated)
    restarts: int = 0
    ready: bool = False


def pod_phase(containers: list[ContainerState], restart_policy: str) -> str:
    """The phase the kubelet reports for these regular containers (getPhase)."""
    running = waiting = stopped = succeeded = 0
    for container in containers:
        if container.state == "running":
            running += 1
        elif container.state == "terminated":
            stopped += 1
            if container.exit_code == 0:
                succeeded += 1
        elif container.last_terminated:
            stopped += 1  # waiting to be restarted: it has run before
        else:
            waiting += 1
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if restart_policy == "Always":
            return "Running"  # everything is on its way to a restart
        if stopped == succeeded:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
        return "Running"  # OnFailure: the failed ones will be restarted
    return "Pending"


def will_restart(exit_code: int, restart_policy: str) -> bool:
    return restart_policy == "Always" or (restart_policy == "OnFailure" and exit_code != 0)


@dataclass(frozen=True)
class PodState:
    restart_policy: str = "Always"
    scheduled: bool = False
    unschedulable: bool = False
    node_reachable: bool = True
    evicted: bool = False  # deleted by the taint eviction controller, waiting for its node
    container: ContainerState = ContainerState()

    @property
    def phase(self) -> str:
        if not self.scheduled:
            return "Pending"
        return pod_phase([self.container], self.restart_policy)

    @property
    def ready(self) -> bool:
        return self.node_reachable and self.container.state == "running" and self.container.ready

    @property
    def status(self) -> str:
        """Roughly what ``kubectl get pods`` prints in its STATUS column."""
        if self.evicted:
            return "Terminating"
        if not self.scheduled:
            return "Pending"
        container = self.container
        if container.state in ("waiting", "terminated") and container.reason:
            return container.reason
        return self.phase

    @property
    def terminal(self) -> bool:
        return self.phase in ("Succeeded", "Failed")


class EventNotPossible(ValueError):
    """The event cannot happen in this state; the message says why, for the learner."""


EVENTS: dict[str, str] = {
    "schedule": "The scheduler binds the Pod to a node",
    "unschedulable": "The scheduler finds no node that fits",
    "pull-image": "The kubelet pulls the image",
    "pull-failed": "The image cannot be pulled",
    "start": "The container starts",
    "ready": "The readiness probe passes",
    "unready": "The readiness probe fails",
    "exit-0": "The process exits with code 0",
    "exit-1": "The process exits with code 1",
    "liveness-failed": "The liveness probe fails failureThreshold times",
    "oom-killed": "The container goes over its memory limit",
    "back-off": "The kubelet waits before the next restart",
    "node-lost": "The node stops reporting to the control plane",
    "node-evicted": "Five minutes pass: the Pod is evicted from the silent node",
    "node-back": "The node reports again",
}


def _terminate(state: PodState, code: int, reason: str) -> PodState:
    container = replace(
        state.container, state="terminated", reason=reason, exit_code=code, ready=False
    )
    return replace(state, container=container)


def apply(state: PodState, event: str) -> PodState:
    """The state after ``event``. Raises EventNotPossible when it cannot happen now."""
    container = state.container
    if event not in EVENTS:
        raise EventNotPossible(f"unknown event {event!r}")
    if state.evicted:
        raise EventNotPossible(
            "the Pod is being deleted: once its node reports again the kubelet stops it and it is "
            "gone; only a controller, such as a Deployment's ReplicaSet, makes a new one elsewhere"
        )
    if state.terminal and event not in ("node-lost", "node-evicted", "node-back"):
        raise EventNotPossible(f"the Pod is {state.phase}: nothing runs or restarts any more")
    if not state.node_reachable and event not in ("node-back", "node-evicted"):
        raise EventNotPossible("nothing is heard from the node until it reports again")
    if event == "node-evicted" and state.node_reachable:
        raise EventNotPossible("only the Pods of a node that stopped reporting are evicted so")

    if event == "schedule":
        if state.scheduled:
            raise EventNotPossible("the Pod is already bound to a node; it never moves")
        return replace(state, scheduled=True, unschedulable=False)
    if event == "unschedulable":
        if state.scheduled:
            raise EventNotPossible("the Pod is already bound to a node")
        return replace(state, unschedulable=True)
    if not state.scheduled:
        raise EventNotPossible("no node runs the Pod yet, so no kubelet can do that")

    if event in ("pull-image", "pull-failed"):
        if container.state != "waiting" or container.last_terminated:
            raise EventNotPossible("the image is pulled before the container first starts")
        if event == "pull-image":
            return replace(state, container=replace(container, reason="ContainerCreating"))
        reason = "ImagePullBackOff" if container.reason == "ErrImagePull" else "ErrImagePull"
        return replace(state, container=replace(container, reason=reason))
    if event == "start":
        if container.state == "running":
            raise EventNotPossible("the container is already running")
        if container.state == "waiting" and container.reason in (
            "ErrImagePull",
            "ImagePullBackOff",
        ):
            raise EventNotPossible("the image has not been pulled")
        if container.state == "terminated" and not will_restart(
            container.exit_code or 0, state.restart_policy
        ):
            raise EventNotPossible(
                f"restartPolicy {state.restart_policy} does not restart a container that "
                f"exited with code {container.exit_code}"
            )
        has_run = container.state == "terminated" or container.last_terminated
        started = ContainerState(
            state="running",
            reason="",
            last_terminated=has_run,
            restarts=container.restarts + (1 if has_run else 0),
        )
        return replace(state, container=started)
    if event == "back-off":
        if container.state != "terminated" or not will_restart(
            container.exit_code or 0, state.restart_policy
        ):
            raise EventNotPossible("only a container that will be restarted waits in back-off")
        waiting = replace(container, state="waiting", reason="CrashLoopBackOff", exit_code=None)
        return replace(state, container=replace(waiting, last_terminated=True))
    if event == "node-lost":
        return replace(state, node_reachable=False)
    if event == "node-evicted":
        return replace(state, evicted=True)
    if event == "node-back":
        if state.node_reachable:
            raise EventNotPossible("the node has been reporting all along")
        return replace(state, node_reachable=True)

    if container.state != "running":
        raise EventNotPossible("the container is not running")
    if event == "ready":
        return replace(state, container=replace(container, ready=True))
    if event == "unready":
        return replace(state, container=replace(container, ready=False))
    if event == "exit-0":
        return _terminate(state, 0, "Completed")
    if event == "exit-1":
        return _terminate(state, 1, "Error")
    if event == "liveness-failed":
        # The kubelet stops the container; here the app ignores SIGTERM and is killed (137).
        return _terminate(state, 137, "Error")
    return _terminate(state, 137, "OOMKilled")  # oom-killed


@dataclass(frozen=True)
class Step:
    event: str  # "" for the starting state
    label: str
    state: PodState


@dataclass(frozen=True)
class Replay:
    steps: list[Step]
    stopped: str  # why the story could not go on, or ""


def replay(events: list[str], restart_policy: str = "Always") -> Replay:
    """Plays the events from a freshly created Pod, stopping at the first impossible one."""
    if restart_policy not in RESTART_POLICIES:
        raise ValueError(f"restartPolicy must be one of {', '.join(RESTART_POLICIES)}")
    state = PodState(restart_policy=restart_policy)
    steps = [Step("", "The Pod is created", state)]
    for event in events:
        try:
            state = apply(state, event)
        except EventNotPossible as exc:
            label = EVENTS.get(event, event)
            return Replay(steps, f"{label}? Not here: {exc}.")
        label = EVENTS[event]
        if event == "start" and state.container.restarts:
            label = f"The kubelet restarts the container (restart {state.container.restarts})"
        steps.append(Step(event, label, state))
    return Replay(steps, "")


@dataclass(frozen=True)
class Story:
    title: str
    restart_policy: str
    events: tuple[str, ...]


STORIES: dict[str, Story] = {
    "web-server": Story(
        "A web server starts normally", "Always", ("schedule", "pull-image", "start", "ready")
    ),
    "task-succeeds": Story(
        "A task runs to completion", "OnFailure", ("schedule", "pull-image", "start", "exit-0")
    ),
    "task-retries": Story(
        "A task fails once, then succeeds",
        "OnFailure",
        ("schedule", "pull-image", "start", "exit-1", "start", "exit-0"),
    ),
    "crash-loop": Story(
        "An app that keeps crashing",
        "Always",
        ("schedule", "pull-image", "start", "exit-1", "start", "exit-1", "back-off", "start"),
    ),
    "bad-image": Story(
        "The image cannot be pulled", "Always", ("schedule", "pull-failed", "pull-failed")
    ),
    "no-node-fits": Story("No node has room", "Always", ("unschedulable",)),
    "liveness-restart": Story(
        "A hung app restarted by its liveness probe",
        "Always",
        ("schedule", "pull-image", "start", "ready", "liveness-failed", "start", "ready"),
    ),
    "out-of-memory": Story(
        "Over the memory limit",
        "Always",
        ("schedule", "pull-image", "start", "ready", "oom-killed", "start"),
    ),
    "node-lost": Story(
        "The node goes silent for a minute",
        "Always",
        ("schedule", "pull-image", "start", "ready", "node-lost", "node-back"),
    ),
    "node-gone": Story(
        "The node goes silent for good",
        "Always",
        ("schedule", "pull-image", "start", "ready", "node-lost", "node-evicted"),
    ),
}
