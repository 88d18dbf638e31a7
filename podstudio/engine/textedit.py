"""Edits that touch only what changed: an author's file, with new data, as text.

``rewrite(text, document, data)`` gives ``text`` whose ``document``-th document reads as
``data`` and where everything the change does not need is kept byte for byte: comments, blank
lines, key order, quoting, flow or block style, anchors, ``---`` markers, line endings and the
other documents. It compares the data the file holds (``sourcemap``) with the new data:

- a scalar that changed gets new text at its own place, in its own style where the new value
  allows it (``yamlwrite``); a tag the new value does not fit goes (``!!str 30`` set to the
  number 10 is ``10``); an empty value (``image:``, ``- ``) gets the space after its ``:`` or
  ``-``, and a mapping or list there goes under it, a comment on that line staying there;
- a new key goes where canonical order puts it among the keys already there, in the file's
  indentation; a removed key or list item takes its own lines, the comment lines directly above
  it and the comments inside it, nothing else; a comment that reads as an entry switched off
  (``# hostNetwork: true``, ``# - name: DEBUG``) is no note on the entry below it, and stays,
  with the lines above it, when that entry or the list holding it goes;
- list items are matched by position where the list kept its length, else by ``name`` (or
  equality), so removing the second container leaves the third one's text alone; items that
  changed places (the builder's Move) are matched by ``name`` (or equality) wherever they
  went, and each takes its text along: the comment lines above it, its own key order, quoting
  and trailing comments;
- anything else that changed (a scalar becoming a mapping, a merge key ``<<`` that no longer
  fits, overlapping changes) is written anew at its place; an alias is kept while it still
  stands for the right value, else its value is written out.

Lines may end in ``\\n``, ``\\r\\n`` or a lone ``\\r``: what an edit writes ends its lines
as the file's do. No change gives the same text back. ``check=True`` reads the result again and
proves it holds exactly ``data``; the property tests (tests/test_textedit_properties.py) prove
the same over every manifest in the repository with comments and odd formatting added.

It is one module (over 800 lines) because every part of the comparison (mappings, lists, flow
and block styles, moved items and entries) works with the same idea of the lines an entry owns
and the same list of edits; split, the parts would import each other's private helpers.
"""

import difflib
from dataclasses import dataclass, field
from typing import Any

from podstudio.engine import yamldump, yamlio, yamlwrite
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.sourcemap import (
    ALIAS,
    MAPPING,
    SCALAR,
    SEQUENCE,
    Node,
    Source,
    cached_source,
    read_source,
    walk,
)
from podstudio.engine.yamlio import ManifestError

__all__ = ["ManifestError", "rewrite", "rewrite_source", "same", "text_for"]


def same(a: Any, b: Any) -> bool:
    """Equal data, where ``1``, ``1.0`` and ``True`` are three different values (as in JSON)."""
    return a == b and _same_types(a, b)  # ``==`` (in C) rejects most differences at once


def _same_types(a: Any, b: Any) -> bool:
    """For data already equal by ``==``: whether every value has the same type too."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        return all(_same_types(value, b[key]) for key, value in a.items())
    if kind is list:
        return all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return True


class _Rewrite(Exception):
    """Place-keeping edits do not fit here: write the node anew."""


@dataclass(slots=True)
class _Edits:
    source: Source
    style: yamlwrite.Style
    changes: list = field(default_factory=list)  # (start, end, order, text)
    anchors: dict = field(default_factory=dict)  # anchor name -> the data it now stands for
    data: Any = None  # the whole edited document: where an entry that moved is still found
    root: Node | None = None  # the edited document's node, whose entries an edit may move

    def put(self, start: int, end: int, text: str) -> None:
        self.changes.append((start, end, len(self.changes), text))

    def fresh(self) -> "_Edits":
        """Edits of a part, made apart and then kept or dropped whole."""
        return _Edits(self.source, self.style, anchors=self.anchors, data=self.data, root=self.root)


# --- places in the text ----------------------------------------------------------------------


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Just after the line break that ends the line of ``index`` (or the end of the text)."""
    position = text.find("\n", index)
    return len(text) if position < 0 else position + 1


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


def _own_lines(text: str, start: int, end: int, *, moving: bool = False) -> tuple[int, int, bool]:
    """The lines an entry owns: from its leading comment lines to its last line and the deeper
    comment lines after it. ``start`` is its key (or dash), ``end`` its value's end. Entries
    switched off above it are not its own, unless the edit moves it out of its mapping
    (``moving``), which leaves them nowhere to stay."""
    line = _line_start(text, start)
    first = not text[line:start].strip(" \t")
    column = start - line
    own_start = line if first else start
    if first:
        while own_start > 0:
            previous = _line_start(text, own_start - 1)
            above = text[previous : own_start - 1].rstrip("\r")
            if not _is_comment(above) or _indent_of(above) > column:
                break
            own_start = previous
        if not moving:
            own_start = _after_switched_off(text, own_start, line)
    own_end = _line_end(text, max(end - 1, start))
    while own_end < len(text):
        below = text[own_end : _line_end(text, own_end)].rstrip("\r\n")
        if not _is_comment(below) or _indent_of(below) <= column:
            break
        own_end = _line_end(text, own_end)
    return own_start, own_end, first


# A comment that reads as YAML: an entry switched off (``# hostNetwork: true``, ``# - name: X``,
# ``# - --verbose``), a key with one value at most; not prose (``# Sidecar: log shipping``).
_VALUE = r"""(?:"[^"]*"|'[^']*'|[\[{].*|[^\s#]+)(?: +#.*)?"""
_KEY = r"""[\w.\-/$"']+:(?:$| +""" + _VALUE + ")"
_SWITCHED_OFF = compile_lazily(r"(?:" + _KEY + r"|-(?:$| +(?:" + _KEY + "|" + _VALUE + r")))$")


def _comment_text(text: str, position: int) -> str:
    """What the comment line at ``position`` says, without its ``#`` and spaces around."""
    return text[position : _line_end(text, position)].lstrip(" \t")[1:].strip()


def _after_switched_off(text: str, start: int, end: int) -> int:
    """Where an entry's own comment lines (from ``start`` to its line at ``end``) begin: after
    the last entry switched off among them and the deeper lines that continue it. Real files
    keep a setting they do not want as a comment above the next entry, often under a note on
    it; both stay when that entry is removed or moved."""
    own = start
    code_indent = -1
    position = start
    while position < end:
        line_end = _line_end(text, position)
        content = text[position:line_end].lstrip(" \t")[1:].rstrip("\r\n")
        indent = len(content) - len(content.lstrip(" "))
        if _SWITCHED_OFF.match(content.strip()) or (0 <= code_indent < indent):
            code_indent = indent if code_indent < 0 or indent <= code_indent else code_indent
            own = line_end
        else:
            code_indent = -1
        position = line_end
    return own


