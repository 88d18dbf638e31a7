"""The stuck rule on hand-made timelines: minute by minute, what the instructor would be told."""

from datetime import UTC, datetime, timedelta

import pytest

from classrooms.stuck import ExerciseState, Thresholds, is_idle, stuck

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULE = Thresholds(stuck_minutes=8, same_error_minutes=4, same_error_edits=5, idle_minutes=5)
ERROR = "spec.containers[0].readinessProbe: may not have more than one handler"


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def state(**changes) -> ExerciseState:
    values = {
        "title": "Probes",
        "goals_met": 1,
        "goals_total": 3,
        "goal_at": at(0),
        "last_edit_at": at(0),
    }
    values.update(changes)
    return ExerciseState(**values)


# (what happened, the state the grid reads, minutes since start, expected reason or None)
TIMELINES = [
    ("just started", state(), 1, None),
    ("typing, no new goal for 7 min", state(last_edit_at=at(7)), 7.5, None),
    (
        "typing, no new goal for 8 min",
        state(last_edit_at=at(7.5)),
        8,
        "8 min on Probes without a new goal (1/3 goals)",
    ),
    (
        "a new goal at minute 6 restarts the clock",
        state(goal_at=at(6), last_edit_at=at(9)),
        10,
        None,
    ),
    ("away for 6 min is idle, not stuck", state(last_edit_at=at(14)), 20, None),
    (
        "same error for 7 min over 12 edits",
        state(first_error=ERROR, error_since=at(3), error_edits=12, last_edit_at=at(9.5)),
        10,
        f"7 min on Probes, same error: {ERROR}",
    ),
    (
        "same error long, but only 3 edits: thinking, not hammering",
        state(first_error=ERROR, error_since=at(0), error_edits=3, last_edit_at=at(6)),
        7,
        None,
    ),
    (
        "many edits with the same error, but only 2 min",
        state(first_error=ERROR, error_since=at(5), error_edits=30, last_edit_at=at(7)),
        7,
        None,
    ),
    (
        "the same error wins over no new goal",
        state(first_error=ERROR, error_since=at(2), error_edits=9, last_edit_at=at(11)),
        12,
        f"10 min on Probes, same error: {ERROR}",
    ),
    ("a finished exercise is never stuck", state(done=True, last_edit_at=at(30)), 31, None),
]


@pytest.mark.parametrize(
    ("story", "timeline", "minute", "reason"), TIMELINES, ids=[t[0] for t in TIMELINES]
)
def test_the_stuck_rule_on_timelines(story, timeline, minute, reason):
    found = stuck(timeline, at(minute), RULE)
    assert (found.reason if found else None) == reason


def test_each_threshold_is_tunable():
    typing = state(last_edit_at=at(4.5))
    assert stuck(typing, at(5), RULE) is None
    assert stuck(typing, at(5), Thresholds(stuck_minutes=5)).kind == "no-goal"
    hammering = state(first_error=ERROR, error_since=at(1), error_edits=3, last_edit_at=at(4))
    assert stuck(hammering, at(4), Thresholds(same_error_minutes=3, same_error_edits=3)).kind == (
        "same-error"
    )
    assert stuck(hammering, at(4), Thresholds(same_error_minutes=3, same_error_edits=4)) is None
    away = state(last_edit_at=at(0))
    assert stuck(away, at(9), Thresholds(idle_minutes=10)).kind == "no-goal"
    assert stuck(away, at(9), Thresholds(idle_minutes=9)) is None


def test_idle_counts_whole_minutes_without_activity():
    assert not is_idle(at(0), at(4.9), RULE)
    assert is_idle(at(0), at(5), RULE)
