"""Sliding-window rate limits shared by every server process (counters live in the database).

A caller names what is limited (``"sandbox:<learner>"``, ``"join:<address>"``) and how often it
may happen; ``allow`` counts one more use and says whether it is still within the limit.

Uses are counted in buckets a tenth of the limit's span long, and a use counts while its bucket
started less than the span ago. Fixed windows let a limit be spent twice over by uses just before
and just after a window's end (ten sign-ins at 14:29:59 and ten more at 14:30:00).
"""

import math
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from podstudio.models import RateCounter

BUCKETS_PER_SPAN = 10


@dataclass(frozen=True)
class Limit:
    """``count`` uses per ``seconds``."""

    count: int
    seconds: int


def allow(key: str, limit: Limit, *, now: float | None = None) -> bool:
    """Counts one use of ``key``; ``False`` (and the use not counted) once the allowance is
    spent. The use is counted before the check, so uses at the same moment cannot all pass."""
    moment = _moment(now)
    key = key[:200]
    bucket = _bucket(limit, moment)
    _add(key, bucket, stale_before=moment - limit.seconds)
    if _counted(key, limit, moment) <= limit.count:
        return True
    # A refused use does not count: a learner who comes back when told would be refused again.
    RateCounter.objects.filter(key=key, window=bucket).update(count=F("count") - 1)
    return False


def is_spent(key: str, limit: Limit, *, now: float | None = None) -> bool:
    """Whether ``key`` has used up its allowance, without counting a use: for limits on
    failures, checked before an attempt and counted only when it fails."""
    return used(key, limit, now=now) >= limit.count


def used(key: str, limit: Limit, *, now: float | None = None) -> int:
    """How many uses of ``key`` count now (those of the last ``limit.seconds``)."""
    return _counted(key[:200], limit, _moment(now))


def seconds_left(key: str, limit: Limit, *, now: float | None = None) -> int:
    """Seconds until ``key`` may be used again, if it is not used meanwhile: until enough of
    its oldest uses stop counting. At least 1."""
    moment = _moment(now)
    buckets = _buckets(key[:200], limit, moment).order_by("window").values_list("window", "count")
    rows = list(buckets)
    total = sum(count for _, count in rows)
    wait = 0.0
    for window, count in rows:
        if total < limit.count:
            break
        total -= count
        wait = window + limit.seconds - moment
    return max(math.ceil(wait), 1)


def forget(key: str) -> None:
    """Starts ``key`` afresh: its uses so far no longer count."""
    RateCounter.objects.filter(key=key[:200]).delete()


def forget_old(*, older_than_seconds: int = 24 * 60 * 60, now: float | None = None) -> int:
    """Deletes counters of buckets that started long ago; returns how many."""
    deleted, _ = RateCounter.objects.filter(window__lt=_moment(now) - older_than_seconds).delete()
    return deleted


def _moment(now: float | None) -> float:
    return time.time() if now is None else now


def _bucket(limit: Limit, moment: float) -> int:
    """The start of the bucket ``moment`` falls in, in seconds since the epoch."""
    size = max(limit.seconds // BUCKETS_PER_SPAN, 1)
    return int(moment // size) * size


def _buckets(key: str, limit: Limit, moment: float) -> QuerySet:
    """The key's buckets that still count: those started less than the span ago."""
    return RateCounter.objects.filter(key=key, window__gt=moment - limit.seconds)


def _counted(key: str, limit: Limit, moment: float) -> int:
    return sum(_buckets(key, limit, moment).values_list("count", flat=True))


def _add(key: str, bucket: int, *, stale_before: float) -> None:
    """Counts one use in the bucket; a key's first use in a bucket also deletes its buckets
    that no longer count, so a key used all day keeps about ten rows, not thousands."""
    if RateCounter.objects.filter(key=key, window=bucket).update(count=F("count") + 1):
        return
    RateCounter.objects.filter(key=key, window__lte=stale_before).delete()
    try:
        with transaction.atomic():
            RateCounter.objects.create(key=key, window=bucket, count=1)
    except IntegrityError:  # another process created it first
        RateCounter.objects.filter(key=key, window=bucket).update(count=F("count") + 1)
