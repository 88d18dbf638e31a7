"""Sandbox namespaces of a classroom: labelled with its code, listed for the instructor with
each learner's Pods, and deleted together (from the page or ``podstudio sandbox gc``)."""

import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from classrooms import actions as class_actions
from classrooms import sandbox as class_sandbox
from classrooms.models import Member
from lessons.models import Learner
from podstudio.cli import main
from podstudio.engine.yamldump import dump_manifest
from podstudio.sandbox import namespaces as learner_namespaces
from tests.sandbox.conftest import remove_namespace

HTMX = {"HTTP_HX_REQUEST": "true"}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "class-pod"},
    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
}


ITEMS = [{"kind": "exercise", "slug": "first-pod"}]


def joined(classroom, name: str) -> tuple[Client, Member]:
    client = Client()
    client.post(reverse("classrooms:join"), {"code": classroom.code, "name": name})
    return client, Member.objects.get(classroom=classroom, name=name)


@pytest.fixture
def classroom(db, django_user_model, admin):
    user = django_user_model.objects.create_user(f"ines-{uuid.uuid4().hex[:6]}", is_staff=True)
    made = class_actions.create_classroom(title="Sandbox class", instructor=user, items=ITEMS)
    made.test_user = user
    yield made
    for key in Learner.objects.filter(memberships__classroom=made).values_list("key", flat=True):
        remove_namespace(admin, learner_namespaces.namespace_for(key))


def _labels(cluster, namespace: str) -> dict:
    return cluster.request("GET", f"/api/v1/namespaces/{namespace}").body["metadata"]["labels"]


@pytest.mark.sandbox
def test_a_learner_in_a_classroom_gets_a_namespace_labelled_with_it(cluster, classroom):
    client, member = joined(classroom, "Ada")
    response = client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    assert "accepted" in response.content.decode()
    namespace = learner_namespaces.namespace_for(member.learner.key)
    labels = _labels(cluster, namespace)
    assert labels[learner_namespaces.CLASSROOM_LABEL] == classroom.code
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"  # guard rails kept


@pytest.mark.sandbox
def test_after_leaving_this_browser_runs_pods_in_a_namespace_outside_the_class(cluster, classroom):
    """Leaving a running class forgets the learner in this browser: whoever applies next does
    so as someone else, in a namespace of their own that the class does not see."""
    client, member = joined(classroom, "Ada")
    client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    namespace = learner_namespaces.namespace_for(member.learner.key)
    client.post(reverse("classrooms:leave"))
    response = client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    assert "accepted" in response.content.decode()
    next_one = Learner.objects.get(pk=client.session["lessons_learner_id"])
    elsewhere = learner_namespaces.namespace_for(next_one.key)
    try:
        assert elsewhere != namespace
        assert learner_namespaces.CLASSROOM_LABEL not in _labels(cluster, elsewhere)
        assert labels_kept(_labels(cluster, elsewhere))
        found = class_sandbox.classroom_namespaces(classroom.code, cluster=cluster)
        assert found == [namespace]  # Ada's work in the class stays the class's
    finally:
        remove_namespace(cluster_admin(), elsewhere)


@pytest.mark.sandbox
def test_pods_applied_after_the_end_are_the_learners_own(cluster, classroom):
    """After the end the namespace loses the class's label at the next apply, and neither the
    class's sandbox page nor the learner's page shows its Pods to the instructor."""
    client, member = joined(classroom, "Ada")
    client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    namespace = learner_namespaces.namespace_for(member.learner.key)
    class_actions.end_classroom(classroom=classroom)
    own = {**POD, "metadata": {"name": "own-pod"}}
    response = client.post("/sandbox/apply", {"manifest": dump_manifest(own)}, **HTMX)
    assert "accepted" in response.content.decode()
    assert learner_namespaces.CLASSROOM_LABEL not in _labels(cluster, namespace)
    assert labels_kept(_labels(cluster, namespace))
    instructor = Client()
    instructor.force_login(classroom.test_user)
    page = instructor.get(reverse("classrooms:sandbox", args=[classroom.code]))
    assert namespace not in page.content.decode()
    assert namespace not in class_sandbox.classroom_namespaces(classroom.code, cluster=cluster)
    learner_page = instructor.get(
        reverse("classrooms:learner", args=[classroom.code, member.pk])
    ).content.decode()
    assert "own-pod" not in learner_page and "class-pod" not in learner_page
    assert "Their namespace is not this class's: they last used the sandbox outside it" in (
        learner_page
    )


