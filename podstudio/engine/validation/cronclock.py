"""When a CronJob with a ``timeZone`` runs around a change of the clocks.

kube-controller-manager runs ``TZ=<timeZone> <schedule>`` with robfig/cron v3, whose
``SpecSchedule.Next`` walks the zone's wall clock with Go's ``time.Date``, ``AddDate`` and
``Add``. Where the clocks change, that walk skips a run whose time does not exist (02:30 in
Berlin on the last Sunday of March) and makes two of one whose time comes twice. In zones whose
clocks jump at midnight or by half an hour it also drops runs the schedule names and adds runs
it does not name (a Saturday-only schedule runs on Sunday in Santiago). ``_next_run`` is that
walk ported line by line, so ``clock_changes`` can name the runs that move;
``tests/sandbox/test_cron_schedules.py`` compares it with robfig/cron itself.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from podstudio.engine.validation.cron import schedule_times, time_zone_error

_EPOCH = datetime(1970, 1, 1)
_DAY = 86400
# Schedules that fire this often or more (every hour, or more than 12 times an hour) are left
# out: a run more or less around a change of the clocks is what they ask for.
_MOST_MINUTES = 12
# robfig/cron's walk starts over at a new year, month, day or hour it tries, and at each run:
# for five years, far fewer than this.
_MOST_WRAPS = 5 * 366 * 4


class ClockChange(NamedTuple):
    """A run a change of the clocks moves: on ``day`` (the zone's date), the run at ``time``
    ("HH:MM") is ``"skipped"``, comes ``"twice"``, is ``"extra"`` (the schedule does not name
    it), or is ``"stuck"`` (robfig/cron gives it again as the next run, and the walk ends)."""

    day: date
    time: str
    what: str


class _Clock:
    """Go's ``time.Time`` in one location, as Unix seconds read on the zone's wall clock."""

    def __init__(self, zone: str):
        from zoneinfo import ZoneInfo  # only CronJobs with a time zone need it

        self.zone = ZoneInfo(zone)

    def wall(self, unix: int) -> datetime:
        return datetime.fromtimestamp(unix, self.zone).replace(tzinfo=None)

    def offset(self, unix: int) -> int:
        return int(datetime.fromtimestamp(unix, self.zone).utcoffset().total_seconds())

    def date(self, year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
        """``time.Date``: out-of-range months and days carry over, and a wall time that does
        not exist or comes twice gets the offset Go's lookup finds for it."""
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        local = datetime(year, month, 1) + timedelta(
            days=day - 1, hours=hour, minutes=minute, seconds=second
        )
        unix = int((local - _EPOCH).total_seconds())
        offset = self.offset(unix)
        if offset != 0:
            if self.offset(unix - offset) != offset:
                offset = self.offset(unix - offset)
            unix -= offset
        return unix


def _day_matches(times: tuple, day: date) -> bool:
    _, _, days, days_star, _, weekdays, weekdays_star = times
    in_month, on_weekday = day.day in days, day.isoweekday() % 7 in weekdays
    return (in_month and on_weekday) if days_star or weekdays_star else in_month or on_weekday


def _next_run(times: tuple, clock: _Clock, after: int) -> int | None:
    """robfig/cron v3's ``SpecSchedule.Next`` (seconds field 0), in Unix seconds; ``None`` when
    there is none within five years, or when the walk starts over more often than five years of
    days can make it do (robfig/cron would go on; a check must end)."""
    minutes, hours, _, _, months, _, _ = times
    t = after + 1
    added = False
    year_limit = clock.wall(t).year + 5
    for _ in range(_MOST_WRAPS):  # WRAP
        w = clock.wall(t)
        if w.year > year_limit:
            return None
        wrapped = False
        while w.month not in months:
            if not added:
                added = True
                t = clock.date(w.year, w.month, 1, 0, 0, 0)
                w = clock.wall(t)
            t = clock.date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second)
            w = clock.wall(t)
            if w.month == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while not _day_matches(times, w):
            if not added:
                added = True
                t = clock.date(w.year, w.month, w.day, 0, 0, 0)
                w = clock.wall(t)
            t = clock.date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second)
            w = clock.wall(t)
            if w.hour != 0:
                t += (24 - w.hour) * 3600 if w.hour > 12 else -w.hour * 3600
                w = clock.wall(t)
            if w.day == 1:
                wrapped = True
                break
        if wrapped:
            continue
        while w.hour not in hours:
            if not added:
                added = True
                t = clock.date(w.year, w.month, w.day, w.hour, 0, 0)
            t += 3600
            w = clock.wall(t)
            if w.hour == 0:
                wrapped = True
                break
        if wrapped:
            continue
        while w.minute not in minutes:
            if not added:
                added = True
                t -= t % 60
            t += 60
            w = clock.wall(t)
            if w.minute == 0:
                wrapped = True
                break
        if wrapped:
            continue
        if w.second != 0:
            added = True
            t += 60 - w.second  # robfig steps a second at a time to :00, then starts over
            continue
        return t
    return None


