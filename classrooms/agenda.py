"""What a classroom covers: lessons (read and quizzed), exercises (built) and troubleshooting
drills (a broken Pod fixed until it runs), in order."""

from dataclasses import dataclass

from django.urls import reverse

from lessons.catalog import LESSONS, LESSONS_BY_SLUG, course
from lessons.exercises import DRILL_PREFIX, EXERCISES

LESSON = "lesson"
EXERCISE = "exercise"
DRILL = "drill"


@dataclass(frozen=True)
class Item:
    kind: str  # LESSON, EXERCISE or DRILL
    slug: str
    title: str
    questions: int = 0  # a lesson's quiz questions

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slug}"

    @property
    def column(self) -> str:
        """What the grid's column is about: a lesson's quiz, the exercise, or the drill."""
        return {LESSON: "Quiz", EXERCISE: "Exercise", DRILL: "Drill"}[self.kind]

    @property
    def built(self) -> bool:
        """Worked on in the builder, as a design: an exercise or a drill."""
        return self.kind != LESSON

    @property
    def design_key(self) -> str:
        """What the learner's designs of it say they are of (``Design.exercise``)."""
        return DRILL_PREFIX + self.slug if self.kind == DRILL else self.slug

    @property
    def url(self) -> str:
        """Where a learner goes for it: the lesson, or their own design of it."""
        if self.kind == LESSON:
            return reverse("lessons:lesson", args=[self.slug])
        return reverse(f"classrooms:{self.kind}", args=[self.slug])


def item(kind: str, slug: str) -> Item | None:
    """The agenda item for ``kind`` and ``slug``; ``None`` if the course has no such thing."""
    if kind == LESSON and slug in LESSONS_BY_SLUG:
        lesson = LESSONS_BY_SLUG[slug]
        return Item(LESSON, slug, lesson.title, len(lesson.quiz))
    if kind == EXERCISE and slug in EXERCISES:
        return Item(EXERCISE, slug, EXERCISES[slug].title)
    if kind == DRILL and slug in course().drills:
        return Item(DRILL, slug, course().drills[slug].title)
    return None


def agenda(classroom) -> list[Item]:
    """The classroom's items in its order (anything the course no longer has is left out)."""
    found = (item(entry.get("kind", ""), entry.get("slug", "")) for entry in classroom.items)
    return [entry for entry in found if entry is not None]


def choices() -> list[dict]:
    """Every lesson with its exercise and drills, in course order, for the new-classroom
    form."""
    drills = list(course().drills.values())
    rows = []
    for position, lesson in enumerate(LESSONS, start=1):
        exercise = EXERCISES.get(lesson.exercise) if lesson.exercise else None
        own = [drill for drill in drills if drill.lesson == lesson.slug]
        rows.append({"position": position, "lesson": lesson, "exercise": exercise, "drills": own})
    return rows


def course_position(kind: str, slug: str) -> int:
    """Where an item comes in the course: a lesson, then its exercise, then its drills."""
    drill = course().drills.get(slug) if kind == DRILL else None
    for position, lesson in enumerate(LESSONS):
        if drill is not None:
            if drill.lesson == lesson.slug:
                return position * 3 + 2
        elif lesson.slug == slug or lesson.exercise == slug:
            return position * 3 + (kind == EXERCISE)
    return len(LESSONS) * 3


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
