"""YAML highlighting for the preview: any YAML, one numbered line per YAML line.

It escapes everything and wraps keys (``k``), strings (``s``), numbers (``n``), booleans, nulls,
anchors, aliases and tags (``b``), comments (``c``) and indicators (``p``) in spans, one
``<span class="line">`` per line so the stylesheet can number the lines. The text content of
the result is exactly the input, so copying it gives back the YAML.

Two ways to the same markup:

- ``_by_events``: libyaml (the parser that reads the file) says where every scalar, key,
  alias and flow bracket is, so flow maps, block scalars, multi-line strings, anchors and
  comments anywhere are all classed as the parser reads them. Scalars are typed as go-yaml v2
  reads them (``y`` is a boolean, ``1e3`` a number).
- ``_by_lines``: today's line-at-a-time highlighter, which caches each line's markup, so a
  keystroke (one line changed) costs almost nothing. It is used when every line is one it
  reads exactly as the parser would (block keys, list dashes, one-line values, block scalars,
  comments); any other line (a flow map, an anchor, a multi-line string, a tab, CRLF) sends the
  whole text to ``_by_events``. Pygments' YamlLexer was measured and rejected: 20 ms for a
  270-line Pod against 2–5 ms for ``_by_events`` and 0.15 ms for ``_by_lines`` on a keystroke.
  tests/test_builder_highlight.py checks that both ways give each character the same class.
"""

import re
from bisect import bisect_right
from functools import lru_cache
from html import escape

import yaml

from podstudio.engine import goyaml
from podstudio.engine.memo import short_text_cache

_KEY = re.compile(r"^(?P<key>(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^\s#'\"][^:#]*?)):(?=\s|$)")
_BLOCK_STARTS = frozenset(("|", "|-", "|+", ">", ">-", ">+"))
_DASH = '<span class="p">-</span>'
_MARKER = re.compile(r"^(?:---|\.\.\.)(?:\s+#.*|\s*)$")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
# A value the line highlighter cannot read alone: flow collections (but "{}" and "[]"),
# anchors, aliases, tags, explicit keys, directives and document markers.
_RISKY_VALUE = re.compile(r"^(?:[%@`]|\?(?:\s|$)|---|\.\.\.)")
# A value libyaml can class alone when it ends on its line: a flow collection (but "{}" and
# "[]"), or one that starts with an anchor, an alias or a tag.
_INLINE_VALUE = re.compile(r"^(?:[&*!]|[{\[](?!\]$|}$))")


def _span(css: str, text: str) -> str:
    return f'<span class="{css}">{escape(text, quote=False)}</span>' if text else ""


@short_text_cache(8192)
def _plain_class(text: str) -> str:
    """The class of a plain scalar, typed as go-yaml v2 reads it."""
    value = goyaml.resolve_plain(text)
    if isinstance(value, str):
        return "s"
    if value is None or isinstance(value, bool):
        return "b"
    return "n"


# --- the line-at-a-time highlighter --------------------------------------------------------------


class _Risky(Exception):
    """A line the line highlighter cannot class alone."""


def _value_html(text: str) -> str:
    """A value after ``key:`` or ``- `` (with its leading spaces and any trailing comment)."""
    stripped = text.strip(" ")
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip(" "))]
    if stripped.startswith("\t"):
        raise _Risky
    if stripped.startswith("#"):  # "key:  # a comment": no value on this line
        return escape(lead, quote=False) + _span("c", stripped)
    if _INLINE_VALUE.match(stripped):
        inline = _inline_html(stripped) if "\t" not in stripped else None
        if inline is None:
            raise _Risky
        return escape(lead, quote=False) + inline
    if _RISKY_VALUE.match(stripped):
        raise _Risky
    comment = ""
    if stripped[0] in "'\"":
        match = _QUOTED.match(stripped)
        if not match:
            raise _Risky  # a quoted string that goes on past this line
        rest = stripped[match.end() :]
        if rest.strip(" "):
            if not rest.lstrip(" ").startswith("#") or not rest.startswith(" "):
                raise _Risky
            comment = rest
        stripped, css = match.group(), "s"
    else:
        if " #" in stripped:
            stripped, _, rest = stripped.partition(" #")
            comment = " #" + rest
            stripped = stripped.rstrip(" ")
            comment = text[len(lead) + len(stripped) :]
        if stripped in _BLOCK_STARTS or stripped in ("{}", "[]"):
            css = "p"
        elif stripped[0] in "|>":
            raise _Risky  # a block scalar header with an indentation indicator
        else:
            css = _plain_class(stripped)
    body = _span(css, stripped)
    if comment:
        spaces = comment[: len(comment) - len(comment.lstrip(" "))]
        body += spaces + _span("c", comment[len(spaces) :])
    return escape(lead, quote=False) + body


