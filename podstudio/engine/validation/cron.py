"""CronJob schedules and time zones, as the API server reads them.

``schedule_error`` follows ``cron.ParseStandard`` of robfig/cron v3 (five fields, names for
months and weekdays, ``*``/``?``, ranges, steps, ``@daily``-style descriptors and ``@every
<duration>``) as ``pkg/util/parsers`` calls it; ``time_zone_error`` follows batch validation's
``validateTimeZone`` with the IANA database Python has (Go's ``time.LoadLocation``).
"""

import re
from functools import lru_cache

from podstudio.engine.gospace import GO_SPACE
from podstudio.engine.goyaml import atoi
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.validation.formats import go_lower, go_trim_space

# (low, high, names) per field: minute, hour, day of month, month, day of week.
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_WEEKDAYS = {
    name: number for number, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))
}
_FIELDS = ((0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _WEEKDAYS))
# robfig/cron's descriptors, as the five fields they stand for.
DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_GO_INT = compile_lazily(r"[+-]?[0-9]+")  # ASCII digits only, as Go's Atoi


class _CronError(ValueError):
    pass


def _int(text: str) -> int:
    """``mustParseInt``: Go's Atoi (a sign is allowed), then no negatives."""
    if not _GO_INT.fullmatch(text):
        raise _CronError(f"failed to parse int from {text}: invalid syntax")
    number, in_range = atoi(text)
    if not in_range:
        raise _CronError(f"failed to parse int from {text}: value out of range")
    if number < 0:
        raise _CronError(f"negative number ({number}) not allowed: {text}")
    return number


def _int_or_name(text: str, names: dict | None) -> int:
    lowered = go_lower(text)  # strings.ToLower: "FRİ" is "fri"
    if names is not None and lowered in names:
        return names[lowered]
    return _int(text)


def _range(expr: str, low: int, high: int, names: dict | None) -> tuple[range, bool]:
    """The values one comma-separated part stands for, and robfig's ``starBit``, which decides
    how the two day fields combine: set by a part that starts with ``*`` or ``?``, unless a step
    over 1 follows (``*/2`` names every other day, as a list would)."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    star = low_and_high[0] in ("*", "?")
    if star:
        start, end = low, high
    else:
        start = _int_or_name(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], names)
        else:
            raise _CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _int(range_and_step[1])
        if single:
            end = high
    else:
        raise _CronError(f"too many slashes: {expr}")
    if start < low:
        raise _CronError(f"beginning of range ({start}) below minimum ({low}): {expr}")
    if end > high:
        raise _CronError(f"end of range ({end}) above maximum ({high}): {expr}")
    if start > end:
        raise _CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise _CronError(f"step of range should be a positive number: {expr}")
    return range(start, end + 1, step), star and step == 1


_DURATION_PART = compile_lazily(r"([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)")
_NANOSECONDS = {
    "ns": 1,
    "us": 10**3,
    "µs": 10**3,
    "μs": 10**3,
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
# strings.Fields splits on Go's spaces (gospace.GO_SPACE: no \x1c-\x1f, which Python's split takes).
_GO_FIELD = compile_lazily(f"[^{GO_SPACE}]+")


def _go_duration_error(text: str) -> str | None:
    """Whether Go's ``time.ParseDuration`` reads ``text`` (the cron parser needs nothing more)."""
    rest = text[1:] if text[:1] in "+-" else text
    if rest == "0":
        return None
    if not rest:
        return f'time: invalid duration "{text}"'
    position = 0
    while position < len(rest):
        match = _DURATION_PART.match(rest, position)
        if match is None:
            if re.match(r"[0-9]+\.?[0-9]*|\.[0-9]+", rest[position:]) and not re.match(
                r"([0-9]+\.?[0-9]*|\.[0-9]+)[a-zµμ]", rest[position:]
            ):
                return f'time: missing unit in duration "{text}"'
            unit = re.match(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)([^0-9.]*)", rest[position:])
            if unit and unit.group(1):
                return f'time: unknown unit "{unit.group(1)}" in duration "{text}"'
            return f'time: invalid duration "{text}"'
        position = match.end()
    # Go counts nanoseconds in an int64: past it, the duration is invalid.
    total = 0
    for number, unit in _DURATION_PART.findall(rest):
        whole, _, fraction = number.partition(".")
        whole = whole.lstrip("0")  # (leadingInt counts by value: zeros never overflow)
        if len(whole) > 20:
            return f'time: invalid duration "{text}"'
        scale = _NANOSECONDS[unit]
        total += int(whole or "0") * scale + (
            int(fraction[:20]) * scale // 10 ** len(fraction[:20]) if fraction else 0
        )
    if total > 2**63 - (0 if text.startswith("-") else 1):
        return f'time: invalid duration "{text}"'
    return None


