"""Differential test for workloads: generated Deployments, StatefulSets, Jobs, CronJobs and the
rest, the engine's answer against the real API server's (server-side dry run).

``workloadgen`` draws every controller field near the edges of its upstream rule, around a
small or a generated Pod template. The engine must refuse exactly what the API server refuses,
and name a field the server names; where both accept it, give the server's warnings word for
word. Pod Security is not compared here: for workloads the
server only warns, and ``test_agreement_workloads`` compares those warnings.

``PODSTUDIO_WORKLOAD_EXAMPLES`` sets how many (a bounded number by default, for CI). Each
disagreement is written to ``var/agreement/found-workloads/`` with the server's answer.
"""

import json
import os
import re
import uuid
from collections import Counter

import pytest
from hypothesis import given

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import KINDS
from podstudio.engine.validation.warnings import printed_warnings
from podstudio.engine.yamldump import dump_manifest
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


def _fields(problems, manifest: dict) -> set[str]:
    return {
        written
        for problem in problems
        if problem.path
        for written in _as_written(problem.path, manifest)
    }


def _as_written(path: str, manifest: dict) -> set[str]:
    """Where the server's path is in the document. With claim templates, ValidateStatefulSetSpec
    checks a rebuilt volume list (volumesToAddForTemplates): the claims' volumes first, in Go
    map order, then the template's volumes not named after a claim; its indices are into that
    list, the engine's into the document."""
    spec = manifest.get("spec") if isinstance(manifest.get("spec"), dict) else {}
    found = re.match(r"spec\.template\.spec\.volumes\[(\d+)\]", path)
    claims = [
        claim["metadata"]["name"]
        for claim in spec.get("volumeClaimTemplates") or []
        if isinstance(claim, dict) and (claim.get("metadata") or {}).get("name")
    ]
    if manifest.get("kind") != "StatefulSet" or not found or not claims:
        return {path}
    position, rest = int(found[1]), path[found.end() :]
    names = list(dict.fromkeys(claims))
    if position < len(names):
        return {f"spec.volumeClaimTemplates[{claims.index(name)}].metadata{rest}" for name in names}
    volumes = spec["template"]["spec"].get("volumes") or []
    kept = [index for index, volume in enumerate(volumes) if volume.get("name") not in names]
    return {f"spec.template.spec.volumes[{kept[position - len(names)]}]{rest}"}


def _related(engine: set[str], server: set[str]) -> bool:
    """The engine names a field the server names, or one inside or around it."""
    return any(
        a == b or a.startswith((b + ".", b + "[")) or b.startswith(a + ".")
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
        if agree and not server.accepted and _fields(server.errors, manifest):
            tally["both refused, server names fields"] += 1
            paths_agree = _related(
                {error.path for error in report.errors}, _fields(server.errors, manifest)
            )
            tally["error fields agree"] += paths_agree
        tally["accept/reject agree"] += agree
        warnings_agree = True
        if agree and server.accepted:
            tally["both accepted"] += 1
            said = sorted(w for w in server.warnings if not w.startswith("would violate"))
            kind = KINDS[manifest["kind"]]
            warnings_agree = said == sorted(printed_warnings(manifest, kind))
            tally["warnings agree"] += warnings_agree
            tally["accepted with warnings"] += bool(said)
        if not (agree and paths_agree and warnings_agree):
            engine = [f"{error.path}: {error.message}" for error in report.errors]
            refused = [f"{e.path}: {e.message}" for e in server.errors] if server.errors else []
            answer = {
                "accepted": server.accepted,
                "errors": refused,
                "message": server.message,
                "warnings": server.warnings,
            }
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
