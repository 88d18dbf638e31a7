"""Workloads in the sandbox: a Deployment applied from the builder gets its ReplicaSet and its
Pods on the fake nodes, shown in the live status; delete takes them all away.

Needs a sandbox whose controller manager runs the workload controllers (sandbox/start.sh)."""

import copy

import pytest

from lessons.models import Learner
from lessons.progress import SESSION_KEY
from podstudio.builder.models import Design
from podstudio.engine.kinds import wrap
from podstudio.sandbox import workloads
from podstudio.sandbox.namespaces import namespace_for
from tests.sandbox import test_views
from tests.sandbox.test_views import HTMX, wait_for

learner = test_views.learner  # the fixture: a browser session whose namespace goes afterwards

pytestmark = pytest.mark.sandbox

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "shop", "labels": {"app": "shop"}},
    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
}


def _status(browser, design: Design) -> str:
    return browser.get(f"/sandbox/status?design={design.slug}", **HTMX).content.decode()


def test_a_deployment_applied_from_the_builder_shows_its_replica_set_and_pods(learner):
    browser = learner()
    deployment = wrap(copy.deepcopy(POD), "Deployment")
    deployment["spec"]["replicas"] = 3
    design = Design.objects.create(manifest=deployment)
    html = browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    assert "The API server accepted Deployment shop" in html
    assert "PodSecurity" in html or "Pod Security" in html  # warn=restricted, as warnings

    def three_running():
        page = _status(browser, design)
        # The controllers count the Pods ready a moment after the kubelet reports them Running.
        settled = page.count("Running, 1/1 containers ready") == 3 and "3/3 Pods ready" in page
        return page if settled else ""

    page = wait_for(three_running, timeout=40)
    assert page, _status(browser, design)
    assert "ReplicaSet" in page
    assert any(node in page for node in ("ssd-node", "small-node"))

    html = browser.post("/sandbox/delete", {"design": design.slug}, **HTMX).content.decode()
    assert "Deployment shop is being deleted" in html
    gone = wait_for(lambda: "is not in your sandbox namespace" in _status(browser, design), 30)
    assert gone


def test_a_job_runs_its_pods(learner):
    browser = learner()
    job = wrap(copy.deepcopy(POD), "Job")
    job["metadata"]["name"] = "report"
    design = Design.objects.create(manifest=job)
    html = browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    assert "accepted Job report" in html
    page = wait_for(lambda: "report-" in (text := _status(browser, design)) and text, 40)
    assert page and "Pod" in page


