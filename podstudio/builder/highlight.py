"""A small YAML highlighter for the canonical YAML ``dump_manifest`` writes.

It escapes everything and wraps keys, strings, numbers, booleans and comments in spans, one
``<span class="line">`` per line so the stylesheet can number the lines. The text content of
the result is exactly the input, so copying it gives back the YAML.
"""

import re
from functools import lru_cache
from html import escape

_KEY = re.compile(r"^(?P<key>(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^\s#'\"][^:#]*?)):(?=\s|$)")
_NUMBER = re.compile(
    r"^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F]+|0o[0-7]+)$"
)
_CONSTANT = re.compile(r"^(?:true|false|True|False|TRUE|FALSE|null|Null|NULL|~|yes|no|on|off)$")


def _span(css: str, text: str) -> str:
    return f'<span class="{css}">{escape(text, quote=False)}</span>' if text else ""


def _value_html(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return escape(text, quote=False)
    lead = text[: len(text) - len(text.lstrip())]
    comment = ""
    if " #" in stripped and not stripped.startswith(("'", '"')):
        stripped, _, rest = stripped.partition(" #")
        comment = " #" + rest
    if stripped in _BLOCK_STARTS or stripped in ("{}", "[]"):
        css = "p"
    elif stripped.startswith(("'", '"')):
        css = "s"
    elif _NUMBER.match(stripped):
        css = "n"
    elif _CONSTANT.match(stripped):
        css = "b"
    else:
        css = "s"
    return escape(lead, quote=False) + _span(css, stripped) + _span("c", comment)


# The markup of a value and of a key depends on their text alone, and a Pod's YAML repeats the
# same short texts: work each out once per process. Long texts are not kept.
_cached_value_html = lru_cache(maxsize=4096)(_value_html)


def _value(text: str) -> str:
    return _cached_value_html(text) if len(text) <= 200 else _value_html(text)


@lru_cache(maxsize=4096)
def _key_html(key: str) -> str:
    return _span("k", key) + '<span class="p">:</span>'


_BLOCK_STARTS = frozenset(("|", "|-", "|+", ">", ">-", ">+"))
_DASH = '<span class="p">-</span>'


def _line_html(line: str) -> tuple[str, int | None]:
    """The markup of a line outside block scalars, and the indent of a block scalar it opens."""
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    html = line[:indent]  # spaces only: nothing to escape
    if body.startswith("#"):
        return f'<span class="line">{html}{_span("c", body)}</span>', None
    dash_column = indent
    while body.startswith("- ") or body == "-":
        html += _DASH + (" " if body.startswith("- ") else "")
        body = body[2:]
        dash_column = indent
        indent += 2
    block_indent = None
    match = _KEY.match(body)
    if match:
        html += _key_html(match.group("key"))
        rest = body[match.end() :]
        html += _value(rest)
        if rest.strip() in _BLOCK_STARTS:
            block_indent = indent + 1
    else:
        html += _value(body)
        if body.strip() in _BLOCK_STARTS:
            block_indent = dash_column + 1
    return f'<span class="line">{html}</span>', block_indent


# A line's markup depends on the line alone (outside block scalars), and from one keystroke to
# the next a Pod's YAML keeps almost all its lines: work each out once. Long lines are not kept.
_cached_line_html = lru_cache(maxsize=8192)(_line_html)


def highlight_yaml(text: str) -> str:
    """Escaped HTML for YAML text, one span per line."""
    lines = []
    block_indent: int | None = None
    for line in text.rstrip("\n").split("\n"):
        if block_indent is not None:
            indent = len(line) - len(line.lstrip(" "))
            if line.strip() and indent < block_indent:
                block_indent = None
            else:
                lines.append(f'<span class="line">{_span("s", line)}</span>')
                continue
        markup, block_indent = _cached_line_html(line) if len(line) <= 200 else _line_html(line)
        lines.append(markup)
    return "\n".join(lines)
