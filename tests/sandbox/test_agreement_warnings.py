"""The API server's warnings on create, compared with the engine's (server-side dry runs).

``tests/test_api_warnings.py``'s table is sent as it is: the server must answer each case with
exactly the warnings the table gives, word for word, and the engine with the same. Every lesson
example, seed manifest and course object, as a Pod and wrapped in each workload kind, must get
from the engine exactly the warnings the server gives (most get none: that is the point).
Pod Security's own warnings ("would violate …") are left out: the engine reports those as its
Pod Security level.
"""

import copy
import uuid
from pathlib import Path

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import kind_of, wrap
from podstudio.engine.validation.warnings import printed_warnings
from podstudio.engine.yamlio import load_manifest
from podstudio.sandbox import actions
from tests.content_files import EXAMPLES, content_pods, content_workloads
from tests.sandbox.conftest import admin_cluster, remove_namespace
from tests.test_api_warnings import CASES, case_id, changed

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
PODS = sorted([*EXAMPLES, *ROOT.glob("tests/manifests/seed/*.yaml")])
WRAPPED = ("Pod", "Deployment", "StatefulSet", "Job", "CronJob")


@pytest.fixture(scope="module")
def judge():
    """The admin and a namespace that enforces and warns about nothing."""
    admin = admin_cluster()
    name = f"podstudio-warnings-{uuid.uuid4().hex[:8]}"
    labels = {"pod-security.kubernetes.io/enforce": "privileged"}
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}
    assert admin.request("POST", "/api/v1/namespaces", body=body).ok
    yield admin, name
    remove_namespace(admin, name)


def server_warnings(judge, manifest: dict) -> list[str]:
    cluster, namespace = judge
    kind = kind_of(manifest)
    assert kind is not None
    answer = cluster.request(
        "POST",
        f"/{kind.group_version}/namespaces/{namespace}/{kind.resource}",
        query={"dryRun": "All", "fieldManager": "podstudio-tests"},
        body=actions.prepare_pod(manifest, namespace),
    )
    assert answer.ok, answer.body
    return sorted(w for w in answer.warnings if not w.startswith("would violate"))


def engine_warnings(manifest: dict) -> list[str]:
    kind = kind_of(manifest)
    assert kind is not None
    return sorted(printed_warnings(manifest, kind))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_server_warns_as_the_table_and_the_engine_say(judge, case):
    kind, changes, expected = case
    manifest = changed(kind, changes)
    assert server_warnings(judge, copy.deepcopy(manifest)) == sorted(expected)
    assert engine_warnings(manifest) == sorted(expected)


def _course_objects() -> list[tuple[str, dict]]:
    objects = [(path.name, load_manifest(path.read_text())) for path in PODS]
    return objects + content_pods()


@pytest.mark.parametrize("kind", WRAPPED)
def test_course_objects_get_the_servers_warnings_and_no_others(judge, kind):
    compared = 0
    for name, pod in _course_objects():
        manifest = copy.deepcopy(pod) if kind == "Pod" else wrap(copy.deepcopy(pod), kind)
        if analyze(copy.deepcopy(manifest)).errors:
            continue  # a refused object gets no warnings
        assert engine_warnings(manifest) == server_warnings(judge, manifest), name
        compared += 1
    assert compared > 20


def test_course_workloads_get_the_servers_warnings(judge):
    for name, manifest in content_workloads():
        if not analyze(copy.deepcopy(manifest)).errors:
            assert engine_warnings(manifest) == server_warnings(judge, manifest), name
