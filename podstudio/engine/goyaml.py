"""Scalars and map keys as kubectl and the API server read them.

Both turn YAML into JSON with ``sigs.k8s.io/yaml`` (``YAMLToJSON``) over go-yaml v2, and then
read the JSON. go-yaml v2 resolves plain scalars by its own table (``resolve.go``), which is
neither PyYAML's YAML 1.1 nor YAML 1.2:

- booleans: ``y Y yes Yes YES true True TRUE on On ON`` and ``n N no No NO false False FALSE
  off Off OFF``; nulls: empty, ``~``, ``null Null NULL``;
- integers as Go's ``strconv.ParseInt(text, 0, 64)`` reads them once every ``_`` is removed:
  ``0x1F``, ``0o644``, ``0b101``, ``0644`` (octal, 420), ``+5``; past int64 up to uint64 as well;
- floats matching ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``: ``1e3`` and ``09``
  are floats (1000 and 9), ``1e400`` overflows and stays a string; ``.inf``, ``-.inf``, ``.nan``;
- no base-60 (``1:30`` is a string), and dates stay strings;
- a tag on a mapping or a sequence is ignored; a scalar with a tag other than the standard
  scalar tags (``!foo``, ``!!map``, ``!!seq``) is a string; ``!!int`` and friends must fit.

Then JSON: a float is written as Go's ``json.Marshal`` writes it (``1000``, ``0.5``,
``1e+21``), so an integral float below 1e21 reaches the API server as an integer; a non-finite
float cannot be written at all (``json: unsupported value: +Inf``). Map keys become strings:
integers in decimal, floats as ``strconv.FormatFloat(k, 'g', -1, 32)`` (``1e+06``), booleans as
``true``/``false``; a null key or one past int64 is refused.
"""

import base64
import binascii
import codecs
import math
import re
import struct
from decimal import Decimal
from typing import Any

from podstudio.engine.patterns import compile_lazily

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
BINARY = "tag:yaml.org,2002:binary"
_RESOLVABLE = {STR, BOOL, INT, FLOAT, NULL, TIMESTAMP}

_MAX_INT64 = 2**63 - 1
_MIN_INT64 = -(2**63)
_MAX_UINT64 = 2**64 - 1
_JSON_EXPONENT_FROM = 1e21  # json.Marshal writes 1e+21 and up with an exponent


def _replace_one_byte(error: UnicodeDecodeError) -> tuple[str, int]:
    """Go's UTF-8 decoding: an invalid byte is one U+FFFD, and reading resumes after it."""
    return "\ufffd", error.start + 1


codecs.register_error("goyaml-replace", _replace_one_byte)


class GoYamlError(ValueError):
    """go-yaml or sigs.k8s.io/yaml refuses the value; the message is theirs, in plain words."""


class Uint64(int):
    """An integer go-yaml reads as uint64 (past int64): fine as a value, refused as a map key."""


_WORDS: dict[str, tuple[str, Any]] = {}
for _value, _tag, _texts in (
    (True, BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, NULL, "~ null Null NULL"),
    (math.nan, FLOAT, ".nan .NaN .NAN"),
    (math.inf, FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, FLOAT, "-.inf -.Inf -.INF"),
):
    for _text in _texts.split():
        _WORDS[_text] = (_tag, _value)
_WORDS[""] = (NULL, None)

# resolveTable: the first character decides which rules are tried at all (every word above
# starts with one of y Y n N t T f F o O ~ . + -, so looking words up first is the same).
_NUMERIC_START = frozenset("+-0123456789")

_GO_INT = compile_lazily(
    r"(?P<sign>[+-]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[oO](?P<oct>[0-7]+)|0[bB](?P<bin>[01]+)"
    r"|0(?P<old_oct>[0-7]*)|(?P<dec>[1-9][0-9]*))"
)
_YAML_STYLE_FLOAT = compile_lazily(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = compile_lazily(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_TIMESTAMP = compile_lazily(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2}))"
    r"|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?))?"
)


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), then ParseUint(text, 0, 64); None when both fail."""
    match = _GO_INT.fullmatch(text)
    if not match:
        return None
    for group, base in (("hex", 16), ("oct", 8), ("bin", 2), ("old_oct", 8), ("dec", 10)):
        digits = match.group(group)
        if digits is not None:
            digits = digits.lstrip("0")
            if len(digits) > 64:  # past uint64 in any base; int() of it could be slow
                return None
            value = int(digits, base) if digits else 0
            break
    sign = match.group("sign")
    if sign == "-":
        value = -value
    if _MIN_INT64 <= value <= _MAX_INT64:
        return value
    if not sign and value <= _MAX_UINT64:
        return Uint64(value)
    return None


_DECIMAL = compile_lazily(r"([+-]?)0*([0-9]*)")


def atoi(text: str) -> tuple[int, bool]:
    """Go's ``strconv.Atoi`` on 64 bits, for text already known to be an ASCII sign and
    digits: the value, clamped to int64 as Go returns it on overflow, and whether it was in
    range. Digits past int64 are never given to ``int()``, which refuses more than 4,300."""
    sign, digits = _DECIMAL.fullmatch(text).groups()
    if len(digits) > 19:
        return (_MIN_INT64 if sign == "-" else _MAX_INT64), False
    value = -int(digits or "0") if sign == "-" else int(digits or "0")
    clamped = min(max(value, _MIN_INT64), _MAX_INT64)
    return clamped, clamped == value


def _go_parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for decimal text; None on overflow, as Go reports it."""
    value = float(text)
    return None if math.isinf(value) else value


