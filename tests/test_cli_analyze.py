"""``podstudio analyze`` in CI: directories of multi-document files, text/JSON/SARIF with the
line of each problem, gates, exit codes and opt-outs."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from podstudio.cli import main

ROOT = Path(__file__).resolve().parents[1]

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
BROKEN_DEPLOYMENT = DEPLOYMENT.replace("replicas: 2", "replicas: -1")
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: busybox:1.36
"""


class FakeStdin(io.StringIO):
    def __init__(self, data: bytes):
        super().__init__()
        self.buffer = io.BytesIO(data)


def run(argv, stdin=b""):
    out = io.StringIO()
    code = main(argv, stdin=FakeStdin(stdin), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "web.yaml").write_text(f"{SERVICE}---\n{DEPLOYMENT}---\n")
    (tmp_path / "app" / "report.yml").write_text(CRONJOB)
    (tmp_path / "app" / "notes.txt").write_text("kind: Deployment\n")  # not a manifest file
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "bad.yaml").write_text("kind: [\n")  # hidden folders are skipped
    (tmp_path / "empty.yaml").write_text("# nothing here yet\n---\n")
    (tmp_path / "pod.json").write_text(
        json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                    "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}})
    )  # fmt: skip
    return tmp_path


def test_a_directory_is_searched_recursively_for_manifests(tree):
    code, out = run(["analyze", "--format", "json", str(tree)])
    reports = json.loads(out)
    assert code == 0
    files = {Path(item["file"]).name for item in reports}
    assert files == {"web.yaml", "report.yml", "empty.yaml", "pod.json"}
    by_kind = {item.get("kind"): item for item in reports if item.get("kind")}
    assert by_kind["Service"]["checked"] is False
    assert "not checked" in by_kind["Service"]["note"]
    assert by_kind["Deployment"]["checked"] is True and by_kind["Deployment"]["document"] == 1
    assert by_kind["Deployment"]["line"] == 8
    assert by_kind["CronJob"]["valid"] is True
    assert by_kind["Pod"]["qos"]["class"] == "BestEffort"


def test_json_reports_carry_the_line_of_each_problem(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(f"{SERVICE}---\n{BROKEN_DEPLOYMENT}")
    code, out = run(["analyze", "--format", "json", str(path)])
    assert code == 1
    deployment = json.loads(out)[1]
    assert deployment["valid"] is False
    error = deployment["errors"][0]
    assert error["path"] == "spec.replicas"
    assert path.read_text().splitlines()[error["line"] - 1].strip() == "replicas: -1"
    image = next(f for f in deployment["findings"] if f["id"] == "missing-readiness-probe")
    # the container, where the missing probe belongs
    assert path.read_text().splitlines()[image["line"] - 1].strip() == "- name: web"


def test_json_reports_tell_objects_named_by_generate_name_apart(tmp_path):
    """Argo CD's hooks: Jobs named by the API server, which JSON readers must tell apart."""
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: {}\nspec:\n  template:\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n      - name: run\n"
        "        image: busybox:1.36\n"
    )
    path = tmp_path / "hooks.yaml"
    path.write_text(job.format("upgrade-sql-schema") + "---\n" + job.format("seed-data-"))
    code, out = run(["analyze", "--format", "json", str(path)])
    reports = json.loads(out)
    assert [(r["name"], r["generateName"]) for r in reports] == [
        ("", "upgrade-sql-schema"),
        ("", "seed-data-"),
    ]
    path.write_text(job.format("x").replace("generateName: x", "name: web"))
    code, out = run(["analyze", "--format", "json", str(path), str(path)])
    assert all("generateName" not in report for report in json.loads(out))


def test_a_json_stream_is_checked_object_by_object_with_each_ones_line(tmp_path):
    """``jq -c '.items[]' < all.json > objects.json``: kubectl applies each object."""
    path = tmp_path / "objects.json"
    objects = [yaml.safe_load(SERVICE), yaml.safe_load(BROKEN_DEPLOYMENT)]
    path.write_text("".join(json.dumps(item) + "\n" for item in objects))
    code, out = run(["analyze", "--format", "json", str(path)])
    assert code == 1
    service, deployment = json.loads(out)
    assert (service["kind"], service["checked"], service["line"]) == ("Service", False, 1)
    assert (deployment["kind"], deployment["document"], deployment["line"]) == ("Deployment", 1, 2)
    assert deployment["errors"][0]["path"] == "spec.replicas"
    assert deployment["errors"][0]["line"] == 2


