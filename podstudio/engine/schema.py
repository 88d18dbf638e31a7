"""The official OpenAPI schema of each kind, per Kubernetes version, and its errors in plain words.

The schemas come from the ``kubernetes_validate`` package (one folder per minor version), in its
``-strict`` variant, where an unknown field is an error, as ``kubectl apply`` does with its
default ``--validate=strict``. At development time ``schemasource.build_schema_data`` keeps, per
version, the definitions the checked kinds reach (``kinds.KINDS``, and the kinds only read for
their fields' types), without their descriptions, and
``python -m podstudio.engine.schemadata`` writes them into the package (``schemadata/1.NN.json``;
a test checks they equal what the source gives). At run time a version's file is read once and
each kind's schema compiled once with ``jsonschema_rs``: no schema is assembled at start-up and
``kubernetes_validate`` (with jsonschema, referencing and attrs) is never imported.
"""

import binascii
import copy
import json
import os
from collections.abc import Sequence
from functools import cache
from typing import Any

import jsonschema_rs

from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import as_dict, join, join_key, path_to_keys
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.quantity import is_quantity
from podstudio.engine.results import FieldError
from podstudio.engine.yamlhints import KEY_WITHOUT_SPACE, lookalike_space_hint


class UnknownVersionError(ValueError):
    """A Kubernetes version we have no schema for."""


_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemadata")
_DATA_FILE = compile_lazily(r"^1\.(\d+)\.json$")
_VERSION = compile_lazily(r"^v?1\.([0-9]{1,4})(?:\.[0-9]{1,6})?$")
POD_DEFINITION = "io.k8s.api.core.v1.Pod"
TEMPLATE_DEFINITION = "io.k8s.api.core.v1.PodTemplateSpec"


def _shipped_minors() -> list[int]:
    names = os.listdir(_DATA)
    return sorted(int(match.group(1)) for match in map(_DATA_FILE.match, names) if match)


SUPPORTED_VERSIONS: tuple[str, ...] = tuple(f"1.{minor}" for minor in _shipped_minors())
DEFAULT_VERSION: str = SUPPORTED_VERSIONS[-1] if SUPPORTED_VERSIONS else ""

QUANTITY_MESSAGE = "must be a quantity such as 500m or 1Gi"
# Examples of the quantity's own kind where it is known: a CPU is no 1Gi.
_QUANTITY_EXAMPLES = {"cpu": "500m or 2", "memory": "256Mi or 1Gi"}


def _quantity_message(keys: Sequence) -> str:
    examples = _QUANTITY_EXAMPLES.get(keys[-1]) if keys else None
    return f"must be a quantity such as {examples}" if examples else QUANTITY_MESSAGE


INT_OR_STRING_MESSAGE = "must be a number or a name"


def resolve_version(version: str | None) -> str:
    """Normalises ``"1.33"``, ``"v1.33"`` or ``"1.33.2"`` to ``"1.33"``; ``None`` is the newest."""
    if version is None:
        return DEFAULT_VERSION
    match = _VERSION.match(str(version).strip())
    if match and f"1.{int(match.group(1))}" in SUPPORTED_VERSIONS:
        return f"1.{int(match.group(1))}"
    shown = str(version) if len(str(version)) <= 40 else f"{str(version)[:40]}…"
    raise UnknownVersionError(
        f"unknown Kubernetes version {shown!r}: "
        f"supported versions are {SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]}"
    )


def version_tuple(version: str) -> tuple[int, int]:
    """``"1.33"`` as ``(1, 33)``, for comparing versions."""
    major, minor = version.split(".")
    return int(major), int(minor)


QUANTITY_DEFINITION = "io.k8s.apimachinery.pkg.api.resource.Quantity"

# metav1.Time reads time.RFC3339 as Go parses it: "T" and "Z" in capitals, an optional
# fraction (dot or comma), a real date (year 0 included) and time, ASCII digits only. Where the
# strict RFC 3339 reader fails, Go's general one takes the hour ("15") in one digit or two.
_GO_RFC3339 = compile_lazily(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,][0-9]+)?"
    r"(?:Z|[+-]([0-9]{2}):([0-9]{2}))"
)


def _is_go_time(text: str) -> bool:
    match = _GO_RFC3339.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset_hours, offset_minutes = match.group(7), match.group(8)
    if offset_hours is not None and (int(offset_hours) > 24 or int(offset_minutes) > 60):
        return False  # Go's own bounds for an offset
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)  # year 0 is a leap year
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return (
        1 <= month <= 12
        and 1 <= day <= days[month - 1]
        and hour < 24
        and minute < 60
        and (second < 60)
    )


