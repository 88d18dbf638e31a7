"""YAML text for new values, written the way the file around them is written.

``textedit`` keeps every byte an edit does not change; what it does change or add is written
here: a scalar in the style it had where that style still reads back as the same value, a new
mapping or list with the file's own indentation (keys in canonical order, as ``yamlio`` writes
them), in flow style where the file writes that key in flow style or inside a flow collection.
Every scalar written reads back (go-yaml v2 rules, as ``yamlio`` reads) as the value given.
"""

import io
import json
from typing import Any

import yaml

from podstudio.engine import goyaml, yamldump
from podstudio.engine.memo import short_text_cache
from podstudio.engine.patterns import compile_lazily

# Characters YAML allows unescaped in a file (c-printable), without the line breaks.
_NOT_PRINTABLE = compile_lazily(
    "[^\t\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


class Style:
    """How a file indents: from a key to its child mapping's keys and to its list's dashes."""

    __slots__ = ("flow_keys", "item_indent", "json", "map_indent", "seq_indent")

    def __init__(
        self,
        map_indent: int = 2,
        seq_indent: int = 0,
        flow_keys: frozenset = frozenset(),
        item_indent: int = 2,
        json: bool = False,
    ):
        self.map_indent = map_indent  # from a key to the keys of a mapping below it
        self.seq_indent = seq_indent  # from a key to the dashes of a list below it
        self.flow_keys = flow_keys  # keys whose small collections are written in flow style
        self.item_indent = item_indent  # from a dash to the keys of a mapping item ("-   a: 1")
        self.json = json  # a JSON file: keys and strings in double quotes, so it stays JSON


_emitter = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_yaml11 = yaml.resolver.Resolver()


@short_text_cache(8192)
def _plain_allowed(text: str, flow: bool) -> bool:
    """Whether ``text`` can be written without quotes and reads back as the same string."""
    if not text or text != text.strip() or any(char in _LINE_BREAKS for char in text):
        return False
    if _NOT_PRINTABLE.search(text) or not goyaml.reads_as_string(text):
        return False
    # kubectl reads ``2001-01-01`` and ``12:30:00`` as strings, a YAML 1.1 reader (PyYAML,
    # yamllint, Ansible) as a date and as 45000: quoted, as the canonical YAML has them.
    if _yaml11.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str":
        return False
    analysis = _emitter.analyze_scalar(text)
    if analysis.multiline:
        return False
    return analysis.allow_flow_plain if flow else analysis.allow_block_plain


def double_quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's, plus non-printables escaped)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return (
        _NOT_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        .replace("\x85", "\\u0085")  # (YAML's \N is no JSON escape)
    )


def single_quoted(text: str) -> str | None:
    if any(char in _LINE_BREAKS for char in text) or _NOT_PRINTABLE.search(text):
        return None
    return "'" + text.replace("'", "''") + "'"


def _number_text(value: int | float) -> str:
    text = str(value) if type(value) is int else repr(value)
    if goyaml.json_value(goyaml.resolve_plain(text)) != value:
        raise ValueError(f"{value!r} cannot be written as a YAML number")
    return text


