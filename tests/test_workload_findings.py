"""Findings about a workload's own settings, and opting out of findings per object."""

import copy

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.ignore import ignored_ids
from podstudio.engine.kinds import wrap

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def findings(kind: str, **spec) -> dict[str, str]:
    manifest = wrap(copy.deepcopy(POD), kind)
    manifest["spec"].update(spec)
    return {finding.id: finding.path for finding in analyze(manifest).findings}


def test_one_replica_is_a_single_point_of_failure():
    assert findings("Deployment", replicas=1)["single-replica"] == "spec.replicas"
    assert "single-replica" in findings("StatefulSet", replicas=1)
    deployment = wrap(copy.deepcopy(POD), "Deployment")
    del deployment["spec"]["replicas"]  # the default is one
    assert "single-replica" in {f.id for f in analyze(deployment).findings}
    assert "single-replica" not in findings("Deployment", replicas=3)


def test_replicas_that_may_share_a_node():
    assert findings("Deployment", replicas=3)["no-anti-affinity"] == "spec.template.spec.affinity"
    spread = wrap(copy.deepcopy(POD), "Deployment")
    spread["spec"]["template"]["spec"]["topologySpreadConstraints"] = [
        {"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
         "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": {"app": "web"}}}
    ]  # fmt: skip
    assert "no-anti-affinity" not in {f.id for f in analyze(spread).findings}
    assert "no-anti-affinity" not in findings("DaemonSet")


def test_a_replica_count_the_server_cannot_read_is_an_error_not_a_finding():
    # 2**31 is past int32: the API server refuses it, and a finding that counts the replicas
    # ("The 2147483648 replicas may all land on one node") would only repeat the error.
    manifest = wrap(copy.deepcopy(POD), "Deployment")
    manifest["spec"]["replicas"] = 2**31
    report = analyze(manifest)
    assert [error.path for error in report.errors] == ["spec.replicas"]
    assert not {"no-anti-affinity", "single-replica"} & {f.id for f in report.findings}
    assert "no-anti-affinity" in findings("Deployment", replicas=2**31 - 1)


def test_jobs_clean_up_after_themselves():
    assert findings("Job")["job-ttl-after-finished"] == "spec.ttlSecondsAfterFinished"
    assert "job-ttl-after-finished" not in findings("Job", ttlSecondsAfterFinished=600)
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    assert "job-ttl-after-finished" not in {f.id for f in analyze(cronjob).findings}
    cronjob["spec"]["jobTemplate"]["spec"]["ttlSecondsAfterFinished"] = 60
    found = {f.id: f.path for f in analyze(cronjob).findings}
    assert found["job-ttl-after-finished"] == "spec.jobTemplate.spec.ttlSecondsAfterFinished"


def test_cronjob_without_a_starting_deadline():
    assert findings("CronJob")["cronjob-starting-deadline"] == "spec.startingDeadlineSeconds"
    assert "cronjob-starting-deadline" not in findings("CronJob", startingDeadlineSeconds=300)


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ("0 0 31 4 *", "never runs"),  # April has 30 days
        ("0 0 31 4,6,9,11 ?", "never runs"),
        ("0 0 30,31 2 *", "never runs"),
        ("0 0 31 4 */1", "never runs"),  # */1 is *: the weekday field still asks for both
        ("0 0 29 2 *", "once in four years"),
    ],
)
def test_a_schedule_that_never_comes_round_is_a_warning(schedule, words):
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    cronjob["spec"]["schedule"] = schedule
    report = analyze(cronjob)
    assert not report.errors  # robfig/cron parses it: only the calendar says no
    rare = [f for f in report.findings if f.id == "cronjob-rare-schedule"]
    assert [f.path for f in rare] == ["spec.schedule"]
    assert words in rare[0].message and rare[0].severity == "warning"


