"""`podstudio sandbox gc`: deletes idle learner namespaces, and says so."""

import io

import pytest

from podstudio.cli import main
from podstudio.sandbox import namespaces as learner_namespaces


def test_gc_without_a_reachable_cluster_exits_2_with_a_message(settings, capsys):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = "/nonexistent/kubeconfig"
    assert main(["sandbox", "gc"], stdout=io.StringIO()) == 2
    assert "/nonexistent/kubeconfig cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--idle", "--grace"])
def test_gc_refuses_a_negative_time_with_exit_2(settings, capsys, flag):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = "/nonexistent/kubeconfig"
    assert main(["sandbox", "gc", flag, "-5"], stdout=io.StringIO()) == 2
    assert f"{flag} must be 0 or more, got -5" in capsys.readouterr().err


@pytest.mark.sandbox
def test_gc_deletes_namespaces_idle_longer_than_the_given_time(cluster, namespaces):
    idle = namespaces.new()
    cluster.request(
        "PATCH",
        f"/api/v1/namespaces/{idle}",
        body={
            "metadata": {"annotations": {learner_namespaces.LAST_ACTIVITY: "2001-01-01T00:00:00Z"}}
        },
        content_type="application/merge-patch+json",
    )
    fresh = namespaces.new()
    out = io.StringIO()
    assert main(["sandbox", "gc", "--idle", "600"], stdout=out) == 0
    assert f"deleted {idle}\n" in out.getvalue()
    assert fresh not in out.getvalue()


@pytest.mark.sandbox
def test_gc_says_which_deleted_namespaces_it_is_finishing(cluster, namespaces):
    going = namespaces.new()
    assert cluster.request("DELETE", f"/api/v1/namespaces/{going}").ok
    out = io.StringIO()
    assert main(["sandbox", "gc", "--grace", "0"], stdout=out) == 0
    lines = [line for line in out.getvalue().splitlines() if going in line]
    assert lines and lines[0].startswith(("finishing", "waiting for"))