@short_text_cache(4096)
def _key_html(key: str) -> str:
    return _span("k", key) + '<span class="p">:</span>'


def _line_html(line: str) -> tuple[str, int | None]:
    """The markup of a line outside block scalars, and the indent of a block scalar it opens.

    Raises ``_Risky`` for a line whose meaning depends on other lines.
    """
    if line.endswith("\r"):  # CRLF: the line, then its carriage return as it is
        markup, block_indent = _line_html(line[:-1])
        return markup[: -len("</span>")] + "\r</span>", block_indent
    if "\r" in line or line.endswith((" ", "\t")) or line.lstrip(" ").startswith("\t"):
        raise _Risky
    body = line.lstrip(" ")
    if body.startswith(("---", "...")) and _MARKER.match(body):
        marker, _, comment = body.partition("#")
        html = line[: len(line) - len(body)] + _span("p", marker.rstrip(" "))
        html += marker[len(marker.rstrip(" ")) :] + (_span("c", "#" + comment) if _ else "")
        return f'<span class="line">{html}</span>', None
    indent = len(line) - len(body)
    html = line[:indent]  # spaces only: nothing to escape
    if not body:
        return f'<span class="line">{html}</span>', None
    if body.startswith("#"):
        return f'<span class="line">{html}{_span("c", body)}</span>', None
    dash_column = indent
    while body.startswith("- ") or body == "-":
        html += _DASH + (" " if body.startswith("- ") else "")
        body = body[2:]
        dash_column = indent
        indent += 2
        spaces = len(body) - len(body.lstrip(" "))  # "-   name: web"
        html += body[:spaces]
        body = body[spaces:]
        indent += spaces
    block_indent = None
    match = _KEY.match(body) if body[:1] not in "&*!{[" else None
    if match:
        key = match.group("key")
        if "\t" in key or body[match.end() : match.end() + 1] == "\t":
            raise _Risky
        if key.startswith(("?", "&", "*", "!", "%", "---", "...", "[", "{", "-")):
            raise _Risky
        html += _key_html(key)
        rest = body[match.end() :]
        html += _value_html(rest)
        if rest.split(" #")[0].strip() in _BLOCK_STARTS:
            block_indent = indent + 1
    elif not body:
        pass  # a bare "-"
    elif html.rstrip(" ").endswith(_DASH):
        html += _value_html(body)
        if body.split(" #")[0].strip() in _BLOCK_STARTS:
            block_indent = dash_column + 1
    else:
        raise _Risky  # a line that continues a value of the lines above
    return f'<span class="line">{html}</span>', block_indent


def _cached_or_risky(line: str) -> tuple[str, int | None] | None:
    try:
        return _line_html(line)
    except _Risky:
        return None


# A line's markup depends on the line alone (outside block scalars), and from one keystroke to
# the next a Pod's YAML keeps almost all its lines: work each out once. Long lines are not kept.
_cached_line_html = lru_cache(maxsize=8192)(_cached_or_risky)


def _by_lines(text: str) -> str | None:
    """The markup, line by line; None if a line needs the parser to be read right."""
    found = _lines_markup(text.rstrip("\n").split("\n"))
    return None if found is None else "\n".join(found[0])


