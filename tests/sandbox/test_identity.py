"""Pod Studio's cluster identity (deploy/cluster/) can touch learner namespaces and nothing else.

Against the real API server: RBAC as the authorizer answers it (SelfSubjectAccessReview), then
real requests that admission policies must refuse, for Pod Studio and, for learner Pods, for any
client. What the panel needs is allowed: the other sandbox tests run as this identity.
"""

import uuid

import pytest

from podstudio.sandbox import actions
from podstudio.sandbox import namespaces as learner_namespaces
from tests.sandbox.conftest import APP_IDENTITY, remove_namespace

pytestmark = pytest.mark.sandbox

POLICY_NAMESPACES = "podstudio-sandbox-namespaces"
POLICY_ROLE_BINDINGS = "podstudio-sandbox-rolebindings"
POLICY_PODS = "podstudio-learner-pods"


@pytest.fixture
def identity(cluster):
    """Pod Studio's cluster, after checking it is the least-privileged service account."""
    username = cluster.username()
    if username != APP_IDENTITY:
        pytest.fail(
            f"PODSTUDIO_SANDBOX_KUBECONFIG authenticates as {username!r}, not as Pod Studio's "
            f"service account {APP_IDENTITY!r}: use var/sandbox/podstudio.kubeconfig"
        )
    return cluster


@pytest.fixture
def outsider(admin):
    """A namespace Pod Studio has nothing to do with, made by the admin, with a Pod in it."""
    name = f"someone-else-{uuid.uuid4().hex[:8]}"
    admin.request("POST", "/api/v1/namespaces", body={"metadata": {"name": name}})
    admin.request(
        "POST",
        f"/api/v1/namespaces/{name}/pods",
        body={
            "metadata": {"name": "theirs"},
            "spec": {"containers": [{"name": "c", "image": "x"}]},
        },
    )
    yield name
    admin.request("DELETE", f"/api/v1/namespaces/{name}")


def can(cluster, verb: str, resource: str, namespace: str = "", **extra) -> bool:
    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": {"verb": verb, "resource": resource, **extra}},
    }
    if namespace:
        review["spec"]["resourceAttributes"]["namespace"] = namespace
    answer = cluster.request(
        "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body=review
    )
    assert answer.ok, answer.body
    return bool(answer.body["status"].get("allowed"))


RBAC = "rbac.authorization.k8s.io"

# (verb, resource, namespace, extra attributes, allowed) as RBAC alone decides.
CLUSTER_WIDE = [
    ("list", "pods", "default", {}, False),
    ("list", "pods", "kube-system", {}, False),
    ("get", "pods", "", {}, False),  # in every namespace at once
    ("list", "secrets", "", {}, False),
    ("get", "configmaps", "kube-system", {}, False),
    ("create", "pods", "default", {}, False),
    ("list", "nodes", "", {}, False),
    ("create", "priorityclasses", "", {"group": "scheduling.k8s.io"}, False),
    ("create", "clusterrolebindings", "", {"group": RBAC}, False),
    ("escalate", "clusterroles", "", {"group": RBAC}, False),
    ("bind", "clusterroles", "", {"group": RBAC, "name": "admin"}, False),
    ("bind", "clusterroles", "", {"group": RBAC, "name": "cluster-admin"}, False),
    ("bind", "clusterroles", "", {"group": RBAC, "name": "podstudio-learner"}, True),
    ("impersonate", "users", "", {}, False),
    ("create", "serviceaccounts", "podstudio", {"subresource": "token"}, False),
    ("update", "namespaces", "", {"subresource": "finalize"}, False),
    ("create", "namespaces", "", {}, True),
    ("delete", "namespaces", "", {}, True),  # narrowed to learner namespaces by admission
]


@pytest.mark.parametrize(("verb", "resource", "namespace", "extra", "allowed"), CLUSTER_WIDE)
def test_rbac_gives_pod_studio_namespaces_and_nothing_else_cluster_wide(
    identity, verb, resource, namespace, extra, allowed
):
    assert can(identity, verb, resource, namespace, **extra) is allowed


# In a learner namespace, through the RoleBinding Pod Studio made there.
IN_LEARNER_NAMESPACE = [
    ("create", "pods", {}, True),
    ("patch", "pods", {}, True),
    ("delete", "pods", {}, True),
    ("get", "pods", {"subresource": "log"}, True),
    ("list", "events", {}, True),
    ("create", "pods", {"subresource": "exec"}, False),
    ("create", "pods", {"subresource": "portforward"}, False),
    ("get", "secrets", {}, False),
    ("create", "deployments", {"group": "apps"}, True),  # workloads from the builder
    ("delete", "cronjobs", {"group": "batch"}, True),
    ("create", "deployments", {"group": "apps", "subresource": "scale"}, False),
    ("delete", "resourcequotas", {}, False),  # the learner's guard rails stay
    ("delete", "rolebindings", {"group": RBAC, "name": "podstudio"}, False),
]


