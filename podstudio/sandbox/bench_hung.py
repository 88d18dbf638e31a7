"""``make bench-hung``: does a hung sandbox cluster slow the rest of the site down?

Starts a "cluster" that accepts TCP connections and never answers, and gunicorn with the
repository's gunicorn.conf.py (threaded workers) pointed at it. Then, on the same server, wrk
measures ``GET /healthz`` twice: alone, and while simulated learners' sandbox panels poll the
status of their Pod every 2 s as htmx does (a new poll when the previous one has answered and
2 s have passed). Each panel first sends a dry run, which makes the learner and tries to set up
their namespace. The figures to compare are /healthz's p99 with and without the panels, and how
long the panels wait: about PODSTUDIO_SANDBOX_TIMEOUT for a request that finds the cluster
hung, at once while the cluster rests (PODSTUDIO_SANDBOX_COOLDOWN_SECONDS) or while as many
requests as PODSTUDIO_SANDBOX_CONCURRENCY wait on it already.

``--scheme https`` (default): the TLS handshake never completes, so each request that tries
costs the 2 s connect timeout. ``--scheme http``: the request is sent and no answer comes, so it
costs the full read timeout; the worst case. ``--cooldown 0`` turns resting off and
``--concurrency 0`` the per-process limit on waiting requests, to see what each one buys.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from podstudio.bench import (
    bench_env,
    free_port,
    prepare,
    start_server,
    stop_server,
    to_ms,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parents[2]
POD = ROOT / "tests" / "manifests" / "seed" / "my-app-pod.yaml"
POLL_SECONDS = 2.0
DESCRIPTIONS = {
    "https": "hung (accepts, no TLS handshake)",
    "http": "hung (accepts, reads the request, never answers)",
    "down": "down (connection refused: the same panels, no waiting)",
}


class HungCluster:
    """Accepts connections and holds them open without a byte of answer."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1024)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()


