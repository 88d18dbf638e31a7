"""The sandbox actions against the real API server, scheduler, admission and KWOK nodes."""

import time

import pytest

from podstudio.sandbox import actions, workloads
from podstudio.sandbox import namespaces as learner_namespaces

pytestmark = pytest.mark.sandbox


def pod(name: str, **spec) -> dict:
    container = {"name": "app", "image": "nginx:1.27"}
    container.update(spec.pop("container", {}))
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [container], **spec},
    }


def wait_for(check, timeout: float = 20.0):
    """Polls the live status like the panel does, until ``check`` returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def scheduling_message(view: actions.PodView) -> str:
    return " ".join(e.message for e in view.events if e.reason == "FailedScheduling")


def test_new_namespace_has_pod_security_labels_quota_and_limit_range(cluster, namespaces):
    namespace = namespaces.new()
    body = cluster.request("GET", f"/api/v1/namespaces/{namespace}").body
    labels = body["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"
    assert learner_namespaces.LAST_ACTIVITY in body["metadata"]["annotations"]
    quota = cluster.request("GET", f"/api/v1/namespaces/{namespace}/resourcequotas/podstudio-quota")
    assert quota.body["spec"]["hard"]["pods"] == "10"
    limits = cluster.request("GET", f"/api/v1/namespaces/{namespace}/limitranges/podstudio-limits")
    assert limits.ok


def test_dry_run_places_validation_errors_at_their_fields(cluster, namespaces):
    namespace = namespaces.new()
    bad = pod("bad", container={"name": "Web_1", "image": ""})
    result = actions.dry_run(manifest=bad, namespace=namespace, cluster=cluster)
    assert not result.accepted
    assert result.status_code == 422
    paths = {error.path for error in result.errors}
    assert "spec.containers[0].name" in paths
    assert "spec.containers[0].image" in paths


def test_dry_run_saves_nothing(cluster, namespaces):
    namespace = namespaces.new()
    result = actions.dry_run(manifest=pod("just-asking"), namespace=namespace, cluster=cluster)
    assert result.accepted
    assert not actions.status(name="just-asking", namespace=namespace, cluster=cluster).exists


def test_dry_run_reports_unknown_fields_strictly(cluster, namespaces):
    namespace = namespaces.new()
    typo = pod("typo", container={"imagePullPolicyy": "Always"})
    result = actions.dry_run(manifest=typo, namespace=namespace, cluster=cluster)
    assert not result.accepted
    assert "imagePullPolicyy" in result.message


@pytest.mark.parametrize("enforce", ["baseline", "restricted"])
def test_privileged_pod_is_refused_by_pod_security_admission(cluster, namespaces, enforce):
    namespace = namespaces.new(enforce=enforce)
    privileged = pod("root-power", container={"securityContext": {"privileged": True}})
    result = actions.apply(manifest=privileged, namespace=namespace, cluster=cluster)
    assert not result.accepted
    assert result.status_code == 403
    assert f'violates PodSecurity "{enforce}:latest"' in result.message
    privileged_errors = [e for e in result.errors if e.message.startswith("privileged")]
    assert privileged_errors[0].path == "spec.containers[0].securityContext.privileged"
    assert not actions.status(name="root-power", namespace=namespace, cluster=cluster).exists


def test_pod_security_warn_mode_comes_back_as_warnings(cluster, namespaces):
    namespace = namespaces.new()  # enforce baseline, warn restricted
    result = actions.dry_run(manifest=pod("plain"), namespace=namespace, cluster=cluster)
    assert result.accepted
    items = actions.warning_items(result.warnings)
    assert any("runAsNonRoot" in item for item in items)
    assert all(item.startswith('Pod Security "restricted:latest" warns') for item in items)


def test_applying_the_same_pod_again_says_its_warnings_still_stand(cluster, namespaces):
    """Pod Security checks an update of a Pod only when an image changes: the second apply of
    the same Pod comes back with no warnings, and the answer says why."""
    namespace = namespaces.new()  # enforce baseline, warn restricted
    first = actions.apply(manifest=pod("again"), namespace=namespace, cluster=cluster)
    assert first.accepted and first.warnings and not first.hint
    second = actions.apply(manifest=pod("again"), namespace=namespace, cluster=cluster)
    assert second.accepted and not second.warnings
    assert "warnings are not repeated, but they still stand" in second.hint
    image = pod("again", container={"image": "nginx:1.28"})
    third = actions.apply(manifest=image, namespace=namespace, cluster=cluster)
    assert third.accepted and third.warnings and not third.hint  # an image change is checked
    restricted = pod(
        "fine",
        securityContext={"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        container={
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
            }
        },
    )
    for _ in range(2):
        answer = actions.apply(manifest=restricted, namespace=namespace, cluster=cluster)
        assert answer.accepted and not answer.warnings and not answer.hint


def test_seed_pod_lands_in_the_learners_namespace_on_the_ssd_node_and_runs(
    cluster, admin, namespaces, seed
):
    namespace = namespaces.new()
    manifest = seed("my-app-pod")
    assert manifest["metadata"]["namespace"] == "production"
    result = actions.apply(manifest=manifest, namespace=namespace, cluster=cluster)
    assert result.accepted, result.message
    production = admin.request("GET", "/api/v1/namespaces/production/pods/my-app-pod")
    assert production.status == 404

    def running():
        view = actions.status(name="my-app-pod", namespace=namespace, cluster=cluster)
        return view if view.phase == "Running" and all(c.ready for c in view.containers) else None

    view = wait_for(running)
    assert view, "my-app-pod did not reach Running with ready containers"
    assert view.node_name == "ssd-node"
    assert [(c.name, c.state, c.restarts) for c in view.containers] == [("app", "running", 0)]
    assert {c["type"]: c["status"] for c in view.conditions}["Ready"] == "True"
    assert any(e.reason == "Scheduled" and "ssd-node" in e.message for e in view.events)


def test_status_refresh_follows_the_pod_from_pending_to_running(cluster, namespaces):
    namespace = namespaces.new()
    actions.apply(manifest=pod("watch-me"), namespace=namespace, cluster=cluster)
    phases = []

    def running():
        phase = actions.status(name="watch-me", namespace=namespace, cluster=cluster).phase
        phases.append(phase)
        return phase == "Running"

    assert wait_for(running)
    assert phases[0] == "Pending"


@pytest.mark.parametrize(
    ("name", "spec", "reason"),
    [
        (
            "no-such-disk",
            {"nodeSelector": {"disktype": "floppy"}},
            "didn't match Pod's node affinity/selector",
        ),
        ("too-big", {"container": {"resources": {"requests": {"cpu": "6"}}}}, "Insufficient cpu"),
        (
            "backend-only",
            {"nodeSelector": {"kubernetes.io/hostname": "backend-node"}},
            "untolerated taint",
        ),
    ],
)
def test_unschedulable_pods_show_the_schedulers_reason(cluster, namespaces, name, spec, reason):
    namespace = namespaces.new()
    result = actions.apply(manifest=pod(name, **spec), namespace=namespace, cluster=cluster)
    assert result.accepted, result.message

    def refused():
        view = actions.status(name=name, namespace=namespace, cluster=cluster)
        conditions = {c["type"] for c in view.conditions}
        return view if scheduling_message(view) and "PodScheduled" in conditions else None

    view = wait_for(refused)
    assert view, "no FailedScheduling event"
    assert view.phase == "Pending"
    assert not view.node_name
    assert reason in scheduling_message(view)
    scheduled = {c["type"]: c for c in view.conditions}["PodScheduled"]
    assert (scheduled["status"], scheduled["reason"]) == ("False", "Unschedulable")


def test_toleration_lets_a_pod_onto_the_tainted_node(cluster, namespaces):
    namespace = namespaces.new()
    tolerant = pod(
        "backend-worker",
        nodeSelector={"kubernetes.io/hostname": "backend-node"},
        tolerations=[{"key": "dedicated", "value": "backend", "effect": "NoSchedule"}],
    )
    actions.apply(manifest=tolerant, namespace=namespace, cluster=cluster)
    view = wait_for(
        lambda: (
            actions.status(name="backend-worker", namespace=namespace, cluster=cluster).node_name
        )
    )
    assert view == "backend-node"


def test_changing_an_applied_pod_explains_that_pods_are_immutable(cluster, namespaces):
    namespace = namespaces.new()
    assert actions.apply(manifest=pod("fixed"), namespace=namespace, cluster=cluster).accepted
    changed = pod("fixed", container={"ports": [{"containerPort": 8080}]})
    result = actions.apply(manifest=changed, namespace=namespace, cluster=cluster)
    assert not result.accepted
    assert "Delete the Pod" in result.hint
    # The plain sentence leads; the server's diff of the spec stays among the errors.
    assert (
        result.message
        == "Not applied: Pod fixed is already in the sandbox, and this change needs a new Pod."
    )
    assert any("may not change fields" in error.message for error in result.errors)


def test_delete_removes_a_running_pod_within_seconds(cluster, namespaces):
    namespace = namespaces.new()
    actions.apply(manifest=pod("short-lived"), namespace=namespace, cluster=cluster)
    assert wait_for(
        lambda: (
            actions.status(name="short-lived", namespace=namespace, cluster=cluster).phase
            == "Running"
        )
    )
    result = actions.delete(name="short-lived", namespace=namespace, cluster=cluster)
    assert result.accepted
    assert actions.status(name="short-lived", namespace=namespace, cluster=cluster).terminating
    # The namespace's list marks it too, and so offers no second Delete.
    listed = workloads.everything(namespace=namespace, cluster=cluster)
    assert [(view.name, view.terminating) for view in listed] in ([("short-lived", True)], [])
    gone = wait_for(
        lambda: not actions.status(name="short-lived", namespace=namespace, cluster=cluster).exists,
        timeout=10,
    )
    assert gone


def test_deleting_a_pod_that_is_not_there_says_so(cluster, namespaces):
    namespace = namespaces.new()
    result = actions.delete(name="never-applied", namespace=namespace, cluster=cluster)
    assert "There is no Pod never-applied" in result.message


def test_learners_cannot_see_or_delete_each_others_pods(cluster, namespaces):
    alice, bob = namespaces.new(), namespaces.new()
    actions.apply(manifest=pod("alices-pod"), namespace=alice, cluster=cluster)
    assert not actions.status(name="alices-pod", namespace=bob, cluster=cluster).exists
    actions.delete(name="alices-pod", namespace=bob, cluster=cluster)
    assert actions.status(name="alices-pod", namespace=alice, cluster=cluster).exists


def test_apply_ignores_the_namespace_written_in_the_manifest(cluster, namespaces):
    alice, bob = namespaces.new(), namespaces.new()
    sneaky = pod("sneaky")
    sneaky["metadata"]["namespace"] = bob
    assert actions.apply(manifest=sneaky, namespace=alice, cluster=cluster).accepted
    assert actions.status(name="sneaky", namespace=alice, cluster=cluster).exists
    assert not actions.status(name="sneaky", namespace=bob, cluster=cluster).exists


def test_only_pods_are_accepted(cluster, namespaces):
    namespace = namespaces.new()
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    result = actions.apply(manifest=config_map, namespace=namespace, cluster=cluster)
    assert not result.accepted
    assert result.errors[0].path == "kind"


def test_gc_deletes_idle_learner_namespaces_only(cluster, namespaces):
    idle, active = namespaces.new(), namespaces.new()
    stale = "2000-01-01T00:00:00Z"
    cluster.request(
        "PATCH",
        f"/api/v1/namespaces/{idle}",
        body={"metadata": {"annotations": {learner_namespaces.LAST_ACTIVITY: stale}}},
        content_type="application/merge-patch+json",
    )
    deleted = learner_namespaces.gc(idle_seconds=3600, cluster=cluster).deleted
    assert idle in deleted
    assert active not in deleted
    assert "default" not in deleted
    phase = cluster.request("GET", f"/api/v1/namespaces/{idle}").body.get("status", {}).get("phase")
    assert phase in (None, "Terminating")
    assert (
        cluster.request("GET", f"/api/v1/namespaces/{active}").body["status"]["phase"] == "Active"
    )


def test_a_learner_who_has_applied_nothing_yet_sees_nothing_applied_not_an_error(cluster):
    """Before the first apply the learner's namespace does not exist, and Pod Studio's identity
    has no rights there yet: the panel said "answered HTTP 403: pods … is forbidden"."""
    import uuid

    from podstudio.sandbox import workloads

    namespace = learner_namespaces.namespace_for(f"never-applied-{uuid.uuid4().hex}")
    view = actions.status(name="my-pod", namespace=namespace, cluster=cluster)
    assert not view.exists
    deployment = workloads.status(
        kind_name="Deployment", name="web", namespace=namespace, cluster=cluster
    )
    assert not deployment.exists


def test_everything_lists_what_was_applied_not_what_controllers_made(cluster, namespaces):
    from podstudio.sandbox import workloads

    namespace = namespaces.new()
    actions.apply(manifest=pod("loose"), namespace=namespace, cluster=cluster)
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    }
    assert workloads.apply(manifest=deployment, namespace=namespace, cluster=cluster).accepted
    listed = wait_for(
        lambda: (
            [
                (view.kind, view.name)
                for view in workloads.everything(namespace=namespace, cluster=cluster)
            ]
            if len(actions_pods(cluster, namespace)) >= 3
            else None
        )
    )
    assert listed == [("Pod", "loose"), ("Deployment", "web")]  # not its ReplicaSet or Pods


def actions_pods(cluster, namespace: str) -> list:
    answer = cluster.request("GET", f"/api/v1/namespaces/{namespace}/pods")
    return answer.body.get("items") or []
