"""A probe timeline: what the kubelet does with a container's startup, liveness, readiness probes.

The rules follow the kubelet's probe workers (pkg/kubelet/prober/worker.go):

- No probe runs before ``initialDelaySeconds`` have passed since the container started.
- While a startup probe has not succeeded, liveness and readiness probes do not run at all.
- A probe changes state only after ``failureThreshold`` failures in a row, or
  ``successThreshold`` successes in a row. A timeout is a failure.
- Liveness or startup reaching ``failureThreshold`` kills the container; it is restarted and
  every probe begins again from ``initialDelaySeconds``. Readiness failures never restart anything.
- Readiness starts as "not ready" in every new container. Its run of equal results is not reset
  by a restart (the kubelet keeps the counter), which the timeline shows faithfully.
- A container without a readiness probe is Ready as soon as it has started.

Simplifications, said out loud: time moves in whole seconds; attempts fall exactly on
``initialDelaySeconds + k × periodSeconds`` after each start (the kubelet's ticks are offset by a
random part of a period); an attempt's result counts at the second it is sent; stopping a
container takes no time (really up to ``terminationGracePeriodSeconds``) and starting it again
takes 1 s; later restarts wait the kubelet's crash back-off instead: 10 s, doubling up to 300 s.
"""

from dataclasses import dataclass, field

PROBE_KINDS = ("startup", "liveness", "readiness")
MAX_DURATION = 900
BACK_OFF_START = 10
BACK_OFF_MAX = 300


@dataclass(frozen=True)
class ProbeSpec:
    """The five timing fields of a probe, with the Kubernetes defaults."""

    initial_delay: int = 0
    period: int = 10
    timeout: int = 1
    success_threshold: int = 1
    failure_threshold: int = 3


@dataclass(frozen=True)
class AppBehaviour:
    """How the app answers, in seconds. ``healthy_after``/``ready_after`` count from each start.

    - ``healthy_after``: the health endpoint (startup and liveness) answers from then on; before,
      connections are refused, which fails at once.
    - ``ready_after``: the readiness endpoint answers OK from then on (default: healthy_after).
    - ``hangs_at``: at this moment of the timeline the running app freezes and every probe of
      that container times out. A restarted container is healthy again.
    - ``response_time``: how long each answer takes; slower than timeoutSeconds is a timeout.
    - ``unready_between``: a window of the timeline (a dependency outage) in which the readiness
      endpoint fails while the health endpoint stays fine.
    """

    healthy_after: int = 0
    ready_after: int | None = None
    hangs_at: int | None = None
    response_time: float = 0.0
    unready_between: tuple[int, int] | None = None


@dataclass(frozen=True)
class Attempt:
    time: int
    probe: str
    result: str  # "success", "failure" or "timeout"
    effect: str = ""  # what crossing a threshold did: "started", "ready", "not ready", "restart"


@dataclass(frozen=True)
class Restart:
    time: int  # when the kubelet killed the container
    probe: str  # which probe's failures caused it
    back_off: int  # seconds waited before starting it again
    next_start: int


@dataclass(frozen=True)
class Interval:
    start: int
    end: int  # exclusive; the timeline's duration if still open


@dataclass
class Timeline:
    duration: int
    attempts: list[Attempt] = field(default_factory=list)
    runs: list[Interval] = field(default_factory=list)  # when the container was running
    ready: list[Interval] = field(default_factory=list)  # when the Pod was Ready: traffic routed
    restarts: list[Restart] = field(default_factory=list)

    def ready_at(self, second: int) -> bool:
        return any(i.start <= second < i.end for i in self.ready)


def validate_spec(kind: str, spec: ProbeSpec) -> list[str]:
    """The API server's limits on the timing fields, as messages for a form."""
    errors = []
    if spec.initial_delay < 0:
        errors.append(f"{kind}: initialDelaySeconds must be 0 or more")
    for name, value in (
        ("periodSeconds", spec.period),
        ("timeoutSeconds", spec.timeout),
        ("successThreshold", spec.success_threshold),
        ("failureThreshold", spec.failure_threshold),
    ):
        if value < 1:
            errors.append(f"{kind}: {name} must be 1 or more")
    if kind in ("liveness", "startup") and spec.success_threshold != 1:
        errors.append(f"{kind}: successThreshold must be 1")
    return errors


def back_off_before(restart_number: int) -> int:
    """Seconds the kubelet waits before the n-th restart (1-based) of a container."""
    if restart_number <= 1:
        return 0
    return min(BACK_OFF_START * 2 ** (restart_number - 2), BACK_OFF_MAX)


