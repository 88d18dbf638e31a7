"""Field paths in the builder's syntax, with items chosen by index or by name."""

import pytest

from podstudio.engine.pathedit import Edit, Match, PathError, apply, parse_path, unset
from podstudio.engine.paths import path_to_keys

POD = {
    "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {"containers": [{"name": "web", "image": "nginx"}, {"name": "log", "image": "b"}]},
}


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("spec.containers[0].image", ["spec", "containers", 0, "image"]),
        ("spec.containers[name=web].image", ["spec", "containers", Match("name", "web"), "image"]),
        (
            "metadata.labels[app.kubernetes.io/name]",
            ["metadata", "labels", "app.kubernetes.io/name"],
        ),
        ("spec.containers[name=a=b]", ["spec", "containers", Match("name", "a=b")]),
    ],
)
def test_paths_are_read_as_the_builder_writes_them(path, steps):
    assert parse_path(path) == steps


@pytest.mark.parametrize("digit", ["\u00b2", "\u0661", "\uff11"])
def test_digits_of_other_scripts_in_brackets_are_keys_not_indexes(digit):
    """str.isdigit takes them, and int("²") fails: the builder's form answered 500."""
    path = f"metadata.labels[{digit}]"
    assert parse_path(path) == ["metadata", "labels", digit]
    assert path_to_keys(path) == ["metadata", "labels", digit]


@pytest.mark.parametrize("path", ["", "  ", "a[]", "a[0", "a]b"])
def test_malformed_paths_are_refused(path):
    with pytest.raises(PathError):
        parse_path(path)


@pytest.mark.parametrize("path", ["spec..hostname", ".spec", "spec.", "a[0]..b"])
def test_a_path_with_an_empty_step_is_refused_not_read_past(path):
    """``spec..hostname`` once set ``spec.hostname``: a slip that changed another field."""
    with pytest.raises(PathError, match="empty step"):
        parse_path(path)
    assert parse_path("spec.containers[0].image") == ["spec", "containers", 0, "image"]


def test_setting_creates_the_mappings_on_its_way_and_appends_one_past_the_end():
    data = apply(POD, Edit("spec.containers[name=log].resources.limits.memory", "64Mi"))
    assert data["spec"]["containers"][1]["resources"] == {"limits": {"memory": "64Mi"}}
    data = apply(data, Edit("spec.containers[2]", {"name": "new", "image": "x"}))
    assert [c["name"] for c in data["spec"]["containers"]] == ["web", "log", "new"]
    assert POD["spec"]["containers"][1] == {"name": "log", "image": "b"}  # the input is kept


def test_unset_removes_fields_and_items_and_refuses_what_is_not_there():
    data = apply(POD, unset("spec.containers[name=web]"))
    assert [c["name"] for c in data["spec"]["containers"]] == ["log"]
    data = apply(POD, unset("metadata.labels[app.kubernetes.io/name]"))
    assert data["metadata"]["labels"] == {}
    with pytest.raises(PathError, match="is not set"):
        apply(POD, unset("spec.nodeName"))
    with pytest.raises(PathError, match="past its end"):
        apply(POD, unset("spec.containers[2]"))
