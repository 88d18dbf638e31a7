"""A CronJob's schedule in words, for the builder's kind badge ("at 03:00, every day").

Cron fields are easy to misread (is ``0 3 * * 1`` Monday at three, or the third of the
month?), so the badge says what the schedule means. The words come from cron-descriptor, read
the way robfig/cron (the API server's and the controller's parser) reads the fields:

- only a schedule that parser accepts gets words (``schedule_error``);
- the weekday field is given to the library as the list of days robfig/cron makes of it: the
  library reads ``5/7`` as "every 7 weeks, on Friday", robfig/cron as Friday;
- when both day fields name days, either one is enough, and the words say "or".
"""

import re
from datetime import datetime
from functools import lru_cache

from cron_descriptor import ExpressionDescriptor, Options

from podstudio.engine.validation.cron import (
    DESCRIPTORS,
    rare_schedule,
    schedule_error,
    schedule_times,
    time_zone_error,
)
from podstudio.engine.validation.cronclock import next_runs

_ONE_TIME = re.compile(r"At \d\d:\d\d")
_LEADING_DAY_WORDS = re.compile(r"^, (?:or on |only on )?")


@lru_cache(maxsize=256)
def describe_schedule(schedule: str, time_zone: str | None = None) -> str:
    """The schedule in a few words, lower case, with its time zone if the CronJob names a known
    one; the schedule itself when it is not one the API server accepts."""
    if schedule.startswith("@every ") and schedule_error(schedule) is None:
        words = f"every {schedule.removeprefix('@every ').strip()}"
    else:
        words = _words(DESCRIPTORS.get(schedule, schedule))  # None: one robfig/cron refuses
        if words is None:
            return f"schedule {schedule}"
    if isinstance(time_zone, str) and time_zone and time_zone_error(time_zone) is None:
        words += f" ({time_zone})"
    rare = rare_schedule(schedule) or ""
    if rare:
        words += "; never comes round" if "never runs" in rare else "; leap years only"
    return words


def next_runs_text(schedule: str, time_zone: object, now: datetime) -> str:
    """The CronJob's next three runs after ``now``, for the line under the badges ("" when it
    has none to show). Without ``timeZone`` the controller's own clock decides: UTC in the
    kube-controller-manager images clusters run."""
    if time_zone is None:
        zone, label = "UTC", "UTC, the controller's clock"
    elif isinstance(time_zone, str) and time_zone_error(time_zone) is None:
        zone = label = time_zone
    else:
        return ""
    runs = next_runs(schedule, zone, now.replace(second=0, microsecond=0))
    if not runs:
        return ""
    shown = [
        f"{run:%a %-d %b}{f' {run.year}' if run.year != now.year else ''} {run:%H:%M}"
        for run in runs
    ]
    return f"Next runs ({label}): {', '.join(shown)}"


# What the library reads as robfig/cron does: a list of values and ranges, or one step over 1.
_VALUE = r"[0-9a-zA-Z]+(?:-[0-9a-zA-Z]+)?"
_PLAIN = re.compile(rf"{_VALUE}(?:,{_VALUE})*|(?:\*|{_VALUE})/0*[2-9]\d*|(?:\*|{_VALUE})/0*1\d+")
_FULL = (frozenset(range(60)), frozenset(range(24)), None, frozenset(range(1, 13)), None)


def _as_read(text: str, values: frozenset, star: bool, index: int) -> str:
    """One field for the library, so that it reads it as robfig/cron does: ``*`` for ``*``,
    ``?`` and any field that covers its whole range (a day field only with robfig's star, which
    decides how the day fields combine); values, ranges, lists and steps as written; anything
    else (``?,9``, ``*,*/15``, a weekday step, which the library counts in weeks) as the values
    robfig/cron makes of it, runs of three or more written as ranges."""
    if star or values == _FULL[index]:
        return "*"
    if _PLAIN.fullmatch(text) and not (index == 4 and "/" in text):
        return text
    ordered = sorted(values)
    runs: list[list[int]] = []
    for value in ordered:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    return ",".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ",".join(map(str, run)) for run in runs
    )


def _times_of_day(minutes: frozenset, hours: frozenset) -> str | None:
    """The library's words for one minute in some hours read as clock times: "at 00:30, 06:30,
    12:30 and 18:30" (not "at 30 minutes past the hour, every 6 hours") and "every hour from
    09:00 to 17:00" (not "at 0 minutes past the hour, between 09:00 and 17:59"), also round
    midnight ("22-23,0-5", which the library reads as two spans of every minute)."""
    if len(minutes) != 1 or len(hours) in (1, 24):
        return None
    (minute,) = minutes
    ordered = sorted(hours)
    step = ordered[1] - ordered[0]
    if minute == 0 and hours == frozenset(range(0, 24, step)):
        return None  # the library's "every 3 hours" says it best
    gaps = [hour for hour in ordered if (hour - 1) % 24 not in hours]
    if len(gaps) == 1 and len(ordered) >= 4:  # one run of hours, perhaps round midnight
        first, last = gaps[0], (gaps[0] + len(ordered) - 1) % 24
        return f"Every hour from {first:02}:{minute:02} to {last:02}:{minute:02}"
    if len(ordered) <= 8:
        times = [f"{hour:02}:{minute:02}" for hour in ordered]
        return "At " + ", ".join(times[:-1]) + " and " + times[-1]
    return None


def _words(fields: str) -> str | None:
    times = schedule_times(fields)
    if times is None:
        return None
    minutes, hours, days, days_star, months, weekdays, weekdays_star = times
    parts = [
        _as_read(text, values, star, index)
        for index, (text, values, star) in enumerate(
            zip(
                fields.split(),
                (minutes, hours, days, months, weekdays),
                (False, False, days_star, False, weekdays_star),
                strict=True,
            )
        )
    ]
    options = Options()
    options.use_24hour_time_format = True
    options.verbose = False
    try:
        described = ExpressionDescriptor(" ".join(parts), options)
        day_words = described.get_day_of_month_description()
        weekday_words = described.get_day_of_week_description()
        if weekday_words and not (days_star or weekdays_star):  # robfig/cron: either day
            weekday_words = ", or on " + _LEADING_DAY_WORDS.sub("", weekday_words)
        text = (
            (_times_of_day(minutes, hours) or described.get_time_of_day_description())
            + day_words
            + weekday_words
            + described.get_month_description()
        )
        text = described.transform_verbosity(text, use_verbose_format=False)
    except Exception:  # a schedule the library cannot read: the caller shows it as written
        return None
    if _ONE_TIME.fullmatch(text) and parts[2:] == ["*", "*", "*"]:
        text += ", every day"  # the library's "At 03:00" alone reads as once
    return text[0].lower() + text[1:]