@pytest.mark.parametrize(
    "schedule",
    [
        "0 0 31 * *",
        "0 0 31 2,3 *",
        "0 0 29 2 1",
        "0 0 31 4 mon",
        "0 0 31 4 */2",  # robfig/cron: a step over 1 names weekdays, so either day field counts
        "@monthly",
        "0 0 */31 4 *",
    ],
)
def test_a_schedule_with_a_date_that_comes_is_not(schedule):
    assert "cronjob-rare-schedule" not in findings("CronJob", schedule=schedule)


def clock_finding(schedule: str, zone: str | None):
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    cronjob["spec"]["schedule"] = schedule
    if zone is not None:
        cronjob["spec"]["timeZone"] = zone
    report = analyze(cronjob)
    assert not report.errors
    found = [f for f in report.findings if f.id == "cronjob-clock-change"]
    assert len(found) <= 1 and all(f.path == "spec.schedule" for f in found)
    return found[0] if found else None


def test_a_run_in_the_hour_the_clocks_change_is_named_with_its_day():
    finding = clock_finding("30 2 * * *", "Europe/Berlin")
    assert finding.severity == "warning"
    # Berlin's clocks go forward and back on the last Sundays of March and October.
    assert "March" in finding.message and "the run at 02:30 is skipped" in finding.message
    assert "October" in finding.message and "runs twice at 02:30" in finding.message
    assert "Sunday" not in finding.message


def test_robfig_cron_quirks_in_odd_zones_are_named():
    # Santiago's clocks jump at midnight: a Saturday-only schedule also runs on that Sunday.
    extra = clock_finding("0 2 * * sat", "America/Santiago")
    assert "also runs at 02:00, a time it does not name" in extra.message
    # Chatham's go back from 03:45 to 02:45: the cron library finds 02:53 again and again.
    stuck = clock_finding("53 3 * * *", "Pacific/Chatham")
    assert "starts no more Jobs" in stuck.message and "02:53" in stuck.message


@pytest.mark.parametrize(
    ("schedule", "zone"),
    [
        ("30 2 * * *", None),  # the controller's clock: UTC in its image
        ("30 2 * * *", "Etc/UTC"),
        ("30 2 * * *", "Asia/Tokyo"),  # no clock changes
        ("30 2 * * 1-5", "Europe/Berlin"),  # the changes are on Sundays
        ("30 4 * * *", "Europe/Berlin"),  # out of the hour
        ("*/10 * * * *", "Europe/Berlin"),  # every hour: a run more or less is what it asks
        ("30 2 * * *", "Mars/Olympus"),  # refused by the API server, not a finding
    ],
)
def test_schedules_the_clocks_do_not_move_have_no_clock_finding(schedule, zone):
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    cronjob["spec"]["schedule"] = schedule
    if zone is not None:
        cronjob["spec"]["timeZone"] = zone
    assert "cronjob-clock-change" not in {f.id for f in analyze(cronjob).findings}


def test_job_templates_are_not_asked_for_probes():
    assert not {"missing-liveness-probe", "missing-readiness-probe"} & set(findings("Job"))
    assert {"missing-liveness-probe", "missing-readiness-probe"} <= set(findings("Deployment"))


@pytest.mark.parametrize(
    ("value", "ids", "unknown"),
    [
        ("latest-tag", {"latest-tag"}, []),
        ("latest-tag,no-readiness-probe", {"latest-tag", "missing-readiness-probe"}, []),
        ("  latest-tag  host-port\n", {"latest-tag", "host-port"}, []),
        ("unset-memory-requirements", {"missing-memory-request", "missing-memory-limit"}, []),
        ("latest-tgs", set(), ["latest-tgs"]),
        ("", set(), []),
    ],
)
def test_the_ignore_annotation_lists_finding_ids(value, ids, unknown):
    manifest = {"metadata": {"annotations": {"podstudio.dev/ignore": value}}}
    assert ignored_ids(manifest) == (ids, unknown)


