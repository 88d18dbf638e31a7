"""The kinds Pod Studio does not check, whose fields it reads as the API server decodes them: a
ConfigMap's ``PORT: 8080``, a Service's ``port: "80"``, a Secret's data that is no base64, an
Ingress in the old backend fields. The API server refuses such an object before it reads any
rule, so the CLI, the API and the builder say so; an object it can read stays "not checked".
(``tests/sandbox/test_other_kinds_agreement.py`` holds the engine to the API server.)"""

import json
from xml.etree import ElementTree

import pytest
import yaml

from podstudio.cli import main
from podstudio.engine.files import check_file, field_errors
from podstudio.engine.schema import DEFAULT_VERSION, SUPPORTED_VERSIONS
from podstudio.engine.schemasource import FIELD_CHECKED_KINDS
from tests.other_kinds import EXAMPLES

SERVICE_AND_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: debug
  PORT: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: "80"
    targetPort: 8080
"""


def _run(capsys, *args) -> tuple[int, str]:
    code = main(["analyze", *args])
    return code, capsys.readouterr().out


def test_every_kind_checked_for_its_fields_is_in_every_shipped_version():
    from podstudio.engine.schema import schema_data

    for version in SUPPORTED_VERSIONS:
        assert sorted(schema_data(version)["fields_only"]) == sorted(FIELD_CHECKED_KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_well_formed_object_of_each_kind_is_only_listed_as_not_checked(kind):
    result = check_file("k.yaml", yaml.safe_dump(EXAMPLES[kind][1]), DEFAULT_VERSION)
    (document,) = result.documents
    assert not document.checked
    assert document.note == f"not checked: Pod Studio checks Pods and workloads, not a {kind}"
    assert [problem.severity for problem in document.problems] == ["info"]


def test_a_number_in_a_config_map_and_text_in_a_service_port_fail_the_run_at_their_lines(
    tmp_path, capsys
):
    path = tmp_path / "app.yaml"
    path.write_text(SERVICE_AND_CONFIG)
    code, out = _run(capsys, str(path))
    assert code == 1
    assert (
        f"{path}:7: error: ConfigMap settings: Kubernetes would refuse it: data[PORT]: must be "
        "a string, got the number 8080 (put it in quotes: YAML reads it as a number)"
    ) in out
    assert (
        f"{path}:17: error: Service web: Kubernetes would refuse it: spec.ports[0].port: must "
        'be an integer, got the string "80" (without the quotes: 80)'
    ) in out
    assert "2 other objects not checked (2 Kubernetes would reject)" in out


def test_the_json_report_says_the_objects_are_not_valid(tmp_path, capsys):
    path = tmp_path / "app.yaml"
    path.write_text(SERVICE_AND_CONFIG)
    code, out = _run(capsys, "--format", "json", str(path))
    assert code == 1
    reports = json.loads(out)
    assert [(report["kind"], report["checked"], report["valid"]) for report in reports] == [
        ("ConfigMap", False, False),
        ("Service", False, False),
    ]
    assert reports[0]["note"].startswith("Kubernetes would refuse it: data[PORT]: must be")


def test_junit_says_kubernetes_would_reject_the_objects_it_refuses(tmp_path, capsys):
    path = tmp_path / "app.yaml"
    path.write_text(SERVICE_AND_CONFIG)
    code, out = _run(capsys, "--format", "junit", str(path))
    assert code == 1
    cases = ElementTree.fromstring(out).iter("testcase")
    failures = {case.get("name"): case.find("failure") for case in cases}
    assert failures["ConfigMap settings"].get("message") == "Kubernetes would reject it"
    assert failures["Service web"].get("message") == "Kubernetes would reject it"
    assert "spec.ports[0].port: must be an integer" in failures["Service web"].text


def test_a_secret_takes_base64_in_data_and_plain_text_in_string_data():
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"wrapped": "czNj\ncjN0", "padded": "YQ==", "empty": ""},
        "stringData": {"plain": "not base64 at all!"},
    }
    assert field_errors(secret, DEFAULT_VERSION) == []
    for written in ("s3cr3t", "YQ", "YQ==YQ==", "a b="):
        secret["data"] = {"password": written}
        (error,) = field_errors(secret, DEFAULT_VERSION)
        assert error.path == "data[password]"
        assert error.message == (
            "must be base64, which Kubernetes decodes (plain text goes in stringData)"
        )


def test_bytes_may_be_written_as_a_list_of_numbers_as_go_reads_them():
    """Go's JSON decoder takes ``[104, 105]`` for the bytes "hi": a Secret's data, a
    ConfigMap's binaryData. A number that is no byte is refused at its place in the list."""
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    for written in ([104, 105], [], [0, 255], [None]):
        assert field_errors({**config_map, "binaryData": {"k": written}}, DEFAULT_VERSION) == []
    for written, at in (([104, 256], 1), ([-1], 0)):
        (error,) = field_errors({**config_map, "binaryData": {"k": written}}, DEFAULT_VERSION)
        assert (error.path, error.message) == (
            f"binaryData[k][{at}]",
            "must be a number from 0 to 255 (one byte of a list of bytes)",
        )
    (error,) = field_errors({**config_map, "binaryData": {"k": ["h"]}}, DEFAULT_VERSION)
    assert error.path == "binaryData[k][0]"
    assert error.message.startswith("must be an integer")


def test_an_ingress_in_the_old_backend_fields_names_each_unknown_field():
    ingress = EXAMPLES["Ingress"][1]
    old = json.loads(json.dumps(ingress))
    rule = old["spec"]["rules"][0]["http"]["paths"][0]
    rule["backend"] = {"serviceName": "web", "servicePort": 80}
    said = {(error.path, error.message) for error in field_errors(old, DEFAULT_VERSION)}
    at = "spec.rules[0].http.paths[0].backend"
    assert (f"{at}.serviceName", 'unknown field "serviceName"') in said
    assert (f"{at}.servicePort", 'unknown field "servicePort"') in said


def test_a_kind_not_in_the_list_and_a_custom_resource_are_not_looked_at():
    odd = {"metadata": {"name": "x"}, "spec": {"anything": 1}, "whatever": [1, 2]}
    for api_version, kind in (("storage.k8s.io/v1", "StorageClass"), ("example.com/v1", "Web")):
        assert field_errors({"apiVersion": api_version, "kind": kind, **odd}, "1.37") == []
    # The same fields in a ConfigMap are refused.
    assert field_errors({"apiVersion": "v1", "kind": "ConfigMap", **odd}, "1.37")


def test_only_the_first_three_errors_are_said_in_the_line(tmp_path, capsys):
    data = "\n".join(f"  KEY_{number}: {number}" for number in range(5))
    path = tmp_path / "cm.yaml"
    path.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n{data}\n")
    code, out = _run(capsys, str(path))
    assert code == 1
    assert "data[KEY_2]: must be a string" in out
    assert "KEY_3" not in out
    assert "(and 2 more)" in out
