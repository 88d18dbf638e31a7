"""The live class grid: every learner × every agenda item, read in a constant number of queries.

Five queries whatever the class size (members, their designs of the class's exercises and
drills with the hints each used, exercises done, quiz answers, lessons read), and two more for
a class with drills (their runs, and the instructor's resets of them), each reading only the
few columns the grid shows:
the builder keeps each design's goals and errors up to date as the learner types
(``podstudio/builder/livestate.py``), so nothing is checked again here. Work after the
classroom's end is left out, and what a learner resets or changes after it is kept for it
(``hidden_at`` in ``lessons.models``), so an ended classroom's grid and export stay as they were.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from classrooms.agenda import DRILL, EXERCISE, Item, agenda
from classrooms.models import Classroom, Member, Message
from classrooms.stuck import ExerciseState, Stuck, Thresholds, minutes_between, stuck
from lessons.exercises import DRILL_PREFIX
from lessons.hints import NAMES as HINT_NAMES
from lessons.models import DrillRun, ExerciseDone, HintUse, LessonRead, QuizAnswer
from podstudio.builder.models import Design
from podstudio.templatetags.clock import clock_text


class _Design(NamedTuple):
    """The columns of a design the grid reads: its live state, kept by the builder."""

    id: int
    slug: str
    learner_id: int
    exercise: str
    created: datetime
    updated: datetime
    goals_met: int
    goals_total: int
    goals_best: int
    goal_at: datetime
    error_count: int
    first_error: str
    error_since: datetime | None
    error_edits: int
    edits: int
    hints: int | None  # the highest hint level revealed on the design (None, 0: none)


_DESIGN_MOMENTS = ("created", "updated", "goal_at", "error_since")


class Quiz(NamedTuple):
    """One learner's answers to one lesson's quiz, summed up by the database."""

    answered: int
    first_correct: int
    attempts: int
    last: datetime


@dataclass(slots=True)
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


# Digests of what rows show, by what they show: every refresh hashes every row, and most rows
# show what they showed two seconds ago (typing moves a design's timestamps, rarely its cell).
_DIGESTS: dict[tuple, str] = {}
_DIGESTS_KEPT = 20_000


def _digest(shown: tuple) -> str:
    digest = _DIGESTS.get(shown)
    if digest is None:
        if len(_DIGESTS) >= _DIGESTS_KEPT:
            _DIGESTS.clear()
        digest = hashlib.blake2b(repr(shown).encode(), digest_size=6).hexdigest()
        _DIGESTS[shown] = digest
    return digest


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
    working_on: str  # the unfinished exercise or lesson the learner touched last (its title)
    cells: list[Cell] = field(default_factory=list)
    ended: bool = False  # the classroom has ended: its clock (``idle_minutes``) stopped there
    left_at: datetime | None = None  # pressed Leave in their browser (and not back since)

    @property
    def idle_text(self) -> str:
        """How long the learner has done nothing; in an ended classroom, as it was at the end
        (no one is "active now" in a class that is over)."""
        if self.left_at is not None:  # on the instructor's clock, as the page's other times
            return f"left at {clock_text(self.left_at)}"
        at_end = " at the end" if self.ended else ""
        if self.last_activity == self.joined_at:
            # Nothing done since joining: not yet "active" (a whole class would be, at once).
            if self.ended:
                return "no activity"
            if self.idle_minutes < 1:
                return "just joined"
        if self.idle_minutes < 1:
            return "active at the end" if self.ended else "active now"
        if self.idle_minutes < 60:
            return f"idle {self.idle_minutes} min{at_end}"
        hours, minutes = divmod(self.idle_minutes, 60)
        return f"idle {hours} h {minutes} min{at_end}"

    @cached_property
    def digest(self) -> str:
        return _digest(
            (
                self.name,
                self.idle_text,
                self.idle,
                self.hand_at,
                self.hand_message,
                self.stuck,
                self.working_on,
                tuple([(cell.state, cell.text, cell.valid, cell.hints) for cell in self.cells]),
            )
        )


class Changes(NamedTuple):
    """What a grid's refresh sends (``Grid.changes``)."""

    summary: bool
    redraw: list[Row]
    added: list[Row]
    removed: list[int]  # member ids


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
    def columns(self) -> list[tuple[Item, int]]:
        """Each item, and how many learners have finished it (an exercise done, a quiz
        answered through): what a workshop's instructor counts before moving on."""
        done = [0] * len(self.items)
        for row in self.rows:
            for index, cell in enumerate(row.cells):
                if cell.done_at is not None:
                    done[index] += 1
        return list(zip(self.items, done, strict=True))

    @cached_property
    def summary_digest(self) -> str:
        shown = (
            len(self.rows),
            self.active_count,
            tuple((row.member_id, row.name, row.hand_at, row.hand_message) for row in self.hands),
            tuple((row.member_id, row.name, row.stuck) for row in self.stuck_rows),
            self.classroom.ends_at,
            self.classroom.has_ended(self.now),
            tuple(done for _, done in self.columns),
        )
        return hashlib.blake2b(repr(shown).encode(), digest_size=6).hexdigest()

    @property
    def shown(self) -> str:
        """What the page shows, for the next refresh: ``summary:<digest> <member>:<digest>…``."""
        parts = [f"summary:{self.summary_digest}"]
        parts.extend(f"{row.member_id}:{row.digest}" for row in self.rows)
        return " ".join(parts)

    def changes(self, shown: str) -> Changes:
        """What differs from ``shown``: the summary, rows to redraw, to add and to remove."""
        before = dict(part.partition(":")[::2] for part in shown.split())
        summary = before.get("summary") != self.summary_digest
        redraw = [
            row for row in self.rows if before.get(str(row.member_id), row.digest) != row.digest
        ]
        added = [row for row in self.rows if str(row.member_id) not in before]
        now = {row.member_id for row in self.rows}
        removed = [  # members removed (or who left) since: the page drops their rows
            int(key)
            for key in before
            if key.isascii() and key.isdigit() and len(key) < 19 and int(key) not in now
        ]
        return Changes(summary, redraw, added, removed)


