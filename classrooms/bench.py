"""``python -m classrooms.bench`` (part of ``make bench``): a live classroom under load.

Learners type in the builder (the keystroke preview, driven by wrk through every learner's own
session and design, in turn) while the instructor's class grid refreshes every 2 seconds, as the
page does. Three runs on one server: learners outside any classroom (the baseline), then a
classroom of 40 and one of 300. Reported as ratios on the same server:

* preview throughput as a share of ``GET /healthz``'s, and of the baseline without a classroom
  (goal: at least 90 % of it);
* grid refresh latency (p50, p99) next to ``GET /healthz`` polled the same way during the same
  run (goal: p99 under 150 ms with 300 learners).

The server is gunicorn with the production settings (``gunicorn.conf.py``, threaded workers) on
SQLite, on loopback only; every request loop is bounded in time.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from podstudio.bench import free_port, to_ms, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "set-requests-limits"
GRID_EVERY_SECONDS = 2.0
PASSWORD = "bench-only-password-7f3a"


@dataclass
class Browser:
    """One learner's (or the instructor's) cookies and CSRF token, as a browser keeps them."""

    base_url: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    token: str = ""

    def __post_init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            page = response.read().decode()
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if found:
                self.token = found.group(1)
            return page, urllib.parse.urlparse(response.geturl()).path

    def post(self, path: str, form: dict, headers: dict | None = None) -> tuple[str, str]:
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={"Referer": self.base_url + "/", **(headers or {})},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode(), urllib.parse.urlparse(response.geturl()).path

    @property
    def cookie(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def manage(env: dict, *args: str, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def new_learner(base_url: str, code: str | None, name: str) -> dict:
    """A learner who (if ``code``) joined the classroom and opened the exercise in the builder."""
    browser = Browser(base_url)
    if code:
        browser.get(f"/join/{code}/")
        browser.post("/join/", {"code": code, "name": name})
        page, path = browser.get(f"/classroom/exercise/{EXERCISE}/")
    else:
        page, path = browser.get(f"/builder/start?exercise={EXERCISE}")
    shown = re.search(r'id="shown-sections" value="([^"]*)"', page).group(1)
    return {"path": path + "preview", "cookie": browser.cookie, "token": browser.token,
            "referer": base_url + path, "shown": shown}  # fmt: skip


def new_learners(base_url: str, code: str | None, count: int, prefix: str) -> list[dict]:
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(
            pool.map(lambda n: new_learner(base_url, code, f"{prefix} {n:03d}"), range(count))
        )


# Each wrk thread walks through the learners; every request is one keystroke of one learner:
# a new Pod name, and every third keystroke a CPU request that is not a quantity (an error the
# grid shows), so rows of the grid keep changing.
TYPING_LUA = """
local learners = %(learners)s
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local learner = learners[((counter * 7 + tid * 13) %% #learners) + 1]
  local cpu = (counter %% 3 == 0) and "lots" or "250"
  local body = "metadata.name=pod-" .. tid .. "x" .. counter
    .. "&spec.containers%%5B0%%5D.resources.requests.cpu=" .. cpu
    .. "&spec.containers%%5B0%%5D.resources.requests.cpu%%40unit=m"
    .. "&_shown_errors=&_shown_sections=" .. learner.shown
  local headers = {}
  headers["Cookie"] = learner.cookie
  headers["X-CSRFToken"] = learner.token
  headers["HX-Request"] = "true"
  headers["Referer"] = learner.referer
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", learner.path, headers, body)
end
"""


def lua_table(learners: list[dict]) -> str:
    def quoted(text: str) -> str:
        return json.dumps(text)

    rows = []
    for learner in learners:
        shown = urllib.parse.quote(learner["shown"], safe="")
        items = ", ".join(
            f"{key} = {quoted(value)}"
            for key, value in (
                ("path", learner["path"]),
                ("cookie", learner["cookie"]),
                ("token", learner["token"]),
                ("referer", learner["referer"]),
                ("shown", shown),
            )
        )
        rows.append("{" + items + "}")
    return "{\n" + ",\n".join(rows) + "\n}"


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def run_wrk(url: str, script: str, seconds: int, connections: int) -> WrkResult:
    """wrk's figures for ``url``, with a Lua ``script`` if one is given."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
        output = subprocess.run(
            [*command, *(["-s", handle.name] if script else []), url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    if "Latency Distribution" not in output:
        raise SystemExit(f"wrk gave no latency figures:\n{output}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=to_ms(re.search(r"^\s+50%\s+(\S+)$", output, re.M).group(1)),
        p99_ms=to_ms(re.search(r"^\s+99%\s+(\S+)$", output, re.M).group(1)),
        errors=(int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    )


class Poller(threading.Thread):
    """Requests one URL every ``every`` seconds until stopped, timing each answer.

    The grid poller sends what the page shows (``shown``) and keeps the new value from each
    answer, exactly as the page's htmx form does.
    """

    def __init__(self, send, every: float, offset: float = 0.0):
        super().__init__(daemon=True)
        self.send, self.every, self.offset = send, every, offset
        self.timings: list[float] = []
        self.failures = 0
        self.stop = threading.Event()

    def run(self) -> None:
        next_at = time.monotonic() + self.offset
        while not self.stop.wait(max(0.0, next_at - time.monotonic())):
            started = time.perf_counter()
            try:
                self.send()
                self.timings.append((time.perf_counter() - started) * 1000)
            except OSError:
                self.failures += 1
            next_at += self.every


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def grid_sender(instructor: Browser, code: str):
    state = {"shown": ""}

    def send() -> None:
        body, _ = instructor.post(
            f"/classrooms/{code}/grid", {"shown": state["shown"]}, {"HX-Request": "true"}
        )
        found = re.search(r'id="grid-shown" value="([^"]*)"', body)
        if found:
            state["shown"] = found.group(1).replace("&quot;", '"')

    return send


def healthz_sender(base_url: str):
    def send() -> None:
        with urllib.request.urlopen(base_url + "/healthz", timeout=30) as response:
            response.read()

    return send


@dataclass
class Run:
    name: str
    learners: int
    typing: WrkResult
    grid_ms: list[float]
    healthz_ms: list[float]


def measure(
    base_url: str, name: str, learners: list[dict], *, seconds: int, connections: int,
    instructor: Browser | None = None, code: str = "",
) -> Run:  # fmt: skip
    script = TYPING_LUA % {"learners": lua_table(learners)}
    run_wrk(base_url + "/", script, 2, connections)  # warm up
    pollers = [Poller(healthz_sender(base_url), GRID_EVERY_SECONDS, offset=1.0)]
    if instructor is not None:
        instructor.get(f"/classrooms/{code}/")  # the page, as the instructor opens it
        pollers.append(Poller(grid_sender(instructor, code), GRID_EVERY_SECONDS))
        pollers[-1].send()  # what the page shows: the refreshes after it send changes only
    for poller in pollers:
        poller.start()
    typing = run_wrk(base_url + "/", script, seconds, connections)
    for poller in pollers:
        poller.stop.set()
        poller.join(timeout=60)
    grid = pollers[1].timings if instructor is not None else []
    return Run(name, len(learners), typing, grid, pollers[0].timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="typing time per run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--sizes", default="40,300", help="class sizes to measure")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="podstudio-classbench-"))
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
        "PODSTUDIO_BIND": f"127.0.0.1:{port}",
        "PODSTUDIO_SANDBOX_KUBECONFIG": "",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "podstudio_instructor", "bench", "--password-from-stdin", stdin=PASSWORD + "\n")
    codes = {}
    for size in sizes:
        out = manage(env, "podstudio_classroom", "create", "--title", f"Bench {size}",
                     "--instructor", "bench", "--exercises", EXERCISE,
                     "--max-learners", str(max(size, 1)))  # fmt: skip
        codes[size] = out.strip().splitlines()[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "podstudio.wsgi:application"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    runs: list[Run] = []
    try:
        wait_until_up(base_url + "/healthz")
        healthz = run_wrk(base_url + "/healthz", "", args.seconds, args.connections)
        instructor = Browser(base_url)
        instructor.get("/accounts/login/")
        instructor.post("/accounts/login/", {"username": "bench", "password": PASSWORD})
        instructor.get("/classrooms/")  # signing in rotates the CSRF token
        baseline = new_learners(base_url, None, max(sizes), "solo")
        runs.append(
            measure(
                base_url,
                "no classroom",
                baseline,
                seconds=args.seconds,
                connections=args.connections,
            )  # fmt: skip
        )
        for size in sizes:
            learners = new_learners(base_url, codes[size], size, "learner")
            runs.append(
                measure(base_url, f"classroom of {size}", learners, seconds=args.seconds,
                        connections=args.connections, instructor=instructor, code=codes[size])
            )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return report(healthz, runs, args)


def report(healthz: WrkResult, runs: list[Run], args) -> int:
    base = runs[0].typing.requests_per_second
    print(
        f"\nClassroom benchmark: gunicorn.conf.py (threaded workers), SQLite, wrk "
        f"{args.connections} connections typing for {args.seconds} s per run, the grid "
        f"refreshed every {GRID_EVERY_SECONDS:.0f} s, {os.cpu_count()} cores\n"
    )
    print(f"GET /healthz alone: {healthz.requests_per_second:.0f} req/s\n")
    header = (
        f"{'run':<22}{'preview/s':>10}{'÷healthz':>9}{'÷no class':>10}{'errors':>7}"
        f"{'grid p50':>10}{'grid p99':>10}{'healthz p99':>12}{'polls':>6}"
    )
    print(header)
    failed = False
    for run in runs:
        ratio = run.typing.requests_per_second / healthz.requests_per_second
        kept = run.typing.requests_per_second / base
        grid_p50, grid_p99 = percentile(run.grid_ms, 0.5), percentile(run.grid_ms, 0.99)
        health_p99 = percentile(run.healthz_ms, 0.99)
        print(
            f"{run.name:<22}{run.typing.requests_per_second:>10.0f}{ratio:>9.1%}{kept:>10.1%}"
            f"{run.typing.errors:>7}"
            + (f"{grid_p50:>8.1f}ms{grid_p99:>8.1f}ms" if run.grid_ms else f"{'-':>10}{'-':>10}")
            + f"{health_p99:>10.1f}ms{len(run.grid_ms):>6}"
        )
        failed = failed or run.typing.errors > 0
        if run.grid_ms:
            failed = failed or kept < 0.90 or (run.learners >= 300 and grid_p99 >= 150)
    print(
        "\nGoals: preview keeps ≥ 90 % of its throughput without a classroom; grid refresh "
        f"p99 < 150 ms with 300 learners: {'MISSED' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
