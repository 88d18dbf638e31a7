"""Troubleshooting drills played offline: each broken Pod shows its symptom, each solution runs
and is Ready; the scheduler's words follow the real one's; runs and hints through the builder."""

import copy
import re
from html import unescape

import pytest
from django.urls import reverse

from lessons import catalog, drillrun, drills
from lessons.models import DrillRun, HintUse
from podstudio.builder.models import Design

DRILLS = sorted(catalog.course().drills)


def test_there_are_at_least_eight_drills_covering_the_seeds_topics():
    shown = {catalog.course().drills[slug].expect for slug in DRILLS}
    assert len(DRILLS) >= 8
    assert {"ImagePullBackOff", "CrashLoopBackOff", "Pending", "NotReady", "Forbidden"} <= shown
    assert "CreateContainerConfigError" in shown
    plays = {drills.fate(d.pod, d.app).get("play") for d in catalog.course().drills.values()}
    assert {"image-pull", "crash-loop", "oom-killed", "not-ready", "config-missing"} <= plays


@pytest.mark.parametrize("slug", DRILLS)
def test_the_broken_pod_shows_its_symptom_and_the_solution_runs(slug):
    drill = catalog.course().drills[slug]
    story, goals = drills.outcome(drill, drill.pod)
    shown = "NotReady" if story.status == "Running" and not story.ready else story.status
    assert shown == drill.expect
    assert not drills.passed(goals)
    story, goals = drills.outcome(drill, drill.solution)
    assert story.running_and_ready and drills.passed(goals)


def test_a_ready_pod_the_service_does_not_select_gets_no_traffic():
    """Running and Ready is not enough where the drill has a Service: its selector must pick
    the Pod, or its endpoints stay empty."""
    drill = catalog.course().drills["service-selects-nothing"]
    story, goals = drills.outcome(drill, drill.pod)
    assert story.running_and_ready
    assert story.endpoints == "checkout   <none>"
    assert goals[0] == {
        "id": "runs",
        "status": "fail",
        "path": "status",
        "message": "The Pod is Running and Ready, and the Service checkout sends it traffic.",
    }
    story, goals = drills.outcome(drill, drill.solution)
    assert story.endpoints == "checkout   10.244.0.12:8080" and drills.passed(goals)
    # A label more than the selector asks for is fine; one of its values wrong is not.
    more = copy.deepcopy(drill.solution)
    more["metadata"]["labels"]["version"] = "2.4.0"
    assert drills.passed(drills.outcome(drill, more)[1])
    wrong = copy.deepcopy(drill.solution)
    wrong["metadata"]["labels"]["tier"] = "Web"
    assert not drills.passed(drills.outcome(drill, wrong)[1])


@pytest.mark.django_db
def test_the_builder_does_not_call_a_drill_complete_before_its_pod_runs(client):
    """A drill's goals in the builder are what the fix must keep; the broken Pod keeps them
    all, and the drill is not done until its run says so."""
    start = client.get("/builder/start", {"exercise": "drill:crash-loop-env"})
    page = client.get(start["Location"]).content.decode()
    assert "What the fix must keep" in page
    assert "exercise complete" not in page
    start = client.get("/builder/start", {"exercise": "drill:service-selects-nothing"})
    page = client.get(start["Location"]).content.decode()
    assert "done when it is Running and Ready and the Service checkout sends it traffic" in page
    start = client.get("/builder/start", {"exercise": "add-readiness-probe"})
    page = client.get(start["Location"]).content.decode()
    assert "Exercise goals" in page


def test_an_oom_killed_container_shows_its_last_state():
    drill = catalog.course().drills["oom-killed"]
    story = drills.play(drill.pod, drill.app)
    worker = story.containers[0]
    assert (worker.reason, worker.last_reason, worker.last_exit_code) == (
        "CrashLoopBackOff",
        "OOMKilled",
        137,
    )
    assert worker.restarts >= 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"nodeSelector": {"disktype": "nvme"}},
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), "
            "2 node(s) didn't match Pod's node affinity/selector.",
        ),
        (
            {"resources": {"cpu": "6"}},
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.",
        ),
    ],
)
def test_the_scheduler_counts_each_node_under_its_first_failing_filter(spec, message):
    container = {"name": "c", "image": "busybox:1.36"}
    if "resources" in spec:
        container["resources"] = {"requests": spec.pop("resources")}
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {**spec, "containers": [container]},
    }
    node, said = drills.schedule(pod)
    assert node == ""
    assert said.startswith(message)