def build(
    classroom: Classroom, *, now: datetime | None = None, member_id: int | None = None
) -> Grid:
    """The grid of ``classroom`` (or only the row of ``member_id``)."""
    now = now or timezone.now()
    items = agenda(classroom)
    built = [item.design_key for item in items if item.built]
    lessons = [item.slug for item in items if not item.built]
    drill_slugs = [item.slug for item in items if item.kind == DRILL]
    end = classroom.ends_at
    queries = _queries(
        classroom.pk,
        tuple(built),
        tuple(lessons),
        tuple(drill_slugs),
        end,
        member_id,
        connection.vendor,
    )
    members = _run(queries.members)
    designs: dict[tuple[int, str], _Design] = {}
    for values in _run(queries.designs):  # the latest edited design of each learner wins
        design = _Design._make(values)
        designs[(design.learner_id, design.exercise)] = design
    done = {}
    reset = set()  # done records this classroom's instructor has since reset (not counted)
    for learner, exercise, at, reset_after in _run(queries.done):
        if reset_after:
            reset.add((learner, exercise))
        else:
            done[(learner, exercise)] = at
    quizzes = {(learner, lesson): Quiz(*quiz) for learner, lesson, *quiz in _run(queries.answers)}
    reads = {(learner, lesson): read_at for learner, lesson, read_at in _run(queries.reads)}
    runs = {(learner, drill): DrillRuns(*rest) for learner, drill, *rest in _run(queries.runs)}
    drill_resets = {
        (learner, exercise.removeprefix(DRILL_PREFIX)): at
        for learner, exercise, at in _run(queries.drill_resets)
    }

    thresholds = Thresholds.of(classroom)
    clock = min(now, end)  # an ended classroom's clocks stop at its end
    rows = []
    for member, name, learner, joined_at, hand_at, hand_message, left_at in members:
        last_activity = joined_at if hand_at is None or hand_at < joined_at else hand_at
        cells = []
        worst: Stuck | None = None
        working_on, last_edit = "", None
        for item in items:
            key = (learner, item.slug)
            if item.kind == DRILL:
                design, ran = designs.get((learner, item.design_key)), runs.get(key)
                done_at = _drill_done(ran, drill_resets.get(key))
                cell = _drill_cell(item, design, ran, done_at)
                moments = [design.updated if design else None, done_at]
                for moment in filter(None, moments):
                    last_activity = max(last_activity, moment)
                unfinished = design is not None and done_at is None
                if unfinished and (last_edit is None or design.updated > last_edit):
                    working_on, last_edit = item.title, design.updated
            elif item.kind == EXERCISE:
                design = designs.get(key)
                done_at = done.get(key)
                if done_at is None and key in reset:
                    done_at = _done_again(design)
                cell = _exercise_cell(item, design, done_at)
                if design is not None:
                    updated = design.updated
                    if updated > last_activity:
                        last_activity = updated
                    if cell.state != "done":
                        if last_edit is None or updated > last_edit:
                            working_on, last_edit = item.title, updated
                        found = stuck(_state(item, design), clock, thresholds)
                        if found is not None:
                            cell.state = "stuck"
                            cell.detail = f"Stuck: {found.reason}{_hints_text(cell.hints)}"
                            if worst is None or found.minutes > worst.minutes:
                                worst = found
                if done_at is not None and done_at > last_activity:
                    last_activity = done_at
            else:
                quiz = quizzes.get(key)
                read_at = reads.get(key)
                cell = _lesson_cell(item, quiz, read_at)
                touched = max(
                    (at for at in (read_at, quiz.last if quiz else None) if at is not None),
                    default=None,
                )
                if touched is not None:
                    last_activity = max(last_activity, touched)
                    # A lesson opened or a quiz begun, and not finished, is what they are on.
                    if cell.done_at is None and (last_edit is None or touched > last_edit):
                        working_on, last_edit = item.title, touched
            cells.append(cell)
        idle_minutes = minutes_between(last_activity, clock)
        rows.append(
            Row(
                member_id=member,
                name=name,
                joined_at=joined_at,
                last_activity=last_activity,
                idle_minutes=idle_minutes,
                # is_idle, already counted; one who left is not active either
                idle=idle_minutes >= thresholds.idle_minutes or left_at is not None,
                hand_at=hand_at,
                hand_message=hand_message,
                stuck=worst if left_at is None else None,  # gone: not waiting for help
                working_on=working_on,
                cells=cells,
                ended=clock < now,
                left_at=left_at,
            )
        )
    return Grid(classroom=classroom, items=items, rows=rows, now=now, thresholds=thresholds)


