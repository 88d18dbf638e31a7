"""``manage.py podstudio_instructor NAME --password-from-stdin``: an instructor, no admin needed."""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from classrooms.actions import make_instructor


class Command(BaseCommand):
    help = "Creates an instructor (or sets an existing user's password and makes them one)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the username to sign in with")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args, name: str, password_from_stdin: bool, **options):
        if not password_from_stdin:
            raise CommandError("pass --password-from-stdin and the password on standard input")
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        User = get_user_model()
        user = User.objects.filter(username=name).first() or User(username=name)
        try:
            user.full_clean(exclude=["password"])
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        created = user.pk is None
        user.set_password(password)
        user.save()
        make_instructor(user)
        verb = "created" if created else "updated"
        self.stdout.write(f"instructor {name} {verb}")