def test_the_ignore_annotation_belongs_to_the_object_not_its_template():
    deployment = wrap(copy.deepcopy(POD), "Deployment")
    deployment["spec"]["template"]["metadata"]["annotations"] = {
        "podstudio.dev/ignore": "latest-tag"
    }
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx"
    assert "latest-tag" in {f.id for f in analyze(deployment).findings}
    deployment["metadata"]["annotations"] = {"podstudio.dev/ignore": "latest-tag"}
    assert "latest-tag" not in {f.id for f in analyze(deployment).findings}


def _host_network_pod(*ports: dict) -> dict:
    pod = copy.deepcopy(POD)
    pod["spec"]["hostNetwork"] = True
    pod["spec"]["containers"][0]["ports"] = list(ports)
    return pod


@pytest.mark.parametrize("kind", ["Deployment", "DaemonSet", "Job", "CronJob"])
def test_host_ports_that_collide_only_in_the_pods_the_workload_makes(kind):
    # From 1.28 the API server leaves a template's hostPort unset (it fills in each Pod's):
    # it accepts the workload, then refuses every Pod its controller makes.
    pod = _host_network_pod({"containerPort": 8080}, {"containerPort": 8080, "protocol": "TCP"})
    assert analyze(pod).errors  # the Pod itself is refused
    workload = wrap(pod, kind)
    report = analyze(workload)
    assert report.errors == []
    (conflict,) = [f for f in report.findings if f.id == "template-pods-refused"]
    template = "spec.jobTemplate.spec.template" if kind == "CronJob" else "spec.template"
    assert conflict.path == f"{template}.spec.containers[0].ports[1].hostPort"
    assert conflict.severity == "error" and "8080/TCP" in conflict.message
    assert "unset hostPort is set to its containerPort" in conflict.message
    # Before 1.28 templates were defaulted too, so the workload itself is refused.
    older = analyze(workload, "1.27")
    assert [e.path for e in older.errors] == [f"{template}.spec.containers[0].ports[1].hostPort"]
    assert "template-pods-refused" not in {f.id for f in older.findings}


@pytest.mark.parametrize(
    "ports",
    [
        ({"containerPort": 8080}, {"containerPort": 8080, "protocol": "UDP"}),  # other protocol
        ({"containerPort": 8080}, {"containerPort": 9090}),
        ({"containerPort": 8080, "hostPort": 8080}, {"containerPort": 9090}),
    ],
)
def test_host_ports_that_do_not_collide(ports):
    report = analyze(wrap(_host_network_pod(*ports), "Deployment"))
    assert report.errors == []
    assert "template-pods-refused" not in {f.id for f in report.findings}


def test_a_collision_the_template_already_has_is_an_error_not_a_finding():
    ports = ({"containerPort": 8080, "hostPort": 8080}, {"containerPort": 8080, "hostPort": 8080})
    report = analyze(wrap(_host_network_pod(*ports), "Deployment"))
    assert [e.path for e in report.errors] == ["spec.template.spec.containers[0].ports[1].hostPort"]
    assert "template-pods-refused" not in {f.id for f in report.findings}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("priority", 5, "the integer value of priority (5) must not be provided"),
        ("preemptionPolicy", "Never", "the string value of PreemptionPolicy (Never)"),
        ("overhead", {"cpu": "100m"}, "Pod Overhead set without corresponding RuntimeClass"),
    ],
)
def test_admission_refuses_the_pods_not_the_workload(field, value, words):
    # Priority and RuntimeClass admission judge Pods: the bare Pod is refused, the Deployment
    # is accepted, and each Pod its ReplicaSet makes is refused.
    pod = copy.deepcopy(POD)
    pod["spec"][field] = value
    assert [e.path for e in analyze(pod).errors] == [f"spec.{field}"]
    report = analyze(wrap(pod, "Deployment"))
    assert report.errors == []
    (refused,) = [f for f in report.findings if f.id == "template-pods-refused"]
    assert refused.path == f"spec.template.spec.{field}"
    assert words in refused.message and "refuses every Pod it makes" in refused.message
