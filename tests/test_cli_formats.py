"""``podstudio analyze --format github`` (GitHub Actions annotations on a pull request) and
``--format junit`` (the test report of GitLab, Jenkins and most CI systems): every problem at
its file and line, what fails a gate marked as failing, the same exit codes as the other
formats."""

import re
from xml.etree import ElementTree as ET

import pytest

from tests.test_cli_analyze import run

BROKEN = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: web
          image: nginx:latest
          ports:
            - containerPort: 99999
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository checked out at the working directory, as in a CI job."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "shop.yaml").write_text(f"{SERVICE}---\n{BROKEN}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _line(path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def _annotations(out: str) -> list[tuple[str, dict, str]]:
    found = []
    for line in out.splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if match:
            properties = dict(part.split("=", 1) for part in match[2].split(","))
            found.append((match[1], properties, match[3]))
    return found


def test_github_annotates_each_error_and_warning_at_its_line_in_the_repository(repo):
    code, out = run(["analyze", "--format", "github", "k8s"])
    assert code == 1  # Kubernetes would reject the Deployment
    annotations = _annotations(out)
    port_line = _line(repo / "k8s" / "shop.yaml", "            - containerPort: 99999")
    rejected = [a for a in annotations if a[1]["title"].startswith("invalid")]
    assert rejected == [
        (
            "error",
            {
                "file": "k8s/shop.yaml",
                "line": str(port_line),
                "title": "invalid%3A Deployment shop",
            },
            "spec.template.spec.containers[0].ports[0].containerPort: must be between 1 and "
            "65535, inclusive",
        )
    ]
    levels = {(level, props["title"].split("%3A")[0]) for level, props, _ in annotations}
    assert ("warning", "latest-tag") in levels
    assert ("warning", "service-selects-nothing") in levels  # the Service, at its selector
    assert not any(title.startswith("pod-security-restricted") for _, title in levels)
    # What is said after it on the runner's log line: the fix, on a line of its own.
    latest = next(a for a in annotations if a[1]["title"].startswith("latest-tag"))
    assert "%0AFix: " in latest[2]
    assert out.splitlines()[-1].startswith("Summary: 1 file: 1 Pod or workload checked")


def test_github_marks_what_fails_a_gate_as_an_error(repo):
    code, out = run(["analyze", "--format", "github", "--min-pss", "restricted", "k8s"])
    restricted = [a for a in _annotations(out) if a[1]["title"].startswith("pod-security-r")]
    assert restricted and all(level == "error" for level, _, _ in restricted)
    code, out = run(["analyze", "--format", "github", "--fail-on", "warning", "k8s"])
    latest = next(a for a in _annotations(out) if a[1]["title"].startswith("latest-tag"))
    assert latest[0] == "error"


def test_github_escapes_what_would_end_a_command_early(repo):
    (repo / "k8s" / "odd,name: 100%.yaml").write_text(
        BROKEN.replace("name: shop", 'name: "a,b:c\\n::error::injected"')
    )
    code, out = run(["analyze", "--format", "github", "k8s/odd,name: 100%.yaml"])
    lines = out.splitlines()
    assert not any(line.startswith("::error::injected") for line in lines)
    (first, properties, _), *_ = _annotations(out)
    assert properties["file"] == "k8s/odd%2Cname%3A 100%25.yaml"
    assert all("\n" not in line for line in lines)


def test_github_says_a_file_that_cannot_be_read(repo):
    (repo / "k8s" / "broken.yaml").write_text("kind: Pod\nmetadata: [\n")
    code, out = run(["analyze", "--format", "github", "k8s/broken.yaml"])
    assert code == 2
    ((level, properties, message),) = _annotations(out)
    assert (level, properties["file"], properties["title"]) == (
        "error",
        "k8s/broken.yaml",
        "cannot be read",
    )
    assert message


def _suites(out: str) -> ET.Element:
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    return root


def test_junit_has_a_test_case_per_document_and_fails_the_rejected_one(repo):
    (repo / "k8s" / "values.yaml").write_text("replicaCount: 2\nimage: {tag: x}\n")
    (repo / "k8s" / "broken.yaml").write_text("kind: Pod\nmetadata: [\n")
    code, out = run(["analyze", "--format", "junit", "k8s"])
    assert code == 2  # a file cannot be read: the other files are still reported
    root = _suites(out)
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"k8s/broken.yaml", "k8s/shop.yaml", "k8s/values.yaml"}
    shop = suites["k8s/shop.yaml"]
    cases = {case.get("name"): case for case in shop}
    assert set(cases) == {"Service web", "Deployment shop"}
    (failure,) = cases["Deployment shop"].findall("failure")
    assert failure.get("message") == "Kubernetes would reject it"
    port_line = _line(repo / "k8s" / "shop.yaml", "            - containerPort: 99999")
    assert failure.text == (
        f"k8s/shop.yaml:{port_line}: error: invalid: "
        "spec.template.spec.containers[0].ports[0].containerPort: must be between 1 and 65535, "
        "inclusive"
    )
    assert cases["Deployment shop"].get("line") == str(
        _line(repo / "k8s" / "shop.yaml", "apiVersion: apps/v1")
    )
    assert cases["Service web"].find("skipped") is not None  # a warning fails no gate
    assert suites["k8s/values.yaml"][0].find("skipped") is not None
    assert suites["k8s/broken.yaml"][0].find("error") is not None
    assert (shop.get("tests"), shop.get("failures"), shop.get("skipped")) == ("2", "1", "1")
    totals = {key: root.get(key) for key in ("tests", "failures", "errors", "skipped")}
    assert totals == {"tests": "4", "failures": "1", "errors": "1", "skipped": "2"}


def test_junit_fails_a_document_on_the_gates_asked_for(repo):
    (repo / "k8s" / "shop.yaml").write_text(f"{SERVICE}---\n{BROKEN.replace('99999', '8080')}")
    code, out = run(["analyze", "--format", "junit", "k8s"])
    assert code == 0
    assert list(_suites(out).iter("failure")) == []
    code, out = run(["analyze", "--format", "junit", "--fail-on", "warning", "k8s"])
    assert code == 1
    failures = {case.get("name"): case.find("failure") for case in _suites(out).iter("testcase")}
    assert failures["Service web"].get("message") == "fails a gate: 1 problem"
    assert "service-selects-nothing" in failures["Service web"].text
    deployment = failures["Deployment shop"]
    assert deployment.get("message").startswith("fails a gate: ")
    assert "latest-tag" in deployment.text and "pod-security" not in deployment.text


def test_an_unreadable_document_is_annotated_at_the_line_that_is_wrong(tmp_path):
    """GitHub's annotation and JUnit's case point where SARIF and the message do: the wrong
    line, not the document's first."""
    path = tmp_path / "two.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
        "spec: {containers: [{name: a, image: b}]}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: [\n"
    )
    import subprocess
    import sys

    def output(fmt: str) -> str:
        command = [sys.executable, "-m", "podstudio.cli", "analyze", "-o", fmt, str(path)]
        return subprocess.run(command, capture_output=True, text=True).stdout

    github = output("github")
    wrong = re.search(r"title=cannot be read::line (\d+)", github).group(1)
    assert f"line={wrong},title=cannot be read" in github
    assert f'line="{wrong}"' in output("junit")
