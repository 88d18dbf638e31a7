# ruff: noqa: E501 (tables of manifests read best one case a line)
"""What a Service says of the Pods beside it in one file: a selector that matches none of them
(kube-linter's dangling-service), a named targetPort none of them declares."""

import copy
import json
from pathlib import Path

import pytest
import yaml

from podstudio.engine.filefindings import file_findings, service_findings
from tests.test_cli_analyze import run

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "shop"},
    "spec": {"selector": {"app": "shop"}, "ports": [{"port": 80, "targetPort": "http"}]},
}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "shop"},
    "spec": {
        "selector": {"matchLabels": {"app": "shop"}},
        "template": {
            "metadata": {"labels": {"app": "shop", "tier": "web"}},
            "spec": {
                "containers": [
                    {"name": "web", "image": "nginx:1.27",
                     "ports": [{"name": "http", "containerPort": 8080}]}
                ]
            },
        },
    },
}  # fmt: skip


def _with(document: dict, **changes) -> dict:
    changed = copy.deepcopy(document)
    for dotted, value in changes.items():
        *keys, last = dotted.split("__")
        node = changed
        for key in keys:
            node = node[key]
        node[last] = value
    return changed


def _ids(objects: list) -> dict[int, list[tuple[str, str]]]:
    return {
        position: [(finding.id, finding.path) for finding in findings]
        for position, findings in service_findings(objects).items()
    }


def test_a_service_that_selects_its_pods_by_a_subset_of_their_labels_is_fine():
    assert _ids([SERVICE, DEPLOYMENT]) == {}


def test_a_selector_that_matches_no_pod_in_the_file_is_named_with_the_labels_they_have():
    service = _with(SERVICE, spec__selector={"app": "shop-web"})
    (finding,) = service_findings([service, DEPLOYMENT])[0]
    assert (finding.id, finding.severity, finding.path) == (
        "service-selects-nothing",
        "warning",
        "spec.selector",
    )
    assert "selects app=shop-web" in finding.message
    assert "Deployment shop's Pods have app=shop, tier=web" in finding.message


@pytest.mark.parametrize(
    "objects",
    [
        # Its Pods are made elsewhere: nothing in the file to compare with.
        [_with(SERVICE, spec__selector={"app": "other"})],
        [
            _with(SERVICE, spec__selector={"app": "other"}),
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}},
        ],
        # ... or in another namespace.
        [
            _with(SERVICE, spec__selector={"app": "other"}, metadata__namespace="a"),
            _with(DEPLOYMENT, metadata__namespace="b"),
        ],
        # No selector: endpoints managed by hand; an ExternalName Service is a DNS name.
        [_with(SERVICE, spec__selector={}), DEPLOYMENT],
        [_with(SERVICE, spec__type="ExternalName", spec__selector={"app": "x"}), DEPLOYMENT],
        # The object opts out, by our id or kube-linter's.
        [
            _with(
                SERVICE,
                spec__selector={"app": "x"},
                metadata__annotations={"podstudio.dev/ignore": "dangling-service"},
            ),
            DEPLOYMENT,
        ],
    ],
)
def test_what_the_file_cannot_show_is_left_alone(objects):
    assert _ids(objects) == {}


def test_a_bare_pod_and_the_pods_of_a_cronjob_are_selected_by_their_labels():
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "labels": {"app": "shop"}},
        "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"name": "http"}]}]},
    }
    assert _ids([SERVICE, pod]) == {}
    (finding,) = service_findings([_with(SERVICE, spec__selector={"app": "x"}), pod])[0]
    assert "(Pod p has app=shop)" in finding.message
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "report"},
        "spec": {
            "schedule": "0 3 * * *",
            "jobTemplate": {"spec": {"template": copy.deepcopy(DEPLOYMENT["spec"]["template"])}},
        },
    }
    assert _ids([SERVICE, cronjob]) == {}


