"""CronJob schedules, Pod Studio's reading against robfig/cron's own.

The API server parses a CronJob's schedule with robfig/cron and kube-controller-manager runs it
with the same package; ``sandbox/cronnext`` is that package at the version the sandbox pins,
printing the parse error or the next runs of each schedule. Pod Studio must refuse the same
schedules (``schedule_error``), know when one fires (``schedule_times``, which the exercise
goals compare) and say which never come round (``rare_schedule``, a finding). Schedules come
from a table of the surprising ones and from a seeded generator of every field form.
"""

import json
import os
import random
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from podstudio.builder.schedule import describe_schedule
from podstudio.engine.validation.cron import rare_schedule, schedule_error, schedule_times

pytestmark = pytest.mark.sandbox

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"
START = datetime(2027, 1, 1, tzinfo=UTC)  # cronnext's first "now"
RUNS = 12

TABLE = [
    "0 3 * * *",
    "30 2 * * 1-5",
    "30 2 * * MON-FRI",
    "0 3 * * 7",  # Sunday in some crons, out of range here
    "0 0 1 * 1",  # both day fields: either one
    "0 0 1 * */2",  # a step over 1 is not *: either one again
    "0 0 1 * */1",  # ... but */1 is *: both
    "0 0 */1 * 1",
    "0 0 ? * mon",
    "0 0 31 4 *",  # never
    "0 0 31 4 */2",  # every other weekday of April instead
    "0 0 30,31 2 *",
    "0 0 29 2 *",  # leap years
    "0 0 29-31 2 *",
    "5/15 * * * *",  # N/step is N-max/step
    "*/0 * * * *",
    "1-2-3 * * * *",
    "0 0 * * sun-sat",
    "0 0 * * SAT-SUN",
    "0 0 L * *",
    "@daily",
    "@weekly",
    "@every 90m",
    "@every 1x",
    "TZ=UTC 0 3 * * *",
    " 0 3 * * *",
    "0 3 * *",
    "-1 * * * *",
    "+5 * * * *",
]

_NAMES = {
    3: ["jan", "FEB", "Mar", "apr", "dec", "sep"],
    4: ["sun", "MON", "Tue", "wed", "sat", "fri"],
}
_BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


def _value(rng: random.Random, index: int) -> str:
    low, high = _BOUNDS[index]
    if index in _NAMES and rng.random() < 0.25:
        return rng.choice(_NAMES[index])
    if rng.random() < 0.08:
        return str(rng.choice([low - 1, high + 1, high + 3]))  # out of range
    return str(rng.randint(low, high))


def _part(rng: random.Random, index: int) -> str:
    form = rng.choice(["star", "question", "value", "range", "step", "stepped-range", "n-step"])
    if form == "star":
        return "*"
    if form == "question":
        return "?"
    if form == "value":
        return _value(rng, index)
    if form == "range":
        return f"{_value(rng, index)}-{_value(rng, index)}"
    step = rng.choice([1, 1, 2, 3, 5, 7, 15, 0])
    if form == "step":
        return f"*/{step}"
    if form == "stepped-range":
        return f"{_value(rng, index)}-{_value(rng, index)}/{step}"
    return f"{_value(rng, index)}/{step}"


def _schedule(rng: random.Random) -> str:
    fields = []
    for index in range(5):
        if rng.random() < 0.45:
            fields.append("*")
        else:
            fields.append(",".join(_part(rng, index) for _ in range(rng.choice([1, 1, 1, 2, 3]))))
    return " ".join(fields)


GENERATED = [_schedule(random.Random(seed)) for seed in range(int(os.environ.get("N", "800")))]


@pytest.fixture(scope="module")
def robfig(tmp_path_factory) -> dict[str, dict]:
    """robfig/cron's answer for every schedule of this module, from one run of cronnext."""
    if shutil.which("go") is None:
        if os.environ.get("PODSTUDIO_SANDBOX_REQUIRED"):
            pytest.fail("Go is needed to build sandbox/cronnext")
        pytest.skip("Go is not installed: sandbox/cronnext cannot be built")
    binary = tmp_path_factory.mktemp("cronnext") / "cronnext"
    subprocess.run(
        ["go", "build", "-o", str(binary), "./cronnext"], cwd=SANDBOX, check=True, timeout=600
    )
    schedules = [*TABLE, *GENERATED]
    output = subprocess.run(
        [str(binary)], input="\n".join(schedules) + "\n", capture_output=True, text=True,
        check=True, timeout=120,
    ).stdout  # fmt: skip
    answers = [json.loads(line) for line in output.splitlines()]
    assert [answer["schedule"] for answer in answers] == schedules
    return {answer["schedule"]: answer for answer in answers}


def _runs(times: tuple) -> list[str]:
    """The next runs after START of a schedule with these times, worked out day by day."""
    minutes, hours, days, days_star, months, weekdays, weekdays_star = times
    runs: list[str] = []
    day = START.date()
    while day < date(2100, 1, 1) and len(runs) < RUNS:
        in_month = day.day in days
        on_weekday = day.isoweekday() % 7 in weekdays
        both = days_star or weekdays_star
        if day.month in months and ((in_month and on_weekday) if both else in_month or on_weekday):
            for hour in sorted(hours):
                for minute in sorted(minutes):
                    at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
                    if at > START and len(runs) < RUNS:
                        runs.append(at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        day += timedelta(days=1)
    return runs


@pytest.mark.parametrize("schedule", [*TABLE, *GENERATED[:200]])
def test_the_same_schedules_are_refused(robfig, schedule):
    answer = robfig[schedule]
    assert (schedule_error(schedule) is None) == (not answer.get("error", "")), (
        schedule_error(schedule),
        answer.get("error", ""),
    )


def test_every_generated_schedule_is_refused_or_read_alike(robfig):
    differ = []
    for schedule in [*TABLE, *GENERATED]:
        answer = robfig[schedule]
        ours = schedule_error(schedule)
        if (ours is None) != (not answer.get("error", "")):
            differ.append(f"{schedule!r}: ours {ours!r}, robfig {answer.get('error')!r}")
            continue
        times = schedule_times(schedule)
        if times is None:
            continue
        if _runs(times) != answer["next"]:
            differ.append(f"{schedule!r}: runs {_runs(times)[:3]} against {answer['next'][:3]}")
        rare = rare_schedule(schedule) or ""
        never = not answer["next"]
        leap = bool(answer["next"]) and all(run[5:10] == "02-29" for run in answer["next"])
        if ("never runs" in rare) != never or ("four years" in rare) != leap:
            differ.append(f"{schedule!r}: finding {rare!r}, runs {answer['next'][:2]}")
        if describe_schedule(schedule).startswith("schedule "):
            differ.append(f"{schedule!r}: accepted, but the builder has no words for it")
    accepted = sum(1 for schedule in GENERATED if not robfig[schedule].get("error"))
    assert accepted > len(GENERATED) // 3, "the generator should make mostly valid schedules"
    assert differ == []
