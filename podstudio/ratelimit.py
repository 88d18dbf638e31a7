"""Fixed-window rate limits shared by every server process (counters live in the database).

A caller names what is limited (``"sandbox:<learner>"``, ``"join:<address>"``) and how often it
may happen; ``allow`` counts one more use and says whether it is still within the limit.
"""

import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from podstudio.models import RateCounter


@dataclass(frozen=True)
class Limit:
    """``count`` uses per ``seconds``."""

    count: int
    seconds: int


def allow(key: str, limit: Limit, *, now: float | None = None) -> bool:
    """Counts one use of ``key``; ``False`` once the window's allowance is spent."""
    moment = time.time() if now is None else now
    window = int(moment // limit.seconds) * limit.seconds
    key = key[:200]
    updated = RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=window, count=1)
        except IntegrityError:  # another process created it first
            RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
    count = RateCounter.objects.filter(key=key, window=window).values_list("count", flat=True)
    return (count.first() or 0) <= limit.count


def is_spent(key: str, limit: Limit, *, now: float | None = None) -> bool:
    """Whether ``key`` has used up the current window's allowance, without counting a use:
    for limits on failures, checked before an attempt and counted only when it fails."""
    return used(key, limit, now=now) >= limit.count


def used(key: str, limit: Limit, *, now: float | None = None) -> int:
    """How many uses of ``key`` the current window has counted."""
    moment = time.time() if now is None else now
    window = int(moment // limit.seconds) * limit.seconds
    count = RateCounter.objects.filter(key=key[:200], window=window).values_list("count", flat=True)
    return count.first() or 0


def forget(key: str) -> None:
    """Starts ``key`` afresh: its uses so far no longer count."""
    RateCounter.objects.filter(key=key[:200]).delete()


def seconds_left(limit: Limit, *, now: float | None = None) -> int:
    """Seconds until the current window ends: when to try again."""
    moment = time.time() if now is None else now
    return int(limit.seconds - moment % limit.seconds) or limit.seconds


def forget_old(*, older_than_seconds: int = 24 * 60 * 60, now: float | None = None) -> int:
    """Deletes counters of windows that started long ago; returns how many."""
    moment = time.time() if now is None else now
    deleted, _ = RateCounter.objects.filter(window__lt=moment - older_than_seconds).delete()
    return deleted