def _job(name: str | None = "train", **spec) -> dict:
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name} if name else {"generateName": "train-"},
        "spec": {"template": copy.deepcopy(DEPLOYMENT["spec"]["template"]), **spec},
    }
    job["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    return job


def test_the_labels_a_controller_adds_to_its_pods_are_selected_too():
    """A headless Service for a Job's Pods selects job-name, which the API server adds to the
    template of a Job that leaves its selector to it; a StatefulSet's Pods get pod-name."""
    by_job_name = _with(SERVICE, spec__selector={"job-name": "train"})
    assert _ids([by_job_name, _job()]) == {}
    by_new_label = _with(SERVICE, spec__selector={"batch.kubernetes.io/job-name": "train"})
    assert _ids([by_new_label, _job()]) == {}
    assert _ids([by_job_name, _job(name=None)]) == {}  # named when made
    # Another Job's name, or a Job that picks its own selector (and labels): not selected.
    (finding,) = service_findings([by_job_name, _job(name="other")])[0]
    assert finding.id == "service-selects-nothing"
    manual = _job(manualSelector=True, selector={"matchLabels": {"app": "shop"}})
    assert _ids([by_job_name, manual]) == {0: [("service-selects-nothing", "spec.selector")]}
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "shop"}},
            "template": copy.deepcopy(DEPLOYMENT["spec"]["template"]),
        },
    }
    one_pod = _with(SERVICE, spec__selector={"statefulset.kubernetes.io/pod-name": "db-0"})
    assert _ids([one_pod, statefulset]) == {}
    assert _ids([one_pod, DEPLOYMENT]) == {0: [("service-selects-nothing", "spec.selector")]}


def test_a_custom_resource_that_makes_pods_may_be_what_a_service_selects():
    leaders = _with(SERVICE, spec__selector={"role": "leader"})
    workers = {
        "apiVersion": "leaderworkerset.x-k8s.io/v1",
        "kind": "LeaderWorkerSet",
        "metadata": {"name": "vllm"},
        "spec": {"leaderWorkerTemplate": {"workerTemplate": {"spec": {"containers": [{"name": "w", "image": "vllm"}]}}}},
    }  # fmt: skip
    assert _ids([leaders, DEPLOYMENT, workers]) == {}
    # One that makes no Pods (a ServiceMonitor) changes nothing; nor does one of another namespace.
    monitor = {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "m"}, "spec": {"endpoints": []}}  # fmt: skip
    assert _ids([leaders, DEPLOYMENT, monitor]) == {
        0: [("service-selects-nothing", "spec.selector")]
    }
    away = _with(workers, metadata__namespace="ml")
    inside = _with(leaders, metadata__namespace="web")
    assert _ids([inside, _with(DEPLOYMENT, metadata__namespace="web"), away]) == {
        0: [("service-selects-nothing", "spec.selector")]
    }


def test_an_operators_resource_that_a_selector_names_may_make_its_pods():
    """prometheus-operator's own examples: a Prometheus named k8s lists no containers, and the
    operator labels its Pods prometheus=k8s; a Service selecting that is no dangling Service."""
    prometheus = {"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus", "metadata": {"name": "k8s"}, "spec": {"replicas": 2}}  # fmt: skip
    by_owner = _with(SERVICE, spec__selector={"prometheus": "k8s"})
    assert _ids([by_owner, DEPLOYMENT, prometheus]) == {}
    # Another value, or the resource in another namespace, leaves the Service dangling.
    other = _with(SERVICE, spec__selector={"prometheus": "main"})
    assert _ids([other, DEPLOYMENT, prometheus]) == {
        0: [("service-selects-nothing", "spec.selector")]
    }
    away = _with(prometheus, metadata__namespace="monitoring")
    inside = _with(by_owner, metadata__namespace="web")
    assert _ids([inside, _with(DEPLOYMENT, metadata__namespace="web"), away]) == {
        0: [("service-selects-nothing", "spec.selector")]
    }


def test_a_templates_variables_and_what_cannot_be_read_say_nothing():
    """A value envsubst or Helm fills in, and a document that is not YAML until rendered, may
    be what the Service selects."""
    assert _ids([_with(SERVICE, spec__selector={"app": "${APP}"}), DEPLOYMENT]) == {}
    port = _with(SERVICE, spec__ports=[{"port": 80, "targetPort": "${PORT:-http}"}])
    assert _ids([port, DEPLOYMENT]) == {}
    elsewhere = _with(SERVICE, spec__selector={"app": "web"})
    assert service_findings([elsewhere, DEPLOYMENT], partial=True) == {}
    config = {**CONFIG, "data": {"${KEY}": "x"}}
    reader = _pod(_reading(configMapKeyRef={"name": "settings", "key": "MODE"}))
    assert _findings([config, reader]) == []
    reader = _pod(_reading(configMapKeyRef={"name": "settings", "key": "${KEY}"}))
    assert _findings([CONFIG, reader]) == []