def _counted(end: datetime) -> Q:
    """Progress the learner has reset (or a quiz answer changed) since counts only in classrooms
    that had ended by then: their results stay as they were at the end (``lessons.progress``)."""
    return Q(hidden_at__isnull=True) | Q(hidden_at__gte=end)


def _highest_hint(end: datetime) -> Subquery:
    """The highest hint level a design's learner revealed on it before ``end`` (a learner may
    still ask for one on a closed design): part of the designs' query (a lookup in the
    (learner, design, level) unique index), so the grid needs no query of its own for it."""
    return Subquery(
        HintUse.objects.filter(
            _counted(end),
            learner_id=OuterRef("learner_id"),
            design=OuterRef("slug"),
            used_at__lt=end,
        )
        .order_by("-level")
        .values("level")[:1]
    )


class _Query(NamedTuple):
    sql: str
    params: tuple
    moments: tuple[int, ...]  # the positions of datetimes in each row


class _Queries(NamedTuple):
    members: _Query
    designs: _Query | None  # None: the classroom has no exercise or drill
    done: _Query | None
    answers: _Query | None  # None: the classroom has no lesson
    reads: _Query | None
    runs: _Query | None  # None: the classroom has no drill
    drill_resets: _Query | None


class DrillRuns(NamedTuple):
    """One learner's runs of one drill before the end, summed up by the database."""

    count: int
    first_ok: datetime | None  # the first run whose Pod ran, Ready, with the fix's goals kept
    last_ok: datetime | None


