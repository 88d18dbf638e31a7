"""POST /api/v1/analyze and /api/v1/normalize: the CLI's contract over HTTP."""

import json

import pytest

from podstudio.engine.yamlio import load_manifest
from tests.conftest import SEED

NGINX = (SEED / "nginx-pod.yaml").read_text()


@pytest.fixture
def post(client):
    def _post(url, body, content_type="application/yaml"):
        return client.post(url, data=body, content_type=content_type)

    return _post


def test_analyze_yaml_body(post):
    response = post("/api/v1/analyze", NGINX)
    assert response.status_code == 200
    report = response.json()
    assert report["valid"] is True
    assert report["qos"]["class"] == "BestEffort"
    assert set(report) == {"valid", "errors", "qos", "pss", "findings", "notes"}


def test_analyze_json_body(post):
    response = post("/api/v1/analyze", json.dumps(load_manifest(NGINX)), "application/json")
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_analyze_reports_errors_of_a_rejected_pod_with_200(post):
    pod = load_manifest(NGINX)
    pod["spec"]["containers"][0]["ports"][0]["containerPort"] = 0
    response = post("/api/v1/analyze", json.dumps(pod), "application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["errors"][0]["path"] == "spec.containers[0].ports[0].containerPort"


def test_analyze_with_a_kubernetes_version(client):
    response = client.post(
        "/api/v1/analyze?k8s_version=1.30", data=NGINX, content_type="application/yaml"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("", "empty"),
        ("a: [\n", "line"),
        ("kind: Pod\nspec:\n  terminationGracePeriodSeconds: .inf\n", "unsupported value: +Inf"),
        ("kind: Pod\n" + "#" * (1024 * 1024 + 10), "larger than"),
        ("kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n", "YAML only once rendered"),
        # JSON nested past Python's own limit: a 6 KB body, refused like one 65 levels deep.
        ('{"a":' * 1000 + "1" + "}" * 1000, "nesting is deeper than 64 levels"),
        ('{"a": "\\ud83d\\ude80", "b":' + "[" * 1000 + "]" * 1000 + "}", "line 1, column"),
    ],
)
def test_unreadable_input_is_400_with_a_json_error(post, body, fragment):
    response = post("/api/v1/analyze", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["error"]


def test_unknown_kubernetes_version_is_400(client):
    response = client.post("/api/v1/analyze?k8s_version=2.0", data=NGINX, content_type="text/yaml")
    assert response.status_code == 400
    assert "2.0" in response.json()["error"]


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
def test_a_compressed_body_is_415_not_a_file_that_is_not_text(client, endpoint):
    import gzip

    body = gzip.compress(NGINX.encode() if isinstance(NGINX, str) else NGINX)
    response = client.post(
        endpoint, body, content_type="application/yaml", HTTP_CONTENT_ENCODING="gzip"
    )
    assert response.status_code == 415
    assert "Content-Encoding 'gzip'" in response.json()["error"]


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
def test_a_form_upload_is_415_saying_how_to_send_the_file(client, endpoint):
    """`curl -F file=@pod.yaml` wraps the file in a form: read as YAML, its boundary lines
    were reported as the manifest's first reading error."""
    from io import BytesIO

    upload = BytesIO(NGINX.encode() if isinstance(NGINX, str) else NGINX)
    upload.name = "pod.yaml"
    response = client.post(endpoint, {"file": upload})  # multipart/form-data, as curl -F
    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    assert "curl --data-binary @pod.yaml" in response.json()["error"]


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
@pytest.mark.parametrize("version", ["1." + "9" * 5000, "x" * 5000])
def test_a_version_of_thousands_of_characters_is_a_short_400(client, endpoint, version):
    """Its digits were given to int() (past 4,300 a server error), and it was said back whole."""
    response = client.post(f"{endpoint}?k8s_version={version}", NGINX, content_type="text/yaml")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("unknown Kubernetes version") and len(error) < 200


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_method_than_post_is_405_with_a_json_error(client, endpoint, method):
    response = getattr(client, method)(endpoint)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("use POST")


def test_api_needs_no_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/v1/analyze", data=NGINX, content_type="application/yaml")
    assert response.status_code == 200


@pytest.mark.parametrize("path", sorted(SEED.glob("*.yaml")), ids=lambda p: p.stem)
def test_normalize_returns_canonical_yaml_equal_as_data(post, path):
    response = post("/api/v1/normalize", path.read_text())
    assert response.status_code == 200
    body = response.json()
    assert load_manifest(body["yaml"]) == load_manifest(path.read_text())
    assert body["valid"] is True and body["errors"] == []


def test_normalize_unreadable_is_400(post):
    response = post("/api/v1/normalize", "- not a pod\n")
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_pod_of_thousands_of_containers_gets_an_answer_of_bounded_size(post):
    """Each container makes its findings: 1,500 privileged ones make about 20,000. The answer
    lists the first 200 of each list and says how many there were; the verdict counts all."""
    containers = [
        {"name": f"c{n}", "image": "nginx:1.27", "securityContext": {"privileged": True}}
        for n in range(1500)
    ]
    containers.append({"name": "c0", "image": "nginx:1.27"})  # one name twice: refused
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "many"}}
    pod["spec"] = {"containers": containers}
    response = post("/api/v1/analyze", json.dumps(pod), "application/json")
    assert response.status_code == 200
    assert len(response.content) < 400_000
    report = response.json()
    assert report["valid"] is False and report["pss"]["level"] == "privileged"
    assert len(report["findings"]) == 200 and len(report["pss"]["violations"]) == 200
    assert report["truncated"]["findings"] > 10_000
    assert report["truncated"]["violations"] >= 1500
    assert "errors" not in report["truncated"]  # one error: listed whole
    assert [error["path"] for error in report["errors"]] == ["spec.containers[1500].name"]


def test_a_file_of_hundreds_of_documents_gets_an_answer_of_bounded_size(post):
    """500 documents of privileged Pods once made an answer of 57 MB from 1 MB: the lists of
    one answer hold 2,000 entries in all, later documents say only how many they have."""
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{n}\nspec:\n  hostNetwork: true\n"
        "  containers:\n"
        + "".join(
            f"  - name: c{index}\n    image: nginx:1.27\n"
            "    securityContext: {privileged: true}\n"
            for index in range(10)
        )
    )
    text = "---\n".join(pod.replace("{n}", str(number)) for number in range(300))
    response = post("/api/v1/analyze", text)
    assert response.status_code == 200
    assert len(response.content) < 3_000_000
    documents = response.json()["documents"]
    assert len(documents) == 300
    assert all(document["pss"]["level"] == "privileged" for document in documents)
    listed = sum(len(d["findings"]) + len(d["pss"]["violations"]) for d in documents)
    assert listed <= 2000
    last = documents[-1]
    assert last["findings"] == [] and last["truncated"]["findings"] > 10


def test_normalize_lists_at_most_200_errors(post):
    containers = "".join("  - name: c\n    image: nginx:1.27\n" for _ in range(300))
    text = f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{containers}"
    answer = post("/api/v1/normalize", text).json()
    assert answer["valid"] is False
    assert len(answer["errors"]) == 200 and answer["truncated"]["errors"] == 299


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/api/v1/analyze/", "/api/v1/analyze has no trailing slash"),
        ("/api/v2/analyze", "the API has POST /api/v1/analyze and POST /api/v1/normalize"),
        ("/api/", "the API has POST"),
    ],
)
def test_an_unknown_api_path_is_a_json_404(post, path, fragment):
    response = post(path, NGINX)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["error"]
