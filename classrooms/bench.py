"""``python -m classrooms.bench`` (part of ``make bench``): a live classroom under load.

Learners type in the builder (the keystroke preview, sent by wrk through each learner's own
session and design in turn; every third keystroke leaves an error, so grid rows keep changing)
while the instructor's class grid refreshes every 2 seconds exactly as the page does (it sends
what it shows and gets back what changed). Three kinds of run on one server, taken in turns over
several rounds so that a busy machine spreads over all of them: learners outside any classroom
(the baseline), a classroom of 40 and one of 300. Each runs twice:

* as fast as wrk can type (16 connections): the preview's throughput, as a share of
  ``GET /healthz``'s and of the baseline's (goal: at least 90 % of the baseline);
* paced, each learner sending a keystroke every 2 s (a wrk connection per ten learners): the grid
  refresh's p50 and p99, beside ``GET /healthz`` polled the same way in the same run (goal: p99
  under 150 ms with 300 learners).

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
%(pace)s
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
    if not re.search(r"^\s+99%\s+\S+\s*$", output, re.M):
        raise SystemExit(f"wrk gave no latency figures:\n{output}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=to_ms(re.search(r"^\s+50%\s+(\S+)\s*$", output, re.M).group(1)),
        p99_ms=to_ms(re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M).group(1)),
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
    learners: list[dict]
    instructor: Browser | None = None
    code: str = ""
    typing: list[WrkResult] = field(default_factory=list)
    grid_ms: list[float] = field(default_factory=list)
    healthz_ms: list[float] = field(default_factory=list)
    paced: list[WrkResult] = field(default_factory=list)
    paced_grid_ms: list[float] = field(default_factory=list)
    paced_healthz_ms: list[float] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return sum(r.requests_per_second for r in self.typing) / len(self.typing)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.typing)


LEARNERS_PER_CONNECTION = 10
KEYSTROKE_EVERY_MS = 2000  # one preview per learner every 2 s while they type, when paced


def measure(
    base_url: str, run: Run, *, seconds: int, connections: int, paced: bool = False
) -> None:
    """One stretch of typing (with the grid refreshing, in a classroom); adds to ``run``.

    Unpaced, wrk sends keystrokes as fast as the server answers them (throughput). Paced, each
    learner sends one every 2 s: a connection per ten learners, each waiting 200 ms between
    keystrokes (latency of the grid in a class that types steadily)."""
    pace = ""
    if paced:
        connections = max(1, len(run.learners) // LEARNERS_PER_CONNECTION)
        pace = f"delay = function() return {KEYSTROKE_EVERY_MS // LEARNERS_PER_CONNECTION} end"
    script = TYPING_LUA % {"learners": lua_table(run.learners), "pace": pace}
    pollers = [Poller(healthz_sender(base_url), GRID_EVERY_SECONDS, offset=1.0)]
    if run.instructor is not None:
        run.instructor.get(f"/classrooms/{run.code}/")  # the page, as the instructor opens it
        grid = Poller(grid_sender(run.instructor, run.code), GRID_EVERY_SECONDS)
        grid.send()  # what the page shows: the refreshes after it send changes only
        pollers.append(grid)
    for poller in pollers:
        poller.start()
    typing = run_wrk(base_url + "/", script, seconds, connections)
    for poller in pollers:
        poller.stop.set()
        poller.join(timeout=60)
    if paced:
        run.paced.append(typing)
        run.paced_healthz_ms += pollers[0].timings
        run.paced_grid_ms += pollers[1].timings if run.instructor is not None else []
    else:
        run.typing.append(typing)
        run.healthz_ms += pollers[0].timings
        run.grid_ms += pollers[1].timings if run.instructor is not None else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="typing time of each run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--sizes", default="40,300", help="class sizes to measure")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, taken in turn")
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
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(workdir / "static"),
        "PODSTUDIO_BIND": f"127.0.0.1:{port}",
        "PODSTUDIO_SANDBOX_KUBECONFIG": "",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")  # as a deployment does
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
        runs.append(Run("no classroom", new_learners(base_url, None, max(sizes), "solo")))
        for size in sizes:
            learners = new_learners(base_url, codes[size], size, "learner")
            runs.append(Run(f"classroom of {size}", learners, instructor, codes[size]))
        for run in runs:  # warm every worker up on every kind of request
            measure(base_url, run, seconds=2, connections=args.connections)
            run.typing.clear()
            run.grid_ms.clear()
            run.healthz_ms.clear()
        # The machine may be busy with other work: rounds, each run in turn, spread that out.
        for _ in range(args.rounds):
            for run in runs:
                for paced in (False, True):
                    measure(
                        base_url,
                        run,
                        seconds=args.seconds // args.rounds,
                        connections=args.connections,
                        paced=paced,
                    )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return report(healthz, runs, args)


def report(healthz: WrkResult, runs: list[Run], args) -> int:
    base = runs[0].requests_per_second
    print(
        f"\nClassroom benchmark: gunicorn.conf.py (threaded workers), SQLite, wrk "
        f"{args.connections} connections typing, {args.seconds} s per run in {args.rounds} "
        f"rounds, the grid refreshed every {GRID_EVERY_SECONDS:.0f} s, {os.cpu_count()} cores\n"
    )
    print(f"GET /healthz alone: {healthz.requests_per_second:.0f} req/s\n")
    print(
        f"{'run':<20}{'preview/s':>10}{'÷healthz':>9}{'÷no class':>10}{'errors':>7}"
        f"{'grid p50':>10}{'grid p99':>10}{'healthz p99':>12}{'grid÷hz':>8}{'polls':>6}"
    )
    failed = False
    for run in runs:
        rate = run.requests_per_second
        grid_p50, grid_p99 = percentile(run.grid_ms, 0.5), percentile(run.grid_ms, 0.99)
        health_p99 = percentile(run.healthz_ms, 0.99)
        grid = f"{grid_p50:>8.1f}ms{grid_p99:>8.1f}ms" if run.grid_ms else f"{'-':>10}{'-':>10}"
        versus = f"{grid_p99 / health_p99:>7.1f}x" if run.grid_ms else f"{'-':>8}"
        print(
            f"{run.name:<20}{rate:>10.0f}{rate / healthz.requests_per_second:>9.1%}"
            f"{rate / base:>10.1%}{run.errors:>7}{grid}{health_p99:>10.1f}ms{versus}"
            f"{len(run.grid_ms):>6}"
        )
        failed = failed or run.errors > 0
        if run.grid_ms:
            failed = failed or rate / base < 0.90
    print(
        f"\nPaced: each learner sends a keystroke every {KEYSTROKE_EVERY_MS / 1000:.0f} s "
        f"({LEARNERS_PER_CONNECTION} learners per wrk connection)\n"
    )
    print(
        f"{'run':<20}{'preview/s':>10}{'errors':>7}{'grid p50':>10}{'grid p99':>10}"
        f"{'healthz p99':>12}{'grid÷hz':>8}{'polls':>6}"
    )
    for run in runs:
        if not run.paced:
            continue
        rate = sum(r.requests_per_second for r in run.paced) / len(run.paced)
        errors = sum(r.errors for r in run.paced)
        grid_p50 = percentile(run.paced_grid_ms, 0.5)
        grid_p99 = percentile(run.paced_grid_ms, 0.99)
        health_p99 = percentile(run.paced_healthz_ms, 0.99)
        grid = (
            f"{grid_p50:>8.1f}ms{grid_p99:>8.1f}ms" if run.paced_grid_ms else f"{'-':>10}{'-':>10}"
        )
        versus = f"{grid_p99 / health_p99:>7.1f}x" if run.paced_grid_ms else f"{'-':>8}"
        print(
            f"{run.name:<20}{rate:>10.0f}{errors:>7}{grid}{health_p99:>10.1f}ms{versus}"
            f"{len(run.paced_grid_ms):>6}"
        )
        failed = failed or errors > 0
        if run.paced_grid_ms and len(run.learners) >= 300:
            failed = failed or grid_p99 >= 150
    print(
        "\nGoals: preview keeps ≥ 90 % of its throughput without a classroom (as fast as wrk "
        "can type); grid refresh p99 < 150 ms with 300 learners (paced): "
        f"{'MISSED' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
