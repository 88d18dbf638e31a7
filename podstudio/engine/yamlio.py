"""Safe YAML in: manifest text read the way the API server reads it (``yamldump`` writes it out).

Reading gives the data kubectl and the API server get from the same text: scalars and map keys
as go-yaml v2 and sigs.k8s.io/yaml read them (``goyaml``: ``y`` and ``on`` are true, ``1e3``
is 1000, ``0o644`` and ``0644`` are 420, ``1:30`` and dates are strings, ``.inf`` cannot become
JSON). Tags never build objects: a tag on a mapping or list is ignored and an unknown tag on a
scalar leaves its text, as in go-yaml. It refuses anything that could make a small input
expensive: more than 1 MiB, nesting deeper than ``MAX_DEPTH``, aliases that expand past
``MAX_NODES`` nodes (``MAX_ALIAS_VALUES`` in all the documents of a file: ``AliasBudget``),
recursive aliases, and more than one document.

The reader builds the data in one iterative pass over libyaml's events, so neither deep nesting
nor alias bombs reach a recursive composer.

It is over 800 lines: the reader and the refusals it makes between two events (escapes, byte
order marks, keys set twice, merges, aliases) share the event loop's state, and apart they
would be harder to check against go-yaml.
"""

import copy
import json
import re
from functools import lru_cache
from typing import Any

import yaml

from podstudio.engine import gotags, goyaml, jsontext
from podstudio.engine.lineindex import LineIndexer
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.yamlhints import reading_hint

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 50_000
# Values that aliases may add in one file, all its documents together: without text behind
# them, they are what could make a small file of many documents expensive.
MAX_ALIAS_VALUES = 50_000
# libyaml takes time that grows with the square of a document's %TAG directives (a megabyte of
# them took seconds); a real file has none, or one or two.
MAX_TAG_DIRECTIVES = 100
_TAG_DIRECTIVE = compile_lazily(r"^%TAG[ \t]", re.M)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NO_KEY = object()  # a mapping waiting for its next key
# go-yaml tells map keys apart by type and value (``1``, ``'1'`` and ``1.0`` are three keys, which
# sigs.k8s.io/yaml then writes as one JSON key); a key written as a string is ``_STR``.
_STR = (str,)
_MERGED = object()  # marks a key set by a merge (<<), for the message
# A line break of classic Mac OS files, which YAML reads as one as it reads "\n" and "\r\n".
LONE_CR = compile_lazily(r"\r(?!\n)")
ScalarEvent = yaml.ScalarEvent
# Scalars that reach JSON unchanged (``goyaml.json_value`` changes floats and Uint64 only).
_JSON_READY = frozenset({str, int, bool, type(None)})


class ManifestError(ValueError):
    """The input cannot be read as one Pod manifest. The message is one line, for people."""


