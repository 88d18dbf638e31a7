"""Where a learner stands on an exercise, kept on the design itself and updated on every save.

A classroom's grid and its stuck rule read these few columns instead of checking every design
again: the keystroke that saves a design already knows its goals and its errors, and writes them
with the manifest in the same UPDATE. The previous values come with the design's SELECT, so
keeping them costs no query.
"""

from datetime import datetime

FIRST_ERROR_LENGTH = 300

# The design's columns this module keeps, in the order the keystroke's UPDATE writes them.
FIELDS = (
    "goals_met",
    "goals_total",
    "goals_best",
    "goal_at",
    "error_count",
    "first_error",
    "error_since",
    "error_edits",
    "edits",
)
# What the next state is worked out from (loaded by the keystroke's SELECT).
PREVIOUS = ("goals_best", "goal_at", "first_error", "error_since", "error_edits", "edits")


def first_error_text(errors) -> str:
    """The first error the API server would report, as ``path: message`` (cut to fit)."""
    if not errors:
        return ""
    error = errors[0]
    text = f"{error.path}: {error.message}" if error.path else error.message
    return text[:FIRST_ERROR_LENGTH]


def goals_met(goals: list[dict]) -> int:
    return sum(1 for goal in goals if goal["status"] == "pass")


def initial_state(*, goals: list[dict], errors, now: datetime) -> dict:
    """The state of a design that has just been made (or reset to its start)."""
    met = goals_met(goals)
    first = first_error_text(errors)
    return {
        "goals_met": met,
        "goals_total": len(goals),
        "goals_best": met,
        "goal_at": now,
        "error_count": len(errors),
        "first_error": first,
        "error_since": now if first else None,
        "error_edits": 0,
        "edits": 0,
    }


def next_state(previous, *, goals: list[dict], errors, now: datetime) -> dict:
    """The state after one more saved edit of ``previous`` (a design with the PREVIOUS fields).

    A goal counts as new only when more goals pass than ever before on this design: ticking the
    same goal off and on again is not progress. The same first error on consecutive edits counts
    up ``error_edits`` from the edit that first showed it (``error_since``).
    """
    met = goals_met(goals)
    best, goal_at = previous.goals_best, previous.goal_at or now
    if met > best:
        best, goal_at = met, now
    first = first_error_text(errors)
    if first and first == previous.first_error:
        error_since, error_edits = previous.error_since or now, previous.error_edits + 1
    elif first:
        error_since, error_edits = now, 1
    else:
        error_since, error_edits = None, 0
    return {
        "goals_met": met,
        "goals_total": len(goals),
        "goals_best": best,
        "goal_at": goal_at,
        "error_count": len(errors),
        "first_error": first,
        "error_since": error_since,
        "error_edits": error_edits,
        "edits": previous.edits + 1,
    }