def test_a_named_target_port_no_selected_container_declares_is_named():
    service = _with(
        SERVICE, spec__ports=[{"port": 80, "targetPort": "web"}, {"port": 81, "targetPort": 8081}]
    )
    (finding,) = service_findings([service, DEPLOYMENT])[0]
    assert (finding.id, finding.path) == ("service-target-port-unknown", "spec.ports[0].targetPort")
    assert (
        "targetPort web names no port" in finding.message and "named ports: http" in finding.message
    )


def test_a_sidecars_named_port_is_a_port_of_the_pod():
    sidecar = {
        "name": "proxy",
        "image": "envoy",
        "restartPolicy": "Always",
        "ports": [{"name": "web"}],
    }
    deployment = copy.deepcopy(DEPLOYMENT)
    deployment["spec"]["template"]["spec"]["initContainers"] = [sidecar]
    service = _with(SERVICE, spec__ports=[{"port": 80, "targetPort": "web"}])
    assert _ids([service, deployment]) == {}
    sidecar.pop("restartPolicy")  # a plain init container has exited before traffic comes
    assert _ids([service, deployment]) == {
        0: [("service-target-port-unknown", "spec.ports[0].targetPort")]
    }


def test_the_command_line_reports_them_at_the_services_lines_and_gates_on_them(tmp_path):
    service = _with(SERVICE, spec__selector={"app": "shop-web"})
    path = tmp_path / "shop.yaml"
    path.write_text(
        yaml.safe_dump(service, sort_keys=False)
        + "---\n"
        + yaml.safe_dump(DEPLOYMENT, sort_keys=False)
    )
    lines = path.read_text().splitlines()
    code, out = run(["analyze", "--format", "json", str(path)])
    assert code == 0  # a warning fails no gate by default
    (finding,) = json.loads(out)[0]["findings"]
    assert finding["id"] == "service-selects-nothing"
    assert lines[finding["line"] - 1] == "  selector:"
    code, out = run(["analyze", "--fail-on", "warning", str(path)])
    assert code == 1
    assert f"{path}:{finding['line']}: warning: service-selects-nothing: spec.selector: " in out
    code, out = run(["analyze", "--format", "sarif", str(path)])
    results = json.loads(out)["runs"][0]["results"]
    dangling = [result for result in results if result["ruleId"] == "service-selects-nothing"]
    assert len(dangling) == 1 and "selects app=shop-web" in dangling[0]["message"]["text"]


CONFIG = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"MODE": "prod"}}  # fmt: skip
SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "x"}}  # fmt: skip


def _pod(spec: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def _reading(**source) -> dict:
    return {"containers": [{"name": "app", "image": "i", "env": [{"name": "V", "valueFrom": source}]}]}  # fmt: skip


def _findings(objects: list) -> list[tuple[int, str, str]]:
    return [
        (position, finding.id, finding.path)
        for position, findings in file_findings(objects).items()
        for finding in findings
    ]


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        (_reading(configMapKeyRef={"name": "settings", "key": "MOOD"}), "spec.containers[0].env[0].valueFrom.configMapKeyRef.key"),
        (_reading(secretKeyRef={"name": "db", "key": "passwd"}), "spec.containers[0].env[0].valueFrom.secretKeyRef.key"),
        (
            {"containers": [{"name": "a", "image": "i"}], "volumes": [{"name": "c", "configMap": {"name": "settings", "items": [{"key": "mode", "path": "m"}]}}]},
            "spec.volumes[0].configMap.items[0].key",
        ),
        (
            {"containers": [{"name": "a", "image": "i"}], "volumes": [{"name": "s", "secret": {"secretName": "db", "items": [{"key": "pass", "path": "p"}]}}]},
            "spec.volumes[0].secret.items[0].key",
        ),
        (
            {"containers": [{"name": "a", "image": "i"}], "volumes": [{"name": "s", "projected": {"sources": [{"secret": {"name": "db", "items": [{"key": "user", "path": "u"}]}}]}}]},
            "spec.volumes[0].projected.sources[0].secret.items[0].key",
        ),
    ],
)  # fmt: skip
def test_a_key_the_files_configmap_or_secret_lacks_is_an_error_at_the_reference(spec, path):
    assert _findings([CONFIG, SECRET, _pod(spec)]) == [(2, "config-key-missing", path)]
    (finding,) = file_findings([CONFIG, SECRET, _pod(spec)])[2]
    assert finding.severity == "error"


