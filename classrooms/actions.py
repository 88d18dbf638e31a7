"""What an instructor does to a classroom, as keyword-only functions the views and commands call."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Exists, QuerySet
from django.utils import timezone

from classrooms.membership import close_designs, lower_hands
from classrooms.models import Classroom, Member, Message, new_code
from lessons.models import ExerciseDone
from podstudio.builder import livestate, services
from podstudio.builder.models import Design

INSTRUCTORS_GROUP = "instructors"


def is_instructor(user) -> bool:
    """Staff, superusers and members of the group ``instructors`` may run classrooms."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name=INSTRUCTORS_GROUP).exists()


def classrooms_of(user) -> QuerySet[Classroom]:
    """The classrooms ``user`` may open: every one for a superuser; for anyone else their own,
    while they have the instructor role (someone whose role was taken away keeps no access to
    the learners' work). One query: the role is part of it."""
    if not user.is_authenticated:
        return Classroom.objects.none()
    if user.is_superuser:
        return Classroom.objects.all()
    mine = Classroom.objects.filter(instructors=user)
    if user.is_staff:
        return mine
    return mine.filter(Exists(Group.objects.filter(user=user, name=INSTRUCTORS_GROUP)))


def make_instructor(user) -> None:
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    user.groups.add(group)


def create_classroom(
    *, title: str, instructor, items: list[dict], minutes: int = 180, max_learners: int = 300
) -> Classroom:
    """A new classroom with a fresh join code, ending ``minutes`` from now."""
    for _ in range(10):
        code = new_code()
        try:
            with transaction.atomic():
                classroom = Classroom.objects.create(
                    code=code,
                    title=title,
                    items=items,
                    ends_at=timezone.now() + timedelta(minutes=minutes),
                    max_learners=max_learners,
                )
                classroom.instructors.add(instructor)
                return classroom
        except IntegrityError:
            if Classroom.objects.filter(code=code).exists():
                continue  # the code is taken: draw another
            raise  # any other constraint is not the code's to explain
    raise RuntimeError("could not find a free join code")


def _moved_end(classroom: Classroom, ends_at) -> None:
    classroom.ends_at = ends_at
    classroom.changed_at = timezone.now()
    classroom.save(update_fields=["ends_at", "changed_at"])
    learners = Member.objects.filter(classroom=classroom).values("learner_id")
    close_designs(classroom, learner_ids=learners)


def end_classroom(*, classroom: Classroom) -> None:
    """Ends it now: nobody can join, and the learners' designs of its exercises are read-only.
    Raised hands go down: nobody is there to answer them any more."""
    if not classroom.has_ended():
        _moved_end(classroom, timezone.now())
        lower_hands(Member.objects.filter(classroom=classroom, hand_raised_at__isnull=False))


def extend_classroom(*, classroom: Classroom, minutes: int) -> None:
    """Moves the end ``minutes`` later (from now, if it has already ended)."""
    start = max(classroom.ends_at, timezone.now())
    _moved_end(classroom, start + timedelta(minutes=minutes))


def announce(*, classroom: Classroom, text: str, user) -> Message:
    message = Message.objects.create(
        classroom=classroom, kind=Message.ANNOUNCEMENT, text=text, sent_by=user
    )
    Classroom.objects.filter(pk=classroom.pk).update(changed_at=message.created_at)
    return message


def _note(*, member: Member, kind: str, text: str, exercise: str, user) -> Message:
    message = Message.objects.create(
        classroom_id=member.classroom_id,
        member=member,
        kind=kind,
        text=text,
        exercise=exercise,
        sent_by=user,
    )
    Member.objects.filter(pk=member.pk).update(changed_at=message.created_at)
    return message


def send_hint(*, member: Member, text: str, exercise: str, user) -> Message:
    return _note(member=member, kind=Message.HINT, text=text, exercise=exercise, user=user)


def remove_member(*, member: Member) -> None:
    """The member out of the class, with their hand and the notes sent to them (their
    designs are their learner's, and stay: no longer closed at the class's end, as no
    instructor sees them as its results)."""
    classroom, learner_id = member.classroom, member.learner_id
    member.delete()
    close_designs(classroom, learner_ids=[learner_id])


def lower_hand(*, member: Member) -> None:
    lower_hands(Member.objects.filter(pk=member.pk))


def reset_exercise(*, member: Member, exercise: str, user) -> Design | None:
    """Puts the learner's work on ``exercise`` in this classroom back to the exercise's start,
    and forgets that they finished it here. ``None`` if they have no design of it.

    Only this classroom's work changes. Its grid shows the learner's latest design made before
    its end (``grid.build``): that design is reset in place, unless another classroom's end has
    closed it (it belongs to that classroom's frozen results), and then the learner gets a
    fresh design at the exercise's start, which the grid and the agenda link show from now on.
    The done record (one per learner and exercise) is deleted only if no other classroom of the
    learner counts it; this classroom stops counting it either way (the reset's note, which
    ``grid`` reads), until the learner meets every goal again."""
    classroom = member.classroom
    design = (
        Design.objects.filter(
            learner_id=member.learner_id, exercise=exercise, created__lt=classroom.ends_at
        )
        .order_by("-updated", "-id")
        .first()
    )
    if design is None:
        return None
    module = services.exercises_module()
    title, manifest = module.exercise_start(exercise)
    if design.is_closed():
        design = services.create_design(
            manifest=manifest, learner=member.learner, exercise=exercise
        )
    else:
        state = livestate.initial_state(
            goals=services.exercise_goals(exercise, manifest),
            errors=services.errors_of(manifest),
            now=timezone.now(),
        )
        # With no page's edit as its last (``edit_page``), a builder page still open on the old
        # version saves nothing over the reset: it is drawn again
        # (builder.saving.changed_elsewhere).
        Design.objects.filter(pk=design.pk).update(
            manifest=manifest, updated=timezone.now(), edit_page="", **state
        )
    done = ExerciseDone.objects.filter(
        learner_id=member.learner_id, exercise=exercise, hidden_at=None
    ).first()
    if done is not None and not _counted_elsewhere(member, exercise, done.completed_at):
        done.delete()
    _note(
        member=member,
        kind=Message.RESET,
        text=f"Your instructor put “{title}” back to its start.",
        exercise=exercise,
        user=user,
    )
    return design


def _counted_elsewhere(member: Member, exercise: str, completed_at) -> bool:
    """Whether another classroom of the learner covering ``exercise`` counts a completion at
    ``completed_at`` (one before its end) in its results."""
    others = Classroom.objects.filter(
        members__learner_id=member.learner_id, ends_at__gt=completed_at
    ).exclude(pk=member.classroom_id)
    return any(exercise in other.exercises for other in others.only("items"))


def update_thresholds(*, classroom: Classroom, **thresholds: int) -> None:
    for name, value in thresholds.items():
        setattr(classroom, name, value)
    classroom.save(update_fields=list(thresholds))
