"""Where each value of a YAML file stands in its text.

``read_source`` reads a file of one or more documents with libyaml (the C loader) and keeps, for
every node, its data (exactly as ``yamlio`` reads it: go-yaml v2 scalars, string keys, merge
keys) and its place in the text: the character offsets libyaml reports, the style (plain,
quoted, block scalar; block or flow collection) and anchors. ``textedit`` uses these places to
change a file without touching anything the edit does not change.

Offsets are indexes into the Python string (libyaml counts characters, and counts ``\\r\\n``
as one line break of two characters), so ``text[node.start:node.end]`` is the node's text.
"""

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from podstudio.engine import gotags, jsontext, yamlio
from podstudio.engine.yamlio import MAX_DEPTH, MAX_NODES, ManifestError
from podstudio.engine.yamlwrite import Style

SCALAR, MAPPING, SEQUENCE, ALIAS = "scalar", "mapping", "sequence", "alias"


@dataclass(eq=False, slots=True)
class Node:
    kind: str
    start: int  # where the node's text starts, properties (``&anchor``, ``!tag``) included
    end: int  # just after its last character (block scalars: without trailing blank lines)
    data: Any = None
    content: int = 0  # where the value starts, after its properties
    style: str = ""  # scalars: "" plain, "'", '"', "|", ">"; collections: "flow" or "block"
    anchor: str | None = None
    # mappings: (key node, value node) in file order; sequences: item nodes
    entries: list = field(default_factory=list)
    merges: list = field(default_factory=list)  # mappings: indexes of ``<<`` entries


@dataclass(eq=False, slots=True)
class Document:
    start: int  # the document's first character (its ``---`` if it has one)
    end: int
    root: Node | None
    data: Any
    explicit_start: bool


@dataclass(eq=False, slots=True)
class Source:
    text: str
    documents: list[Document]
    newline: str  # "\r\n" if the file uses it, else "\n"
    style: Style  # the file's indentation, for what an edit writes
    has_aliases: bool = False

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def column(self, index: int) -> int:
        return index - self.line_start(index)


def _content_start(text: str, start: int, event: Any) -> int:
    """Skips ``&anchor`` and ``!tag`` (and the spaces after them) at the start of a node."""
    if not (event.anchor or event.tag):
        return start
    position = start
    length = len(text)
    while position < length and text[position] in "&!":
        while position < length and text[position] not in " \t\r\n":
            position += 1
        while position < length and text[position] in " \t\r\n":
            position += 1
        # a comment may follow the properties: "key: &a  # note"
        if position < length and text[position] == "#":
            while position < length and text[position] != "\n":
                position += 1
            while position < length and text[position] in " \t\r\n":
                position += 1
    return position


def _block_scalar_end(text: str, start: int, end: int) -> int:
    """The end of a block scalar's last non-blank line (libyaml's end includes blank lines)."""
    position = end
    while position > start and text[position - 1] in " \t\r\n":
        position -= 1
    return position