@pytest.mark.parametrize(
    "spec",
    [
        _reading(configMapKeyRef={"name": "settings", "key": "MODE"}),  # it is there
        _reading(secretKeyRef={"name": "db", "key": "password"}),  # stringData counts
        _reading(configMapKeyRef={"name": "settings", "key": "MOOD", "optional": True}),
        _reading(configMapKeyRef={"name": "elsewhere", "key": "X"}),  # not in the file
        _reading(configMapKeyRef={"name": {"a": 1}, "key": "X"}),  # the API server refuses it
        {
            "containers": [{"name": "a", "image": "i"}],
            "volumes": [{"name": "c", "configMap": {"name": "settings"}}],
        },  # fmt: skip
    ],
)
def test_what_the_file_holds_or_cannot_know_is_no_finding(spec):
    assert _findings([CONFIG, SECRET, _pod(spec)]) == []


def test_a_workloads_reference_is_at_its_template_path_and_in_another_namespace_is_unknown():
    deployment = copy.deepcopy(DEPLOYMENT)
    deployment["spec"]["template"]["spec"] = _reading(
        configMapKeyRef={"name": "settings", "key": "MOOD"}
    )
    assert _findings([CONFIG, deployment]) == [
        (
            1,
            "config-key-missing",
            "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key",
        )
    ]
    elsewhere = _with(CONFIG, metadata__namespace="a")
    assert _findings([elsewhere, _with(deployment, metadata__namespace="b")]) == []


def test_the_command_line_fails_the_default_gate_on_a_missing_key(tmp_path):
    pod = _pod(_reading(configMapKeyRef={"name": "settings", "key": "MOOD"}))
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(CONFIG) + "---\n" + yaml.safe_dump(pod, sort_keys=False))
    code, out = run(["analyze", "--format", "json", "--fail-on", "error", str(path)])
    assert code == 1
    _, report = json.loads(out)
    (finding,) = [f for f in report["findings"] if f["id"] == "config-key-missing"]
    assert path.read_text().splitlines()[finding["line"] - 1].strip() == "key: MOOD"


# --- the files of one folder, judged together ------------------------------------------------


def _write(path, *documents: dict) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n".join(yaml.safe_dump(doc, sort_keys=False) for doc in documents))
    return str(path)


def _found(out: str) -> list[tuple[str, str, str]]:
    """``(file name, kind, finding id)`` of each finding across files in a JSON report."""
    reports = json.loads(out)
    found = []
    for report in reports if isinstance(reports, list) else [reports]:
        for finding in report.get("findings", []):
            if finding["id"] in ("service-selects-nothing", "config-key-missing"):
                name = report.get("file", "").rsplit("/", 1)[-1]
                found.append((name, report["kind"], finding["id"]))
    return found