@lru_cache(maxsize=256)
def _queries(
    classroom_id: int,
    exercises: tuple[str, ...],
    lessons: tuple[str, ...],
    drills: tuple[str, ...],
    end: datetime,
    member_id: int | None,
    vendor: str,
) -> _Queries:
    """The grid's five queries as SQL, written once per classroom (and its items and end): the
    ORM takes longer to write them than SQLite takes to run them, every 2 seconds."""
    members_query = Member.objects.filter(classroom_id=classroom_id)
    if member_id is not None:
        members_query = members_query.filter(pk=member_id)
    members = _query(
        members_query,
        ("id", "name", "learner_id", "joined_at", "hand_raised_at", "hand_message", "left_at"),
        moments=("joined_at", "hand_raised_at", "left_at"),
        vendor=vendor,
    )
    learner_ids = Subquery(members_query.values("learner_id"))
    counted = _counted(end)
    designs = done = answers = reads = runs = drill_resets = None
    if drills:
        runs = _query(
            DrillRun.objects.filter(
                learner_id__in=learner_ids, drill__in=drills, started_at__lt=end
            )
            .values("learner_id", "drill")
            .annotate(
                count=Count("id"),
                first_ok=Min("started_at", filter=Q(ok=True)),
                last_ok=Max("started_at", filter=Q(ok=True)),
            ),
            ("learner_id", "drill", "count", "first_ok", "last_ok"),
            moments=("first_ok", "last_ok"),
            vendor=vendor,
        )
        # A drill reset by this classroom's instructor is done again only by a run after it.
        drill_resets = _query(
            Message.objects.filter(
                classroom_id=classroom_id,
                kind=Message.RESET,
                exercise__in=[DRILL_PREFIX + slug for slug in drills],
            )
            .values("member__learner_id", "exercise")
            .annotate(last=Max("created_at")),
            ("member__learner_id", "exercise", "last"),
            moments=("last",),
            vendor=vendor,
        )
    if exercises:
        designs = _query(
            Design.objects.filter(
                learner_id__in=learner_ids, exercise__in=exercises, created__lt=end
            )
            .annotate(hints=Coalesce(_highest_hint(end), 0))
            .order_by("updated", "id"),
            _Design._fields,
            moments=_DESIGN_MOMENTS,
            vendor=vendor,
        )
        # A done record counts unless this classroom's instructor reset the exercise since
        # (the record stays when another classroom counts it: actions.reset_exercise).
        reset_since = Message.objects.filter(
            classroom_id=classroom_id,
            kind=Message.RESET,
            member__learner_id=OuterRef("learner_id"),
            exercise=OuterRef("exercise"),
            created_at__gte=OuterRef("completed_at"),
        )
        done = _query(
            ExerciseDone.objects.filter(
                counted, learner_id__in=learner_ids, exercise__in=exercises, completed_at__lt=end
            ).annotate(reset_after=Exists(reset_since)),
            ("learner_id", "exercise", "completed_at", "reset_after"),
            moments=("completed_at",),
            vendor=vendor,
        )
    if lessons:
        answers = _query(
            QuizAnswer.objects.filter(
                counted, learner_id__in=learner_ids, lesson__in=lessons, first_answered_at__lt=end
            )
            .values("learner_id", "lesson")
            .annotate(
                answered=Count("id"),
                first_correct=Count("id", filter=Q(first_correct=True)),
                attempts=Sum("attempts"),
                last=Max("answered_at"),
            ),
            ("learner_id", "lesson", "answered", "first_correct", "attempts", "last"),
            moments=("last",),
            vendor=vendor,
        )
        reads = _query(
            LessonRead.objects.filter(
                counted, learner_id__in=learner_ids, lesson__in=lessons, read_at__lt=end
            ),
            ("learner_id", "lesson", "read_at"),
            moments=("read_at",),
            vendor=vendor,
        )
    return _Queries(members, designs, done, answers, reads, runs, drill_resets)


def _query(queryset, columns: tuple[str, ...], *, moments: tuple[str, ...], vendor: str) -> _Query:
    """The SQL reading ``columns`` of the queryset. SQLite's datetimes (the columns named in
    ``moments``) are read as their text: its converter costs more than parsing the text here."""
    text = vendor == "sqlite"
    selected = [
        Cast(name, TextField()) if text and name in _DATETIME_COLUMNS else name for name in columns
    ]
    sql, params = queryset.values_list(*selected).query.sql_with_params()
    at = tuple(index for index, name in enumerate(columns) if name in moments)
    return _Query(sql, tuple(params), at)


def _run(query: _Query | None) -> list[list]:
    """The rows of ``query`` as plain lists, read without the ORM's per-value converters (for
    hundreds of rows they cost more than the query), their datetimes made aware: SQLite gives
    naive UTC text, PostgreSQL aware datetimes."""
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        rows = cursor.fetchall()
    fixed = []
    for row in rows:
        values = list(row)
        for index in query.moments:
            value = values[index]
            if value is not None:
                values[index] = _aware(value)
        fixed.append(values)
    return fixed


# Columns that are datetimes in their table (an aggregate's result has no declared type, so
# SQLite gives it as text already).
_DATETIME_COLUMNS = frozenset(
    ("joined_at", "hand_raised_at", "completed_at", "read_at", *_DESIGN_MOMENTS)
)


def _aware(value) -> datetime:
    """A datetime from the database, aware (in UTC unless it says otherwise)."""
    if isinstance(value, str):
        if len(value) <= 26:  # naive UTC, as Django keeps datetimes in SQLite
            return datetime.fromisoformat(value + "+00:00")
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _state(item: Item, design: _Design) -> ExerciseState:
    return ExerciseState(
        title=item.title,
        goals_met=design.goals_met,
        goals_total=design.goals_total,
        goal_at=design.goal_at,
        last_edit_at=design.updated,
        first_error=design.first_error,
        error_since=design.error_since,
        error_edits=design.error_edits,
    )


