"""Defaults alone never meet an exercise's goals.

The builder's "Add" buttons and probe, hook, volume and env-source pickers fill in defaults (an
nginx container, port 8080, a probe on /healthz at the container's port, a mount of the first
volume). A learner who presses them without thinking must not see a goal ticked for it: from
each exercise's start Pod, every action the form offers, every pair of actions (an action, then
one the changed form offers, like a port in the new container), and all of the start form's
"Add" buttons pressed once each leave every goal that failed at the start still failing; the
only exception is a goal that asks for exactly what the action adds (listed below).
"""

import pytest

from lessons.exercises import EXERCISES, check_exercise, exercise_start
from podstudio.builder.edit import AddButton, Group, Input, apply_action, apply_form, build_form
from tests.test_exercises import GUARDS

SLUGS = sorted(EXERCISES)

# (exercise, goal) -> actions that together add what the goal asks for, so may meet it.
ASKED_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    # "has a readiness/liveness probe": choosing the probe's kind is adding the probe.
    ("add-readiness-probe", "readiness"): ("spec.containers[0].readinessProbe@kind=",),
    ("production-ready", "liveness"): ("spec.containers[0].livenessProbe@kind=",),
    ("production-ready", "readiness"): ("spec.containers[0].readinessProbe@kind=",),
    # "another container mounts the logs volume": adding a container and a mount to it (the only
    # volume there is, logs, is the mount's one choice); read-only stays a goal of its own.
    ("add-log-sidecar", "sidecar"): ("add:spec.containers", "add:spec.containers[1].volumeMounts"),
}


def _nodes(nodes):
    for node in nodes:
        if isinstance(node, (AddButton, Input)):
            yield node
        elif isinstance(node, Group):
            yield from _nodes(node.children)


def form_actions(manifest: dict):
    """``(name, changed manifest)`` for every Add button and every other choice of a kind picker
    the builder's form shows for ``manifest``."""
    for node in _nodes(build_form(manifest)):
        if isinstance(node, AddButton):
            changed = apply_action(manifest, node.action)
            if changed is not None:
                yield node.action, changed
        elif node.name.endswith("@kind"):
            for value, _label in node.choices:
                if value and value != node.value:
                    yield f"{node.name}={value}", apply_form(manifest, {node.name: value}).manifest


def _unmet_at_start(slug: str, manifest: dict) -> set[str]:
    return {g["id"] for g in check_exercise(slug, manifest) if g["status"] == "fail"} - GUARDS


def _wrongly_met(slug: str, steps: tuple[str, ...], manifest: dict, unmet: set[str]) -> list:
    met = {g["id"] for g in check_exercise(slug, manifest) if g["status"] == "pass"} & unmet
    return [(steps, goal) for goal in sorted(met) if not _asked_for(slug, goal, steps)]


def _asked_for(slug: str, goal: str, steps: tuple[str, ...]) -> bool:
    needed = ASKED_FOR.get((slug, goal))
    return needed is not None and all(any(s.startswith(n) for s in steps) for n in needed)


@pytest.mark.parametrize("slug", SLUGS)
def test_one_or_two_form_actions_meet_no_goal_by_their_defaults(slug):
    start = exercise_start(slug)[1]
    unmet = _unmet_at_start(slug, start)
    wrong, tried = [], 0
    for first, once in form_actions(start):
        tried += 1
        wrong += _wrongly_met(slug, (first,), once, unmet)
        for second, twice in form_actions(once):
            tried += 1
            wrong += _wrongly_met(slug, (first, second), twice, unmet)
    assert tried > 10, "the form offers actions on every start Pod"
    assert wrong == []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_add_button_pressed_once_meets_no_goal(slug):
    start = exercise_start(slug)[1]
    unmet = _unmet_at_start(slug, start)
    pod, pressed = start, []
    for node in _nodes(build_form(start)):
        if isinstance(node, AddButton):
            changed = apply_action(pod, node.action)
            if changed is not None:
                pod = changed
                pressed.append(node.action)
    assert "add:spec.containers" in pressed and "add:spec.volumes" in pressed
    assert _wrongly_met(slug, tuple(pressed), pod, unmet) == []


def test_add_container_alone_meets_none_of_the_first_exercises_goals():
    # The rough edge of issue 13: the default image (nginx:1.27) met "pinned" and more.
    start = exercise_start("first-pod")[1]
    assert start["spec"]["containers"] == []
    added = apply_action(start, "add:spec.containers")
    assert added["spec"]["containers"][0]["image"]  # a default image was filled in
    status = {g["id"]: g["status"] for g in check_exercise("first-pod", added)}
    assert status.pop("valid") == "pass"  # the Pod is now valid: a guard, not a goal
    assert status == {"web-container": "fail", "httpd-pinned": "fail"}
