"""Kubernetes resource quantities (``250m``, ``128Mi``, ``1e3``) read and written as upstream.

The rules follow apimachinery's ``resource.Quantity``: the same grammar, the same exact values
(rounded up to whole nanounits when finer, BinarySI capped at 2^63-1), and the same string the API
server sends back, so a learner sees ``0.5`` come back as ``500m`` and ``1024Mi`` as ``1Gi``.
Values are ``Decimal`` and never floats, so ``268435456`` equals ``256Mi`` exactly.
"""

import decimal
from decimal import Decimal
from functools import lru_cache

DECIMAL_SI = "DecimalSI"  # 12M = 12 * 10^6
BINARY_SI = "BinarySI"  # 12Mi = 12 * 2^20
DECIMAL_EXPONENT = "DecimalExponent"  # 12e6
FORMATS = (DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT)

_DECIMAL_SUFFIXES = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_SUFFIX_FOR = {power: suffix for suffix, power in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIX_FOR = {power // 10: suffix for suffix, power in _BINARY_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_MAX_INT64 = 2**63 - 1
_MIN_INT64 = -(2**63)
_MAX_INT32 = 2**31 - 1
_NANO_EXPONENT = -9

# Unicode white space that Go's strings.TrimSpace removes and that can reach the API server
# literally inside a JSON string, as kubectl writes it (Go's json.Marshal): control characters
# arrive escaped, and so do U+2028 and U+2029, so none of them is ever trimmed.
_JSON_TRIMMED_SPACE = (
    " \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)

# Sums are exact for any realistic Pod; the wide exponent range keeps absurd values from raising.
_SUMS = decimal.Context(prec=200, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[])

# Past this many digits we stop materialising integers: only absurd inputs get there.
_HUGE_DIGITS = 4000


class QuantityError(ValueError):
    """The value is not a Kubernetes quantity. The message is one line, for people."""


def _error(value: object, why: str) -> QuantityError:
    return QuantityError(f'"{value}" is not a valid quantity: {why}')


def _json_number_text(value: int | float) -> str:
    """The text a client sends for a JSON number (what Go's encoder writes for it)."""
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise _error(value, "it must be a finite number")
    if value == 0:
        return "0"
    if 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(repr(value)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    text = repr(value)  # already shortest, like Go's 'e' format: 1e+21, 1.5e-07
    mantissa, _, exponent = text.partition("e")
    sign, digits = exponent[0], exponent[1:].lstrip("0") or "0"
    if sign == "-" and len(digits) == 1:
        return f"{mantissa}e-{digits}"  # Go writes 1e-7, not 1e-07
    return text


def _scan(text: str) -> tuple[bool, str, str, str, str]:
    """Splits a quantity into (positive, number text, integer digits, fraction digits, suffix).

    The same scanner as apimachinery's parseQuantityString, quirks included: ``1.`` and ``.``
    are numbers, leading zeros are dropped from the integer digits.
    """
    end = len(text)
    pos = 0
    positive = True
    if pos < end and text[0] in "+-":
        positive = text[0] == "+"
        pos = 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos] or "0"
    if pos >= end:
        return positive, text, num, "", ""
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    number = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise _error(
            text, "use a number with an optional suffix such as m, k, M, G, Ki, Mi, Gi or e3"
        )
    return positive, number, num, denom, text[suffix_start:]


def _interpret(text: str, suffix: str) -> tuple[int, int, str]:
    """Returns (base, exponent, format) for a suffix, or raises."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        rest = suffix[1:]
        digits = rest[1:] if rest[0] in "+-" else rest
        if digits and all(char in _DIGITS for char in digits):
            digits = digits.lstrip("0") or "0"
            if len(digits) > 10:  # past int32 whatever the digits (ParseInt(..., 10, 32))
                raise _error(text, "the exponent is out of range")
            exponent = int(digits) * (-1 if rest[0] == "-" else 1)
            if -_MAX_INT32 <= exponent <= _MAX_INT32:
                return 10, exponent, DECIMAL_EXPONENT
            raise _error(text, "the exponent is out of range")
    raise _error(
        text,
        f'unknown suffix "{suffix}" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, e<n>)',
    )


def _decimal(sign: int, coefficient: int, exponent: int) -> Decimal:
    """An exact Decimal, built without going through a rounding context."""
    return Decimal((sign, tuple(int(d) for d in str(coefficient)), exponent))


def round_up_to(amount: Decimal, exponent: int) -> Decimal:
    """Rounds away from zero to a whole multiple of 10**exponent, exactly, however many digits
    the value has (inf.RoundUp)."""
    if amount == 0 or amount.as_tuple().exponent >= exponent:
        return amount
    context = decimal.Context(
        prec=max(1, amount.adjusted() - exponent + 2),
        rounding=decimal.ROUND_UP,
        Emax=decimal.MAX_EMAX,
        Emin=decimal.MIN_EMIN,
    )
    return amount.quantize(Decimal((0, (1,), exponent)), context=context)


def _round_up_to_nano(amount: Decimal) -> Decimal:
    """Rounds a non-zero value away from zero to whole nanounits, as inf.RoundUp does."""
    return round_up_to(amount, _NANO_EXPONENT)


def _parse(value: object) -> tuple[Decimal, str, str | None]:
    """Returns (exact value, format, the string the API server keeps verbatim or None)."""
    if type(value) is str and len(value) <= 64:
        return _parse_short_text(value)
    return _parse_any(value)


def _text_of(value: object) -> str:
    """The text ParseQuantity reads for a JSON string or number (a string's outer space
    trimmed), or QuantityError for anything else or nothing at all."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _error(value, 'it must be a string such as "250m" or a number')
    text = value.strip(_JSON_TRIMMED_SPACE) if isinstance(value, str) else _json_number_text(value)
    if not text:
        raise _error(value, "it is empty")
    return text


def _parse_any(value: object) -> tuple[Decimal, str, str | None]:
    text = _text_of(value)
    if text == "0":
        return Decimal(0), DECIMAL_SI, "0"

    positive, number, num, denom, suffix = _scan(text)
    base, exponent, fmt = _interpret(text, suffix)

    # The int64 fast path of ParseQuantity: it decides which strings are kept verbatim.
    fast = _int64_amount(positive, num, denom, exponent, fmt)
    if fast is not None:
        result, scale = fast
        amount = _decimal(0 if positive else 1, abs(result), scale)
        shifted = num + denom
        if fmt == BINARY_SI:
            verbatim = exponent % 10 == 0 and int(shifted) & 0x07 != 0
        else:
            verbatim = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
        return amount, fmt, text if verbatim else None

    # The general path: exact decimal arithmetic, then rounding and capping.
    sign = 0 if positive else 1
    whole, _, fraction = number.lstrip("+-").partition(".")
    if not (whole + fraction):
        raise _error(text, "it has no digits")
    # From the digit text, never through int(): a value may have thousands of digits.
    digits = f"{'-' if sign else ''}{(whole + fraction).lstrip('0') or '0'}"
    if base == 2:
        exact = decimal.Context(prec=len(digits) + 20, Emax=decimal.MAX_EMAX)
        amount = exact.multiply(Decimal(f"{digits}E{-len(fraction)}"), Decimal(2**exponent))
    else:
        amount = Decimal(f"{digits}E{exponent - len(fraction)}")
    amount = _round_up_to_nano(amount)
    if fmt == BINARY_SI and abs(amount) > _MAX_INT64:
        amount = _decimal(sign, _MAX_INT64, 0)
    if fmt == BINARY_SI and 0 < abs(amount) < 1:
        fmt = DECIMAL_SI
    return amount, fmt, None


def _int64_amount(
    positive: bool, num: str, denom: str, exponent: int, fmt: str
) -> tuple[int, int] | None:
    """ParseQuantity's int64 fast path: the ``(value, scale)`` of the int64Amount it makes
    (value * 10**scale), or None when the quantity is kept as an inf.Dec instead."""
    mantissa = 1
    scale = exponent if fmt != BINARY_SI else 0
    if fmt != BINARY_SI:
        precision = 18 - (len(num) + len(denom))
    elif exponent >= 0 and not denom:
        mantissa = 1 << exponent
        precision = 15 - len(num) - exponent * 3 // 10 - 1
    else:
        precision = -1
    if precision < 0 or scale - len(denom) < _NANO_EXPONENT:
        return None
    result = int(num + denom) * mantissa
    if result > _MAX_INT64:
        return None
    return (result if positive else -result), scale - len(denom)


# Manifests repeat the same few quantity strings (``250m``, ``128Mi``): read each once per process.
# The result is immutable (a Decimal and two strings); errors are not remembered.
_parse_short_text = lru_cache(maxsize=4096)(_parse_any)


def parse_quantity(value: str | int | float) -> Decimal:
    """The exact value of a quantity, or QuantityError if the API server would reject it.

    Accepts what a Pod's JSON may hold: a string in the quantity grammar, or a JSON number.
    Like the API server, white space around a string is ignored.
    """
    return _parse(value)[0]


def parse_with_format(value: str | int | float) -> tuple[Decimal, str]:
    """The exact value and the format family the API server remembers for it."""
    amount, fmt, _ = _parse(value)
    return amount, fmt


def is_quantity(value: object) -> bool:
    try:
        _parse(value)
    except QuantityError:
        return False
    return True


def _canonical_decimal(value: Decimal) -> tuple[str, int]:
    """Mantissa text and a base-10 exponent that is a multiple of 3, with no fraction digits."""
    sign, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    stripped = text.rstrip("0")
    exponent += len(text) - len(stripped)
    extra = exponent % 3
    mantissa = stripped + "0" * extra
    return ("-" if sign else "") + mantissa, exponent - extra


def _format_exponent(value: Decimal) -> str:
    mantissa, exponent = _canonical_decimal(value)
    return mantissa if exponent == 0 else f"{mantissa}e{exponent}"


@lru_cache(maxsize=4096)  # a pure function of two small values; reasons format the same ones
def format_quantity(value: Decimal, fmt: str) -> str:
    """The canonical string of a value in a format (apimachinery's CanonicalizeBytes).

    No precision is lost and no fraction digits are written: BinarySI falls back to DecimalSI
    below 1024 or for non-integers. A DecimalSI exponent without a suffix (past E) is dropped,
    as the API server drops it; a BinarySI power past Ei (which the API server never stores:
    it caps such values at int64's largest) is written in full.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown quantity format {fmt!r}")
    value = Decimal(value)
    if not value.is_finite():
        raise _error(value, "it must be a finite number")
    if value == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 < value < 1024 or value != value.to_integral_value():
            fmt = DECIMAL_SI
        elif value.adjusted() > _HUGE_DIGITS:
            return _format_exponent(value)
    if fmt == BINARY_SI:
        number = int(value)
        magnitude, power = abs(number), 0
        while magnitude % 1024 == 0:
            magnitude //= 1024
            power += 1
        if power not in _BINARY_SUFFIX_FOR and power != 0:
            return _format_exponent(value)
        suffix = _BINARY_SUFFIX_FOR.get(power, "")
        return f"{'-' if number < 0 else ''}{magnitude}{suffix}"
    mantissa, exponent = _canonical_decimal(value)
    if fmt == DECIMAL_SI:
        # No suffix for the exponent (past E): apimachinery ignores the failed lookup and writes
        # the mantissa alone, so 1000E is stored, and said, as "1".
        return mantissa + _DECIMAL_SUFFIX_FOR.get(exponent, "")
    return mantissa if exponent == 0 else f"{mantissa}e{exponent}"


def canonical_quantity(value: str | int | float) -> str:
    """The string the API server stores and returns for this input.

    It keeps the input's format family (``1e3`` stays an exponent, ``1000Mi`` stays binary),
    and, like the API server, returns the input unchanged when it is already in a form it
    keeps verbatim (``1500m``, ``1Gi``).
    """
    amount, fmt, verbatim = _parse(value)
    return verbatim if verbatim is not None else format_quantity(amount, fmt)


def add_quantities(*values: Decimal) -> Decimal:
    """The sum of quantities, exact for any realistic value and never raising on huge ones."""
    total = Decimal(0)
    for value in values:
        total = _SUMS.add(total, value)
    return total


def _as_amount(value: Decimal | str | int | float) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _error(value, "it must be a finite number")
        return value
    return parse_quantity(value)


def _ceil_away_from_zero(value: Decimal) -> int:
    sign, digits, exponent = value.as_tuple()
    coefficient = int("".join(map(str, digits)))
    if exponent >= 0:
        magnitude = coefficient * 10**exponent
    elif -exponent > len(digits):
        magnitude = 1 if coefficient else 0
    else:
        magnitude, rest = divmod(coefficient, 10**-exponent)
        magnitude += 1 if rest else 0
    return -magnitude if sign else magnitude


def cpu_millicores(value: Decimal | str | int | float) -> int:
    """Thousandths of a CPU, rounded up away from zero (Quantity.MilliValue).

    Values past the int64 range saturate there.
    """
    amount = _as_amount(value)
    if amount == 0:
        return 0
    if amount.adjusted() >= 18:
        return _MAX_INT64 if amount > 0 else _MIN_INT64
    sign, digits, exponent = amount.as_tuple()
    millis = _ceil_away_from_zero(Decimal((sign, digits, exponent + 3)))
    return max(_MIN_INT64, min(_MAX_INT64, millis))


def _plain(value: Decimal) -> str:
    """A decimal number without exponent or trailing zeros: 0.25, 1536, 0.0001."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _is_huge(value: Decimal) -> bool:
    return value != 0 and not -20 <= value.adjusted() <= 30


def format_cpu(value: Decimal | str | int | float) -> str:
    """Friendly CPU text such as ``0.25 CPU (250m)``; an invalid value comes back as given."""
    try:
        amount = _as_amount(value)
    except QuantityError:
        return str(value)
    if _is_huge(amount):
        return f"{format_quantity(amount, DECIMAL_SI)} CPU"
    millis = cpu_millicores(amount)
    unit = "CPUs" if abs(amount) > 1 else "CPU"
    if amount * 1000 != millis:
        return f"{_plain(amount)} {unit} (rounds up to {millis}m)"
    return f"{_plain(amount)} {unit} ({millis}m)"


_BINARY_UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
_DECIMAL_UNITS = ("bytes", "kB", "MB", "GB", "TB", "PB", "EB")


def _largest_exact_unit(number: int, base: int) -> int:
    power = 0
    while power < 6 and number % base ** (power + 1) == 0:
        power += 1
    return power


def format_memory(value: Decimal | str | int | float) -> str:
    """Friendly memory text such as ``128 MiB`` or ``1 GB (about 954 MiB)``.

    It names the largest unit that divides the value exactly, binary first as Kubernetes
    memory usually is, and adds a rounded binary figure when that reads more naturally.
    An invalid value comes back as given.
    """
    try:
        amount = _as_amount(value)
    except QuantityError:
        return str(value)
    if _is_huge(amount):
        return f"{format_quantity(amount, BINARY_SI)} bytes"
    if amount != amount.to_integral_value() or amount == 0:
        return f"{_plain(amount)} bytes"
    number = int(amount)
    binary = _largest_exact_unit(abs(number), 1024)
    decimal = _largest_exact_unit(abs(number), 1000)
    if binary >= decimal:
        power, base, units = binary, 1024, _BINARY_UNITS
    else:
        power, base, units = decimal, 1000, _DECIMAL_UNITS
    exact = number // base**power
    text = f"{exact} {units[power]}" if abs(number) != 1 else "1 byte"
    natural = 0
    while natural < 6 and abs(number) >= 1024 ** (natural + 1):
        natural += 1
    if natural > power or (units is _DECIMAL_UNITS and natural > 0):
        approx = Decimal(number) / Decimal(1024**natural)
        rounded = _plain(round(approx, 2))
        text += f" (about {rounded} {_BINARY_UNITS[natural]})"
    return text


# --- Quantity.Value() in int64 ---------------------------------------------------------------
# A few checks (a huge page count divisible by its page size) compare Quantity.Value(), an int64:
# past 2^63 Go's arithmetic wraps, or gives 0 where an int64Amount's scaling overflows, and the API
# server's verdict follows that number, not the exact one.


def int64_value(value: str | int | float, *, milli: bool = False, stored: bool = False) -> int:
    """``Quantity.Value()`` (``MilliValue()`` with ``milli``) as the API server computes it: the
    value rounded up, exact within int64 and, past it, what Go's int64 arithmetic leaves.
    ``stored``: of the quantity as stored, rounded up to thousandths (SetDefaults_ResourceList).
    Negative values (refused anyway where this is used) are not modelled. Raises QuantityError."""
    text = _text_of(value)
    if text == "0":
        return 0
    positive, _, num, denom, suffix = _scan(text)
    _, exponent, fmt = _interpret(text, suffix)
    target = -3 if milli else 0
    fast = _int64_amount(positive, num, denom, exponent, fmt)
    if fast is None:  # an inf.Dec: exact arithmetic, then the low 64 bits
        amount = _parse(value)[0]
        return _wrapped_ceiling(round_up_to(amount, -3) if stored else amount, -target)
    amount, scale = fast
    if stored and scale < -3:  # int64Amount.AsScale(-3)
        amount, scale = _negative_scale(amount, -3 - scale), -3
    if scale < target:
        return _negative_scale(amount, target - scale)
    return _positive_scale(amount, scale - target)


def _go_int64(number: int) -> int:
    """``number`` wrapped to 64 bits, as Go's int64 arithmetic leaves it."""
    number &= (1 << 64) - 1
    return number - (1 << 64) if number > _MAX_INT64 else number


def _go_quotient(a: int, b: int) -> int:
    """Go's ``a / b`` on integers: truncated toward zero."""
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def go_remainder(a: int, b: int) -> int:
    """Go's ``a % b`` on integers: the sign of ``a``."""
    return a - b * _go_quotient(a, b)


def _positive_scale(base: int, scale: int) -> int:
    """positiveScaleInt64 as ScaledValue reads it (its overflow flag ignored): scales 1, 2, 3, 6
    and 9 multiply once and wrap; any other scale multiplies by ten a step at a time and gives 0
    at the first step that overflows."""
    if scale == 0 or base == 0:
        return base
    if scale in (1, 2, 3, 6, 9):
        if base == 1:
            return 10**scale
        return 0 if base == _MIN_INT64 else _go_int64(base * 10**scale)
    value = base
    for _ in range(scale):  # at most 19 steps before it overflows
        if value == 1:
            value = 10
            continue
        product = _go_int64(value * 10)
        if value == _MIN_INT64 or _go_quotient(product, 10) != value:
            return 0
        value = product
    return value


def _negative_scale(base: int, scale: int) -> int:
    """negativeScaleInt64: ``base / 10**scale``, rounded away from zero (never overflows)."""
    value, fraction = base, False
    for _ in range(scale):  # at most 19 steps before it reaches 0
        fraction = fraction or go_remainder(value, 10) != 0
        value = _go_quotient(value, 10)
        if value == 0:
            return (1 if base > 0 else -1) if fraction else 0
    if fraction:
        value += 1 if base > 0 else -1
    return value


def _wrapped_ceiling(amount: Decimal, exponent: int) -> int:
    """``ceil(amount * 10**exponent)`` wrapped to int64, read from the digits: a value of
    thousands of digits is never turned into one int (a multiple of 10**64 wraps to 0)."""
    sign, digits, power = amount.as_tuple()
    text = "".join(map(str, digits)).lstrip("0")
    power += exponent
    if not text or power >= 64:
        return 0
    if power >= 0:
        whole, fraction = text, ""
    else:
        whole, fraction = text[:power] or "0", text[power:]
    low = 0
    for start in range(0, len(whole), 1000):  # the low 64 bits, a chunk of digits at a time
        chunk = whole[start : start + 1000]
        low = (low * 10 ** len(chunk) + int(chunk)) % (1 << 64)
    low = low * 10 ** max(power, 0)
    if sign:
        return _go_int64(-low)
    return _go_int64(low + 1 if fraction.strip("0") else low)
