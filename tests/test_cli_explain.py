"""podstudio explain: a field's docs from the schema in the terminal, like kubectl explain."""

import io
import subprocess
import sys

import pytest

from podstudio.cli import main
from podstudio.engine.fielddocs import explain


def run(argv):
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(""), stdout=out)
    return code, out.getvalue()


def _section(out: str, heading: str) -> list[str]:
    """The lines under a heading (``DESCRIPTION:``, ``FIELDS:``) up to the next blank line."""
    lines = out.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_it_prints_kind_version_field_description_default_and_children():
    code, out = run(["explain", "spec.containers[0].ports", "--k8s-version", "1.33"])
    assert code == 0
    assert out.startswith("KIND:       Pod\nVERSION:    v1 (Kubernetes 1.33 schema)\n")
    assert "FIELD:      pod.spec.containers.ports <[]ContainerPort>" in out
    description = " ".join(line.strip() for line in _section(out, "DESCRIPTION:"))
    assert description == explain("spec.containers.ports", "1.33")["description"]
    children = {line.split()[0]: line.split()[1:] for line in _section(out, "FIELDS:")}
    assert children["containerPort"] == ["<integer>", "-required-"]
    assert children["protocol"] == ["<string>"]
    code, out = run(["explain", "spec.containers.ports.protocol"])
    assert 'DEFAULT:    "TCP"' in out


def test_the_builders_path_syntax_is_accepted():
    for path in (
        "spec.containers[0].resources.limits",
        "spec.containers.resources.limits",
        "spec.containers[name=web].resources.limits",
        "pod.spec.containers[*].resources.limits",
    ):
        code, out = run(["explain", path])
        assert code == 0, path
        assert "FIELD:      pod.spec.containers.resources.limits <map[string]Quantity>" in out


def test_kind_names_where_the_path_starts():
    code, out = run(["explain", "spec.replicas", "--kind", "Deployment"])
    assert code == 0
    assert out.startswith("KIND:       Deployment\nVERSION:    apps/v1 ")
    assert "DEFAULT:    1" in out
    code, out = run(["explain", "statefulset.spec.template.spec.containers"])
    assert out.startswith("KIND:       StatefulSet\n")
    assert "FIELD:      statefulset.spec.template.spec.containers <[]Container>" in out


def test_a_field_newer_than_the_version_says_since_when():
    code, out = run(["explain", "spec.resources", "--k8s-version", "1.31"])
    assert code == 0
    assert "SINCE:      1.32 (not in 1.31)" in out
    code, out = run(["explain", "spec.resources", "--k8s-version", "1.32"])
    assert "SINCE:      1.32\n" in out and "not in" not in out


def test_a_deprecated_field_says_so():
    code, out = run(["explain", "spec.serviceAccount"])
    assert "DEPRECATED: yes" in out
    code, out = run(["explain", "spec.serviceAccountName"])
    assert "DEPRECATED" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", "spec.containers[0].imag"], 'field "imag" does not exist'),
        (["explain", "spec.nodeName.x"], 'field "x" does not exist'),
        (["explain", "spec.replicas", "--kind", "Service"], 'unknown kind "Service"'),
        (["explain", "spec.containers", "--k8s-version", "1.12"], "unknown Kubernetes version"),
        (["explain", "deploy.spec.replicas", "--kind", "Job"], "of Deployment, not of Job"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(argv, message, capsys):
    code, out = run(argv)
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_a_missing_path_is_a_usage_error():
    code, _ = run(["explain"])
    assert code == 2


def test_the_installed_command_exits_2_on_an_unknown_path():
    result = subprocess.run(
        [sys.executable, "-m", "podstudio.cli", "explain", "spec.probe"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == 'podstudio explain: field "probe" does not exist in pod.spec'
    ok = subprocess.run(
        [sys.executable, "-m", "podstudio.cli", "explain", "spec.hostUsers"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and "FIELD:      pod.spec.hostUsers <boolean>" in ok.stdout