def test_a_workload_the_api_server_refuses_says_where(learner):
    browser = learner()
    deployment = wrap(copy.deepcopy(POD), "Deployment")
    deployment["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    design = Design.objects.create(manifest=deployment)
    html = browser.post("/sandbox/dry-run", {"design": design.slug}, **HTMX).content.decode()
    assert "spec.template.metadata.labels" in html
    assert "does not match" in html


def test_status_of_a_workload_that_is_not_there(learner):
    browser = learner()
    design = Design.objects.create(manifest=wrap(copy.deepcopy(POD), "StatefulSet"))
    browser.post("/sandbox/dry-run", {"design": design.slug}, **HTMX)
    assert "StatefulSet <code>shop</code> is not in your sandbox namespace" in _status(
        browser, design
    )


def test_delete_of_an_unknown_kind_is_refused_without_the_cluster():
    result = workloads.delete(kind_name="Secret", name="x", namespace="podstudio-x")
    assert not result.accepted and "not a workload" in result.message


@pytest.mark.parametrize("kind", ["Pod", "Job"])
def test_apply_of_an_object_with_only_generate_name_says_it_needs_a_name(learner, admin, kind):
    """Apply works by name (kubectl apply refuses generateName too): the panel says why it
    cannot apply, rather than that the API server would accept it, and nothing is made."""
    browser = learner()
    manifest = copy.deepcopy(POD) if kind == "Pod" else wrap(copy.deepcopy(POD), kind)
    del manifest["metadata"]["name"]
    manifest["metadata"]["generateName"] = "nightly-"
    design = Design.objects.create(manifest=manifest)
    html = browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    assert f"Not applied: this {kind} has no name" in html
    assert "metadata.name" in html and "kubectl create" in html
    assert "would accept" not in html.split("Apply needs a name")[0]
    namespace = namespace_for(Learner.objects.get(pk=browser.session[SESSION_KEY]).key)
    for collection in ("api/v1", "apis/batch/v1"):
        resource = "pods" if collection == "api/v1" else "jobs"
        answer = admin.request("GET", f"/{collection}/namespaces/{namespace}/{resource}")
        assert answer.body["items"] == []
    # The dry run still says the API server would take it.
    html = browser.post("/sandbox/dry-run", {"design": design.slug}, **HTMX).content.decode()
    assert f"would accept {kind} nightly-" in html


def test_a_cronjob_says_when_it_runs_next_on_its_own_clock(learner):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    browser = learner()
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    cronjob["metadata"]["name"] = "nightly"
    cronjob["spec"].update(schedule="30 4 * * *", timeZone="Asia/Tokyo")
    design = Design.objects.create(manifest=cronjob)
    html = browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    assert "accepted CronJob nightly" in html
    tokyo = datetime.now(ZoneInfo("Asia/Tokyo"))
    expected = tokyo.replace(hour=4, minute=30, second=0, microsecond=0)
    if expected <= tokyo:
        expected += timedelta(days=1)
    page = _status(browser, design)
    assert "<dt>Last run</dt><dd>not yet</dd>" in page
    instant = expected.astimezone(UTC).isoformat(timespec="seconds")
    assert f'<dt>Next run</dt><dd><time datetime="{instant}" data-clock="date">' in page

    cronjob["spec"]["suspend"] = True
    design.manifest = cronjob
    design.save()
    browser.post("/sandbox/apply", {"design": design.slug}, **HTMX)
    assert "<dt>Next run</dt><dd>none while suspended</dd>" in _status(browser, design)
    browser.post("/sandbox/delete", {"design": design.slug}, **HTMX)


def test_a_cronjob_lists_the_pods_of_its_jobs(learner, admin):
    """The live status listed a CronJob's Jobs, but not their Pods (nor so their nodes and
    logs), as a Deployment's lists its ReplicaSet's."""
    browser = learner()
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    cronjob["metadata"]["name"] = "nightly"
    cronjob["spec"]["schedule"] = "0 4 1 1 *"  # not during the test: its Job is made by hand
    design = Design.objects.create(manifest=cronjob)
    assert (
        "accepted CronJob nightly"
        in browser.post("/sandbox/apply", {"design": design.slug}, **HTMX).content.decode()
    )
    namespace = namespace_for(Learner.objects.get(pk=browser.session[SESSION_KEY]).key)
    made = admin.request("GET", f"/apis/batch/v1/namespaces/{namespace}/cronjobs/nightly").body
    # What `kubectl create job --from=cronjob/nightly` sends: the template, owned by the CronJob.
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "nightly-by-hand",
            "ownerReferences": [
                {
                    "apiVersion": "batch/v1",
                    "kind": "CronJob",
                    "name": "nightly",
                    "uid": made["metadata"]["uid"],
                    "controller": True,
                }
            ],
        },
        "spec": made["spec"]["jobTemplate"]["spec"],
    }
    assert admin.request("POST", f"/apis/batch/v1/namespaces/{namespace}/jobs", body=job).ok

    def listed():  # the Job's Pod, once the scheduler has put it on a node
        page = _status(browser, design)
        scheduled = any(node in page for node in ("ssd-node", "small-node", "backend-node"))
        return page if "nightly-by-hand" in page and "<td>Pod</td>" in page and scheduled else ""

    page = wait_for(listed, timeout=40)
    assert page, _status(browser, design)
    assert "<td>Job</td><td><code>nightly-by-hand</code>" in page
    browser.post("/sandbox/delete", {"design": design.slug}, **HTMX)


def test_a_pasted_deployment_applied_without_javascript_shows_its_own_status(learner):
    """The whole page after Apply (no JavaScript) showed the status of a Pod named as the
    Deployment ("Pod shop is not in your sandbox namespace"): the kind came from the form,
    which a pasted manifest does not fill."""
    from podstudio.engine.yamldump import dump_manifest

    browser = learner()
    deployment = wrap(copy.deepcopy(POD), "Deployment")
    html = browser.post("/sandbox/apply", {"manifest": dump_manifest(deployment)}).content.decode()
    assert "The API server accepted Deployment shop" in html
    assert 'href="/sandbox/status?pod=shop&amp;kind=Deployment"' in html
    assert "Pod shop is not in your sandbox namespace" not in html