def _insert_text(text: str, position: int, chunk: str, newline: str) -> tuple[int, str]:
    """``chunk`` (lines joined by "\\n", no final break) as whole lines at a line start."""
    chunk = chunk.replace("\n", newline)
    if position >= len(text) and text and not text.endswith("\n"):
        return position, newline + chunk
    return position, chunk + newline


def _entry_start(text: str, key: Node) -> int:
    """Where a mapping entry starts: its key, or the ``?`` of an explicit key (``? app`` on a
    line of its own, or after a list's dash: ``- ? name``)."""
    line = _line_start(text, key.start)
    before = text[line : key.start].rstrip(" \t")
    if before.endswith("?") and before[:-1].strip(" \t") in ("", "-"):
        return line + len(before) - 1
    return key.start


def _entry_column(text: str, key: Node) -> int:
    """The column of a block mapping's entries, where new keys go: its first key's, or the
    ``?`` of an explicit one (keys at the explicit key's own column are not YAML)."""
    return _column(text, _entry_start(text, key))


def _colon_after(text: str, key: Node) -> int:
    """The position just after the ``:`` that follows a key."""
    return text.index(":", key.end) + 1


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


# --- the comparison ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """Where a node stands: its parent collection, and its key in a mapping."""

    parent: Node | None
    key: Node | None = None
    flow: bool = False
    parent_key: str | None = None  # the key name this value is under (for ordering)


def _diff(edits: _Edits, node: Node, new: Any, slot: _Slot) -> None:
    if node.kind == ALIAS:
        if node.anchor in edits.anchors and same(edits.anchors[node.anchor], new):
            return
        _replace(edits, node, new, slot)
        return
    if same(node.data, new) and not (edits.source.has_aliases and _stale_alias(edits, node)):
        if node.anchor:
            edits.anchors[node.anchor] = node.data
        _note_anchors_inside(edits, node)
        return
    if node.anchor:
        edits.anchors[node.anchor] = new
    try:
        if node.kind == SCALAR and not isinstance(new, dict | list):
            _put_scalar(edits, node, new, slot)
        elif node.kind == MAPPING and isinstance(new, dict):
            _diff_mapping(edits, node, new, slot)
        elif node.kind == SEQUENCE and isinstance(new, list):
            _diff_sequence(edits, node, new, slot)
        else:
            raise _Rewrite
    except _Rewrite:
        _replace(edits, node, new, slot)


_GONE = object()  # an anchor whose text an edit removed: its aliases must be written out


def _forget_anchors(edits: _Edits, node: Node) -> None:
    if edits.source.has_aliases:
        for current in walk(node):
            if current.anchor and current.kind != ALIAS:
                edits.anchors[current.anchor] = _GONE


def _stale_alias(edits: _Edits, node: Node) -> bool:
    """Whether an alias inside ``node`` stands for an anchor whose value an edit changed."""
    for current in walk(node):
        if current.kind == ALIAS and not same(
            edits.anchors.get(current.anchor, current.data), current.data
        ):
            return True
    return False


def _note_anchors_inside(edits: _Edits, node: Node) -> None:
    """An unchanged node's anchors keep standing for their data."""
    if not edits.source.has_aliases or node.kind not in (MAPPING, SEQUENCE):
        return
    stack = [node]
    while stack:
        current = stack.pop()
        children = (
            [value for _, value in current.entries] if current.kind == MAPPING else current.entries
        )
        for child in children:
            if child.anchor and child.kind != ALIAS:
                edits.anchors[child.anchor] = child.data
            if child.kind in (MAPPING, SEQUENCE):
                stack.append(child)


def _scalar_text(edits: _Edits, node: Node, new: Any, in_flow: bool) -> str:
    text = edits.source.text
    if isinstance(new, str) and node.style in ("|", ">"):
        body = text[node.content : node.end]
        lines = [line for line in body.split("\n")[1:] if line.strip()]
        indent = _indent_of(lines[0]) if lines else _column(text, node.start) + 2
        if body.split("\n", 1)[0].rstrip().endswith("+"):
            raise _Rewrite  # "keep" chomping owns the blank lines after it
        block = yamlwrite.literal_block(new, indent, folded=node.style == ">")
        if block is not None:
            return block.replace("\n", edits.source.newline)
    if isinstance(new, str) and any(char in yamlwrite._LINE_BREAKS for char in new):
        return yamlwrite.double_quoted(new)
    quote = node.style if node.style in ("'", '"') else '"' if edits.style.json else ""
    return yamlwrite.scalar(new, flow=in_flow, quote=quote)


def _is_empty(node: Node) -> bool:
    """A value written as nothing at all (``image:``, ``- ``), perhaps after ``&a`` or ``!t``."""
    return node.kind == SCALAR and node.style == "" and node.end <= node.content


def _break_at(text: str, index: int) -> int:
    """Where the line of ``index`` ends, before its line break (or the end of the text)."""
    position = text.find("\n", index)
    if position < 0:
        return len(text)
    return position - 1 if position > index and text[position - 1] == "\r" else position


def _put_scalar(edits: _Edits, node: Node, new: Any, slot: _Slot) -> None:
    """A scalar's new text at its place; a tag the new value does not fit (``!!str`` on a
    number) goes, an empty value gets the space after its ``:`` or ``-``."""
    text = edits.source.text
    value = _scalar_text(edits, node, new, slot.flow)
    empty = _is_empty(node)
    props_end = node.end if empty else node.content
    props = text[node.start : props_end]
    if "!" in props and not _tag_fits(props, value, new):
        props = _without_tag(props)
    if not empty:
        if props == text[node.start : node.content]:
            edits.put(node.content, node.end, value)
        else:
            edits.put(node.start, node.end, props + value)
        return
    # Nothing written yet: the value goes after the indicator (and the properties kept).
    props = props.rstrip(" \t")
    before = props[-1] if props else text[node.start - 1] if node.start else "\n"
    lead = "" if before in " \t\n" else " "
    end = node.end
    if not slot.flow:
        line_end = _break_at(text, end)
        if not text[end:line_end].strip(" \t"):
            end = line_end  # only spaces after it: they go
    edits.put(node.start, end, props + lead + value)


def _tag_fits(props: str, value: str, new: Any) -> bool:
    """Whether ``value`` after these properties (a tag among them) still reads as ``new``."""
    try:  # as a mapping's value, which is read as the API server gets it (JSON numbers)
        again = read_source(f"k: {_tags(props)} {value}\n")
    except ManifestError:
        return False
    return len(again.documents) == 1 and same(again.documents[0].data, {"k": new})


def _property_tokens(props: str):
    """(start, end, end with the spaces after it) of each ``&anchor`` and ``!tag`` token."""
    position = 0
    while position < len(props):
        if props[position] not in "&!":
            position = _skip_blank(props, position)
            if position < len(props) and props[position] not in "&!":
                return
            continue
        end = position
        while end < len(props) and props[end] not in " \t\r\n":
            end += 1
        after = end
        while after < len(props) and props[after] in " \t":
            after += 1
        yield position, end, after
        position = after


