"""``manage.py podstudio_classroom create --title T --instructor NAME [--exercises a,b,c]
[--minutes 180]``: a classroom from a terminal.

Prints the join code alone on the last line of stdout, so scripts can read it with ``tail -1``.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from classrooms import actions, agenda
from lessons.exercises import EXERCISES


class Command(BaseCommand):
    help = "Creates a classroom and prints its join code."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="create a classroom")
        create.add_argument("--title", required=True)
        create.add_argument("--instructor", required=True, help="an instructor's username")
        create.add_argument(
            "--exercises", default="", help="comma-separated exercise slugs, in class order"
        )
        create.add_argument("--minutes", type=int, default=180, help="length (default 180)")
        create.add_argument("--max-learners", type=int, default=300)

    def handle(self, *args, command: str, **options):
        title = options["title"].strip()
        if not title or len(title) > 120:
            raise CommandError("--title must be 1 to 120 characters")
        if not 10 <= options["minutes"] <= 7 * 24 * 60:
            raise CommandError("--minutes must be between 10 and 10080")
        if not 1 <= options["max_learners"] <= 1000:
            raise CommandError("--max-learners must be between 1 and 1000")
        user = get_user_model().objects.filter(username=options["instructor"]).first()
        if user is None or not actions.is_instructor(user):
            raise CommandError(
                f"{options['instructor']!r} is not an instructor "
                "(make one with manage.py podstudio_instructor)"
            )
        slugs = [slug.strip() for slug in options["exercises"].split(",") if slug.strip()]
        unknown = [slug for slug in slugs if slug not in EXERCISES]
        if unknown:
            raise CommandError(
                f"unknown exercise(s): {', '.join(unknown)}; known: {', '.join(EXERCISES)}"
            )
        items = agenda.from_exercises(slugs)
        classroom = actions.create_classroom(
            title=title,
            instructor=user,
            items=items,
            minutes=options["minutes"],
            max_learners=options["max_learners"],
        )
        self.stdout.write(
            f"classroom “{classroom.title}” ends at {classroom.ends_at:%Y-%m-%d %H:%M} UTC"
        )
        self.stdout.write(classroom.code)
