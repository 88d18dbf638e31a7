"""``make bench``: throughput of the expensive endpoints as a ratio of a trivial one.

Serves the app with gunicorn (production settings, no DEBUG) and drives it with wrk from a second
process, on loopback only. Each scenario runs against the same server in the same run, so the
ratio to ``GET /healthz`` says how much the work itself costs, whatever the machine.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
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
    # new manifest (as keystrokes do) and nothing can be answered from a cache; "__H__" the same
    # number in hex (a builder page id, so each keystroke's numbered save goes through).
    vary: bool = False


@dataclass
class Result:
    scenario: Scenario
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ratio(pair: tuple[Result, Result]) -> float:
    return pair[1].requests_per_second / pair[0].requests_per_second


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
  body = string.gsub(body, "__H__", string.format("%08x%08x", tid, counter))
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


def run_wrk(
    base_url: str, scenario: Scenario, seconds: int, connections: int, script: str = ""
) -> Result:
    """One wrk run: the scenario's request, or what a Lua ``script`` of the caller sends."""
    if script:
        return _wrk(base_url + scenario.path, script, seconds, connections, scenario)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua_script(scenario))
    try:
        return _wrk(base_url + scenario.path, handle.name, seconds, connections, scenario)
    finally:
        os.unlink(handle.name)


