"""``make bench`` (second part): a class of 300 learners on one server for 60 seconds.

gunicorn (the repository's gunicorn.conf.py, two worker processes) shares one PostgreSQL
database, as a deployment would. 300 learners, each with their own session and design, are
made over HTTP first; then four wrk processes play them at once, each connection a learner
without pause: reading lessons, answering quiz questions, typing in the builder, and polling the
sandbox panel's status. Each kind of request gets its own throughput, p99 and error count.

PostgreSQL: ``PODSTUDIO_LOADTEST_DATABASE_URL`` (default: the role .ci/run makes,
``postgres://podstudio:podstudio@127.0.0.1:5432/podstudio_loadtest``); the database is made
afresh. Without a reachable server the load test says so and exits with 2.
"""

import argparse
import concurrent.futures
import http.cookiejar
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from podstudio.bench import (
    EXAMPLE_POD,
    Result,
    Scenario,
    bench_env,
    free_port,
    prepare,
    run_wrk,
    start_server,
    stop_server,
    wait_until_up,
)

DEFAULT_DATABASE = "postgres://podstudio:podstudio@127.0.0.1:5432/podstudio_loadtest"
LESSON_PATHS = ("/lessons/qos/", "/lessons/probes/", "/lessons/anatomy/", "/lessons/security/")


@dataclass
class Learner:
    cookie: str  # the Cookie header: session and CSRF cookies
    token: str  # the CSRF secret, sent back in X-CSRFToken
    design: str  # the path of their design


@dataclass
class Mix:
    name: str
    connections: int
    requests: list[dict]  # method, path, body, headers: one per learner, played round robin


def fresh_database(url: str) -> None:
    """Drops and creates the load test's database; needs a role that may create databases."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def make_learner(base_url: str, manifest: str) -> Learner:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/builder/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"yaml": manifest, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(
        base_url + "/builder/import", data=body, headers={"Referer": base_url + "/"}
    )
    design = urllib.parse.urlparse(opener.open(request, timeout=30).geturl()).path
    cookies = {cookie.name: cookie.value for cookie in jar}
    return Learner(
        cookie="; ".join(f"{name}={value}" for name, value in cookies.items()),
        token=cookies["csrftoken"],
        design=design,
    )


def mixes(learners: list[Learner], base_url: str) -> list[Mix]:
    def headers(learner: Learner, **extra: str) -> dict:
        return {"Cookie": learner.cookie, "X-CSRFToken": learner.token, **extra}

    htmx = {"HX-Request": "true"}
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    quiz_targets = [
        ("qos", "guaranteed"),
        ("probes", "startup-gate"),
        ("anatomy", "namespace"),
        ("security", "capabilities"),
    ]
    return [
        Mix(
            "lesson pages",
            120,
            [
                {"method": "GET", "path": LESSON_PATHS[i % 4], "headers": headers(learner)}
                for i, learner in enumerate(learners)
            ],
        ),
        Mix(
            "quiz answers",
            40,
            [
                {
                    "method": "POST",
                    "path": "/lessons/{}/quiz/{}".format(*quiz_targets[i % 4]),
                    "body": f"choice={'abc'[i % 3]}",
                    "headers": headers(learner, **htmx, **form, Referer=base_url + "/"),
                }
                for i, learner in enumerate(learners)
            ],
        ),
        Mix(
            "builder keystrokes",
            100,
            [
                {
                    "method": "POST",
                    "path": learner.design + "preview",
                    # numbered as builder.js numbers it, each as a page's first edit
                    "body": f"metadata.name=pod-{i}-__N__&_edit=__H__%3A1",
                    "headers": headers(learner, **htmx, **form, Referer=base_url + learner.design),
                }
                for i, learner in enumerate(learners)
            ],
        ),
        Mix(
            "sandbox status polls",
            40,
            [
                {"method": "GET", "path": "/sandbox/status?pod=my-app-pod", "headers": headers(l)}
                for l in learners  # noqa: E741
            ],
        ),
    ]


LUA = """
local requests = %s
local counter = 0
local thread_id = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
request = function()
  counter = counter + 1
  local r = requests[(counter * 7 + thread_id) %% #requests + 1]
  local body = r.body and string.gsub(r.body, "__N__", thread_id .. "x" .. counter) or nil
  body = body and string.gsub(body, "__H__", string.format("%%08x%%08x", thread_id, counter))
  return wrk.format(r.method, r.path, r.headers, body)
end
"""


def lua_table(requests: list[dict]) -> str:
    def lua(value) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"[{json.dumps(k)}] = {lua(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "{" + ", ".join(lua(item) for item in value) + "}"
        return json.dumps(value)

    return lua(requests)


def run_mix(base_url: str, mix: Mix, seconds: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % lua_table(mix.requests))
    scenario = Scenario(mix.name, "GET", mix.requests[0]["path"], None, 0)
    try:
        return run_wrk(base_url, scenario, seconds, mix.connections, script=script.name)
    finally:
        os.unlink(script.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    database = os.environ.get("PODSTUDIO_LOADTEST_DATABASE_URL", DEFAULT_DATABASE)
    try:
        fresh_database(database)
    except Exception as exc:  # the driver raises many types for a server that is not there
        print(
            f"load test skipped: PostgreSQL at {database} cannot be used ({exc})", file=sys.stderr
        )
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="podstudio-load-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = bench_env(workdir, port, database)
    prepare(env)
    server = start_server(env, args.workers)
    try:
        wait_until_up(base_url + "/healthz")
        manifest = EXAMPLE_POD.read_text()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            learners = list(
                pool.map(lambda _: make_learner(base_url, manifest), range(args.learners))
            )
        plan = mixes(learners, base_url)
        for mix in plan:  # warm every worker
            run_mix(base_url, mix, 2)
        with concurrent.futures.ThreadPoolExecutor(len(plan)) as pool:
            results = list(pool.map(lambda mix: run_mix(base_url, mix, args.seconds), plan))
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)

    connections = sum(mix.connections for mix in plan)
    print(
        f"\nPod Studio load test: {args.learners} learners on {connections} connections for "
        f"{args.seconds} s, gunicorn {args.workers} threaded workers, PostgreSQL, "
        f"{os.cpu_count()} cores\n"
    )
    print(f"{'requests':<24}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>10}{'errors':>8}")
    total_errors = 0
    for mix, result in zip(plan, results, strict=True):
        total_errors += result.errors
        print(
            f"{mix.name:<24}{mix.connections:>6}{result.requests_per_second:>9.0f}"
            f"{result.p50_ms:>9.1f}{result.p99_ms:>10.1f}{result.errors:>8}"
        )
    total = sum(result.requests_per_second for result in results)
    print(f"{'all':<24}{connections:>6}{total:>9.0f}{'':>19}{total_errors:>8}  (goal: 0 errors)")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
