"""The podstudio command: output contracts and exit codes that scripts and CI rely on."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from podstudio.cli import main
from podstudio.engine.yamlio import load_manifest
from tests.conftest import SEED

VALID = SEED / "nginx-pod.yaml"
INVALID_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: Bad_Name
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 70000
"""


class FakeStdin(io.StringIO):
    """stdin with a binary buffer, like sys.stdin."""

    def __init__(self, data: bytes):
        super().__init__()
        self.buffer = io.BytesIO(data)


def run(argv, stdin_bytes=b""):
    out = io.StringIO()
    code = main(argv, stdin=FakeStdin(stdin_bytes), stdout=out)
    return code, out.getvalue()


def test_analyze_json_has_the_documented_shape():
    code, out = run(["analyze", "--format", "json", str(VALID)])
    report = json.loads(out)
    assert code == 0
    assert set(report) == {"valid", "errors", "qos", "pss", "findings", "notes"}
    assert report["valid"] is True and report["errors"] == []
    assert report["qos"]["class"] == "BestEffort"
    assert isinstance(report["qos"]["reasons"], list) and report["qos"]["reasons"]
    assert report["pss"]["level"] in ("privileged", "baseline", "restricted")
    for violation in report["pss"]["violations"]:
        assert {"control", "level", "path", "message"} <= set(violation)
    for finding in report["findings"]:
        assert {"id", "severity", "path", "message", "fix"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")


def test_analyze_text_is_readable():
    code, out = run(["analyze", str(VALID)])
    assert code == 0
    assert "Pod nginx-pod: valid" in out
    assert "QoS class: BestEffort" in out
    assert "Pod Security Standards: meets baseline" in out


def test_a_pod_kubernetes_rejects_exits_1_with_its_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(INVALID_POD)
    code, out = run(["analyze", "--format", "json", str(path)])
    report = json.loads(out)
    assert code == 1
    assert report["valid"] is False
    paths = {error["path"] for error in report["errors"]}
    assert "metadata.name" in paths
    assert "spec.containers[0].ports[0].containerPort" in paths


def test_reads_stdin_with_dash():
    code, out = run(["analyze", "--format", "json", "-"], VALID.read_bytes())
    assert code == 0 and json.loads(out)["valid"] is True


DEEP_JSON = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["analyze", "/no/such/file.yaml"], b"", "no such file"),
        (["analyze", "-"], b"", "empty"),
        (["analyze", "-"], b"kind: Deployment\n", "has no apiVersion"),
        (["analyze", "-"], b"apiVersion: v1\nmetadata: {name: x}\n", "has no kind"),
        (["analyze", "-"], b"kind: Pod\nmetadata: {name: x}\n", "has no apiVersion"),
        (["analyze", "-"], b"\x00\x01\x02", "binary"),
        (["analyze", "-"], b"a: [\n", "line"),
        (["analyze", "-"], b"kind: Pod\n" + b"#" * (4 * 1024 * 1024), "larger than 4096 KiB"),
        (["analyze", "--k8s-version", "0.9", str(VALID)], b"", "1.25"),
        (["analyze", "--format", "xml", str(VALID)], b"", "invalid choice"),
        (["normalize", "-"], b"kind: Pod\nspec: {activeDeadlineSeconds: -.inf}\n", "-Inf"),
        (["normalize", "-"], b"apiVersion: v1\nmetadata: {name: x}\n", "has no kind"),
        # JSON nested past Python's own limit (not only past the reader's 64 levels).
        (["analyze", "-"], DEEP_JSON.encode(), "nesting is deeper than 64 levels"),
        (["normalize", "-"], DEEP_JSON.encode(), "nesting is deeper than 64 levels"),
        ([], b"", "required"),
    ],
)
def test_unreadable_input_exits_2_with_one_line_on_stderr(argv, stdin, message, capsys):
    code, out = run(argv, stdin)
    err = capsys.readouterr().err
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("podstudio: ")


def test_a_directory_without_manifests_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a manifest")
    code, _ = run(["analyze", str(tmp_path)])
    assert code == 2 and "is a directory without *.yaml" in capsys.readouterr().err


def test_k8s_version_selects_the_rules(tmp_path):
    # Pod-level resources exist in the API from 1.34; older schemas do not know the field.
    pod = load_manifest(VALID.read_text())
    pod["spec"]["resources"] = {"limits": {"cpu": "1", "memory": "1Gi"}}
    path = tmp_path / "pod.json"
    path.write_text(json.dumps(pod))
    assert run(["analyze", "--k8s-version", "1.37", str(path)])[0] == 0
    code, out = run(["analyze", "--format", "json", "--k8s-version", "1.30", str(path)])
    assert code == 1
    assert any(e["path"].startswith("spec") for e in json.loads(out)["errors"])


@pytest.mark.parametrize("path", sorted(SEED.glob("*.yaml")), ids=lambda p: p.stem)
def test_normalize_prints_the_same_data(path):
    code, out = run(["normalize", str(path)])
    assert code == 0
    assert load_manifest(out) == load_manifest(path.read_text())


def test_normalize_exits_1_for_a_pod_kubernetes_rejects(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(INVALID_POD)
    code, out = run(["normalize", str(path)])
    assert code == 1
    assert "name: Bad_Name" in out


def test_normalize_exits_1_for_a_list_holding_a_pod_kubernetes_rejects(tmp_path):
    """kubectl sends a List's objects one by one, so the API server refuses this one."""
    path = tmp_path / "list.yaml"
    indented = "  " + "\n  ".join(INVALID_POD.strip().splitlines())
    path.write_text(f"apiVersion: v1\nkind: List\nitems:\n-{indented[1:]}\n")
    assert run(["analyze", str(path)])[0] == 1
    code, out = run(["normalize", str(path)])
    assert code == 1
    assert "kind: List" in out and "name: Bad_Name" in out


def test_installed_console_script_runs():
    script = Path(sys.executable).parent / "podstudio"
    result = subprocess.run(
        [str(script), "analyze", "--format", "json", "-"],
        input=VALID.read_bytes(),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True
    result = subprocess.run(
        [str(script), "analyze", "-"], input=b"", capture_output=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.decode().startswith("podstudio: ")


def test_help_lists_every_command_though_a_run_builds_only_its_own(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for command in ("analyze", "normalize", "sandbox", "edit", "explain"):
        assert command in listed
    assert main(["analze", str(VALID)]) == 2  # a typo: the choices are named
    assert "choose from 'analyze', 'normalize', 'sandbox', 'edit', 'explain'" in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    assert "usage: podstudio explain" in capsys.readouterr().out