def _skip_blank(props: str, position: int) -> int:
    """Past spaces, line breaks and comments between properties."""
    while position < len(props):
        if props[position] in " \t\r\n":
            position += 1
        elif props[position] == "#":
            end = props.find("\n", position)
            position = len(props) if end < 0 else end + 1
        else:
            break
    return position


def _without_tag(props: str) -> str:
    for start, _, after in _property_tokens(props):
        if props[start] == "!":
            kept = props[:start] + props[after:]
            return kept if kept.strip() else ""
    return props


def _tags(props: str) -> str:
    tags = [props[start:end] for start, end, _ in _property_tokens(props) if props[start] == "!"]
    return " ".join(tags)


def _diff_mapping(edits: _Edits, node: Node, new: dict, slot: _Slot) -> None:
    if node.merges:
        _diff_merged_mapping(edits, node, new, slot)
        return
    flow = node.style == "flow"
    existing = {key.data: index for index, (key, _) in enumerate(node.entries)}
    added = [key for key in new if key not in existing]
    removed = [index for index, (key, _) in enumerate(node.entries) if key.data not in new]
    if flow and not node.entries and not slot.flow:
        raise _Rewrite  # "{}" in a block mapping grows into a block mapping
    if flow and (added or removed):
        edits.put(node.content, node.end, _flow_mapping(edits, node, new, slot))
        return
    if len(removed) == len(node.entries) and not added:
        raise _Rewrite  # the mapping is left empty: written as {}
    local = edits.fresh()
    for index, (key, value) in enumerate(node.entries):
        if key.data in new:
            _diff(local, value, new[key.data], _Slot(node, key, flow, key.data))
        else:
            _forget_anchors(edits, value)
            _remove_block_entry(local, node, index)
    if added:
        _insert_block_keys(local, node, new, added, slot)
    if _overlapping(local.changes):
        raise _Rewrite
    edits.changes.extend(local.changes)


def _overlapping(changes: list) -> bool:
    ordered = sorted(changes)
    return any(a[1] > b[0] for a, b in zip(ordered, ordered[1:], strict=False))


def _remove_block_entry(edits: _Edits, node: Node, index: int) -> None:
    text = edits.source.text
    key, value = node.entries[index]
    entry = _entry_start(text, key)
    own_start, own_end, first = _own_lines(text, entry, value.end)
    if first:
        end = _trailing_blank(text, own_start, own_end)
        for start, stop in _without_switched_off(text, own_start, end, key, value):
            edits.put(start, stop, "")
        return
    # The first key after a dash ("- name: a"): the next key moves up onto the dash's line.
    if index + 1 >= len(node.entries):
        raise _Rewrite
    following = _entry_start(text, node.entries[index + 1][0])
    edits.put(entry, _first_note(edits.source.text, value.end, following), "")


def _without_switched_off(text: str, start: int, end: int, key: Node, value: Node) -> list:
    """The (start, end) parts of a removed entry's lines (``start`` to ``end``) to take away:
    all but the stretches of comment lines under its key that no item or key of its block
    collection ``value`` owns and that hold an entry the author switched off (``# - name:
    DB_TYPE``); those stay where they are."""
    if value.kind not in (MAPPING, SEQUENCE) or value.style != "block" or not value.entries:
        return [(start, end)]
    owned = []
    for entry in value.entries:
        if value.kind == SEQUENCE:
            dash = text.rfind("-", 0, entry.start)
            owned.append(_own_lines(text, dash, entry.end)[:2])
        else:
            inner_key, inner_value = entry
            start_of = _entry_start(text, inner_key)
            owned.append(_own_lines(text, start_of, inner_value.end)[:2])
    inside = _line_end(text, key.start)  # the lines under the key's own
    runs: list[list[int]] = []  # stretches of comment lines no entry owns
    for position in _line_starts(text, inside, end):
        line = text[position : _line_end(text, position)]
        if not _is_comment(line) or any(low <= position < high for low, high in owned):
            continue
        if runs and _line_end(text, runs[-1][-1]) == position:
            runs[-1].append(position)
        else:
            runs.append([position])
    kept = {
        position
        for run in runs
        if any(_SWITCHED_OFF.match(_comment_text(text, line)) for line in run)
        for position in run
    }
    parts: list[tuple[int, int]] = []
    for position in _line_starts(text, start, end):
        if position in kept:
            continue
        if parts and parts[-1][1] == position:
            parts[-1] = (parts[-1][0], _line_end(text, position))
        else:
            parts.append((position, _line_end(text, position)))
    return parts


def _first_note(text: str, end: int, following: int) -> int:
    """Where a removed first key of an item (ending at ``end``) stops taking text: at the next
    key (``following``), or at the first comment line between them, which then follows the
    dash (``- # set by the sidecar``) rather than going with the key."""
    for position in _line_starts(text, _line_end(text, max(end - 1, 0)), following):
        line = text[position : _line_end(text, position)]
        if _is_comment(line):
            return position + len(line) - len(line.lstrip(" \t"))
    return following


def _line_starts(text: str, start: int, end: int) -> list[int]:
    """The starts of the lines from ``start`` (a line start) up to ``end``."""
    starts = []
    while start < end:
        starts.append(start)
        start = _line_end(text, start)
    return starts


def _trailing_blank(text: str, own_start: int, own_end: int) -> int:
    """Takes one blank line after an entry with it when a blank line also stands before it."""
    before = _line_start(text, own_start - 1) if own_start > 0 else 0
    if own_start > 0 and not text[before:own_start].strip():
        after = _line_end(text, own_end)
        if own_end < len(text) and not text[own_end:after].strip():
            return after
    return own_end


def _insert_block_keys(edits: _Edits, node: Node, new: dict, added: list, slot: _Slot) -> None:
    text = edits.source.text
    style = edits.style
    if any(value.style == "flow" and value.entries for _, value in node.entries):
        # a sibling written in flow style: small new collections are written so too
        style = yamlwrite.Style(
            style.map_indent, style.seq_indent, style.flow_keys | set(added), style.item_indent
        )
    keys_in_file = [key.data for key, _ in node.entries]
    column = _entry_column(text, node.entries[0][0])
    order = yamldump.ordered_keys(dict.fromkeys(keys_in_file + added), slot.parent_key)
    rank = {key: position for position, key in enumerate(order)}
    before: dict[int, list[str]] = {}  # entry index -> new keys that go before it
    for key in sorted(added, key=rank.__getitem__):
        later = [i for i, name in enumerate(keys_in_file) if rank[name] > rank[key]]
        before.setdefault(later[0] if later else len(keys_in_file), []).append(key)
    for index, keys in before.items():
        chunk = "\n".join(_entry_text(edits, key, new[key], column, style, node)[0] for key in keys)
        if index == len(keys_in_file):
            _, value = node.entries[-1]
            last_key = node.entries[-1][0]
            _, own_end, _ = _own_lines(text, _entry_start(text, last_key), value.end)
            edits.put(*_span(_insert_text(text, own_end, chunk, edits.source.newline)))
            continue
        key_node, value = node.entries[index]
        entry = _entry_start(text, key_node)
        own_start, _, first = _own_lines(text, entry, value.end)
        if first:
            edits.put(*_span(_insert_text(text, own_start, chunk, edits.source.newline)))
        else:  # before the first key after a dash: the new key takes the dash's line
            chunk = chunk[column:].replace("\n", edits.source.newline)
            edits.put(entry, entry, chunk + edits.source.newline + " " * column)


