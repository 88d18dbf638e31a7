"""The course: lessons, examples, quizzes, exercises and drills, read from files once per process.

The files are in ``lessons/content`` (see ``lessons.content``) and in the folders
``PODSTUDIO_CONTENT_DIRS`` names; an instructor's lessons come after the shipped ones. The names
below (``LESSONS``, ``EXAMPLES``…) stay the course's one way in for views, classrooms and tests.
"""

from functools import cache

from django.conf import settings

from lessons.content import Choice, Course, Example, Lesson, Question, load_course

__all__ = [
    "Choice",
    "Example",
    "Lesson",
    "Question",
    "course",
    "get_lesson",
    "lessons_using",
    "neighbours",
]


@cache
def course() -> Course:
    return load_course(tuple(getattr(settings, "PODSTUDIO_CONTENT_DIRS", ())))


def __getattr__(name: str):
    # LESSONS, LESSONS_BY_SLUG and EXAMPLES are read from the files on first use.
    if name == "LESSONS":
        return tuple(course().lessons)
    if name == "LESSONS_BY_SLUG":
        return {lesson.slug: lesson for lesson in course().lessons}
    if name == "EXAMPLES":
        return course().examples
    raise AttributeError(name)


def get_lesson(slug: str) -> Lesson:
    """The lesson with this slug; KeyError if there is none."""
    for lesson in course().lessons:
        if lesson.slug == slug:
            return lesson
    raise KeyError(slug)


def neighbours(slug: str) -> tuple[Lesson | None, Lesson | None]:
    """The previous and next lessons in course order."""
    lessons = course().lessons
    index = [lesson.slug for lesson in lessons].index(slug)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following


def lessons_using(example_name: str) -> list[Lesson]:
    return [lesson for lesson in course().lessons if example_name in lesson.examples]
