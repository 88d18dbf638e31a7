"""Caches of functions of text that may come from a user.

A ``functools.lru_cache`` bounds its entries, not its bytes: one holding 8,192 field paths or
values of a few dozen characters takes a megabyte, but the same cache fed 400 KB values (an
annotation, a posted field name) would hold gigabytes. ``short_text_cache`` keeps only short
texts, which are the ones that repeat; a longer one is worked out each time.
"""

from collections.abc import Callable
from functools import lru_cache, update_wrapper
from typing import Any

LONGEST_CACHED = 512  # characters


def short_text_cache(maxsize: int, longest: int = LONGEST_CACHED) -> Callable:
    """``lru_cache(maxsize)`` for calls whose first argument, a text, has at most ``longest``
    characters; the cache then holds at most ``maxsize`` × ``longest`` characters of keys."""

    def decorate(function: Callable) -> Callable:
        cached = lru_cache(maxsize=maxsize)(function)

        def call(text: str, *rest: Any, **named: Any) -> Any:
            if len(text) <= longest:
                return cached(text, *rest, **named)
            return function(text, *rest, **named)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return update_wrapper(call, function)

    return decorate
