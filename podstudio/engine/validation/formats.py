"""Names, labels and other string formats, as apimachinery's ``pkg/util/validation`` checks them."""

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from podstudio.engine.gospace import GO_SPACE
from podstudio.engine.patterns import compile_lazily

DNS_LABEL = compile_lazily(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS_SUBDOMAIN = compile_lazily(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
# IsDNS1123SubdomainWithUnderscore: each label may start with one '_', then an alphanumeric.
DNS_SUBDOMAIN_UNDERSCORE = compile_lazily(
    r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
)
_QUALIFIED_NAME = compile_lazily(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
LABEL_VALUE = compile_lazily(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_ENV_VAR_NAME = compile_lazily(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_CONFIG_MAP_KEY = compile_lazily(r"[-._a-zA-Z0-9]+")
_PORT_NAME_CHARS = compile_lazily(r"[-a-z0-9]+")
HTTP_HEADER_NAME = compile_lazily(r"[-A-Za-z0-9]+")
SYSCTL_NAME = compile_lazily(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")

MAX_INT32 = 2**31 - 1
MAX_ANNOTATIONS_BYTES = 256 * 1024

_DNS_LABEL_HINT = (
    "must be a DNS label: lowercase letters, digits and '-', "
    "starting and ending with a letter or digit (e.g. 'my-name')"
)
DNS_SUBDOMAIN_HINT = (
    "must be a DNS subdomain: lowercase letters, digits, '-' and '.', "
    "starting and ending with a letter or digit (e.g. 'example.com')"
)
_NAME_PART_HINT = (
    "must consist of letters, digits, '-', '_' or '.', "
    "starting and ending with a letter or digit (e.g. 'MyName' or 'my.name')"
)


def _cached_check(check: Callable[..., list[str]]) -> Callable[..., tuple[str, ...]]:
    """Name checks are pure functions of short strings that come back on every keystroke
    (label keys, container names, resource names): answer each once per process."""
    cached = lru_cache(maxsize=4096)(lambda *args: tuple(check(*args)))

    @wraps(check)
    def answer(value: str, *args: Any) -> tuple[str, ...]:
        return cached(value, *args) if len(value) <= 256 else tuple(check(value, *args))

    return answer


_LABEL_VALUE_HINT = (
    "must be empty or consist of letters, digits, '-', '_' or '.', "
    "starting and ending with a letter or digit"
)


def _name_errors(value: str, max_length: int, pattern: re.Pattern, hint: str) -> list[str]:
    errors = []
    if len(value) > max_length:
        errors.append(f"must be no more than {max_length} characters")
    if not pattern.fullmatch(value):
        errors.append(hint)
    return errors


@_cached_check
def dns_label_errors(value: str) -> list[str]:
    return _name_errors(value, 63, DNS_LABEL, _DNS_LABEL_HINT)


@_cached_check
def dns_subdomain_errors(value: str) -> list[str]:
    return _name_errors(value, 253, DNS_SUBDOMAIN, DNS_SUBDOMAIN_HINT)


@_cached_check
def qualified_name_errors(value: str) -> list[str]:
    """Label keys, annotation keys and the like: ``[prefix/]name``."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["must be a name with an optional DNS subdomain prefix and '/' (e.g. 'x.io/name')"]
    errors = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend(f"prefix part {message}" for message in dns_subdomain_errors(prefix))
    if not name:
        errors.append("name part must be non-empty")
        return errors
    if len(name) > 63:
        errors.append("name part must be no more than 63 characters")
    if not _QUALIFIED_NAME.fullmatch(name):
        errors.append(f"name part {_NAME_PART_HINT}")
    return errors


@_cached_check
def label_value_errors(value: str) -> list[str]:
    return _name_errors(value, 63, LABEL_VALUE, _LABEL_VALUE_HINT)


@_cached_check
def port_name_errors(value: str) -> list[str]:
    """IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens, one letter."""
    errors = []
    if len(value) > 15:
        errors.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.fullmatch(value):
        errors.append("must contain only lowercase letters, digits and '-'")
    elif not re.search(r"[a-z]", value):
        errors.append("must contain at least one letter (a-z)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen")
    return errors


def port_number_errors(value: int) -> list[str]:
    return [] if 1 <= value <= 65535 else ["must be between 1 and 65535, inclusive"]


@_cached_check
def env_var_name_errors(value: str, relaxed: bool) -> list[str]:
    if relaxed:
        if all(32 <= ord(char) <= 126 and char != "=" for char in value):
            return []
        return ["must consist only of printable ASCII characters other than '='"]
    if _ENV_VAR_NAME.fullmatch(value):
        return []
    return ["must consist of letters, digits, '_', '-' or '.', and must not start with a digit"]


@_cached_check
def config_map_key_errors(value: str) -> list[str]:
    errors = []
    if len(value) > 253:
        errors.append("must be no more than 253 characters")
    if not _CONFIG_MAP_KEY.fullmatch(value):
        errors.append("must consist of letters, digits, '-', '_' or '.'")
    if value in (".", ".."):
        errors.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return errors


# An IPv4 address as Go 1.16's net.ParseIP reads it (netutils.ParseIPSloppy): each part any
# number of zeros and then up to 255, so 010.0.0.1 is read (as 10.0.0.1, where libc would read
# octal 8).
_SLOPPY_IPV4 = compile_lazily(r"0*[0-9]{1,3}(?:\.0*[0-9]{1,3}){3}")


def ip_errors(value: str) -> list[str]:
    """IsValidIPForLegacyField with strict validation (StrictIPCIDRValidation, beta and on
    since 1.36): no leading zeros, no IPv4-mapped IPv6 addresses, no zones."""
    import ipaddress  # here: few Pods have an address to check, and the module is slow to load

    try:
        address = ipaddress.ip_address(value) if "%" not in value else None
    except ValueError:
        address = None
    if address is None:
        parts = value.split(".")
        if _SLOPPY_IPV4.fullmatch(value) and all(int(p.lstrip("0") or "0") <= 255 for p in parts):
            return ["must not have leading 0s"]  # read by ParseIPSloppy, refused as strict
        return ["must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return ["must not be an IPv4-mapped IPv6 address"]
    return []


MAX_ID = 2**31 - 1


def id_errors(value: int) -> list[str]:
    """IsValidUserID and IsValidGroupID: 0 to 2147483647."""
    return [] if 0 <= value <= MAX_ID else [f"must be between 0 and {MAX_ID}, inclusive"]


def is_absolute(path: str) -> bool:
    """Go's path.IsAbs: the API server runs on Linux, so only a leading '/' counts."""
    return path.startswith("/")


def has_backsteps(path: str) -> bool:
    """validatePathNoBacksteps: a '..' element between slashes."""
    return ".." in path.split("/")


@_cached_check
def dns_subdomain_underscore_errors(value: str) -> list[str]:
    return _name_errors(
        value,
        253,
        DNS_SUBDOMAIN_UNDERSCORE,
        DNS_SUBDOMAIN_HINT.replace("'-' and '.'", "'-', '_' and '.'"),
    )


@_cached_check
def signer_name_errors(value: str) -> list[str]:
    """ValidateSignerName: ``example.com/signer-name``."""
    if not value:
        return ["is required"]
    segments = value.split("/")
    if len(segments) != 2:
        return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"]
    domain, name = segments
    errors = []
    if len(domain) > 253:
        errors.append("the domain must be no more than 253 characters")
    labels = domain.split(".")
    if any(dns_label_errors(label) for label in labels):
        errors.append("the domain must be DNS labels separated by '.'")
    if len(labels) < 2:
        errors.append("should be a domain with at least two segments separated by dots")
    if any(dns_subdomain_errors(part) for part in name.split(".")):
        errors.append("the path must be DNS subdomains separated by '.'")
    if len(value) > 253 + 253 + 63 + 2:
        errors.append("must be no more than 571 characters")
    return errors


_GO_TRIM = compile_lazily(f"^[{GO_SPACE}]+|[{GO_SPACE}]+$")


def go_trim_space(text: str) -> str:
    """Go's ``strings.TrimSpace``."""
    return _GO_TRIM.sub("", text)


def go_len(text: str) -> int:
    """Go's ``len`` of a string: its UTF-8 bytes (a lone surrogate, which Go reads as U+FFFD,
    counts three as that does)."""
    return len(text.encode("utf-8", "surrogatepass"))


def go_lower(text: str) -> str:
    """Go's ``strings.ToLower``: each character's simple lower case. Python's ``lower`` gives
    "İ" (U+0130) two characters, an "i" and a combining dot, which no name may hold; Go gives
    the plain "i"."""
    return text.lower() if "\u0130" not in text else text.replace("\u0130", "i").lower()


def is_host_port(text: str) -> bool:
    """Go's ``net.SplitHostPort`` succeeds: a port after the last ':'; a host with a ':' only
    in brackets, the ']' right before that ':'; no other '[' or ']'."""
    last = text.rfind(":")
    if last < 0:
        return False  # missing port
    after_open, after_close = 0, 0
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or end + 1 != last:
            return False  # missing ']', missing port, or too many colons
        after_open, after_close = 1, end + 1
    elif ":" in text[:last]:
        return False  # too many colons
    return "[" not in text[after_open:] and "]" not in text[after_close:]


def mask_trailing_dash(name: str) -> str:
    """``generateName`` may end in '-': the server appends random characters after it.
    Go's ``maskTrailingDash`` drops the last two characters, not one, before its "a": the
    character before the dash is never checked (``aB-`` passes)."""
    if len(name) < 2 or not name.endswith("-"):
        return name
    # (bytes, as Go cuts them: a character of several bytes before the dash is cut in half, and
    # the half left is no valid character: kept as a surrogate escape, which no name may hold)
    return name.encode("utf-8", "surrogatepass")[:-2].decode("utf-8", "surrogateescape") + "a"
