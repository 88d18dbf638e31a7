"""Workloads are judged as their template's Pod: every lesson example wrapped in every kind gets
the bare Pod's QoS class, Pod Security level and findings, at the template's paths."""

import copy
from pathlib import Path

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import (
    KINDS,
    WRAP_KINDS,
    document_path,
    kind_of,
    needs_selector,
    pod_view,
    select_by_labels,
    selector_in_sync,
    template_relative,
    unwrap,
    wrap,
)
from podstudio.engine.yamlio import load_manifest
from tests.content_files import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
ALL_KINDS = [*WRAP_KINDS, "ReplicaSet", "ReplicationController"]
# Findings about the controller's own settings, which a bare Pod has none of.
CONTROLLER = {
    "single-replica",
    "no-anti-affinity",
    "job-ttl-after-finished",
    "cronjob-starting-deadline",
    "cronjob-rare-schedule",
    "cronjob-clock-change",
}


def test_every_kind_names_its_template_path_once():
    assert KINDS["Pod"].template_path == ""
    assert KINDS["Deployment"].template_path == "spec.template"
    assert KINDS["CronJob"].template_path == "spec.jobTemplate.spec.template"
    assert {kind.api_version for kind in KINDS.values()} == {"v1", "apps/v1", "batch/v1"}


@pytest.mark.parametrize(
    ("kind", "pod_path", "path"),
    [
        ("Pod", "spec.containers[0].image", "spec.containers[0].image"),
        ("Deployment", "spec.containers[0].image", "spec.template.spec.containers[0].image"),
        ("CronJob", "metadata.labels[app]", "spec.jobTemplate.spec.template.metadata.labels[app]"),
        ("Job", "spec", "spec.template.spec"),
    ],
)
def test_paths_go_between_the_pod_view_and_the_document(kind, pod_path, path):
    assert document_path(KINDS[kind], pod_path) == path
    assert template_relative(KINDS[kind], path) == pod_path


def test_a_path_outside_the_template_has_no_pod_path():
    assert template_relative(KINDS["Deployment"], "spec.replicas") is None


def _bare_report(path: Path):
    pod = load_manifest(path.read_text())
    return pod, analyze(pod)


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lesson_example_wrapped_is_judged_as_the_bare_pod(path, kind):
    pod, bare = _bare_report(path)
    workload = wrap(copy.deepcopy(pod), kind)
    report = analyze(workload)
    prefix = KINDS[kind].template_path
    policy_changed = pod["spec"].get("restartPolicy") not in (None, *KINDS[kind].restart_policies)
    assert report.qos.qos_class == bare.qos.qos_class
    assert report.pss.level == bare.pss.level
    assert [(v.control, v.level, v.path) for v in report.pss.violations] == [
        (v.control, v.level, f"{prefix}.{v.path}") for v in bare.pss.violations
    ]
    template_findings = [
        f for f in report.findings if f.path.startswith(prefix + ".") and f.id not in CONTROLLER
    ]
    bare_findings = {(f.id, f"{prefix}.{f.path}") for f in bare.findings}
    if not policy_changed and kind not in ("Job", "CronJob"):
        assert {(f.id, f.path) for f in template_findings} == bare_findings
    # Wrapping a valid Pod gives a valid workload (a Pod-only rule aside, none of the examples
    # uses one); its errors, if any, are the bare Pod's, at the template's paths.
    bare_errors = {(f"{prefix}.{e.path}", e.message) for e in bare.errors}
    assert {(e.path, e.message) for e in report.errors} <= bare_errors


@pytest.mark.parametrize("kind", WRAP_KINDS)
def test_unwrap_gives_back_the_pod(kind):
    pod = load_manifest((ROOT / "tests/manifests/seed/my-app-pod.yaml").read_text())
    back = unwrap(wrap(copy.deepcopy(pod), kind))
    expected = copy.deepcopy(pod)
    if kind in ("Job", "CronJob"):
        expected["spec"]["restartPolicy"] = back["spec"]["restartPolicy"]
        assert back["spec"]["restartPolicy"] in ("OnFailure", "Never")
    assert back == expected


def test_wrap_keeps_labels_and_selects_them():
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api", "tier": "b"}},
        "spec": {"containers": [{"name": "api", "image": "api:1"}], "restartPolicy": "Never"},
    }
    deployment = wrap(pod, "Deployment")
    assert deployment["metadata"] == {"name": "api", "namespace": "shop"}
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "api", "tier": "b"}}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "api", "tier": "b"}
    # a Deployment refuses Never; Always is the default, so the field goes
    assert "restartPolicy" not in deployment["spec"]["template"]["spec"]
    assert analyze(deployment).valid
    cronjob = wrap(pod, "CronJob")
    assert cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert analyze(cronjob).valid


def test_a_pod_without_labels_gets_one_to_be_selected_by():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo"}, "spec": {}}
    assert wrap(pod, "DaemonSet")["spec"]["selector"] == {"matchLabels": {"app": "solo"}}


