"""Spaced review: what a learner missed comes back after 1, 3, 7 and 21 days (Leitner boxes).

A quiz question answered wrong the first time, an exercise finished with hints and a drill run
with hints enter box 1, due a day later. Reviewed right, an item moves up a box and waits that
box's interval; wrong (or helped by a hint again), it goes back to box 1. Out of the last box it
is learnt and retires. ``next_box`` and ``due_after`` are the whole schedule, as plain functions.

The streak counts the days in a row, up to today or yesterday, on which the learner practised.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import ActivityDay, HintUse, ReviewItem

INTERVALS = (1, 3, 7, 21)  # days to wait in box 1, 2, 3, 4
QUESTION, EXERCISE, DRILL = "question", "exercise", "drill"


def due_after(box: int, now: datetime) -> datetime:
    return now + timedelta(days=INTERVALS[box - 1])


def next_box(box: int, *, right: bool) -> int | None:
    """The box after a review: one up when right (``None`` past the last: learnt), else 1."""
    if not right:
        return 1
    return box + 1 if box < len(INTERVALS) else None


def replay(history: list[tuple[datetime, bool]], start: datetime) -> tuple[int | None, datetime]:
    """The box and due time after an item missed at ``start`` was reviewed as in ``history``
    (``(when, right)`` pairs; reviews before the item is due do not move it)."""
    box: int | None = 1
    due = due_after(1, start)
    for when, right in history:
        if box is None or when < due:
            continue
        box = next_box(box, right=right)
        if box is not None:
            due = due_after(box, when)
    return box, due


def streak(days: set[date], today: date) -> int:
    """Days in a row practised, ending today (or yesterday, when today has no practice yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


# --- actions -------------------------------------------------------------------------------


def practised(*, learner_id: int, now: datetime | None = None) -> None:
    """Marks today as a day of practice (once a day)."""
    day = timezone.localdate(now or timezone.now())
    if not ActivityDay.objects.filter(learner_id=learner_id, day=day).exists():
        try:
            with transaction.atomic():
                ActivityDay.objects.create(learner_id=learner_id, day=day)
        except IntegrityError:
            pass  # the same day recorded by a request running at the same time


def missed(*, learner_id: int, kind: str, key: str, now: datetime | None = None) -> None:
    """Puts an item in box 1, due tomorrow (an item already there goes back to box 1)."""
    now = now or timezone.now()
    ReviewItem.objects.update_or_create(
        learner_id=learner_id,
        kind=kind,
        key=key,
        defaults={"box": 1, "due_at": due_after(1, now), "retired": False},
    )


def reviewed(item: ReviewItem, *, right: bool, now: datetime | None = None) -> ReviewItem:
    """Moves a due item after a review; an item not yet due stays where it is."""
    now = now or timezone.now()
    if item.retired or item.due_at > now:
        return item
    box = next_box(item.box, right=right)
    item.reviewed_at = now
    if box is None:
        item.retired = True
    else:
        item.box, item.due_at = box, due_after(box, now)
    item.save(update_fields=["box", "due_at", "reviewed_at", "retired"])
    practised(learner_id=item.learner_id, now=now)
    return item


def due_items(learner_id: int | None, now: datetime | None = None) -> list[ReviewItem]:
    if learner_id is None:
        return []
    return list(
        ReviewItem.objects.filter(
            learner_id=learner_id, retired=False, due_at__lte=now or timezone.now()
        ).order_by("due_at")
    )


def due_count(learner_id: int | None, now: datetime | None = None) -> int:
    if learner_id is None:
        return 0
    return ReviewItem.objects.filter(
        learner_id=learner_id, retired=False, due_at__lte=now or timezone.now()
    ).count()


def learner_streak(learner_id: int | None, today: date | None = None) -> int:
    if learner_id is None:
        return 0
    today = today or timezone.localdate()
    days = set(
        ActivityDay.objects.filter(
            learner_id=learner_id, day__gte=today - timedelta(days=400)
        ).values_list("day", flat=True)
    )
    return streak(days, today)


def question_answered(*, learner_id: int, lesson: str, question: str, first_try_right: bool):
    """A first answer: a wrong one starts the question's review."""
    practised(learner_id=learner_id)
    if not first_try_right:
        missed(learner_id=learner_id, kind=QUESTION, key=f"{lesson}/{question}")


def exercise_finished(*, learner_id: int, exercise: str, kind: str = EXERCISE) -> None:
    """An exercise (or drill) finished: with hints, it comes back for review; a due review of it
    moves up a box, unless a hint was needed again since it fell due."""
    item = ReviewItem.objects.filter(learner_id=learner_id, kind=kind, key=exercise).first()
    hint_key = exercise if kind == EXERCISE else f"drill:{exercise}"
    now = timezone.now()
    if item is None:
        if HintUse.objects.filter(
            learner_id=learner_id, exercise=hint_key, hidden_at=None
        ).exists():
            missed(learner_id=learner_id, kind=kind, key=exercise, now=now)
        practised(learner_id=learner_id, now=now)
        return
    if item.retired or item.due_at > now:
        return
    since = item.reviewed_at or item.created_at  # hints of earlier attempts do not count
    helped = HintUse.objects.filter(
        learner_id=learner_id, exercise=hint_key, used_at__gte=since, hidden_at=None
    ).exists()
    reviewed(item, right=not helped, now=now)
