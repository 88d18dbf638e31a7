"""The stuck rule: which learners to walk over to first.

A learner is **stuck** on an exercise they have not finished when they are still working on it
(an edit within the last ``idle_minutes``) and either

* **no new goal**: ``stuck_minutes`` or more have passed since the design last met more goals
  than it ever had (or since the exercise started, if it never did); or
* **same error**: the same first error has stayed for ``same_error_minutes`` or more *and*
  across ``same_error_edits`` or more edits in a row: they keep trying, and keep hitting it.

A learner with no edit for ``idle_minutes`` is idle, not stuck: they may be reading a lesson or
away, and the grid shows their idle time instead. The same error wins over no new goal when both
hold, since it says more about what to help with.

Everything here is plain data in and out: the grid feeds it the columns the builder keeps on
each design (``podstudio/builder/livestate.py``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


@dataclass(frozen=True)
class Thresholds:
    stuck_minutes: int = 8
    same_error_minutes: int = 4
    same_error_edits: int = 5
    idle_minutes: int = 5

    @classmethod
    def of(cls, classroom) -> "Thresholds":
        return cls(
            stuck_minutes=classroom.stuck_minutes,
            same_error_minutes=classroom.same_error_minutes,
            same_error_edits=classroom.same_error_edits,
            idle_minutes=classroom.idle_minutes,
        )


class ExerciseState(NamedTuple):
    """What the grid knows of one learner's work on one exercise (a tuple: the grid makes one
    per learner on every refresh)."""

    title: str
    goals_met: int
    goals_total: int
    goal_at: datetime  # when the design last met more goals than ever (or was started)
    last_edit_at: datetime
    first_error: str = ""
    error_since: datetime | None = None
    error_edits: int = 0
    done: bool = False


class Stuck(NamedTuple):  # a tuple, for the grid's digests: hashed and compared every refresh
    kind: str  # "same-error" or "no-goal"
    minutes: int
    reason: str  # what the instructor reads, e.g. "7 min on Probes, same error: ..."


def minutes_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def is_idle(last_activity: datetime, now: datetime, thresholds: Thresholds) -> bool:
    return minutes_between(last_activity, now) >= thresholds.idle_minutes


def stuck(state: ExerciseState, now: datetime, thresholds: Thresholds) -> Stuck | None:
    """Why the learner counts as stuck on this exercise, or ``None``."""
    if state.done or is_idle(state.last_edit_at, now, thresholds):
        return None
    if state.first_error and state.error_since is not None:
        minutes = minutes_between(state.error_since, now)
        if (
            minutes >= thresholds.same_error_minutes
            and state.error_edits >= thresholds.same_error_edits
        ):
            return Stuck(
                "same-error",
                minutes,
                f"{minutes} min on {state.title}, same error: {state.first_error}",
            )
    minutes = minutes_between(state.goal_at, now)
    if minutes >= thresholds.stuck_minutes:
        progress = f"{state.goals_met}/{state.goals_total} goals"
        return Stuck(
            "no-goal", minutes, f"{minutes} min on {state.title} without a new goal ({progress})"
        )
    return None