def _entry_text(edits: _Edits, key: Any, value: Any, column: int, style, home: Node):
    """A new block mapping entry's lines (joined by "\\n") at ``column``, and whether any of it
    is text the file already has: a value the document writes elsewhere (a change of kind moves
    a Pod's spec into a template or out of one) is that text, comments and all, re-indented.
    ``home`` is the mapping it goes into."""
    moved = _moved_entry(edits, key, value, column, home)
    if moved is not None:
        return moved, True
    head = " " * column + yamlwrite.key_text(key, column=column) + ":"
    # (A key the file's flow siblings would have written in flow style too, unless it holds
    # text the file already has: a Pod's spec wrapped into a template keeps its comments.)
    if isinstance(value, dict) and value:
        children = [
            _entry_text(edits, child, value[child], column + style.map_indent, style, home)
            for child in yamldump.ordered_keys(value, key)
        ]
        if any(reused for _, reused in children):
            return head + "\n" + "\n".join(text for text, _ in children), True
    return head + yamlwrite.after_key(value, key, column, style), False


def _moved_entry(edits: _Edits, key: Any, value: Any, column: int, home: Node) -> str | None:
    """The lines of the block entry ``key`` whose value the document writes where the edit
    takes it away, or is the mapping ``home`` it goes into (a Pod's spec wrapped in a template),
    re-indented to ``column``; the comment lines above it too when it left its place."""
    if edits.source.has_aliases or value == {} or value == []:
        return None  # (an anchor copied would be written twice)
    text = edits.source.text
    for path, old_key, old_value in _block_entries(edits.root):
        if old_key.data != key or not same(old_value.data, value):
            continue
        start = _entry_start(text, old_key)
        stays = _holds_path(edits.data, path)
        own_start, own_end, first = _own_lines(text, start, old_value.end, moving=not stays)
        if not first or (stays and old_value is not home):
            continue
        if stays:
            own_start = _line_start(text, start)  # its comments stay where it still is
        elif not _holds_path(edits.data, path[:-1]):
            own_end = _closing_comments(text, own_end, start - _line_start(text, start))
        shift = column - (start - _line_start(text, start))
        lines = text[own_start:own_end].replace("\r\n", "\n").rstrip("\n").split("\n")
        return "\n".join(_shifted(line, shift) for line in lines)
    return None


def _closing_comments(text: str, end: int, column: int) -> int:
    """Past the comment lines (and blank lines among them) at ``column`` or deeper that follow
    ``end`` and close a mapping: the last entry of a mapping that goes takes them along."""
    position = last = end
    while position < len(text):
        line = text[position : _line_end(text, position)].rstrip("\r\n")
        if line.strip(" \t") and not (_is_comment(line) and _indent_of(line) >= column):
            return last if _indent_of(line) < column else end
        position = _line_end(text, position)
        if line.strip(" \t"):
            last = position
    return last


def _shifted(line: str, shift: int) -> str:
    if not line.strip():
        return ""
    if shift >= 0:
        return " " * shift + line
    return line[min(-shift, _indent_of(line)) :]


def _block_entries(root: Node | None) -> list:
    """(path, key node, value node) of every entry of the document's block mappings whose value
    is a scalar or a block mapping or list."""
    found = []
    stack = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if node.kind == MAPPING:
            for key, value in node.entries:
                block = value.kind == SCALAR or (value.style == "block" and value.entries)
                if node.style == "block" and block:
                    found.append((path + (key.data,), key, value))
                stack.append((path + (key.data,), value))
        elif node.kind == SEQUENCE:
            stack.extend((path + (index,), item) for index, item in enumerate(node.entries))
    return found


def _holds_path(data: Any, path: tuple) -> bool:
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return False
        data = data[part]
    return True


def _span(inserted: tuple[int, str]) -> tuple[int, int, str]:
    position, chunk = inserted
    return position, position, chunk


def _diff_merged_mapping(edits: _Edits, node: Node, new: dict, slot: _Slot) -> None:
    """A mapping with ``<<`` merge keys: edits the keys whose value an entry of its own gives
    and adds new keys; a merged value that changes or goes means a rewrite, since an entry of
    the same key beside the merge would be a key set twice, which the API server refuses."""
    if node.style == "flow":
        raise _Rewrite
    # Where each key's value comes from, once earlier edits (to the anchors merged) are made:
    # ("entry", index) or ("merge", value); a file that reads has each key from one place.
    origin: dict[str, tuple[str, Any]] = {}
    for index, (key, value) in enumerate(node.entries):
        if index in node.merges:
            merged = (
                edits.anchors.get(value.anchor, value.data) if value.kind == ALIAS else value.data
            )
            for source in reversed(merged if isinstance(merged, list) else [merged]):
                if not isinstance(source, dict):
                    raise _Rewrite
                for name, item in source.items():
                    origin[name] = ("merge", item)
        else:
            origin[key.data] = ("entry", index)
    if any(
        how == "merge" and (name not in new or not same(where, new[name]))
        for name, (how, where) in origin.items()
    ):
        raise _Rewrite
    local = edits.fresh()
    for index, (key, value) in enumerate(node.entries):
        if index in node.merges:
            continue
        how, where = origin[key.data]
        if how == "entry" and where == index:
            if key.data in new:
                _diff(local, value, new[key.data], _Slot(node, key, False, key.data))
            else:
                _forget_anchors(edits, value)
                _remove_block_entry(local, node, index)
    added = [name for name in new if name not in origin]
    if added:
        text = edits.source.text
        column = _entry_column(text, node.entries[0][0])
        lines = [
            " " * column
            + yamlwrite.key_text(key, column=column)
            + ":"
            + yamlwrite.after_key(new[key], key, column, edits.style)
            for key in added
        ]
        last_key, last_value = node.entries[-1]
        _, own_end, _ = _own_lines(text, _entry_start(text, last_key), last_value.end)
        local.put(*_span(_insert_text(text, own_end, "\n".join(lines), edits.source.newline)))
    if _overlapping(local.changes):
        raise _Rewrite
    edits.changes.extend(local.changes)


