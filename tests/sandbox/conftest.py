"""Fixtures for tests against the real sandbox control plane (``make sandbox``).

Two identities, as in a deployment:

- Pod Studio's own (``PODSTUDIO_SANDBOX_KUBECONFIG``, else ``var/sandbox/podstudio.kubeconfig``:
  the service account of deploy/cluster/). Everything the app does in a test, it does as this.
- the admin (``PODSTUDIO_SANDBOX_ADMIN_KUBECONFIG``, else the ``kubeconfig`` beside the app's, else
  ``var/sandbox/kubeconfig``), for what the app may not do: setting up other namespaces and
  cluster-wide objects, and cleaning up.

When the cluster does not answer, the tests skip and say why, unless ``PODSTUDIO_SANDBOX_REQUIRED``
is set (CI sets it after starting the cluster): then they fail.
"""

import os
import uuid
from pathlib import Path

import pytest

from podstudio.sandbox import namespaces as learner_namespaces
from podstudio.sandbox.client import Cluster, SandboxUnavailable, load_cluster

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_STATE = ROOT / "var" / "sandbox"
APP_IDENTITY = "system:serviceaccount:podstudio:podstudio-sandbox"
TIMEOUT = 10


def sandbox_kubeconfig() -> str:
    """Pod Studio's kubeconfig: what the app uses."""
    return os.environ.get("PODSTUDIO_SANDBOX_KUBECONFIG") or str(
        SANDBOX_STATE / "podstudio.kubeconfig"
    )


def admin_kubeconfig() -> str:
    """The cluster admin's kubeconfig, for setting up and cleaning up around the app."""
    if os.environ.get("PODSTUDIO_SANDBOX_ADMIN_KUBECONFIG"):
        return os.environ["PODSTUDIO_SANDBOX_ADMIN_KUBECONFIG"]
    beside = Path(sandbox_kubeconfig()).with_name("kubeconfig")
    return str(beside if beside.is_file() else SANDBOX_STATE / "kubeconfig")


_reachable: dict[str, str] = {}


def _why_unreachable(kubeconfig: str) -> str:
    """Empty when the API server answers /readyz; otherwise the reason to skip."""
    if kubeconfig in _reachable:
        return _reachable[kubeconfig]
    reason = ""
    if not Path(kubeconfig).is_file():
        reason = f"no sandbox cluster: {kubeconfig} does not exist (run `make sandbox`; needs Go)"
    else:
        try:
            answer = load_cluster(kubeconfig, None, 3).request(
                "GET", "/readyz", accept="text/plain"
            )
            if not answer.ok:
                reason = f"sandbox cluster not ready: /readyz answered {answer.status}"
        except SandboxUnavailable as exc:
            reason = f"sandbox cluster not running ({exc}); run `make sandbox`"
    _reachable[kubeconfig] = reason
    return reason


def require_sandbox(kubeconfig: str) -> None:
    """Skips the test (fails it under PODSTUDIO_SANDBOX_REQUIRED) when the cluster is away."""
    reason = _why_unreachable(kubeconfig)
    if reason and os.environ.get("PODSTUDIO_SANDBOX_REQUIRED"):
        pytest.fail(f"PODSTUDIO_SANDBOX_REQUIRED is set, but: {reason}")
    if reason:
        pytest.skip(reason)


def app_cluster() -> Cluster:
    require_sandbox(sandbox_kubeconfig())
    return load_cluster(
        sandbox_kubeconfig(), os.environ.get("PODSTUDIO_SANDBOX_CONTEXT") or None, TIMEOUT
    )


def admin_cluster() -> Cluster:
    require_sandbox(admin_kubeconfig())
    return load_cluster(admin_kubeconfig(), None, TIMEOUT)


def remove_namespace(admin: Cluster, namespace: str) -> None:
    """Deletes a test's namespace at once: as the admin, without waiting for ``gc``."""
    admin.request("DELETE", f"/api/v1/namespaces/{namespace}")
    admin.request(
        "PATCH",
        f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/"
        f"{learner_namespaces.ROLE_BINDING}",
        body={"metadata": {"finalizers": None}},
        content_type="application/merge-patch+json",
    )


@pytest.fixture
def sandbox(settings):
    """Points the settings at the running sandbox cluster as Pod Studio, or skips the test."""
    kubeconfig = sandbox_kubeconfig()
    require_sandbox(kubeconfig)
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = kubeconfig
    settings.PODSTUDIO_SANDBOX_CONTEXT = os.environ.get("PODSTUDIO_SANDBOX_CONTEXT", "")
    settings.PODSTUDIO_SANDBOX_TIMEOUT = TIMEOUT
    return kubeconfig


@pytest.fixture
def cluster(sandbox):
    """The cluster as Pod Studio sees it (the settings' kubeconfig)."""
    from podstudio.sandbox.client import get_cluster

    return get_cluster()


@pytest.fixture
def admin(sandbox):
    return admin_cluster()


class Namespaces:
    """Learner namespaces made by Pod Studio for a test, removed by the admin afterwards."""

    def __init__(self, cluster: Cluster, admin: Cluster):
        self.cluster = cluster
        self.admin = admin
        self.created: list[str] = []

    def new(self, enforce: str | None = None, labels: dict | None = None) -> str:
        namespace = learner_namespaces.namespace_for(f"test-{uuid.uuid4()}")
        self.created.append(namespace)
        learner_namespaces.ensure_namespace(
            namespace=namespace, enforce=enforce, labels=labels, cluster=self.cluster
        )
        return namespace

    def cleanup(self) -> None:
        for namespace in self.created:
            remove_namespace(self.admin, namespace)


@pytest.fixture
def namespaces(cluster, admin):
    made = Namespaces(cluster, admin)
    yield made
    made.cleanup()


@pytest.fixture(scope="session")
def judge():
    """The real API server as the engine's judge: namespaces enforcing each Pod Security level
    (``agreement-<level>-<random>``) and the cluster objects generated Pods name."""
    from tests.sandbox.judge import Judge

    kubeconfig = sandbox_kubeconfig()
    reason = _why_unreachable(kubeconfig)
    if reason and os.environ.get("PODSTUDIO_SANDBOX_REQUIRED"):
        pytest.fail(f"PODSTUDIO_SANDBOX_REQUIRED is set, but: {reason}")
    if reason:
        pytest.skip(reason)
    # It makes namespaces enforcing every level and cluster-wide objects: the admin's work, which
    # Pod Studio's own identity may not do.
    made = Judge(admin_cluster()).setup()
    yield made
    made.cleanup()
