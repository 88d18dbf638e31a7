"""The live class grid: every learner × every agenda item, read in a constant number of queries.

Five queries whatever the class size (members, their designs of the class's exercises with the
hints each used, exercises done, quiz answers, lessons read), each reading only the few columns
the grid shows:
the builder keeps each design's goals and errors up to date as the learner types
(``podstudio/builder/livestate.py``), so nothing is checked again here. Work after the
classroom's end is left out, so an ended classroom's grid and export stay as they were.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from classrooms.agenda import EXERCISE, LESSON, Item, agenda
from classrooms.models import Classroom, Member
from classrooms.stuck import ExerciseState, Stuck, Thresholds, is_idle, minutes_between, stuck
from lessons.hints import NAMES as HINT_NAMES
from lessons.models import ExerciseDone, HintUse, LessonRead, QuizAnswer
from podstudio.builder.models import Design

_DESIGN_COLUMNS = (
    "id",
    "slug",
    "learner_id",
    "exercise",
    "created",
    "updated",
    "goals_met",
    "goals_total",
    "goal_at",
    "error_count",
    "first_error",
    "error_since",
    "error_edits",
    "edits",
    "hints",  # the highest hint level revealed on the design (0: none), see lessons.hints
)
_DESIGN_MOMENTS = tuple(
    index
    for index, name in enumerate(_DESIGN_COLUMNS)
    if name in ("created", "updated", "goal_at", "error_since")
)


class Quiz(NamedTuple):
    """One learner's answers to one lesson's quiz, summed up by the database."""

    answered: int
    first_correct: int
    attempts: int
    last: datetime


@dataclass
class Cell:
    """One learner's state on one item, for the grid and the export."""

    item: Item
    state: str  # "todo", "working", "stuck", "done" (exercises); "todo", "read", "quiz" (lessons)
    text: str = "—"  # what the cell shows
    detail: str = "Not started"  # the same in words (screen readers, tooltips)
    valid: bool | None = None  # exercises being worked on: is the Pod accepted right now?
    goals_met: int = 0
    goals_total: int = 0
    attempts: int = 0  # saved edits of the design, or quiz answers tried
    first_correct: int = 0  # quiz questions right on the first try
    answered: int = 0  # quiz questions answered
    seconds: int | None = None  # time spent on an exercise
    done_at: datetime | None = None
    design_slug: str = ""
    hints: int = 0  # exercises: hints revealed on the design (1 nudge, 2 the field, 3 solution)

    @property
    def digest_data(self) -> tuple:
        return (self.state, self.text, self.valid, self.hints)


@dataclass
class Row:
    member_id: int
    name: str
    joined_at: datetime
    last_activity: datetime
    idle_minutes: int
    idle: bool
    hand_at: datetime | None
    hand_message: str
    stuck: Stuck | None
    working_on: str  # the unfinished exercise edited last (its title), if any
    cells: list[Cell] = field(default_factory=list)

    @property
    def idle_text(self) -> str:
        if self.idle_minutes < 1:
            return "active now"
        if self.idle_minutes < 60:
            return f"idle {self.idle_minutes} min"
        hours, minutes = divmod(self.idle_minutes, 60)
        return f"idle {hours} h {minutes} min"

    @cached_property
    def digest(self) -> str:
        shown = (
            self.name,
            self.idle_text,
            self.idle,
            self.hand_at,
            self.hand_message,
            self.stuck,
            self.working_on,
            tuple(cell.digest_data for cell in self.cells),
        )
        return hashlib.blake2b(repr(shown).encode(), digest_size=6).hexdigest()


@dataclass
class Grid:
    classroom: Classroom
    items: list[Item]
    rows: list[Row]
    now: datetime
    thresholds: Thresholds

    @property
    def hands(self) -> list[Row]:
        return sorted((row for row in self.rows if row.hand_at), key=lambda row: row.hand_at)

    @property
    def stuck_rows(self) -> list[Row]:
        return [row for row in self.rows if row.stuck]

    @property
    def active_count(self) -> int:
        return sum(1 for row in self.rows if not row.idle)

    @cached_property
    def summary_digest(self) -> str:
        shown = (
            len(self.rows),
            self.active_count,
            tuple((row.member_id, row.name, row.hand_at, row.hand_message) for row in self.hands),
            tuple((row.member_id, row.name, row.stuck) for row in self.stuck_rows),
            self.classroom.ends_at,
            self.classroom.has_ended(self.now),
        )
        return hashlib.blake2b(repr(shown).encode(), digest_size=6).hexdigest()

    @property
    def shown(self) -> str:
        """What the page shows, for the next refresh: ``summary:<digest> <member>:<digest>…``."""
        parts = [f"summary:{self.summary_digest}"]
        parts.extend(f"{row.member_id}:{row.digest}" for row in self.rows)
        return " ".join(parts)

    def changes(self, shown: str) -> tuple[bool, list[Row], list[Row]]:
        """What differs from ``shown``: the summary, rows to redraw, and rows to add."""
        before = dict(part.partition(":")[::2] for part in shown.split())
        summary = before.get("summary") != self.summary_digest
        redraw = [
            row for row in self.rows if before.get(str(row.member_id), row.digest) != row.digest
        ]
        added = [row for row in self.rows if str(row.member_id) not in before]
        return summary, redraw, added


