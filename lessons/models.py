"""A learner's progress, kept without an account: a Learner row hangs off the Django session."""

import secrets

from django.db import models
from django.utils import timezone


def new_learner_key() -> str:
    return secrets.token_hex(16)


def _hidden_at() -> models.DateTimeField:
    """When a progress row stopped being the learner's own while an ended classroom counts it
    (they reset their progress, or changed a quiz answer): the row stays as it was for the
    frozen results of the classrooms that had ended by then (``classrooms.grid``), hidden from
    the learner, whose new row replaces it (one visible row per item: ``VISIBLE``)."""
    return models.DateTimeField(null=True, blank=True)


VISIBLE = models.Q(hidden_at__isnull=True)


class Learner(models.Model):
    """One learner, known by the session that stores this row's id.

    Designs, progress and the sandbox namespace belong to the learner, not to a session key: a
    learner exists only once a real session has been saved for them, and can later be reached
    from another browser (classrooms' rejoin) without losing any of it.
    """

    # An opaque name for the learner outside the database (the sandbox namespace hashes it).
    key = models.CharField(max_length=32, unique=True, default=new_learner_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"learner {self.pk}"


class LessonRead(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="lessons_read")
    lesson = models.CharField(max_length=64)
    read_at = models.DateTimeField(auto_now_add=True)
    hidden_at = _hidden_at()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson"], condition=VISIBLE, name="lesson_read_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} read {self.lesson}"


class QuizAnswer(models.Model):
    """The learner's latest answer to one quiz question, and their first: only a right first
    answer counts in a score (a wrong answer followed by the right one is "right on the second
    try")."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="quiz_answers")
    lesson = models.CharField(max_length=64)
    question = models.CharField(max_length=64)
    choice = models.CharField(max_length=8)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now=True)
    first_choice = models.CharField(max_length=8, default="")
    first_correct = models.BooleanField(default=False)
    first_answered_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=1)  # different choices tried so far
    hidden_at = _hidden_at()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "question"],
                condition=VISIBLE,
                name="one_answer_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} answered {self.lesson}/{self.question}"


class ExerciseDone(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="exercises_done")
    exercise = models.CharField(max_length=64)
    completed_at = models.DateTimeField(auto_now_add=True)
    hidden_at = _hidden_at()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "exercise"], condition=VISIBLE, name="exercise_done_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} did {self.exercise}"


class HintUse(models.Model):
    """A hint the learner asked for: level 1 (a nudge), 2 (the field) or 3 (the solution)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="hints_used")
    exercise = models.CharField(max_length=80)  # an exercise's slug, or drill:<slug>
    design = models.CharField(max_length=16)  # the design (attempt) it helped with
    level = models.PositiveSmallIntegerField()
    used_at = models.DateTimeField(default=timezone.now)
    hidden_at = _hidden_at()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "design", "level"], condition=VISIBLE, name="hint_used_once"
            ),
        ]
        indexes = [models.Index(fields=["learner", "exercise"])]

    def __str__(self) -> str:
        return f"{self.learner} hint {self.level} on {self.exercise}"


class ReviewItem(models.Model):
    """Something the learner missed, coming back on a schedule (Leitner boxes, lessons.review)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="review_items")
    kind = models.CharField(max_length=16)  # "question", "exercise" or "drill"
    key = models.CharField(max_length=160)  # "lesson/question" or a slug
    box = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    retired = models.BooleanField(default=False)  # out of the last box: learnt
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "kind", "key"], name="one_review_item"),
        ]
        indexes = [models.Index(fields=["learner", "retired", "due_at"])]

    def __str__(self) -> str:
        return f"{self.learner} reviews {self.kind} {self.key} (box {self.box})"


class ActivityDay(models.Model):
    """A day on which the learner practised (for the streak)."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="activity_days")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "day"], name="one_activity_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} practised on {self.day}"


class DrillRun(models.Model):
    """One run of a drill's Pod, in the sandbox or played offline, and whether it ran."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="drill_runs")
    drill = models.CharField(max_length=80)
    design = models.CharField(max_length=16, blank=True)  # the design's slug
    pod = models.CharField(max_length=253, blank=True)  # the Pod's name in the sandbox
    mode = models.CharField(max_length=8)  # "sandbox" or "offline"
    status = models.CharField(max_length=40)  # what kubectl get pods showed last
    ok = models.BooleanField(default=False)  # Running, Ready, and the fix kept every goal
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["learner", "drill"])]

    def __str__(self) -> str:
        return f"{self.learner} ran {self.drill}: {self.status}"


class PracticeRound(models.Model):
    """A timed round of tasks drawn from the course's exercises and drills."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="rounds")
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.learner}'s round of {self.started_at:%Y-%m-%d %H:%M}"


class PracticeTask(models.Model):
    round = models.ForeignKey(PracticeRound, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8)  # "exercise" or "drill"
    slug = models.CharField(max_length=80)
    design = models.CharField(max_length=16, blank=True)  # the design made for it
    passed = models.BooleanField(null=True)  # scored when the round ends

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"task {self.position}: {self.kind} {self.slug}"