@lru_cache(maxsize=256)
def next_runs(schedule: str, zone: str, after: datetime, count: int = 3) -> tuple[datetime, ...]:
    """The next ``count`` runs of a CronJob after ``after`` (an aware time), as the controller's
    cron library finds them, on the wall clock of ``zone`` (a time zone the API server knows;
    "UTC" for a CronJob without ``timeZone`` on a controller that runs in UTC). Empty for a
    schedule it refuses and for ``@every``, which counts from the controller's start; fewer
    when the runs stop (a date that never comes, or a walk that gets stuck)."""
    times = schedule_times(schedule)
    if times is None or time_zone_error(zone) is not None:
        return ()
    clock = _Clock(zone)
    runs: list[datetime] = []
    at = int(after.timestamp())
    while len(runs) < count and (following := _next_run(times, clock, at)) is not None:
        if following <= at:
            break
        runs.append(datetime.fromtimestamp(following, clock.zone))
        at = following
    return tuple(runs)


@lru_cache(maxsize=64)
def _transitions(zone: str, start: date) -> tuple[int, ...]:
    """The instants (Unix seconds) in the year from ``start`` at which the zone's offset
    changes (the same for every CronJob in the zone)."""
    clock = _Clock(zone)
    found = []
    at = int((datetime(start.year, start.month, start.day) - _EPOCH).total_seconds())
    offset = clock.offset(at)
    for _ in range(366):
        following = at + _DAY
        next_offset = clock.offset(following)
        if next_offset != offset:
            low, high = at, following  # the offset changes in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if clock.offset(middle) == offset else (low, middle)
            found.append(high)
        at, offset = following, next_offset
    return tuple(found)


@lru_cache(maxsize=256)
def clock_changes(schedule: str, zone: str, start: date) -> tuple[ClockChange, ...]:
    """The runs of a CronJob with this ``schedule`` and ``timeZone`` that the changes of the
    clocks in the year from ``start`` skip, double or add, on the day of each change and the
    days before and after it. Empty for a schedule that fires every hour or more than 12 times
    an hour."""
    times = schedule_times(schedule)
    if times is None or len(times[1]) == 24 or len(times[0]) > _MOST_MINUTES:
        return ()
    if zone in ("UTC", "Etc/UTC") or time_zone_error(zone) is not None:
        return ()
    clock = _Clock(zone)
    changes: list[ClockChange] = []
    for instant in _transitions(zone, start):
        before = clock.wall(instant - 1).date()  # the zone's date as the clocks change
        days = [before + timedelta(days=shift) for shift in (-1, 0, 1)]
        changes += _changes_around(times, clock, days)
    return tuple(dict.fromkeys(changes))


def _changes_around(times: tuple, clock: _Clock, days: list[date]) -> list[ClockChange]:
    """The runs on ``days`` that robfig/cron's walk skips, doubles or adds; or only the run
    after which it finds the same run again ("stuck"): the CronJob controller then fails with
    "time difference between two schedules is less than 1 second" and starts no more Jobs."""
    runs: dict[tuple[date, str], int] = {}
    at = clock.date(days[0].year, days[0].month, days[0].day - 1, 0, 0, 0)
    while (following := _next_run(times, clock, at)) is not None:
        wall = clock.wall(following)
        if wall.date() > days[-1]:
            break
        if following <= at:
            return [ClockChange(wall.date(), f"{wall:%H:%M}", "stuck")]
        key = (wall.date(), f"{wall:%H:%M}")
        runs[key] = runs.get(key, 0) + 1
        at = following
    minutes, hours = sorted(times[0]), sorted(times[1])
    changes = []
    for day in days:
        named = set()
        if day.month in times[4] and _day_matches(times, day):
            named = {f"{hour:02}:{minute:02}" for hour in hours for minute in minutes}
        for time in sorted(named | {time for (on, time) in runs if on == day}):
            count = runs.get((day, time), 0)
            if time not in named:
                changes.append(ClockChange(day, time, "extra"))
            elif count != 1:
                changes.append(ClockChange(day, time, "skipped" if count == 0 else "twice"))
    return changes


def describe_clock_changes(changes: tuple[ClockChange, ...], zone: str) -> str:
    """What ``clock_changes`` found, day by day, for a finding (the first three days)."""
    by_day: dict[date, dict[str, list[str]]] = {}
    for change in changes:
        by_day.setdefault(change.day, {}).setdefault(change.what, []).append(change.time)
    parts = []
    for day, found in list(by_day.items())[:3]:
        on = f"on {day:%-d %B %Y}"
        if "stuck" in found:
            parts.append(
                f"{on} robfig/cron finds {found['stuck'][0]} as the next run again and again, so "
                'the CronJob controller records InvalidSchedule ("time difference between two '
                'schedules is less than 1 second") and starts no more Jobs (without '
                "startingDeadlineSeconds, for good)"
            )
            continue
        if "skipped" in found:
            skipped = found["skipped"]
            runs = "the run at" if len(skipped) == 1 else "the runs at"
            verb = "is" if len(skipped) == 1 else "are"
            parts.append(f"{on} {runs} {_times(skipped)} {verb} skipped")
        if "twice" in found:
            parts.append(f"{on} it runs twice at {_times(found['twice'])}")
        if "extra" in found:
            parts.append(f"{on} it also runs at {_times(found['extra'])}, a time it does not name")
    more = len(by_day) - 3
    return (
        f"Where the clocks change in {zone}: "
        + "; ".join(parts)
        + (f"; and on {more} more day{'s' if more > 1 else ''}" if more > 0 else "")
    )


def _times(times: list[str]) -> str:
    if len(times) > 4:
        return ", ".join(times[:4]) + f" and {len(times) - 4} more"
    return " and ".join([", ".join(times[:-1]), times[-1]] if len(times) > 1 else times)