@lru_cache(maxsize=1024)
def schedule_error(schedule: str) -> str | None:
    """Why ``cron.ParseStandard`` refuses a schedule, or ``None``. (Kubernetes refuses a TZ
    prefix separately: see ``validate_cronjob``.)"""
    spec = schedule
    if not spec:
        return "empty spec string"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        if space < 0:
            return "invalid schedule format: a TZ= prefix needs a schedule after it"
        zone = spec[spec.find("=") + 1 : space]
        problem = time_zone_error(zone, check_characters=False)
        if problem:
            return f"provided bad location {zone}: {problem}"
        spec = go_trim_space(spec[space:])
    if spec.startswith("@"):
        if spec in DESCRIPTORS:
            return None
        if spec.startswith("@every "):
            problem = _go_duration_error(spec[len("@every ") :])
            return f"failed to parse duration {spec}: {problem}" if problem else None
        return f"unrecognized descriptor: {spec}"
    fields = _GO_FIELD.findall(spec)
    if len(fields) != 5:
        shown = "[" + " ".join(fields) + "]"
        return f"expected exactly 5 fields, found {len(fields)}: {shown}"
    try:
        for text, (low, high, names) in zip(fields, _FIELDS, strict=True):
            for expr in (part for part in text.split(",") if part):
                _range(expr, low, high, names)
    except _CronError as exc:
        return str(exc)
    return None


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _field(text: str, index: int) -> tuple[set[int], bool]:
    low, high, names = _FIELDS[index]
    values, star = set(), False
    for expr in (part for part in text.split(",") if part):
        numbers, part_star = _range(expr, low, high, names)
        values.update(numbers)
        star = star or part_star
    return values, star


@lru_cache(maxsize=256)
def schedule_times(schedule: str) -> tuple | None:
    """The minutes, hours, days of month, months and weekdays a schedule fires on, with the
    two day fields' ``starBit``: two schedules with the same times fire at the same moments
    (``30 2 * * 1-5`` and ``30 2 * * MON,TUE,WED,THU,FRI``). ``None`` for one the parser refuses
    and for ``@every``, which counts from the controller's start, not from the clock."""
    if schedule_error(schedule) is not None or schedule.startswith(("TZ=", "CRON_TZ=")):
        return None
    fields = DESCRIPTORS.get(schedule, schedule)
    if fields.startswith("@"):
        return None
    parts = [_field(text, index) for index, text in enumerate(_GO_FIELD.findall(fields))]
    minutes, hours, days, months, weekdays = (frozenset(values) for values, _ in parts)
    return minutes, hours, days, parts[2][1], months, weekdays, parts[4][1]


@lru_cache(maxsize=256)
def rare_schedule(schedule: str) -> str | None:
    """Why a schedule the parser accepts never fires, or fires only on 29 February.

    robfig/cron matches a day when the day of month and the weekday both match if either field
    is ``*`` or ``?`` (without a step over 1), and when one of them matches otherwise; so a day
    of month that no named month has (``0 0 31 4 *``) never comes, unless weekdays are named.
    """
    times = schedule_times(schedule)
    if times is None:
        return None
    _, _, days, days_star, months, _, weekdays_star = times
    if days_star or not weekdays_star:
        return None
    dates = {(month, day) for month in months for day in days if day <= _MONTH_DAYS[month - 1]}
    if not dates:
        return "no month it names has that day, so it never runs"
    if dates == {(2, 29)}:
        return "its only date is 29 February, so it runs once in four years"
    return None


_TZ_PART = compile_lazily(r"[A-Za-z.\-_0-9+]{1,14}")


@lru_cache(maxsize=256)
def time_zone_error(zone: str, check_characters: bool = True) -> str | None:
    """Why a CronJob's ``timeZone`` is refused, or ``None``."""
    if zone == "":
        return "timeZone must be nil or non-empty string"
    if check_characters:
        for part in zone.split("/"):
            if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
                return f"unknown time zone {zone}"
        if zone.lower() == "local":
            return (
                "timeZone must be an explicit time zone as defined in "
                "https://www.iana.org/time-zones"
            )
    if zone == "UTC" or zone == "":
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {zone}"
    return None