def write_kubeconfig(path: Path, server: str) -> None:
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters: [{{name: hung, cluster: {{server: '{server}', "
        "insecure-skip-tls-verify: true}}]\n"
        "users: [{name: u, user: {token: not-a-real-token}}]\n"
        "contexts: [{name: hung, context: {cluster: hung, user: u}}]\ncurrent-context: hung\n"
    )


@dataclass
class Panel:
    """One learner's open sandbox panel: a dry run, then status polls every 2 s."""

    port: int
    stop: threading.Event
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    messages: set[str] = field(default_factory=set)
    cookies: dict[str, str] = field(default_factory=dict)

    def _send(self, method: str, path: str, body: str = "") -> None:
        headers = {
            "HX-Request": "true",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            self.statuses.append(response.status)
            alert = re.search(r'role="alert">([^<]*)<', text)
            if alert:
                self.messages.add(re.sub(r"\d+ s\b", "N s", alert.group(1)))
        except OSError:
            self.statuses.append(0)
        finally:
            connection.close()
        self.latencies.append(time.monotonic() - started)

    def run(self) -> None:
        self.cookies["csrftoken"] = secrets.token_hex(16)
        self._send("POST", "/sandbox/dry-run", urlencode({"manifest": POD.read_text()}))
        next_poll = time.monotonic()
        while not self.stop.is_set():
            self._send("GET", "/sandbox/status?pod=my-app-pod")
            next_poll += POLL_SECONDS
            self.stop.wait(max(0.0, next_poll - time.monotonic()))


@dataclass
class Healthz:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: str  # wrk's socket errors and non-2xx answers, "" when none


def measure_healthz(base_url: str, seconds: int, connections: int) -> Healthz:
    """wrk on /healthz; its own timeout is long, so a stalled request counts in the latency."""
    output = subprocess.run(
        ["wrk", "--latency", "--timeout", "30s", "-t", "2", "-c", str(connections)]
        + ["-d", f"{seconds}s", base_url + "/healthz"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    if "Latency Distribution" not in output:
        raise SystemExit(f"wrk gave no latency figures:\n{output}")

    def figure(pattern: str) -> str:
        found = re.search(pattern, output, re.M)
        if not found:
            raise SystemExit(f"wrk's output has no {pattern!r}:\n{output}")
        return found.group(1)

    latency = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output)
    errors = [
        line.strip() for line in output.splitlines() if "Socket errors" in line or "Non-2xx" in line
    ]
    return Healthz(
        requests_per_second=float(figure(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=to_ms(figure(r"^\s*50%\s+(\S+)\s*$")),
        p99_ms=to_ms(figure(r"^\s*99%\s+(\S+)\s*$")),
        max_ms=to_ms(latency.group(1)) if latency else 0.0,
        errors="; ".join(errors),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20, help="duration of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument(
        "--scheme",
        choices=["https", "http", "down"],
        default="https",
        help="how the cluster hangs; down: nothing listens (a control: the same load, no wait)",
    )
    parser.add_argument("--timeout", type=int, default=5, help="PODSTUDIO_SANDBOX_TIMEOUT")
    parser.add_argument(
        "--cooldown", type=int, default=10, help="PODSTUDIO_SANDBOX_COOLDOWN_SECONDS"
    )
    parser.add_argument(
        "--concurrency", type=int, help="PODSTUDIO_SANDBOX_CONCURRENCY (0: no limit)"
    )
    parser.add_argument(
        "--database-url", default="", help="an existing, empty database (default: SQLite)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="podstudio-bench-hung-"))
    hung = HungCluster()
    kubeconfig = workdir / "kubeconfig"
    server_url = (
        f"http://127.0.0.1:{free_port()}"
        if args.scheme == "down"
        else f"{args.scheme}://127.0.0.1:{hung.port}"
    )
    write_kubeconfig(kubeconfig, server_url)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **bench_env(workdir, port, args.database_url),
        "PODSTUDIO_SANDBOX_KUBECONFIG": str(kubeconfig),
        "PODSTUDIO_SANDBOX_TIMEOUT": str(args.timeout),
        "PODSTUDIO_SANDBOX_COOLDOWN_SECONDS": str(args.cooldown),
    }
    if args.concurrency is not None:
        env["PODSTUDIO_SANDBOX_CONCURRENCY"] = str(args.concurrency)
    workers = int(env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2)
    prepare(env)
    server = start_server(env, workers)
    stop = threading.Event()
    panels = [Panel(port, stop) for _ in range(args.panels)]
    threads = [threading.Thread(target=panel.run, daemon=True) for panel in panels]
    try:
        wait_until_up(base_url + "/healthz")
        measure_healthz(base_url, 2, args.connections)  # warm-up
        alone = measure_healthz(base_url, args.seconds, args.connections)
        for thread in threads:
            thread.start()
        loaded = measure_healthz(base_url, args.seconds, args.connections)
        stop.set()
        for thread in threads:
            thread.join(timeout=args.timeout + 30)
    finally:
        stop.set()
        stop_server(server)
        hung.close()
        shutil.rmtree(workdir, ignore_errors=True)

    threads_each = env.get("PODSTUDIO_THREADS", "8")
    concurrency = env.get("PODSTUDIO_SANDBOX_CONCURRENCY", "half the threads")
    print(
        f"\nCluster: {DESCRIPTIONS[args.scheme]}; "
        f"timeout {args.timeout} s, cooldown {args.cooldown} s, concurrency {concurrency}; "
        f"gunicorn {workers} threaded workers "
        f"x {threads_each} threads; wrk {args.connections} connections, {args.seconds} s; "
        f"{os.cpu_count()} cores\n"
    )
    print(f"{'GET /healthz':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  errors")
    for label, result in (("alone", alone), (f"with {args.panels} panels polling", loaded)):
        print(
            f"{label:<28}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}"
            f"{result.p99_ms:>9.1f}{result.max_ms:>9.0f}  {result.errors or 'none'}"
        )
    dry_runs = [panel.latencies[0] for panel in panels if panel.latencies]
    polls = [seconds for panel in panels for seconds in panel.latencies[1:]]
    statuses = [status for panel in panels for status in panel.statuses]
    print(
        f"\npanels: status codes {dict(sorted((s, statuses.count(s)) for s in set(statuses)))}; "
        f"first dry run: max {max(dry_runs) * 1000:.0f} ms; {len(polls)} status polls: "
        f"p50 {statistics.median(polls) * 1000:.0f} ms, p99 {percentile(polls, 0.99) * 1000:.0f}"
        f" ms, max {max(polls) * 1000:.0f} ms"
    )
    for message in sorted(set().union(*(panel.messages for panel in panels))):
        print(f"  the panel said: {message}")
    ratio = loaded.requests_per_second / alone.requests_per_second
    print(f"\n/healthz throughput with the panels: {ratio:.0%} of alone")
    failed = bool(loaded.errors) or max(polls) > args.timeout + 3
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
