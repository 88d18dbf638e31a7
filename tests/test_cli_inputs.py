"""``podstudio analyze`` and what its inputs may hold: file names a URI must encode, control
characters in a manifest, whole-file items in JSON, stdin given twice, FIFOs."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_analyze import SERVICE, run

ROOT = Path(__file__).resolve().parents[1]

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
"""


def uris(out: str) -> list[str]:
    log = json.loads(out)
    return [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result["locations"]
    ]


def test_sarif_uris_are_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    for name in ("my app.yaml", "100%.yaml", "ü.yaml", "a:b#c?.yaml"):
        (tmp_path / "k8s" / name).write_text(POD)
    code, out = run(["analyze", "--format", "sarif", "k8s"])
    assert code == 0
    assert set(uris(out)) == {
        "k8s/my%20app.yaml",
        "k8s/100%25.yaml",
        "k8s/%C3%BC.yaml",
        "k8s/a%3Ab%23c%3F.yaml",
    }


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names are Unicode there")
def test_a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_sarif_uri(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir(b"k8s")
    with open(b"k8s/bad\xff.yaml", "w") as handle:  # (a UnicodeEncodeError, exit 1)
        handle.write(POD)
    code, out = run(["analyze", "--format", "sarif", "k8s"])
    assert code == 0
    assert set(uris(out)) == {"k8s/bad%FF.yaml"}


def test_sarif_names_stdin_with_a_valid_uri():
    code, out = run(["analyze", "--format", "sarif", "-"], POD.encode())
    assert code == 0
    assert set(uris(out)) == {"-"}


EVIL_KIND = "Svc\nevil.yaml:9: error: injected"


def test_text_output_escapes_control_characters_of_the_manifest(tmp_path, capsys):
    path = tmp_path / "evil.yaml"
    manifest = {"apiVersion": "v1", "kind": EVIL_KIND, "metadata": {"name": "\x1b[31mred"}}
    path.write_text(json.dumps(manifest))
    code, out = run(["analyze", str(path)])
    assert code == 0
    lines = out.splitlines()
    # No line of the report was written by the manifest, and no escape reaches the terminal.
    assert not any(line.startswith("evil.yaml:9") for line in lines)
    assert "\x1b" not in out
    (line,) = [line for line in lines if ": not checked" in line]
    assert line.startswith(f"{path}:1: info: Svc\\nevil.yaml:9: error: injected \\x1b[31mred:")
    assert "not checked: Svc\\nevil.yaml:9: error: injected is not a built-in kind" in line


def test_text_output_escapes_the_name_of_a_checked_pod(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD.replace("name: web\nspec", 'name: "web\\u202e\\rx"\nspec'))
    code, out = run(["analyze", str(path)])
    assert f"{path}:1: Pod web\\u202e\\rx: " in out
    assert "\r" not in out and "\u202e" not in out


def test_json_items_of_whole_files_have_the_documented_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "empty.yaml").write_text("# nothing yet\n")
    (tmp_path / "k8s" / "svc.yaml").write_text(SERVICE)
    (tmp_path / "broken.yaml").write_bytes(b"kind: \xff\n")  # not UTF-8
    code, out = run(["analyze", "--format", "json", "k8s", "broken.yaml", "missing.yaml"])
    assert code == 2
    items = {item["file"]: item for item in json.loads(out)}
    documented = {"file", "document", "kind", "name", "line", "checked", "valid", "note"}
    for item in items.values():
        assert documented <= set(item)
    assert items["k8s/empty.yaml"] == {
        "file": "k8s/empty.yaml",
        "document": None,
        "kind": None,
        "name": None,
        "line": None,
        "checked": False,
        "valid": True,
        "note": "holds no Kubernetes object (it is empty or only comments)",
    }
    for name in ("broken.yaml", "missing.yaml"):
        item = items[name]
        assert item["valid"] is False and item["checked"] is False
        assert item["kind"] is None and item["name"] is None and item["document"] is None
        assert item["error"] and item["note"] == item["error"]
    assert items["missing.yaml"]["error"] == "no such file"
    assert items["k8s/svc.yaml"]["kind"] == "Service"


def test_stdin_given_twice_is_a_usage_error_before_anything_is_read(capsys):
    class Unreadable:
        buffer = None

        def read(self, size=-1):
            raise AssertionError("stdin was read")

    from podstudio.cli import main

    code = main(["analyze", "-", "-"], stdin=Unreadable())
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "- (stdin) is given more than once" in err


