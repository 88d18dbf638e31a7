"""Regular expressions compiled when they are first used.

The engine and the command line hold about a hundred patterns at module level, and a short
``podstudio analyze`` run uses a sixth of them: compiling every one as its module loads cost
3.5 ms of a 50 ms run (issue 11 asks one file in under twice kubeconform's time). A pattern
made with ``compile_lazily`` is compiled on first use, and each method it hands out is then
kept on it, so a later call costs what a call on a compiled pattern does.
"""

import re
from typing import Any, cast

# The real compiler, kept here: ``clistart`` makes ``re.compile`` lazy while PyYAML loads.
_compile = re.compile


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first use of a method or attribute."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        value = getattr(_compile(*self._source), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"compile_lazily({self._source[0]!r}, {self._source[1]!r})"


def compile_lazily(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """A pattern that acts as ``re.compile(pattern, flags)`` and is compiled on first use."""
    return cast(re.Pattern, LazyPattern(pattern, flags))
