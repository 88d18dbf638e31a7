"""``manage.py podstudio_content check [DIR ...]``: checks course content folders.

Without a folder it checks the shipped course and every PODSTUDIO_CONTENT_DIRS folder. Each file
is read against its schema; every example must be a valid Pod with the QoS class and Pod Security
level it states, every exercise must fail at its start and pass with its solution, every drill's
story must hold together. Mistakes are printed as ``file:line: message``; the exit code is 1 when
there is any.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lessons.content import SHIPPED_DIR, merge, read_folder


class Command(BaseCommand):
    help = "Checks lesson content folders (schema, examples, exercises, drills)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("folders", nargs="*", help="content folders (default: all in use)")

    def handle(self, *args, action: str, folders: list[str], **options):
        shipped = read_folder(SHIPPED_DIR, shipped=True)
        wanted = folders or [str(SHIPPED_DIR), *settings.PODSTUDIO_CONTENT_DIRS]
        courses = []
        for folder in wanted:
            path = Path(folder)
            if path.resolve() == SHIPPED_DIR.resolve():
                courses.append(shipped)
            else:
                courses.append(
                    read_folder(path, shipped=False, available_examples=tuple(shipped.examples))
                )
        if folders and str(SHIPPED_DIR) not in wanted:
            courses.insert(0, shipped)  # names an instructor's lessons must not take
            shipped_mistakes = set(map(str, shipped.mistakes))
        else:
            shipped_mistakes = set()
        course = merge(courses)
        mistakes = [m for m in course.mistakes if str(m) not in shipped_mistakes]
        for mistake in mistakes:
            self.stdout.write(str(mistake))
        lessons = [
            lesson
            for lesson in course.lessons
            if any(
                lesson.folder.startswith(str(Path(f).resolve())) or lesson.folder.startswith(f)
                for f in wanted
            )
        ]
        summary = f"{len(lessons)} lesson(s) checked, {len(mistakes)} mistake(s)"
        if mistakes:
            raise CommandError(summary)
        self.stdout.write(summary)
