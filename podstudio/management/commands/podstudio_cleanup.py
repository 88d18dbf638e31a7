from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from podstudio.cleanup import clean_up


class Command(BaseCommand):
    help = (
        "Deletes designs untouched for --days (default PODSTUDIO_RETENTION_DAYS), learners of "
        "that age with nothing saved, and old rate-limit counters. Run daily, after clearsessions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.PODSTUDIO_RETENTION_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        cleaned = clean_up(days=days)
        self.stdout.write(
            f"deleted {cleaned.designs} design(s) untouched for {days} days, "
            f"{cleaned.learners} empty learner(s), {cleaned.rate_counters} old rate counter(s)"
        )