def _lines_markup(text_lines: list[str]) -> tuple[list[str], int | None] | None:
    """Each line's markup, and the indent of a block scalar still open after the last line."""
    lines = []
    block_indent: int | None = None
    for line in text_lines:
        if block_indent is not None:
            indent = len(line) - len(line.lstrip(" "))
            if line.strip() and indent < block_indent:
                block_indent = None
            elif "\t" in line[:indent]:
                return None
            else:
                lines.append(f'<span class="line">{_span("s", line)}</span>')
                continue
        found = _cached_line_html(line) if len(line) <= 200 else _cached_or_risky(line)
        if found is None:
            return None
        markup, block_indent = found
        lines.append(markup)
    return lines, block_indent


# --- the parser's highlighter -------------------------------------------------------------------

_INDICATORS = frozenset("-:,?[]{}")


def _gap_spans(text: str, start: int, end: int, spans: list) -> None:
    """Text between the parser's nodes: indicators, comments, document markers, directives."""
    position = start
    while position < end:
        char = text[position]
        if char == "#":
            stop = text.find("\n", position, end)
            stop = end if stop < 0 else stop
            if text[stop - 1 : stop] == "\r":
                stop -= 1
            spans.append((position, stop, "c"))
            position = stop
        elif char in _INDICATORS or char in "%.":
            stop = position + 1
            while stop < end and text[stop] == char and char in "-.":
                stop += 1
            if char == "%":  # a directive runs to the end of its line
                stop = text.find("\n", position, end)
                stop = end if stop < 0 else stop
            spans.append((position, stop, "p"))
            position = stop
        else:
            position += 1


def _scalar_spans(text: str, event, key: bool, spans: list) -> None:
    start, end = event.start_mark.index, event.end_mark.index
    if start == end:
        return
    content = start
    if event.anchor or event.tag:
        while content < end and text[content] in "&!":
            while content < end and text[content] not in " \t\r\n":
                content += 1
            spans.append((start, content, "b"))
            while content < end and text[content] in " \t\r\n":
                content += 1
            start = content
    style = event.style
    if key:
        css = "k"
    elif style in ("|", ">"):
        header_end = text.find("\n", content, end)
        header_end = end if header_end < 0 else header_end
        header = text[content:header_end]
        comment = header.find("#")
        spans.append((content, content + (comment if comment >= 0 else len(header)), "p"))
        if comment >= 0:
            spans.append((content + comment, header_end - header.endswith("\r"), "c"))
        content = header_end
        css = "s"
    elif style:
        css = "s"
    else:
        css = _plain_class(event.value) if event.tag is None else "s"
    if content < end:
        spans.append((content, end, css))


def _by_events(text: str) -> str | None:
    """The markup from libyaml's events; None if libyaml cannot read the text."""
    spans = _classify(text)
    return None if spans is None else _render(text, spans)


def _classify(text: str) -> list | None:
    """Every scalar, key, alias, anchor and tag of ``text`` as (start, end, class)."""
    spans: list[tuple[int, int, str]] = []
    # each open collection: True for a mapping waiting for a key
    stack: list[list[bool]] = []
    try:
        parser = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent or event is None:
                break
            key = bool(stack) and stack[-1][0]
            if stack and stack[-1][1]:
                stack[-1][0] = not stack[-1][0]  # mappings alternate key, value
            if kind is yaml.ScalarEvent:
                _scalar_spans(text, event, key, spans)
            elif kind is yaml.AliasEvent:
                spans.append((event.start_mark.index, event.end_mark.index, "k" if key else "b"))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                start = event.start_mark.index
                if event.anchor or event.tag:
                    _scalar_like_properties(text, event, spans)
                opened = start if event.flow_style else None  # its bracket is found in a gap
                stack.append(
                    [kind is yaml.MappingStartEvent, kind is yaml.MappingStartEvent, opened]
                )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                opened = stack.pop()[2]
                if opened is not None:
                    spans.append((opened, event.end_mark.index, "flow"))
    except yaml.YAMLError:
        return None
    return spans


