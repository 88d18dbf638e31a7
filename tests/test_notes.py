"""What the engine cannot know is said as a note, never passed over in silence."""

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.yamlio import load_manifest

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n{spec}"
    "  containers:\n  - name: app\n    image: nginx:1.27\n{container}"
)


def notes_of(spec: str = "", container: str = "") -> list[str]:
    return analyze(load_manifest(POD.format(spec=spec, container=container))).notes


@pytest.mark.parametrize(
    ("spec", "subject"),
    [
        ("  priorityClassName: high\n", "PriorityClass"),
        ("  priority: 0\n", "PriorityClass"),
        ("  runtimeClassName: gvisor\n", "RuntimeClass"),
        ("  serviceAccountName: builder\n", "ServiceAccount"),
    ],
)
def test_a_cluster_object_the_pod_names_is_a_note(spec, subject):
    notes = notes_of(spec)
    assert len(notes) == 1 and notes[0].startswith(f"{subject}:")


def test_a_system_priority_class_needs_no_note_and_its_value_is_taken():
    assert notes_of("  priorityClassName: system-node-critical\n  priority: 2000001000\n") == []
    report = analyze(
        load_manifest(
            POD.format(spec="  priorityClassName: system-cluster-critical\n", container="")
        )
    )
    assert report.notes == [] and report.valid


def test_the_default_service_account_needs_no_note():
    assert notes_of("  serviceAccountName: default\n") == []


def test_a_field_of_a_gate_that_is_off_is_a_note_and_not_an_error():
    # ContainerStopSignals is alpha in 1.37: the API server drops lifecycle.stopSignal.
    report = analyze(
        load_manifest(POD.format(spec="", container="    lifecycle:\n      stopSignal: SIGBOGUS\n"))
    )
    assert report.valid
    assert report.notes == [
        "Feature gate off: spec.containers[0].lifecycle.stopSignal needs ContainerStopSignals, "
        "which is off by default in Kubernetes 1.37; the API server drops the field without a "
        "word, so Pod Studio ignores it too"
    ]


def test_a_plain_pod_has_no_notes():
    assert notes_of() == []


def test_a_priority_class_name_that_is_no_text_is_an_error_and_no_crash():
    for written in ("[]", "{}", "[system-node-critical]"):
        report = analyze(
            load_manifest(POD.format(spec=f"  priorityClassName: {written}\n", container=""))
        )
        assert [error.path for error in report.errors] == ["spec.priorityClassName"]
