"""Each drill in the real control plane: the broken Pod shows what the offline story says, and
the solution runs and becomes Ready. Admission and the scheduler are the API server's own; KWOK's
stages (sandbox/stages/) play the containers from the annotations Pod Studio sets."""

import copy
import time
import uuid

import pytest

from lessons import catalog, drillrun, drills
from lessons.models import Learner
from podstudio.sandbox import actions
from podstudio.sandbox.client import SandboxUnavailable
from tests.drill_pages import drill_in_the_builder

pytestmark = [pytest.mark.sandbox, pytest.mark.django_db]

DRILLS = sorted(catalog.course().drills)
WAIT_SECONDS = 40


def _run(drill, manifest, learner, design: str):
    """Runs the Pod as the learner's Run button does; when the cluster says to try again in a
    moment (a busy CI machine's API server can time out), the learner does, once."""
    try:
        return drillrun.run_in_sandbox(
            drill=drill, manifest=manifest, learner=learner, design=design, labels={}
        )
    except SandboxUnavailable:
        time.sleep(3)
        return drillrun.run_in_sandbox(
            drill=drill, manifest=manifest, learner=learner, design=design, labels={}
        )


def _shown(story) -> str:
    return "NotReady" if story.status == "Running" and not story.ready else story.status


def _settled(run, drill, manifest, learner, want_ok: bool):
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        result = drillrun.watch(run=run, drill=drill, manifest=manifest, learner=learner)
        shown = _shown(result.story)
        if (result.done if want_ok else shown == drill.expect) or time.monotonic() > deadline:
            return result
        time.sleep(1)


@pytest.mark.parametrize("slug", DRILLS)
def test_the_drill_tells_the_same_story_in_the_sandbox(slug, sandbox, admin):
    from tests.sandbox.conftest import remove_namespace

    drill = catalog.course().drills[slug]
    learner = Learner.objects.create(key=uuid.uuid4().hex)
    namespace = drillrun_namespace(learner)
    try:
        broken = _run(drill, drill.pod, learner, "broken")
        if drill.expect == "Forbidden":
            assert broken.story.status == "Forbidden"
            assert any("PodSecurity" in reason for reason in broken.story.refused)
        else:
            assert broken.story.status == "Pending", broken.story  # sent, not refused
            result = _settled(broken.run, drill, drill.pod, learner, want_ok=False)
            assert _shown(result.story) == drill.expect, result.story
            assert not result.done
            offline = drills.play(drill.pod, drill.app)
            assert result.story.phase == offline.phase
            # A crash's last run, as offline play tells it (the crash-loop's brief points there).
            ended = [(c.last_reason, c.last_exit_code) for c in offline.containers if c.last_reason]
            if ended:
                seen = [(c.last_reason, c.last_exit_code) for c in result.story.containers]
                assert set(ended) <= set(seen), result.story
                said = {c.last_message for c in offline.containers if c.last_message}
                assert said <= {c.last_message for c in result.story.containers}, result.story
        fixed = _run(drill, drill.solution, learner, "fixed")
        assert fixed.story.status == "Pending", fixed.story  # sent, not refused
        result = _settled(fixed.run, drill, drill.solution, learner, want_ok=True)
        assert result.done, result.story
        pods = actions.status(name=fixed.run.pod, namespace=namespace)
        assert pods.phase == "Running"
    finally:
        remove_namespace(admin, namespace)


@pytest.mark.parametrize(
    ("slug", "reason"), [("oom-killed", "OOMKilled"), ("crash-loop-env", "Error")]
)
def test_a_container_never_restarted_ends_terminated_in_the_sandbox_too(
    slug, reason, sandbox, admin
):
    """restartPolicy Never: the sandbox, like the offline story, shows the container Terminated
    and the Pod Failed, never CrashLoopBackOff."""
    from tests.sandbox.conftest import remove_namespace

    drill = catalog.course().drills[slug]
    pod = copy.deepcopy(drill.pod)
    pod["spec"]["restartPolicy"] = "Never"
    learner = Learner.objects.create(key=uuid.uuid4().hex)
    namespace = drillrun_namespace(learner)
    try:
        sent = _run(drill, pod, learner, "never")
        assert sent.story.status == "Pending", sent.story
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            story = drillrun.watch(run=sent.run, drill=drill, manifest=pod, learner=learner).story
            if story.phase == "Failed" or time.monotonic() > deadline:
                break
            time.sleep(1)
        offline = drills.play(pod, drill.app)
        assert (story.phase, story.status) == (offline.phase, offline.status) == ("Failed", reason)
        seen = [(c.state, c.reason, c.restarts) for c in story.containers]
        assert seen == [(c.state, c.reason, c.restarts) for c in offline.containers], story
    finally:
        remove_namespace(admin, namespace)


def drillrun_namespace(learner) -> str:
    from podstudio.sandbox import namespaces

    return namespaces.namespace_for(learner.key)


# One drill the real scheduler answers, one whose container failure KWOK's stages play.
@pytest.mark.parametrize("slug", ["node-selector", "oom-killed"])
def test_a_learner_drills_a_broken_pod_to_running_in_the_sandbox(client, slug, sandbox, admin):
    from tests.sandbox.conftest import remove_namespace

    try:
        drill_in_the_builder(client, slug, mode=drillrun.SANDBOX, wait=WAIT_SECONDS)
    finally:
        from podstudio.builder.models import Design

        for design in Design.objects.filter(exercise=f"drill:{slug}").select_related("learner"):
            remove_namespace(admin, drillrun_namespace(design.learner))
