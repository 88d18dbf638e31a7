"""A learner's progress, kept without an account: a Learner row hangs off the Django session."""

import secrets

from django.db import models
from django.utils import timezone


def new_learner_key() -> str:
    return secrets.token_hex(16)


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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="lesson_read_once"),
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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} answered {self.lesson}/{self.question}"


class ExerciseDone(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="exercises_done")
    exercise = models.CharField(max_length=64)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "exercise"], name="exercise_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} did {self.exercise}"