def _flow_mapping(edits: _Edits, node: Node, new: dict, slot: _Slot) -> str:
    """A flow mapping with keys added or removed: kept entries keep their own text, new ones
    go where canonical order puts them (``_flow_rebuilt``)."""
    if not node.entries:
        entries = (_new_flow_entry(edits, key, new[key]) for key in new)
        return "{" + ", ".join(_on_one_line(entry) for entry in entries) + "}"
    plan: list[tuple[int | None, str]] = []
    kept_keys = []
    for index, (key, value) in enumerate(node.entries):
        if key.data in new:
            entry = _edited_slice(edits, key.start, value, new[key.data], node, key)
            plan.append((index, entry))
            kept_keys.append(key.data)
        else:
            _forget_anchors(edits, value)
    existing = {key.data for key, _ in node.entries}
    added = [key for key in new if key not in existing]
    order = yamldump.ordered_keys(dict.fromkeys(kept_keys + added), slot.parent_key)
    rank = {key: position for position, key in enumerate(order)}
    keys = list(kept_keys)
    for key in sorted(added, key=rank.__getitem__):
        later = [i for i, name in enumerate(keys) if rank[name] > rank[key]]
        at = later[0] if later else len(keys)
        keys.insert(at, key)
        values = [value for _, value in node.entries]
        plan.insert(at, (None, _new_flow_entry(edits, key, new[key], values)))
    spans = [(key.start, value.end) for key, value in node.entries]
    return _flow_rebuilt(edits.source.text, node, "{", "}", spans, plan)


def _flow_rebuilt(text: str, node: Node, opener: str, closer: str, spans: list, plan: list) -> str:
    """A flow collection's text after entries were added or removed. ``spans``: where each old
    entry's text is; ``plan``: the new entries in order, as (old index or None, text).

    What lies between entries stays as written: commas, a comment after an entry, comment
    lines, line breaks, a trailing comma. A new entry goes right after the one before it, laid
    out as its neighbours are; a removed entry takes its comma and same-line comment with it,
    and the comment lines before the next entry stay.
    """
    close = node.end - 1
    head = text[node.content + 1 : spans[0][0]]  # what leads to the first entry
    gaps = [text[end : spans[i + 1][0]] for i, (_, end) in enumerate(spans[:-1])]
    gaps.append(text[spans[-1][1] : close])
    kept = {old: entry for old, entry in plan if old is not None}
    items: list[_FlowItem] = []
    for index, gap in enumerate(gaps):
        _, same_line, rest = _split_gap(gap)
        if index in kept:
            items.append(_FlowItem(kept[index], same_line, rest))
        elif items:
            items[-1].rest = rest
        elif "\n" in rest and index < len(gaps) - 1:  # (the last leads to the closer)
            head = rest
    tail_comma, _, tail_rest = _split_gap(gaps[-1])
    layout = [head, *gaps]
    multiline = any("\n" in gap for gap in layout)
    indent = (
        next(g[_line_break_at(g, g.rindex("\n")) :] for g in layout if "\n" in g)
        if multiline
        else " "
    )
    for position, (old, entry) in enumerate(plan):
        if old is None:
            if isinstance(entry, _Laid):
                over_lines = multiline and _nested_over_lines(text, node)
                entry = entry.text(indent if over_lines else "", _step(indent, tail_rest))
            fresh = _FlowItem(entry, "", indent)
            if position > 0:  # right after the entry before it; what led on stays there
                fresh.rest, items[position - 1].rest = items[position - 1].rest, indent
            items.insert(position, fresh)
    if not items:
        return opener + closer
    items[-1].rest = tail_rest
    if "#" in items[-1].same_line and "\n" not in tail_rest:
        # The closer after a comment's line, as deep as the entries' lines (a flow collection's
        # lines must be deeper than its key's; at column 0 a strict YAML reader refuses them).
        items[-1].rest = (indent if multiline else "\n") + tail_rest.lstrip(" \t")
    last = len(items) - 1
    body = "".join(
        item.entry + ("," if i < last or tail_comma else "") + item.same_line + item.rest
        for i, item in enumerate(items)
    )
    return opener + head + body + closer


@dataclass(slots=True)
class _FlowItem:
    entry: str  # an entry's text (a mapping's: the key, its value and what lies between)
    same_line: str  # after the entry's comma, up to the line break: spaces, a comment
    rest: str  # from that line break to the next entry (comment lines, the indent)


def _nested_over_lines(text: str, node: Node) -> bool:
    """Whether a new mapping or list in this collection (whose entries are on lines of their
    own) goes over lines too: as the mappings and lists already in it are, or over lines if
    it holds none."""
    values = [value for _, value in node.entries] if node.kind == MAPPING else node.entries
    nested = [v for v in values if v.kind in (MAPPING, SEQUENCE) and v.entries]
    return not nested or any("\n" in text[v.start : v.end] for v in nested)


def _step(indent: str, closer: str) -> str:
    """How much deeper a collection's entries are than its closing bracket (two spaces when
    the closer shares a line with an entry)."""
    entries = indent.lstrip("\r\n")
    if "\n" not in closer:
        return "  "
    close = closer[closer.rindex("\n") + 1 :]
    return entries[len(close) :] if entries.startswith(close) and entries != close else "  "


def _split_gap(gap: str) -> tuple[bool, str, str]:
    """The text after a flow entry: whether a comma follows it, what follows the comma on its
    line (spaces, a comment), and the rest (from the line break on; without one, the spaces
    before the next entry)."""
    stripped = gap.lstrip(" \t")
    comma = stripped.startswith(",")
    after = stripped[1:] if comma else gap
    if "\n" in after:
        line_break = _line_break_at(after, after.index("\n"))
        return comma, after[:line_break], after[line_break:]
    return comma, "", after


def _line_break_at(text: str, newline: int) -> int:
    """Where the line break whose ``\\n`` is at ``newline`` starts: at its ``\\r`` in a CRLF
    file, so that a new line copied from it keeps the file's line ends."""
    return newline - 1 if newline and text[newline - 1] == "\r" else newline


def _new_flow_entry(edits: _Edits, key: Any, value: Any, siblings: list = ()) -> "str | _Laid":
    json = edits.style.json
    head = f"{yamlwrite.flow_key(key, json=json)}: "
    if json and isinstance(value, dict | list) and value:
        return _Laid(value, key, head)
    return head + _flow_value(edits, value, key, siblings)


def _flow_value(edits: _Edits, value: Any, key: Any, siblings) -> "str | _Laid":
    """A new value in a flow collection: its strings quoted as the sibling strings all are."""
    if edits.style.json and isinstance(value, dict | list) and value:
        return _Laid(value, key)
    styles = {node.style for node in siblings if node.kind == SCALAR and isinstance(node.data, str)}
    quote = styles.pop() if len(styles) == 1 and styles <= {"'", '"'} else ""
    return yamlwrite.flow(value, key, json=edits.style.json, quote=quote)