def test_each_item_of_a_list_is_checked_at_its_own_lines(tmp_path):
    """``kubectl get deployments -o yaml`` prints a List; kubectl applies each item of one."""
    path = tmp_path / "all.yaml"
    indented = "".join(
        "- " + "\n  ".join(text.splitlines()) + "\n" for text in (SERVICE, BROKEN_DEPLOYMENT)
    )
    path.write_text(f"apiVersion: v1\nkind: List\nitems:\n{indented}")
    code, out = run(["analyze", "--format", "json", str(path)])
    assert code == 1
    service, deployment = json.loads(out)
    assert (service["kind"], service["item"], service["checked"]) == ("Service", 0, False)
    assert (deployment["kind"], deployment["item"], deployment["valid"]) == ("Deployment", 1, False)
    lines = path.read_text().splitlines()
    assert lines[deployment["line"] - 1] == "- apiVersion: apps/v1"
    error = deployment["errors"][0]
    assert (error["path"], lines[error["line"] - 1].strip()) == ("spec.replicas", "replicas: -1")
    code, out = run(["analyze", str(path)])
    assert f"{path}:{deployment['line']}: Deployment web (items[1] of a List): INVALID" in out


def test_a_list_inside_a_list_is_flattened_in_kubectls_order(tmp_path):
    """kubectl applies the objects of a List inside a List too (cli-runtime's
    FlattenListVisitor), breadth first: the outer List's own objects, then the inner ones."""
    path = tmp_path / "nested.yaml"
    path.write_text(
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "- apiVersion: v1\n"
        "  kind: List\n"
        "  items:\n"
        "  - apiVersion: v1\n"
        "    kind: Pod\n"
        "    metadata: {name: inner}\n"
        "    spec:\n"
        "      containers:\n"
        "      - {name: c, image: 'nginx:1.27', ports: [{containerPort: 0}]}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}\n"
    )
    code, out = run(["analyze", "--format", "json", str(path)])
    config_map, pod = json.loads(out)
    assert code == 1  # the inner Pod is checked, and refused
    assert (config_map["name"], config_map["item"]) == ("settings", 0)
    assert "item_path" not in config_map
    assert (pod["name"], pod["item"], pod["item_path"]) == ("inner", 1, "items[0].items[0]")
    lines = path.read_text().splitlines()
    assert lines[pod["line"] - 1] == "  - apiVersion: v1"
    error = pod["errors"][0]
    assert error["path"] == "spec.containers[0].ports[0].containerPort"
    assert "containerPort: 0" in lines[error["line"] - 1]
    code, out = run(["analyze", str(path)])
    assert f"{path}:7: Pod inner (items[0].items[0] of a List): INVALID" in out


def test_the_items_of_a_typed_list_are_of_its_kind_as_kubectl_reads_them(tmp_path):
    """A ``PodList``'s items need not say kind and apiVersion: kubectl gives them ``v1`` Pod."""
    path = tmp_path / "pods.yaml"
    path.write_text(
        "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n"
        "  spec:\n    containers: [{name: c, image: 'nginx:1.27', ports: [{containerPort: 0}]}]\n"
    )
    code, out = run(["analyze", "--format", "json", str(path)])
    (pod,) = json.loads(out)
    assert (code, pod["kind"], pod["name"], pod["valid"]) == (1, "Pod", "a", False)
    assert pod["errors"][0]["path"] == "spec.containers[0].ports[0].containerPort"
    assert pod["errors"][0]["line"] == 6


def test_text_is_grouped_by_file_with_file_and_line(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(f"{SERVICE}---\n{BROKEN_DEPLOYMENT}")
    code, out = run(["analyze", str(path)])
    assert code == 1
    assert out.startswith(f"== {path}\n")
    assert f"{path}:1: info: Service web: not checked" in out
    assert f"{path}:8: Deployment web: INVALID" in out
    assert f"{path}:13: error: spec.replicas: must be greater than or equal to 0" in out


def test_an_object_with_only_generate_name_is_called_by_it(tmp_path):
    """The text names it by its generateName rather than "(unnamed)"."""
    path = tmp_path / "job.yaml"
    path.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: nightly-}\nspec:\n"
        "  template:\n    spec:\n      restartPolicy: Never\n"
        "      containers: [{name: run, image: 'busybox:1.36'}]\n"
    )
    _, out = run(["analyze", str(path)])
    assert f"{path}:1: Job nightly-…: valid" in out