@pytest.mark.parametrize(("verb", "resource", "extra", "allowed"), IN_LEARNER_NAMESPACE)
def test_in_a_learner_namespace_pod_studio_may_do_what_the_panel_needs(
    identity, namespaces, verb, resource, extra, allowed
):
    namespace = namespaces.new()
    assert can(identity, verb, resource, namespace, **extra) is allowed


def test_pod_studio_cannot_read_or_change_pods_elsewhere(identity, outsider):
    for namespace in ("default", "kube-system", outsider):
        listed = identity.request("GET", f"/api/v1/namespaces/{namespace}/pods")
        assert listed.status == 403, namespace
    theirs = f"/api/v1/namespaces/{outsider}/pods/theirs"
    assert identity.request("GET", theirs).status == 403
    assert identity.request("DELETE", theirs).status == 403
    assert identity.request("GET", "/api/v1/pods").status == 403


def namespace_body(name: str, labels: dict | None) -> dict:
    metadata: dict = {"name": name}
    if labels is not None:
        metadata["labels"] = labels
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": metadata}


LEARNER_LABELS = learner_namespaces.namespace_labels("baseline")


@pytest.mark.parametrize(
    ("name", "labels", "says"),
    [
        ("not-podstudio-{id}", LEARNER_LABELS, "may only create namespaces named podstudio-*"),
        ("podstudio-{id}", None, "may only create namespaces named podstudio-*"),
        (
            "podstudio-{id}",
            {"pod-security.kubernetes.io/enforce": "baseline"},
            "may only create namespaces named podstudio-*",
        ),
        (
            "podstudio-{id}",
            learner_namespaces.namespace_labels("privileged"),
            'must enforce Pod Security "baseline" or "restricted"',
        ),
        (
            "podstudio-{id}",
            {**LEARNER_LABELS, "team": "platform"},
            "carries only app.kubernetes.io/managed-by",
        ),
    ],
    ids=["other-name", "no-labels", "not-managed", "privileged", "foreign-label"],
)
def test_pod_studio_cannot_create_a_namespace_that_is_not_a_learner_namespace(
    identity, admin, name, labels, says
):
    name = name.format(id=uuid.uuid4().hex[:8])
    answer = identity.request("POST", "/api/v1/namespaces", body=namespace_body(name, labels))
    try:
        assert answer.status == 403
        assert POLICY_NAMESPACES in answer.body["message"]
        assert says in answer.body["message"]
    finally:
        remove_namespace(admin, name)
    assert admin.request("GET", f"/api/v1/namespaces/{name}").status == 404


def test_a_learner_namespace_may_carry_a_classroom_label(identity, namespaces, admin):
    namespace = namespaces.new(labels={"podstudio.dev/classroom": "monday-workshop"})
    labels = admin.request("GET", f"/api/v1/namespaces/{namespace}").body["metadata"]["labels"]
    assert labels["podstudio.dev/classroom"] == "monday-workshop"
    assert labels[learner_namespaces.MANAGED_BY_LABEL] == learner_namespaces.MANAGED_BY


@pytest.mark.parametrize("kind", ["outsider", "unlabelled podstudio-*"])
def test_pod_studio_cannot_label_or_delete_a_namespace_that_is_not_its_own(
    identity, admin, outsider, kind
):
    name = outsider
    if kind != "outsider":
        name = f"podstudio-{uuid.uuid4().hex[:8]}"
        admin.request("POST", "/api/v1/namespaces", body=namespace_body(name, None))
    try:
        labelled = identity.request(
            "PATCH",
            f"/api/v1/namespaces/{name}",
            body={"metadata": {"labels": LEARNER_LABELS}},
            content_type="application/merge-patch+json",
        )
        assert labelled.status == 403
        assert POLICY_NAMESPACES in labelled.body["message"]
        deleted = identity.request("DELETE", f"/api/v1/namespaces/{name}")
        assert deleted.status == 403
        assert POLICY_NAMESPACES in deleted.body["message"]
        body = admin.request("GET", f"/api/v1/namespaces/{name}").body
        assert body["status"]["phase"] == "Active"
        assert learner_namespaces.MANAGED_BY_LABEL not in (body["metadata"].get("labels") or {})
    finally:
        if kind != "outsider":
            admin.request("DELETE", f"/api/v1/namespaces/{name}")


