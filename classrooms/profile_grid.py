"""``python classrooms/profile_grid.py``: the CPU cost of one class grid refresh, for profiling.

Not a test and not part of ``make bench``: a tool to find where a refresh spends its time. It
seeds a throwaway SQLite database as ``classrooms.bench`` leaves it (a classroom with a lesson
and its exercise, N learners who joined and opened the exercise, each having typed; a share of
them with an error, a few stuck, some done; ``--quizzes`` adds quiz answers and lessons read),
then takes refreshes as the page sends them (what it shows, so only changed rows come back),
with a share of the learners typing between two refreshes, and prints the process CPU time per
refresh (min and median). ``--profile`` prints cProfile's top functions instead.

``--root DIR`` imports the project from another checkout, so two versions can be compared on
the same database at the same moment (``--db`` keeps and reuses the seeded file).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def _setup(root: Path, db: Path) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "podstudio.settings",
            "DEBUG": "false",
            "SECRET_KEY": "profile-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": f"sqlite:///{db}",
            "LOG_LEVEL": "ERROR",
            "PODSTUDIO_SANDBOX_KUBECONFIG": "",
            "STATIC_ROOT": str(db.parent / "static"),
        }
    )
    import django

    django.setup()
    if not (db.parent / "static").exists():
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)


def _seed(size: int, quizzes: bool) -> str:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from classrooms import actions
    from classrooms.agenda import from_exercises
    from classrooms.models import Member
    from lessons.catalog import get_lesson
    from lessons.models import ExerciseDone, Learner, LessonRead, QuizAnswer
    from podstudio.builder.models import Design

    call_command("migrate", "--noinput", verbosity=0)
    user = get_user_model().objects.create_user(username="prof", password="a-long-password-1")
    actions.make_instructor(user)
    exercise = "set-requests-limits"
    classroom = actions.create_classroom(
        title="Profile", instructor=user, items=from_exercises([exercise]), minutes=180,
        max_learners=size,
    )  # fmt: skip
    now = timezone.now()
    rng = random.Random(9)
    lesson = get_lesson("resources")
    for number in range(size):
        learner = Learner.objects.create()
        Member.objects.create(
            classroom=classroom, learner=learner, name=f"learner {number:03d}",
            name_key=f"learner {number:03d}", pin_hash="x", token_hash=f"t{number}",
            hand_raised_at=now if number % 50 == 7 else None, hand_message="help <me>",
        )  # fmt: skip
        started = now - timedelta(minutes=rng.randint(1, 20))
        error = number % 3 == 0
        design = Design.objects.create(
            manifest={"apiVersion": "v1", "kind": "Pod"}, exercise=exercise, learner=learner,
            goals_met=rng.randint(0, 4), goals_total=5, goals_best=4,
            goal_at=now - timedelta(minutes=rng.randint(9, 15) if number % 25 == 0 else
                                    rng.randint(0, 7)), error_count=int(error),
            first_error="spec.containers[0].resources.requests[cpu]: must be a quantity"
            if error else "",
            error_since=now - timedelta(minutes=rng.randint(0, 6)) if error else None,
            error_edits=rng.randint(0, 8) if error else 0, edits=rng.randint(1, 200),
        )  # fmt: skip
        Design.objects.filter(pk=design.pk).update(created=started)
        if number % 10 == 0:
            ExerciseDone.objects.create(learner=learner, exercise=exercise)
        if quizzes:
            for question in lesson.quiz[: number % (len(lesson.quiz) + 1)]:
                QuizAnswer.objects.create(
                    learner=learner, lesson=lesson.slug, question=question.id, choice="a",
                    correct=True, first_correct=number % 2 == 0, attempts=1 + number % 3,
                )  # fmt: skip
            if number % 2:
                LessonRead.objects.create(learner=learner, lesson=lesson.slug)
    return classroom.code


def _type(share: float, rng: random.Random) -> None:
    """A share of the learners each send one keystroke: their design's live state moves on."""
    from django.db import connection
    from django.utils import timezone

    from podstudio.builder.models import Design

    ids = list(Design.objects.values_list("id", flat=True))
    now = timezone.now()
    with connection.cursor() as cursor:
        for design_id in rng.sample(ids, int(len(ids) * share)):
            error = rng.random() < 1 / 3
            cursor.execute(
                "UPDATE builder_design SET updated=%s, edits=edits+1, error_count=%s, "
                "goals_met=%s WHERE id=%s",
                [now, int(error), rng.randint(0, 4), design_id],
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--db", default="", help="SQLite file: seeded if missing, then reused")
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--quizzes", action="store_true", help="also quiz answers and reads")
    parser.add_argument("--refreshes", type=int, default=40)
    parser.add_argument("--typing", type=float, default=0.4, help="share typing per refresh")
    parser.add_argument("--profile", action="store_true", help="cProfile's top functions")
    parser.add_argument("--sort", default="tottime", help="cProfile's order (cumulative…)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    db = Path(args.db).resolve() if args.db else Path(tempfile.mkdtemp()) / "profile.sqlite3"
    fresh = not db.exists()
    _setup(Path(args.root).resolve(), db)

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from classrooms.models import Classroom

    if fresh:
        _seed(args.learners, args.quizzes)
    classroom = Classroom.objects.get()
    client = Client()
    client.force_login(get_user_model().objects.get(username="prof"))
    url = reverse("classrooms:refresh", args=[classroom.code])
    page = client.get(reverse("classrooms:detail", args=[classroom.code])).content.decode()
    shown = page.split('id="grid-shown" value="', 1)[1].split('"', 1)[0]
    rng = random.Random(2)

    def refresh(profiler=None) -> float:
        nonlocal shown
        _type(args.typing, rng)
        if profiler:
            profiler.enable()
        started = time.process_time()
        body = client.post(url, {"shown": shown}, HTTP_HX_REQUEST="true").content.decode()
        spent = time.process_time() - started
        if profiler:
            profiler.disable()
        shown = body.split('id="grid-shown" value="', 1)[1].split('"', 1)[0]
        return spent * 1000

    for _ in range(3):
        refresh()  # warm: caches, connections, compiled templates
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        for _ in range(args.refreshes):
            refresh(profiler)
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return 0
    timings = [refresh() for _ in range(args.refreshes)]
    print(
        f"{args.root}: {args.learners} learners, {args.typing:.0%} typing between refreshes: "
        f"CPU per refresh min {min(timings):.1f} ms, median {statistics.median(timings):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