def test_sarif_is_what_github_code_scanning_reads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "web.yaml"
    path.write_text(f"{SERVICE}---\n{BROKEN_DEPLOYMENT}")
    code, out = run(["analyze", "--format", "sarif", str(path)])
    log = json.loads(out)
    assert code == 1
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run_ = log["runs"][0]
    rule_ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    invalid = [r for r in run_["results"] if r["ruleId"] == "invalid"]
    assert invalid and invalid[0]["level"] == "error"
    location = invalid[0]["locations"][0]["physicalLocation"]
    # Relative to the repository's root, where the job runs, however the file was named.
    assert location["artifactLocation"] == {"uri": "web.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 13
    assert {r["ruleId"] for r in run_["results"]} <= rule_ids
    assert any(
        r["ruleId"] == "missing-readiness-probe" and r["level"] == "warning"
        for r in run_["results"]
    )


def test_one_pod_in_one_file_keeps_the_json_shape_of_before(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text((ROOT / "tests/manifests/seed/nginx-pod.yaml").read_text() + "---\n")
    code, out = run(["analyze", "--format", "json", str(path)])
    assert code == 0
    assert set(json.loads(out)) == {"valid", "errors", "qos", "pss", "findings", "notes"}
    # -o, as kubectl users type it, is the same option
    assert run(["analyze", "-o", "json", str(path)]) == (code, out)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        ([], 0),  # a valid Deployment: accepted
        (["--fail-on", "error"], 0),  # its findings are warnings
        (["--fail-on", "warning"], 1),
        (["--min-pss", "baseline"], 0),
        (["--min-pss", "restricted"], 1),
    ],
)
def test_gates_decide_the_exit_code(tmp_path, argv, code):
    path = tmp_path / "web.yaml"
    path.write_text(DEPLOYMENT)
    assert run(["analyze", *argv, str(path)])[0] == code


def test_error_findings_fail_with_fail_on_error(tmp_path):
    path = tmp_path / "priv.yaml"
    doc = yaml.safe_load(DEPLOYMENT)
    doc["spec"]["template"]["spec"]["containers"][0]["securityContext"] = {"privileged": True}
    path.write_text(yaml.safe_dump(doc))
    assert run(["analyze", str(path)])[0] == 0  # the API server accepts it
    assert run(["analyze", "--fail-on", "error", str(path)])[0] == 1


def test_an_unreadable_file_exits_2_and_the_others_are_still_reported(tmp_path, capsys):
    good = tmp_path / "a.yaml"
    good.write_text(DEPLOYMENT)
    bad = tmp_path / "b.yaml"
    bad.write_text("kind: [\n")
    code, out = run(["analyze", "--format", "json", str(tmp_path), str(tmp_path / "missing.yaml")])
    assert code == 2
    reports = json.loads(out)
    assert any(item.get("kind") == "Deployment" and item["valid"] for item in reports)
    (broken,) = [item for item in reports if item["file"].endswith("b.yaml")]
    assert broken["error"].startswith("line 2, column 1: ")
    assert broken["valid"] is False  # kubectl would refuse the file
    err = capsys.readouterr().err
    assert f"podstudio: {bad}: line" in err
    assert "missing.yaml: no such file" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_run_that_reads_nothing_still_prints_a_whole_report(tmp_path, fmt, capsys):
    # A CI step after the check (jq, upload-sarif) reads the report whatever the exit code.
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    code, out = run(["analyze", "--format", fmt, str(tmp_path), str(tmp_path / "gone.yaml")])
    assert code == 2
    report = json.loads(out)
    if fmt == "json":
        assert {item["file"].rsplit("/", 1)[-1] for item in report} == {"broken.yaml", "gone.yaml"}
        assert all(item["error"] and item["valid"] is False for item in report)
    else:
        results = report["runs"][0]["results"]
        assert {result["ruleId"] for result in results} == {"unreadable"}
        assert len(results) == 2
        # GitHub code scanning shows a result only where a region says (line 1 for a file).
        regions = [result["locations"][0]["physicalLocation"]["region"] for result in results]
        assert sorted(region["startLine"] for region in regions) == [1, 2]
    assert "podstudio: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message", "code"),
    [
        ("apiVersion: v1\nmetadata: {name: x}\n", "has no kind", 2),
        ("kind: Deployment\nmetadata: {name: x}\n", "has no apiVersion", 2),
        ("apiVersion: v1\nkind: Lizard\n", "not a built-in kind", 0),
        ("apiVersion: v1\nkind: List\nitems: []\n", "this List is empty", 0),
        ("apiVersion: v1\nkind: List\n", "a List holds its objects in a list under items:", 1),
        ("apiVersion: v1\nkind: List\nitems: x\n", "a List holds its objects in a list", 1),
        # Beside objects, a document that is none makes `kubectl apply -f` fail.
        ("- a\n- b\n", "not a Kubernetes object: this document is a list", 1),
        ("EOF\n", "this document is a single value, not a mapping, and kubectl refuses it", 1),
        # Objects written as a list, which kubectl refuses; an Ansible task list is no manifest.
        (
            "- apiVersion: v1\n  kind: Pod\n- apiVersion: v1\n  kind: Service\n",
            "a list of 2 objects (Pod, Service): kubectl reads no list",
            2,
        ),
        ("- hosts: all\n  tasks: []\n", "not a Kubernetes object", 1),
        ("name: compose\nservices: {}\n", "neither apiVersion nor kind, and kubectl refuses", 1),
        (
            DEPLOYMENT.replace("selector:\n    matchLabels: {app: web}", "selector: app=web"),
            "spec.selector",
            1,
        ),
        (DEPLOYMENT.replace("template:\n    metadata", "template: 5\n    xmetadata"), "", 2),
        (
            DEPLOYMENT.replace("  template:\n", "  template: nope\n  x:\n"),
            "spec.template: must be a mapping",
            1,
        ),
    ],
)
def test_bad_input_gets_a_clear_message_at_its_line(tmp_path, capsys, text, message, code):
    path = tmp_path / "odd.yaml"
    path.write_text(f"{SERVICE}---\n{text}")
    got, out = run(["analyze", str(path)])
    assert got == code
    assert message in out + capsys.readouterr().err
    if code != 2:
        assert f"{path}:8:" in out