def _on_one_line(entry: "str | _Laid") -> str:
    return entry.text("", "") if isinstance(entry, _Laid) else entry


@dataclass(slots=True)
class _Laid:
    """A new mapping or list entry of a JSON file, written once ``_flow_rebuilt`` knows how the
    collection lays out its entries: over lines as they are, or on one line."""

    value: Any
    parent_key: Any
    head: str = ""  # a mapping entry's key and colon

    def text(self, indent: str, step: str) -> str:
        """``indent``: the line break and indent before each entry ("" on one line)."""
        if not indent.strip(" \t"):
            return self.head + yamlwrite.flow(self.value, self.parent_key, json=True)
        line_break = indent[: len(indent) - len(indent.lstrip("\r\n"))]
        written = yamlwrite.json_lines(self.value, self.parent_key, indent.lstrip("\r\n"), step)
        return self.head + written.replace("\n", line_break)


def _edited_slice(edits: _Edits, start: int, value: Node, new: Any, parent: Node, key) -> str:
    """The text from ``start`` to the end of ``value``, with ``value`` compared to ``new``."""
    local = edits.fresh()
    _diff(local, value, new, _Slot(parent, key, True, key.data if key else None))
    return _apply(edits.source.text[start : value.end], local.changes, offset=start)


def _align(old: list, new: list) -> list[tuple[int | None, int | None]]:
    """Pairs of (old index, new index); None on one side for an item removed or added."""
    start = 0
    while start < len(old) and start < len(new) and same(old[start], new[start]):
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and same(old[end_old - 1], new[end_new - 1]):
        end_old -= 1
        end_new -= 1
    pairs = [(i, i) for i in range(start)]
    middle_old, middle_new = old[start:end_old], new[start:end_new]
    if len(middle_old) == len(middle_new):
        pairs += [(start + i, start + i) for i in range(len(middle_old))]
    else:
        ids_old = [_identity(item) for item in middle_old]
        ids_new = [_identity(item) for item in middle_new]
        matcher = difflib.SequenceMatcher(None, ids_old, ids_new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
            pairs += [(start + i1 + k, start + j1 + k) for k in range(paired)]
            pairs += [(start + i, None) for i in range(i1 + paired, i2)]
            pairs += [(None, start + j) for j in range(j1 + paired, j2)]
    shift = end_new - end_old
    pairs += [(i, i + shift) for i in range(end_old, len(old))]
    return pairs


def _identity(item: Any) -> Any:
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return ("name", item["name"])
    if isinstance(item, dict | list):
        return repr(item)
    return (type(item).__name__, item)


def _diff_sequence(edits: _Edits, node: Node, new: list, slot: _Slot) -> None:
    text = edits.source.text
    pairs = _align(node.data, new)
    flow = node.style == "flow"
    if flow and not node.entries and not slot.flow:
        raise _Rewrite  # "[]" in a block mapping grows into a block sequence
    if flow:
        if all(old is not None and fresh is not None for old, fresh in pairs):
            for old, fresh in pairs:
                _diff(
                    edits, node.entries[old], new[fresh], _Slot(node, None, True, slot.parent_key)
                )
            return
        if not node.entries:
            items = [yamlwrite.flow(item, slot.parent_key, json=edits.style.json) for item in new]
            edits.put(node.content, node.end, "[" + ", ".join(items) + "]")
            return
        plan: list[tuple[int | None, str]] = []
        for old, fresh in pairs:
            if fresh is None:
                continue
            if old is None:
                entry = _flow_value(edits, new[fresh], slot.parent_key, node.entries)
                plan.append((None, entry))
            else:
                item = node.entries[old]
                plan.append((old, _edited_slice(edits, item.start, item, new[fresh], node, None)))
        spans = [(item.start, item.end) for item in node.entries]
        edits.put(node.content, node.end, _flow_rebuilt(text, node, "[", "]", spans, plan))
        return
    if not new:
        raise _Rewrite
    matched = _moved_pairs(node.data, new, pairs)
    if matched is not None:
        crossed = _crossed(matched)
        if crossed and not _ties_inside(edits, node):
            _move_items(edits, node, new, matched, slot)
            return
        if not crossed:  # an item removed and a later one renamed, or one added after
            pairs = _in_order(matched)
    local = edits.fresh()
    dash_column = _column(text, node.content)
    pending: list[int] = []  # new items waiting for the next kept old item
    for old, fresh in pairs:
        if old is None:
            pending.append(fresh)
            continue
        item = node.entries[old]
        dash = text.rfind("-", 0, item.start)
        if pending:
            _insert_items(local, item, new, pending, slot, dash_column, before=True)
            pending = []
        if fresh is None:
            _forget_anchors(edits, item)
            own_start, own_end, first = _own_lines(text, dash, item.end)
            if not first:
                raise _Rewrite
            local.put(own_start, _trailing_blank(text, own_start, own_end), "")
        else:
            _diff(local, item, new[fresh], _Slot(node, None, False, slot.parent_key))
    if pending:
        _insert_items(local, node.entries[-1], new, pending, slot, dash_column)
    if _overlapping(local.changes):
        raise _Rewrite
    edits.changes.extend(local.changes)


def _moved_pairs(old: list, new: list, pairs: list) -> list | None:
    """Pairs of the same items, wherever they stood (the builder's Move, or an item removed
    before one renamed): each new item paired with the old item of the same identity
    (``name``, else the same value); ``None`` when ``pairs`` pairs every item with itself.
    Items matched by position in ``pairs`` that are the same item stay so; an item left without
    its own is paired as ``pairs`` pairs it, or added or removed."""
    ids_old = [_identity(item) for item in old]
    ids_new = [_identity(item) for item in new]
    fixed = [
        (i, j) for i, j in pairs if i is not None and j is not None and ids_old[i] == ids_new[j]
    ]
    if len(fixed) == min(len(old), len(new)):
        return None
    taken_old = {i for i, _ in fixed}
    taken_new = {j for _, j in fixed}
    waiting: dict[Any, list[int]] = {}  # identity -> old indexes not yet paired, in order
    for i, identity in enumerate(ids_old):
        if i not in taken_old:
            waiting.setdefault(identity, []).append(i)
    result = list(fixed)
    for j, identity in enumerate(ids_new):
        if j in taken_new or not waiting.get(identity):
            continue
        i = waiting[identity].pop(0)
        result.append((i, j))
        taken_old.add(i)
        taken_new.add(j)
    for j, item in enumerate(new):  # a renamed item (all else the same) is still itself
        if j in taken_new:
            continue
        for i in range(len(old)):
            if i not in taken_old and _same_but_name(old[i], item):
                result.append((i, j))
                taken_old.add(i)
                taken_new.add(j)
                break
    for i, j in pairs:  # the rest as ``_align`` paired it, where both sides are still free
        if (i is None or i not in taken_old) and (j is None or j not in taken_new):
            result.append((i, j))
            taken_old.add(i)
            taken_new.add(j)
    result += [(i, None) for i in range(len(old)) if i not in taken_old]
    result += [(None, j) for j in range(len(new)) if j not in taken_new]
    return result


def _crossed(pairs: list) -> bool:
    """Whether two kept items changed places."""
    kept = sorted((j, i) for i, j in pairs if i is not None and j is not None)
    return any(a[1] > b[1] for a, b in zip(kept, kept[1:], strict=False))


def _in_order(pairs: list) -> list:
    """Pairs none of which crossed, in the order of both lists (as ``_align`` gives them): an
    old item that goes before the next kept one, a new item before it too."""
    kept = sorted((i, j) for i, j in pairs if i is not None and j is not None)
    removed = sorted(i for i, j in pairs if j is None and i is not None)
    added = sorted(j for i, j in pairs if i is None and j is not None)
    ordered: list = []
    for i, j in [*kept, (None, None)]:
        while removed and (i is None or removed[0] < i):
            ordered.append((removed.pop(0), None))
        while added and (j is None or added[0] < j):
            ordered.append((None, added.pop(0)))
        if i is not None:
            ordered.append((i, j))
    return ordered


def _same_but_name(old: Any, new: Any) -> bool:
    """Two mappings equal in everything but their ``name`` (one renamed, or its name cleared)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    return same(
        {key: value for key, value in old.items() if key != "name"},
        {key: value for key, value in new.items() if key != "name"},
    )


def _ties_inside(edits: _Edits, node: Node) -> bool:
    """Whether an anchor or alias stands inside the list's items (moving text could put an
    alias before its anchor)."""
    if not edits.source.has_aliases:
        return False
    return any(
        current.anchor or current.kind == ALIAS for item in node.entries for current in walk(item)
    )


def _move_items(edits: _Edits, node: Node, new: list, pairs: list, slot: _Slot) -> None:
    """A block sequence whose items changed places: each kept item's text (its comment lines
    above it, its lines, the deeper comments after it) goes to its new place, with its own
    edits; new items are written at theirs, removed ones go. What stood between items (blank
    lines) stays where it was."""
    text = edits.source.text
    newline = edits.source.newline
    blocks = []
    for item in node.entries:
        own_start, own_end, first = _own_lines(text, text.rfind("-", 0, item.start), item.end)
        if not first:
            raise _Rewrite  # an item sharing a line with what comes before it ("- - a")
        blocks.append((own_start, own_end))
    if any(a[1] > b[0] for a, b in zip(blocks, blocks[1:], strict=False)):
        raise _Rewrite
    dash_column = _column(text, node.content)
    source_of = {j: i for i, j in pairs if j is not None}
    pieces = []
    for j, value in enumerate(new):
        i = source_of.get(j)
        if i is None:
            item = yamlwrite.item_text(value, slot.parent_key, dash_column, edits.style)
            pieces.append((" " * dash_column + "- " + item).replace("\n", newline) + newline)
            continue
        start, end = blocks[i]
        local = edits.fresh()
        _diff(local, node.entries[i], value, _Slot(node, None, False, slot.parent_key))
        if _overlapping(local.changes) or any(
            change[0] < start or change[1] > end for change in local.changes
        ):
            raise _Rewrite
        piece = _apply(text[start:end], local.changes, offset=start)
        pieces.append(piece if piece.endswith("\n") else piece + newline)
    for i, j in pairs:
        if j is None:
            _forget_anchors(edits, node.entries[i])
    gaps = [text[a[1] : b[0]] for a, b in zip(blocks, blocks[1:], strict=False)]
    written = pieces[0] + "".join(
        (gaps[k - 1] if k - 1 < len(gaps) else "") + piece
        for k, piece in enumerate(pieces[1:], start=1)
    )
    region_start, region_end = blocks[0][0], blocks[-1][1]
    if not text[region_start:region_end].endswith("\n"):
        written = written.removesuffix(newline)  # the file ended without a line break
    edits.put(region_start, region_end, written)


def _insert_items(edits, item: Node, new, indexes, slot, dash_column, *, before=False) -> None:
    """New items as whole lines before ``item`` (with its leading comments) or after it."""
    text = edits.source.text
    lines = [
        " " * dash_column
        + "- "
        + yamlwrite.item_text(new[index], slot.parent_key, dash_column, edits.style)
        for index in indexes
    ]
    dash = text.rfind("-", 0, item.start)
    own_start, own_end, first = _own_lines(text, dash, item.end)
    if not first:
        raise _Rewrite
    position = own_start if before else own_end
    edits.put(*_span(_insert_text(text, position, "\n".join(lines), edits.source.newline)))


def _replace(edits: _Edits, node: Node, new: Any, slot: _Slot) -> None:
    """Writes ``new`` anew where ``node`` stands."""
    text = edits.source.text
    style = edits.style
    _forget_anchors(edits, node)
    end = node.end
    if node.kind in (MAPPING, SEQUENCE) and node.style == "block" and text[end - 1] != "\n":
        end = _line_end(text, end)  # the comments on its last line go with it
        end -= 2 if text[end - 2 : end] == "\r\n" else 1 if text[end - 1 : end] == "\n" else 0
    if slot.flow:
        edits.put(node.start, node.end, yamlwrite.flow(new, slot.parent_key, json=style.json))
        return
    if slot.key is not None:
        key = slot.key
        column = _column(text, key.start)
        colon = _colon_after(text, key)
        after = yamlwrite.after_key(new, key.data, column, style)
        below = _line_start(text, node.start)
        if below > colon and "#" in text[colon:below]:
            # ``key:  # note`` with the value on a line below: the comment stays on the key's
            # line (and comment lines between them stay above a value of several lines)
            gap = text[colon:below].replace("\r\n", "\n").rstrip("\n")
            if after.startswith("\n"):
                after = gap + after
            elif "\n" in gap:  # a one-line value stays below the comment lines
                after = gap + "\n" + " " * _column(text, node.start) + after.lstrip(" ")
            else:
                after = _before_comment(after, gap)
            edits.put(colon, end, after.replace("\n", edits.source.newline))
            return
        if _is_empty(node) or _comment_after(text, node, after):
            # "key:" alone, or a value written over several lines now: a comment on the line
            # stays on it, after the key (not on the new value's last line, inside a block)
            line_end = _break_at(text, node.end)
            after = _before_comment(after, text[node.end : line_end])
            end = line_end
        edits.put(colon, end, after.replace("\n", edits.source.newline))
        return
    if slot.parent is not None:  # an item of a block sequence
        dash = text.rfind("-", 0, node.start)
        column = _column(text, dash)
        item = " " + yamlwrite.item_text(new, slot.parent_key, column, style)
        if _is_empty(node) or _comment_after(text, node, item):  # (as a key's value above)
            line_end = _break_at(text, node.end)
            item = _before_comment(item, text[node.end : line_end])
            end = line_end
        edits.put(dash + 1, max(end, dash + 1), item.replace("\n", edits.source.newline))
        return
    column = _column(text, node.start)
    written = yamlwrite.block(new, None, column, style)
    edits.put(node.start, end, written.replace("\n", edits.source.newline))


def _comment_after(text: str, node: Node, written: str) -> bool:
    """Whether a one-line value is followed by a comment on its line, and its new text takes
    several lines."""
    if "\n" not in written.rstrip("\r\n") or (
        node.kind in (MAPPING, SEQUENCE) and node.style == "block"
    ):
        return False
    return text[node.end : _break_at(text, node.end)].lstrip(" \t").startswith("#")


def _before_comment(written: str, rest: str) -> str:
    """``written`` (after a ``:`` or ``-``) with what followed an empty value on its line (a
    comment, with the spaces before it) at the end of its first line."""
    if not rest.strip(" \t"):
        return written
    first, line_break, others = written.partition("\n")
    return first + rest + line_break + others


def _keep_break(text: str, end: int, chunk: str) -> str:
    """A replaced region that ended with a line break (a "keep" block scalar) keeps it."""
    if end and text[end - 1] == "\n" and not chunk.endswith("\n"):
        return chunk + ("\r\n" if text[end - 2 : end] == "\r\n" else "\n")
    return chunk


_BLOCK_SCALAR_HEAD = compile_lazily(r"[|>][1-9+-]{0,2}\r?\n")


def _apply(text: str, changes: list, offset: int = 0) -> str:
    out = []
    position = 0
    for start, end, _, chunk in sorted(changes):
        out.append(text[position : start - offset])
        if (
            not offset
            and end == len(text)
            and not text.endswith("\n")
            and not chunk.endswith("\n")
            and _BLOCK_SCALAR_HEAD.search(chunk)
        ):
            # A block scalar written at the end of a file without a last line break ends with
            # one: its last line break is its text's, and lost without it.
            chunk += "\r\n" if "\r\n" in chunk else "\n"
        out.append(_keep_break(text, end - offset, chunk) if chunk and end > start else chunk)
        position = end - offset
    out.append(text[position:])
    return "".join(out)


# --- the entry points ----------------------------------------------------------------------------


def rewrite_source(source: Source, document: int, data: Any) -> str:
    """The source's text with its ``document``-th document holding ``data``."""
    doc = source.documents[document]
    style = source.style
    edits = _Edits(source, style, data=data, root=doc.root)
    if doc.root is None:
        return _fill_empty(source, doc.end, data)
    else:
        _diff(edits, doc.root, data, _Slot(None))
    if _overlapping(edits.changes):
        edits.changes = []
        written = yamlwrite.block(data, None, 0, style).replace("\n", source.newline)
        edits.put(doc.root.start, doc.root.end, written)
    return _apply(source.text, edits.changes)


