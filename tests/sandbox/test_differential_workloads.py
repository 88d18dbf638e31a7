"""Differential test for workloads: generated Deployments, StatefulSets, Jobs, CronJobs and the
rest, the engine's answer against the real API server's (server-side dry run).

``workloadgen`` draws every controller field near the edges of its upstream rule, around a
small or a generated Pod template. The engine must refuse exactly what the API server refuses,
and name a field the server names. Pod Security is not compared here: for workloads the
server only warns, and ``test_agreement_workloads`` compares those warnings.

``PODSTUDIO_WORKLOAD_EXAMPLES`` sets how many (a bounded number by default, for CI). Each
disagreement is written to ``var/agreement/found-workloads/`` with the server's answer.
"""

import json
import os
import uuid
from collections import Counter

import pytest
from hypothesis import given

from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import dump_manifest
from podstudio.sandbox import workloads
from podstudio.sandbox.client import SandboxUnavailable
from tests.agreement import ROOT, differential_run, digest
from tests.sandbox.conftest import admin_cluster, remove_namespace
from tests.sandbox.workloadgen import workloads as generated_workloads

pytestmark = pytest.mark.sandbox

EXAMPLES = int(os.environ.get("PODSTUDIO_WORKLOAD_EXAMPLES", "150"))
FOUND = ROOT / "var" / "agreement" / "found-workloads"


@pytest.fixture(scope="module")
def namespace():
    admin = admin_cluster()
    name = f"podstudio-workloads-{uuid.uuid4().hex[:8]}"
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    assert admin.request("POST", "/api/v1/namespaces", body=body).ok
    yield admin, name
    remove_namespace(admin, name)


def _fields(problems) -> set[str]:
    return {problem.path for problem in problems if problem.path}


def _related(engine: set[str], server: set[str]) -> bool:
    """The engine names a field the server names, or one inside or around it."""
    return any(
        a == b or a.startswith(b + ".") or b.startswith(a + ".") or a.startswith(b + "[")
        for a in engine
        for b in server
    )


def test_engine_agrees_with_the_api_server_on_generated_workloads(namespace):
    cluster, name = namespace
    tally: Counter = Counter()
    found: list[str] = []

    @differential_run(EXAMPLES)
    @given(manifest=generated_workloads())
    def one_workload(manifest):
        report = analyze(manifest)
        try:
            server = workloads.dry_run(manifest=manifest, namespace=name, cluster=cluster)
        except SandboxUnavailable:
            # kube-apiserver v1.37.2 panics on some objects it cannot create (an Indexed Job
            # without completions and with a successPolicy reads the missing count) and drops
            # the connection: that is a refusal, as long as the server is still up.
            assert cluster.request("GET", "/readyz").ok, "the API server went down"
            tally["tried"] += 1
            tally["the API server failed on it (a refusal)"] += 1
            tally["accept/reject agree"] += bool(report.errors)
            if not report.errors:
                found.append(f"{manifest['kind']}: engine valid; server failed: {manifest}")
            return
        tally["tried"] += 1
        tally["accepted by the API server"] += server.accepted
        agree = bool(report.errors) == (not server.accepted)
        paths_agree = True
        if agree and not server.accepted and _fields(server.errors):
            tally["both refused, server names fields"] += 1
            paths_agree = _related({error.path for error in report.errors}, _fields(server.errors))
            tally["error fields agree"] += paths_agree
        tally["accept/reject agree"] += agree
        if not (agree and paths_agree):
            engine = [f"{error.path}: {error.message}" for error in report.errors]
            refused = [f"{e.path}: {e.message}" for e in server.errors] if server.errors else []
            answer = {"accepted": server.accepted, "errors": refused, "message": server.message}
            text = dump_manifest(manifest)
            FOUND.mkdir(parents=True, exist_ok=True)
            (FOUND / f"{digest(text)}.yaml").write_text(
                f"# server: {json.dumps(answer)}\n# engine: {json.dumps(engine)}\n{text}",
                encoding="utf-8",
            )
            found.append(f"{manifest['kind']}: engine {engine or 'valid'}; server {answer}")

    one_workload()
    print("\n" + "\n".join(f"{count:6}  {what}" for what, count in tally.items()))
    assert not found, "\n".join(found)
