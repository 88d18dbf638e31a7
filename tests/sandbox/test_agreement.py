"""The engine agrees with the real API server and Pod Security Admission.

For every engine test manifest and lesson example: the engine's ``validate_pod`` finds errors
exactly when the API server refuses the Pod (a dry-run create in a namespace that enforces
nothing), and ``evaluate_pss`` gives the highest level whose namespace (enforce=baseline,
enforce=restricted) admits the Pod. Known disagreements are listed with the reason; they are
strict xfails, so fixing the engine makes them fail until they are removed from the list.
"""

import copy
import time
import uuid
from pathlib import Path

import pytest

from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.validation import validate_pod
from podstudio.engine.yamlio import load_manifest
from podstudio.sandbox import actions
from podstudio.sandbox.namespaces import ensure_namespace, namespace_for
from tests.content_files import EXAMPLES, content_pods
from tests.sandbox.conftest import admin_cluster, remove_namespace

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted(
    [
        *(  # the formatting corpus holds files of several documents, not one Pod each
            path
            for path in ROOT.glob("tests/manifests/**/*.yaml")
            if "formatting" not in path.parts
        ),
        *EXAMPLES,
    ]
)
# Exercise starts and solutions, drills' broken Pods and fixes: Pods inside the lessons' files.
CONTENT_PODS = dict(content_pods())
assert any("#start" in name for name in CONTENT_PODS), "no exercise starts found"

# path relative to the repository -> why the engine and the cluster disagree
KNOWN_VALIDITY_DISAGREEMENTS: dict[str, str] = {}
KNOWN_LEVEL_DISAGREEMENTS: dict[str, str] = {}


def case_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def cases(known: dict[str, str]) -> list:
    """One param per Pod: a file's path, or the name of a Pod inside a lesson's file."""
    params = []
    for case in [*MANIFESTS, *CONTENT_PODS]:
        name = case_id(case) if isinstance(case, Path) else case
        marks = []
        if name in known:
            marks.append(pytest.mark.xfail(reason=known[name], strict=True))
        params.append(pytest.param(case, id=name, marks=marks))
    return params


def read_case(case: Path | str) -> dict:
    if isinstance(case, Path):
        return load_manifest(case.read_text())
    return copy.deepcopy(CONTENT_PODS[case])


@pytest.fixture(scope="module")
def judges():
    """The cluster and one namespace per enforced Pod Security level, shared by this module.
    These tests judge the engine, not Pod Studio's identity, so they act as the admin: Pod
    Studio's own identity may not make a "privileged" namespace nor the cluster-wide objects
    (priority and runtime classes) that Pods refer to."""
    admin = admin_cluster()
    namespaces = {}
    for level in ("privileged", "baseline", "restricted"):
        namespace = namespace_for(f"agreement-{level}-{uuid.uuid4()}")
        ensure_namespace(namespace=namespace, enforce=level, cluster=admin)
        namespaces[level] = namespace
    yield admin, namespaces
    for namespace in namespaces.values():
        remove_namespace(admin, namespace)


def create_referenced_objects(admin, namespace: str, manifest: dict) -> bool:
    """Creates the service account, PriorityClass and RuntimeClass a Pod names, and says
    whether any of them is new. Admission refuses a Pod whose references are missing; that is
    a fact about the cluster, not something the engine's validation could know."""
    spec = manifest.get("spec") if isinstance(manifest.get("spec"), dict) else {}
    wanted = [
        (
            f"/api/v1/namespaces/{namespace}/serviceaccounts",
            "v1",
            "ServiceAccount",
            {},
            spec.get("serviceAccountName") or spec.get("serviceAccount"),
        ),
        (
            "/apis/scheduling.k8s.io/v1/priorityclasses",
            "scheduling.k8s.io/v1",
            "PriorityClass",
            {"value": 1000},
            spec.get("priorityClassName"),
        ),
        (
            "/apis/node.k8s.io/v1/runtimeclasses",
            "node.k8s.io/v1",
            "RuntimeClass",
            {"handler": "runc"},
            spec.get("runtimeClassName"),
        ),
    ]
    created = False
    for api_path, api_version, kind, fields, name in wanted:
        if isinstance(name, str) and name:
            body = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}, **fields}
            answer = admin.request("POST", api_path, body=body)  # 409 when it exists: fine
            created = created or answer.status == 201
    return created


# Admission reads PriorityClasses and RuntimeClasses from its informers' cache, which learns of
# a class created a moment ago only shortly after: until then a Pod naming it is refused.
NOT_YET_SEEN = ("no PriorityClass with name", "RuntimeClass")


def server_answer(judges, manifest: dict, level: str) -> actions.ApplyResult:
    """The API server's dry-run answer in the namespace that enforces ``level``."""
    admin, namespaces = judges
    created = create_referenced_objects(admin, namespaces[level], manifest)
    answer = actions.dry_run(manifest=manifest, namespace=namespaces[level], cluster=admin)
    for _ in range(20 if created else 0):
        if answer.accepted or not any(text in answer.message for text in NOT_YET_SEEN):
            break
        time.sleep(0.25)
        answer = actions.dry_run(manifest=manifest, namespace=namespaces[level], cluster=admin)
    return answer