def _fill_empty(source: Source, position: int, data: Any) -> str:
    """An empty document (or a file of comments) given data: written at its end."""
    text = source.text
    if data is None:
        return text
    style = source.style
    written = yamlwrite.block(data, None, 0, style).replace("\n", source.newline)
    if position and text[position - 1] != "\n":
        written = source.newline + written
    return text[:position] + written + source.newline + text[position:]


def rewrite(text: str, document: int, data: Any, *, check: bool = False) -> str:
    """``text`` with its ``document``-th document (from 0) holding ``data``, kept elsewhere.

    Raises ``ManifestError`` if ``text`` is not readable YAML or has no such document.
    """
    return rewrite_kept(text, document, data, check=check)[0]


def rewrite_kept(text: str, document: int, data: Any, *, check: bool = False) -> tuple[str, bool]:
    """``rewrite``, and whether the document kept the author's text: False when the check
    found the place-keeping edits wrong and the document was written anew (its comments gone),
    which a page that says comments stay must then say."""
    if "\r" in text and yamlio.LONE_CR.search(text):
        return _rewrite_lone_cr(text, document, data, check)
    source = cached_source(text)
    if document == 0 and not source.documents:
        return _fill_empty(source, len(text), data), True
    if not 0 <= document < len(source.documents):
        raise ManifestError(
            f"there is no document {document}: the file has {len(source.documents)}"
        )
    try:
        result = rewrite_source(source, document, data)
    except (TypeError, ValueError) as exc:
        raise ManifestError(f"the edited data cannot be written as YAML: {exc}") from None
    # Anchors, aliases and merge keys tie places together: such files are always read again.
    check = check or source.has_aliases or "<<" in text
    if check and len(result) > yamlio.MAX_BYTES and _too_large(result):
        raise ManifestError(f"the edited file would be larger than {yamlio.MAX_BYTES // 1024} KiB")
    if check and not _reads_as(result, source, document, data):
        # A shape the place-keeping edits got wrong: write this document anew, keep the rest.
        doc = source.documents[document]
        style = source.style
        written = yamlwrite.block(data, None, 0, style).replace("\n", source.newline)
        start, end = (doc.root.start, doc.root.end) if doc.root else (doc.end, doc.end)
        result = source.text[:start] + written + source.text[end:]
        if not _reads_as(result, source, document, data):
            raise ManifestError("the edited document cannot be written as YAML")
        return result, False
    return result, True


