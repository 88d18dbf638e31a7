"""Runs a container of a Pod template from the built image, as a kubelet would, without Docker.

The image's root file system comes from ``buildah mount``. Each run gets its own mount, network
and process namespaces (``unshare``): the file system is mounted read-only with a tmpfs on each
``emptyDir`` mount path, the process runs as the Pod's ``runAsUser``/``runAsGroup`` without
capabilities and without privilege escalation (the image's ``setpriv``, as the security context
says), with the image's environment overlaid by the container's (``envFrom`` then ``env``), its
``command``/``args`` or else the image's command, in the image's working directory. The network
namespace has only loopback, so the server binds the address the image says and is reached with
``nsenter --net`` + curl. Needs root (mounts and namespaces).
"""

import contextlib
import json
import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ContainerPlan:
    argv: list[str]
    env: dict[str, str]
    uid: int
    gid: int
    workdir: str
    writable: list[str]  # mount paths of emptyDir volumes
    shared: dict[str, str]  # mount path -> host directory (stands in for an outside service)


def plan_container(
    *,
    image_config: dict,
    pod_spec: dict,
    config_maps: dict[str, dict[str, str]],
    secrets: dict[str, dict[str, str]],
    shared: dict[str, str] | None = None,
) -> ContainerPlan:
    """What the kubelet would run for the Pod's first container, from the image's config."""
    container = pod_spec["containers"][0]
    env = dict(item.split("=", 1) for item in image_config.get("Env", []))
    for source in container.get("envFrom", []):
        env.update(config_maps[source["configMapRef"]["name"]])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = secrets[ref["name"]][ref["key"]]
    argv = container.get("command") or image_config.get("Entrypoint") or []
    argv = argv + (container.get("args") or ([] if "command" in container else image_config["Cmd"]))
    security = {**pod_spec.get("securityContext", {}), **container.get("securityContext", {})}
    # What the harness reproduces; a container that asks for less is not run here.
    assert security.get("readOnlyRootFilesystem") is True
    assert security.get("allowPrivilegeEscalation") is False
    assert security.get("capabilities", {}).get("drop") == ["ALL"]
    assert not security.get("capabilities", {}).get("add")
    empty_dirs = {volume["name"] for volume in pod_spec["volumes"] if "emptyDir" in volume}
    return ContainerPlan(
        argv=argv,
        env=env,
        uid=security["runAsUser"],
        gid=security["runAsGroup"],
        workdir=image_config.get("WorkingDir") or "/",
        writable=[m["mountPath"] for m in container["volumeMounts"] if m["name"] in empty_dirs],
        shared=shared or {},
    )


def _script(rootfs: str, plan: ContainerPlan) -> str:
    q = shlex.quote
    lines = [
        "set -eu",
        "root=$(mktemp -d)",
        f"mount --bind {q(rootfs)} $root",
        "mount -o remount,bind,ro $root",
    ]
    lines += [f"mount -t tmpfs -o mode=1777,size=64m tmpfs $root{q(p)}" for p in plan.writable]
    lines += [f"mount --bind {q(host)} $root{q(p)}" for p, host in plan.shared.items()]
    lines += [
        "mount -t proc proc $root/proc",
        "mount --rbind /dev $root/dev",
        "ip link set lo up",
        "exec chroot $root "
        + shlex.join(
            ["/usr/bin/setpriv", f"--reuid={plan.uid}", f"--regid={plan.gid}", "--clear-groups"]
            + ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
            + ["/usr/bin/env", "-i", "-C", plan.workdir]
            + [f"{key}={value}" for key, value in plan.env.items()]
            + plan.argv
        ),
    ]
    return "\n".join(lines)


class Run:
    """One container process in its own namespaces; stop() ends it and everything it started."""

    def __init__(self, rootfs: str, plan: ContainerPlan, log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child"]
                + ["sh", "-c", _script(rootfs, plan)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"still running after {timeout} s:\n{self.output()}") from None

    def main_pid(self) -> int:
        """The container's first process (pid 1 in its namespace), as the host numbers it."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the container exited:\n{self.output()}")
            pids = children.read_text().split()
            if pids:
                return int(pids[0])
            time.sleep(0.05)
        raise AssertionError("the container did not start")

    def tree(self) -> list[int]:
        """The container's processes: its first one and all their descendants."""
        found, queue = [], [self.main_pid()]
        while queue:
            pid = queue.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").iterdir():
                queue += [int(child) for child in (task / "children").read_text().split()]
        return found

    def curl(self, url: str, *, headers: dict[str, str], data: bytes | None = None) -> dict:
        """One request from inside the container's network namespace."""
        argv = ["nsenter", f"--net=/proc/{self.process.pid}/ns/net", "curl", "-sS", "-m", "20"]
        for name, value in headers.items():
            argv += ["-H", f"{name}: {value}"]
        if data is not None:
            argv += ["--data-binary", "@-"]
        argv += ["-o", "/dev/stdout", "-D", "/dev/stderr", "-w", "\n%{json}", url]
        done = subprocess.run(argv, input=data, capture_output=True, timeout=30)
        body, _, meta = done.stdout.rpartition(b"\n")
        info = json.loads(meta) if meta.startswith(b"{") else {"http_code": 0}
        header_lines = done.stderr.decode(errors="replace").splitlines()
        return {
            "status": info["http_code"],
            "body": body,
            "headers": {
                name.strip().lower(): value.strip()
                for name, sep, value in (line.partition(":") for line in header_lines[1:])
                if sep
            },
        }

    def wait_until_answering(self, url: str, headers: dict[str, str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.output()}")
            if self.curl(url, headers=headers)["status"]:
                return
            time.sleep(0.25)
        raise AssertionError(f"no answer from {url} within {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        """SIGTERM to the container's first process, as the kubelet does; SIGKILL after 30 s."""
        if self.process.poll() is None:
            with contextlib.suppress(AssertionError, ProcessLookupError):
                os.kill(self.main_pid(), 15)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()  # unshare --kill-child takes the container down with it
                self.process.wait(10)
