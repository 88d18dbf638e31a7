"""podstudio edit and podstudio explain: the builder's edits and field docs in a terminal."""

import io
import json
import os
import subprocess
import sys

import pytest
import yaml

from podstudio.cli import main
from podstudio.engine.sourcemap import read_source
from tests.textedit_helpers import FORMATTING, read_text

POD = """\
# DO NOT remove the seccomp profile
apiVersion: v1
kind: Pod
metadata:
  name: web   # keep this name
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: web
    image: nginx:1.27
    env:
    - name: PORT
      value: "8080"
    resources:
      limits: {memory: 128Mi}
  - name: log
    image: busybox:1.36
"""


@pytest.fixture
def pod_file(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    return path


def run(argv, stdin: bytes = b""):
    out = io.StringIO()
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin))
    code = main(argv, stdin=stdin_stream, stdout=out)
    return code, out.getvalue()


def test_it_prints_the_file_with_only_the_values_changed(pod_file, capsys):
    code, out = run(
        [
            "edit",
            str(pod_file),
            "--set",
            "spec.containers[name=web].image=nginx:1.28",
            "--set",
            "spec.containers[0].resources.limits.memory=256Mi",
            "--set",
            "metadata.name=web-2",
        ]
    )
    assert code == 0
    assert out == (
        POD.replace("image: nginx:1.27", "image: nginx:1.28")
        .replace("{memory: 128Mi}", "{memory: 256Mi}")
        .replace("name: web   #", "name: web-2   #")
    )
    assert pod_file.read_text() == POD  # not written without --in-place


def test_values_are_typed_as_the_schema_says(pod_file):
    code, out = run(
        [
            "edit",
            str(pod_file),
            "--set",
            "spec.containers[0].env[0].value=5432",
            "--set",
            "spec.terminationGracePeriodSeconds=30",
            "--set",
            "spec.containers[1].ports[0].containerPort=9090",
            "--set",
            "spec.containers[1].stdin=true",
            "--set",
            "metadata.labels[app.kubernetes.io/name]=123",
        ]
    )
    assert code == 0, out
    data = read_source(out).documents[0].data
    assert data["spec"]["containers"][0]["env"][0]["value"] == "5432"
    assert '      value: "5432"\n' in out
    assert "  terminationGracePeriodSeconds: 30\n" in out
    assert data["spec"]["containers"][1]["ports"] == [{"containerPort": 9090}]
    assert data["spec"]["containers"][1]["stdin"] is True
    assert data["metadata"]["labels"] == {"app.kubernetes.io/name": "123"}


