"""Objects of the kinds whose fields alone are checked (a ConfigMap, a Service, an Ingress...):
the engine says "Kubernetes would refuse it" exactly when the API server cannot decode the
object (a field of the wrong type, an unknown field, bytes that are no base64). The server is
the judge: each example, and each of 400 slips of them (``tests.other_kinds``), is sent as a
server-side dry run with strict field validation, as ``kubectl apply`` sends it."""

import uuid

import pytest

from podstudio.engine.files import field_errors
from podstudio.engine.schema import DEFAULT_VERSION
from tests.other_kinds import EXAMPLES, slipped
from tests.sandbox.conftest import remove_namespace

pytestmark = pytest.mark.sandbox

# How the API server words a refusal at decoding, before any validation rule runs.
DECODING = ("cannot be handled as", "strict decoding error", "unknown field")


@pytest.fixture
def namespace(admin):
    """A namespace of the admin's, without the quota of a learner's (no claims there)."""
    name = f"podstudio-other-kinds-{uuid.uuid4().hex[:8]}"
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    assert admin.request("POST", "/api/v1/namespaces", body=body).ok
    yield name
    remove_namespace(admin, name)


def _server_decodes(admin, namespace: str, path: str, document: dict) -> tuple[bool, str]:
    answer = admin.request(
        "POST",
        path.format(ns=namespace),
        query={"dryRun": "All", "fieldValidation": "Strict"},
        body=document,
    )
    message = "" if answer.ok else str(answer.body.get("message", answer.text))
    return not any(words in message for words in DECODING), message


def test_every_example_is_taken_by_the_api_server_and_by_the_engine(admin, namespace):
    for kind, (path, document) in EXAMPLES.items():
        answer = admin.request(
            "POST", path.format(ns=namespace), query={"dryRun": "All"}, body=document
        )
        assert answer.ok, (kind, answer.text)
        assert field_errors(document, DEFAULT_VERSION) == [], kind


def test_the_engine_refuses_exactly_the_slips_the_api_server_cannot_decode(admin, namespace):
    disagreements, refused = [], 0
    for seed in range(400):
        path, document = slipped(seed)
        decoded, message = _server_decodes(admin, namespace, path, document)
        errors = field_errors(document, DEFAULT_VERSION)
        refused += not decoded
        if bool(errors) == decoded:
            said = [f"{error.path}: {error.message}" for error in errors]
            disagreements.append((seed, document, said, message))
    assert not disagreements, disagreements[:5]
    assert 100 < refused < 350  # the slips reach both sides of the line


@pytest.mark.parametrize(
    "written", [[104, 105], [], [0, 255], [None], [256], [-1], ["h"], [[1]], [True], 5]
)
def test_bytes_as_a_list_of_numbers_are_read_as_the_api_server_reads_them(
    admin, namespace, written
):
    for path, document in (
        ("/api/v1/namespaces/{ns}/secrets", {"kind": "Secret", "data": {"k": written}}),
        ("/api/v1/namespaces/{ns}/configmaps", {"kind": "ConfigMap", "binaryData": {"k": written}}),
    ):
        document = {"apiVersion": "v1", "metadata": {"name": "bytes"}, **document}
        decoded, message = _server_decodes(admin, namespace, path, document)
        errors = field_errors(document, DEFAULT_VERSION)
        assert decoded == (errors == []), (document, errors, message)
