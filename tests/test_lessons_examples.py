"""Every example is a valid Pod, and the facts its lesson states about it hold in the engine."""

import pytest

from lessons.catalog import EXAMPLES, LESSONS, lessons_using
from lessons.content import SHIPPED_DIR
from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.qos import compute_qos
from podstudio.engine.validation import validate_pod
from podstudio.engine.yamlio import load_manifest

NAMES = sorted(EXAMPLES)


def test_there_are_at_least_eight_examples():
    assert len(EXAMPLES) >= 8


def test_every_example_file_is_in_the_catalog_and_the_other_way_round():
    files = {path.stem for path in SHIPPED_DIR.glob("*/examples/*.yaml")}
    assert files == set(EXAMPLES)


@pytest.mark.parametrize("name", NAMES)
def test_every_example_is_shown_by_some_lesson(name):
    assert lessons_using(name)


def test_lessons_only_name_examples_that_exist():
    for lesson in LESSONS:
        for name in lesson.examples:
            assert name in EXAMPLES, (lesson.slug, name)


@pytest.mark.parametrize("name", NAMES)
def test_example_is_a_valid_pod(name):
    manifest = load_manifest(EXAMPLES[name].yaml)
    assert manifest["kind"] == "Pod"
    assert validate_pod(manifest) == []


@pytest.mark.parametrize("name", NAMES)
def test_example_has_the_qos_class_the_lesson_states(name):
    manifest = load_manifest(EXAMPLES[name].yaml)
    assert compute_qos(manifest).qos_class == EXAMPLES[name].qos


@pytest.mark.parametrize("name", NAMES)
def test_example_meets_the_pod_security_level_the_lesson_states(name):
    manifest = load_manifest(EXAMPLES[name].yaml)
    assert evaluate_pss(manifest).level == EXAMPLES[name].pss


def test_the_examples_cover_every_qos_class_and_every_level():
    assert {e.qos for e in EXAMPLES.values()} == {"Guaranteed", "Burstable", "BestEffort"}
    assert {e.pss for e in EXAMPLES.values()} == {"privileged", "baseline", "restricted"}
