"""A classroom: an instructor's live workshop that learners join with a short code.

Learners stay what they are everywhere else (a ``lessons.Learner`` hanging off a session);
joining adds a ``Member`` row with a display name, so their progress comes along and nothing
about them needs an account.
"""

import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Easy to read aloud and to type, hard to guess: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 6
NAME_LENGTH = 40


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a learner typed (or a URL holds), as a code: only ASCII letters and digits count,
    case, spaces and dashes do not matter, and nothing else reaches the database (PostgreSQL
    refuses a NUL byte in text with an error). Fullwidth letters and digits, as a Japanese or
    Chinese input method types them ("４３ＭＫ"), are the plain ones (NFKC)."""
    typed = unicodedata.normalize("NFKC", (text or "")[:100]).upper()
    return "".join(ch for ch in typed if ch.isascii() and ch.isalnum())[:20]


def pin_digits(text: str) -> str:
    """The digits of a typed PIN as ASCII: fullwidth ("９３５") or Arabic-Indic ("٩٣٥") digits,
    as some input methods type them, are the plain ones; anything else typed is left out."""
    digits = (unicodedata.decimal(ch, None) for ch in (text or "")[:100])
    return "".join(str(digit) for digit in digits if digit is not None)


def name_key(name: str) -> str:
    """Two names that only differ in case, spacing or compatibility form are the same name:
    NFKC folds fullwidth letters ("Ｂｏｂ"), ligatures ("ﬁ") and the like into plain ones before
    case is folded (and once more after, as case folding can undo it). Confusables across
    scripts (a Cyrillic "В" for a Latin "B") are out of scope: they stay different names.
    Kept to the column's length (a few characters grow under NFKC)."""
    folded = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return unicodedata.normalize("NFKC", folded)[:NAME_LENGTH]


def default_end():
    return timezone.now() + timedelta(hours=3)


class Classroom(models.Model):
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code)
    title = models.CharField(max_length=120)
    # What the class covers, in order: [{"kind": "lesson" | "exercise", "slug": "..."}].
    items = models.JSONField(default=list)
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classrooms")
    created_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField(default=default_end)
    max_learners = models.PositiveIntegerField(default=300)
    # The stuck rule's thresholds (classrooms/stuck.py), tuned per classroom.
    stuck_minutes = models.PositiveSmallIntegerField(
        default=8, help_text="Minutes working on an exercise without meeting a new goal."
    )
    same_error_minutes = models.PositiveSmallIntegerField(
        default=4, help_text="Minutes the same error has stayed."
    )
    same_error_edits = models.PositiveSmallIntegerField(
        default=5, help_text="Edits in a row that kept the same error."
    )
    idle_minutes = models.PositiveSmallIntegerField(
        default=5, help_text="Minutes without any activity before a learner counts as idle."
    )
    # Bumped when every learner's page should update (an announcement, the end moved).
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def has_ended(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def exercises(self) -> list[str]:
        """What its learners' designs of its exercises and drills say they are of
        (``Design.exercise``: a drill's is ``drill:<slug>``)."""
        return [
            item["slug"] if item.get("kind") == "exercise" else f"drill:{item['slug']}"
            for item in self.items
            if item.get("kind") in ("exercise", "drill")
        ]

    @property
    def lessons(self) -> list[str]:
        return [item["slug"] for item in self.items if item.get("kind") == "lesson"]


class Member(models.Model):
    """A learner in a classroom, under the display name they chose when joining."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="members")
    learner = models.ForeignKey(
        "lessons.Learner", on_delete=models.CASCADE, related_name="memberships"
    )
    name = models.CharField(max_length=NAME_LENGTH)
    name_key = models.CharField(max_length=NAME_LENGTH)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Secrets to rejoin from another browser, kept as keyed hashes (classrooms/membership.py).
    pin_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    hand_message = models.CharField(max_length=200, blank=True)
    # When they pressed "Leave" in their browser while the class ran (the membership stays, and
    # a rejoin clears it): the grid shows them as gone rather than idle.
    left_at = models.DateTimeField(null=True, blank=True)
    # Bumped when this learner's page should update (a hint, a reset, their hand lowered).
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_key"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "name_key"], name="one_name_per_class"),
            models.UniqueConstraint(fields=["classroom", "learner"], name="join_a_class_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.classroom.code}"


class Message(models.Model):
    """An announcement to the whole class (no member) or a note to one learner."""

    ANNOUNCEMENT = "announcement"
    HINT = "hint"
    RESET = "reset"
    KINDS = [(ANNOUNCEMENT, "Announcement"), (HINT, "Hint"), (RESET, "Exercise reset")]

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="messages")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=16, choices=KINDS)
    text = models.TextField(max_length=1000)
    exercise = models.CharField(max_length=80, blank=True)  # what a hint or reset is about
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} in {self.classroom.code}"

    @property
    def exercise_url(self) -> str:
        """The agenda link of the exercise or drill (``drill:<slug>``) it is about."""
        drill = self.exercise.removeprefix("drill:")
        if drill != self.exercise:
            return reverse("classrooms:drill", args=[drill])
        return reverse("classrooms:exercise", args=[self.exercise])
