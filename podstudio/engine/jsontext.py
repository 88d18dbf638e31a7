"""A JSON file as kubectl reads it, handed to the YAML reader that gives Pod Studio its places.

kubectl reads a file that starts with ``{`` with Go's JSON decoder, not go-yaml. Where the two
differ, a valid JSON file is rewritten here before libyaml reads it, keeping every line and
column (only surrogate pairs, as before, become their character):
- a tab between tokens is white space to JSON, while YAML refuses it where it indents a line;
- JSON strings may hold characters as written that YAML refuses (DEL, the C1 controls, U+FFFE,
  U+FFFF) or reads as line breaks and folds (U+0085, U+2028, U+2029): each becomes a character
  of the private use area that the text does not hold, and goes back once the data is read;
- an escaped surrogate without its pair is read as U+FFFD, as Go's decoder reads it;
- kubectl decodes the object's ``metadata`` into its Go type before anything else, so there an
  integer written as ``1.0`` or ``1e0`` makes the file unreadable (elsewhere it becomes ``1``);
- a number past float64's range (``1e400``, 400 digits) is a string to go-yaml, but Go's JSON
  decoder cannot hold it, so kubectl and the API server refuse the file;
- YAML wants a mapping key on one line with its ':' and at most 1024 characters long (a "simple
  key"); JSON has no such rule. A line break between a key and its ':' moves after the ':', and
  a key of 1000 characters or more becomes spaces and a private use character standing in for it.
"""

import json
import math
import re
from typing import Any

from podstudio.engine.patterns import compile_lazily