def test_a_drill_that_only_removes_the_probe_does_not_count():
    drill = catalog.course().drills["readiness-out-of-service"]
    pod = drill.pod
    cheat = {
        **pod,
        "spec": {
            "containers": [
                {k: v for k, v in pod["spec"]["containers"][0].items() if k != "readinessProbe"}
            ]
        },
    }
    story, goals = drills.outcome(drill, cheat)
    assert story.running_and_ready
    assert not drills.passed(goals)


def test_fate_annotations_tell_kwok_what_to_play_and_keep_the_stock_ready_stage_off():
    drill = catalog.course().drills["crash-loop-env"]
    annotations = drills.fate_annotations(drill.pod, drill.app)
    assert annotations[drills.PLAY] == "crash-loop"
    assert annotations[drills.PLAY_CONTAINER] == "app"
    assert annotations[drills.KWOK_READY_WEIGHT] == "0"
    assert drills.fate_annotations(drill.solution, drill.app) == {}


@pytest.fixture
def sandbox_off(settings):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""


@pytest.mark.django_db
def test_a_drill_runs_offline_from_the_builder_and_is_done_once_fixed(client, sandbox_off):
    response = client.get("/builder/start?exercise=drill:crash-loop-env")
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = client.get(response["Location"]).content.decode()
    assert "Drill: The app that keeps crashing" in page
    assert 'id="sandbox-panel"' not in page  # the drill's runs replace the sandbox panel
    # The result is swapped inside a live region that stays in the page, so a screen reader
    # announces each run's result (a swapped-in live region itself is often not announced).
    live = re.search(r'<div class="drill-live" aria-live="polite">\s*<div id="drill-result"', page)
    assert live is not None
    html = client.post(reverse("lessons:drill-run", args=[slug]), HTTP_HX_REQUEST="true")
    html = html.content.decode()
    assert "CrashLoopBackOff" in html and "Back-off restarting failed container" in html
    assert html.lstrip().startswith('<div id="drill-result"') and "aria-live" not in html
    design = Design.objects.get(slug=slug)
    design.manifest["spec"]["containers"][0]["env"] = [
        {"name": "DATABASE_URL", "value": "postgres://orders-db:5432/orders"}
    ]
    design.save()
    html = client.post(reverse("lessons:drill-run", args=[slug]), HTTP_HX_REQUEST="true")
    assert "Fixed: the Pod is Running and Ready" in html.content.decode()
    assert DrillRun.objects.filter(design=slug, ok=True).exists()


