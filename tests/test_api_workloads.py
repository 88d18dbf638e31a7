"""The JSON API takes workloads as it takes Pods, and analyze takes files of several documents."""

import pytest

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", ports: [{containerPort: 70000}]}
---
"""


def test_analyze_a_deployment_reports_at_the_templates_paths(client):
    response = client.post("/api/v1/analyze", data=DEPLOYMENT, content_type="application/yaml")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["errors"][0]["path"] == "spec.template.spec.containers[0].ports[0].containerPort"
    assert body["qos"]["class"] == "BestEffort"
    assert all(v["path"].startswith("spec.template.spec.") for v in body["pss"]["violations"])


def test_normalize_a_deployment(client):
    response = client.post("/api/v1/normalize", data=DEPLOYMENT, content_type="application/yaml")
    assert response.status_code == 200
    assert response.json()["yaml"].startswith("apiVersion: apps/v1\nkind: Deployment\n")
    assert response.json()["valid"] is False


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("- 1\n", "not a list"),
        ("metadata: {name: x}\n", "no kind"),
    ],
)
def test_what_the_api_cannot_analyze_is_a_400_with_a_reason(client, body, fragment):
    response = client.post("/api/v1/analyze", data=body, content_type="application/yaml")
    assert response.status_code == 400
    assert fragment in response.json()["error"]


SERVICE = (
    "# in front\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
    "spec: {ports: [{port: 80}]}\n"
)


def test_analyze_a_file_of_several_documents_reports_each_with_its_line(client):
    body = f"{SERVICE}---\n{DEPLOYMENT}apiVersion: v1\nkind: Secret\nstringData: {{t: {{{{T}}}}}}\n"
    response = client.post("/api/v1/analyze", data=body, content_type="application/yaml")
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is False
    service, deployment, secret = answer["documents"]
    assert (service["kind"], service["checked"], service["valid"]) == ("Service", False, True)
    assert "not checked" in service["note"]
    assert (deployment["kind"], deployment["name"], deployment["line"]) == ("Deployment", "web", 7)
    error = deployment["errors"][0]
    assert error["path"] == "spec.template.spec.containers[0].ports[0].containerPort"
    assert error["line"] == 16
    assert secret["valid"] is False and "a mapping key must be" in secret["error"]


def test_normalize_still_takes_one_object(client):
    response = client.post(
        "/api/v1/normalize", data=DEPLOYMENT + DEPLOYMENT, content_type="application/yaml"
    )
    assert response.status_code == 400
    assert "give one object at a time" in response.json()["error"]
    # Two JSON objects one after another are two documents too, as kubectl reads them.
    stream = '{"apiVersion": "v1", "kind": "Pod"}\n{"apiVersion": "v1", "kind": "Pod"}\n'
    response = client.post("/api/v1/normalize", data=stream, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("found 2 documents (line 2 starts the second)")


def test_a_file_of_more_documents_than_a_request_may_check_is_refused_before_checking(client):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}\n"
    response = client.post(
        "/api/v1/analyze", data="---\n".join([pod] * 501), content_type="application/yaml"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "the file has more than 500 documents"
    response = client.post(
        "/api/v1/analyze", data="---\n".join([pod] * 500), content_type="application/yaml"
    )
    assert response.status_code == 200 and len(response.json()["documents"]) == 500


def test_the_items_of_a_list_count_against_the_documents_a_request_may_check(client):
    item = "- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a}]}}\n"
    head = "apiVersion: v1\nkind: List\nitems:\n"
    response = client.post(
        "/api/v1/analyze", data=head + item * 501, content_type="application/yaml"
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("the file has more than 500 documents")
    response = client.post("/api/v1/analyze", data=head + item * 2, content_type="application/yaml")
    answer = response.json()
    assert [(doc["item"], doc["kind"], doc["line"]) for doc in answer["documents"]] == [
        (0, "Pod", 4),
        (1, "Pod", 5),
    ]
    assert answer["valid"] is False  # the container has no image


@pytest.mark.parametrize(
    ("body", "kind", "valid", "note"),
    [
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
            "ConfigMap",
            True,
            "not a ConfigMap",
        ),
        (
            "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: j}\n",
            "Job",
            True,
            "is a custom resource",
        ),
        ("apiVersion: v1\nkind: pod\nmetadata: {name: p}\n", "pod", False, "did you mean Pod?"),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {PORT: 8080}\n",
            "ConfigMap",
            False,
            "Kubernetes would refuse it: data[PORT]: must be a string, got the number 8080",
        ),
    ],
)
def test_one_document_of_another_kind_is_reported_not_checked_as_in_a_file(
    client, body, kind, valid, note
):
    """A lone Service was a 400 while a Service beside a Pod was "not checked": the same answer
    now, as the command line gives."""
    response = client.post("/api/v1/analyze", data=body, content_type="application/yaml")
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is valid
    [document] = answer["documents"]
    assert (document["kind"], document["checked"], document["valid"]) == (kind, False, valid)
    assert note in document["note"]


def test_normalize_still_needs_a_pod_or_workload(client):
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    response = client.post("/api/v1/normalize", data=body, content_type="application/yaml")
    assert response.status_code == 400
    assert "ConfigMap: Pod Studio checks Pods and workloads" in response.json()["error"]