# Characters a JSON string may hold as written that YAML refuses or reads as a line break.
_YAML_UNSAFE = compile_lazily("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE_ESCAPE = compile_lazily(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_ESCAPE = compile_lazily(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)
_PRIVATE_USE = range(0xE000, 0xF900)
# ObjectMeta's integers (int64): the only numbers kubectl decodes into a Go type first.
_METADATA_INTEGERS = ("generation", "deletionGracePeriodSeconds")
# What a number past float64's range needs: a digit, then an exponent of three digits or 308
# more digits (a cheap test before the file is parsed as JSON; a hex digest such as "3e123" may
# match too, and costs that parse).
_HUGE_NUMBER = compile_lazily(r"[0-9](?:[eE][+-]?[0-9]{3}|[0-9]{308})")
# A JSON string, or a number outside strings (group 1): to find where a number is written.
_TOKEN = compile_lazily(r'"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)')
# What breaks YAML's simple-key rule (goyaml.v2 scannerc.go: yaml_parser_stale_simple_keys): a
# line break after a string and before a ':', or a string of 1000 characters (a cheap test: one
# with a '\"' in it may pass unseen).
_KEY_TROUBLE = compile_lazily(r'"[ \t]*[\r\n][ \t\r\n]*:|"[^"]{1000}')
# A string, the white space after it and a ':' if one follows (a key: valid JSON only).
_STRING_GAP = compile_lazily(r'("(?:[^"\\]|\\.)*")([ \t\r\n]*)(:?)')
_LONGEST_KEY = 1000


_ESCAPED_BYTE = compile_lazily("[\udc80-\udcff]")
_JSON_VALUES = json.JSONDecoder()
# The white space JSON allows between values (RFC 8259).
JSON_GAP = compile_lazily(r"[ \t\r\n]*")


class NotReadByKubectl(ValueError):
    """Valid JSON that kubectl's decoder cannot read (its message, for people)."""


class NotAnInteger(NotReadByKubectl):
    """An integer field of the object's metadata is written as a fraction or an exponent."""


class OutOfRange(NotReadByKubectl):
    """A number too large for a float64: Go's ``strconv.ParseFloat`` fails with ErrRange."""


class _Written(str):
    """A JSON number written with a fraction or an exponent, as written."""


def refuse_constant(name: str) -> None:
    """``parse_constant`` of a decoder that reads JSON as Go does: Python reads NaN and
    Infinity, Go's decoder does not."""
    raise ValueError(f"{name} is not JSON")


def for_yaml_reader(
    text: str, *, join_pairs: bool = True
) -> tuple[str, dict[int, int | str] | None]:
    """``text`` rewritten for libyaml if it is valid JSON and needs it, and the table that turns
    the private use characters standing in for others (or for long keys) back (None when none
    was needed).
    ``join_pairs=False`` leaves surrogate pairs as written (``sourcemap`` joins them its way).

    Raises NotAnInteger for metadata kubectl cannot decode, OutOfRange for a number it cannot
    hold. Text that is not valid JSON is returned as it is: kubectl reads it as YAML.
    """
    tabs = "\t" in text
    unsafe = _YAML_UNSAFE.search(text) is not None
    escapes = "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None
    metadata = any(name in text for name in _METADATA_INTEGERS)
    huge = _HUGE_NUMBER.search(text) is not None
    keys = _KEY_TROUBLE.search(text) is not None
    if not (tabs or unsafe or escapes or metadata or huge or keys):
        return text, None
    infinite: list[str] = []
    try:
        data = json.loads(
            text,
            parse_float=lambda written: _number(written, infinite, _Written),
            parse_int=lambda written: _number(written, infinite, int),
            parse_constant=refuse_constant,
        )
    except (ValueError, RecursionError):  # nested past Python's limit: YAML refuses it at 64
        return text, None
    if infinite:
        raise OutOfRange(_out_of_range(text, infinite[0]))
    if metadata:
        _check_metadata_integers(data)
    if escapes:
        text = _surrogates_as_go_reads_them(text, join_pairs)
    if tabs:
        text = text.replace("\t", " ")
    table: dict[int, int | str] | None = None
    if keys:
        text, long_keys = _simple_keys(text)
        table = long_keys or None
    if unsafe:
        text, back = _stand_ins(text)
        table = {**(table or {}), **back}
    return text, table


def _simple_keys(text: str) -> tuple[str, dict[int, str]]:
    """Valid JSON with each key libyaml would not take as a simple key made one: the white space
    between a key and its ':' after the ':' (the same lines and columns after it), and a key of
    ``_LONGEST_KEY`` characters or more as spaces and a private use character in quotes, which
    the table turns back into the key (one character for each distinct key, so that a key set
    twice is still seen)."""
    held = set(text)
    free = (chr(code) for code in _PRIVATE_USE if chr(code) not in held)
    stand_ins: dict[str, str] = {}  # a long key (as read: "\u0041" is "A") -> its stand-in

    def one_line(match: re.Match) -> str:
        written, gap, colon = match.groups()
        if not colon:
            return match[0]
        if len(written) >= _LONGEST_KEY:
            key = json.loads(written)
            if key not in stand_ins:
                stand_ins[key] = next(free)
            written = " " * (len(written) - 3) + f'"{stand_ins[key]}"'
        elif "\n" not in gap and "\r" not in gap and len(written) + len(gap) < _LONGEST_KEY:
            return match[0]
        return f"{written}:{gap}"

    text = _STRING_GAP.sub(one_line, text)
    return text, {ord(char): key for key, char in stand_ins.items()}


def _number(written: str, infinite: list[str], kind: type) -> Any:
    """A JSON number, noted in ``infinite`` when a float64 cannot hold it (as kubectl's
    ``convertNumber`` in apimachinery's util/json finds: Int64 fails, then Float64 with
    ErrRange). Long integers are not converted: Python refuses more than 4300 digits."""
    long = len(written) > 300 or "e" in written or "E" in written
    if long and math.isinf(float(written)):
        infinite.append(written)
        return written
    return kind(written)


def _out_of_range(text: str, number: str) -> str:
    """kubectl's message for a number past float64's range, at the line where it is written."""
    where = ""
    for token in _TOKEN.finditer(text):
        if token[1] == number:
            line = text.count("\n", 0, token.start()) + 1
            column = token.start() - text.rfind("\n", 0, token.start())
            where = f"line {line}, column {column}: "
            break
    shown = number if len(number) <= 40 else f"{number[:20]}…({len(number)} digits)"
    return (
        f"{where}{shown} is a number past the range of a float64, which kubectl cannot read in "
        f"a JSON file (json: cannot unmarshal number {shown} into Go value of type float64), "
        "so `kubectl apply` refuses the whole file; quote it to mean the text"
    )


def _check_metadata_integers(data: Any) -> None:
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(metadata, dict):
        return
    for name in _METADATA_INTEGERS:
        value = metadata.get(name)
        if isinstance(value, _Written):
            raise NotAnInteger(
                f"metadata.{name}: kubectl cannot read {value} as an integer (json: cannot "
                f"unmarshal number {value} into Go struct field ObjectMeta.metadata.{name} of "
                "type int64); write it without a fraction or an exponent"
            )


def _surrogates_as_go_reads_them(text: str, join_pairs: bool) -> str:
    """Each escaped surrogate pair as its character (YAML has no such escapes), and each
    surrogate escape without its pair as ``\\ufffd``, which Go's decoder reads it as."""
    pieces: list[str] = []
    last = 0
    escapes = list(_ESCAPE.finditer(text))
    index = 0
    while index < len(escapes):
        escape = escapes[index]
        code = int(escape[1], 16) if escape[1] else 0
        index += 1
        if not 0xD800 <= code <= 0xDFFF:
            continue
        pieces.append(text[last : escape.start()])
        following = escapes[index] if index < len(escapes) else None
        low = int(following[1], 16) if following and following[1] else 0
        paired = following is not None and following.start() == escape.end()
        if code < 0xDC00 and paired and 0xDC00 <= low <= 0xDFFF:
            if join_pairs:
                pieces.append(chr(0x10000 + ((code - 0xD800) << 10) + low - 0xDC00))
            else:
                pieces.append(text[escape.start() : following.end()])
            last = following.end()
            index += 1
            continue
        pieces.append("\\ufffd")
        last = escape.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _stand_ins(text: str) -> tuple[str, dict[int, int | str]]:
    """The text with each character YAML would refuse or fold replaced by a private use
    character it does not hold, and the table back."""
    unsafe = sorted(set(_YAML_UNSAFE.findall(text)))
    held = set(text)
    free = (code for code in _PRIVATE_USE if chr(code) not in held)
    forward = {ord(char): code for char, code in zip(unsafe, free, strict=False)}
    back: dict[int, int | str] = {code: char for char, code in forward.items()}
    return text.translate(forward), back


def with_keys_shown(message: str, table: dict[int, int | str]) -> str:
    """A reading error that names a long key by its stand-in (as it is, or as ``repr`` escapes
    it), naming the key's first characters instead."""
    for code, key in table.items():
        if isinstance(key, str):
            shown = f"{key[:40]}…"
            message = message.replace(chr(code), shown).replace(f"\\u{code:04x}", shown)
    return message


def restored(value: Any, table: dict[int, int | str]) -> Any:
    """``value`` (read from a text ``for_yaml_reader`` rewrote) with its stand-ins turned back
    into the characters the file holds, in keys and strings, in place where it can."""
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = restored(item, table)
    elif isinstance(value, dict):
        items = [(key.translate(table), restored(item, table)) for key, item in value.items()]
        value.clear()
        value.update(items)
    return value


def with_replacement(data: bytes) -> str:
    """UTF-8 ``data`` with each byte that is not UTF-8 as one U+FFFD, as Go reads it (Python's
    "replace" gives one for a cut-off sequence of several bytes)."""
    return _ESCAPED_BYTE.sub("\ufffd", data.decode("utf-8", "surrogateescape"))


def as_go_reads_it(data: bytes) -> str | None:
    """A JSON file with bytes that are not UTF-8 (in its strings: a file saved as Latin-1) as
    Go's decoder reads it, each such byte a U+FFFD (encoding/json ``unquoteBytes``; kubectl's
    ``FileVisitor`` decodes with replacement too), or None when it is no valid JSON so (YAML:
    the API server refuses the bytes, "invalid trailing UTF-8 octet")."""
    text = with_replacement(data)
    if not text.lstrip(" \t\r\n").startswith("{") or "\x00" in text:
        return None
    position = JSON_GAP.match(text).end()
    try:  # one object, or a stream of them (kubectl reads each)
        while position < len(text):
            _, end = _JSON_VALUES.raw_decode(text, position)
            position = JSON_GAP.match(text, end).end()
    except (ValueError, RecursionError):
        return None
    return text
