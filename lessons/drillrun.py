"""Running a drill's Pod: in the sandbox when it is on, else played offline, checked either way.

In the sandbox each run applies the learner's Pod, through the sandbox panel's own actions, in
the learner's own namespace, as ``<name>-run<N>`` (a fresh Pod per run, so no run waits for the
last one to go; the previous run's Pod is deleted). The real API server admits or refuses it and
the real scheduler places it or reports why not; KWOK's stages play what the kubelet would do
with its containers (``lessons.drills.fate_annotations``). Offline, ``lessons.drills.play`` tells
the same story. A run is done when the Pod is Running and Ready and the fix kept every goal.
"""

import copy
from dataclasses import dataclass

from django.conf import settings

from lessons import drills, review
from lessons.drills import ContainerLine, Event, Story
from lessons.models import DrillRun
from podstudio.engine.paths import as_dict

SANDBOX, OFFLINE = "sandbox", "offline"


@dataclass
class Result:
    run: DrillRun
    story: Story
    goals: list[dict]
    message: str = ""  # why the sandbox could not be used, when it could not

    @property
    def done(self) -> bool:
        return self.run.ok


def sandbox_on() -> bool:
    from podstudio.sandbox.client import is_configured

    return is_configured()


def enforced_level() -> str:
    return settings.PODSTUDIO_SANDBOX_ENFORCE


def _finish(run: DrillRun, drill: drills.Drill, story: Story, goals: list[dict]) -> None:
    """Stores what the cluster shows now; a first success counts for review."""
    ok = drills.passed(goals)
    changed = run.status != story.status or run.ok != ok
    if not changed:
        return
    was_ok = run.ok
    run.status, run.ok = story.status[:40], ok
    run.save(update_fields=["status", "ok"])
    if ok and not was_ok:
        review.exercise_finished(learner_id=run.learner_id, exercise=drill.slug, kind=review.DRILL)


def run_offline(*, drill: drills.Drill, manifest: dict, learner_id: int, design: str) -> Result:
    story, goals = drills.outcome(drill, manifest, enforce=enforced_level())
    run = DrillRun.objects.create(
        learner_id=learner_id, drill=drill.slug, design=design, mode=OFFLINE, status="Created"
    )
    _finish(run, drill, story, goals)
    return Result(run, story, goals)


def _pod_for_run(drill: drills.Drill, manifest: dict, number: int) -> dict:
    pod = copy.deepcopy(manifest)
    metadata = pod.setdefault("metadata", {}) if isinstance(pod, dict) else {}
    if not isinstance(metadata, dict):
        metadata = pod["metadata"] = {}
    name = metadata.get("name") if isinstance(metadata.get("name"), str) else drill.pod_name
    metadata["name"] = f"{name[:200]}-run{number}"
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        annotations = metadata["annotations"] = {}
    annotations.update(drills.fate_annotations(manifest, drill.app))
    return pod


def run_in_sandbox(
    *, drill: drills.Drill, manifest: dict, learner, design: str, labels: dict
) -> Result:
    """Applies the Pod in the learner's namespace; the status is read by ``watch``."""
    from podstudio.sandbox import actions, namespaces
    from podstudio.sandbox.client import SandboxUnavailable, time_budget

    namespace = namespaces.namespace_for(learner.key)
    previous = (
        DrillRun.objects.filter(learner=learner, mode=SANDBOX)
        .exclude(pod="")
        .order_by("-id")
        .first()
    )
    number = DrillRun.objects.filter(learner=learner, drill=drill.slug).count() + 1
    pod = _pod_for_run(drill, manifest, number)
    name = pod["metadata"]["name"]
    with time_budget(settings.PODSTUDIO_SANDBOX_TIMEOUT):
        namespaces.ensure_namespace(namespace=namespace, labels=labels)
        if previous is not None:
            actions.delete(name=previous.pod, namespace=namespace)
        answer = actions.apply(manifest=pod, namespace=namespace)
    if not answer.accepted and (answer.status_code >= 500 or answer.status_code == 429):
        # The server failed, not the Pod (e.g. "resource quota evaluation timed out" on a busy
        # cluster): no run to count, and nothing for the learner to fix but to try again.
        raise SandboxUnavailable(
            f"The sandbox cluster could not take the Pod just now ({answer.message[:200]}); "
            "try again in a moment."
        )
    run = DrillRun.objects.create(
        learner=learner, drill=drill.slug, design=design, mode=SANDBOX, pod=name, status="Sent"
    )
    if not answer.accepted:
        forbidden = (
            any(e.reason == "PodSecurity" for e in answer.errors) or answer.status_code == 403
        )
        story = Story(
            "Forbidden" if forbidden else "Invalid",
            refused=[
                answer.message[:300],  # e.g. … violates PodSecurity "baseline:latest": …
                *(f"{e.path}: {e.message}" if e.path else e.message for e in answer.errors),
            ],
        )
        _finish(run, drill, story, drills.check_goals(drill, manifest, runs=False))
        return Result(run, story, drills.check_goals(drill, manifest, runs=False))
    story = Story("Pending", phase="Pending")
    return Result(run, story, drills.check_goals(drill, manifest, runs=False))


def watch(*, run: DrillRun, drill: drills.Drill, manifest: dict, learner) -> Result:
    """What the sandbox shows of the run's Pod now, turned into the drill's story."""
    from podstudio.sandbox import actions, namespaces
    from podstudio.sandbox.client import time_budget

    namespace = namespaces.namespace_for(learner.key)
    with time_budget(settings.PODSTUDIO_SANDBOX_TIMEOUT):
        view = actions.status(name=run.pod, namespace=namespace)
    story = story_from_view(view)
    story.endpoints = drills.endpoints_line(drill.app, manifest, story.running_and_ready)
    goals = drills.check_goals(drill, manifest, story.running_and_ready)
    _finish(run, drill, story, goals)
    return Result(run, story, goals)


def _status_column(view) -> str:
    """The STATUS column of ``kubectl get pods`` for a Pod the sandbox reports."""
    if not view.exists:
        return "Gone"
    if view.terminating:
        return "Terminating"
    for container in view.containers:
        if container.state in ("waiting", "terminated") and container.reason not in (
            "",
            "ContainerCreating",
            "PodInitializing",
        ):
            return container.reason
    if view.phase == "Pending" and view.node_name:
        return "ContainerCreating"
    return view.phase or "Pending"


def story_from_view(view) -> Story:
    """A sandbox ``PodView`` as the drill's story (the same describe-style view as offline)."""
    conditions = [(c["type"], c["status"], c["reason"]) for c in view.conditions]
    ready = any(t == "Ready" and s == "True" for t, s, _ in conditions)
    story = Story(
        _status_column(view),
        phase=view.phase,
        node=view.node_name,
        ready=ready,
        conditions=conditions,
    )
    story.containers = [
        ContainerLine(
            name=c.name,
            state=c.state,
            reason=c.reason,
            message=c.message,
            ready=c.ready,
            restarts=c.restarts,
            last_reason=c.last_reason,
            last_exit_code=c.last_exit_code,
            last_message=c.last_message,
        )
        for c in view.containers
        if c.kind == "app"
    ]
    story.events = [Event(e.type, e.reason, e.message, e.source, e.count or 1) for e in view.events]
    return story


def latest_run(*, learner_id: int | None, design: str) -> DrillRun | None:
    if learner_id is None:
        return None
    return DrillRun.objects.filter(learner_id=learner_id, design=design).order_by("-id").first()


def manifest_name(manifest: dict) -> str:
    return str(as_dict(manifest.get("metadata")).get("name", ""))
