"""CronJob schedules, Pod Studio's reading against robfig/cron's own.

The API server parses a CronJob's schedule with robfig/cron and kube-controller-manager runs it
with the same package; ``sandbox/cronnext`` is that package at the version the sandbox pins,
printing the parse error or the next runs of each schedule. Pod Studio must refuse the same
schedules (``schedule_error``), know when one fires (``schedule_times``, which the exercise
goals compare) and say which never come round (``rare_schedule``, a finding). Schedules come
from a table of the surprising ones and from a seeded generator of every field form.

With a ``timeZone`` the controller runs ``TZ=<zone> <schedule>``, and a change of the clocks can
skip a run or make two: ``clock_changes`` (a finding) must name exactly the runs robfig/cron
skips and doubles, in zones whose clocks move in every way there is.
"""

import json
import os
import random
import shutil
import subprocess
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from podstudio.builder.schedule import describe_schedule
from podstudio.engine.validation.cron import rare_schedule, schedule_error, schedule_times
from podstudio.engine.validation.cronclock import clock_changes, next_runs

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

# Zones whose clocks go forward and back by an hour (north and south), by half an hour
# (Lord Howe), by two hours (Troll), at midnight (Santiago, Havana), the other way round
# (Dublin's winter time is its offset's "summer"), several times a year (Casablanca), on an odd
# minute (Chatham), and not at all (Tehran, UTC).
ZONES = [
    "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
    "Antarctica/Troll", "America/Santiago", "America/Havana", "Europe/Dublin",
    "Africa/Casablanca", "Pacific/Chatham", "America/St_Johns", "Asia/Gaza", "Asia/Tehran", "UTC",
]  # fmt: skip
YEAR = date(2027, 1, 1)


def _zoned_schedule(rng: random.Random) -> str:
    """Schedules that name a few hours, mostly the ones clocks change in."""
    minute = rng.choice(["0", "30", "15,45", "*/20", "0-10/5", str(rng.randint(0, 59))])
    hours = rng.sample(
        ["0", "1", "2", "3", "4", "23", "22", str(rng.randint(0, 23))], rng.randint(1, 3)
    )
    hour = rng.choice([",".join(hours), "1-3", "*/2", "0-4/2", "22-23"])
    day = rng.choice(["*", "*", "*", "1-15", "28-31", "?"])
    month = rng.choice(["*", "*", "*", "3,4,9,10,11", "mar-apr"])
    weekday = rng.choice(["*", "*", "*", "0", "sat", "1-5", "5-6", "?"])
    return f"{minute} {hour} {day} {month} {weekday}"


ZONED = [
    (_zoned_schedule(random.Random(seed)), ZONES[seed % len(ZONES)])
    for seed in range(int(os.environ.get("N_ZONED", "420")))
]


@pytest.fixture(scope="module")
def cronnext(tmp_path_factory) -> Path:
    """sandbox/cronnext, built once for the module."""
    if shutil.which("go") is None:
        if os.environ.get("PODSTUDIO_SANDBOX_REQUIRED"):
            pytest.fail("Go is needed to build sandbox/cronnext")
        pytest.skip("Go is not installed: sandbox/cronnext cannot be built")
    binary = tmp_path_factory.mktemp("cronnext") / "cronnext"
    subprocess.run(
        ["go", "build", "-o", str(binary), "./cronnext"], cwd=SANDBOX, check=True, timeout=600
    )
    return binary


def _ask(cronnext: Path, lines: list[str]) -> list[dict]:
    output = subprocess.run(
        [str(cronnext)], input="\n".join(lines) + "\n", capture_output=True, text=True,
        check=True, timeout=300,
    ).stdout  # fmt: skip
    answers = [json.loads(line) for line in output.splitlines()]
    assert len(answers) == len(lines)
    return answers


@pytest.fixture(scope="module")
def robfig(cronnext) -> dict[str, dict]:
    """robfig/cron's answer for every schedule of this module, from one run of cronnext."""
    schedules = [*TABLE, *GENERATED]
    answers = _ask(cronnext, schedules)
    assert [answer["schedule"] for answer in answers] == schedules
    return {answer["schedule"]: answer for answer in answers}


