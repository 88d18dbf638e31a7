"""The engine agrees with the real API server about workloads (server-side dry runs).

Every lesson example and test manifest wrapped in every workload kind, and every case of the
upstream-derived tables of ``tests/test_workload_validation.py``: the engine finds errors
exactly when the API server refuses the object. For workloads Pod Security Admission only
warns (it enforces on the Pods the controller makes): the template's level from the engine
matches the levels the warnings name.
"""

import copy
import uuid
from pathlib import Path

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import wrap
from podstudio.engine.yamlio import load_manifest
from podstudio.sandbox import actions, workloads
from tests.content_files import EXAMPLES, content_workloads
from tests.sandbox.conftest import admin_cluster, remove_namespace
from tests.test_workload_validation import CASES, SUCCESS, changed

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
PODS = sorted([*EXAMPLES, *ROOT.glob("tests/manifests/seed/*.yaml")])
KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")

# (kind, case index or file name) -> why the engine and the cluster disagree
KNOWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def judge():
    """The cluster and two namespaces that enforce nothing: one warns at baseline, one at
    restricted (for a workload Pod Security names only the strictest level it warns about).
    These tests judge the engine, not Pod Studio's identity, so they act as the admin, as the
    Pod agreement tests do."""
    admin = admin_cluster()
    namespaces = {}
    for level in ("baseline", "restricted"):
        name = f"podstudio-agreement-{level}-{uuid.uuid4().hex[:8]}"
        labels = {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/warn": level,
            "pod-security.kubernetes.io/warn-version": "latest",
        }
        metadata = {"name": name, "labels": labels}
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}
        assert admin.request("POST", "/api/v1/namespaces", body=body).ok
        namespaces[level] = name
    yield admin, namespaces
    for name in namespaces.values():
        remove_namespace(admin, name)


def _dry_run(judge, manifest: dict, level: str) -> actions.ApplyResult:
    cluster, namespaces = judge
    return workloads.dry_run(manifest=manifest, namespace=namespaces[level], cluster=cluster)


def _agree(judge, manifest: dict) -> None:
    report = analyze(manifest)
    server = _dry_run(judge, manifest, "baseline")
    engine = [f"{e.path}: {e.message}" for e in report.errors]
    refused = [f"{e.path}: {e.message}" for e in server.errors] if not server.accepted else []
    assert bool(report.errors) == (not server.accepted), (
        f"engine: {engine or 'valid'}; API server: {refused or 'accepted'}"
    )
    if not server.accepted:
        return
    if any('PodSecurity "baseline:' in warning for warning in server.warnings):
        admitted = "privileged"
    elif any(
        'PodSecurity "restricted:' in warning
        for warning in _dry_run(judge, manifest, "restricted").warnings
    ):
        admitted = "baseline"
    else:
        admitted = "restricted"
    assert report.pss.level == admitted, (report.pss.violations, server.warnings)


def _params(items, ids):
    return [
        pytest.param(
            *item,
            id=name,
            marks=[pytest.mark.xfail(reason=KNOWN[name], strict=True)] if name in KNOWN else [],
        )
        for item, name in zip(items, ids, strict=True)
    ]


WRAPPED = [(path, kind) for path in PODS for kind in KINDS]


@pytest.mark.parametrize(
    ("path", "kind"),
    _params(WRAPPED, [f"{kind}-{path.stem}" for path, kind in WRAPPED]),
)
def test_wrapped_examples_are_judged_as_the_api_server_judges_them(judge, path, kind):
    workload = wrap(copy.deepcopy(load_manifest(path.read_text())), kind)
    workload["metadata"]["name"] = f"{workload['metadata']['name'][:40]}-{kind.lower()}"
    _agree(judge, workload)


COURSE = dict(content_workloads())
assert COURSE, "no workload among the exercises"


@pytest.mark.parametrize("name", sorted(COURSE))
def test_the_courses_workloads_are_judged_as_the_api_server_judges_them(judge, name):
    _agree(judge, copy.deepcopy(COURSE[name]))


@pytest.mark.parametrize(
    ("kind", "changes", "path", "fragment"),
    _params(CASES, [f"case-{index}-{case[0]}-{case[2]}" for index, case in enumerate(CASES)]),
)
def test_upstream_error_cases_are_refused_by_the_api_server(judge, kind, changes, path, fragment):
    _agree(judge, changed(kind, changes))


@pytest.mark.parametrize(
    ("kind", "changes"),
    _params(SUCCESS, [f"ok-{index}-{case[0]}" for index, case in enumerate(SUCCESS)]),
)
def test_upstream_success_cases_are_accepted_by_the_api_server(judge, kind, changes):
    _agree(judge, changed(kind, changes))
