"""The probe timeline against timelines worked out by hand from the kubelet's rules.

Conventions of the model (see the module docstring): attempts at initialDelaySeconds +
k × periodSeconds after each start; within one second the probes run in the order startup,
liveness, readiness; a kill is instant, the first restart starts 1 s later and later ones wait
the crash back-off (10 s, 20 s, 40 s …).
"""

import pytest

from lessons.probesim import (
    AppBehaviour,
    Attempt,
    Interval,
    ProbeSpec,
    Restart,
    back_off_before,
    simulate,
    validate_spec,
)


def _compact(timeline, kind=None):
    return [
        (a.time, a.probe, a.result, a.effect)
        for a in timeline.attempts
        if kind is None or a.probe == kind
    ]


def test_without_probes_the_pod_is_ready_as_soon_as_it_runs():
    timeline = simulate({}, AppBehaviour(healthy_after=30), duration=60)
    assert timeline.attempts == []
    assert timeline.ready == [Interval(0, 60)]
    assert timeline.runs == [Interval(0, 60)]


def test_readiness_gates_traffic_until_the_app_answers():
    # App ready after 8 s. Readiness: delay 5, period 5 → attempts at 5, 10, 15, 20, 25.
    # 5 s: 5 < 8, fails (1 of 3; it was never ready anyway). 10 s: succeeds → Ready.
    timeline = simulate(
        {"readiness": ProbeSpec(initial_delay=5, period=5)}, AppBehaviour(healthy_after=8), 30
    )
    assert _compact(timeline) == [
        (5, "readiness", "failure", ""),
        (10, "readiness", "success", "ready"),
        (15, "readiness", "success", ""),
        (20, "readiness", "success", ""),
        (25, "readiness", "success", ""),
    ]
    assert timeline.ready == [Interval(10, 30)]
    assert timeline.restarts == []


def test_readiness_success_threshold_needs_successes_in_a_row():
    # Same app, successThreshold 2: success at 10 (1 of 2), at 15 (2 of 2) → Ready at 15.
    spec = ProbeSpec(initial_delay=5, period=5, success_threshold=2)
    timeline = simulate({"readiness": spec}, AppBehaviour(healthy_after=8), 30)
    assert [a.effect for a in timeline.attempts] == ["", "", "ready", "", ""]
    assert timeline.ready == [Interval(15, 30)]


def test_liveness_restarts_a_hung_app_after_failure_threshold_timeouts():
    # Liveness: delay 10, period 10, threshold 3. The app hangs at 35 s.
    # 10, 20, 30 succeed; 40, 50 time out (1, 2 of 3); 60 times out (3 of 3) → kill at 60.
    # First restart: 1 s later, at 61. The new container is healthy: 71, 81, 91 succeed.
    # No readiness probe, so the Pod stays Ready (and gets traffic) while hung, 35–60 s.
    timeline = simulate(
        {"liveness": ProbeSpec(initial_delay=10, period=10)},
        AppBehaviour(hangs_at=35),
        duration=100,
    )
    assert _compact(timeline) == [
        (10, "liveness", "success", ""),
        (20, "liveness", "success", ""),
        (30, "liveness", "success", ""),
        (40, "liveness", "timeout", ""),
        (50, "liveness", "timeout", ""),
        (60, "liveness", "timeout", "restart"),
        (71, "liveness", "success", ""),
        (81, "liveness", "success", ""),
        (91, "liveness", "success", ""),
    ]
    assert timeline.restarts == [Restart(60, "liveness", 1, 61)]
    assert timeline.runs == [Interval(0, 60), Interval(61, 100)]
    assert timeline.ready == [Interval(0, 60), Interval(61, 100)]


def test_a_slow_starter_without_startup_probe_is_killed_again_and_again():
    # App needs 75 s; liveness delay 10, period 10, threshold 3 gives up 30 s after each start.
    # Run 1: 0 → fails 10, 20, 30 → kill 30, restart #1 after 1 s → 31.
    # Run 2: 31 → fails 41, 51, 61 → kill 61, restart #2 after 10 s → 71.
    # Run 3: 71 → fails 81, 91, 101 → kill 101, restart #3 after 20 s → 121.
    # Run 4: 121 → fails 131, 141, 151 → kill 151, restart #4 after 40 s → 191.
    # Run 5: 191 → first attempt would be 201, after the end.
    timeline = simulate(
        {"liveness": ProbeSpec(initial_delay=10, period=10)},
        AppBehaviour(healthy_after=75),
        duration=200,
    )
    assert timeline.restarts == [
        Restart(30, "liveness", 1, 31),
        Restart(61, "liveness", 10, 71),
        Restart(101, "liveness", 20, 121),
        Restart(151, "liveness", 40, 191),
    ]
    assert timeline.runs == [
        Interval(0, 30),
        Interval(31, 61),
        Interval(71, 101),
        Interval(121, 151),
        Interval(191, 200),
    ]
    assert {a.result for a in timeline.attempts} == {"failure"}


def test_a_startup_probe_holds_liveness_and_readiness_back_until_it_passes():
    # Same slow app (75 s). Startup: period 10, threshold 12 → attempts 0, 10, …, 70 fail
    # (8 failures, under 12), 80 succeeds → started. Liveness (delay 10, period 10) and
    # readiness (delay 5, period 5) are scheduled from the container start, but skipped until
    # 80; at 80 both are due and run right after startup: success, Ready at 80.
    timeline = simulate(
        {
            "startup": ProbeSpec(period=10, failure_threshold=12),
            "liveness": ProbeSpec(initial_delay=10, period=10),
            "readiness": ProbeSpec(initial_delay=5, period=5),
        },
        AppBehaviour(healthy_after=75),
        duration=100,
    )
    startup = _compact(timeline, "startup")
    assert [t for t, *_ in startup] == [0, 10, 20, 30, 40, 50, 60, 70, 80]
    assert startup[-1] == (80, "startup", "success", "started")
    assert all(result == "failure" for _, _, result, _ in startup[:-1])
    assert [a.time for a in timeline.attempts if a.probe == "liveness"] == [80, 90]
    assert [a.time for a in timeline.attempts if a.probe == "readiness"] == [80, 85, 90, 95]
    assert timeline.restarts == []
    assert timeline.ready == [Interval(80, 100)]


