"""Phases and container states, against the kubelet's getPhase and the restart policies."""

import pytest

from lessons.lifecycle import (
    STORIES,
    ContainerState,
    EventNotPossible,
    PodState,
    apply,
    pod_phase,
    replay,
)

WAITING = ContainerState()
RUNNING = ContainerState(state="running", reason="")
DONE = ContainerState(state="terminated", reason="Completed", exit_code=0)
ERROR = ContainerState(state="terminated", reason="Error", exit_code=1)
BACK_OFF = ContainerState(reason="CrashLoopBackOff", last_terminated=True)


@pytest.mark.parametrize(
    ("containers", "policy", "phase"),
    [
        ([WAITING], "Always", "Pending"),  # not started yet
        ([WAITING, RUNNING], "Always", "Pending"),  # one still waiting for its first start
        ([RUNNING], "Never", "Running"),
        ([RUNNING, ERROR], "Never", "Running"),  # one still running
        ([DONE], "Always", "Running"),  # will be restarted
        ([DONE], "OnFailure", "Succeeded"),
        ([DONE], "Never", "Succeeded"),
        ([ERROR], "Always", "Running"),
        ([ERROR], "OnFailure", "Running"),  # restarting the failed one
        ([ERROR], "Never", "Failed"),
        ([DONE, ERROR], "Never", "Failed"),
        ([DONE, ERROR], "OnFailure", "Running"),
        ([DONE, DONE], "OnFailure", "Succeeded"),
        ([BACK_OFF], "Always", "Running"),  # waiting after a crash counts as stopped
        ([BACK_OFF], "OnFailure", "Running"),
    ],
)
def test_pod_phase_follows_the_kubelet(containers, policy, phase):
    assert pod_phase(containers, policy) == phase


def _end(story: str, policy: str | None = None):
    played = replay(list(STORIES[story].events), policy or STORIES[story].restart_policy)
    return played, played.steps[-1].state


def test_a_new_pod_is_pending():
    state = PodState()
    assert (state.phase, state.status, state.ready) == ("Pending", "Pending", False)


def test_a_scheduled_pod_creates_its_container_while_pending():
    state = apply(PodState(), "schedule")
    assert (state.phase, state.status) == ("Pending", "ContainerCreating")


def test_a_web_server_ends_running_and_ready():
    played, state = _end("web-server")
    assert played.stopped == ""
    assert (state.phase, state.status, state.ready) == ("Running", "Running", True)
    assert [s.state.phase for s in played.steps] == [
        "Pending",
        "Pending",
        "Pending",
        "Running",
        "Running",
    ]


def test_a_task_that_exits_zero_succeeds_under_on_failure():
    _, state = _end("task-succeeds")
    assert (state.phase, state.status, state.container.exit_code) == (
        "Succeeded",
        "Completed",
        0,
    )


def test_the_same_task_under_always_is_restarted_instead():
    played, state = _end("task-succeeds", "Always")
    assert state.phase == "Running"  # exited 0, about to be started again
    assert state.status == "Completed"


def test_a_task_retried_once_by_on_failure_counts_one_restart():
    played, state = _end("task-retries")
    phases = [s.state.phase for s in played.steps]
    assert phases[-3:] == ["Running", "Running", "Succeeded"]  # exit 1, restart, exit 0
    assert state.container.restarts == 1


def test_the_task_under_never_fails_at_its_first_error_and_the_story_stops():
    played, state = _end("task-retries", "Never")
    assert state.phase == "Failed"
    assert state.status == "Error"
    assert "Failed" in played.stopped


def test_a_crash_loop_waits_in_crash_loop_back_off_while_running():
    played, state = _end("crash-loop")
    back_off = next(s.state for s in played.steps if s.event == "back-off")
    assert (back_off.phase, back_off.status) == ("Running", "CrashLoopBackOff")
    assert state.container.state == "running"
    assert state.container.restarts == 2
    assert played.steps[-1].label == "The kubelet restarts the container (restart 2)"


def test_a_crash_loop_under_on_failure_is_still_restarted():
    played, state = _end("crash-loop", "OnFailure")
    assert played.stopped == ""
    assert state.container.restarts == 2


def test_a_bad_image_leaves_the_pod_pending_in_image_pull_back_off():
    played, state = _end("bad-image")
    assert [s.state.status for s in played.steps[1:]] == [
        "ContainerCreating",
        "ErrImagePull",
        "ImagePullBackOff",
    ]
    assert state.phase == "Pending"


def test_an_unschedulable_pod_stays_pending():
    _, state = _end("no-node-fits")
    assert (state.phase, state.scheduled, state.unschedulable) == ("Pending", False, True)


def test_a_liveness_failure_kills_and_restarts_under_always():
    played, state = _end("liveness-restart")
    killed = next(s.state for s in played.steps if s.event == "liveness-failed")
    assert (killed.phase, killed.container.exit_code, killed.ready) == ("Running", 137, False)
    assert (state.container.restarts, state.ready) == (1, True)


def test_a_liveness_failure_under_never_fails_the_pod():
    played, state = _end("liveness-restart", "Never")
    assert state.phase == "Failed"
    assert played.stopped


def test_over_the_memory_limit_shows_oom_killed():
    played, _ = _end("out-of-memory")
    oom = next(s.state for s in played.steps if s.event == "oom-killed")
    assert (oom.status, oom.container.exit_code) == ("OOMKilled", 137)


def test_a_lost_node_leaves_the_pod_running_but_not_ready_until_it_reports_again():
    # The deprecated phase Unknown is never set: the node controller only marks the Pod not Ready.
    played, state = _end("node-lost")
    lost = next(s.state for s in played.steps if s.event == "node-lost")
    assert (lost.phase, lost.status, lost.ready) == ("Running", "Running", False)
    assert (state.phase, state.status, state.ready) == ("Running", "Running", True)
    assert "Unknown" not in {step.state.phase for step in played.steps}


def test_a_node_silent_for_good_gets_its_pod_evicted_and_terminating():
    played, state = _end("node-gone")
    assert not played.stopped
    assert (state.phase, state.status, state.ready) == ("Running", "Terminating", False)


def test_nothing_happens_to_an_evicted_pod_but_its_deletion():
    state = PodState()
    for event in ("schedule", "pull-image", "start", "node-lost", "node-evicted"):
        state = apply(state, event)
    with pytest.raises(EventNotPossible, match="being deleted.*controller"):
        apply(state, "node-back")


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (["start"], "no node runs the Pod"),
        (["schedule", "schedule"], "already bound"),
        (["schedule", "pull-failed", "start"], "image has not been pulled"),
        (["schedule", "pull-image", "ready"], "not running"),
        (["schedule", "pull-image", "start", "start"], "already running"),
        (["schedule", "pull-image", "start", "node-lost", "exit-1"], "nothing is heard"),
        (["schedule", "pull-image", "start", "node-evicted"], "stopped reporting"),
    ],
)
def test_impossible_events_are_refused_with_a_reason(events, message):
    state = PodState()
    with pytest.raises(EventNotPossible, match=message):
        for event in events:
            state = apply(state, event)


def test_replay_rejects_an_unknown_restart_policy():
    with pytest.raises(ValueError):
        replay(["schedule"], "Sometimes")


def test_every_story_plays_to_the_end_under_its_own_policy():
    for name, story in STORIES.items():
        assert replay(list(story.events), story.restart_policy).stopped == "", name