@pytest.mark.parametrize("path", cases(KNOWN_VALIDITY_DISAGREEMENTS))
def test_engine_validation_agrees_with_the_api_server(judges, path):
    manifest = read_case(path)
    engine_errors = validate_pod(manifest)
    server = server_answer(judges, manifest, "privileged")
    server_errors = [f"{e.path}: {e.message}" for e in server.errors]
    engine_listed = [f"{e.path}: {e.message}" for e in engine_errors]
    assert bool(engine_errors) == (not server.accepted), (
        f"engine: {engine_listed or 'valid'}; API server: {server_errors or 'accepted'}"
    )


@pytest.mark.parametrize("path", cases(KNOWN_LEVEL_DISAGREEMENTS))
def test_engine_pod_security_level_agrees_with_admission(judges, path):
    manifest = read_case(path)
    if not server_answer(judges, manifest, "privileged").accepted:
        pytest.skip("the API server refuses this Pod before Pod Security matters")
    admitted = "privileged"
    for level in ("baseline", "restricted"):
        answer = server_answer(judges, manifest, level)
        if not answer.accepted:
            refusal = answer.message
            break
        admitted = level
    else:
        refusal = ""
    engine = evaluate_pss(manifest)
    assert engine.level == admitted, (
        f"engine says {engine.level} ({[v.control for v in engine.violations]}); "
        f"admission admits up to {admitted}: {refusal}"
    )


def edge_pod(container: dict | None = None, **spec) -> dict:
    base = {"name": "app", "image": "nginx:1.27"}
    base.update(container or {})
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "edge"},
        "spec": {"containers": [base], **spec},
    }


RESTRICTED_CONTEXT = {
    "allowPrivilegeEscalation": False,
    "runAsNonRoot": True,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}

# Pods at the edges of the upstream rules (validation.go, pod-security-admission's check_*.go).
EDGE_PODS = {
    "duplicate-container-names": {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "edge"},
        "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]},
    },
    "port-out-of-range": edge_pod({"ports": [{"containerPort": 70000}]}),
    "request-above-limit": edge_pod(
        {"resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}
    ),
    "bad-restart-policy": edge_pod(restartPolicy="Sometimes"),
    "bad-label-value": {**edge_pod(), "metadata": {"name": "edge", "labels": {"a": "-x-"}}},
    "init-container-readiness-probe": edge_pod(
        initContainers=[
            {"name": "init", "image": "busybox", "readinessProbe": {"exec": {"command": ["true"]}}}
        ]
    ),
    "memory-limit-with-zero-request": edge_pod(
        {"resources": {"limits": {"memory": "64Mi"}, "requests": {"memory": "0"}}}
    ),
    "host-network": edge_pod(hostNetwork=True),
    "host-path-volume": edge_pod(volumes=[{"name": "h", "hostPath": {"path": "/etc"}}]),
    "net-admin-capability": edge_pod({"securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}}),
    "net-bind-service-restricted": edge_pod(
        {
            "securityContext": {
                **RESTRICTED_CONTEXT,
                "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
            }
        }
    ),
    "run-as-root-user": edge_pod({"securityContext": {**RESTRICTED_CONTEXT, "runAsUser": 0}}),
    "seccomp-unconfined": edge_pod(securityContext={"seccompProfile": {"type": "Unconfined"}}),
    "unsafe-sysctl": edge_pod(
        securityContext={"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}
    ),
    "safe-sysctl": edge_pod(
        securityContext={"sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]}
    ),
    "restricted-compliant": edge_pod({"securityContext": RESTRICTED_CONTEXT}),
    "restricted-at-pod-level": edge_pod(
        {"securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}},
        securityContext={"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
    ),
    "host-port": edge_pod({"ports": [{"containerPort": 80, "hostPort": 8080}]}),
    "emptydir-volume-restricted": edge_pod(
        {"securityContext": RESTRICTED_CONTEXT}, volumes=[{"name": "e", "emptyDir": {}}]
    ),
}
KNOWN_EDGE_DISAGREEMENTS: dict[str, str] = {}


def edge_cases() -> list:
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(reason=KNOWN_EDGE_DISAGREEMENTS[name], strict=True)]
            if name in KNOWN_EDGE_DISAGREEMENTS
            else [],
            id=name,
        )
        for name in EDGE_PODS
    ]


@pytest.mark.parametrize("name", edge_cases())
def test_engine_agrees_with_the_cluster_at_the_edges_of_the_rules(judges, name):
    manifest = EDGE_PODS[name]
    engine_errors = validate_pod(manifest)
    server = server_answer(judges, manifest, "privileged")
    assert bool(engine_errors) == (not server.accepted), (
        f"engine: {[f'{e.path}: {e.message}' for e in engine_errors] or 'valid'}; "
        f"API server: {server.message if not server.accepted else 'accepted'}"
    )
    if not server.accepted:
        return
    admitted = "privileged"
    for level in ("baseline", "restricted"):
        if not server_answer(judges, manifest, level).accepted:
            break
        admitted = level
    assert evaluate_pss(manifest).level == admitted