_BASE64 = compile_lazily(r"[A-Za-z0-9+/]*={0,2}")


def _is_go_base64(text: str) -> bool:
    """Whether Go's JSON decoder reads ``text`` as bytes (``base64.StdEncoding``: padded,
    line breaks skipped), as a Secret's ``data`` and a ConfigMap's ``binaryData`` are read."""
    text = text.replace("\r", "").replace("\n", "")
    if len(text) % 4 or not _BASE64.fullmatch(text):
        return False
    try:
        binascii.a2b_base64(text)
    except binascii.Error:
        return False
    return True


@cache
def schema_data(version: str) -> dict:
    """The prepared schema data of a version (see ``build_schema_data``), read once."""
    with open(os.path.join(_DATA, f"{version}.json"), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def kind_schema(version: str, definition: str, without_pod_spec: bool = False) -> dict:
    """One self-contained JSON schema for an object of this definition (refs ``#/$defs/...``).

    ``without_pod_spec``: the Pod template's ``spec`` accepts anything, for workloads whose
    template is judged as a Pod on its own (see ``kinds.pod_view``); everything else of the
    workload, the template's metadata included, is checked here.
    """
    data = schema_data(version)
    defs = {
        name: _bytes_as_numbers(node if name == definition else _embedded(node))
        for name, node in data["$defs"].items()
    }
    if without_pod_spec:
        template = dict(defs[TEMPLATE_DEFINITION])
        template["properties"] = {**template["properties"], "spec": {}}
        defs = {**defs, TEMPLATE_DEFINITION: template}
    return {"$schema": data["$schema"], "$ref": f"#/$defs/{definition}", "$defs": defs}


def _embedded(node: dict) -> dict:
    """A kind's definition inside another object (a StatefulSet's claim templates are
    PersistentVolumeClaims): the API server blanks its ``apiVersion`` and ``kind`` when it
    converts the object, so any value goes; only the document's own are checked."""
    properties = node.get("properties")
    if not isinstance(properties, dict) or not any(
        "enum" in as_dict(properties.get(key)) for key in ("apiVersion", "kind")
    ):
        return node
    loose = {
        key: {k: v for k, v in value.items() if k != "enum"}
        if key in ("apiVersion", "kind") and isinstance(value, dict)
        else value
        for key, value in properties.items()
    }
    return {**node, "properties": loose}


# Go's JSON decoder reads bytes (a Secret's ``data``, a ConfigMap's ``binaryData``) from a
# base64 text or from a list of numbers, one byte each: ``[104, 105]`` is "hi".
_BYTE_NUMBER = {"type": ["integer", "null"], "minimum": 0, "maximum": 255}


def _bytes_as_numbers(node: dict) -> dict:
    """``node`` with its maps of bytes also taking lists of numbers from 0 to 255."""
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return node
    changed = {}
    for key, value in properties.items():
        values = as_dict(value).get("additionalProperties")
        if isinstance(values, dict) and values.get("format") == "byte":
            types = [*values.get("type", ["string"]), "array"]
            bytes_node = {**values, "type": types, "items": _BYTE_NUMBER}
            changed[key] = {**value, "additionalProperties": bytes_node}
    if not changed:
        return node
    return {**node, "properties": {**properties, **changed}}


def pod_schema(version: str) -> dict:
    return kind_schema(version, POD_DEFINITION)


def known_kinds(version: str) -> frozenset[str]:
    """``apiVersion/kind`` of every built-in kind of this version (``apps/v1/Deployment``)."""
    return _known(version)


@cache
def _known(version: str) -> frozenset[str]:
    return frozenset(schema_data(version)["known"])


def fields_only_definition(version: str, api_version: Any, kind: Any) -> str | None:
    """The definition of a kind whose fields alone are checked
    (``schemasource.FIELD_CHECKED_KINDS``), or None for any other."""
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return schema_data(version)["fields_only"].get(f"{api_version}/{kind}")


@cache
def _validator(version: str, definition: str = POD_DEFINITION, without_pod_spec: bool = False):
    return jsonschema_rs.validator_for(
        kind_schema(version, definition, without_pod_spec),
        validate_formats=True,
        formats={"k8s-quantity": is_quantity, "date-time": _is_go_time, "byte": _is_go_base64},
    )


def _with_string_keys(value: Any) -> Any:
    """YAML allows ``80: x`` or ``true: x`` as keys; JSON (and so Kubernetes) sees strings."""
    if isinstance(value, dict):
        return {_key_text(key): _with_string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_string_keys(item) for item in value]
    return value


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _resolve(schema: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        description = node.get("description")
        node = schema["$defs"].get(node["$ref"].rsplit("/", 1)[-1], {})
        if description and isinstance(node, dict):
            node = {**node, "description": description}
    return node


def _step(schema: dict, node: Any, key: str | int) -> tuple[Any, bool]:
    """The schema below ``node`` for ``key``, and whether ``key`` is a map key (not a field)."""
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return None, False
    if isinstance(key, int):
        return node.get("items"), False
    properties = node.get("properties")
    if isinstance(properties, dict) and key in properties:
        return properties[key], False
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return extra, True
    return None, False


def _render_path(schema: dict, keys: list[str | int]) -> str:
    """``["metadata", "labels", "app"]`` as ``metadata.labels[app]``: map keys go in brackets."""
    path = ""
    node: Any = schema
    for key in keys:
        node, is_map_key = _step(schema, node, key)
        if isinstance(key, str) and (is_map_key or "." in key or "/" in key or not key):
            path = join_key(path, key)
        else:
            path = join(path, key)
    return path


_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "object": "a mapping (key: value)",
    "array": "a list",
}


# Characters shown as escapes in a message: controls and invisible format characters (such as
# a right-to-left override, which would reorder the message around it).
_INVISIBLE = compile_lazily(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def _quoted(text: str) -> str:
    """``text`` in double quotes as typed (``"١٢٣"``, not ``"\\u0661..."``), with the
    characters no one can see written as escapes."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def _describe_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {_quoted(shown)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value of another type"


def _expected(types: list[str]) -> str:
    names = [_TYPE_NAMES.get(name, name) for name in types if name != "null"]
    return " or ".join(names) if names else "null"


def _out_of_range(error: Any) -> bool:
    """Whether a branch of a failed ``anyOf`` took the value's type but not its size."""
    limits = (jsonschema_rs.ValidationErrorKind.Minimum, jsonschema_rs.ValidationErrorKind.Maximum)
    branches = getattr(error.kind, "context", None) or []
    return any(isinstance(sub.kind, limits) for branch in branches for sub in branch)


def _alternatives(error: Any) -> set[str]:
    """The types a failed ``oneOf``/``anyOf`` accepted: tells Quantity from IntOrString."""
    types: set[str] = set()
    for branch in getattr(error.kind, "context", None) or []:
        for sub in branch:
            if isinstance(sub.kind, jsonschema_rs.ValidationErrorKind.Type):
                types.update(sub.kind.types)
    return types


def _colon_hint(value: Any, types: list) -> str:
    """Why a mapping came out as a string: ``app:web`` is one string to YAML, which starts a
    key only at a colon followed by a space."""
    if "object" not in types or not isinstance(value, str) or "\n" in value:
        return ""
    written = KEY_WITHOUT_SPACE.fullmatch(value)
    if written is None:
        return ""
    key, item = written.groups()
    return f' (YAML needs a space after the colon: "{key}: {item}")'


def _split_text_hint(value: Any, types: list) -> str:
    """Why a string came out as a mapping: in ``- echo done: ok`` or ``[sh, -c, echo a: b]``,
    a colon and a space end a key, so YAML reads a key and its value."""
    if "string" not in types or not isinstance(value, dict) or len(value) != 1:
        return ""
    ((key, item),) = value.items()
    if not isinstance(key, str) or isinstance(item, dict | list):
        return ""
    if isinstance(item, bool):
        item = "true" if item else "false"
    text = f"{key}: {'' if item is None else item}".rstrip()
    return (
        f' (YAML reads "{text:.80}" as a key and its value, since a colon and a space end a '
        "key: put the whole text in quotes)"
    )


_INTEGER_TEXT = compile_lazily(r"[+-]?[0-9]+")


def _quoted_hint(value: Any, types: list) -> str:
    """A number or a boolean written in quotes (``containerPort: "8080"``, ``privileged:
    "true"``): YAML keeps quoted text as text, and these fields take no text."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    number = ("integer" in types or "number" in types) and _INTEGER_TEXT.fullmatch(text)
    if number or ("boolean" in types and text in ("true", "false")):
        return f" (without the quotes: {text})"
    return ""


# Where any text goes, so that quoting a number or a boolean is the whole fix.
# Maps and lists of free text: a ConfigMap's ``data``, a Service's ``selector``.
_FREE_TEXT_HOLDERS = (
    *("labels", "annotations", "nodeSelector", "command", "args"),
    *("matchLabels", "selector", "data", "stringData"),
)


def _unquoted_hint(keys: list, value: Any, types: list) -> str:
    """A number or a boolean where text goes (``prometheus.io/port: 9090`` in annotations, an
    env value ``8080``): YAML reads it unquoted as a number or a boolean, never as text."""
    if "string" not in types or not isinstance(value, bool | int | float):
        return ""
    if keys[-1:] != ["value"] and (len(keys) < 2 or keys[-2] not in _FREE_TEXT_HOLDERS):
        return ""
    if isinstance(value, bool):
        return " (put it in quotes: YAML reads true, false, yes, no, on and off as booleans)"
    return " (put it in quotes: YAML reads it as a number)"


def _list_hint(keys: list, value: Any, types: list) -> str:
    """How a list is written, for the two ways people write one as something else: a mapping
    without the "- " that starts each entry, and a command line as one string."""
    if "array" not in types:
        return ""
    if isinstance(value, dict):
        return ' (each entry of a list starts with "- ")'
    if isinstance(value, str) and keys and keys[-1] in ("command", "args") and "\n" not in value:
        import shlex  # only on this error's path

        try:
            words = shlex.split(value)
        except ValueError:  # an unclosed quote
            return ""
        if words:
            return f" (write it as a list, a string for each word: {json.dumps(words)})"
    return ""


_SPACED_AMOUNT = compile_lazily(r"\s*([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)\s+(\S+)\s*")
_AMOUNT_AND_UNIT = compile_lazily(r"([+-]?[0-9.]+)([A-Za-z]{1,3})")
_POWERS = {"k": "", "m": "²", "g": "³", "t": "⁴", "p": "⁵", "e": "⁶"}


def _quantity_hint(value: Any) -> str:
    """What makes a near miss not a quantity: a space before the unit (``500 m``), or a byte
    unit written as elsewhere (``128MB``, ``1GiB``, ``1gi``, ``512KB``)."""
    if not isinstance(value, str):
        return ""
    spaced = _SPACED_AMOUNT.fullmatch(value)
    if spaced and is_quantity(joined := "".join(spaced.groups())):
        return f' (no space between the number and its unit: "{joined}")'
    written = _AMOUNT_AND_UNIT.fullmatch(value)
    if written is None:
        return ""
    amount, unit = written.groups()
    letters = unit.lower().removesuffix("b")
    letter = letters[:1]
    if letter not in _POWERS or letters not in (letter, f"{letter}i"):
        return ""
    if unit.lower() == "e":  # "1e" is more likely an exponent left without its digits
        return ""
    power = _POWERS[letter]
    binary = f"{letter.upper()}i"
    if not is_quantity(amount + binary):  # ".MB"
        return ""
    rule = (
        "Units have no B, and their case matters"
        if letters != unit.lower()
        else "Unit letters are case-sensitive"
    )
    if letters == f"{letter}i":  # 1GiB, 1gi: only the binary unit was meant
        return f' (did you mean "{amount}{binary}"? {rule})'
    decimal = "k" if letter == "k" else letter.upper()
    return (
        f' (did you mean "{amount}{binary}" or "{amount}{decimal}"? {rule}: {binary} is '
        f"1024{power}, {decimal} is 1000{power})"
    )


def _unknown_field(name: str, schema: dict, error: Any) -> str:
    """The API server's words, and what made the name unknown: a space that is not one (two
    no-break spaces before ``name``: its indentation pasted from a web page), or the field it
    was likely meant to be (``unknownfields``)."""
    if hint := lookalike_space_hint(name):
        return f'unknown field "{name}" (it holds {hint})'
    from podstudio.engine.unknownfields import meant_field  # only on this error's path

    return f'unknown field "{name}"' + meant_field(name, schema, error)


def _messages(error: Any, schema: dict) -> list[tuple[list[str | int], str]]:
    """Plain-language ``(instance keys, message)`` pairs for one ``jsonschema_rs`` error of
    ``schema``."""
    kind = error.kind
    keys = list(error.instance_path)
    kinds = jsonschema_rs.ValidationErrorKind
    if isinstance(kind, kinds.Type):
        got = _describe_value(error.instance)
        message = f"must be {_expected(list(kind.types))}, got {got}"
        hint = (
            _colon_hint(error.instance, kind.types)
            or _split_text_hint(error.instance, kind.types)
            or _list_hint(keys, error.instance, kind.types)
            or _quoted_hint(error.instance, kind.types)
            or _unquoted_hint(keys, error.instance, kind.types)
        )
        return [(keys, message + hint)]
    if isinstance(kind, kinds.AdditionalProperties):
        return [(keys + [name], _unknown_field(name, schema, error)) for name in kind.unexpected]
    if isinstance(kind, kinds.Minimum | kinds.Maximum):
        if kind.limit in (_BYTE_NUMBER["minimum"], _BYTE_NUMBER["maximum"]):
            return [(keys, "must be a number from 0 to 255 (one byte of a list of bytes)")]
        bits = "32" if abs(int(kind.limit)) < 2**40 else "64"
        return [(keys, f"must be a {bits}-bit integer (the API server cannot read a larger one)")]
    if isinstance(kind, kinds.Format) and kind.format == "byte":
        plain = "data" if keys[:1] == ["binaryData"] else "stringData"  # a ConfigMap, a Secret
        return [(keys, f"must be base64, which Kubernetes decodes (plain text goes in {plain})")]
    if isinstance(kind, kinds.Format) and kind.format == "date-time":
        return [(keys, "must be a time such as 2024-01-01T12:00:00Z (RFC 3339)")]
    if isinstance(kind, kinds.Enum):
        options = ", ".join(str(option) for option in kind.options if option is not None)
        return [(keys, f"must be one of: {options}")]
    if isinstance(kind, kinds.OneOfNotValid | kinds.OneOfMultipleValid | kinds.AnyOf):
        accepted = _alternatives(error)
        if "number" in accepted:
            return [(keys, _quantity_message(keys) + _quantity_hint(error.instance))]
        if "integer" in accepted:
            return [(keys, INT_OR_STRING_MESSAGE)]
        if _out_of_range(error):  # an int-or-string's number past int32
            return [(keys, "must be a 32-bit integer (the API server cannot read a larger one)")]
        return [(keys, "has a value of the wrong shape")]
    return [(keys, error.message)]


def schema_errors(
    pod: dict,
    version: str,
    definition: str = POD_DEFINITION,
    without_pod_spec: bool = False,
) -> list[FieldError]:
    """Every schema error of an object, deduplicated, with paths such as
    ``spec.containers[0].name``. A Pod unless ``definition`` names another kind.

    ``version`` must be one of ``SUPPORTED_VERSIONS`` (use ``resolve_version`` first).
    """
    validator = _validator(version, definition, without_pod_spec)
    try:
        errors = list(validator.iter_errors(pod))
    except (ValueError, TypeError, OverflowError):
        errors = list(validator.iter_errors(_with_string_keys(pod)))
    if not errors:
        return []
    schema = kind_schema(version, definition, without_pod_spec)
    found: dict[tuple[str, str], FieldError] = {}
    for error in errors:
        for keys, message in _messages(error, schema):
            path = _render_path(schema, keys)
            found.setdefault((path, message), FieldError(path=path, message=message))
    return list(found.values())


def _is_object(schema: dict, node: Any) -> bool:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return False
    return "object" in _types(node) and "properties" in node


def _types(node: dict) -> list[str]:
    """A schema node's ``type``, one name or a list (``["array", "null"]``), as a list."""
    types = node.get("type")
    return [types] if isinstance(types, str) else list(types or [])


# Go's zero value of a list entry's scalar type: ``nameservers: [null]`` is ``[""]``.
_ZERO = {"string": "", "integer": 0, "number": 0, "boolean": False}


def _zero_value(schema: dict, node: Any) -> Any:
    """What Go decodes ``null`` to as an entry of a list of ``node``: an empty struct, the
    zero of a scalar type, or ``None`` when it stays null (a map, an int-or-string). A
    Quantity reads ``null`` as zero (``Quantity.UnmarshalJSON``): ``limits: {cpu: null}`` is a
    limit of 0, which a cpu request then exceeds."""
    if isinstance(node, dict) and node.get("$ref", "").endswith("/" + QUANTITY_DEFINITION):
        return "0"
    if _is_object(schema, node):
        return {}
    node = _resolve(schema, node)
    if not isinstance(node, dict) or node.get("x-kubernetes-int-or-string"):
        return None
    types = _types(node)
    if "string" in types and node.get("format") == "byte":
        return None
    for kind in types:
        if kind in _ZERO:
            return _ZERO[kind]
    return None


def fill_null_structs(data: Any, version: str | None, definition: str = POD_DEFINITION) -> Any:
    """``data`` (a Pod, or an object of ``definition``) with every null entry of a list or a
    map replaced by Go's zero value of its type, in place: Go decodes ``containers: [null]`` as
    one container with every field unset, ``nameservers: [null]`` as one empty string and
    ``labels: {app: null}`` as ``app: ""``, and the API server validates those."""
    schema = kind_schema(resolve_version(version), definition)
    stack: list[tuple[Any, Any]] = [(data, schema)]
    while stack:
        value, node = stack.pop()
        node = _resolve(schema, node)
        if isinstance(value, dict):
            for key, item in value.items():
                child, is_map_key = _step(schema, node, key)
                if item is None and is_map_key:  # annotations: {a: null} holds ""
                    zero = _zero_value(schema, child)
                    if zero is not None:
                        value[key] = zero if not isinstance(zero, dict) else {}
                elif child is not None and isinstance(item, dict | list):
                    stack.append((item, child))
        elif isinstance(value, list) and isinstance(node, dict):
            items = node.get("items")
            if items is None:
                continue
            zero = _zero_value(schema, items) if None in value else None
            for index, item in enumerate(value):
                if item is None and zero is not None:
                    value[index] = zero if not isinstance(zero, dict) else {}
                elif isinstance(item, dict | list):
                    stack.append((item, items))
    return data


def has_null_entry(value: Any) -> bool:
    """Whether a list entry or a map value anywhere in ``value`` is null."""
    if not isinstance(value, _NESTED):
        return False
    stack = [value]  # only mappings and lists: one loop over each, no generators
    while stack:
        item = stack.pop()
        for entry in item.values() if isinstance(item, dict) else item:
            if entry is None:
                return True
            if isinstance(entry, _NESTED):  # a tuple: half the cost of ``dict | list``
                stack.append(entry)
    return False


_NESTED = (dict, list)


def has_null_entry_outside(value: Any, path: tuple[str, ...]) -> bool:
    """``has_null_entry``, leaving out what is at ``path`` (keys of mappings): a null on the
    way to it counts, what is below it is not looked at."""
    node = value
    for key in path:
        if not isinstance(node, dict):
            return has_null_entry(node)
        for name, entry in node.items():
            if name != key and (entry is None or has_null_entry(entry)):
                return True
        if key not in node:
            return False
        node = node[key]
        if node is None:
            return True
    return False


def as_go_reads_it(pod: Any, version: str | None = None) -> Any:
    """``pod`` with its null entries as Go's zero values (``fill_null_structs``): a copy when
    there are any, ``pod`` itself otherwise."""
    if not isinstance(pod, dict) or not has_null_entry(pod):
        return pod
    return fill_null_structs(copy.deepcopy(pod), version)


@cache
def field_names(version: str, definition: str, path: tuple[str, ...]) -> frozenset[str]:
    """The fields an object of ``definition`` has at ``path`` (``("spec",)``: a Deployment's
    spec fields); empty if the path leads to no object."""
    schema = kind_schema(resolve_version(version), definition)
    node: Any = schema
    for key in path:
        node, _ = _step(schema, node, key)
        if node is None:
            return frozenset()
    properties = as_dict(_resolve(schema, node)).get("properties")
    return frozenset(properties) if isinstance(properties, dict) else frozenset()


@short_text_cache(4096)
def field_description(path: str, version: str, definition: str = POD_DEFINITION) -> str | None:
    """The schema's text for a field such as ``spec.containers[0].image``; ``None`` if unknown.

    Descriptions do not ship with the prepared data: they are read from ``kubernetes_validate``.
    """
    schema = _described_schema(resolve_version(version), definition)
    node: Any = schema
    for key in path_to_keys(path):
        if isinstance(key, str) and key.isascii() and key.isdigit():
            key = int(key)
        node, _ = _step(schema, node, key)
        if node is None:
            return None
    node = _resolve(schema, node)
    description = node.get("description") if isinstance(node, dict) else None
    return description if isinstance(description, str) else None


@cache
def _described_schema(version: str, definition: str) -> dict:
    from podstudio.engine.schemasource import local_refs, read_source

    definitions = read_source(version, "_definitions.json")["$defs"]
    pending = [definition]
    defs: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name not in defs:
            defs[name] = local_refs(definitions[name], pending)
    return {"$ref": f"#/$defs/{definition}", "$defs": defs}