def _wrk(url: str, script: str, seconds: int, connections: int, scenario: Scenario) -> Result:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", script, url]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    if "Latency Distribution" not in output:
        raise SystemExit(f"wrk gave no latency figures for {scenario.name}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)\s*$", output, re.M).group(1))
    p99_match = re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M)
    if p99_match is None:
        raise SystemExit(f"wrk gave no p99 for {scenario.name}:\n{output}")
    p99 = to_ms(p99_match.group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(scenario, rps, p50, p99, errors)


def builder_scenario(base_url: str, kind: str = "Pod") -> Scenario:
    """The builder's live preview: what the browser sends on a keystroke (in the name field of
    a Pod, or of the same Pod as a Deployment's template)."""
    from podstudio.builder.bench import DEPLOYMENT, POD, preview_scenario

    spec = preview_scenario(base_url, POD if kind == "Pod" else DEPLOYMENT)
    return _preview(POD_PREVIEW if kind == "Pod" else DEPLOYMENT_PREVIEW, spec)


def _preview(name: str, spec: dict) -> Scenario:
    return Scenario(
        name=name,
        method="POST",
        path=spec["path"],
        target_ratio=0.30,
        target_p99_ms=100,
        body=spec["body"],
        content_type=spec["content_type"],
        headers=spec.get("headers"),
        vary="__N__" in spec["body"],
    )


POD_PREVIEW = "POST builder preview"
DEPLOYMENT_PREVIEW = "POST builder preview (Deployment)"
STARTED = "POST preview, Pod started in builder"
IMPORTED = "POST preview, same Pod imported+comments"


def authorfile_scenarios(base_url: str, env: dict) -> list[Scenario]:
    """Keystrokes in a commented Pod imported into the builder (its preview and saved file are
    the author's text, edited in place) and in the same Pod started in the builder (canonical
    YAML): the first should keep at least 90% of the second's throughput."""
    from podstudio.builder.bench import COMMENTED_POD, forget_source, preview_scenario

    started = preview_scenario(base_url, COMMENTED_POD)
    forget_source(env, started["slug"])
    imported = preview_scenario(base_url, COMMENTED_POD)
    return [_preview(STARTED, started), _preview(IMPORTED, imported)]


def lesson_scenarios(base_url: str) -> list[Scenario]:
    """Lesson pages read by a learner with progress of their own."""
    from lessons.bench import lesson_scenarios as specs

    return [
        Scenario(
            name=f"GET {spec['path']}",
            method="GET",
            path=spec["path"],
            target_ratio=0.50,
            target_p99_ms=50,
            headers=spec["headers"],
        )
        for spec in specs(base_url)
    ]


def interleaved_ratio(base_url: str, a: Scenario, b: Scenario, count: int = 600) -> float:
    """``b``'s median time per request over ``a``'s, from one client sending them in turn
    (a, b, a, b, ...) on two kept-alive connections: whatever else the machine does falls on
    both alike, so on a busy machine this is the steadier estimate of a's share of b's
    throughput."""
    host = urllib.parse.urlsplit(base_url).netloc
    connections = {id(a): http.client.HTTPConnection(host), id(b): http.client.HTTPConnection(host)}
    times: dict[int, list[float]] = {id(a): [], id(b): []}
    try:
        for number in range(count):
            for scenario in (a, b):
                body = scenario.body.replace("__N__", f"i{number}")
                body = body.replace("__H__", f"{number:016x}")
                headers = {**(scenario.headers or {}), "Content-Type": scenario.content_type}
                connection = connections[id(scenario)]
                start = time.perf_counter()
                connection.request(scenario.method, scenario.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{scenario.name} answered {response.status}")
                if number >= 50:  # the first ones warm the caches
                    times[id(scenario)].append(time.perf_counter() - start)
    finally:
        for connection in connections.values():
            connection.close()
    return statistics.median(times[id(b)]) / statistics.median(times[id(a)])


def bench_env(workdir: Path, port: int, database_url: str = "") -> dict:
    """Production settings (no DEBUG) on loopback, with a throwaway database."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(workdir / "static"),
        "PODSTUDIO_BIND": f"127.0.0.1:{port}",
    }


def prepare(env: dict) -> None:
    """What a deployment does before it starts: migrate, and collect the static files."""
    for command in (["migrate"], ["collectstatic"]):
        subprocess.run(
            [python(), "manage.py", *command, "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )


def start_server(env: dict, workers: int) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py, as the README deploys it."""
    return subprocess.Popen(
        [python(), "-m", "gunicorn", "-c", "gunicorn.conf.py", "podstudio.wsgi:application"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": str(workers)},
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def python() -> str:
    return sys.executable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="time of each scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--pairs", type=int, default=3, help="alternating /healthz and scenario runs of each"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternating runs of the author's-file comparison"
    )
    parser.add_argument(
        "--only", metavar="TEXT", help="run only the scenarios whose name contains TEXT"
    )
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="podstudio-bench-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = bench_env(workdir, port)
    prepare(env)
    server = start_server(env, args.workers)
    healthz = Scenario("GET /healthz", "GET", "/healthz", None, 50)
    try:
        wait_until_up(base_url + "/healthz")
        scenarios = [
            Scenario(
                "POST /api/v1/analyze",
                "POST",
                "/api/v1/analyze",
                0.40,
                50,
                body=EXAMPLE_POD.read_text(),
                content_type="application/yaml",
            ),
            builder_scenario(base_url),
            builder_scenario(base_url, "Deployment"),
            *authorfile_scenarios(base_url, env),
            *lesson_scenarios(base_url),
        ]
        if args.only:
            scenarios = [scenario for scenario in scenarios if args.only in scenario.name]
        # Warm every worker (schemas compiled, pages rendered once per process) first.
        for scenario in [healthz, *scenarios]:
            run_wrk(base_url, scenario, 2, args.connections)
        # Each scenario right after its own /healthz run (A B A B ...): a change of load on the
        # machine between scenarios moves both sides of a ratio, not one.
        # Each scenario's time is cut into --pairs of A B runs, and the pair with the median
        # ratio is the one reported: a stall of the machine (a second now and then on this VM)
        # then moves one pair, not the figure.
        pairs, all_ratios = [], {}
        seconds = max(3, args.seconds // args.pairs)
        for scenario in scenarios:
            measured = []
            for _ in range(args.pairs):
                baseline = run_wrk(base_url, healthz, seconds, args.connections)
                measured.append((baseline, run_wrk(base_url, scenario, seconds, args.connections)))
            measured.sort(
                key=lambda pair: pair[1].requests_per_second / pair[0].requests_per_second
            )
            errors = sum(result.errors for _, result in measured)
            baseline, result = measured[len(measured) // 2]
            pairs.append((baseline, replace(result, errors=errors)))
            all_ratios[scenario.name] = [_ratio(pair) for pair in measured]
        # The two sides of the author's-file comparison also head to head, in short runs that
        # alternate: the median of their ratios shrugs off a change of load better than two
        # ratios to /healthz taken a minute apart.
        by_name = {scenario.name: scenario for scenario in scenarios}
        # A Deployment's keystroke against a Pod's, one request at a time, the two interleaved.
        deployment_interleaved = None
        if POD_PREVIEW in by_name and DEPLOYMENT_PREVIEW in by_name:
            deployment_interleaved = interleaved_ratio(
                base_url, by_name[DEPLOYMENT_PREVIEW], by_name[POD_PREVIEW]
            )
        head_to_head, interleaved = [], None
        if STARTED in by_name and IMPORTED in by_name:
            seconds = max(3, args.seconds // 2)
            for _ in range(args.rounds):
                started = run_wrk(base_url, by_name[STARTED], seconds, args.connections)
                imported = run_wrk(base_url, by_name[IMPORTED], seconds, args.connections)
                head_to_head.append(imported.requests_per_second / started.requests_per_second)
            interleaved = interleaved_ratio(base_url, by_name[IMPORTED], by_name[STARTED])
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\nPod Studio benchmark: gunicorn (gunicorn.conf.py) {args.workers} workers, wrk "
        f"{args.connections} connections, {args.seconds} s per run, {os.cpu_count()} cores\n"
    )
    header = f"{'endpoint':<42}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'/healthz':>10}{'ratio':>8}"
    print(f"{header}{'errors':>8}  target")
    failed = False
    for baseline, result in pairs:
        ratio = result.requests_per_second / baseline.requests_per_second
        scenario = result.scenario
        checks = [f"ratio ≥ {scenario.target_ratio:.0%}"] if scenario.target_ratio else []
        checks.append(f"p99 < {scenario.target_p99_ms:.0f} ms")
        ok = result.errors == 0 and result.p99_ms < scenario.target_p99_ms
        ok = ok and (scenario.target_ratio is None or ratio >= scenario.target_ratio)
        failed = failed or not ok or baseline.errors > 0
        print(
            f"{scenario.name:<42}{result.requests_per_second:>9.0f}{result.p50_ms:>9.2f}"
            f"{result.p99_ms:>9.2f}{baseline.requests_per_second:>10.0f}{ratio:>8.1%}"
            f"{result.errors:>8}  {', '.join(checks)}: {'met' if ok else 'MISSED'}"
        )
    seconds = max(3, args.seconds // args.pairs)
    print(
        f"\n(each row: the median of {args.pairs} alternating /healthz and scenario runs of "
        f"{seconds} s; all ratios: "
        + "; ".join(
            f"{name} " + ", ".join(f"{ratio:.0%}" for ratio in ratios)
            for name, ratios in all_ratios.items()
        )
        + ")"
    )
    shares = {
        result.scenario.name: result.requests_per_second / baseline.requests_per_second
        for baseline, result in pairs
    }
    for name, base, label in (
        (DEPLOYMENT_PREVIEW, POD_PREVIEW, "a Deployment"),
        (IMPORTED, STARTED, "an imported, commented Pod"),
    ):
        if name not in shares or base not in shares:
            continue
        share = shares[name] / shares[base]
        ok = share >= 0.9
        failed = failed or not ok
        print(
            f"\nkeystroke preview of {label}: {share:.0%} of {base!r}'s share of /healthz "
            f"(target ≥ 90%): {'met' if ok else 'MISSED'}"
        )
    if deployment_interleaved is not None:
        ok = deployment_interleaved >= 0.9
        failed = failed or not ok
        print(
            f"the same, one request at a time, the two interleaved: {deployment_interleaved:.0%} "
            f"(median time of a Pod's keystroke / a Deployment's; target ≥ 90%): "
            f"{'met' if ok else 'MISSED'}"
        )
    if head_to_head:
        share = statistics.median(head_to_head)
        ok = share >= 0.9
        failed = failed or not ok
        rounds = ", ".join(f"{ratio:.0%}" for ratio in head_to_head)
        print(
            f"keystroke preview of an imported, commented Pod head to head: {share:.0%} of the "
            f"same Pod started in the builder (median of {rounds}; target ≥ 90%): "
            f"{'met' if ok else 'MISSED'}"
        )
    if interleaved is not None:
        ok = interleaved >= 0.9
        failed = failed or not ok
        print(
            f"the same, one request at a time, the two interleaved: {interleaved:.0%} "
            f"(median time of a started Pod's keystroke / an imported one's; target ≥ 90%): "
            f"{'met' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
