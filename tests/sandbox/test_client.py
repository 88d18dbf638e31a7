"""A hung or slow cluster costs at most the configured time, per request and per page."""

import socket
import threading
import time

import pytest

from podstudio.sandbox import namespaces
from podstudio.sandbox.client import SandboxUnavailable, load_cluster, time_budget
from tests.sandbox.fakes import HungCluster, SlowCluster, kubeconfig_for

SLACK = 0.4  # thread start-up and scheduling on a busy 2-core machine


@pytest.fixture
def hung():
    server = HungCluster()
    yield server
    server.close()


@pytest.fixture
def slow():
    server = SlowCluster(delay=0.3)
    yield server
    server.close()


def timed(call) -> tuple[float, Exception | None]:
    started = time.monotonic()
    try:
        call()
    except SandboxUnavailable as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_a_hung_cluster_answers_within_the_timeout(tmp_path, hung, scheme):
    """https: the TLS handshake never completes (bounded by the connect timeout);
    http: the request is sent and no answer comes (bounded by the read timeout)."""
    cluster = load_cluster(kubeconfig_for(tmp_path, f"{scheme}://127.0.0.1:{hung.port}"), None, 1)
    elapsed, error = timed(lambda: cluster.request("GET", "/api/v1/namespaces/x"))
    assert error is not None
    assert "too slow to answer" in str(error)
    assert 0.9 < elapsed < 1 + SLACK


def test_requests_in_one_budget_share_its_deadline(tmp_path, hung):
    cluster = load_cluster(kubeconfig_for(tmp_path, f"http://127.0.0.1:{hung.port}"), None, 1)
    elapsed = []
    with time_budget(1.5):
        for _ in range(3):
            elapsed.append(timed(lambda: cluster.request("GET", "/readyz"))[0])
    assert 0.9 < elapsed[0] < 1 + SLACK  # the request's own timeout
    assert elapsed[1] < 0.5 + SLACK  # what was left of the budget
    assert elapsed[2] < 0.1  # nothing left: not even started
    assert sum(elapsed) < 1.5 + SLACK


def test_a_slow_namespace_set_up_holds_a_thread_for_the_budget_not_per_request(
    tmp_path, slow, settings
):
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = 0
    cluster = load_cluster(kubeconfig_for(tmp_path, slow.url), None, 5)
    with time_budget(1.0):
        elapsed, error = timed(
            lambda: namespaces.ensure_namespace(namespace="podstudio-slow", cluster=cluster)
        )
    assert error is not None and "too slow" in str(error)
    assert elapsed < 1.0 + SLACK
    # Each answer takes 0.3 s and a set-up needs more than ten: without the budget it would
    # have held the thread three seconds or more.
    assert len(slow.requests) <= 4


def test_a_cut_short_set_up_is_finished_by_the_next_request(tmp_path, slow, settings):
    """The namespace is marked set up only at the end, so a later request completes it."""
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = 0
    cluster = load_cluster(kubeconfig_for(tmp_path, slow.url), None, 5)
    with time_budget(1.0), pytest.raises(SandboxUnavailable):
        namespaces.ensure_namespace(namespace="podstudio-slow", cluster=cluster)
    assert "podstudio-slow" in slow.namespaces  # made, but not set up
    assert namespaces.SET_UP not in slow.namespaces["podstudio-slow"]
    slow.delay = 0
    slow.requests.clear()
    namespaces.ensure_namespace(namespace="podstudio-slow", cluster=cluster)
    steps = [request.split("?")[0] for request in slow.requests]
    assert "POST /apis/rbac.authorization.k8s.io/v1/namespaces/podstudio-slow/rolebindings" in steps
    assert "PATCH /api/v1/namespaces/podstudio-slow/resourcequotas/podstudio-quota" in steps
    assert slow.namespaces["podstudio-slow"][namespaces.SET_UP] == "true"
    slow.requests.clear()
    namespaces.ensure_namespace(namespace="podstudio-slow", cluster=cluster)
    assert len(slow.requests) == 2  # once set up: look, and mark it active


def test_after_a_timeout_the_cluster_is_left_alone_for_the_cooldown(tmp_path, slow):
    slow.delay = 3  # longer than the timeout: the cluster hangs
    cluster = load_cluster(kubeconfig_for(tmp_path, slow.url), None, 1, cooldown=0.5)
    first, error = timed(lambda: cluster.request("GET", "/readyz"))
    assert "too slow" in str(error) and first > 0.9
    second, error = timed(lambda: cluster.request("GET", "/readyz"))
    assert second < 0.1
    assert "did not answer a moment ago; Pod Studio tries it again in 1 s" in str(error)
    assert len(slow.requests) == 1  # the second never reached it

    # After the cooldown one request tries again; others meanwhile still fail at once.
    time.sleep(0.6)
    results = {}
    trying = threading.Thread(
        target=lambda: results.update(trying=timed(lambda: cluster.request("GET", "/readyz")))
    )
    trying.start()
    time.sleep(0.2)
    results["meanwhile"] = timed(lambda: cluster.request("GET", "/readyz"))
    trying.join()
    assert results["trying"][0] > 0.9
    assert results["meanwhile"][0] < 0.1
    assert len(slow.requests) == 2


def test_a_cluster_that_answers_again_is_used_again(tmp_path, slow):
    slow.delay = 3
    cluster = load_cluster(kubeconfig_for(tmp_path, slow.url), None, 1, cooldown=0.3)
    timed(lambda: cluster.request("GET", "/readyz"))
    slow.delay = 0
    time.sleep(0.4)
    assert cluster.request("GET", "/readyz").ok
    assert cluster.request("GET", "/readyz").ok  # no longer resting
    assert len(slow.requests) == 3


def test_a_refused_connection_fails_fast_and_does_not_rest_the_cluster(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cluster = load_cluster(
        kubeconfig_for(tmp_path, f"http://127.0.0.1:{port}"), None, 1, cooldown=60
    )
    for _ in range(2):
        elapsed, error = timed(lambda: cluster.request("GET", "/readyz"))
        assert elapsed < 0.5
        assert "cannot be reached" in str(error)


def test_at_most_the_configured_number_of_requests_wait_on_the_cluster_at_once(tmp_path, hung):
    cluster = load_cluster(
        kubeconfig_for(tmp_path, f"http://127.0.0.1:{hung.port}"), None, 1, concurrency=2
    )
    waiting = [
        threading.Thread(target=lambda: timed(lambda: cluster.request("GET", "/readyz")))
        for _ in range(2)
    ]
    for thread in waiting:
        thread.start()
    time.sleep(0.3)
    elapsed, error = timed(lambda: cluster.request("GET", "/readyz"))
    assert elapsed < 0.1
    assert "waiting on it for other learners already" in str(error)
    for thread in waiting:
        thread.join()
    elapsed, error = timed(lambda: cluster.request("GET", "/readyz"))  # a slot is free again
    assert elapsed > 0.9 and "too slow" in str(error)