@pytest.mark.django_db
def test_hints_come_one_at_a_time_and_end_with_a_diff_against_the_learners_pod(client):
    response = client.get("/builder/start?exercise=first-pod")
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    url = reverse("lessons:hint", args=[slug])
    first = client.post(url, {"level": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nudge:" in first and "Where to look" not in first  # no skipping ahead
    client.post(url, {"level": "2"}, HTTP_HX_REQUEST="true")
    third = client.post(url, {"level": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'class="diff-add">+    - name: web' in third or "diff-add" in third
    assert "httpd:2.4" in third
    assert list(HintUse.objects.values_list("level", flat=True).order_by("level")) == [1, 2, 3]


@pytest.mark.django_db
def test_a_workload_exercise_hint_leads_to_the_kind_picker(client):
    response = client.get("/builder/start?exercise=weeknight-export")
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    url = reverse("lessons:hint", args=[slug])
    client.post(url, {"level": "1"}, HTTP_HX_REQUEST="true")
    second = client.post(url, {"level": "2"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Where to look" in second and 'href="#f-kind"' in second
    design = client.get(response["Location"]).content.decode()
    assert 'id="f-kind"' in design
    # It starts as a Pod and ends as a CronJob: the banner does not call it a Pod.
    assert (
        'Change it until every one of the <a href="#goals-heading">exercise goals</a> is ticked.'
        in design
    )


@pytest.mark.django_db
def test_a_pod_exercise_banner_speaks_of_the_pod(client):
    response = client.get("/builder/start?exercise=first-pod")
    design = client.get(response["Location"]).content.decode()
    assert (
        'Change the Pod until every one of the <a href="#goals-heading">exercise goals</a>'
        " is ticked." in design
    )


@pytest.mark.django_db
def test_nobody_else_can_ask_for_hints_on_a_design(client, django_user_model):
    from django.test import Client

    response = client.get("/builder/start?exercise=first-pod")
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    other = Client()
    assert other.post(reverse("lessons:hint", args=[slug]), {"level": "1"}).status_code == 404
    assert other.post(reverse("lessons:drill-run", args=[slug])).status_code == 404
    assert not HintUse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", DRILLS)
def test_a_learner_drills_each_broken_pod_to_running_offline(client, sandbox_off, slug):
    from tests.drill_pages import drill_in_the_builder

    drill_in_the_builder(client, slug, mode=drillrun.OFFLINE)


def test_every_drill_says_what_a_fix_must_keep():
    # The builder lists a drill's goals beside the form: without any, the panel would be empty.
    for slug in DRILLS:
        drill = catalog.course().drills[slug]
        assert drill.goals, slug
        assert drills.check_goals(drill, drill.solution, runs=True)[1:], slug


@pytest.mark.parametrize(
    "change",
    [
        # a memory limit without a request: the API server makes the request 12Gi
        {
            "containers": [
                {"resources": {"requests": {"cpu": "500m"}, "limits": {"memory": "12Gi"}}}
            ]
        },
        # a sidecar's request adds to the app's: 3800m + 500m is more than any node has
        {
            "initContainers": [
                {"restartPolicy": "Always", "resources": {"requests": {"cpu": "3800m"}}}
            ]
        },
        # pod-level requests are what the scheduler reserves
        {"resources": {"requests": {"cpu": "6"}}},
    ],
)
def test_the_scheduler_reserves_requests_as_the_api_server_stores_them(change):
    drill = catalog.course().drills["insufficient-cpu"]
    pod = copy.deepcopy(drill.solution)
    spec = pod["spec"]
    for key, value in change.items():
        if key == "containers":
            spec["containers"][0]["resources"] = value[0]["resources"]
        elif key == "initContainers":
            spec["initContainers"] = [{**spec["containers"][0], "name": "side", **value[0]}]
        else:
            spec[key] = value
    story, _ = drills.outcome(drill, pod)
    assert story.status == "Pending"
    assert "Insufficient" in story.events[-1].message


def test_a_drill_pod_is_validated_for_the_configured_kubernetes_version(settings):
    drill = catalog.course().drills["insufficient-cpu"]
    pod = copy.deepcopy(drill.solution)
    spec = pod["spec"]
    spec["initContainers"] = [
        {"name": "side", "image": spec["containers"][0]["image"], "restartPolicy": "Always"}
    ]
    settings.PODSTUDIO_K8S_VERSION = "1.27"
    assert drills.play(pod, drill.app).status == "Invalid"


@pytest.mark.parametrize("operator", ["NotIn", "DoesNotExist"])
def test_required_node_affinity_filters_nodes_beside_the_node_selector(operator):
    drill = catalog.course().drills["node-selector"]
    pod = copy.deepcopy(drill.solution)
    expression = {"key": "disktype", "operator": operator}
    if operator != "DoesNotExist":
        expression["values"] = ["ssd"]
    pod["spec"]["affinity"] = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [expression]}]
            }
        }
    }
    story, goals = drills.outcome(drill, pod)
    assert story.status == "Pending"
    assert "didn't match Pod's node affinity/selector" in story.events[-1].message
    assert not drills.passed(goals)


@pytest.mark.django_db
def test_a_server_failure_on_a_drill_run_asks_to_try_again_and_counts_no_run(client, monkeypatch):
    """A 500 from the API server ("resource quota evaluation timed out" on a busy cluster) is
    the cluster's failure, not the learner's Pod: no "Invalid" story, and no run is counted."""
    from podstudio.sandbox import actions, namespaces
    from podstudio.sandbox.actions import ApplyResult

    monkeypatch.setattr(drillrun, "sandbox_on", lambda: True)
    monkeypatch.setattr(namespaces, "ensure_namespace", lambda **kwargs: kwargs["namespace"])
    monkeypatch.setattr(actions, "delete", lambda **kwargs: None)
    refused = ApplyResult(
        "apply", accepted=False, message="resource quota evaluation timed out", status_code=500
    )
    monkeypatch.setattr(actions, "apply", lambda **kwargs: refused)
    start = client.get("/builder/start?exercise=drill:crash-loop-env")
    slug = start["Location"].rstrip("/").rsplit("/", 1)[-1]
    html = client.post(reverse("lessons:drill-run", args=[slug]), HTTP_HX_REQUEST="true")
    html = unescape(html.content.decode())
    assert "The sandbox cluster could not take the Pod just now" in html
    assert "resource quota evaluation timed out" in html and "try again in a moment" in html
    assert "Invalid" not in html and "hx-trigger" not in html  # nothing to poll
    assert not DrillRun.objects.filter(design=slug).exists()


@pytest.mark.parametrize(
    ("slug", "reason"), [("oom-killed", "OOMKilled"), ("crash-loop-env", "Error")]
)
@pytest.mark.parametrize("where", ["pod", "container"])
def test_a_container_never_restarted_stays_terminated_not_in_crash_loop(slug, reason, where):
    """With restartPolicy Never (the Pod's, or the container's own) nothing is restarted: the
    container ends Terminated, the Pod Failed, and kubectl shows how it ended."""
    drill = catalog.course().drills[slug]
    pod = copy.deepcopy(drill.pod)
    if where == "pod":
        pod["spec"]["restartPolicy"] = "Never"
    else:
        pod["spec"]["containers"][0]["restartPolicy"] = "Never"
    story, _ = drills.outcome(drill, pod)
    assert (story.status, story.phase) == (reason, "Failed")
    line = story.containers[0]
    assert (line.state, line.reason, line.restarts) == ("terminated", reason, 0)
    assert not any(event.reason == "BackOff" for event in story.events)


def test_of_two_env_entries_with_one_name_the_app_gets_the_last():
    drill = catalog.course().drills["crash-loop-env"]
    pod = copy.deepcopy(drill.solution)
    env = pod["spec"]["containers"][0]["env"]
    name = env[0]["name"]
    env.append({"name": name, "value": ""})  # the kubelet gives the app this one
    story, _ = drills.outcome(drill, pod)
    assert story.status == "CrashLoopBackOff"


@pytest.mark.parametrize(("port", "ready"), [(8080, True), ("http", True), (9090, False)])
def test_a_tcp_readiness_probe_passes_where_the_app_listens(port, ready):
    drill = catalog.course().drills["readiness-out-of-service"]
    pod = copy.deepcopy(drill.solution)
    pod["spec"]["containers"][0]["readinessProbe"] = {"tcpSocket": {"port": port}}
    story, _ = drills.outcome(drill, pod)
    assert story.ready is ready
    unhealthy = [event.message for event in story.events if event.reason == "Unhealthy"]
    assert unhealthy == (
        []
        if ready
        else [f"Readiness probe failed: dial tcp {drills.POD_IP}:9090: connect: connection refused"]
    )


def test_a_drill_wrapped_in_a_workload_is_sent_back_to_its_pod():
    """A drill runs its Pod: a Deployment made of it is refused with what to do, not with the
    Pod rules' complaints about a Deployment's fields."""
    drill = catalog.course().drills["readiness-out-of-service"]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "search-api"},
        "spec": {
            "selector": {"matchLabels": {"app": "search-api"}},
            "template": {
                "metadata": {"labels": {"app": "search-api"}},
                "spec": copy.deepcopy(drill.solution["spec"]),
            },
        },
    }
    story, _ = drills.outcome(drill, deployment)
    assert story.status == "Invalid"
    assert story.refused == [drills.NOT_A_POD.format(kind="Deployment")]