def build(
    classroom: Classroom, *, now: datetime | None = None, member_id: int | None = None
) -> Grid:
    """The grid of ``classroom`` (or only the row of ``member_id``)."""
    now = now or timezone.now()
    items = agenda(classroom)
    exercises = [item.slug for item in items if item.kind == EXERCISE]
    lessons = [item.slug for item in items if item.kind == LESSON]
    members_query = Member.objects.filter(classroom=classroom)
    if member_id is not None:
        members_query = members_query.filter(pk=member_id)
    members = _fetch(
        members_query.values_list(
            "id", "name", "learner_id", "joined_at", "hand_raised_at", "hand_message"
        ),
        moments=(3, 4),
    )
    learner_ids = Subquery(members_query.values("learner_id"))
    end = classroom.ends_at

    designs: dict[tuple[int, str], dict] = {}
    if exercises:
        found = _fetch(
            Design.objects.filter(
                learner_id__in=learner_ids, exercise__in=exercises, created__lt=end
            )
            .annotate(hints=Coalesce(Subquery(_highest_hint), 0))
            .order_by("updated", "id")
            .values_list(*_DESIGN_COLUMNS),
            moments=_DESIGN_MOMENTS,
        )
        for values in found:  # the latest edited design of each learner and exercise wins
            design = dict(zip(_DESIGN_COLUMNS, values, strict=True))
            designs[(design["learner_id"], design["exercise"])] = design
        finished = _fetch(
            ExerciseDone.objects.filter(
                learner_id__in=learner_ids, exercise__in=exercises, completed_at__lt=end
            ).values_list("learner_id", "exercise", "completed_at"),
            moments=(2,),
        )
        done = {(learner, exercise): at for learner, exercise, at in finished}
    else:
        done = {}
    quizzes: dict[tuple[int, str], Quiz] = {}
    reads: dict[tuple[int, str], datetime] = {}
    if lessons:
        answers = _fetch(
            QuizAnswer.objects.filter(
                learner_id__in=learner_ids, lesson__in=lessons, first_answered_at__lt=end
            )
            .values("learner_id", "lesson")
            .annotate(
                answered=Count("id"),
                first_correct=Count("id", filter=Q(first_correct=True)),
                attempts=Sum("attempts"),
                last=Max("answered_at"),
            )
            .values_list("learner_id", "lesson", "answered", "first_correct", "attempts", "last"),
            moments=(5,),
        )
        for learner, lesson, *quiz in answers:
            quizzes[(learner, lesson)] = Quiz(*quiz)
        read = _fetch(
            LessonRead.objects.filter(
                learner_id__in=learner_ids, lesson__in=lessons, read_at__lt=end
            ).values_list("learner_id", "lesson", "read_at"),
            moments=(2,),
        )
        reads = {(learner, lesson): read_at for learner, lesson, read_at in read}

    thresholds = Thresholds.of(classroom)
    clock = min(now, end)  # an ended classroom's clocks stop at its end
    rows = []
    for member, name, learner, joined_at, hand_at, hand_message in members:
        moments = [joined_at, hand_at]
        cells = []
        worst: Stuck | None = None
        working_on, last_edit = "", None
        for item in items:
            key = (learner, item.slug)
            if item.kind == EXERCISE:
                design = designs.get(key)
                cell = _exercise_cell(item, design, done.get(key))
                if design is not None:
                    moments.append(design["updated"])
                    unfinished = cell.state != "done"
                    if unfinished and (last_edit is None or design["updated"] > last_edit):
                        working_on, last_edit = item.title, design["updated"]
                    found = stuck(_state(item, design, cell), clock, thresholds)
                    if found is not None:
                        cell.state = "stuck"
                        cell.detail = f"Stuck: {found.reason}{_hints_text(cell.hints)}"
                        if worst is None or found.minutes > worst.minutes:
                            worst = found
                if key in done:
                    moments.append(done[key])
            else:
                quiz = quizzes.get(key)
                cell = _lesson_cell(item, quiz, reads.get(key))
                moments.append(quiz.last if quiz else None)
                moments.append(reads.get(key))
            cells.append(cell)
        last_activity = max(moment for moment in moments if moment is not None)
        rows.append(
            Row(
                member_id=member,
                name=name,
                joined_at=joined_at,
                last_activity=last_activity,
                idle_minutes=minutes_between(last_activity, clock),
                idle=is_idle(last_activity, clock, thresholds),
                hand_at=hand_at,
                hand_message=hand_message,
                stuck=worst,
                working_on=working_on,
                cells=cells,
            )
        )
    return Grid(classroom=classroom, items=items, rows=rows, now=now, thresholds=thresholds)