def test_a_startup_probe_that_runs_out_restarts_the_container():
    # App needs 75 s; startup period 10, threshold 3 → fails 0, 10, 20 → kill at 20.
    timeline = simulate(
        {"startup": ProbeSpec(period=10, failure_threshold=3)},
        AppBehaviour(healthy_after=75),
        duration=30,
    )
    assert timeline.restarts == [Restart(20, "startup", 1, 21)]
    assert timeline.ready == []


def test_readiness_failures_take_traffic_away_but_never_restart():
    # Dependency down 40–70 s. Readiness: delay 0, period 5, success 2, failure 3.
    # 0: app answers after 3 s → failure. 5 and 10: successes → Ready at 10.
    # 40, 45: failures (1, 2 of 3); 50: third → not ready. 55–65 fail.
    # 70: success (outage over, 1 of 2), 75: 2 of 2 → Ready at 75.
    timeline = simulate(
        {
            "liveness": ProbeSpec(initial_delay=10, period=10),
            "readiness": ProbeSpec(period=5, success_threshold=2),
        },
        AppBehaviour(healthy_after=3, unready_between=(40, 70)),
        duration=100,
    )
    effects = [(a.time, a.effect) for a in timeline.attempts if a.effect]
    assert effects == [(10, "ready"), (50, "not ready"), (75, "ready")]
    assert timeline.ready == [Interval(10, 50), Interval(75, 100)]
    assert timeline.restarts == []
    assert {a.result for a in timeline.attempts if a.probe == "liveness"} == {"success"}


@pytest.mark.parametrize(("timeout", "restarted"), [(1, True), (2, True), (3, False)])
def test_an_answer_slower_than_timeout_seconds_is_a_failure(timeout, restarted):
    # Answers take 2.5 s. With timeoutSeconds 1 or 2 each attempt times out: attempts at 0,
    # 10, 20 → kill at 20. With 3 s the answers arrive in time.
    timeline = simulate(
        {"liveness": ProbeSpec(period=10, timeout=timeout)},
        AppBehaviour(response_time=2.5),
        duration=25,
    )
    assert bool(timeline.restarts) is restarted
    if restarted:
        assert timeline.restarts[0].time == 20
        assert timeline.attempts[0] == Attempt(0, "liveness", "timeout", "")


def test_the_readiness_run_carries_over_a_restart_as_in_the_kubelet():
    # worker.go keeps lastResult/resultRun across container restarts for readiness.
    # Readiness: period 5, successThreshold 3. Liveness: period 10, failureThreshold 1.
    # Run 1: readiness succeeds at 0, 5, 10 (3 of 3 → Ready at 10), 15 (run 4).
    # 20: the app hangs → liveness times out → kill at 20 (readiness is not run on it).
    # Run 2 starts at 21: readiness is "not ready" again, but its first success makes the
    # run 5, at least 3 → Ready at 21 without waiting for three new successes.
    timeline = simulate(
        {
            "liveness": ProbeSpec(period=10, failure_threshold=1),
            "readiness": ProbeSpec(period=5, success_threshold=3),
        },
        AppBehaviour(hangs_at=20),
        duration=40,
    )
    assert timeline.restarts == [Restart(20, "liveness", 1, 21)]
    assert timeline.ready == [Interval(10, 20), Interval(21, 40)]


@pytest.mark.parametrize(
    ("restart", "seconds"),
    [(1, 0), (2, 10), (3, 20), (4, 40), (5, 80), (6, 160), (7, 300), (8, 300)],
)
def test_crash_back_off_doubles_from_ten_seconds_up_to_five_minutes(restart, seconds):
    assert back_off_before(restart) == seconds


@pytest.mark.parametrize(
    ("kind", "spec", "message"),
    [
        ("liveness", ProbeSpec(success_threshold=2), "successThreshold must be 1"),
        ("startup", ProbeSpec(success_threshold=2), "successThreshold must be 1"),
        ("readiness", ProbeSpec(period=0), "periodSeconds must be 1 or more"),
        ("readiness", ProbeSpec(initial_delay=-1), "initialDelaySeconds must be 0 or more"),
        ("readiness", ProbeSpec(failure_threshold=0), "failureThreshold must be 1 or more"),
    ],
)
def test_it_refuses_settings_the_api_server_rejects(kind, spec, message):
    assert any(message in error for error in validate_spec(kind, spec))
    with pytest.raises(ValueError, match=message):
        simulate({kind: spec}, AppBehaviour(), 30)


def test_readiness_may_need_several_successes():
    assert validate_spec("readiness", ProbeSpec(success_threshold=3)) == []


def test_an_answer_that_takes_the_whole_timeout_comes_too_late():
    # The kubelet's client gives up once timeoutSeconds is over: an answer taking exactly 1 s
    # against timeoutSeconds 1 is a timeout, and three of them restart the container.
    timeline = simulate(
        {"liveness": ProbeSpec(period=10, timeout=1)},
        AppBehaviour(response_time=1),
        duration=25,
    )
    assert timeline.attempts[0] == Attempt(0, "liveness", "timeout", "")
    assert [restart.time for restart in timeline.restarts] == [20]