def _where(event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""


# A plain scalar's value depends on its text alone, and manifests repeat the same short texts
# (``v1``, ``TCP``, ``8080``): resolve each once per process. Long texts are not kept.
_resolve_short_plain = lru_cache(maxsize=4096)(goyaml.resolve_plain)
_SHORT = 64


def _scalar(event: yaml.ScalarEvent) -> Any:
    """A scalar as go-yaml v2 reads it (see ``goyaml``); tags on collections are ignored."""
    tag = event.tag
    if tag is None:
        if not event.implicit[0]:
            return event.value  # quoted or block: always a string
        value = event.value
        return _resolve_short_plain(value) if len(value) <= _SHORT else goyaml.resolve_plain(value)
    try:
        return goyaml.resolve_tagged(tag, event.value)
    except goyaml.GoYamlError as exc:
        raise ManifestError(f"{_where(event)}{exc}") from None


def _value(value: Any, event: Any) -> Any:
    """A value as it reaches the API server in JSON; non-finite numbers cannot get there."""
    try:
        return goyaml.json_value(value)
    except goyaml.GoYamlError as exc:
        text = getattr(event, "value", None) or str(value)
        raise ManifestError(
            f"{_where(event)}{text} is a number JSON cannot hold ({exc}), so kubectl and the "
            "API server refuse the file; quote it to mean the text"
        ) from None


def _key(value: Any, event: Any) -> str:
    """Map keys become strings, as sigs.k8s.io/yaml turns YAML into JSON."""
    if isinstance(value, dict | list):
        raise ManifestError(f"{_where(event)}a mapping key must be a plain value, not a collection")
    try:
        return goyaml.json_key(value)
    except goyaml.GoYamlError as exc:
        raise ManifestError(f"{_where(event)}{exc}") from None


# Re-reading the text once per double-quoted scalar with ``\\'`` in it costs at most this many
# characters read in all.
_REREAD_BUDGET = 2 * MAX_BYTES
_ESCAPE = compile_lazily(r'\\(.)|"', re.S)


class AliasBudget:
    """How many more values aliases may add to the documents of one file."""

    def __init__(self, left: int = MAX_ALIAS_VALUES) -> None:
        self.left = left


def _parse(
    text: str,
    budget: AliasBudget | None = None,
    *,
    json_file: bool | None = None,
    lines: dict | None = None,
    piece_start: int | None = None,
) -> Any:
    """The document of ``text`` as the API server reads it (``_read``), with go-yaml's escapes in
    double quotes rather than libyaml's: ``\\'`` is read as ``'``, and ``\\/`` is refused.
    ``budget``: the file's, when the document is one of several; ``json_file``: whether kubectl
    reads the file as JSON (it starts with "{"), which reads past the first document;
    ``lines``: filled with the line of each key path (``LineIndexer``) when the text was read
    as it is given, left empty when it had to be changed first. ``piece_start``: where in the
    text one of the pieces kubectl cuts a file into starts (right after a ``---`` line, or at
    the file's start): a byte order mark there is go-yaml's start-of-stream mark, which it skips.
    """
    if text and not text.endswith("\n"):
        # kubectl's LineReader ends every line it hands on with a line break, the file's last
        # one too: a block scalar at the end of a file without one still ends in "\n".
        text += "\n"
    given = text
    budget = budget or AliasBudget()
    if "..." in text:
        text = _without_unread_text(text)
    json_file = _json_prefix(text) if json_file is None else json_file
    stand_ins = None
    if json_file:
        try:
            text, stand_ins = jsontext.for_yaml_reader(text)
        except jsontext.NotReadByKubectl as exc:
            raise ManifestError(str(exc)) from None
    elif "\\u" in text and _SURROGATE_PAIR.search(text):
        text = _joined_surrogates(text)
    text = gotags.with_go_tags(text, _REREAD_BUDGET)
    if "%TAG" in text and len(_TAG_DIRECTIVE.findall(text)) > MAX_TAG_DIRECTIVES:
        raise ManifestError(
            f"the document has more than {MAX_TAG_DIRECTIVES} %TAG directives, more than "
            "Pod Studio reads"
        )
    reread, left, colons = 0, budget.left, False
    while True:
        try:
            budget.left = left  # a read again spends what the first read did, not twice
            indexer = LineIndexer(MAX_DEPTH) if lines is not None and text is given else None
            data = _read(text, budget, json_file, indexer)
            if indexer is not None:
                lines.update(indexer.index)
            break
        except ManifestError as exc:
            if stand_ins:  # a long key named as written, not by its stand-in
                raise ManifestError(jsontext.with_keys_shown(str(exc), stand_ins)) from None
            raise
        except _QuoteEscape as exc:
            reread += exc.index  # libyaml read this far before it stopped
            if reread > _REREAD_BUDGET:
                raise ManifestError(
                    f"{exc.where}too many double-quoted strings with \\' in them; write ' "
                    "without the backslash"
                ) from None
            text = _without_quote_escapes(text, exc.index)
        except FlowColon as exc:
            reread += exc.index
            if reread > _REREAD_BUDGET or (not colons and FLOW_COLON in text):
                raise ManifestError(exc.message) from None
            text, colons = with_flow_colon(text, exc.index), True
    if "\\/" in text and not _is_json(text):
        _refuse_slash_escapes(text)
    if BOM in text:
        _refuse_line_start_boms(text, piece_start)
    if stand_ins:
        data = jsontext.restored(data, stand_ins)
    return restore_flow_colons(data) if colons else data


def _json_prefix(text: str) -> bool:
    """kubectl's hasJSONPrefix: the first character after white space is "{"."""
    return text.lstrip(" \t\r\n").startswith("{")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


_LINE_START_BOM = compile_lazily("(?:^|(?<=[\r\n]))\ufeff")


def _refuse_line_start_boms(text: str, piece_start: int | None = None) -> None:
    """libyaml skips a byte order mark at the start of a line between tokens; go-yaml means to,
    but its check looks at the wrong place, so for kubectl and the API server the mark is text
    (``\ufeffapiVersion``, an unknown field). Files joined together bring them (each saved with
    its own mark). One inside a string is text for both, and fine; one where a piece of the
    file starts (``piece_start``) is go-yaml's start-of-stream mark."""
    starts = [m.start() for m in _LINE_START_BOM.finditer(text) if m.start() != piece_start]
    if not starts:
        return
    spans = []
    read_to = len(text)  # go-yaml reads one document: marks after it are never read
    parser = _Loader(text)
    try:
        while (event := parser.get_event()) is not None:
            if type(event) is ScalarEvent:
                spans.append((event.start_mark.index, event.end_mark.index))
            elif type(event) is yaml.DocumentEndEvent and spans:
                read_to = event.end_mark.index
                break
    except yaml.YAMLError:
        pass  # (in text past the document, which the reader has not read either)
    finally:
        parser.dispose()
    for index in starts:
        if index < read_to and not any(start < index < end for start, end in spans):
            line = text.count("\n", 0, index) + 1
            raise ManifestError(
                f"line {line}, column 1: a byte order mark (U+FEFF, invisible) starts this line: "
                "kubectl and the API server read it as part of the text after it (an unknown "
                "field); delete it (files joined together keep each file's own mark)"
            )


_SURROGATE_PAIR = compile_lazily(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _joined_surrogates(text: str) -> str:
    """JSON writes a character past U+FFFF as two escapes (``\\ud83d\\ude80``, as Python's
    json.dumps and jq -a do), which Go's JSON decoder (kubectl's, for a JSON file) reads as
    one character and YAML's scanner refuses: in JSON text, each pair becomes its character."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):  # (nested too deep: the YAML reader refuses it)
        return text  # YAML: go-yaml refuses these escapes too
    return _SURROGATE_PAIR.sub(
        lambda pair: chr(0x10000 + ((int(pair[1], 16) - 0xD800) << 10) + int(pair[2], 16) - 0xDC00),
        text,
    )


_DOCUMENT_END = compile_lazily(r"^\.\.\.(?=[ \t\r\n]|$)", re.M)
_DOCUMENT_START = compile_lazily(r"^---(?=[ \t\r\n]|$)", re.M)


def _without_unread_text(text: str) -> str:
    """The text with what follows a document end (``...``) up to the next ``---`` blanked
    (line breaks kept, so lines and columns stay): kubectl cuts a file at ``---`` only, and
    the API server reads the first document of each piece and nothing after it."""
    end = _DOCUMENT_END.search(text)
    while end is not None:
        line_end = text.find("\n", end.end())
        if line_end < 0:
            return text
        following = _DOCUMENT_START.search(text, line_end + 1)
        stop = following.start() if following else len(text)
        unread = text[line_end + 1 : stop]
        blank = re.sub(r"[^\r\n]", " ", unread)
        text = text[: line_end + 1] + blank + text[stop:]
        end = _DOCUMENT_END.search(text, stop)
    return text


class _QuoteEscape(Exception):
    """libyaml stopped at ``\\'`` in a double-quoted scalar (at ``index``), which go-yaml reads."""

    def __init__(self, index: int, where: str):
        super().__init__(index)
        self.index, self.where = index, where


# go-yaml keeps a ':' followed by ',' ']' or '}' in the plain scalar it ends (``[--bind=::]``
# is "--bind=::"), where libyaml stops with "found unexpected ':'". The text is read again with
# that ':' as this noncharacter, one character for one (every place and line stays), and each
# string read is given its ':' back (``restore_flow_colons``).
FLOW_COLON = "\ufdd0"


class FlowColon(Exception):
    """libyaml stopped at a ':' at ``index`` that go-yaml keeps in a plain scalar."""

    def __init__(self, index: int, message: str):
        super().__init__(index)
        self.index, self.message = index, message


def flow_colon(exc: Any, text: str, message: str) -> FlowColon | None:
    mark = exc.problem_mark
    if (
        exc.problem == "found unexpected ':'"
        and mark
        and text.startswith((":,", ":]", ":}"), mark.index)
    ):
        return FlowColon(mark.index, message)
    return None


def with_flow_colon(text: str, index: int) -> str:
    return text[:index] + FLOW_COLON + text[index + 1 :]


def restore_flow_colons(value: Any) -> Any:
    """``value`` with every stand-in back as ':' (mappings and lists changed in place, so that
    what shares them sees the same)."""
    if isinstance(value, str):
        return value.replace(FLOW_COLON, ":")
    if isinstance(value, dict):
        items = [
            (restore_flow_colons(key), restore_flow_colons(item)) for key, item in value.items()
        ]
        value.clear()
        value.update(items)
    elif isinstance(value, list):
        value[:] = [restore_flow_colons(item) for item in value]
    return value


def _without_quote_escapes(text: str, index: int) -> str:
    """The text with each ``\\'`` of the double-quoted scalar around ``index`` written ``'``
    (go-yaml reads ``\\'`` as ``'``; libyaml refuses it). Line breaks stay where they were."""
    return cut_out(text, quote_escape_cuts(text, index))


def quote_escape_cuts(text: str, index: int) -> list[int]:
    """Where the backslash of each ``\\'`` of the double-quoted scalar around ``index`` is."""
    cuts = []
    for match in _ESCAPE.finditer(text, index):
        if match.group(1) is None:
            break  # the closing quote
        if match.group(1) == "'":
            cuts.append(match.start())
    return cuts


def cut_out(text: str, cuts: list[int]) -> str:
    """``text`` without the characters at ``cuts`` (in order)."""
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start:cut])
        start = cut + 1
    parts.append(text[start:])
    return "".join(parts)


