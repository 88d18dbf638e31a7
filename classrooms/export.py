"""A classroom's results, learners × items, as CSV and JSON (the grid's data, plus hints).

``hints_received``: notes the instructor sent about the item; ``hints_used``: the hints the
learner revealed in the builder on the design the grid shows (0 to 3: a nudge, where to look,
the solution)."""

import csv
import io
from datetime import datetime

from django.db.models import Count

from classrooms import grid
from classrooms.models import Classroom, Message
from lessons.exercises import get_exercise

COLUMNS = (
    "learner",
    "joined_at",
    "item_kind",
    "item",
    "title",
    "status",
    "goals_met",
    "goals_total",
    "attempts",
    "first_attempt_correct",
    "questions",
    "answered",
    "time_spent_seconds",
    "done_at",
    "hints_received",
    "hints_used",
)

_STATUS = {
    "todo": "not started",
    "working": "working",
    "stuck": "working",
    "done": "done",
    "quiz": "answered",
    "read": "read",
}


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def results(classroom: Classroom) -> list[dict]:
    """One dict per learner and item, in the grid's order."""
    class_grid = grid.build(classroom)
    hints = {
        (member, exercise): count
        for member, exercise, count in Message.objects.filter(
            classroom=classroom, kind=Message.HINT, created_at__lt=classroom.ends_at
        )
        .values_list("member_id", "exercise")
        .annotate(count=Count("id"))
    }
    rows = []
    for row in class_grid.rows:
        for cell in row.cells:
            item = cell.item
            is_quiz = item.kind == "lesson"
            has_goals = item.kind == "exercise"  # a drill is done when its Pod runs
            status = _STATUS[cell.state]
            if is_quiz and cell.state == "quiz" and cell.answered >= item.questions:
                status = "done"
            rows.append(
                {
                    "learner": row.name,
                    "joined_at": _iso(row.joined_at),
                    "item_kind": "quiz" if is_quiz else item.kind,
                    "item": item.slug,
                    "title": item.title,
                    "status": status,
                    "goals_met": cell.goals_met if has_goals else None,
                    "goals_total": cell.goals_total or _goal_count(item.slug)
                    if has_goals
                    else None,
                    "attempts": cell.attempts,
                    "first_attempt_correct": cell.first_correct if is_quiz else None,
                    "questions": item.questions if is_quiz else None,
                    "answered": cell.answered if is_quiz else None,
                    "time_spent_seconds": cell.seconds,
                    "done_at": _iso(cell.done_at),
                    "hints_received": hints.get((row.member_id, item.design_key), 0),
                    "hints_used": None if is_quiz else cell.hints,
                }
            )
    return rows


def _goal_count(exercise: str) -> int:
    """The exercise's goals, for a learner who has not started it (no design counts them)."""
    try:
        return len(get_exercise(exercise).goals)
    except KeyError:
        return 0


def as_json(classroom: Classroom) -> dict:
    return {
        "classroom": {
            "code": classroom.code,
            "title": classroom.title,
            "created_at": _iso(classroom.created_at),
            "ends_at": _iso(classroom.ends_at),
            "ended": classroom.has_ended(),
        },
        "columns": list(COLUMNS),
        "results": results(classroom),
    }


def as_csv(classroom: Classroom) -> str:
    """The results as CSV, opening with a byte order mark: Excel reads a downloaded CSV
    without one as Windows-1252 ("Zoë" became "ZoÃ«"); other readers skip it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in results(classroom):
        # A spreadsheet runs a cell starting with = + - @ as a formula: names are kept as text.
        row["learner"] = _not_a_formula(row["learner"])
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue()


def _not_a_formula(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