def test_pod_studio_may_annotate_its_namespaces_only_with_its_own_annotations(identity, namespaces):
    namespace = namespaces.new()
    answer = identity.request(
        "PATCH",
        f"/api/v1/namespaces/{namespace}",
        # The PodNodeSelector admission plugin reads this one; a learner namespace must not.
        body={"metadata": {"annotations": {"scheduler.alpha.kubernetes.io/node-selector": "a=b"}}},
        content_type="application/merge-patch+json",
    )
    assert answer.status == 403
    assert "may only set podstudio.dev/* annotations" in answer.body["message"]


def role_binding(namespace: str, role: str = "podstudio-learner", subject: dict | None = None):
    subject = subject or {
        "kind": "ServiceAccount",
        "name": "podstudio-sandbox",
        "namespace": "podstudio",
    }
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "podstudio", "namespace": namespace},
        "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": role},
        "subjects": [subject],
    }


def bindings_path(namespace: str) -> str:
    return f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings"


def test_pod_studio_cannot_grant_itself_rights_outside_learner_namespaces(identity, outsider):
    for namespace in ("default", "kube-system", outsider):
        answer = identity.request("POST", bindings_path(namespace), body=role_binding(namespace))
        assert answer.status == 403, namespace
        assert POLICY_ROLE_BINDINGS in answer.body["message"]
    assert identity.request("GET", f"/api/v1/namespaces/{outsider}/pods").status == 403


@pytest.mark.parametrize(
    ("role", "subject"),
    [
        ("admin", None),
        ("cluster-admin", None),
        ("edit", None),
        ("podstudio-learner", {"kind": "Group", "apiGroup": RBAC, "name": "system:authenticated"}),
        (
            "podstudio-learner",
            {"kind": "ServiceAccount", "name": "default", "namespace": "kube-system"},
        ),
    ],
    ids=["admin", "cluster-admin", "edit", "everyone", "another-account"],
)
def test_pod_studio_cannot_bind_another_role_or_another_subject(
    identity, namespaces, role, subject
):
    namespace = namespaces.new()
    answer = identity.request(
        "POST", bindings_path(namespace), body=role_binding(namespace, role, subject)
    )
    assert answer.status in (403, 409), answer.body
    if answer.status == 409:  # "podstudio" exists; a new name is refused just the same
        other = role_binding(namespace, role, subject)
        other["metadata"]["name"] = "another"
        answer = identity.request("POST", bindings_path(namespace), body=other)
        assert answer.status == 403, answer.body
    assert POLICY_ROLE_BINDINGS in answer.body["message"] or "forbidden" in answer.body["message"]


def test_the_learner_namespace_binds_pod_studio_to_the_learner_role_only(admin, namespaces):
    namespace = namespaces.new()
    bindings = admin.request("GET", bindings_path(namespace)).body["items"]
    assert [(b["metadata"]["name"], b["roleRef"]["name"]) for b in bindings] == [
        ("podstudio", "podstudio-learner")
    ]
    assert bindings[0]["subjects"] == [
        {"kind": "ServiceAccount", "name": "podstudio-sandbox", "namespace": "podstudio"}
    ]
    assert bindings[0]["metadata"]["finalizers"] == [learner_namespaces.KEEP_ACCESS]


SCHEDULING_PRIVILEGES = [
    ({"nodeName": "backend-node"}, "spec.nodeName"),
    ({"priorityClassName": "system-node-critical"}, "spec.priorityClassName"),
    ({"priorityClassName": "system-cluster-critical"}, "spec.priorityClassName"),
]


def privileged_pod(spec: dict) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "vip"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], **spec},
    }


@pytest.mark.parametrize("who", ["pod-studio", "admin"])
@pytest.mark.parametrize(("spec", "field"), SCHEDULING_PRIVILEGES)
def test_a_learner_pod_cannot_take_scheduling_privileges_whoever_sends_it(
    identity, admin, namespaces, who, spec, field
):
    namespace = namespaces.new()
    client = identity if who == "pod-studio" else admin
    # Straight to the API server, past Pod Studio's own check.
    answer = client.request(
        "POST", f"/api/v1/namespaces/{namespace}/pods", body=privileged_pod(spec)
    )
    assert answer.status == 403
    assert POLICY_PODS in answer.body["message"]
    assert f"denied request: {field}: " in answer.body["message"]
    result = actions.interpret("apply", answer, privileged_pod(spec))
    assert [(e.path, e.reason) for e in result.errors] == [(field, "Policy")]
    assert admin.request("GET", f"/api/v1/namespaces/{namespace}/pods/vip").status == 404


def test_outside_learner_namespaces_the_pod_policy_does_not_apply(admin, outsider):
    answer = admin.request(
        "POST",
        f"/api/v1/namespaces/{outsider}/pods",
        query={"dryRun": "All"},
        body=privileged_pod({"nodeName": "small-node"}),
    )
    assert answer.ok, answer.body