def analyze_in_a_process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podstudio.cli", "analyze", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,  # a FIFO opened for reading waits for a writer: the bug was a hang
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_a_directory_is_passed_over(tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD)
    os.mkfifo(tmp_path / "k8s" / "p.yaml")
    result = analyze_in_a_process("k8s", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "== k8s/pod.yaml" in result.stdout
    assert "p.yaml" not in result.stdout + result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_on_the_command_line_without_a_writer_does_not_hang(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    os.mkfifo(tmp_path / "p.yaml")
    result = analyze_in_a_process("p.yaml", "pod.yaml", cwd=tmp_path)
    assert result.returncode == 2
    # One line that says why nothing was checked, not that the file is empty.
    assert (
        result.stderr
        == "podstudio: p.yaml: is a pipe that gave nothing to read (a named pipe is read only "
        "while something writes to it: start its writer first, or pipe the data to -)\n"
    )
    assert "== pod.yaml" in result.stdout  # the others are still checked


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="/dev/fd names a process's pipes")
def test_a_pipe_named_on_the_command_line_is_read_as_in_process_substitution(tmp_path):
    """``podstudio analyze <(helm template .)``: the shell names a pipe /dev/fd/63."""
    read_end, write_end = os.pipe()
    os.write(write_end, POD.encode())
    os.close(write_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "podstudio.cli", "analyze", f"/dev/fd/{read_end}"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            pass_fds=[read_end],
        )
    finally:
        os.close(read_end)
    assert result.returncode == 0, result.stderr
    assert "Pod web: valid" in result.stdout


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")
def test_a_socket_named_on_the_command_line_is_refused(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.yaml"))
    try:
        result = analyze_in_a_process("s.yaml", cwd=tmp_path)
    finally:
        server.close()
    assert result.returncode == 2
    assert result.stderr.startswith("podstudio: s.yaml: ")  # one line, and no wait
    assert result.stderr.count("\n") == 1


def test_the_readme_gives_the_limits_of_a_file():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The command line")[1].split("\n## ")[0]
    assert "4 MiB and 10,000 documents" in section


@pytest.mark.skipif(sys.platform == "win32", reason="file names are bytes on POSIX")
def test_a_file_name_that_is_not_utf8_is_shown_with_the_byte_it_holds(tmp_path):
    """A name like ``caf\\xe9.yaml`` (Latin-1) is written as the byte it holds, not as the
    lone surrogate Python keeps for it (``\\udce9``)."""
    name = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / name).write_text("# nothing yet\n")
    result = analyze_in_a_process(name, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("podstudio: caf\\xe9.yaml: holds no Kubernetes object")


def test_a_project_install_file_of_two_megabytes_is_checked(tmp_path):
    """Argo CD's install.yaml is 1.9 MB: over the web's 1 MiB, within the CLI's 4 MiB."""
    deployment = (ROOT / "tests" / "workloads" / "my-app-deployment.yaml").read_text()
    count = 2 * 1024 * 1024 // len(deployment) + 1
    documents = [deployment.replace("name: my-app", f"name: app-{n}", 1) for n in range(count)]
    path = tmp_path / "install.yaml"
    path.write_text("---\n".join(documents))
    code, out = run(["analyze", "-o", "json", str(path)])
    assert code == 0
    assert len(json.loads(out)) == count


@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="no /dev/stdin here")
def test_stdin_named_by_its_path_and_by_a_dash_is_stdin_twice(tmp_path):
    with open(tmp_path / "pod.yaml", "w") as handle:
        handle.write(POD)
    with open(tmp_path / "pod.yaml") as given:
        result = subprocess.run(
            [sys.executable, "-m", "podstudio.cli", "analyze", "/dev/stdin", "-"],
            stdin=given,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "- (stdin) is given more than once" in result.stderr


def test_a_folder_that_cannot_be_listed_is_an_input_that_cannot_be_read(
    tmp_path, monkeypatch, capsys
):
    """os.walk passes over a folder it may not list: its manifests went unchecked and CI
    passed with exit 0. (As root, chmod 000 does not stop the walk: the refusal is made up.)"""
    (tmp_path / "ok.yaml").write_text(SERVICE)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "pod.yaml").write_text(SERVICE)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.normpath(os.fspath(path)) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out = run(["analyze", "--brief", str(tmp_path)])
    assert code == 2
    assert "1 file cannot be read" in out
    assert f"{locked}: cannot read: Permission denied" in capsys.readouterr().err