_CONTENT_EVENTS = (ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _refuse_slash_escapes(text: str) -> None:
    """go-yaml has no ``\\/`` escape in double quotes (libyaml and JSON have): the API server
    refuses the text with "found unknown escape character"."""
    parser = _Loader(text)
    seen = False
    try:
        while True:
            event = parser.get_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                return
            if type(event) is yaml.DocumentEndEvent and seen:
                return  # go-yaml reads one document
            seen = seen or type(event) in _CONTENT_EVENTS
            if type(event) is ScalarEvent and event.style == '"' and "/" in event.value:
                written = text[event.start_mark.index : event.end_mark.index]
                if any(match.group(1) == "/" for match in _ESCAPE.finditer(written, 1)):
                    raise ManifestError(
                        f"{_where(event)}found unknown escape character: kubectl and the API "
                        "server do not read \\/ in double quotes (JSON does); write / alone"
                    )
    except yaml.YAMLError:
        return  # (in text past the document, which the reader has not read either)
    finally:
        parser.dispose()


def _read(
    text: str, budget: AliasBudget, json_file: bool = False, lines: LineIndexer | None = None
) -> Any:
    """Builds plain data from libyaml's events without recursion, enforcing every limit;
    ``lines``, when given, sees every event too (the document's line index)."""
    documents: list[Any] = []
    ended = False  # the first document (with a root) has ended
    # Each open collection: [container, anchor, size, pending_key, key_event, start_event,
    # keys_set_twice_or_by_merges (key -> identities set), pending key's identity if not a string]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    key_types = KeyTypes()
    total = 0
    budget_at_start = budget.left

    def add(value: Any, size: int, event: Any) -> None:
        nonlocal total
        total += size
        if total > MAX_NODES:
            expanded = " once aliases are expanded" if budget.left < budget_at_start else ""
            raise ManifestError(
                f"{_where(event)}the document is too large{expanded} (more than {MAX_NODES} values)"
            )
        if not stack:
            documents.append(value)
            return
        top = stack[-1]
        top[2] += size
        container = top[0]
        if isinstance(container, list):
            container.append(_value(value, event))
        elif top[3] is _NO_KEY:
            top[3] = key = _key(value, event)
            top[4] = event
            if type(value) is str:
                top[7] = None
            else:
                # Its value goes through here too, to be checked by its identity.
                top[7] = key_identity(value)
                top[6].setdefault(key, {_STR} if key in container else set())
        else:
            key, key_event, origins, identity = top[3], top[4], top[6], top[7]
            top[3], top[7] = _NO_KEY, None
            if key == "<<" and identity is None and _is_merge_key(key_event):
                aliased = type(event) is yaml.AliasEvent
                _merge_into(container, value, key_event, origins, aliased, key_types)
                return
            _check_key(container, key, origins, key_event, identity or _STR)
            container[key] = _value(value, event)

    parser = _Loader(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if lines is not None:
                lines.see(event, kind)
            if kind is ScalarEvent:
                if not event.style and stack and "?" in event.value and stack[-1][5].flow_style:
                    _refuse_flow_question_mark(event, stack[-1][0])
                if event.tag is None and not event.anchor and stack:
                    # The common case, inline: an untagged scalar in a collection.
                    written = event.value
                    if not event.implicit[0]:
                        value = written  # quoted or block: always a string
                    elif len(written) <= _SHORT:
                        value = _resolve_short_plain(written)
                    else:
                        value = goyaml.resolve_plain(written)
                    top = stack[-1]
                    container, key = top[0], top[3]
                    if type(value) not in _JSON_READY or total >= MAX_NODES:
                        add(value, 1, event)
                        continue
                    if type(container) is list:
                        container.append(value)
                    elif key is _NO_KEY and type(value) is str:
                        top[3], top[4] = value, event
                    elif key is _NO_KEY or key == "<<" or key in container or key in top[6]:
                        add(value, 1, event)  # a key to convert, a merge, a key set twice
                        continue
                    else:
                        top[3] = _NO_KEY
                        container[key] = value
                    total += 1
                    top[2] += 1
                    continue
                value = _scalar(event)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                add(value, 1, event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise ManifestError(f"{_where(event)}nesting is deeper than {MAX_DEPTH} levels")
                container: Any = {} if kind is yaml.MappingStartEvent else []
                if event.anchor:
                    open_anchors.add(event.anchor)
                stack.append([container, event.anchor, 0, _NO_KEY, None, event, {}, None])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, anchor, size, _, _, start, origins, _ = stack.pop()
                if origins and type(container) is dict:
                    key_types.remember(container, origins)
                if anchor:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (container, size + 1)
                # The children were counted as they arrived; count the collection itself.
                total -= size
                add(container, size + 1, start)
            elif kind is yaml.AliasEvent:
                if event.anchor in open_anchors:
                    raise ManifestError(
                        f"{_where(event)}the alias *{event.anchor} refers to itself"
                    )
                if event.anchor not in anchors:
                    raise ManifestError(f"{_where(event)}the alias *{event.anchor} is not defined")
                value, size = anchors[event.anchor]
                if size > budget.left:
                    raise ManifestError(
                        f"{_where(event)}the aliases of this file expand to more than "
                        f"{MAX_ALIAS_VALUES} values"
                    )
                budget.left -= size
                if total + size > MAX_NODES:
                    add(None, size, event)  # raises with the size message
                add(key_types.copied(value), size, event)
            elif kind is yaml.DocumentStartEvent:
                if event.version and event.version != (1, 1):
                    raise ManifestError(
                        f"{_where(event)}found incompatible YAML document: the API server reads "
                        "YAML 1.1 only (%YAML 1.1), so leave the %YAML line out"
                    )
                if documents[-1:] not in ([], [None]):
                    raise ManifestError(
                        f"{_where(event)}found more than one YAML document: give one Pod at a time"
                    )
            elif kind is yaml.DocumentEndEvent:
                ended = documents[-1:] not in ([], [None])
            elif kind is yaml.StreamEndEvent or event is None:
                break
    except yaml.MarkedYAMLError as exc:
        if ended and not json_file:
            # go-yaml reads one document and stops: text after it that libyaml cannot read
            # (a heredoc's EOF under an indented manifest, a %YAML line of a file joined on)
            # is never read by kubectl or the API server, and never refused. (kubectl reads
            # a text that starts with "{" as JSON, which reads on.)
            return documents[-1]
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        if (
            exc.problem == "found unknown escape character"
            and mark
            and text.startswith("\\'", mark.index)
        ):
            raise _QuoteEscape(mark.index, where) from None
        problem = exc.problem or exc.context or "not valid YAML"
        message = f"{where}{problem}{reading_hint(exc, text)}"
        raise flow_colon(exc, text, message) or ManifestError(message) from None
    except yaml.YAMLError as exc:
        raise ManifestError(not_yaml(exc, text)) from None
    present = [doc for doc in documents if doc is not None]
    if len(present) > 1:
        raise ManifestError("found more than one YAML document: give one Pod at a time")
    return present[0] if present else None


def not_yaml(exc: yaml.YAMLError, text: str) -> str:
    """The message of a reading error without a mark: a character YAML does not allow (a
    control character) is placed at its line and column; libyaml counts its place in the
    text's UTF-8 bytes."""
    first = str(exc).splitlines()[0]
    position = getattr(exc, "position", None)
    if not isinstance(exc, yaml.reader.ReaderError) or not isinstance(position, int):
        return f"not valid YAML: {first}"
    before = text.encode("utf-8", "surrogatepass")[:position]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", "replace")) + 1
    line = before.count(b"\n") + 1
    return f"line {line}, column {column}: not valid YAML: {first}"


def _refuse_flow_question_mark(event: Any, container: Any) -> None:
    """go-yaml ends a plain scalar at '?' inside ``[...]`` and ``{...}`` (libyaml 0.2 reads on):
    the API server and kubectl cannot read ``[curl, http://svc/health?verbose=1]``."""
    closer = "]" if isinstance(container, list) else "}"
    raise ManifestError(
        f"{_where(event)}did not find expected ',' or '{closer}': inside [ ] and {{ }} the "
        f"Kubernetes YAML reader ends an unquoted value at '?', so kubectl and the API server "
        f"cannot read {event.value!r}; put it in quotes"
    )


def _is_merge_key(event: Any) -> bool:
    """go-yaml's isMerge: a plain ``<<`` or one tagged ``!!merge``; an alias of a ``<<`` is
    the plain key "<<"."""
    if type(event) is not ScalarEvent:
        return False
    return (event.tag is None and event.implicit[0]) or event.tag == "tag:yaml.org,2002:merge"


def key_identity(value: Any) -> tuple:
    """A key other than a string as go-yaml tells keys apart: by type and value, and a NaN
    (``.nan``) never equal to another, not even to itself."""
    if value != value:
        return (float, object())
    return (type(value), value)


def _check_key(
    container: dict, key: str, origins: dict[str, set], event: Any, identity: tuple
) -> None:
    """A key written in a mapping must not be there yet, written or merged (go-yaml v2's strict
    decoding: "key already set in map"). go-yaml compares keys by type and value, so ``1`` and
    ``'1'`` are two keys: the API server accepts both, and keeps one of them as JSON's "1"."""
    seen = origins.get(key)
    if seen is None:
        if key not in container:
            return
        seen = {_STR}
    if identity not in seen:
        origins[key] = seen | {identity}
        return
    if _MERGED in seen:
        raise ManifestError(
            f"{_where(event)}the key {key!r} is also set by the merge (<<) in this mapping: "
            f"kubectl takes the value written here, {_STRICT}; leave {key!r} out of the merged "
            "mapping, or write this one without the merge"
        )
    raise ManifestError(
        f"{_where(event)}the key {key!r} appears twice in one mapping: the API server and "
        "kustomize refuse it (kubectl apply quietly keeps the last one); keep one of them"
    )


def _merge_into(
    container: dict,
    value: Any,
    event: Any,
    origins: dict[str, set],
    aliased: bool,
    key_types: "KeyTypes",
) -> None:
    """``<<: *defaults`` as the API server reads it (go-yaml v2's strict decoding, which
    ``fieldValidation=Strict`` asks for): the merged keys are set in the mapping, and a key that
    is already there, written or merged before, is refused as set twice (``_merged_twice`` says
    which of the two kubectl's lenient reading would take). Keys are told apart by type as they
    were written in the merged mapping (``key_types``): a merged ``1`` and a written ``'1'`` are
    two keys, a merged ``true`` and a written ``y`` one. An alias must name a mapping: go-yaml
    takes a list of mappings only when written in place."""
    sources = value if isinstance(value, list) and not aliased else [value]
    if not all(isinstance(source, dict) for source in sources):
        raise ManifestError(
            f"{_where(event)}a merge key (<<) needs a mapping, an alias of one, or a list of them"
        )
    merged_here: set[str] = set()
    for source in reversed(sources):
        for key, item in source.items():
            identities = key_types.identities(source, key)
            seen = origins.get(key) or ({_STR} if key in container else set())
            if seen & identities:
                raise ManifestError(_merged_twice(event, key, merged_here, seen))
            container[key] = item
            origins[key] = seen | identities | {_MERGED}
            merged_here.add(key)


# What kubectl and the API server each make of a key set twice through a merge: kubectl's
# lenient go-yaml v2 reading lets the last one set win (a merge's list is merged from its end,
# so there the first mapping listed wins); the API server's strict reading refuses the file.
# (Checked with kubectl v1.32 and kube-apiserver v1.37, 2026-12-06.)
_STRICT = (
    'but the API server reads YAML strictly and refuses a key set twice ("key already set in map")'
)


def _merged_twice(event: Any, key: str, merged_here: set[str], seen: set) -> str:
    """The refusal of a merge that sets ``key`` again, saying which value kubectl would take."""
    if key in merged_here:
        return (
            f"{_where(event)}two mappings this merge (<<) lists set the key {key!r}: kubectl "
            f"takes the first one's value, {_STRICT}; keep {key!r} in one of them"
        )
    if _MERGED in seen:
        return (
            f"{_where(event)}the merge (<<) sets the key {key!r}, which an earlier merge in this "
            f"mapping sets too: kubectl takes this later merge's value, {_STRICT}; keep {key!r} "
            "in one of the merged mappings"
        )
    return (
        f"{_where(event)}the merge (<<) sets the key {key!r}, which this mapping already has: "
        f"kubectl takes the merged value over the one written here, {_STRICT}; keep one of them"
    )


class KeyTypes:
    """The types its keys were written with, for each mapping read that had a key other than a
    string (or a merge): JSON's keys are all strings, but go-yaml tells ``1`` from ``'1'``
    when a mapping is merged into another."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[dict, dict[str, set]]] = {}

    def remember(self, mapping: dict, origins: dict[str, set]) -> None:
        if origins:
            self._known[id(mapping)] = (mapping, origins)

    def copied(self, value: Any) -> Any:
        """An alias's own copy of ``value``, whose keys have the types the original's had."""
        if not isinstance(value, dict | list):
            return value
        copied = copy.deepcopy(value)
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            self._known[id(copied)] = (copied, known[1])
        return copied

    def identities(self, mapping: dict, key: str) -> set:
        known = self._known.get(id(mapping))
        if known is None or known[0] is not mapping or not known[1].get(key):
            return {_STR}
        return known[1][key] - {_MERGED} or {_STR}


BOM = "\ufeff"  # a UTF-8 byte order mark, as the first character of a file's text
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little-endian, big-endian
_WIDE_CODECS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def wide_encoding(data: str | bytes) -> str:
    """The UTF-16 codec of a file that starts with its byte order mark ("" for any other), so
    that an edited file can be written back in the encoding it came in."""
    if isinstance(data, bytes):
        return _WIDE_CODECS.get(data[:2], "")
    return ""


def encode_wide(text: str, codec: str) -> bytes:
    """``text`` as a file in ``codec`` (from ``wide_encoding``), byte order mark first."""
    return (BOM + text).encode(codec)


def _not_text(data: bytes, start: int, encoding: str) -> str:
    """Where a file stops being text: a file saved in Latin-1 or Windows-1252 (an "é" is one
    byte there) reads as UTF-8 up to its first such letter."""
    if encoding != "utf-8" or b"\x00" in data[:1024]:
        return f"the input is not {encoding.upper()} text"
    line = data.count(b"\n", 0, start) + 1
    return (
        f"the input is not UTF-8 text: line {line} has the byte 0x{data[start]:02X}, as a "
        "file saved as Latin-1 or Windows-1252 has for a letter such as é; save it as UTF-8"
    )


def _decode(data: str | bytes, max_bytes: int = MAX_BYTES, *, replace: bool = False) -> str:
    """The text of ``data``. ``replace``: a JSON file's bytes that are not UTF-8 become U+FFFD
    as Go reads them (for reading; an edit in place refuses them, not to change the file)."""
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise ManifestError(f"the input is larger than {max_bytes // 1024} KiB")
        # go-yaml reads UTF-16 too, when the text starts with its byte order mark.
        encoding = "utf-16" if data.startswith(_UTF16_BOMS) else "utf-8"
        if data.startswith(BOM.encode()):
            data = data[3:]
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            text, start = None, exc.start
            if replace and encoding == "utf-8":
                text = jsontext.as_go_reads_it(data)
                if text is None:
                    text, start = _unread_bytes_only(data)
            if text is None:
                raise ManifestError(_not_text(data, start, encoding)) from None
    else:
        text = data
        if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
            raise ManifestError(f"the input is larger than {max_bytes // 1024} KiB")
    if "\x00" in text:
        raise ManifestError(_with_nul(data))
    return text


_END_LINE = compile_lazily(rb"\.\.\.(?=[ \t\r\n]|$)")
_START_LINE = compile_lazily(rb"---(?=[ \t\r\n#]|$)")


def _unread_bytes_only(data: bytes) -> tuple[str | None, int]:
    """YAML whose bytes that are not UTF-8 all lie after a ``...`` line and before the next
    ``---``, text neither go-yaml (one document) nor kubectl (which cuts at ``---`` only) reads,
    with each such byte as U+FFFD; else None and where the first such byte that is read is."""
    unread, offset = False, 0
    for line in data.split(b"\n"):
        if _START_LINE.match(line):
            unread = False
        if not unread:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return None, offset + exc.start
        if _END_LINE.match(line):
            unread = True
        offset += len(line) + 1
    return jsontext.with_replacement(data), 0


def _with_nul(data: str | bytes) -> str:
    """Why text with NUL characters is refused: UTF-16 or UTF-32 saved without a byte order
    mark has one beside each ASCII letter (go-yaml reads neither without it)."""
    if isinstance(data, bytes) and len(data) >= 4:
        sample = data[:4096]
        for width in (4, 2):
            for place in range(width):
                others = [sample[lane::width] for lane in range(width) if lane != place]
                nul = sum(other.count(0) for other in others)
                if sample[place::width].isascii() and nul >= sum(map(len, others)) * 0.9:
                    name = f"UTF-{width * 8}"
                    return (
                        f"the input looks like {name} text without a byte order mark, which "
                        "kubectl cannot read: save it as UTF-8 (or with the mark)"
                    )
    return "the input is binary, not YAML or JSON text"


def load_manifest(data: str | bytes) -> dict:
    """Reads one Pod manifest from YAML or JSON text, or raises ``ManifestError``."""
    text = _decode(data, replace=True).removeprefix(BOM)  # (the text's own mark, as for bytes)
    if not text.strip():
        raise ManifestError("the input is empty: paste a Pod manifest")
    manifest = _parse(text)
    if manifest is None:
        raise ManifestError("the input holds no manifest, only comments or an empty document")
    return check_pod_shape(manifest)


def check_pod_shape(manifest: Any) -> dict:
    """Accepts data only if it is a mapping that says ``kind: Pod``."""
    if not isinstance(manifest, dict):
        kind = "a list" if isinstance(manifest, list) else f"a single value ({manifest!r:.40})"
        raise ManifestError(
            f"a Pod manifest is a mapping with apiVersion, kind and spec, not {kind}"
        )
    kind = manifest.get("kind")
    if kind is None or kind == "":
        raise ManifestError("the manifest has no kind: a Pod manifest says `kind: Pod`")
    if kind != "Pod":
        raise ManifestError(
            f"this is a {kind!s:.60}, not a Pod: Pod Studio reads manifests of kind: Pod"
        )
    # kubectl refuses a document without apiVersion before it reaches the server, as it does
    # one without kind: the same exit code and the same kind of message for both.
    if manifest.get("apiVersion") is None or manifest.get("apiVersion") == "":
        raise ManifestError("the manifest has no apiVersion: a Pod manifest says `apiVersion: v1`")
    return manifest