def test_a_list_or_map_value_is_read_as_yaml(pod_file):
    code, out = run(
        ["edit", str(pod_file), "--set", 'spec.containers[1].command=[sh, -c, "sleep 1"]']
    )
    assert code == 0
    assert read_source(out).documents[0].data["spec"]["containers"][1]["command"] == [
        "sh",
        "-c",
        "sleep 1",
    ]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("spec.terminationGracePeriodSeconds=soon", "integer field"),
        ("spec.containers[1].stdin=maybe", "true/false"),
        ("spec.containers[name=db].image=x", "no item with name=db (it has web, log)"),
        ("spec.containers[5].image=x", "past its end"),
        ("spec.containers.image=x", "not a mapping"),
        ("spec.containers[0].command=a", "is a list"),
        ("nothing", "PATH=VALUE"),
        # Python's int() refuses over 4,300 digits: these were tracebacks.
        (f"spec.terminationGracePeriodSeconds={'9' * 5000}", "is past int64"),
        (f"spec.containers[{'9' * 5000}].image=x", "past the end of any list"),
    ],
)
def test_wrong_edits_are_one_line_errors_with_exit_2(pod_file, capsys, argument, message):
    code, out = run(["edit", str(pod_file), "--set", argument])
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_in_place_keeps_a_wide_encoding_as_it_came(tmp_path, codec):
    """A UTF-16 file (kubectl reads it) was written back as UTF-8 without a word."""
    mark = {"utf-16": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
    encoding = {"utf-16": "utf-16-le", "utf-16-be": "utf-16-be"}[codec]
    path = tmp_path / "pod.yaml"
    path.write_bytes(mark[codec] + POD.encode(encoding))
    code, _ = run(["edit", str(path), "-i", "--set", "metadata.name=renamed"])
    assert code in (0, 1)  # (1: the Pod's own problems, said on stderr)
    data = path.read_bytes()
    assert data.startswith(mark[codec])
    assert "name: renamed" in data[len(mark[codec]) :].decode(encoding)


def test_json_with_surrogate_pair_escapes_is_edited_in_place(tmp_path):
    """json.dumps and jq -a write 🚀 as two escapes; kubectl reads them as one character, and
    the edit changes the value it was asked to and keeps every escape elsewhere as written."""
    text = (
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "rocket", '
        '"annotations": {"note": "\\ud83d\\ude80 launch \\ud83c\\udf1f"}}, '
        '"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}\n'
    )
    path = tmp_path / "pod.json"
    path.write_text(text)
    code, out = run(["edit", str(path), "--set", "spec.containers[0].image=nginx:1.28"])
    assert code == 0
    assert out == text.replace("nginx:1.27", "nginx:1.28")
    code, out = run(["edit", str(path), "--set", "metadata.annotations.note=plain"])
    assert code == 0
    assert out == text.replace("\\ud83d\\ude80 launch \\ud83c\\udf1f", "plain")


CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  mode: "on"\n'


@pytest.mark.parametrize(
    ("assignment", "written"),
    [
        ("data.version=1.10", '  version: "1.10"\n'),
        ("data.mode=off", '  mode: "off"\n'),
        ("data.v=1e3", '  v: "1e3"\n'),
        ("data.port=0080", '  port: "0080"\n'),
        ("data.empty=", '  empty: ""\n'),
        ("metadata.labels.tier=no", '    tier: "no"\n'),
    ],
)
def test_values_of_a_configmap_and_any_metadata_stay_strings(tmp_path, assignment, written):
    """A ConfigMap's data and every object's labels are text: ``1.10`` was written as 1.1 and
    ``off`` as false, exit 0 and not a word."""
    path = tmp_path / "cm.yaml"
    path.write_text(CONFIGMAP)
    code, out = run(["edit", str(path), "--set", assignment])
    assert code == 0
    assert written in out


def test_a_kind_without_a_schema_keeps_text_as_text_and_says_how_it_read_a_new_value(
    tmp_path, capsys
):
    path = tmp_path / "widget.yaml"
    path.write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
        'spec:\n  size: "1.10"\n  count: 3\n'
    )
    code, out = run(
        [
            "edit",
            str(path),
            "--set",
            "spec.size=1.20",
            "--set",
            "spec.count=4",
            "--set",
            "spec.ratio=1.50",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert '  size: "1.20"\n' in out and "  count: 4\n" in out and "  ratio: 1.5\n" in out
    assert "spec.ratio: no schema says what Widget holds there" in err
    assert "spec.count" not in err and "spec.size" not in err


def test_unset_removes_an_item_with_its_own_lines(pod_file):
    code, out = run(["edit", str(pod_file), "--unset", "spec.containers[name=log]"])
    assert code == 0
    assert out == POD[: POD.index("  - name: log")]
    code, out = run(["edit", str(pod_file), "--unset", "spec.securityContext"])
    security = "  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n"
    assert out == POD.replace(security, "")


def test_in_place_writes_the_file_and_keeps_its_bytes(tmp_path):
    path = tmp_path / "crlf.yaml"
    original = (
        b"\xef\xbb\xbf"
        + read_text(next(p for p in FORMATTING if p.name == "crlf-line-endings.yaml")).encode()
    )
    path.write_bytes(original)
    os.chmod(path, 0o640)
    code, out = run(["edit", str(path), "-i", "--set", "metadata.name=linux"])
    assert code == 0 and out == ""
    assert path.read_bytes() == original.replace(b"name: windows", b"name: linux")
    assert os.stat(path).st_mode & 0o777 == 0o640


@pytest.mark.parametrize("link", ["symlink", "hard link"])
def test_in_place_edits_the_file_a_link_leads_to_and_keeps_the_link(tmp_path, link):
    """A manifest linked into several overlays (kustomize bases, a symlinked chart): -i once
    replaced the link with a new file and left the real one as it was."""
    real = tmp_path / "real.yaml"
    real.write_text(POD)
    linked = tmp_path / "linked.yaml"
    if link == "symlink":
        linked.symlink_to(real.name)
    else:
        os.link(real, linked)
    code, _ = run(["edit", str(linked), "-i", "--set", "metadata.name=web-2"])
    assert code == 0
    assert real.read_text() == POD.replace("name: web   #", "name: web-2   #")
    assert linked.read_text() == real.read_text()
    if link == "symlink":
        assert linked.is_symlink()
    else:
        assert os.stat(linked).st_ino == os.stat(real).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked.yaml", "real.yaml"]


def test_a_result_kubernetes_would_reject_is_reported_with_exit_1(pod_file, capsys):
    code, out = run(["edit", str(pod_file), "--set", "spec.containers[0].name=Web_1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "name: Web_1" in out
    # As ``podstudio analyze --brief`` says it: the file, the line, the field.
    assert f"{pod_file}:" in err and ": error: invalid: Pod " in err
    assert ": spec.containers[0].name: " in err


def test_multi_document_files_edit_the_workload_and_keep_the_rest(capsys):
    path = next(p for p in FORMATTING if p.name == "multi-document.yaml")
    text = read_text(path)
    code, out = run(["edit", str(path), "--set", "spec.containers[0].image=nginx:1.28"])
    assert code == 0
    assert out == text.replace("image: nginx:1.27", "image: nginx:1.28")
    code, out = run(["edit", str(path), "--document", "0", "--set", "spec.ports[0].port=8080"])
    err = capsys.readouterr().err
    assert code == 0 and out == text.replace("  - port: 80\n", "  - port: 8080\n")
    assert "note: Service web: not checked" in err
    code, _ = run(["edit", str(path), "--document", "7", "--set", "a=b"])
    assert code == 2 and "no document 7" in capsys.readouterr().err


def test_a_stream_of_json_objects_edits_one_object_and_keeps_the_others(tmp_path, capsys):
    service = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}'
    pod = (
        '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},'
        '"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}'
    )
    path = tmp_path / "objects.json"
    path.write_text(f"{service}\n{pod}\n")
    code, out = run(["edit", str(path), "--set", "spec.containers[0].image=nginx:1.28"])
    assert code == 0
    assert out == f"{service}\n{pod.replace('nginx:1.27', 'nginx:1.28')}\n"
    code, _ = run(["edit", str(path), "--document", "2", "--set", "a=b"])
    assert code == 2 and "the file has 2" in capsys.readouterr().err


def test_stdin_is_read_and_unreadable_input_is_exit_2(capsys):
    code, out = run(["edit", "-", "--set", "metadata.name=b"], stdin=POD.encode())
    assert code == 0 and "  name: b   # keep this name\n" in out
    code, out = run(["edit", "-", "--set", "metadata.name=b"], stdin=b"a: [1, 2\n")
    assert code == 2 and "podstudio edit: -: line" in capsys.readouterr().err


def test_the_command_writes_the_exact_bytes_to_stdout(tmp_path):
    path = tmp_path / "crlf.yaml"
    text = read_text(next(p for p in FORMATTING if p.name == "crlf-line-endings.yaml"))
    path.write_bytes(text.encode())
    result = subprocess.run(
        [sys.executable, "-m", "podstudio.cli", "edit", str(path), "--set", "metadata.name=x"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == text.replace("name: windows", "name: x").encode()


def test_explain_prints_the_docs_like_kubectl_explain():
    code, out = run(["explain", "pod.spec.initContainers.restartPolicy", "--k8s-version", "1.28"])
    assert code == 0
    assert "FIELD:      pod.spec.initContainers.restartPolicy <string>" in out
    assert "SINCE:      1.29 (not in 1.28)" in out
    assert "RestartPolicy defines" in out
    code, out = run(["explain", "deployment.spec.template.spec.containers.readinessProbe"])
    assert code == 0 and "FIELDS:" in out and "periodSeconds" in out
    code, out = run(["explain", "spec.containers.ports.protocol", "--format", "json"])
    assert json.loads(out)["default"] == '"TCP"'


def test_explain_refuses_unknown_fields_with_exit_2(capsys):
    code, out = run(["explain", "pod.spec.nope"])
    assert code == 2 and out == ""
    assert 'field "nope" does not exist in pod.spec' in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_without_writer_or_a_device_is_a_one_line_error_not_a_wait(tmp_path, capsys, kind):
    """``edit`` opened these as plain files: a named pipe waited for a writer forever, and
    /dev/zero was read as a megabyte of NULs."""
    path = tmp_path / "pod.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path = "/dev/zero"
    code, out = run(["edit", str(path), "--set", "metadata.name=x"])
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    said = "is a pipe that gave nothing to read" if kind == "fifo" else "is a device, not a file"
    assert said in err and err.count("\n") == 1


def test_document_numbers_are_the_ones_analyze_gives(tmp_path):
    """An empty document (``---`` right after ``---``) is no document, for analyze and the
    builder alike: ``--document 1`` is the Pod, not the ConfigMap."""
    text = (
        "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1\n"
    )
    path = tmp_path / "two.yaml"
    path.write_text(text)
    code, out = run(["analyze", "--format", "json", str(path)])
    assert [report["kind"] for report in json.loads(out)] == ["ConfigMap", "Pod"]
    code, out = run(["edit", str(path), "--document", "1", "--set", "spec.containers[0].image=x:2"])
    assert out == text.replace("image: nginx:1", "image: x:2")
    code, _ = run(["edit", str(path), "--document", "2", "--set", "metadata.name=b"])
    assert code == 2


def test_text_after_a_document_end_is_kept_and_not_read(tmp_path):
    text = (
        POD + "...\nnot read by kubectl\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
    )
    path = tmp_path / "dots.yaml"
    path.write_text(text)
    code, out = run(["edit", str(path), "--document", "0", "--set", "metadata.name=web-2"])
    assert out == text.replace("name: web   #", "name: web-2   #")


def test_one_item_of_a_list_of_strings_is_set_as_a_string(tmp_path):
    path = tmp_path / "args.yaml"
    path.write_text(POD.replace("image: busybox:1.36\n", "image: busybox:1.36\n    args: [x, y]\n"))
    code, out = run(["edit", str(path), "--set", "spec.containers[1].args[1]=5"])
    assert code in (0, 1) and 'args: [x, "5"]' in out


def test_a_document_that_cannot_be_read_is_kept_and_the_workload_beside_it_edited(tmp_path, capsys):
    """A Secret with a {{TOKEN}} placeholder beside the Pod: the builder edits such a file, and
    the command refused all of it."""
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n"
    secret += "  token: {{TOKEN}}\n"
    text = secret + "---\n" + POD
    path = tmp_path / "app.yaml"
    path.write_text(text)
    code, out = run(["edit", str(path), "--set", "spec.containers[name=web].image=nginx:1.28"])
    assert code == 0
    assert out == secret + "---\n" + POD.replace("image: nginx:1.27", "image: nginx:1.28")
    code, _ = run(["edit", str(path), "--document", "0", "--set", "metadata.name=x"])
    assert code == 2
    assert "document 0: line 6" in capsys.readouterr().err


def test_a_value_now_over_several_lines_leaves_its_lines_comment_after_the_key(tmp_path):
    """The comment stayed on the new value's last line: inside a block scalar it became text
    of the value, and the command refused its own result."""
    path = tmp_path / "pod.yaml"
    head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    head += "  - name: app\n    image: busybox\n"
    path.write_text(head + "    args: x  # note\n")
    code, out = run(["edit", str(path), "--set", 'spec.containers[0].args=["a\\nb\\n"]'])
    assert code == 0
    assert out == head + "    args:  # note\n    - |\n      a\n      b\n"


def test_a_script_added_at_the_end_of_a_file_without_a_last_line_break_keeps_its_own(tmp_path):
    path = tmp_path / "pod.yaml"
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    text += "  - name: app\n    image: busybox"  # (no line break at the end)
    path.write_text(text)
    value = '[{name: SCRIPT, value: "echo one\\necho two\\n"}]'
    code, out = run(["edit", str(path), "--set", f"spec.containers[0].env={value}"])
    assert code == 0
    assert yaml.safe_load(out)["spec"]["containers"][0]["env"][0]["value"] == (
        "echo one\necho two\n"
    )
    assert out.startswith(text)


def test_an_edited_workload_is_checked_as_analyze_checks_it(tmp_path, capsys):
    """The API server refuses a Deployment with replicas -1 and a CronJob whose schedule has
    minute 61: so does ``podstudio edit``, with analyze's exit code; a good edit exits 0."""
    path = tmp_path / "app.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
        "  ports: [{port: 80}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        "  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n"
        "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n"
        "      - name: web\n        image: nginx:1.27\n---\napiVersion: batch/v1\nkind: CronJob\n"
        "metadata:\n  name: nightly\nspec:\n  schedule: '30 2 * * *'\n  jobTemplate:\n    spec:\n"
        "      template:\n        spec:\n          restartPolicy: OnFailure\n"
        "          containers:\n          - name: job\n            image: busybox:1.36\n"
    )
    code, _ = run(["edit", str(path), "--document", "1", "--set", "spec.replicas=-1"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:14: error: invalid: Deployment web: spec.replicas: " in err
    code, _ = run(["edit", str(path), "--document", "2", "--set", "spec.schedule=61 * * * *"])
    err = capsys.readouterr().err
    assert code == 1 and ": error: invalid: CronJob nightly: spec.schedule: " in err
    code, _ = run(["edit", str(path), "--document", "1", "--set", "spec.replicas=3"])
    err = capsys.readouterr().err
    assert code == 0 and ": error:" not in err


def test_an_edit_that_would_pass_the_size_limit_says_so(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    filler = "x" * (1024 * 1024 - 300)
    path.write_text(
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    a: {filler}\n"
        "spec:\n  containers:\n  - name: web\n    image: nginx:1.27\n"
    )
    code, _ = run(["edit", str(path), "--set", "metadata.annotations.b=" + "y" * 1000])
    assert code == 2
    assert "the edited file would be larger than 1024 KiB" in capsys.readouterr().err


def test_a_path_deeper_than_any_manifest_is_a_one_line_error(tmp_path, capsys):
    """A 500-step --set path printed a 2,500-line RecursionError and exited 1 ("a check
    failed"); a path cannot be deeper than a readable file nests."""
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n")
    for steps in (65, 500):
        code, _ = run(["edit", "--set", ".".join(["a"] * steps) + "=1", str(pod)])
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert f"the path has {steps} steps, more than the 64 levels" in err
    code, out = run(["edit", "--set", ".".join(["a"] * 60) + "=1", str(pod)])
    assert code == 1 and "a: {a: 1}" in out  # written, and judged: no such field
    assert 'unknown field "a"' in capsys.readouterr().err