def _too_large(text: str) -> bool:
    return len(text.encode("utf-8", "surrogatepass")) > yamlio.MAX_BYTES


def _rewrite_lone_cr(text: str, document: int, data: Any, check: bool) -> tuple[str, bool]:
    """A file whose lines end in a lone "\\r" (classic Mac OS), which YAML reads as a line
    break: edited as the same text with "\\n" there (every place and column the same), then
    given its own line ends back. In a file of "\\r" alone, what an edit writes ends its lines
    in "\\r" too; in a file that mixes line ends, everything before the first change and after
    the last keeps its own."""
    as_lf = yamlio.LONE_CR.sub("\n", text)
    result, kept = rewrite_kept(as_lf, document, data, check=check)
    if "\n" not in text:
        return result.replace("\n", "\r"), kept
    start = 0
    limit = min(len(as_lf), len(result))
    while start < limit and as_lf[start] == result[start]:
        start += 1
    end_old, end_new = len(as_lf), len(result)
    while end_old > start and end_new > start and as_lf[end_old - 1] == result[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return text[:start] + result[start:end_new] + text[end_old:], kept


def _reads_as(result: str, source: Source, document: int, data: Any) -> bool:
    try:
        again = read_source(result)
    except ManifestError:
        return False
    return len(again.documents) == len(source.documents) and same(
        again.documents[document].data, data
    )


def text_for(manifest: Any, *, original: str | None = None, document: int = 0) -> str:
    """The YAML to show and export for a design: the author's file with the design's data
    (``rewrite``) when there is one, else the canonical text (``dump_manifest``)."""
    if original is None:
        return yamldump.dump_manifest(manifest)
    return rewrite(original, document, manifest)
