"""Quantities, from the cases of apimachinery's quantity_test.go (TestQuantityParse,
TestQuantityString, TestQuantityParseEmit, TestQuantityCmp) and the JSON decoding rules."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from podstudio.engine.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    QuantityError,
    canonical_quantity,
    cpu_millicores,
    format_cpu,
    format_memory,
    format_quantity,
    int64_value,
    parse_quantity,
    parse_with_format,
)

D = Decimal
KI, MI, GI, TI, PI, EI = (1024**n for n in range(1, 7))
MAX_INT64 = 2**63 - 1

# (input, exact value, format) — TestQuantityParse
PARSED = [
    ("0", D(0), DECIMAL_SI),
    ("0n", D(0), DECIMAL_SI),
    ("0u", D(0), DECIMAL_SI),
    ("0m", D(0), DECIMAL_SI),
    ("0Ki", D(0), BINARY_SI),
    ("0k", D(0), DECIMAL_SI),
    ("0Mi", D(0), BINARY_SI),
    ("0M", D(0), DECIMAL_SI),
    ("0Gi", D(0), BINARY_SI),
    ("0G", D(0), DECIMAL_SI),
    ("0Ti", D(0), BINARY_SI),
    ("0T", D(0), DECIMAL_SI),
    ("1", D(1), DECIMAL_SI),
    ("1Ki", D(KI), BINARY_SI),
    ("8Ki", D(8 * KI), BINARY_SI),
    ("7Mi", D(7 * MI), BINARY_SI),
    ("6Gi", D(6 * GI), BINARY_SI),
    ("5Ti", D(5 * TI), BINARY_SI),
    ("4Pi", D(4 * PI), BINARY_SI),
    ("3Ei", D(3 * EI), BINARY_SI),
    ("10Ti", D(10 * TI), BINARY_SI),
    ("100Ti", D(100 * TI), BINARY_SI),
    ("5n", D("5e-9"), DECIMAL_SI),
    ("4u", D("4e-6"), DECIMAL_SI),
    ("3m", D("3e-3"), DECIMAL_SI),
    ("9", D(9), DECIMAL_SI),
    ("8k", D("8e3"), DECIMAL_SI),
    ("50k", D("5e4"), DECIMAL_SI),
    ("7M", D("7e6"), DECIMAL_SI),
    ("6G", D("6e9"), DECIMAL_SI),
    ("5T", D("5e12"), DECIMAL_SI),
    ("40T", D("4e13"), DECIMAL_SI),
    ("300T", D("3e14"), DECIMAL_SI),
    ("2P", D("2e15"), DECIMAL_SI),
    ("1E", D("1e18"), DECIMAL_SI),
    ("1E-3", D("1e-3"), DECIMAL_EXPONENT),
    ("1e3", D("1e3"), DECIMAL_EXPONENT),
    ("1E6", D("1e6"), DECIMAL_EXPONENT),
    ("1e9", D("1e9"), DECIMAL_EXPONENT),
    ("1E12", D("1e12"), DECIMAL_EXPONENT),
    ("1e15", D("1e15"), DECIMAL_EXPONENT),
    ("1E18", D("1e18"), DECIMAL_EXPONENT),
    ("1e14", D("1e14"), DECIMAL_EXPONENT),
    ("1e13", D("1e13"), DECIMAL_EXPONENT),
    ("100.035k", D(100035), DECIMAL_SI),
    ("0.001", D("0.001"), DECIMAL_SI),
    ("0.0005k", D("0.5"), DECIMAL_SI),
    ("0.005", D("0.005"), DECIMAL_SI),
    ("0.05", D("0.05"), DECIMAL_SI),
    ("0.5", D("0.5"), DECIMAL_SI),
    ("0.00050k", D("0.5"), DECIMAL_SI),
    ("0.00500", D("0.005"), DECIMAL_SI),
    ("0.05000", D("0.05"), DECIMAL_SI),
    ("0.50000", D("0.5"), DECIMAL_SI),
    ("0.5e0", D("0.5"), DECIMAL_EXPONENT),
    ("0.5e-1", D("0.05"), DECIMAL_EXPONENT),
    ("0.5e-2", D("0.005"), DECIMAL_EXPONENT),
    ("10.035M", D("10035e3"), DECIMAL_SI),
    ("1.2e3", D("12e2"), DECIMAL_EXPONENT),
    ("1.3E+6", D("13e5"), DECIMAL_EXPONENT),
    ("1.40e9", D("14e8"), DECIMAL_EXPONENT),
    ("1.53E12", D("153e10"), DECIMAL_EXPONENT),
    ("1.6e15", D("16e14"), DECIMAL_EXPONENT),
    ("1.7E18", D("17e17"), DECIMAL_EXPONENT),
    ("9.01", D("9.01"), DECIMAL_SI),
    ("8.1k", D("8100"), DECIMAL_SI),
    ("7.123456M", D(7123456), DECIMAL_SI),
    ("6.987654321G", D(6987654321), DECIMAL_SI),
    ("5.444T", D("5444e9"), DECIMAL_SI),
    ("40.1T", D("401e11"), DECIMAL_SI),
    ("300.2T", D("3002e11"), DECIMAL_SI),
    ("2.5P", D("25e14"), DECIMAL_SI),
    ("1.01E", D("101e16"), DECIMAL_SI),
    # rounded up to whole nanounits, or capped
    ("3.001n", D("4e-9"), DECIMAL_SI),
    ("1.1E-9", D("2e-9"), DECIMAL_EXPONENT),
    ("0.0000000001", D("1e-9"), DECIMAL_SI),
    ("0.0000000005", D("1e-9"), DECIMAL_SI),
    ("0.00000000050", D("1e-9"), DECIMAL_SI),
    ("0.5e-9", D("1e-9"), DECIMAL_EXPONENT),
    ("0.9n", D("1e-9"), DECIMAL_SI),
    ("0.00000012345", D("124e-9"), DECIMAL_SI),
    ("0.00000012354", D("124e-9"), DECIMAL_SI),
    ("9Ei", D(MAX_INT64), BINARY_SI),
    ("9223372036854775807Ki", D(MAX_INT64), BINARY_SI),
    ("12E", D("12e18"), DECIMAL_SI),
    # fractional binary values
    ("100.035Ki", D("102435.84"), BINARY_SI),
    ("0.5Mi", D(MI // 2), BINARY_SI),
    ("0.05Gi", D("53687091.2"), BINARY_SI),
    ("0.025Ti", D("27487790694.4"), BINARY_SI),
    # "things written by trolls"
    ("0.000000000001Ki", D("2e-9"), DECIMAL_SI),
    (".001", D("0.001"), DECIMAL_SI),
    (".0001k", D("0.1"), DECIMAL_SI),
    ("1.", D(1), DECIMAL_SI),
    ("1.G", D("1e9"), DECIMAL_SI),
]


@pytest.mark.parametrize(("text", "value", "fmt"), PARSED)
def test_it_parses_upstream_examples_to_exact_values_and_formats(text, value, fmt):
    assert parse_with_format(text) == (value, fmt)


@pytest.mark.parametrize(("text", "value", "fmt"), PARSED)
def test_it_parses_signed_variants(text, value, fmt):
    assert parse_with_format("-" + text) == (-value, fmt)
    assert parse_with_format("+" + text) == (value, fmt)


INVALID = [
    # TestQuantityParse's invalid list
    "1.1.M",
    "1+1.0M",
    "0.1mi",
    "0.1am",
    "aoeu",
    ".5i",
    "1i",
    "-3.01i",
    "-3.01e-",
    "1e4294967297",  # exponent outside int32 is rejected, not truncated
    "Non-Numeric",
    # everyday mistakes
    "",
    "1GB",
    "1gi",
    "1Gb",
    "0x10",
    "1 Gi",
    "1,5",
    "1e",
    "1Ki5",
    "1e-3m",
    "one",
    "100MB",
    "\t1",  # a tab reaches the API server escaped in JSON, so it is not trimmed
    ".e-10",  # no digits, and too small for the fast path
]


@pytest.mark.parametrize("text", INVALID)
def test_it_rejects_what_the_api_server_rejects(text):
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    message = str(info.value)
    assert "is not a valid quantity" in message
    assert "\n" not in message


@pytest.mark.parametrize("value", [True, False, None, [], {}, float("nan"), float("inf")])
def test_it_rejects_values_that_are_not_strings_or_numbers(value):
    with pytest.raises(QuantityError):
        parse_quantity(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # apimachinery's scanner accepts these: the number part may be empty
        (".", D(0)),
        ("-.", D(0)),
        ("-", D(0)),
        ("+", D(0)),
        ("00012", D(12)),
        # UnmarshalJSON trims literal white space around the string
        (" 1", D(1)),
        ("1 ", D(1)),
        ("\u00a0250m", D("0.25")),
    ],
)
def test_it_accepts_the_odd_strings_the_api_server_accepts(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    ("number", "value", "canonical"),
    [
        (1, D(1), "1"),
        (2, D(2), "2"),
        (0, D(0), "0"),
        (-3, D(-3), "-3"),
        (0.5, D("0.5"), "500m"),
        (0.25, D("0.25"), "250m"),
        (1.0, D(1), "1"),
        (1.5, D("1.5"), "1500m"),
        (128974848, D(128974848), "128974848"),
        (1e21, D("1e21"), "1e+21"),  # JSON writes this number as 1e+21, kept verbatim
        (1e-7, D("1e-7"), "100e-9"),
    ],
)
def test_json_numbers_parse_like_their_json_text(number, value, canonical):
    assert parse_quantity(number) == value
    assert canonical_quantity(number) == canonical


# (value, format, canonical string, alternate spelling of the same value) — TestQuantityString
FORMATTED = [
    (D(GI), BINARY_SI, "1Gi", "1024Mi"),
    (D(300 * MI), BINARY_SI, "300Mi", "307200Ki"),
    (D(6 * KI), BINARY_SI, "6Ki", None),
    (D(1001 * GI), BINARY_SI, "1001Gi", "1025024Mi"),
    (D(TI), BINARY_SI, "1Ti", "1024Gi"),
    (D(5), BINARY_SI, "5", "5000m"),
    (D("0.5"), BINARY_SI, "500m", "0.5"),
    (D("1e9"), DECIMAL_SI, "1G", "1000M"),
    (D("1e9"), DECIMAL_SI, "1G", "0.001T"),
    (D("1e-3"), DECIMAL_SI, "1m", "1000u"),
    (D("0.08"), DECIMAL_SI, "80m", None),
    (D("1.08"), DECIMAL_SI, "1080m", "1.08"),
    (D("1.08"), DECIMAL_SI, "1080m", "1080000000n"),
    (D("300e6"), DECIMAL_SI, "300M", None),
    (D("1e12"), DECIMAL_SI, "1T", None),
    (D("1e18"), DECIMAL_SI, "1E", None),
    # No suffix past E: apimachinery writes the mantissa alone (the sandbox's API server stores
    # 1000E, and 1000000000000000000000, as "1").
    (D("1e21"), DECIMAL_SI, "1", "1000E"),
    (D("5e21"), DECIMAL_SI, "5", "5000E"),
    (D("1e24"), DECIMAL_SI, "1", "1000000E"),
    (D("15e20"), DECIMAL_SI, "1500E", None),
    (D("1e70"), BINARY_SI, "10e69", None),  # no suffix above Ei
    (D("1234567e6"), DECIMAL_SI, "1234567M", None),
    (D("1234.567"), BINARY_SI, "1234567m", None),
    (D("3e3"), DECIMAL_SI, "3k", None),
    (D(1025), BINARY_SI, "1025", None),
    (D(0), DECIMAL_SI, "0", None),
    (D(0), BINARY_SI, "0", None),
    (D("1e9"), DECIMAL_EXPONENT, "1e9", ".001e12"),
    (D("1e-3"), DECIMAL_EXPONENT, "1e-3", "0.001e0"),
    (D("1e-9"), DECIMAL_EXPONENT, "1e-9", "1000e-12"),
    (D("0.08"), DECIMAL_EXPONENT, "80e-3", None),
    (D("300e6"), DECIMAL_EXPONENT, "300e6", None),
    (D("1e12"), DECIMAL_EXPONENT, "1e12", None),
    (D("1e3"), DECIMAL_EXPONENT, "1e3", None),
    (D("3e3"), DECIMAL_EXPONENT, "3e3", None),
    (D(0), DECIMAL_EXPONENT, "0", "00"),
    (D("1e-9"), DECIMAL_SI, "1n", None),
    (D("80e-9"), DECIMAL_SI, "80n", None),
    (D("1080e-9"), DECIMAL_SI, "1080n", None),
    (D("1e-6"), DECIMAL_SI, "1u", None),
    (D("80e-6"), DECIMAL_SI, "80u", None),
    (D("1080e-6"), DECIMAL_SI, "1080u", None),
    (D(2000), BINARY_SI, "2000", None),
    (D("1e-12"), DECIMAL_SI, "1", None),  # below n, no suffix either (no input gets there)
    (D("1e-10"), DECIMAL_SI, "100", None),
]


@pytest.mark.parametrize(("value", "fmt", "expected", "alternate"), FORMATTED)
def test_it_formats_canonically(value, fmt, expected, alternate):
    assert format_quantity(value, fmt) == expected
    if value:
        assert format_quantity(-value, fmt) == "-" + expected
    if alternate is not None:
        assert canonical_quantity(alternate) == expected


def test_binary_values_past_ei_print_every_digit():
    assert format_quantity(D(2**70), BINARY_SI) == "1180591620717411303424"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # TestQuantityParseEmit
        ("1Ki", "1Ki"),
        ("1Mi", "1Mi"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
        # the brief's examples
        ("0.5", "500m"),
        ("1000Mi", "1000Mi"),
        ("1e3", "1e3"),
        ("1500m", "1500m"),
        ("1.5Gi", "1536Mi"),
        ("1.5", "1500m"),
        ("0", "0"),
        ("-0", "0"),
        ("0Ki", "0"),
        ("8Ei", "9223372036854775807"),
        # strings the API server keeps verbatim because they are already in canonical form
        ("1.G", "1.G"),
        ("00012", "00012"),
        ("1E+3", "1E+3"),
        ("+5", "+5"),
        ("7Ki", "7Ki"),
        ("2000Ki", "2000Ki"),
    ],
)
def test_canonical_quantity_is_what_the_api_server_returns(text, expected):
    assert canonical_quantity(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        # TestQuantityCmp
        ("0", "0", 0),
        ("100m", "50m", 1),
        ("50m", "100m", -1),
        ("10000T", "100Gi", 1),
        # the brief's facts
        ("500m", "0.5", 0),
        ("1Gi", "1G", 1),
        ("268435456", "256Mi", 0),
        ("1k", "1Ki", -1),
        ("1e3", "1k", 0),
    ],
)
def test_it_compares_like_quantity_cmp(left, right, order):
    a, b = parse_quantity(left), parse_quantity(right)
    assert (a > b) - (a < b) == order


@pytest.mark.parametrize(
    ("value", "millicores"),
    [
        ("250m", 250),
        ("1", 1000),
        ("0.5", 500),
        ("100u", 1),  # rounded up
        ("1n", 1),
        ("1.0001", 1001),
        (2, 2000),
        (D("0.25"), 250),
        ("0", 0),
        ("-100u", -1),  # away from zero
        ("1e30", MAX_INT64),  # saturates
    ],
)
def test_cpu_millicores_round_up_like_milli_value(value, millicores):
    assert cpu_millicores(value) == millicores


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("250m", "0.25 CPU (250m)"),
        ("1", "1 CPU (1000m)"),
        ("2", "2 CPUs (2000m)"),
        ("1500m", "1.5 CPUs (1500m)"),
        ("100u", "0.0001 CPU (rounds up to 1m)"),
        ("lots", "lots"),
    ],
)
def test_format_cpu_reads_naturally(value, text):
    assert format_cpu(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("128Mi", "128 MiB"),
        ("1Gi", "1 GiB"),
        ("1536Mi", "1536 MiB (about 1.5 GiB)"),
        ("1G", "1 GB (about 953.67 MiB)"),
        ("2000Ki", "2000 KiB (about 1.95 MiB)"),
        ("512", "512 bytes"),
        ("1", "1 byte"),
        ("0", "0 bytes"),
        ("500m", "0.5 bytes"),
        ("1gb", "1gb"),
    ],
)
def test_format_memory_reads_naturally(value, text):
    assert format_memory(value) == text


def test_absurd_exponents_do_not_hang():
    huge = parse_quantity("1e2147483647")
    assert canonical_quantity("1e2147483647") == "10e2147483646"  # exponent a multiple of 3
    assert cpu_millicores(huge) == MAX_INT64
    assert format_memory(huge).endswith("bytes")


# --- properties -----------------------------------------------------------------------------

_SUFFIXES = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
_quantity_parts = st.tuples(
    st.sampled_from(["", "-", "+"]),
    st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"\.[0-9]{0,10}", fullmatch=True)),
    st.sampled_from(_SUFFIXES + ["e3", "E-2", "e+5", "e-9", "e0", "e18", "e21", "e-12"]),
)
_quantity_text = _quantity_parts.map("".join)
_amounts = st.decimals(
    min_value=D("-1e30"), max_value=D("1e30"), allow_nan=False, allow_infinity=False, places=9
)


@given(_amounts, st.sampled_from([DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT]))
def test_formatting_then_parsing_gives_the_same_value(amount, fmt):
    # a BinarySI string above 2^63-1 is capped when parsed, and a DecimalSI one past E loses
    # its exponent (1000E is stored as "1"), so the round trip stops there
    assume(fmt != BINARY_SI or abs(amount) <= MAX_INT64)
    assume(fmt != DECIMAL_SI or abs(amount) < D("1e21"))
    assert parse_quantity(format_quantity(amount, fmt)) == amount


@given(_quantity_text)
def test_canonical_form_is_stable(text):
    canonical = canonical_quantity(text)
    assert canonical_quantity(canonical) == canonical
    assert parse_quantity(canonical) == parse_quantity(text)


_FACTORS = {
    "": 1,
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": KI,
    "Mi": MI,
    "Gi": GI,
    "Ti": TI,
    "Pi": PI,
    "Ei": EI,
}


def _expected_value(parts: tuple[str, str, str, str]) -> Fraction:
    """The documented meaning of a quantity, computed independently with fractions."""
    sign, whole, fraction, suffix = parts
    if suffix not in _FACTORS:
        factor = Fraction(10) ** int(suffix[1:])
    else:
        factor = Fraction(_FACTORS[suffix])
    magnitude = Fraction(whole + (fraction if fraction != "." else "")) * factor
    magnitude = Fraction(-(-magnitude * 10**9 // 1), 10**9)  # rounded up to whole nanounits
    if suffix.endswith("i"):
        magnitude = min(magnitude, Fraction(MAX_INT64))
    return -magnitude if sign == "-" else magnitude


@given(_quantity_parts, _quantity_parts)
def test_ordering_agrees_with_the_exact_values(left, right):
    a, b = parse_quantity("".join(left)), parse_quantity("".join(right))
    expected_a, expected_b = _expected_value(left), _expected_value(right)
    assert Fraction(a) == expected_a
    assert (a < b) == (expected_a < expected_b)
    assert (a == b) == (expected_a == expected_b)


# Quantity.Value() / MilliValue() of what ParseQuantity makes, in Go's int64 arithmetic
# (apimachinery amount.go and scale_int.go): an int64Amount scaled up past int64 one step at a
# time gives 0, scaled by 10^1..3, 10^6 or 10^9 at once it wraps; an inf.Dec keeps the low 64
# bits of its exact value, rounded up.
@pytest.mark.parametrize(
    ("text", "value", "milli"),
    [
        ("2Mi", 2097152, 2097152000),
        ("1500m", 2, 1500),
        ("1n", 1, 1),
        ("4e18", 4 * 10**18, 0),  # int64Amount{4, 18}; its MilliValue overflows step by step
        ("1e19", 0, 0),
        ("9.3e18", 0, 0),  # int64Amount{93, 17}
        ("1e999999", 0, 0),
        ("9223372036854775807", 2**63 - 1, -1000),  # scaled by 10^3 at once: wraps
        ("10000000000000000000", 10**19 - 2**64, 10**22 % 2**64),  # an inf.Dec: low 64 bits
        ("18446744073709551616", 0, 0),  # 2^64
        ("8Ei", 2**63 - 1, -1000),  # BinarySI past int64 is capped at 2^63-1
        ("1234567890123456789e999999", 0, 0),  # a multiple of 10^64 has no low 64 bits
        (1.5e19, 15 * 10**18 - 2**64, 15 * 10**21 % 2**64),
    ],
)
def test_int64_value_is_the_api_servers(text, value, milli):
    assert int64_value(text) == value
    expected_milli = milli - 2**64 if milli >= 2**63 else milli
    assert int64_value(text, milli=True) == expected_milli


def test_a_stored_value_is_rounded_up_to_thousandths_first():
    assert int64_value("2097151.9999") == 2097152
    assert int64_value("0.0001", stored=True) == 1
    assert int64_value("1n", milli=True) == 1 and int64_value("1n", milli=True, stored=True) == 1
