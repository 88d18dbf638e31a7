"""A CronJob's schedule in words, for the builder's kind badge ("at 03:00, every day").

Cron fields are easy to misread (is ``0 3 * * 1`` Monday at three, or the third of the
month?), so the badge says what the schedule means. The words come from cron-descriptor; the
schedule is described only once the API server's parser accepts it (``schedule_error``), so an
expression that library reads differently from robfig/cron never gets words of its own.
"""

import re
from functools import lru_cache

from cron_descriptor import ExpressionDescriptor, Options

from podstudio.engine.validation.cron import DESCRIPTORS, schedule_error, time_zone_error

_ANY = ("*", "?")
_ONE_TIME = re.compile(r"At \d\d:\d\d")


@lru_cache(maxsize=256)
def describe_schedule(schedule: str, time_zone: str | None = None) -> str:
    """The schedule in a few words, lower case, with its time zone if the CronJob names a known
    one; the schedule itself when it is not one the API server accepts."""
    if schedule_error(schedule) is not None or schedule.startswith(("TZ=", "CRON_TZ=")):
        return f"schedule {schedule}"
    if schedule.startswith("@every "):
        words = f"every {schedule.removeprefix('@every ').strip()}"
    else:
        words = _words(DESCRIPTORS.get(schedule, schedule))
        if words is None:
            return f"schedule {schedule}"
    if isinstance(time_zone, str) and time_zone and time_zone_error(time_zone) is None:
        words += f" ({time_zone})"
    return words


def _words(fields: str) -> str | None:
    options = Options()
    options.use_24hour_time_format = True
    options.verbose = False
    try:
        text = ExpressionDescriptor(fields, options).get_description()
    except Exception:  # a schedule the library cannot read: the caller shows it as written
        return None
    if _ONE_TIME.fullmatch(text) and all(field in _ANY for field in fields.split()[2:]):
        text += ", every day"  # the library's "At 03:00" alone reads as once
    return text[0].lower() + text[1:]