@pytest.mark.sandbox
def test_a_learner_taken_out_of_the_class_takes_their_namespace_along(cluster, classroom):
    """Removed, then in another class: the first instructor still listed Bob's Pods and her
    "Delete all" deleted them while he worked in the other class."""
    client, member = joined(classroom, "Bob")
    client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    namespace = learner_namespaces.namespace_for(member.learner.key)
    assert class_sandbox.classroom_namespaces(classroom.code, cluster=cluster) == [namespace]
    instructor = Client()
    instructor.force_login(classroom.test_user)
    instructor.post(reverse("classrooms:remove-learner", args=[classroom.code, member.pk]))
    assert learner_namespaces.CLASSROOM_LABEL not in _labels(cluster, namespace)
    assert labels_kept(_labels(cluster, namespace))
    page = instructor.get(reverse("classrooms:sandbox", args=[classroom.code])).content.decode()
    assert "class-pod" not in page and namespace not in page
    instructor.post(reverse("classrooms:sandbox", args=[classroom.code]))  # Delete all
    phase = cluster.request("GET", f"/api/v1/namespaces/{namespace}").body["status"]["phase"]
    assert phase == "Active"


def cluster_admin():
    from tests.sandbox.conftest import admin_cluster

    return admin_cluster()


def labels_kept(labels: dict) -> bool:
    return labels["pod-security.kubernetes.io/warn"] == "restricted" and (
        labels[learner_namespaces.MANAGED_BY_LABEL] == learner_namespaces.MANAGED_BY
    )


@pytest.mark.sandbox
def test_the_instructor_sees_each_learners_pods_and_deletes_them_all(cluster, admin, classroom):
    ada, ada_member = joined(classroom, "Ada")
    bo, _ = joined(classroom, "Bo")
    for client in (ada, bo):
        client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    outsider = Client()
    outsider.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    instructor = Client()
    instructor.force_login(classroom.test_user)
    page = instructor.get(reverse("classrooms:sandbox", args=[classroom.code])).content.decode()
    assert "Ada" in page and "Bo" in page and page.count("class-pod") >= 2
    detail = instructor.get(reverse("classrooms:learner", args=[classroom.code, ada_member.pk]))
    assert "class-pod" in detail.content.decode()
    deleted = instructor.post(reverse("classrooms:sandbox", args=[classroom.code]), follow=True)
    # Back by GET (a reload deletes nothing more), the deleted namespaces no longer listed.
    assert deleted.redirect_chain[-1][1] == 302
    after = deleted.content.decode()
    assert "2 namespaces deleted" in after and "class-pod" not in after
    outsider_key = Learner.objects.get(pk=outsider.session["lessons_learner_id"]).key
    outside = learner_namespaces.namespace_for(outsider_key)
    try:
        phase = cluster.request("GET", f"/api/v1/namespaces/{outside}").body["status"]["phase"]
        assert phase == "Active"  # a learner outside the class keeps theirs
    finally:
        remove_namespace(admin, outside)


@pytest.mark.sandbox
def test_gc_with_a_classroom_deletes_its_namespaces_even_when_active(
    cluster, classroom, namespaces
):
    client, member = joined(classroom, "Cy")
    client.post("/sandbox/apply", {"manifest": dump_manifest(POD)}, **HTMX)
    other = namespaces.new()  # recently active, no classroom
    out = io.StringIO()
    assert main(["sandbox", "gc", "--classroom", classroom.code.lower()], stdout=out) == 0
    mine = learner_namespaces.namespace_for(member.learner.key)
    assert f"deleted {mine}\n" in out.getvalue()
    assert other not in out.getvalue()
    assert f"1 namespace(s) of classroom {classroom.code} deleted" in out.getvalue()


def test_gc_refuses_a_classroom_that_is_not_a_code(capsys):
    assert main(["sandbox", "gc", "--classroom", "a,b=c"], stdout=io.StringIO()) == 2
    assert "is not a join code" in capsys.readouterr().err
