"""Fixtures for tests against the real sandbox control plane (``make sandbox``).

Tests marked ``sandbox`` use the API server behind ``PODSTUDIO_SANDBOX_KUBECONFIG`` or, when that
is unset, ``var/sandbox/kubeconfig``. When neither answers, they skip and say why, unless
``PODSTUDIO_SANDBOX_REQUIRED`` is set (CI sets it after starting the cluster): then they fail.
"""

import os
import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from podstudio.sandbox import actions
from podstudio.sandbox.client import SandboxUnavailable, get_cluster

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KUBECONFIG = ROOT / "var" / "sandbox" / "kubeconfig"


def sandbox_kubeconfig() -> str:
    return os.environ.get("PODSTUDIO_SANDBOX_KUBECONFIG") or str(DEFAULT_KUBECONFIG)


_reachable: dict[str, str] = {}


def _why_unreachable(kubeconfig: str) -> str:
    """Empty when the API server answers /readyz; otherwise the reason to skip."""
    if kubeconfig in _reachable:
        return _reachable[kubeconfig]
    reason = ""
    if not Path(kubeconfig).is_file():
        reason = f"no sandbox cluster: {kubeconfig} does not exist (run `make sandbox`; needs Go)"
    else:
        with override_settings(
            PODSTUDIO_SANDBOX_KUBECONFIG=kubeconfig, PODSTUDIO_SANDBOX_TIMEOUT=3
        ):
            try:
                answer = get_cluster().request("GET", "/readyz", accept="text/plain")
                if not answer.ok:
                    reason = f"sandbox cluster not ready: /readyz answered {answer.status}"
            except SandboxUnavailable as exc:
                reason = f"sandbox cluster not running ({exc}); run `make sandbox`"
    _reachable[kubeconfig] = reason
    return reason


@pytest.fixture
def sandbox(settings):
    """Points the settings at the running sandbox cluster, or skips the test."""
    kubeconfig = sandbox_kubeconfig()
    reason = _why_unreachable(kubeconfig)
    if reason and os.environ.get("PODSTUDIO_SANDBOX_REQUIRED"):
        pytest.fail(f"PODSTUDIO_SANDBOX_REQUIRED is set, but: {reason}")
    if reason:
        pytest.skip(reason)
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = kubeconfig
    settings.PODSTUDIO_SANDBOX_CONTEXT = os.environ.get("PODSTUDIO_SANDBOX_CONTEXT", "")
    settings.PODSTUDIO_SANDBOX_TIMEOUT = 10
    return kubeconfig


@pytest.fixture
def cluster(sandbox):
    return get_cluster()


class Namespaces:
    """Creates learner namespaces for a test and deletes them afterwards."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.created: list[str] = []

    def new(self, enforce: str | None = None) -> str:
        namespace = actions.namespace_for(f"test-{uuid.uuid4()}")
        actions.ensure_namespace(namespace=namespace, enforce=enforce, cluster=self.cluster)
        self.created.append(namespace)
        return namespace

    def cleanup(self) -> None:
        for namespace in self.created:
            self.cluster.request("DELETE", f"/api/v1/namespaces/{namespace}")


@pytest.fixture
def namespaces(cluster):
    made = Namespaces(cluster)
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
    with override_settings(PODSTUDIO_SANDBOX_KUBECONFIG=kubeconfig, PODSTUDIO_SANDBOX_TIMEOUT=10):
        made = Judge(get_cluster()).setup()
    yield made
    made.cleanup()