def _scalar_like_properties(text: str, event, spans: list) -> None:
    position = event.start_mark.index
    while position < len(text) and text[position] in "&!":
        stop = position
        while stop < len(text) and text[stop] not in " \t\r\n,]}":
            stop += 1
        spans.append((position, stop, "b"))
        position = stop
        while position < len(text) and text[position] in " \t":
            position += 1


def _with_gaps(text: str, spans: list) -> list:
    """The spans, with indicators and comments between them classed too."""
    spans = sorted(span for span in spans if span[2] != "flow")
    classed: list[tuple[int, int, str]] = []
    position = 0
    for start, end, css in spans:
        if start < position:
            continue
        _gap_spans(text, position, start, classed)
        classed.append((start, end, css))
        position = end
    _gap_spans(text, position, len(text), classed)
    return classed


@short_text_cache(4096)
def _inline_html(value: str) -> str | None:
    """Markup for a one-line value libyaml reads alone the same way as in its line: a flow
    collection, or a value with an anchor, alias or tag. None if it goes on past the line."""
    spans = _classify(value)
    if spans is None:
        return None
    out = []
    position = 0
    for start, end, css in _with_gaps(value, spans):
        out.append(escape(value[position:start], quote=False))
        out.append(_span(css, value[start:end]))
        position = end
    out.append(escape(value[position:], quote=False))
    return "".join(out)


def _render(text: str, spans: list) -> str:
    classed = _with_gaps(text, spans)
    size = len(text.rstrip("\n"))  # trailing line breaks make no lines, as in _by_lines
    lines: list[str] = []
    current: list[str] = []
    position = 0

    def emit(piece: str, css: str | None) -> None:
        for index, part in enumerate(piece.split("\n")):
            if index:
                lines.append('<span class="line">' + "".join(current) + "</span>")
                current.clear()
            if part:
                current.append(_span(css, part) if css else escape(part, quote=False))

    for start, end, css in classed:
        start, end = min(start, size), min(end, size)
        if start > position:
            emit(text[position:start], None)
        if end > start:
            emit(text[start:end], css)
        position = max(position, end)
    if position < size:
        emit(text[position:size], None)
    lines.append('<span class="line">' + "".join(current) + "</span>")
    return "\n".join(lines)


# --- an edited text from its original -----------------------------------------------------------


@lru_cache(maxsize=32)
def _base(text: str) -> tuple[list[str], frozenset[int], list, list[int]] | None:
    """The parser's markup of an original text, line by line, the lines that depend on others
    (inside a multi-line flow collection, block scalar or multi-line string), its classed spans
    and where its lines start."""
    spans = _classify(text)
    if spans is None:
        return None
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)

    def line_of(index: int) -> int:
        return bisect_right(starts, index) - 1

    joined: set[int] = set()
    for start, end, _ in spans:
        first, last = line_of(start), line_of(max(start, end - 1))
        if last > first:
            joined.update(range(first, last + 1))
    return _render(text, spans).split("\n"), frozenset(joined), _with_gaps(text, spans), starts


