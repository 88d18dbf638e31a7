"""Whatever shape a manifest has, analysis answers with errors instead of raising."""

import copy
import json
import logging
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podstudio.engine.analyze import analyze
from podstudio.engine.defaults import apply_defaults
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import ManifestError, load_manifest
from tests.conftest import POD_FILES
from tests.sandbox.podgen import JUNK, built_pod

PODS = [load_manifest(path.read_text()) for path in POD_FILES]

junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["", "-1", "1e400", "NaN", "Always", "ALL", "0"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


class _Crashes(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        if record.exc_info:
            self.records.append(record)


@contextmanager
def no_rule_crashes():
    """validate_pod logs a crashing rule and answers anyway; here a crash fails the test."""
    handler = _Crashes()
    engine_logger = logging.getLogger("podstudio.engine")
    engine_logger.addHandler(handler)
    try:
        yield
    finally:
        engine_logger.removeHandler(handler)
    assert not handler.records, handler.format(handler.records[0])


def _replace(pod, keys, value):
    if not keys:
        return value
    target = pod
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return pod


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_field_replaced_by_junk_never_crashes(data):
    pod = copy.deepcopy(data.draw(st.sampled_from(PODS)))
    paths = [p for p in _paths(pod) if p]
    keys = data.draw(st.sampled_from(paths))
    mutated = _replace(pod, list(keys), data.draw(junk))
    if not isinstance(mutated, dict):
        return
    with no_rule_crashes():
        report = analyze(mutated).to_dict()
    json.dumps(report)  # JSON-ready
    assert report["qos"]["class"] in ("BestEffort", "Burstable", "Guaranteed")
    assert report["pss"]["level"] in ("privileged", "baseline", "restricted")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(pod=st.one_of(built_pod(False), built_pod(True)), data=st.data())
def test_every_rule_reads_a_value_of_another_type_without_crashing(pod, data):
    # Pods of the differential test, a few fields each given every junk value in turn (a dict
    # where a name belongs once made a set of names unhashable).
    leaves = [keys for keys in _paths(pod) if len(keys) > 1]
    for keys in data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=6, unique=True)):
        for value in JUNK:
            mutated = _replace(copy.deepcopy(pod), list(keys), copy.deepcopy(value))
            with no_rule_crashes():
                analyze(mutated)


@pytest.mark.parametrize(
    "pod",
    [
        {  # two host ports, one with a mapping for hostIP
            "spec": {
                "containers": [
                    {"name": "a", "image": "b", "ports": [{"containerPort": 80, "hostPort": 80}]},
                    {
                        "name": "c",
                        "image": "b",
                        "ports": [{"containerPort": 80, "hostPort": 80, "hostIP": {"a": 1}}],
                    },
                ]
            }
        },
        {  # an AppArmor annotation next to a container whose name is a list
            "metadata": {
                "name": "x",
                "annotations": {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"},
            },
            "spec": {"containers": [{"name": ["a"], "image": "b"}]},
        },
    ],
    ids=["host-ip-mapping", "container-name-list"],
)
def test_rules_that_collect_values_skip_unhashable_ones(pod):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, **pod}
    with no_rule_crashes():
        report = analyze(pod)
    assert not report.valid


WRONG_TYPES = [
    ("spec", "containers"),
    ("spec", 42),
    ("spec", {"containers": "nginx"}),
    ("spec", {"containers": [None, 1, "x"]}),
    ("spec", {"containers": [{"name": ["a"], "image": {"x": 1}}]}),
    ("spec", {"containers": [{"name": "a", "image": "b", "resources": "lots"}]}),
    ("spec", {"containers": [{"name": "a", "image": "b", "resources": {"limits": [1]}}]}),
    ("spec", {"containers": [{"name": "a", "image": "b", "securityContext": True}]}),
    ("spec", {"containers": [{"name": "a", "image": "b", "ports": {"containerPort": 80}}]}),
    ("metadata", ["name", "x"]),
    (
        "spec",
        {
            "containers": [{"name": "a", "image": "b"}],
            "securityContext": {"sysctls": [{"name": ["x"]}]},
        },
    ),
]


@pytest.mark.parametrize(("field", "value"), WRONG_TYPES, ids=lambda v: repr(v)[:40])
def test_wrong_types_are_reported_as_errors_at_their_path(field, value):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, field: value}
    report = analyze(pod)
    assert not report.valid
    assert any(error.path.startswith(field) for error in report.errors)


# --- crashes found by fuzzing the engine (issue 8), each now an answer ---------------------------

POD_WITH = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n{spec}  containers:\n"
    "  - name: a\n    image: b\n{container}"
)


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", ".NaN", "+.Inf"])
def test_a_non_finite_grace_period_is_unreadable_as_kubectl_finds_it(number):
    # sigs.k8s.io/yaml cannot write a non-finite float as JSON: kubectl and the API server
    # refuse the whole file ("json: unsupported value: +Inf"), so nothing reaches storage.
    text = POD_WITH.format(spec=f"  terminationGracePeriodSeconds: {number}\n", container="")
    with pytest.raises(ManifestError, match=r"line 6, column 34: .* JSON cannot hold"):
        load_manifest(text)