def _done_again(design: _Design | None) -> datetime | None:
    """When the learner met every goal of the design the grid shows (after a reset, whose done
    record another classroom keeps): the builder records no second completion."""
    if design is None or not design.goals_total or design.goals_best < design.goals_total:
        return None
    return design.goal_at


def _drill_done(runs: DrillRuns | None, reset_at: datetime | None) -> datetime | None:
    """When the learner's fix first ran, after the instructor's last reset of the drill."""
    if runs is None or runs.first_ok is None:
        return None
    if reset_at is None or runs.first_ok > reset_at:
        return runs.first_ok
    return runs.last_ok if runs.last_ok > reset_at else None


def _drill_cell(
    item: Item, design: _Design | None, runs: DrillRuns | None, done_at: datetime | None
) -> Cell:
    """A drill is done once the learner's fix runs (in the sandbox, or played offline): its
    cell counts the runs it took, not goals (the goals are what the fix must keep)."""
    count = runs.count if runs is not None else 0
    hints = (design.hints or 0) if design is not None else 0
    common = {
        "attempts": count,
        "design_slug": design.slug if design is not None else "",
        "hints": hints,
    }
    if done_at is not None:
        at = f"{timezone.localtime(done_at):%H:%M}"
        took = f": its Pod ran after {_count(count, 'run')}"
        return Cell(
            item,
            "done",
            f"Done {at}",
            f"Done at {at}{took}{_hints_text(hints)}",
            done_at=done_at,
            **common,
        )
    if design is None and not count:
        return Cell(item, "todo")
    ran = f"{_count(count, 'run')}, its Pod not running yet" if count else "not run yet"
    seconds = int((design.updated - design.created).total_seconds()) if design else None
    return Cell(
        item,
        "working",
        _count(count, "run") if count else "Started",
        f"Working: {ran}{_hints_text(hints)}",
        valid=design.error_count == 0 if design is not None else None,
        seconds=seconds,
        **common,
    )


def _exercise_cell(item: Item, design: _Design | None, done_at: datetime | None) -> Cell:
    if done_at is not None:
        at = f"{timezone.localtime(done_at):%H:%M}"
        if design is None:
            return Cell(item, "done", f"Done {at}", f"Done at {at}", done_at=done_at)
        finished = done_at if done_at >= design.created else design.updated
        hints = design.hints or 0
        return Cell(
            item,
            "done",
            f"Done {at}",
            f"Done at {at}{_hints_text(hints)}",
            None,
            max(design.goals_met, design.goals_total),
            design.goals_total,
            design.edits,
            seconds=int((finished - design.created).total_seconds()),
            done_at=done_at,
            design_slug=design.slug,
            hints=hints,
        )
    if design is None:
        return Cell(item, "todo")
    hints = design.hints or 0
    text, detail = _working(design.goals_met, design.goals_total, design.error_count, hints)
    return Cell(
        item,
        "working",
        text,
        detail,
        design.error_count == 0,
        design.goals_met,
        design.goals_total,
        design.edits,
        seconds=int((design.updated - design.created).total_seconds()),
        design_slug=design.slug,
        hints=hints,
    )


@lru_cache(maxsize=1024)
def _working(met: int, total: int, problems: int, hints: int) -> tuple[str, str]:
    """A cell's text and words for an exercise being worked on (few combinations, many rows)."""
    valid = "the manifest is valid" if not problems else f"it has {_count(problems, 'problem')}"
    return f"{met}/{total}", f"Working: {met} of {total} goals met, {valid}{_hints_text(hints)}"


def _hints_text(hints: int) -> str:
    """The hints a learner used, in words: ``; 2 hints used (up to where to look)``."""
    if not hints:
        return ""
    return f"; {_count(hints, 'hint')} used (up to {HINT_NAMES[hints]})"


def _lesson_cell(item: Item, quiz: "Quiz | None", read_at: datetime | None) -> Cell:
    if quiz is not None:
        detail = f"Quiz: {quiz.first_correct} of {item.questions} right on the first try"
        if quiz.answered < item.questions:
            detail += f", {quiz.answered} of {item.questions} answered"
        text = f"{quiz.first_correct}/{item.questions}"
        if quiz.answered < item.questions:  # (a score out of all, with some still to answer)
            text += f" ({quiz.answered} answered)"
        return Cell(
            item,
            "quiz",
            text,
            detail,
            attempts=quiz.attempts,
            first_correct=quiz.first_correct,
            answered=quiz.answered,
            done_at=quiz.last if quiz.answered >= item.questions else None,
        )
    if read_at is not None:
        return Cell(item, "read", "Read", "Lesson read, quiz not started")
    return Cell(item, "todo")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
