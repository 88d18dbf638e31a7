"""Whatever shape a manifest has, analysis answers with errors instead of raising."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import load_manifest
from tests.conftest import POD_FILES

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
    report = analyze(mutated).to_dict()
    json.dumps(report)  # JSON-ready
    assert report["qos"]["class"] in ("BestEffort", "Burstable", "Guaranteed")
    assert report["pss"]["level"] in ("privileged", "baseline", "restricted")


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