def _common_prefix(a: str, b: str) -> int:
    """Length of the common start of two texts (slices compare in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, most: int) -> int:
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


_PLAIN_UNSAFE = re.compile(r"[,\[\]{}#\n\r\t]|: |:$|^[-?:&*!|>%@`'\" ]|\s$")


def _scalar_spliced(text: str, base: str) -> str | None:
    """The markup of ``text`` when it differs from ``base`` inside one scalar on one line (a
    keystroke in a field): that line is made again from ``base``'s spans, the rest kept."""
    found = _base(base)
    if found is None:
        return None
    markup, _, classed, starts = found
    start = _common_prefix(base, text)
    most = min(len(base), len(text)) - start
    tail = _common_suffix(base, text, most)
    old_end, new_end = len(base) - tail, len(text) - tail
    if "\n" in base[start:old_end] or "\n" in text[start:new_end]:
        return None
    index = bisect_right(classed, (start, len(base) + 1, "")) - 1
    candidates = [classed[i] for i in (index, index - 1) if 0 <= i < len(classed)]
    target = next(
        (
            span
            for span in candidates
            if span[0] <= start <= span[1] and old_end <= span[1] and span[2] in "ksnb"
        ),
        None,
    )
    if target is None:
        return None
    span_start, span_end, css = target
    old_text = base[span_start:span_end]
    delta = len(text) - len(base)
    new_text = text[span_start : span_end + delta]
    if not old_text or old_text[0] in "&*!|>%@`" or "\n" in old_text or not new_text:
        return None
    if old_text[0] in "'\"":
        if new_text[0] != old_text[0] or not _QUOTED.fullmatch(new_text):
            return None
        new_css = "k" if css == "k" else "s"
    else:
        if _PLAIN_UNSAFE.search(new_text):
            return None
        new_css = "k" if css == "k" else _plain_class(new_text)
    line = bisect_right(starts, span_start) - 1
    line_start = starts[line]
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    pieces = []
    position = line_start
    first = max(bisect_right(classed, (line_start, -1, "")) - 1, 0)
    for piece_start, piece_end, piece_css in classed[first:]:
        if piece_end < line_start:
            continue
        if (piece_start, piece_end) == (span_start, span_end):
            piece_end, piece_css = span_end + delta, new_css
        elif piece_start >= span_end:
            piece_start, piece_end = piece_start + delta, piece_end + delta
        piece_start, piece_end = max(piece_start, line_start), min(piece_end, line_end)
        if piece_start >= line_end:
            break
        if piece_end <= piece_start:
            continue
        pieces.append(escape(text[position:piece_start], quote=False))
        pieces.append(_span(piece_css, text[piece_start:piece_end]))
        position = piece_end
    pieces.append(escape(text[position:line_end], quote=False))
    lines = list(markup)
    lines[line] = '<span class="line">' + "".join(pieces) + "</span>"
    return "\n".join(lines)


def _spliced(text: str, base: str) -> str | None:
    """The markup of ``text`` made from ``base``'s (cached) and the lines that differ, when
    those lines (and one on each side) stand alone; None otherwise."""
    found = _base(base)
    if found is None:
        return None
    base_markup, joined, _, _ = found
    old, new = base.rstrip("\n").split("\n"), text.rstrip("\n").split("\n")
    if len(base_markup) != len(old):
        return None
    same_start = 0
    limit = min(len(old), len(new))
    while same_start < limit and old[same_start] == new[same_start]:
        same_start += 1
    same_end = 0
    while same_end < limit - same_start and old[-1 - same_end] == new[-1 - same_end]:
        same_end += 1
    first = max(same_start - 1, 0)
    old_stop = min(len(old) - same_end + 1, len(old))
    new_stop = len(new) - (len(old) - old_stop)
    if any(index in joined for index in range(first, old_stop)):
        return None
    chunk = _lines_markup(new[first:new_stop])
    if chunk is None or chunk[1] is not None:
        return None
    return "\n".join([*base_markup[:first], *chunk[0], *base_markup[old_stop:]])


def highlight_yaml(text: str, base: str | None = None) -> str:
    """Escaped HTML for YAML text, one span per line.

    ``base``: the text ``text`` was edited from (an imported file), whose markup is kept and
    reused for the lines the edit left alone.
    """
    markup = _by_lines(text)
    if markup is None and base is not None:
        markup = _scalar_spliced(text, base) or _spliced(text, base)
    if markup is None:
        markup = _by_events(text)
    if markup is None:  # not YAML libyaml can read: escaped, one line per line
        lines = [escape(part, quote=False) for part in text.rstrip("\n").split("\n")]
        markup = "\n".join(f'<span class="line">{line}</span>' for line in lines)
    return markup