def _parse(text: str) -> list[Document]:
    """One iterative pass over libyaml's events; the same data and limits as ``yamlio``."""
    documents: list[Document] = []
    # each open collection: [node, (pending key node, its event, its identity) or None,
    # keys set twice or by merges (key -> identities set, as yamlio's), start event]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    key_types = yamlio.KeyTypes()
    sizes: list[int] = []
    total = 0
    aliased = 0  # values the aliases added
    doc_start = 0
    explicit = False
    reading = False  # inside a document (between its start and its end)
    root: Node | None = None

    def add(node: Node, event: Any, size: int) -> None:
        nonlocal total, root
        total += size
        if total > MAX_NODES:
            expanded = " once aliases are expanded" if aliased else ""
            raise ManifestError(
                f"{yamlio._where(event)}the document is too large{expanded} "
                f"(more than {MAX_NODES} values)"
            )
        if not stack:
            root = node
            return
        sizes[-1] += size
        top = stack[-1]
        parent: Node = top[0]
        if parent.kind == SEQUENCE:
            node.data = yamlio._value(node.data, event)
            parent.entries.append(node)
            parent.data.append(node.data)
            return
        if top[1] is None:
            if node.kind != SCALAR and not (node.kind == ALIAS and _is_scalar(node.data)):
                raise ManifestError(
                    f"{yamlio._where(event)}a mapping key must be a plain value, not a collection"
                )
            # go-yaml tells keys apart by type: ``1`` and ``'1'`` are two (yamlio._check_key)
            identity = None if type(node.data) is str else yamlio.key_identity(node.data)
            node.data = yamlio._key(node.data, event)
            if identity is not None:
                top[2].setdefault(node.data, {yamlio._STR} if node.data in parent.data else set())
            top[1] = (node, event, identity)
            return
        key_node, key_event, identity = top[1]
        top[1] = None
        key = key_node.data
        origins = top[2]
        parent.entries.append((key_node, node))
        merge = key == "<<" and identity is None and key_node.kind == SCALAR
        if merge and yamlio._is_merge_key(key_event):
            parent.merges.append(len(parent.entries) - 1)
            by_alias = node.kind == ALIAS
            yamlio._merge_into(parent.data, node.data, key_event, origins, by_alias, key_types)
            return
        yamlio._check_key(parent.data, key, origins, key_event, identity or yamlio._STR)
        node.data = yamlio._value(node.data, event)
        parent.data[key] = node.data

    parser = yamlio._Loader(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                start, end = event.start_mark.index, event.end_mark.index
                style = event.style or ""
                if style in ("|", ">") and "+" not in text[start : text.find("\n", start)]:
                    end = _block_scalar_end(text, start, end)  # "keep" owns its blank lines
                node = Node(SCALAR, start, end, yamlio._scalar(event), style=style)
                node.content = _content_start(text, start, event)
                if event.anchor:
                    node.anchor = event.anchor
                    anchors[event.anchor] = (node.data, 1)
                add(node, event, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise ManifestError(
                        f"{yamlio._where(event)}nesting is deeper than {MAX_DEPTH} levels"
                    )
                mapping = kind is yaml.MappingStartEvent
                start = event.start_mark.index
                node = Node(
                    MAPPING if mapping else SEQUENCE,
                    start,
                    start,
                    {} if mapping else [],
                    style="flow" if event.flow_style else "block",
                    anchor=event.anchor,
                )
                node.content = _content_start(text, start, event)
                if event.anchor:
                    open_anchors.add(event.anchor)
                stack.append([node, None, {}, event])
                sizes.append(0)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                node, _, origins, start_event = stack.pop()
                if origins and node.kind == MAPPING:
                    key_types.remember(node.data, origins)
                size = sizes.pop()
                if node.style == "flow":
                    node.end = event.end_mark.index
                else:
                    last = node.entries[-1] if node.entries else None
                    last_node = last[1] if isinstance(last, tuple) else last
                    node.end = last_node.end if last_node is not None else node.content
                    if node.entries:
                        first = node.entries[0]
                        node.content = (first[0] if isinstance(first, tuple) else first).start
                        if node.kind == SEQUENCE:
                            node.content = text.rfind("-", 0, node.content)
                if node.anchor:
                    open_anchors.discard(node.anchor)
                    anchors[node.anchor] = (node.data, size + 1)
                total -= size
                add(node, start_event, size + 1)
            elif kind is yaml.AliasEvent:
                name = event.anchor
                if name in open_anchors:
                    raise ManifestError(f"{yamlio._where(event)}the alias *{name} refers to itself")
                if name not in anchors:
                    raise ManifestError(f"{yamlio._where(event)}the alias *{name} is not defined")
                value, size = anchors[name]
                aliased += size
                if aliased > yamlio.MAX_ALIAS_VALUES:  # (as yamlio.AliasBudget)
                    raise ManifestError(
                        f"{yamlio._where(event)}the aliases of this file expand to more than "
                        f"{yamlio.MAX_ALIAS_VALUES} values"
                    )
                if total + size > MAX_NODES:
                    raise ManifestError(
                        f"{yamlio._where(event)}the document is too large once aliases are "
                        f"expanded (more than {MAX_NODES} values)"
                    )
                data = key_types.copied(value)
                node = Node(ALIAS, event.start_mark.index, event.end_mark.index, data)
                node.content, node.anchor = node.start, name
                add(node, event, size)
            elif kind is yaml.DocumentStartEvent:
                doc_start, explicit, root = event.start_mark.index, event.explicit, None
                total = 0  # MAX_NODES is each document's limit, as yamlio's
                reading = True
            elif kind is yaml.DocumentEndEvent:
                reading = False
                end = event.end_mark.index
                if root is not None and root.end > end:
                    end = root.end
                if root is not None and root.kind == SCALAR and root.start == root.end:
                    root = None  # an empty document: libyaml gives it an empty null scalar
                data = root.data if root is not None else None
                documents.append(Document(doc_start, end, root, data, explicit))
            elif kind is yaml.StreamEndEvent or event is None:
                break
    except yaml.MarkedYAMLError as exc:
        done = any(document.root is not None for document in documents)
        if not reading and done and not yamlio._json_prefix(text):
            return documents  # go-yaml never reads past its document (yamlio._read)
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        if (
            exc.problem == "found unknown escape character"
            and mark
            and text.startswith("\\'", mark.index)
        ):
            raise yamlio._QuoteEscape(mark.index, where) from None
        message = f"{where}{exc.problem or exc.context or 'not valid YAML'}"
        raise yamlio.flow_colon(exc, text, message) or ManifestError(message) from None
    except yaml.YAMLError as exc:
        raise ManifestError(yamlio.not_yaml(exc, text)) from None
    return documents


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def walk(node: Node | None):
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        yield current
        if current.kind == MAPPING:
            for key, value in current.entries:
                stack.append(value)
                stack.append(key)
        elif current.kind == SEQUENCE:
            stack.extend(current.entries)


def _style(text: str, documents: list[Document]) -> Style:
    """The file's own indentation: most common key-to-child steps, and keys written in flow."""
    map_steps: dict[int, int] = {}
    seq_steps: dict[int, int] = {}
    item_steps: dict[int, int] = {}
    flow_keys: set[str] = set()
    for document in documents:
        for node in walk(document.root):
            if node.kind == SEQUENCE and node.style == "block":
                for item in node.entries:
                    if item.kind == MAPPING and item.style == "block" and item.entries:
                        dash = text.rfind("-", 0, item.content)
                        between = text[dash + 1 : item.content]
                        if between.strip() == "?":  # "- ? name": entries line up with the "?"
                            between = between[: between.index("?")]
                        step = len(between) + 1
                        if text.rfind("\n", 0, item.content) < dash:
                            item_steps[step] = item_steps.get(step, 0) + 1
                continue
            if node.kind != MAPPING or node.style != "block":
                continue
            for key, value in node.entries:
                if value.kind not in (MAPPING, SEQUENCE):
                    continue
                if value.style == "flow":
                    if value.entries:  # "{}" and "[]" say nothing of the file's style
                        flow_keys.add(key.data)
                    continue
                if not value.entries:
                    continue
                key_column = key.start - (text.rfind("\n", 0, key.start) + 1)
                child = value.content
                if text.rfind("\n", 0, child) < key.start:
                    continue  # the child starts on the key's line
                column = child - (text.rfind("\n", 0, child) + 1)
                steps = map_steps if value.kind == MAPPING else seq_steps
                steps[column - key_column] = steps.get(column - key_column, 0) + 1
    map_indent = max(map_steps, key=map_steps.get) if map_steps else 2
    seq_indent = max(seq_steps, key=seq_steps.get) if seq_steps else 0
    if map_indent <= 0:
        map_indent = 2
    if seq_indent < 0:
        seq_indent = 0
    item_indent = max(item_steps, key=item_steps.get) if item_steps else 2
    style = Style(map_indent, seq_indent, frozenset(flow_keys), max(item_indent, 2))
    style.json = _is_json(documents)
    return style


def _is_json(documents: list[Document]) -> bool:
    """A file written as JSON: flow collections only, every key and string double-quoted."""
    roots = [document.root for document in documents if document.root is not None]
    if not roots:
        return False
    for root in roots:
        for node in walk(root):
            if node.kind in (MAPPING, SEQUENCE) and node.style != "flow":
                return False
            if node.kind == ALIAS or node.anchor:
                return False
            if node.kind == SCALAR and isinstance(node.data, str) and node.style != '"':
                return False
    return True


def _parse_as_go_yaml(text: str) -> list[Document]:
    """``_parse`` of the text as go-yaml reads it, every offset one of ``text``: a ``\\'`` in
    double quotes, which libyaml refuses, is read as ``'`` (``yamlio.load_manifest`` does the
    same), so a file the engine reads can be edited in place."""
    parsed, removed, reread, colons, stand_ins = text, [], 0, False, None
    if yamlio._json_prefix(text):  # (every offset stays)
        try:
            parsed, stand_ins = jsontext.for_yaml_reader(text, join_pairs=False)
        except jsontext.NotReadByKubectl as exc:
            raise ManifestError(str(exc)) from None
    if "\\u" in parsed and yamlio._SURROGATE_PAIR.search(parsed):
        parsed, removed = _joined_surrogates(parsed)
    parsed = gotags.with_go_tags(parsed, yamlio._REREAD_BUDGET)  # (every offset stays)
    while True:
        try:
            documents = _parse(parsed)
            break
        except yamlio.FlowColon as exc:
            reread += exc.index
            if reread > 2 * yamlio.MAX_BYTES or (not colons and yamlio.FLOW_COLON in parsed):
                raise ManifestError(exc.message) from None
            parsed, colons = yamlio.with_flow_colon(parsed, exc.index), True
        except yamlio._QuoteEscape as exc:
            reread += exc.index
            if reread > 2 * yamlio.MAX_BYTES:
                message = f"{exc.where}too many double-quoted strings with \\' in them"
                raise ManifestError(message) from None
            cuts = yamlio.quote_escape_cuts(parsed, exc.index)
            removed = sorted(removed + [_original(cut, removed) for cut in cuts])
            parsed = yamlio.cut_out(parsed, cuts)
    if removed:
        _move_offsets(documents, removed)
    if colons:
        for document in documents:
            document.data = yamlio.restore_flow_colons(document.data)
            for node in walk(document.root):
                node.data = yamlio.restore_flow_colons(node.data)
    if stand_ins:
        for document in documents:
            document.data = jsontext.restored(document.data, stand_ins)
            for node in walk(document.root):
                node.data = jsontext.restored(node.data, stand_ins)
    return documents


def _joined_surrogates(text: str) -> tuple[str, list[int]]:
    """JSON text with each pair of surrogate escapes (``\\ud83d\\ude80``) as the one
    ``\\U0001F680`` escape libyaml reads (``yamlio`` reads the pair as that character), and the
    offsets of the two characters that shortens it by; YAML text as it is."""
    if not yamlio._is_json(text):  # YAML: go-yaml refuses these escapes, as yamlio does
        return text, []
    parts, removed, last = [], [], 0
    for pair in yamlio._SURROGATE_PAIR.finditer(text):
        high, low = int(pair[1], 16), int(pair[2], 16)
        character = 0x10000 + ((high - 0xD800) << 10) + low - 0xDC00
        parts += [text[last : pair.start()], f"\\U{character:08X}"]
        removed += [pair.end() - 2, pair.end() - 1]
        last = pair.end()
    return "".join([*parts, text[last:]]), removed


def _original(index: int, removed: list[int]) -> int:
    """An offset in the text without the characters at ``removed`` (offsets of the original,
    sorted) as an offset of the original."""
    shifted = [position - count for count, position in enumerate(removed)]
    return index + bisect.bisect_right(shifted, index)


def _move_offsets(documents: list[Document], removed: list[int]) -> None:
    """Every node's offsets, found in the text without the cut characters, as the original's."""
    for document in documents:
        document.start = _original(document.start, removed)
        document.end = _original(document.end, removed)
        for node in walk(document.root):
            node.start = _original(node.start, removed)
            node.end = _original(node.end, removed)
            node.content = _original(node.content, removed)


def read_source(text: str) -> Source:
    """Every document of ``text`` with the place of each node, or ``ManifestError``."""
    if "\x00" in text:
        raise ManifestError("the input is binary, not YAML or JSON text")
    if len(text) > yamlio.MAX_BYTES:
        raise ManifestError(f"the input is larger than {yamlio.MAX_BYTES // 1024} KiB")
    # What follows a "..." until the next "---" is never read (blanked, so every place stays).
    read = yamlio._without_unread_text(text) if "..." in text else text
    documents = _parse_as_go_yaml(read)
    style = _style(text, documents)
    newline = "\r\n" if "\r\n" in text else "\n"
    has_aliases = (
        any(node.kind == ALIAS for document in documents for node in walk(document.root))
        if "*" in text
        else False
    )
    return Source(text, documents, newline, style, has_aliases)


# An imported file is edited on every keystroke: read it once per process.
cached_source = lru_cache(maxsize=64)(read_source)