def test_selector_follows_the_template_labels():
    deployment = wrap(
        copy.deepcopy(load_manifest((ROOT / "tests/manifests/seed/my-app-pod.yaml").read_text())),
        "Deployment",
    )
    before = copy.deepcopy(deployment)
    deployment["spec"]["template"]["metadata"]["labels"] = {"app": "renamed"}
    assert not selector_in_sync(deployment, before)
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "renamed"}}
    # cleared and typed again, it keeps following
    for labels in ({}, {"tier": "web"}):
        before = copy.deepcopy(deployment)
        deployment["spec"]["template"]["metadata"]["labels"] = labels
        selector_in_sync(deployment, before)
    assert deployment["spec"]["selector"] == {"matchLabels": {"tier": "web"}}
    # a selector with expressions is the author's: left alone
    deployment["spec"]["selector"] = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
    before = copy.deepcopy(deployment)
    deployment["spec"]["template"]["metadata"]["labels"] = {"app": "again"}
    selector_in_sync(deployment, before)
    assert "matchLabels" not in deployment["spec"]["selector"]


def test_a_selector_written_as_part_of_the_labels_never_changes():
    """Most files select by some of the labels (not the version); the API server refuses any
    change of a Deployment's selector, so an edit of the labels must not touch it."""
    deployment = wrap(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {}}, "Deployment"
    )
    deployment["spec"]["template"]["metadata"]["labels"] = {"app": "api", "version": "1.2"}
    before = copy.deepcopy(deployment)
    deployment["spec"]["template"]["metadata"]["labels"]["version"] = "1.3"
    selector_in_sync(deployment, before)
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "api"}}


def test_a_missing_selector_is_set_only_when_the_labels_change_or_when_asked():
    """A file without a selector may be a kustomize patch, which must not gain one."""
    daemon_set = wrap(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "agent"}, "spec": {}}, "DaemonSet"
    )
    del daemon_set["spec"]["selector"]
    assert needs_selector(daemon_set)
    assert not selector_in_sync(daemon_set, copy.deepcopy(daemon_set))
    assert "selector" not in daemon_set["spec"]
    before = copy.deepcopy(daemon_set)
    daemon_set["spec"]["template"]["metadata"]["labels"]["tier"] = "node"
    assert selector_in_sync(daemon_set, before)
    assert daemon_set["spec"]["selector"] == {"matchLabels": {"app": "agent", "tier": "node"}}
    assert not needs_selector(daemon_set) and select_by_labels(daemon_set) is None
    del daemon_set["spec"]["selector"]
    assert select_by_labels(daemon_set)["spec"]["selector"]["matchLabels"]["tier"] == "node"
    job = wrap({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {}}, "Job")
    assert not needs_selector(job) and select_by_labels(job) is None


def test_pod_view_keeps_only_what_the_controller_copies():
    deployment = wrap(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "x", "labels": {"a": "b"}, "annotations": {"n": "v"}},
            "spec": {"containers": []},
        },
        "Deployment",
    )
    deployment["spec"]["template"]["metadata"]["name"] = "ignored"
    view = pod_view(deployment, KINDS["Deployment"])
    assert view["metadata"] == {"name": "template", "labels": {"a": "b"}, "annotations": {"n": "v"}}
    assert view["spec"] is deployment["spec"]["template"]["spec"]


@pytest.mark.parametrize("data", [None, [], "Pod", {"kind": 5}, {"kind": "Service"}])
def test_kind_of_other_things_is_none(data):
    assert kind_of(data) is None


@pytest.mark.parametrize(
    ("api_version", "kind", "checked"),
    [
        ("batch.volcano.sh/v1alpha1", "Job", False),  # Volcano's Job
        ("batch.tutorial.kubebuilder.io/v1", "CronJob", False),  # the Kubebuilder tutorial's
        ("example.com/v1", "Deployment", False),
        ("apps/v1", "Deployment", True),
        ("extensions/v1beta1", "Deployment", True),  # removed: the schema says so
        ("v1", "Deployment", True),  # a mistake in Kubernetes' own groups: reported as one
        ("apps/v1", "Job", True),
        (None, "Pod", True),
    ],
)
def test_a_custom_resource_named_like_a_workload_is_not_that_workload(api_version, kind, checked):
    manifest = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}
    assert (kind_of(manifest) is not None) is checked


def test_one_custom_resource_is_refused_by_load_object_as_one():
    from podstudio.engine.documents import load_object
    from podstudio.engine.yamlio import ManifestError

    with pytest.raises(ManifestError, match="Job of batch.volcano.sh/v1alpha1, a custom resource"):
        load_object("apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: j}\n")


def test_a_selector_is_not_followed_when_told_not_to_but_a_missing_one_is_still_set():
    """``follow=False``, for a file the author brought: a selector equal to the labels stays."""
    deployment = wrap(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {}}, "Deployment"
    )
    before = copy.deepcopy(deployment)
    deployment["spec"]["template"]["metadata"]["labels"]["tier"] = "web"
    assert not selector_in_sync(deployment, before, follow=False)
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "api"}}
    del deployment["spec"]["selector"]
    before = copy.deepcopy(deployment)
    deployment["spec"]["template"]["metadata"]["labels"]["tier"] = "db"
    assert selector_in_sync(deployment, before, follow=False)
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "api", "tier": "db"}}