def _fires(times: tuple, day: date) -> bool:
    """robfig/cron's day rule: both day fields when either is * or ?, else either one."""
    _, _, days, days_star, months, weekdays, weekdays_star = times
    in_month = day.day in days
    on_weekday = day.isoweekday() % 7 in weekdays
    both = days_star or weekdays_star
    return day.month in months and ((in_month and on_weekday) if both else in_month or on_weekday)


def _runs(times: tuple) -> list[str]:
    """The next runs after START of a schedule with these times, worked out day by day."""
    minutes, hours = times[0], times[1]
    runs: list[str] = []
    day = START.date()
    while day < date(2100, 1, 1) and len(runs) < RUNS:
        if _fires(times, day):
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
        ported = [f"{run:%Y-%m-%dT%H:%M:%SZ}" for run in next_runs(schedule, "UTC", START, RUNS)]
        if ported != answer["next"]:  # the builder's "Next runs", from robfig/cron's walk
            differ.append(f"{schedule!r}: next runs {ported[:3]} against {answer['next'][:3]}")
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


def _change_days(zone: ZoneInfo) -> list[date]:
    """The local dates in 2027 whose noon has another offset than the noon before."""
    days = [YEAR + timedelta(days=number) for number in range(366)]
    noon = [datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset() for day in days]
    return [days[number] for number in range(1, 366) if noon[number] != noon[number - 1]]


def test_clock_changes_name_the_runs_robfig_skips_doubles_and_adds(cronnext):
    windows = []  # (schedule, zone, the local days the answer covers)
    lines = []
    for schedule, zone in ZONED:
        for day in _change_days(ZoneInfo(zone)):  # the change is between its noon and the last
            windows.append(
                (schedule, zone, [day + timedelta(days=shift) for shift in (-2, -1, 0, 1)])
            )
            since = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=4)
            until = since + timedelta(days=7)
            lines.append(
                f"{since:%Y-%m-%dT%H:%M:%SZ} {until:%Y-%m-%dT%H:%M:%SZ}\tTZ={zone} {schedule}"
            )
    answers = iter(_ask(cronnext, lines))
    differ, moved = [], Counter()
    for schedule, zone, covered in windows:
        answer = next(answers)
        assert not answer.get("error"), (schedule, answer)
        times = schedule_times(schedule)
        minutes, hours = times[0], times[1]
        runs = Counter()
        for run in answer["next"]:
            wall = datetime.fromisoformat(run).astimezone(ZoneInfo(zone))
            if wall.date() in covered:
                runs[(wall.date(), f"{wall:%H:%M}")] += 1
        wanted = {
            (day, f"{hour:02}:{minute:02}")
            for day in covered
            if _fires(times, day)
            for hour in hours
            for minute in minutes
        }
        if answer.get("stuck"):
            last = datetime.fromisoformat(answer["next"][-1]).astimezone(ZoneInfo(zone))
            robfig = {(last.date(), f"{last:%H:%M}", "stuck")}
        else:
            robfig = {(day, at, "skipped") for day, at in wanted if runs[(day, at)] == 0}
            robfig |= {(day, at, "twice") for (day, at), count in runs.items() if count == 2}
            robfig |= {(day, at, "extra") for day, at in set(runs) - wanted}
            if any(count > 2 for count in runs.values()):
                differ.append(f"{schedule!r} in {zone}: runs more than twice {runs}")
        ours = {
            (change.day, change.time, change.what)
            for change in clock_changes(schedule, zone, YEAR)
            if change.day in covered
        }
        if len(hours) == 24 or len(minutes) > 12:
            robfig = set()  # runs every hour or more than 12 times an hour: left out on purpose
        if ours != robfig:
            differ.append(f"{schedule!r} in {zone}: ours {sorted(ours)}, robfig {sorted(robfig)}")
        moved.update(what for _, _, what in robfig)
    assert differ == [], "\n".join(differ)
    for what in ("skipped", "twice", "extra", "stuck"):
        assert moved[what] > 0, f"the generated schedules should meet a {what} run"


def test_a_clock_change_outside_the_windows_is_not_claimed():
    """Every change ``clock_changes`` names is next to a day whose offset changes (the test
    above checks only those days)."""
    for schedule, zone in ZONED:
        days = set(_change_days(ZoneInfo(zone)))
        for change in clock_changes(schedule, zone, YEAR):
            near = {change.day + timedelta(days=shift) for shift in (-1, 0, 1, 2)}
            assert near & days, (schedule, zone, change)
