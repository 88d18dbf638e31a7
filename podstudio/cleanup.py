"""Forgetting what nobody will come back to: old designs, empty learners, old rate counters.

Sessions expire on their own (``manage.py clearsessions`` deletes them); a learner's designs and
progress outlive the session so a learner can come back, but not for ever.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from classrooms.models import Member
from lessons.models import ExerciseDone, Learner, LessonRead, QuizAnswer
from podstudio import ratelimit
from podstudio.builder.models import Design


@dataclass(frozen=True)
class Cleaned:
    designs: int
    learners: int
    rate_counters: int


def clean_up(*, days: int) -> Cleaned:
    """Deletes designs untouched for ``days`` and learners of that age with nothing left (a
    classroom member is never "nothing": their name and PIN still reach their work)."""
    cutoff = timezone.now() - timedelta(days=days)
    designs, _ = Design.objects.filter(updated__lt=cutoff).delete()
    empty = Learner.objects.filter(created_at__lt=cutoff).exclude(
        Exists(Design.objects.filter(learner=OuterRef("pk")))
        | Exists(LessonRead.objects.filter(learner=OuterRef("pk")))
        | Exists(QuizAnswer.objects.filter(learner=OuterRef("pk")))
        | Exists(ExerciseDone.objects.filter(learner=OuterRef("pk")))
        | Exists(Member.objects.filter(learner=OuterRef("pk")))  # can rejoin with their PIN
    )
    learners = empty.count()
    empty.delete()
    return Cleaned(designs, learners, ratelimit.forget_old())