def scalar(value: Any, *, flow: bool = False, quote: str = "") -> str:
    """One-line text for a scalar; a string keeps the ``quote`` style given where it can."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if not isinstance(value, str):
        raise TypeError(f"not a YAML scalar: {type(value).__name__}")
    if quote == "'":
        text = single_quoted(value)
        if text is not None:
            return text
    elif quote != '"' and _plain_allowed(value, flow):
        return value
    return double_quoted(value)


# YAML reads a key written before its colon (an implicit key) only up to 1024 characters.
_IMPLICIT_KEY_LIMIT = 1024


def key_text(key: str, *, flow: bool = False, column: int = 0) -> str:
    """A key as written before its ``:``. A key too long to be read that way (a label key
    pasted by mistake) is an explicit one, ``? "key"``, its colon at ``column`` on the next
    line in a block mapping, so the file still reads back."""
    if _plain_allowed(key, flow) and len(key) < _IMPLICIT_KEY_LIMIT and key != "<<":
        return key
    quoted = double_quoted(key)
    if len(quoted) < _IMPLICIT_KEY_LIMIT:
        return quoted
    return f"? {quoted} " if flow else f"? {quoted}\n" + " " * column


def literal_block(value: str, indent: int, *, folded: bool = False) -> str | None:
    """``|`` text for a multi-line string (header, then lines at ``indent``); None if unfit."""
    if not value or value[0] in " \t" or "\r" in value:
        return None
    if _NOT_PRINTABLE.search(value.replace("\n", "")):
        return None
    if any(char in value for char in "\x85\u2028\u2029") or value.endswith("\n\n"):
        return None
    body = value[:-1] if value.endswith("\n") else value
    if not body or body.startswith("\n"):
        return None
    header = ">" if folded and "\n" not in body else "|"
    header += "" if value.endswith("\n") else "-"
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    return header + "\n" + "\n".join(lines)


def flow(value: Any, parent_key: str | None = None, *, json: bool = False, quote: str = "") -> str:
    """A value in flow style: ``{cpu: 100m, memory: 64Mi}``, ``[ALL]`` (JSON if ``json``;
    strings in ``quote`` style where they can be, as ``scalar`` writes them)."""
    if isinstance(value, dict):
        keys = yamldump.ordered_keys(value, parent_key)
        items = [
            f"{flow_key(k, json=json)}: {flow(value[k], k, json=json, quote=quote)}" for k in keys
        ]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        items = [flow(item, parent_key, json=json, quote=quote) for item in value]
        return "[" + ", ".join(items) + "]"
    return scalar(value, flow=True, quote='"' if json else quote)


def json_lines(value: Any, parent_key: str | None, indent: str, step: str) -> str:
    """A new value in a JSON file written over lines, as ``kubectl get -o json`` and the file
    around it lay theirs out: each entry of a non-empty mapping or list on a line of its own,
    ``step`` deeper than ``indent`` (the indent of the line the value starts on)."""
    inner = indent + step
    if isinstance(value, dict) and value:
        keys = yamldump.ordered_keys(value, parent_key)
        items = [
            f"{inner}{flow_key(k, json=True)}: {json_lines(value[k], k, inner, step)}" for k in keys
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value:
        items = [inner + json_lines(item, parent_key, inner, step) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return flow(value, parent_key, json=True)


def flow_key(key: str, *, json: bool = False) -> str:
    return double_quoted(key) if json else key_text(key, flow=True)


def _small(value: Any) -> bool:
    """Small enough to be written in flow style where the file does so: scalars inside only."""
    items = value.values() if isinstance(value, dict) else value
    return all(not isinstance(item, dict | list) for item in items)


def after_key(value: Any, key: str, column: int, style: Style) -> str:
    """What follows ``key:`` for a value in a block mapping whose keys are at ``column``."""
    if isinstance(value, dict | list):
        if not value:
            return " {}" if isinstance(value, dict) else " []"
        if key in style.flow_keys and _small(value):
            return " " + flow(value, key)
        if isinstance(value, dict):
            return "\n" + "\n".join(mapping_lines(value, key, column + style.map_indent, style))
        return "\n" + "\n".join(sequence_lines(value, key, column + style.seq_indent, style))
    if isinstance(value, str) and any(char in _LINE_BREAKS for char in value):
        block = literal_block(value, column + style.map_indent)
        if block is not None:
            return " " + block
    return " " + scalar(value)


def mapping_lines(mapping: dict, parent_key: str | None, column: int, style: Style) -> list[str]:
    """A block mapping's lines (without line breaks), keys at ``column`` in canonical order."""
    pad = " " * column
    lines = []
    for key in yamldump.ordered_keys(mapping, parent_key):
        text = (
            pad + key_text(key, column=column) + ":" + after_key(mapping[key], key, column, style)
        )
        lines.extend(text.split("\n"))
    return lines


def item_text(value: Any, parent_key: str | None, dash_column: int, style: Style) -> str:
    """What follows ``- `` for an item of a block sequence whose dashes are at ``dash_column``."""
    column = dash_column + 2
    if isinstance(value, dict) and value:
        if parent_key in style.flow_keys and _small(value):
            return flow(value, parent_key)
        column = dash_column + style.item_indent
        text = "\n".join(mapping_lines(value, parent_key, column, style))[column:]
        return " " * (style.item_indent - 2) + text
    if isinstance(value, list) and value:
        return "\n".join(sequence_lines(value, parent_key, column, style))[column:]
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    if isinstance(value, str) and any(char in _LINE_BREAKS for char in value):
        block = literal_block(value, column)
        if block is not None:
            return block
    return scalar(value)


def sequence_lines(items: list, parent_key: str | None, dash_column: int, style: Style) -> list:
    pad = " " * dash_column
    lines = []
    for item in items:
        lines.extend((pad + "- " + item_text(item, parent_key, dash_column, style)).split("\n"))
    return lines


def block(value: Any, parent_key: str | None, column: int, style: Style) -> str:
    """A whole value as a document root (or any block position) starting at ``column``."""
    if isinstance(value, dict) and value:
        return "\n".join(mapping_lines(value, parent_key, column, style))[column:]
    if isinstance(value, list) and value:
        return "\n".join(sequence_lines(value, parent_key, column, style))[column:]
    return flow(value, parent_key)
