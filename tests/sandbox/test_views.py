"""The sandbox panel's views: what a learner sees, with and without the cluster."""

import socket
import threading
import time
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client

from podstudio.builder.models import Design
from podstudio.engine.yamldump import dump_manifest
from tests.sandbox.fakes import SlowCluster
from tests.sandbox.fakes import kubeconfig_for as fake_kubeconfig

HTMX = {"HTTP_HX_REQUEST": "true"}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "view-pod", "namespace": "somewhere-else"},
    "spec": {
        "nodeSelector": {"disktype": "ssd"},
        "containers": [{"name": "web", "image": "nginx"}],
    },
}


def kubeconfig_for(tmp_path, server: str) -> str:
    path = tmp_path / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters: [{{name: c, cluster: {{server: '{server}',\n"
        "  insecure-skip-tls-verify: true}}]\n"
        "users: [{name: u, user: {token: t}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    return str(path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return value


# --- Without a cluster -------------------------------------------------------------------------


def test_panel_says_how_to_enable_the_sandbox_when_it_is_off(settings):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""
    html = render_to_string("sandbox/panel.html", {"design": SimpleNamespace(slug="abc")})
    assert "PODSTUDIO_SANDBOX_KUBECONFIG" in html
    assert "make sandbox" in html
    assert "Apply" not in html


def test_panel_offers_dry_run_apply_and_delete_when_configured(settings, tmp_path):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = kubeconfig_for(tmp_path, "https://127.0.0.1:1")
    html = render_to_string("sandbox/panel.html", {"design": SimpleNamespace(slug="abc")})
    for label in ("Dry run", "Apply", "Delete from the cluster"):
        assert f">{label}</button>" in html
    assert 'name="design" value="abc"' in html
    assert "/sandbox/status?design=abc" in html  # live status, and a Refresh link without JS


@pytest.mark.django_db
def test_actions_refuse_politely_when_the_sandbox_is_off(client, settings):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""
    response = client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    assert response.status_code == 503
    assert "PODSTUDIO_SANDBOX_KUBECONFIG" in response.content.decode()


@pytest.mark.django_db
def test_status_stops_htmx_polling_when_the_sandbox_is_off(client, settings):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""
    response = client.get("/sandbox/status?pod=view-pod", **HTMX)
    assert response.status_code == 286


@pytest.mark.django_db
def test_unreachable_cluster_gives_a_clear_message_quickly(client, settings, tmp_path):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = kubeconfig_for(
        tmp_path, f"https://127.0.0.1:{free_port()}"
    )
    started = time.monotonic()
    response = client.post("/sandbox/dry-run", {"manifest": dump_manifest(POD)}, **HTMX)
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "cannot be reached" in response.content.decode()


@pytest.mark.django_db
def test_silent_cluster_gives_a_clear_message_within_the_timeout(client, settings, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = kubeconfig_for(tmp_path, f"https://127.0.0.1:{port}")
    settings.PODSTUDIO_SANDBOX_TIMEOUT = 1
    try:
        started = time.monotonic()
        response = client.post("/sandbox/dry-run", {"manifest": dump_manifest(POD)}, **HTMX)
        elapsed = time.monotonic() - started
    finally:
        listener.close()
        for connection, _ in accepted:
            connection.close()
    assert elapsed < 4
    assert f"127.0.0.1:{port}" in response.content.decode()
    assert 'role="alert"' in response.content.decode()


@pytest.fixture
def fast_fake(settings, tmp_path):
    """A fake API server that accepts everything at once (tests/sandbox/fakes.py)."""
    server = SlowCluster(delay=0)
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = fake_kubeconfig(tmp_path, server.url)
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = 0
    yield server
    server.close()


def pod_posts(server: SlowCluster) -> list[str]:
    return [r for r in server.requests if r.startswith("POST") and "/pods?" in r]


@pytest.fixture
def frozen_clock(monkeypatch):
    """The rate limiter's clock stands still at the start of a bucket: uses then count for 60 s."""
    monkeypatch.setattr("podstudio.ratelimit.time", SimpleNamespace(time=lambda: 1_000_020.0))


@pytest.mark.django_db
def test_a_learner_acting_too_fast_is_told_to_slow_down_with_a_429(
    client, settings, fast_fake, frozen_clock
):
    settings.PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE = 2
    manifest = {"manifest": dump_manifest(POD)}
    answers = [client.post("/sandbox/dry-run", manifest, **HTMX) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    html = answers[2].content.decode()
    assert (
        "Slow down: the sandbox takes up to 2 actions (dry runs, applies and deletes) a minute"
        in html
    )
    assert "Try again in 60 s." in html
    assert 'role="alert"' in html
    assert len(pod_posts(fast_fake)) == 2  # the refused one never reached the cluster
    other = Client()
    assert other.post("/sandbox/dry-run", manifest, **HTMX).status_code == 200  # their own


@pytest.mark.django_db
def test_status_polls_have_an_allowance_of_their_own(client, settings, fast_fake, frozen_clock):
    settings.PODSTUDIO_SANDBOX_READS_PER_MINUTE = 2
    settings.PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE = 1
    client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    polls = [client.get("/sandbox/status?pod=view-pod", **HTMX) for _ in range(3)]
    assert [p.status_code for p in polls] == [200, 200, 429]
    assert "status and log requests a minute" in polls[2].content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ({"nodeName": "backend-node"}, "spec.nodeName"),
        ({"priorityClassName": "system-node-critical"}, "spec.priorityClassName"),
    ],
)
def test_scheduling_privileges_are_refused_before_anything_reaches_the_cluster(
    client, fast_fake, spec, path
):
    pod = {**POD, "spec": {**POD["spec"], **spec}}
    html = client.post("/sandbox/apply", {"manifest": dump_manifest(pod)}, **HTMX).content.decode()
    assert "Not sent: this Pod asks for scheduling privileges the sandbox refuses." in html
    assert f'<code class="path">{path}</code>' in html
    assert "admission policy refuses these for every client" in html
    assert fast_fake.requests == []  # not even the namespace was made


@pytest.mark.django_db
def test_a_slow_cluster_holds_a_panel_request_for_the_timeout_not_per_request(
    client, settings, tmp_path
):
    slow = SlowCluster(delay=0.3)  # a namespace set-up and an apply: a dozen answers
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = fake_kubeconfig(tmp_path, slow.url)
    settings.PODSTUDIO_SANDBOX_TIMEOUT = 1
    try:
        started = time.monotonic()
        html = client.post(
            "/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX
        ).content.decode()
        elapsed = time.monotonic() - started
    finally:
        slow.close()
    assert elapsed < 1.5
    assert "too slow to answer" in html


@pytest.mark.django_db
def test_actions_accept_only_post(client):
    for url in ("/sandbox/dry-run", "/sandbox/apply", "/sandbox/delete"):
        assert client.get(url).status_code == 405


# --- Against the sandbox cluster ---------------------------------------------------------------


@pytest.fixture
def learner(sandbox, admin, db):
    """A browser session whose namespace is removed after the test."""
    made = []

    def new() -> Client:
        browser = Client()
        made.append(browser)
        return browser

    yield new
    from lessons.models import Learner
    from lessons.progress import SESSION_KEY
    from podstudio.sandbox.namespaces import namespace_for
    from tests.sandbox.conftest import remove_namespace

    for browser in made:
        learner = Learner.objects.filter(pk=browser.session.get(SESSION_KEY)).first()
        if learner is not None:
            remove_namespace(admin, namespace_for(learner.key))


def status_html(browser: Client, pod: str = "view-pod") -> str:
    return browser.get(f"/sandbox/status?pod={pod}", **HTMX).content.decode()


@pytest.mark.sandbox
def test_dry_run_shows_the_api_servers_errors_at_their_fields(learner):
    browser = learner()
    broken = {**POD, "spec": {"containers": [{"name": "web"}]}}
    html = browser.post(
        "/sandbox/dry-run", {"manifest": dump_manifest(broken)}, **HTMX
    ).content.decode()
    assert "spec.containers[0].image" in html
    assert "Required value" in html


@pytest.mark.sandbox
def test_apply_then_watch_the_pod_run_on_the_ssd_node(learner):
    browser = learner()
    response = browser.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    html = response.content.decode()
    assert "The API server accepted Pod view-pod" in html
    assert response["HX-Trigger"] == "sandbox-refresh"
    assert "Pod Security" in html and "restricted" in html  # warn=restricted, as warnings
    running = wait_for(lambda: "Running" in (page := status_html(browser)) and page)
    assert running, "the status never showed Running"
    assert "ssd-node" in running
    assert "Scheduled" in running


@pytest.mark.sandbox
def test_apply_of_a_saved_design_uses_its_current_manifest(learner):
    browser = learner()
    design = Design.objects.create(manifest={**POD, "metadata": {"name": "from-design"}})
    html = browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    assert "accepted Pod from-design" in html
    status = browser.get(f"/sandbox/status?design={design.slug}", **HTMX).content.decode()
    assert "from-design" in status


@pytest.mark.sandbox
def test_privileged_pod_is_refused_in_the_builder(learner, settings):
    settings.PODSTUDIO_SANDBOX_ENFORCE = "restricted"
    browser = learner()
    privileged = {
        **POD,
        "spec": {
            "containers": [
                {"name": "web", "image": "nginx", "securityContext": {"privileged": True}}
            ]
        },
    }
    html = browser.post(
        "/sandbox/apply", {"manifest": dump_manifest(privileged)}, **HTMX
    ).content.decode()
    assert "violates PodSecurity &quot;restricted:latest&quot;" in html
    assert "spec.containers[0].securityContext.privileged" in html


@pytest.mark.sandbox
def test_impossible_node_selector_shows_the_schedulers_reason(learner):
    browser = learner()
    nowhere = {
        **POD,
        "spec": {
            "nodeSelector": {"disktype": "floppy"},
            "containers": [{"name": "web", "image": "nginx"}],
        },
    }
    browser.post("/sandbox/apply", {"manifest": dump_manifest(nowhere)}, **HTMX)
    html = wait_for(lambda: "FailedScheduling" in (page := status_html(browser)) and page)
    assert html, "no FailedScheduling event shown"
    assert "0/3 nodes are available" in html
    assert "node affinity/selector" in html


@pytest.mark.sandbox
def test_learners_only_see_and_delete_their_own_pods(learner):
    alice, bob = learner(), learner()
    alice.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    bob.get("/sandbox/status?pod=view-pod")  # gives bob a session
    assert "is not in your sandbox namespace" in status_html(bob)
    bob.post("/sandbox/delete", {"pod": "view-pod"}, **HTMX)
    assert "<dt>Phase</dt>" in status_html(alice)
    alice.post("/sandbox/delete", {"pod": "view-pod"}, **HTMX)
    assert wait_for(lambda: "is not in your sandbox namespace" in status_html(alice))


@pytest.mark.sandbox
def test_without_javascript_each_action_is_a_whole_page(learner):
    browser = learner()
    response = browser.post("/sandbox/apply", {"manifest": dump_manifest(POD)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "Back to the builder" in html
    assert "Live status" in html and 'href="/sandbox/status?pod=view-pod"' in html
    page = browser.get("/sandbox/status?pod=view-pod").content.decode()
    assert "<html" in page and "view-pod" in page


@pytest.mark.sandbox
def test_a_new_learner_reads_that_a_full_sandbox_is_full(learner, settings, cluster):
    from podstudio.sandbox.namespaces import learner_namespaces

    active = [n for n in learner_namespaces(cluster) if n["status"]["phase"] == "Active"]
    settings.PODSTUDIO_SANDBOX_MAX_NAMESPACES = max(1, len(active))
    settings.PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS = 10**9  # nobody has been idle that long
    if not active:
        learner().post("/sandbox/dry-run", {"manifest": dump_manifest(POD)}, **HTMX)
    html = (
        learner()
        .post("/sandbox/dry-run", {"manifest": dump_manifest(POD)}, **HTMX)
        .content.decode()
    )
    assert "The sandbox is full" in html
    assert 'role="alert"' in html