@dataclass
class _Worker:
    spec: ProbeSpec
    last_result: str = "success"  # the kubelet's zero value; only equality matters
    run: int = 0
    on_hold: bool = False


def _answer(kind: str, now: int, started_at: int, app: AppBehaviour, timeout: int) -> str:
    if app.hangs_at is not None and started_at <= app.hangs_at <= now:
        return "timeout"
    since_start = now - started_at
    if kind == "readiness":
        ready_after = app.healthy_after if app.ready_after is None else app.ready_after
        ok = since_start >= ready_after
        if app.unready_between is not None:
            begin, end = app.unready_between
            ok = ok and not (begin <= now < end)
    else:
        ok = since_start >= app.healthy_after
    if not ok:
        return "failure"
    # The kubelet's client gives up when timeoutSeconds is over: an answer that takes that long
    # comes too late.
    return "timeout" if app.response_time >= timeout else "success"


def simulate(probes: dict[str, ProbeSpec], app: AppBehaviour, duration: int = 180) -> Timeline:
    """Runs the kubelet's probe rules second by second for one container.

    ``probes`` maps "startup", "liveness" and "readiness" to their settings; leave a kind out
    when the container has no such probe. Raises ValueError on settings the API would reject.
    """
    errors = [e for kind, spec in probes.items() for e in validate_spec(kind, spec)]
    unknown = set(probes) - set(PROBE_KINDS)
    if unknown:
        errors.append(f"unknown probe kinds: {sorted(unknown)}")
    if not 1 <= duration <= MAX_DURATION:
        errors.append(f"duration must be between 1 and {MAX_DURATION} seconds")
    if errors:
        raise ValueError("; ".join(errors))

    timeline = Timeline(duration=duration)
    workers = {kind: _Worker(spec) for kind, spec in probes.items()}
    running = True
    started_at = 0  # the current container's start
    next_start: int | None = None
    started = "startup" not in workers
    readiness_ok = False
    restarts = 0
    ready_since: int | None = None

    def set_ready(now: int, value: bool) -> None:
        nonlocal ready_since
        if value and ready_since is None:
            ready_since = now
        elif not value and ready_since is not None:
            if now > ready_since:
                timeline.ready.append(Interval(ready_since, now))
            ready_since = None

    def pod_ready() -> bool:
        if not running or not started:
            return False
        return readiness_ok if "readiness" in workers else True

    set_ready(0, pod_ready())
    for now in range(duration):
        if not running and next_start is not None and now >= next_start:
            running, started_at, next_start = True, now, None
            started = "startup" not in workers
            readiness_ok = False  # every new container starts not ready
            for worker in workers.values():
                worker.on_hold = False
            set_ready(now, pod_ready())
        for kind in PROBE_KINDS:
            worker = workers.get(kind)
            if worker is None or not running or worker.on_hold:
                continue
            spec = worker.spec
            since_start = now - started_at
            if since_start < spec.initial_delay or (since_start - spec.initial_delay) % spec.period:
                continue
            if (kind == "startup") == started:
                continue  # startup runs only until it passes; the others only after
            result = _answer(kind, now, started_at, app, spec.timeout)
            passed = result == "success"
            outcome = "success" if passed else "failure"
            if worker.last_result == outcome:
                worker.run += 1
            else:
                worker.last_result, worker.run = outcome, 1
            threshold = spec.success_threshold if passed else spec.failure_threshold
            effect = ""
            if worker.run >= threshold:
                if kind == "startup" and passed:
                    started = True
                    effect = "started"
                elif kind == "readiness":
                    if passed != readiness_ok:
                        effect = "ready" if passed else "not ready"
                    readiness_ok = passed
                elif not passed:  # liveness or startup failed for good: kill and restart
                    worker.on_hold, worker.run = True, 0
                    effect = "restart"
            timeline.attempts.append(Attempt(now, kind, result, effect))
            if effect == "restart":
                restarts += 1
                wait = max(1, back_off_before(restarts))
                timeline.restarts.append(Restart(now, kind, wait, now + wait))
                timeline.runs.append(Interval(started_at, now))
                running, next_start = False, now + wait
            set_ready(now, pod_ready())
    if running:
        timeline.runs.append(Interval(started_at, duration))
    if ready_since is not None and duration > ready_since:
        timeline.ready.append(Interval(ready_since, duration))
    return timeline