def test_a_service_and_the_keys_read_are_judged_across_the_files_of_a_folder(tmp_path):
    """kubectl apply -f FOLDER sends a folder's files together: the Service of service.yaml
    selects the Pods of deployment.yaml, which reads a key config.yaml lacks."""
    reader = _with(DEPLOYMENT)
    reader["spec"]["template"]["spec"]["containers"][0]["env"] = [
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "MOOD"}}}
    ]
    service = _write(
        tmp_path / "app" / "service.yaml", _with(SERVICE, spec__selector={"app": "web"})
    )
    deployment = _write(tmp_path / "app" / "deployment.yaml", reader)
    _write(tmp_path / "app" / "config.yaml", CONFIG)
    code, out = run(["analyze", "--format", "json", "--fail-on", "error", str(tmp_path)])
    assert code == 1
    assert sorted(_found(out)) == [
        ("deployment.yaml", "Deployment", "config-key-missing"),
        ("service.yaml", "Service", "service-selects-nothing"),
    ]
    code, out = run(["analyze", str(tmp_path / "app")])
    lines = Path(service).read_text().splitlines()
    line = lines.index("  selector:") + 1
    assert (
        f"{service}:{line}: warning: service-selects-nothing: spec.selector: The Service shop "
        "selects app=web, and no Pod in the files of this folder has all of those labels "
        "(Deployment shop's Pods have app=shop, tier=web)"
    ) in out
    line = Path(deployment).read_text().splitlines().index("              key: MOOD") + 1
    assert f"{deployment}:{line}: error: config-key-missing: " in out
    assert "defined in the files of this folder without that key" in out
    # Named on the command line (as a pre-commit hook names staged files), the same.
    code, out = run(["analyze", "--format", "json", service, deployment])
    assert _found(out) == [("service.yaml", "Service", "service-selects-nothing")]
    # Alone, the Service may select Pods made elsewhere.
    code, out = run(["analyze", "--format", "json", service])
    assert _found(out) == []


def test_a_workload_in_another_file_of_the_folder_clears_what_one_file_alone_says(tmp_path):
    shop = _write(tmp_path / "shop.yaml", _with(SERVICE, spec__selector={"app": "web"}), DEPLOYMENT)
    code, out = run(["analyze", "--format", "json", shop])
    assert _found(out) == [("shop.yaml", "Service", "service-selects-nothing")]
    web = _with(DEPLOYMENT, metadata__name="web")
    web["spec"]["template"]["metadata"]["labels"] = {"app": "web"}
    web["spec"]["selector"]["matchLabels"] = {"app": "web"}
    _write(tmp_path / "web.yaml", web)
    code, out = run(["analyze", "--format", "json", "--fail-on", "warning", str(tmp_path)])
    assert _found(out) == []
    _write(tmp_path / "settings.yaml", CONFIG)  # what a file holds still counts with others
    reader = _pod(_reading(configMapKeyRef={"name": "settings", "key": "MODE"}))
    _write(tmp_path / "reader.yaml", reader)
    code, out = run(["analyze", "--format", "json", str(tmp_path)])
    assert _found(out) == []


def test_files_of_other_folders_are_not_judged_together(tmp_path):
    """A kustomize overlay, another app: each folder is sent on its own."""
    _write(tmp_path / "web" / "service.yaml", _with(SERVICE, spec__selector={"app": "web"}))
    _write(tmp_path / "shop" / "deployment.yaml", DEPLOYMENT)
    _write(tmp_path / "config" / "config.yaml", CONFIG)
    _write(
        tmp_path / "reader" / "pod.yaml",
        _pod(_reading(configMapKeyRef={"name": "settings", "key": "MOOD"})),
    )
    code, out = run(["analyze", "--format", "json", "--fail-on", "warning", str(tmp_path)])
    assert _found(out) == []


def test_a_large_folder_checked_by_several_processes_is_judged_together(tmp_path):
    for number in range(70):
        _write(
            tmp_path / f"pod-{number:02d}.yaml",
            _pod({"containers": [{"name": "a", "image": "nginx:1.27"}]}),
        )
    _write(tmp_path / "service.yaml", _with(SERVICE, spec__selector={"app": "web"}))
    code, out = run(["analyze", "--format", "json", str(tmp_path)])
    assert _found(out) == [("service.yaml", "Service", "service-selects-nothing")]
    assert "no Pod in the files of this folder has all of those labels (Pod p has no labels;" in out


def test_a_file_of_the_folder_that_cannot_be_read_may_hold_the_services_pods(tmp_path):
    _write(tmp_path / "service.yaml", _with(SERVICE, spec__selector={"app": "web"}))
    _write(tmp_path / "deployment.yaml", DEPLOYMENT)
    code, out = run(["analyze", "--format", "json", str(tmp_path)])
    assert _found(out) == [("service.yaml", "Service", "service-selects-nothing")]
    (tmp_path / "web-template.yaml").write_text(
        "kind: Deployment\nspec:\n  replicas: {{replicas}}\n"
    )
    code, out = run(["analyze", "--format", "json", str(tmp_path)])
    assert code == 2 and _found(out) == []
