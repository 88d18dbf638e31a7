"""What a reading error usually means, said to the person who typed or pasted the YAML.

libyaml names the character it stopped at ("could not find expected ':'", "found character that
cannot start any token"), often on the line after the slip. These hints name the slip itself:
a tab or a space copied from a web page in the indentation, no space after a key's colon, a
colon and a space inside a value, a value that starts with ``*``, a line indented to a column of
its own, a ``//`` comment in JSON, a key longer than YAML reads. ``yamlio`` adds them to its
errors; ``schema`` reuses two for values read as the wrong type.
"""

import re
from typing import Any

from podstudio.engine.patterns import compile_lazily

# ``app:web``: one string to YAML, which starts a key only at a colon followed by a space.
KEY_WITHOUT_SPACE = compile_lazily(r"([^\s:#\[\]{},]+):([^\s:/].*)")
_KEY_AND_VALUE = compile_lazily(
    r"[ \t]*(?:-[ \t]+)?([^\s:#\"'][^:]*?):[ \t]+([^\s\"'\[{|>&*!].*?)[ \t]*"
)


def reading_hint(exc: Any, text: str) -> str:
    """`` (what the slip is)`` for libyaml's error ``exc`` on ``text``, or ""."""
    problem, mark = exc.problem or exc.context or "", exc.problem_mark or exc.context_mark
    if mark and text.startswith("\t", mark.index) and "cannot start any token" in problem:
        return " (a tab: YAML indents with spaces, never with tabs)"
    if spaced := _LOOKALIKE_INDENT.search(text):
        line = text.count("\n", 0, spaced.start(1)) + 1
        return f" (line {line} holds {lookalike_space_hint(spaced.group(1))})"
    if mark and (line := _slash_comment_line(text, mark.index)):
        return (
            f" (line {line} holds a // comment: JSON has none, and YAML reads // as text, so "
            "kubectl and the API server cannot read it either; delete the comment lines)"
        )
    return _syntax_hint(exc, text)


def _slash_comment_line(text: str, index: int) -> int:
    """The line (from 1) of a ``//`` comment, as JavaScript and editors' JSON (JSONC) write
    them, on the line of ``index`` or the last line with text before it; 0 if there is none.
    (Further up, ``//`` may be text a block scalar holds, as a ConfigMap's script does.)"""
    end = text.find("\n", index)
    lines = text[: len(text) if end < 0 else end].split("\n")
    above = next((n for n in range(len(lines) - 1, 0, -1) if lines[n - 1].strip()), 0)
    for number in (len(lines), above):
        if number and lines[number - 1].lstrip(" \t").startswith("//"):
            return number
    return 0


def _syntax_hint(exc: Any, text: str) -> str:
    """What a slip the reader stopped at usually is, for the slips people make when they type
    YAML by hand: no space after a key's colon, a colon and a space inside a value, a value that
    starts with ``*``, a line indented to a column nothing else is at."""
    problem, mark, context = exc.problem or "", exc.problem_mark, exc.context_mark
    if problem == "could not find expected ':'" and context:
        written = _line_of(text, context.index).strip()
        if found := KEY_WITHOUT_SPACE.fullmatch(written.removeprefix("- ").lstrip()):
            key, value = found.groups()
            return (
                f" (`{written:.60}`: YAML needs a space after a key's colon, `{key}: {value:.40}`)"
            )
        return ""
    if problem == "did not find expected ',' or '}'" and mark and text.startswith(":", mark.index):
        return _long_key_hint(text, mark.index, flow=True)
    if problem.startswith("did not find expected alphabetic or numeric character") and (
        exc.context in ("while scanning an alias", "while scanning an anchor")
    ):
        return (
            " (* starts an alias and & an anchor in YAML: put a value that starts with one in "
            'quotes, "*")'
        )
    if problem.startswith("mapping values are not allowed") and mark:
        if hint := _long_key_hint(text, mark.index):
            return hint
        found = _KEY_AND_VALUE.fullmatch(_line_of(text, mark.index))
        if found and ": " in found.group(2) and "'" not in found.group(2):
            key, value = found.groups()
            return (
                " (a colon and a space start a key in YAML: put a value that holds them in "
                f"quotes, {key.strip():.40}: '{value:.60}'; a new key needs a line of its own)"
            )
        return (
            " (a colon and a space start a key in YAML: put a value that holds them in quotes; "
            "a new key needs a line of its own)"
        )
    if problem in ("did not find expected key", "did not find expected '-' indicator"):
        return (
            " (check this line's indentation: the keys of one mapping, and the items of one "
            "list, each start in the same column)"
        )
    return ""


# YAML's longest key written without ``? `` (a "simple key"): libyaml, and go-yaml v2 after it,
# stop looking for the key's ':' past this many characters.
SIMPLE_KEY_LIMIT = 1024


def _long_key_hint(text: str, colon: int, *, flow: bool = False) -> str:
    """Why a ':' more than 1024 characters after its key's start (spaces before the ':'
    count) starts no mapping value, or "". In a ``{…}`` mapping (``flow``) the key starts
    after its ``{`` or ``,``."""
    start = text.rfind("\n", 0, colon) + 1
    if flow:
        start = max(start, text.rfind("{", start, colon) + 1, text.rfind(",", start, colon) + 1)
    key = text[start:colon].lstrip().removeprefix("- ").lstrip()
    if len(key) <= SIMPLE_KEY_LIMIT or ": " in key:
        return ""
    return (
        f" (the key before this ':' is {len(key):,} characters long: YAML reads a key of at most "
        f"{SIMPLE_KEY_LIMIT:,} characters, and so do kubectl and the API server; no Kubernetes "
        "field or label key is that long)"
    )


def _line_of(text: str, index: int) -> str:
    """The line of ``text`` that ``index`` is on, without its line break."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


# Characters that look like a space but that YAML, and so the API server, read as text. Text
# copied from a web page or a chat often has them where a space was: in the indentation, after
# a "-" or after a ":".
LOOKALIKE_SPACES = "\u00a0\u2000-\u200b\u202f\u205f\u3000"
_LOOKALIKE_INDENT = compile_lazily(rf"(?:^|[:-])[ ]*([{LOOKALIKE_SPACES}])", re.M)
_LOOKALIKE = compile_lazily(rf"[{LOOKALIKE_SPACES}]")


def lookalike_space_hint(text: str) -> str:
    """What the first space-like character of ``text`` is and what to do about it, or ""."""
    found = _LOOKALIKE.search(text)
    if found is None:
        return ""
    import unicodedata  # only on this error's path: not a cost of every run of the CLI

    char = found.group()
    name = unicodedata.name(char, "space").lower()
    article = "an" if name[0] in "aeiou" else "a"  # an em space, an ideographic space
    return (
        f"{article} {name}, U+{ord(char):04X}, as text copied from a web page often does: YAML "
        "reads it as text, not as a space; type a plain space instead"
    )