def test_an_empty_file_named_on_the_command_line_cannot_be_checked(tmp_path, capsys):
    path = tmp_path / "empty.yaml"
    path.write_text("# only comments\n---\n")
    assert run(["analyze", str(path)])[0] == 2
    assert "holds no Kubernetes object" in capsys.readouterr().err


def test_an_empty_file_in_a_directory_is_only_a_note(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    code, out = run(["analyze", str(tmp_path)])
    assert code == 0
    assert "holds no Kubernetes object" in out
    assert run(["analyze", "--fail-on", "warning", "--format", "json", str(tmp_path)])[0] == 1


def test_stdin_holds_any_number_of_documents():
    code, out = run(["analyze", "--format", "json", "-"], f"{DEPLOYMENT}---\n{CRONJOB}".encode())
    assert code == 0
    assert [item["kind"] for item in json.loads(out)] == ["Deployment", "CronJob"]
    assert all(item["file"] == "<stdin>" for item in json.loads(out))


def test_the_ignore_annotation_drops_named_findings(tmp_path):
    doc = yaml.safe_load(DEPLOYMENT)
    path = tmp_path / "web.yaml"
    path.write_text(yaml.safe_dump(doc))
    before = {
        f["id"] for f in json.loads(run(["analyze", "--format", "json", str(path)])[1])["findings"]
    }
    assert {"missing-readiness-probe", "missing-liveness-probe"} <= before
    doc["metadata"]["annotations"] = {
        "podstudio.dev/ignore": "no-readiness-probe, missing-liveness-probe typo-here"
    }
    path.write_text(yaml.safe_dump(doc))
    after = json.loads(run(["analyze", "--format", "json", str(path)])[1])["findings"]
    ids = {f["id"] for f in after}
    assert "missing-readiness-probe" not in ids and "missing-liveness-probe" not in ids
    unknown = [f for f in after if f["id"] == "ignore-annotation"]
    assert len(unknown) == 1 and "typo-here" in unknown[0]["message"]
    assert unknown[0]["path"] == "metadata.annotations[podstudio.dev/ignore]"


def test_an_ignore_annotation_in_a_template_is_said_to_hide_nothing(tmp_path):
    """Written in the Pod template (where the Pods would carry it), it was passed over without
    a word: the finding stayed and nothing said why."""
    doc = yaml.safe_load(DEPLOYMENT)
    doc["spec"]["template"]["metadata"]["annotations"] = {
        "podstudio.dev/ignore": "missing-readiness-probe"
    }
    path = tmp_path / "web.yaml"
    path.write_text(yaml.safe_dump(doc))
    findings = json.loads(run(["analyze", "--format", "json", str(path)])[1])["findings"]
    assert "missing-readiness-probe" in {f["id"] for f in findings}
    [said] = [f for f in findings if f["id"] == "ignore-annotation"]
    assert said["path"] == "spec.template.metadata.annotations[podstudio.dev/ignore]"
    assert "not read" in said["message"] and "Deployment's own metadata" in said["fix"]


def test_the_pre_commit_hook_runs_this_command():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = hooks[0]
    assert hook["entry"] == "podstudio analyze"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"yaml", "json"}


