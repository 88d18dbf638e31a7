"""``make bench``: throughput of the expensive endpoints as a ratio of a trivial one.

Serves the app with gunicorn (production settings, no DEBUG) and drives it with wrk from a second
process, on loopback only. Each scenario runs against the same server in the same run, so the
ratio to ``GET /healthz`` says how much the work itself costs, whatever the machine.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_POD = ROOT / "tests" / "manifests" / "seed" / "my-app-pod.yaml"


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    target_ratio: float | None  # minimum throughput as a share of /healthz
    target_p99_ms: float
    body: str = ""
    content_type: str = ""
    headers: dict | None = None
    # "__N__" in the body becomes a number unique to each request, so every request carries a
    # new manifest (as keystrokes do) and nothing can be answered from a cache.
    vary: bool = False


@dataclass
class Result:
    scenario: Scenario
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout} s")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3.6e6}[unit]


VARY_LUA = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local body = string.gsub(wrk.body, "__N__", tid .. "x" .. counter)
  return wrk.format(nil, nil, nil, body)
end
"""


def lua_script(scenario: Scenario) -> str:
    lines = [f"wrk.method = {json.dumps(scenario.method)}"]
    if scenario.body:
        lines.append(f"wrk.body = {json.dumps(scenario.body)}")
    if scenario.vary:
        lines.append(VARY_LUA)
    if scenario.content_type:
        lines.append(f'wrk.headers["Content-Type"] = {json.dumps(scenario.content_type)}')
    for name, value in (scenario.headers or {}).items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def run_wrk(base_url: str, scenario: Scenario, seconds: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(scenario))
    try:
        output = subprocess.run(
            [
                "wrk",
                "--latency",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                script.name,
                base_url + scenario.path,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    if "Latency Distribution" not in output:
        raise SystemExit(f"wrk gave no latency figures for {scenario.name}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)$", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)$", output, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(scenario, rps, p50, p99, errors)


def builder_scenario(base_url: str) -> Scenario | None:
    """The builder's live preview, if the builder provides a benchmark hook."""
    try:
        from podstudio.builder.bench import preview_scenario
    except ImportError:
        return None
    spec = preview_scenario(base_url)
    return Scenario(
        name="POST builder preview",
        method="POST",
        path=spec["path"],
        target_ratio=0.30,
        target_p99_ms=100,
        body=spec["body"],
        content_type=spec["content_type"],
        headers=spec.get("headers"),
        vary="__N__" in spec["body"],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="podstudio-bench-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(workdir / "static"),
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "podstudio.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(base_url + "/healthz")
        scenarios = [
            Scenario("GET /healthz", "GET", "/healthz", None, 50),
            Scenario(
                "POST /api/v1/analyze",
                "POST",
                "/api/v1/analyze",
                0.40,
                50,
                body=EXAMPLE_POD.read_text(),
                content_type="application/yaml",
            ),
        ]
        preview = builder_scenario(base_url)
        if preview:
            scenarios.append(preview)
        # Warm every worker (schema compiled once per process) before measuring.
        for scenario in scenarios:
            run_wrk(base_url, scenario, 2, args.connections)
        results = [run_wrk(base_url, s, args.seconds, args.connections) for s in scenarios]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    baseline = results[0].requests_per_second
    print(
        f"\nPod Studio benchmark: gunicorn {args.workers} sync workers, wrk {args.connections} "
        f"connections, {args.seconds} s per endpoint, {os.cpu_count()} cores\n"
    )
    print(
        f"{'endpoint':<26}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'errors':>8}  target"
    )
    failed = False
    for result in results:
        ratio = result.requests_per_second / baseline
        scenario = result.scenario
        checks = []
        ok = result.errors == 0 and result.p99_ms < scenario.target_p99_ms
        if scenario.target_ratio is not None:
            ok = ok and ratio >= scenario.target_ratio
            checks.append(f"ratio ≥ {scenario.target_ratio:.0%}")
        checks.append(f"p99 < {scenario.target_p99_ms:.0f} ms")
        verdict = "met" if ok else "MISSED"
        failed = failed or not ok
        print(
            f"{scenario.name:<26}{result.requests_per_second:>10.0f}{result.p50_ms:>9.2f}"
            f"{result.p99_ms:>9.2f}{ratio:>8.1%}{result.errors:>8}  {', '.join(checks)}: {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