def _resolve(value: str, check_timestamp: bool) -> tuple[str, Any]:
    """go-yaml v2's ``resolve`` for an untagged (or standard-tagged) scalar: (tag, value)."""
    if value in _WORDS:
        return _WORDS[value]
    first = value[0]
    if first == ".":
        if _DOT_FLOAT.fullmatch(value):
            number = _go_parse_float(value)
            if number is not None:
                return FLOAT, number
    elif first in _NUMERIC_START:
        if check_timestamp and is_timestamp(value):
            return TIMESTAMP, value
        plain = value.replace("_", "")
        number = _go_parse_int(plain)
        if number is not None:
            return INT, number
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            number = _go_parse_float(plain)
            if number is not None:
                return FLOAT, number
    return STR, value


def is_timestamp(value: str) -> bool:
    """parseTimestamp: the text has one of go-yaml's timestamp layouts (a valid date)."""
    if not _TIMESTAMP.fullmatch(value):
        return False
    year, month, day = (int(part) for part in re.split(r"[-Tt ]", value)[:3])
    if not 1 <= month <= 12 or day < 1:
        return False
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31]
    days += [30, 31, 31, 30, 31, 30, 31]
    return day <= days[month - 1]


def resolve_plain(value: str) -> Any:
    """A plain (unquoted, untagged) scalar as go-yaml v2 reads it into ``interface{}``."""
    tag, resolved = _resolve(value, check_timestamp=True)
    return value if tag == TIMESTAMP else resolved


def resolve_tagged(tag: str, value: str) -> Any:
    """A scalar with an explicit tag (``!!int 5``, ``!foo x``): the value, or GoYamlError."""
    if tag == BINARY:
        try:
            data = base64.b64decode(value.replace("\n", "").replace("\r", ""), validate=True)
        except (binascii.Error, ValueError):
            raise GoYamlError("!!binary value contains invalid base64 data") from None
        # json.Marshal writes U+FFFD for each byte that does not start valid UTF-8 (Python's
        # "replace" writes one for a cut-off sequence of several bytes).
        return data.decode("utf-8", errors="goyaml-replace")
    if tag not in _RESOLVABLE:
        return value  # custom tags, !!map or !!seq on a scalar, "!": the text as a string
    if tag == STR:
        return value
    resolved_tag, resolved = _resolve(value, check_timestamp=tag == TIMESTAMP)
    if resolved_tag == tag:
        return value if tag == TIMESTAMP else resolved
    if tag == FLOAT and resolved_tag == INT and type(resolved) is not Uint64:
        return float(resolved)  # go-yaml converts an int or int64, never a uint64
    raise GoYamlError(f"cannot decode !!{resolved_tag[18:]} `{value}` as a !!{tag[18:]}")


def json_value(value: Any) -> Any:
    """A resolved scalar as the JSON the API server receives: floats as json.Marshal writes them.

    Raises GoYamlError for a non-finite float (sigs.k8s.io/yaml cannot write it as JSON).
    """
    if type(value) is float:
        if not math.isfinite(value):
            sign = "-" if value < 0 else "+"
            shown = "NaN" if math.isnan(value) else f"{sign}Inf"
            raise GoYamlError(f"json: unsupported value: {shown}")
        if value.is_integer() and abs(value) < _JSON_EXPONENT_FROM:
            # Go writes the shortest digits that read back as the float, then zeros:
            # 2**64 as a float is written 18446744073709552000.
            return int(Decimal(repr(value)))
        return value
    if type(value) is Uint64:
        return int(value)
    return value


def json_key(value: Any) -> str:
    """A resolved scalar used as a map key, as sigs.k8s.io/yaml turns it into a JSON key."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise GoYamlError("a map key cannot be null (unsupported map key of type <nil>)")
    if isinstance(value, Uint64):
        raise GoYamlError(f"the map key {value} is past the int64 range (unsupported map key)")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float32_g(value)
    raise GoYamlError("a map key must be a plain value, not a collection")


def format_float32_g(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's names for infinities and NaN."""
    if math.isnan(value):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if math.copysign(1, single) < 0 else "0"
    for precision in range(1, 10):
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent_text = text.split("e")
    negative = mantissa.startswith("-")
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    sign = "-" if negative else ""
    if exponent < -4 or exponent >= 6:
        rest = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{rest}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    fixed = format(Decimal(f"{digits}e{exponent - len(digits) + 1}"), "f")
    return sign + fixed


def reads_as_string(text: str) -> bool:
    """Whether go-yaml reads ``text`` written plain (unquoted) back as the same string."""
    return text != "<<" and isinstance(resolve_plain(text), str)