def test_readme_documents_ci_use_with_a_github_actions_example():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Checking manifests in CI", 1)[1].split("\n## ", 1)[0]
    assert "podstudio analyze" in section and "--format sarif" in section
    workflow = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["manifests"]["steps"]
    assert any("podstudio analyze" in step.get("run", "") for step in steps)
    assert any(
        step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps
    )


TYPOS = """\
apiVersion: v1
kind: pod
metadata: {name: a}
---
apiVersion: apps/v1
kind: Deploymnet
metadata: {name: b}
"""


def test_a_kind_a_few_letters_off_one_its_apiversion_serves_fails_the_gate(tmp_path):
    """kubectl refuses ``kind: pod`` ("no matches for kind"): it once passed as a custom
    resource, exit 0."""
    path = tmp_path / "typos.yaml"
    path.write_text(TYPOS)
    code, out = run(["analyze", str(path)])
    assert code == 1
    assert 'v1 serves no kind "pod" (did you mean Pod?)' in out
    assert 'apps/v1 serves no kind "Deploymnet" (did you mean Deployment?)' in out
    code, out = run(["analyze", "--format", "json", str(path)])
    assert [item["valid"] for item in json.loads(out)] == [False, False]


CUSTOM = """\
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: training}
spec: {minAvailable: 1, tasks: []}
---
apiVersion: v1
kind: Config
clusters: []
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
"""


def test_custom_resources_and_other_files_are_not_checked_and_pass(tmp_path):
    """Volcano's Job was judged as a batch/v1 Job (exit 1); a kubeconfig or a Gateway is not
    Kubernetes' to refuse here."""
    path = tmp_path / "custom.yaml"
    path.write_text(CUSTOM)
    code, out = run(["analyze", str(path)])
    assert code == 0, out
    assert "this Job of batch.volcano.sh/v1alpha1 is a custom resource" in out
    assert "INVALID" not in out
    items = json.loads(run(["analyze", "--format", "json", str(path)])[1])
    assert [(item["kind"], item["checked"], item["valid"]) for item in items] == [
        ("Job", False, True),
        ("Config", False, True),
        ("Gateway", False, True),
    ]


# A rule that raises, in the command line as it runs (its own process: no logging set up).
CRASHING_RUN = """
import sys
from podstudio.cli import main
from podstudio.engine.validation import pod, workloads

def broken(*args, **kwargs):
    raise TypeError("unhashable type: 'list'")

pod.check_metadata = broken
workloads._metadata_errors = broken
sys.exit(main(sys.argv[1:]))
"""


def test_a_rule_that_crashes_fails_the_gate_with_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(DEPLOYMENT)
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, "analyze", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{path}:1: error: Pod Studio could not finish checking this document" in result.stdout
    assert "Traceback" not in result.stderr


def test_template_label_errors_carry_the_servers_path_and_the_line_they_are_written_on(tmp_path):
    """kubectl shows the API server's ``spec.template.labels`` (ValidatePodTemplateSpec); the
    line is where the YAML writes them, under ``spec.template.metadata``."""
    path = tmp_path / "job.yaml"
    path.write_text(
        f"{SERVICE}---\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n"
        "    metadata:\n      annotations:\n        'x y': z\n      labels:\n        'a b': c\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - {name: pi, image: 'perl:5.34'}\n"
    )
    code, out = run(["analyze", "-o", "json", str(path)])
    assert code == 1
    lines = path.read_text().splitlines()
    errors = json.loads(out)[1]["errors"]
    where = {error["path"]: lines[error["line"] - 1].strip() for error in errors}
    # a Job without labels of its own is given its template's (SetDefaults_Job)
    assert where == {
        "metadata.labels": "metadata:",
        "spec.template.labels": "labels:",
        "spec.template.annotations": "annotations:",
    }