# The highest hint level a design's learner revealed on it: part of the designs' query (a lookup
# in the (learner, design, level) unique index), so the grid needs no query of its own for it.
_highest_hint = (
    HintUse.objects.filter(learner_id=OuterRef("learner_id"), design=OuterRef("slug"))
    .order_by("-level")
    .values("level")[:1]
)


def _fetch(queryset, *, moments: tuple[int, ...]) -> list[list]:
    """The queryset's rows as plain tuples, read without the ORM's per-value converters (for
    hundreds of rows they cost more than the query). The datetimes, at positions ``moments``,
    are made aware here: SQLite gives naive UTC (or text, for an aggregate), PostgreSQL aware."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    fixed = []
    for row in rows:
        values = list(row)
        for index in moments:
            if values[index] is not None:
                values[index] = _aware(values[index])
        fixed.append(values)
    return fixed


def _aware(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _state(item: Item, design: dict, cell: Cell) -> ExerciseState:
    return ExerciseState(
        title=item.title,
        goals_met=design["goals_met"],
        goals_total=design["goals_total"],
        goal_at=design["goal_at"],
        last_edit_at=design["updated"],
        first_error=design["first_error"],
        error_since=design["error_since"],
        error_edits=design["error_edits"],
        done=cell.state == "done",
    )


def _exercise_cell(item: Item, design: dict | None, done_at: datetime | None) -> Cell:
    cell = Cell(item=item, state="todo")
    if design is not None:
        cell.goals_met, cell.goals_total = design["goals_met"], design["goals_total"]
        cell.attempts = design["edits"]
        cell.design_slug = design["slug"]
        cell.hints = design["hints"] or 0
        cell.valid = design["error_count"] == 0
        finished = done_at if done_at is not None and done_at >= design["created"] else None
        cell.seconds = int(((finished or design["updated"]) - design["created"]).total_seconds())
    if done_at is not None:
        cell.state, cell.done_at = "done", done_at
        cell.text = f"Done {timezone.localtime(done_at):%H:%M}"
        cell.detail = f"Done at {timezone.localtime(done_at):%H:%M}"
        cell.valid = None
        if design is not None:
            cell.goals_met = max(cell.goals_met, cell.goals_total)
        cell.detail += _hints_text(cell.hints)
        return cell
    if design is not None:
        cell.state = "working"
        cell.text = f"{cell.goals_met}/{cell.goals_total}"
        problems = design["error_count"]
        pod = "the Pod is valid" if not problems else f"the Pod has {_count(problems, 'problem')}"
        cell.detail = f"Working: {cell.goals_met} of {cell.goals_total} goals met, {pod}"
        cell.detail += _hints_text(cell.hints)
    return cell


def _hints_text(hints: int) -> str:
    """The hints a learner used, in words: ``; 2 hints used (up to where to look)``."""
    if not hints:
        return ""
    return f"; {_count(hints, 'hint')} used (up to {HINT_NAMES[hints]})"


def _lesson_cell(item: Item, quiz: "Quiz | None", read_at: datetime | None) -> Cell:
    cell = Cell(item=item, state="todo")
    if quiz is not None:
        cell.answered, cell.first_correct, cell.attempts = (
            quiz.answered,
            quiz.first_correct,
            quiz.attempts,
        )
        cell.state = "quiz"
        cell.text = f"{cell.first_correct}/{item.questions}"
        detail = f"Quiz: {cell.first_correct} of {item.questions} right on the first try"
        if cell.answered < item.questions:
            detail += f", {cell.answered} of {item.questions} answered"
        cell.detail = detail
        if cell.answered >= item.questions:
            cell.done_at = quiz.last
    elif read_at is not None:
        cell.state, cell.text, cell.detail = "read", "Read", "Lesson read, quiz not started"
    return cell


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
