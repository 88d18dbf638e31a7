"""What a classroom covers: lessons (read and quizzed) and exercises (built), in order."""

from dataclasses import dataclass

from django.urls import reverse

from lessons.catalog import LESSONS, LESSONS_BY_SLUG
from lessons.exercises import EXERCISES

LESSON = "lesson"
EXERCISE = "exercise"


@dataclass(frozen=True)
class Item:
    kind: str  # LESSON or EXERCISE
    slug: str
    title: str
    questions: int = 0  # a lesson's quiz questions

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slug}"

    @property
    def column(self) -> str:
        """What the grid's column is about: a lesson's quiz, or the exercise."""
        return "Quiz" if self.kind == LESSON else "Exercise"

    @property
    def url(self) -> str:
        """Where a learner goes for it: the lesson, or their own design of the exercise."""
        if self.kind == LESSON:
            return reverse("lessons:lesson", args=[self.slug])
        return reverse("classrooms:exercise", args=[self.slug])


def item(kind: str, slug: str) -> Item | None:
    """The agenda item for ``kind`` and ``slug``; ``None`` if the course has no such thing."""
    if kind == LESSON and slug in LESSONS_BY_SLUG:
        lesson = LESSONS_BY_SLUG[slug]
        return Item(LESSON, slug, lesson.title, len(lesson.quiz))
    if kind == EXERCISE and slug in EXERCISES:
        return Item(EXERCISE, slug, EXERCISES[slug].title)
    return None


def agenda(classroom) -> list[Item]:
    """The classroom's items in its order (anything the course no longer has is left out)."""
    found = (item(entry.get("kind", ""), entry.get("slug", "")) for entry in classroom.items)
    return [entry for entry in found if entry is not None]


def choices() -> list[dict]:
    """Every lesson with its exercise, in course order, for the new-classroom form."""
    rows = []
    for position, lesson in enumerate(LESSONS, start=1):
        exercise = EXERCISES.get(lesson.exercise) if lesson.exercise else None
        rows.append({"position": position, "lesson": lesson, "exercise": exercise})
    return rows


def course_position(kind: str, slug: str) -> int:
    """Where an item comes in the course: a lesson, then its exercise."""
    for position, lesson in enumerate(LESSONS):
        if lesson.slug == slug or lesson.exercise == slug:
            return position * 2 + (kind == EXERCISE)
    return len(LESSONS) * 2


def ordered(entries: list[tuple[int | None, str, str]]) -> list[dict]:
    """Items as stored: ``(chosen position or None, kind, slug)`` sorted by the chosen position,
    then by the course's own order; each item once."""
    seen: set[tuple[str, str]] = set()
    result = []
    ranked = sorted(
        entries,
        key=lambda e: (e[0] if e[0] is not None else 10_000, course_position(e[1], e[2])),
    )
    for _, kind, slug in ranked:
        if (kind, slug) not in seen and item(kind, slug) is not None:
            seen.add((kind, slug))
            result.append({"kind": kind, "slug": slug})
    return result


def from_exercises(slugs: list[str]) -> list[dict]:
    """The items for a list of exercises (the command line's ``--exercises``): each exercise
    after its lesson, in the order given. Unknown slugs raise ``KeyError``."""
    result = []
    for slug in slugs:
        exercise = EXERCISES[slug]
        if item(LESSON, exercise.lesson) is not None:
            result.append({"kind": LESSON, "slug": exercise.lesson})
        result.append({"kind": EXERCISE, "slug": slug})
    return result
