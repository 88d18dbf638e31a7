"""Pod Studio refuses a learner Pod's scheduling privileges before sending it, at their field."""

import pytest

from podstudio.sandbox import actions
from podstudio.sandbox.client import ApiAnswer


def pod(**spec) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "app", "image": "nginx"}], **spec},
    }


@pytest.mark.parametrize(
    ("spec", "paths"),
    [
        ({}, []),
        ({"nodeName": ""}, []),
        ({"nodeName": "backend-node"}, ["spec.nodeName"]),
        ({"priorityClassName": "system-node-critical"}, ["spec.priorityClassName"]),
        ({"priorityClassName": "system-cluster-critical"}, ["spec.priorityClassName"]),
        ({"priorityClassName": "shop-high"}, []),
        ({"priorityClassName": "systematic"}, []),  # only the reserved "system-" prefix
        (
            {"nodeName": "n", "priorityClassName": "system-node-critical"},
            ["spec.nodeName", "spec.priorityClassName"],
        ),
    ],
)
def test_scheduling_privileges_are_found_at_their_fields(spec, paths):
    assert [p.path for p in actions.scheduling_problems(pod(**spec))] == paths


def test_a_manifest_without_a_spec_mapping_has_none():
    assert actions.scheduling_problems({"spec": ["not", "a", "mapping"]}) == []
    assert actions.scheduling_problems("text") == []


@pytest.mark.parametrize("do", [actions.dry_run, actions.apply])
def test_dry_run_and_apply_refuse_without_a_cluster(settings, do):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""  # any call to the cluster would fail
    result = do(manifest=pod(nodeName="backend-node"), namespace="podstudio-x")
    assert not result.accepted
    assert [(e.path, e.reason) for e in result.errors] == [("spec.nodeName", "SchedulingPrivilege")]
    assert "nodeSelector or node affinity" in result.errors[0].message
    assert result.to_dict()["errors"][0]["id"] == "sandbox.SchedulingPrivilege"


def test_an_admission_policy_refusal_lands_at_the_field_its_message_names():
    message = (
        "pods \"p\" is forbidden: ValidatingAdmissionPolicy 'podstudio-learner-pods' with binding "
        "'podstudio-learner-pods' denied request: spec.priorityClassName: system-node-critical "
        "is reserved for the cluster's own components."
    )
    answer = ApiAnswer(403, {"message": message, "reason": "Forbidden"})
    result = actions.interpret("dry-run", answer, pod())
    assert not result.accepted
    [error] = result.errors
    assert error.path == "spec.priorityClassName"
    assert error.message == (
        "system-node-critical is reserved for the cluster's own components. "
        "(admission policy podstudio-learner-pods)"
    )