def test_a_quoted_infinity_is_text_and_a_field_error():
    text = POD_WITH.format(spec="  terminationGracePeriodSeconds: '.inf'\n", container="")
    report = analyze(load_manifest(text))
    assert [error.path for error in report.errors] == ["spec.terminationGracePeriodSeconds"]


@pytest.mark.parametrize("tag", ["!!map", "!!seq", "!!set", "!custom"])
def test_a_collection_tag_on_a_scalar_reads_as_text(tag):
    # go-yaml v2 keeps the text of a scalar whose tag it does not resolve: "!!map 500m" is the
    # string "500m" for kubectl and the API server, so the Pod is what it says.
    text = POD_WITH.format(
        spec="", container=f"    resources:\n      limits:\n        cpu: {tag} 500m\n"
    )
    manifest = load_manifest(text)
    assert manifest["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "500m"
    assert analyze(manifest).valid
    assert "cpu: 500m" in dump_manifest(manifest)


def test_a_collection_tag_where_a_mapping_belongs_is_a_field_error():
    text = POD_WITH.format(spec="", container="    resources: !!map limits\n")
    report = analyze(load_manifest(text))
    assert [error.path for error in report.errors] == ["spec.containers[0].resources"]


@pytest.mark.parametrize(
    "quantity", ["1" * 4301, f"'{'1' * 4301}'", "1" * 4301 + "Mi", f"'0.{'1' * 4301}'"]
)
def test_a_quantity_of_thousands_of_digits_gets_the_servers_answer(quantity):
    # The API server accepts these (checked in the sandbox: the Pod is Guaranteed); Python's
    # int() refuses more than 4300 digits, so the engine never goes through int().
    limits = f"    resources:\n      limits:\n        cpu: {quantity}\n        memory: {quantity}\n"
    manifest = load_manifest(POD_WITH.format(spec="", container=limits))
    report = analyze(manifest)
    assert report.valid and report.qos.qos_class == "Guaranteed"
    assert load_manifest(dump_manifest(manifest)) == manifest
    apply_defaults(manifest)


LONG = "9" * 5000  # past the 4,300 digits Python's int() reads


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("spec", "schedule"), f"0 0 {LONG} * *", "value out of range"),
        (("spec", "schedule"), f"*/{LONG} * * * *", "value out of range"),
        (("spec", "schedule"), f"1-{LONG} * * * *", "value out of range"),
        # Go's Atoi reads ASCII digits only: Arabic-Indic and full-width digits are no number.
        (("spec", "schedule"), "٣ ٢ * * *", "invalid syntax"),
        (("spec", "schedule"), "0 0 ３ * *", "invalid syntax"),
    ],
)
def test_a_cron_field_go_cannot_read_as_an_int_is_the_servers_error(path, value, message):
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "nightly"},
        "spec": {
            "schedule": value,
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "Never",
                            "containers": [{"name": "job", "image": "busybox:1.36"}],
                        }
                    }
                }
            },
        },
    }
    with no_rule_crashes():
        report = analyze(cronjob)
    assert not report.valid
    assert [e.path for e in report.errors] == ["spec.schedule"]
    assert message in report.errors[0].message


def test_a_percentage_or_deletion_cost_of_thousands_of_digits_is_an_error_not_a_crash():
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            # Go's Atoi gives its largest int for these: over 100% (a surge may be, as here).
            "strategy": {"rollingUpdate": {"maxSurge": f"{LONG}%", "maxUnavailable": f"{LONG}%"}},
            "template": {
                "metadata": {
                    "labels": {"app": "web"},
                    "annotations": {"controller.kubernetes.io/pod-deletion-cost": f"-{LONG}"},
                },
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }
    with no_rule_crashes():
        report = analyze(deployment)
    messages = {error.path: error.message for error in report.errors}
    assert "spec.strategy.rollingUpdate.maxSurge" not in messages
    unavailable = messages["spec.strategy.rollingUpdate.maxUnavailable"]
    assert "must not be greater than 100%" in unavailable
    # (at the path the API server gives: it leaves "metadata" out of a template's annotations)
    cost = "spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]"
    assert "must be a 32bit integer" in messages[cost]


def test_an_error_about_a_huge_value_is_a_line_of_bounded_length():
    """A quantity of 900,000 digits is named in its error: cut short, not echoed whole."""
    from podstudio.engine.analyze import MAX_MESSAGE

    container = {"name": "c", "image": "nginx:1.27"}
    container["resources"] = {"requests": {"cpu": "9" * 900_000}, "limits": {"cpu": "1"}}
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}
    manifest["spec"] = {"containers": [container]}
    errors = analyze(manifest).errors
    assert [error.path for error in errors] == ["spec.containers[0].resources.requests"]
    message = errors[0].message
    assert message.startswith("9999") and "…" in message  # and the reason, at its end:
    assert message.endswith("must be less than or equal to cpu limit of 1")
    assert len(message) == MAX_MESSAGE + 1
