"""Files of several YAML documents: split, read one by one, located, and written back.

A file is cut into segments at its document markers (``---`` and ``...`` at the start of a
line, which YAML forbids anywhere else), or, when it is a stream of JSON objects
(``{...}{...}``, one per line as ``jq -c`` writes them), at the end of each object. Each
segment keeps its exact text, so a file can be written back with every document but the
edited one byte for byte as it was (``render_stream``). Each segment is read on its own with
``yamlio``'s reader, so a broken document does not stop the others from being checked, and its
errors carry the line in the whole file. Segments with nothing but comments and blank lines
(a trailing ``---``, a file of comments) are kept as text and are no documents.

``locate`` finds the line of a field path in a document, for ``file:line`` reports.
"""

import json
import re
from typing import Any, NamedTuple

import yaml

from podstudio.engine.gospace import GO_LINE_SPACE
from podstudio.engine.jsontext import JSON_GAP, refuse_constant
from podstudio.engine.kinds import KINDS, is_custom_group, kind_of, shown_name
from podstudio.engine.lineindex import LineIndexer
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.yamlio import (
    BOM,
    LONE_CR,
    MAX_BYTES,
    MAX_DEPTH,
    AliasBudget,
    ManifestError,
    _decode,
    _json_prefix,
    _parse,
)

MAX_DOCUMENTS = 10_000
# kubectl cuts a file at a "---" line whose rest, trimmed, is empty or a comment: "---# b" and
# "---" with a no-break space too (apimachinery's YAMLReader.Read), which YAML alone would read
# as text.
_MARKER = compile_lazily(
    rf"(---(?=[ \t\r\n#]|$|[{GO_LINE_SPACE}]*(?:#|\r|\n|$))|\.\.\.(?=[ \t\r\n]|$))"
)
_BLANK_OR_COMMENT = compile_lazily(r"[ \t]*(#.*)?\r?\n?")
_MARKER_LINE = compile_lazily(rf"^---(?=[ \t\r\n#]|$|[{GO_LINE_SPACE}]*(?:#|\r|\n|$))", re.M)
# A marker line kubectl cuts away (``_read_around`` reads the rest as go-yaml gets it).
_CUT_MARKER = compile_lazily(rf"---[{GO_LINE_SPACE}]*(?:#[^\r\n]*)?(?=\r|\n|$)")
_WHERE = compile_lazily(r"^line (\d+), column (\d+): ")


class Segment(NamedTuple):
    """A stretch of the file: its text is ``prefix + body + suffix``.

    ``prefix`` is the marker line and the comments before the content, ``body`` the content,
    ``suffix`` the comments and blank lines after it (and a ``...`` line).
    """

    prefix: str
    body: str
    suffix: str
    line: int  # 1-based line of the segment's first line in the file
    body_line: int  # 1-based line where the body starts

    @property
    def text(self) -> str:
        return self.prefix + self.body + self.suffix

    @property
    def empty(self) -> bool:
        return not self.body


class Document:
    """One document of a file: its data, or why it cannot be read (filled in as it is read)."""

    __slots__ = ("index", "segment", "line", "data", "error", "_lines")

    def __init__(self, index: int, segment: int, line: int) -> None:
        self.index = index  # 0-based, among the file's documents
        self.segment = segment  # index of its segment in the file
        self.line = line  # 1-based line of its first content
        self.data: Any = None
        self.error = ""  # a reading error, with its line in the file
        self._lines: dict | None = None

    def __repr__(self) -> str:
        return f"Document(index={self.index}, line={self.line}, kind={self.kind!r})"

    @property
    def kind(self) -> str:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else ""

    @property
    def shown_name(self) -> str:
        """The name, or ``generateName…`` (``kinds.shown_name``), for people to read."""
        return shown_name(self.data)

    @property
    def name(self) -> str:
        metadata = self.data.get("metadata") if isinstance(self.data, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return name if isinstance(name, str) else ""


_LINE = compile_lazily(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[str]:
    """The text's lines with their line ends (``\\n``, ``\\r\\n``, or a lone ``\\r`` in
    a classic Mac OS file: libyaml counts each as one)."""
    if "\r" in text and LONE_CR.search(text):
        return _LINE.findall(text)
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def split_segments(text: str) -> list[Segment]:
    """Cuts a file into segments at its document markers; joining their text gives the file.

    A byte order mark opens the first segment's prefix: it is kept with the file, and no
    document's body (which edits count characters in) starts with it.
    """
    if text.startswith(BOM):
        segments = split_segments(text[1:])
        first = segments[0]
        segments[0] = first._replace(prefix=BOM + first.prefix)
        return segments
    if json_objects := json_segments(text):
        return json_objects
    if "---" not in text and "..." not in text:  # one document, as most files are
        return [_segment(_lines(text), 1)]
    segments: list[Segment] = []
    current: list[str] = []
    start = 1
    ended = False  # after a "...": nothing is read until the next "---"

    def close(end_line: int) -> None:
        nonlocal current, start
        if current or not segments:
            segments.append(_segment(current, start))
        current = []
        start = end_line

    for number, line in enumerate(_lines(text), start=1):
        marker = _MARKER.match(line)
        if marker and marker.group(1) == "---":
            ended = False
            if current and not _directives_only(current):
                close(number)
                current = [line]
            else:
                if not current:
                    start = number
                current.append(line)  # %YAML and %TAG lines belong to the document they open
                continue
            start = number
        elif ended:
            # kubectl cuts a file at "---" lines only, and the API server reads the first
            # document of each piece: what follows a "..." is never read. It stays in the file.
            last = segments[-1]
            segments[-1] = last._replace(suffix=last.suffix + line)
            start = number + 1
        elif marker:  # "...": ends the document, stays with it
            current.append(line)
            close(number + 1)
            ended = True
        else:
            current.append(line)
    if current or not segments:
        segments.append(_segment(current, start))
    if len(segments) > 1 and not segments[0].text:
        segments.pop(0)
    return segments


_JSON_READER = json.JSONDecoder(parse_constant=refuse_constant)


def json_segments(text: str) -> list[Segment] | None:
    """The segments of a stream of JSON objects, one per object, when ``text`` is two or more
    JSON objects with only whitespace between them; ``None`` otherwise (one object, or
    anything else: YAML reads it, and says what is wrong).

    kubectl reads a file that starts with ``{`` as a stream of JSON values, one after another
    (apimachinery's ``YAMLOrJSONDecoder``); YAML reads one document only, and refuses the
    second object. Each object is then read like any document (``_parse``)."""
    spans = _json_spans(text)
    return _json_segments(text, spans) if spans and len(spans) > 1 else None


def is_json(text: str) -> bool:
    """Whether ``text`` is a JSON object, or a stream of them: a file kept as JSON downloads
    as ``.json``."""
    return _json_spans(text) is not None


def _json_spans(text: str) -> list[tuple[int, int]] | None:
    """Where each JSON object of ``text`` is, if it holds JSON objects alone."""
    position = JSON_GAP.match(text).end()
    if not text.startswith("{", position):
        return None
    spans = []
    try:
        while position < len(text):
            value, end = _JSON_READER.raw_decode(text, position)
            if not isinstance(value, dict):
                return None
            spans.append((position, end))
            position = JSON_GAP.match(text, end).end()
    except (ValueError, RecursionError):
        return None
    return spans or None


def _json_segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """One segment per object of a JSON stream: the whitespace before it, the object, and the
    rest of its last line (all that is left, for the last)."""
    segments = []
    start = 0
    lines = _LineCounter(text)
    for number, (begin, end) in enumerate(spans):
        if number + 1 < len(spans):
            newline = text.find("\n", end, spans[number + 1][0])
            stop = spans[number + 1][0] if newline < 0 else newline + 1
        else:
            stop = len(text)
        segments.append(
            Segment(
                text[start:begin],
                text[begin:end],
                text[end:stop],
                lines.at(start),
                lines.at(begin),
            )
        )
        start = stop
    return segments


class _LineCounter:
    """``_line_at`` for indexes that only grow: each counts from the one before, so a stream
    of a hundred thousand objects costs one pass over the text, not one per object."""

    def __init__(self, text: str) -> None:
        self.text, self.index, self.line = text, 0, 1

    def at(self, index: int) -> int:
        self.line += _line_at(self.text[self.index : index], index - self.index) - 1
        self.index = index
        return self.line


def _line_at(text: str, index: int) -> int:
    """The 1-based line of ``text[index]``, counted as libyaml counts (a lone ``\\r`` ends a
    line too)."""
    line = 1 + text.count("\n", 0, index)
    if "\r" in text:
        line += len(LONE_CR.findall(text, 0, index))
    return line


def _segment(lines: list[str], start: int) -> Segment:
    first = 0
    if lines and _MARKER.match(lines[0]) and lines[0].startswith("---"):
        rest = lines[0][3:]
        if rest.strip() and not rest.strip().startswith("#"):
            # Content on the marker line (``--- !tag`` or ``--- {a: 1}``): the body starts
            # with the marker, which the reader takes as the document's start.
            return _with_suffix([], lines, start, start)
        first = 1
    while first < len(lines) and _BLANK_OR_COMMENT.fullmatch(lines[first]):
        first += 1
    return _with_suffix(lines[:first], lines[first:], start, start + first)


def _with_suffix(prefix: list[str], rest: list[str], start: int, body_line: int) -> Segment:
    last = len(rest)
    while last > 0 and (
        _BLANK_OR_COMMENT.fullmatch(rest[last - 1]) or _bare_marker(rest[last - 1])
    ):
        last -= 1
    if last and _directives_only(rest[:last]):
        last = 0  # directives with no document after them (a file's last ``%YAML 1.1\n---``)
    elif last < len(rest):
        last = _block_scalar_end(rest, last)
    # Indented comment lines right under the content are its last entry's (an edit that adds an
    # entry after it goes below them), not the file's between documents.
    while last and last < len(rest) and _INDENTED_COMMENT.fullmatch(rest[last]):
        last += 1
    return Segment("".join(prefix), "".join(rest[:last]), "".join(rest[last:]), start, body_line)


_INDENTED_COMMENT = compile_lazily(r"[ \t]+#.*\r?\n?")


# A block scalar's header ends its line: ``key: |``, ``- >-``, ``run: |+2  # the script``.
_BLOCK_HEADER = compile_lazily(r"(?:^|[ \t])[|>](?:[1-9][+-]?|[+-][1-9]?)?[ \t]*(?:#.*)?\r?\n?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_scalar_end(rest: list[str], last: int) -> int:
    """Where the body ends when it ends inside a block scalar: lines that look like comments
    or are blank after its last line may be its text (``# done`` in a script; the kept empty
    lines of ``|+``), and the body is what is read. Otherwise ``last``."""
    after = None  # the least indentation of the content lines below the line looked at
    for index in range(last - 1, -1, -1):
        line = rest[index]
        if not line.strip():
            continue
        indent = _indent(line)
        if after is not None and indent < after and _BLOCK_HEADER.search(line):
            header, content = index, after
            break
        after = indent if after is None else min(after, indent)
        if after == 0:
            return last
    else:
        return last
    keep = "+" in _BLOCK_HEADER.search(rest[header]).group(0).split("#")[0]
    end = last
    while end < len(rest) and (not rest[end].strip() or _indent(rest[end]) > _indent(rest[header])):
        end += 1
    if not keep:  # empty lines at its end are no part of a clipped or stripped scalar's text
        while end > last and not rest[end - 1].strip() and _indent(rest[end - 1]) <= content:
            end -= 1
    return end


def _directives_only(lines: list[str]) -> bool:
    """Lines of ``%YAML``/``%TAG`` directives, comments and blank lines, at least one directive:
    the start of the document the next ``---`` opens."""
    found = False
    for line in lines:  # a document's first line of content ends it at once
        if line.startswith("%"):
            found = True
        elif not _BLANK_OR_COMMENT.fullmatch(line):
            return False
    return found


def _bare_marker(line: str) -> bool:
    """A ``...`` (or ``---``) line with nothing after it but a comment; ``--- {a: 1}`` holds
    a document."""
    marker = _MARKER.match(line)
    return bool(marker) and bool(_BLANK_OR_COMMENT.fullmatch(line[marker.end() :]))


def error_line(message: str) -> int | None:
    """The line a reading error names (``_shifted`` writes "line 4, column 2: ...")."""
    found = _ERROR_LINE.match(message)
    return int(found.group(1)) if found else None


_ERROR_LINE = compile_lazily(r"line (\d+)\b")


def _shifted(message: str, body_line: int) -> str:
    """A reader's ``line N, column M:`` counted in the file instead of the segment, and the
    line its hint names (``(line N holds a no-break space``)."""
    match = _WHERE.match(message)
    if not match:
        return f"line {body_line}: {message}"
    line = int(match.group(1)) + body_line - 1
    rest = _HINT_LINE.sub(
        lambda found: f"(line {int(found.group(1)) + body_line - 1} holds", message[match.end() :]
    )
    return f"line {line}, column {match.group(2)}: {rest}"


_HINT_LINE = compile_lazily(r"\(line (\d+) holds")


TEMPLATE_HINT = (
    " ({{ }} in it: a template is YAML only once rendered; render it, e.g. with "
    "`helm template`, and check what it gives)"
)


_FENCE = compile_lazily(r"^[ \t]*(```|~~~)", re.M)
_SHELL = compile_lazily(r"(?:\$[ \t]+\S|(?:kubectl|oc|helm)[ \t]|cat[ \t]*<<|cat[ \t]+\S+[ \t]*\|)")
_HEREDOC = compile_lazily(r"<<-?[ \t]*['\"]?([A-Za-z_]\w*)")


def _unreadable_hint(body: str, first_line: int) -> str:
    """What came with the YAML when a file cannot be read, and what to do: a Helm (or Go)
    template (``name: {{ .Values.x }}`` reads as a mapping used as a key, and the reader's
    message says only that), a Markdown code fence or the shell command of a copied snippet."""
    if "{{" in body:
        return TEMPLATE_HINT
    if fence := _FENCE.search(body):
        line = first_line + body.count("\n", 0, fence.start())
        return (
            f" (line {line} is a Markdown code fence, {fence.group(1)}: keep only the YAML "
            "between the fences)"
        )
    for number, line_text in enumerate(body.splitlines()[:50]):
        stripped = line_text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _SHELL.match(stripped):
            return ""
        heredoc = _HEREDOC.search(stripped)
        between = f" between <<{heredoc.group(1)} and {heredoc.group(1)}" if heredoc else ""
        return (
            f" (line {first_line + number} is a shell command, not YAML: keep only the "
            f"manifest{between})"
        )
    return ""


_DESCRIBE_KEYS = {"Namespace", "Labels", "Annotations", "Status", "Containers", "Node", "Events"}


def describe_output_hint(data: dict) -> str:
    """A hint for what ``kubectl describe`` printed (``Name:  web``, ``Namespace:  default``):
    it reads as YAML, but is a report for people, not a manifest."""
    if "Name" in data and _DESCRIBE_KEYS.intersection(data):
        return (
            " (this is what `kubectl describe` prints, a report for reading; "
            "`kubectl get pod NAME -o yaml` prints the manifest)"
        )
    return ""


def read_text(data: str | bytes, max_bytes: int = MAX_BYTES) -> str:
    """The file as text, with the reader's limits (size, encoding, NUL). ``max_bytes``: the
    web's 1 MiB unless a caller reads local files (the CLI's ``CLI_MAX_BYTES``). A JSON file's
    bytes that are not UTF-8 are read as U+FFFD, as kubectl and the API server read them."""
    return _decode(data, max_bytes, replace=True)


class TooManyDocuments(ManifestError):
    """The file holds more documents than the reader was allowed to read."""


def read_documents(
    text: str, limit: int = MAX_DOCUMENTS, with_lines: bool = False
) -> tuple[list[Segment], list[Document]]:
    """The file's segments, and its documents read one by one (errors kept, never raised).

    ``limit``: at most this many documents, checked before each is read
    (``TooManyDocuments``), so a file of thousands costs nothing past it. ``with_lines``: each
    document's line index (``locate``) made as it is read, for reports that give lines."""
    segments = split_segments(text)
    documents: list[Document] = []
    budget = AliasBudget()
    json_file = _json_prefix(text)  # kubectl reads such a file as JSON, all of it
    opening = "" if json_file else _opening_problem(segments[0])
    piece_starts = _kubectl_piece_starts(segments) if BOM in text else None
    for number, segment in enumerate(segments):
        if segment.empty:
            continue
        if len(documents) >= limit:
            raise TooManyDocuments(f"the file has more than {limit} documents")
        document = Document(len(documents), number, segment.body_line)
        lines: dict | None = {} if with_lines else None
        try:
            document.data = _parse(
                segment.body,
                budget,
                json_file=json_file,
                lines=lines,
                piece_start=0 if piece_starts and piece_starts[number] else None,
            )
            document._lines = lines or None
        except ManifestError as exc:
            document.error = _shifted(str(exc), segment.body_line) + _unreadable_hint(
                segment.body, segment.body_line
            )
        around = segment.prefix.removeprefix(BOM) + segment.suffix  # (the file's own mark)
        if not document.error and _ODD_AROUND.search(around):
            _read_around(document, segment, json_file, bool(piece_starts and piece_starts[number]))
        if opening and not documents:  # go-yaml stops there, before this document
            document.data, document.error = None, opening
        if document.data is None and not document.error:
            continue  # an explicit null (``--- ~``): nothing there
        documents.append(document)
    if opening and not documents:
        documents.append(Document(0, 0, segments[0].line))
        documents[0].error = opening
    return segments, documents


def _marker_line_end(text: str) -> int | None:
    """Where the marker line that starts ``text`` ends, its line break included, if it is one
    kubectl's ``YAMLReader`` cuts at (``_CUT_MARKER``); ``None`` if there is none."""
    marker = _CUT_MARKER.match(text)
    if marker is None:
        return None
    end = marker.end()
    return end + 2 if text.startswith("\r\n", end) else end + text.startswith("\n", end)


def _kubectl_piece_starts(segments: list[Segment]) -> list[bool]:
    """For each segment, whether its body starts one of the pieces kubectl's ``YAMLReader``
    hands go-yaml, where go-yaml skips a byte order mark: the file's start (its own mark
    dropped), or right after a marker line with nothing between them. The reader cuts at a
    marker only when it holds text already; a marker met with nothing held (a file's first
    line, or the second of two in a row) stays in the next piece, and a mark after it is text.
    """
    starts = []
    held = False  # whether the reader holds text when it meets the segment's marker
    for number, segment in enumerate(segments):
        text = segment.text.removeprefix(BOM) if number == 0 else segment.text
        prefix = segment.prefix.removeprefix(BOM) if number == 0 else segment.prefix
        end = _marker_line_end(prefix)
        if end is None:  # no marker: only the first segment, at the file's start
            starts.append(not prefix)
            held = bool(text)
            continue
        starts.append(held and end == len(prefix))
        held = bool(text[end:]) if held else True
    return starts


def _opening_problem(segment: Segment) -> str:
    """Why go-yaml cannot read the text before a file's first ``---`` when it holds no document
    ("" when it can): the API server reads the stream from its start, and kubectl's
    ``YAMLReader.Read`` hands that text to go-yaml as a piece of its own. There a ``...`` line
    ends a document that has not begun (go-yaml's ``yaml_parser_parse_document_start`` starts an
    implicit one and finds no node), and a tab that starts a line cannot start a token
    (``yaml_parser_scan_to_next_token``)."""
    text = segment.text.removeprefix(BOM)
    if not segment.empty or text.startswith("---") or ("..." not in text and "\t" not in text):
        return ""
    try:
        _parse(text, AliasBudget(), json_file=False)
    except ManifestError as exc:
        message = _shifted(str(exc), segment.line)
        if message.endswith("did not find expected node content"):
            message += (
                " (a ... line ends a document, and none has begun before it: delete the line)"
            )
        return message
    return ""


# go-yaml reads the comments and blank lines around a document too: a tab that starts a line,
# or a character it cannot read (ESC from a coloured paste), makes it refuse the document.
_ODD_AROUND = compile_lazily(r"[^\x20-\x7e\r\n]")


def _read_around(
    document: "Document", segment: Segment, json_file: bool, opens_piece: bool
) -> None:
    """Reads the segment's whole text when its comments or blank lines hold a tab or a
    character past ASCII, and keeps the reader's refusal of them (the body read on its own).
    ``opens_piece``: the body starts one of kubectl's pieces (``_kubectl_piece_starts``)."""
    try:
        whole = (segment.prefix + segment.body + segment.suffix).removeprefix(BOM)
        # kubectl cuts the marker line away: YAML would read "---#" or "---" and a no-break
        # space as text (``kubectlfiles`` says where kubectl keeps one, at a file's start).
        if cut := _CUT_MARKER.match(whole):
            whole = "---" + whole[cut.end() :]
        if opens_piece:
            piece_start: int | None = len(whole) - len(segment.body) - len(segment.suffix)
        else:  # without a marker the text is the file's start, a piece's start too
            piece_start = None if cut else 0
        _parse(whole, AliasBudget(), json_file=json_file, piece_start=piece_start)
    except ManifestError as exc:
        document.data = None
        document.error = _shifted(str(exc), segment.line)


def render_stream(text: str, segments: list[Segment], segment: int, body: str | None) -> str:
    """The file with one segment's body replaced by ``body`` (``None``: the file as it was).

    Every other byte of the file is kept: the other documents, comments, markers. The new
    body takes the line ends the segment used.
    """
    if body is None:
        return text
    target = segments[segment]
    if "\r\n" in target.body and "\r\n" not in body:
        body = body.replace("\n", "\r\n")
    if target.body.startswith("---") and not body.startswith("---"):
        body = "---\n" + body  # the marker shared the first line of the body it replaces
    elif target.body.startswith("%") and not body.startswith(("---", "%")):
        # The document's directives and its marker stay in front of it (an edit of the
        # author's text keeps them itself).
        head = target.body[: _MARKER_LINE.search(target.body).start()]
        body = head + ("---\r\n" if "\r\n" in target.body else "---\n") + body
    parts = [item.text for item in segments]
    parts[segment] = target.prefix + body + target.suffix
    # A document before another ends its last line as it did (the next marker needs a line of
    # its own); one that shared its line with the next (JSON objects ``} {``) still does.
    before = target.text
    ends_line = ("\n", "\r")
    last = parts[segment]
    if segment + 1 < len(segments) and before.endswith(ends_line) and not last.endswith(ends_line):
        parts[segment] += "\r\n" if before.endswith("\r\n") else before[-1]
    return "".join(parts)


# --- where a field path is in the text -------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_index(body: str) -> dict[tuple, int]:
    """The 0-based line of every key and list item of a document body, by key path
    (``LineIndexer``); ``read_documents(..., with_lines=True)`` makes it as it reads."""
    indexer = LineIndexer(MAX_DEPTH)
    parser = _Loader(body)
    try:
        while True:
            event = parser.get_event()
            if event is None or not indexer.see(event, type(event)):
                break
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return indexer.index


def lines_of(document: Document, body: str) -> dict[tuple, int]:
    """The document's line index: made as it was read (``with_lines``), or now, once."""
    if document._lines is None:
        document._lines = line_index(body)
    return document._lines


def locate(document: Document, body: str, keys: list) -> int:
    """The 1-based file line of a field path's keys (or of its nearest parent found)."""
    lines = lines_of(document, body)
    keys = tuple(keys)
    for length in range(len(keys), 0, -1):
        line = lines.get(keys[:length] if length < len(keys) else keys)
        if line is not None:
            return document.line + line
    return document.line


# --- one object, for the API and the sandbox ---------------------------------------------------


def listed_objects(data: Any) -> list[dict]:
    """The Kubernetes objects of a document that is a list of them (``- apiVersion: v1``), a
    mistake kubectl refuses; ``[]`` for anything else, such as an Ansible task list."""
    if not isinstance(data, list):
        return []
    objects = [item for item in data if isinstance(item, dict)]
    if objects and all(item.get("apiVersion") and item.get("kind") for item in objects):
        return objects
    return []


def _objects(count: int) -> str:
    return "one object" if count == 1 else f"{count} objects"


def object_problem(data: Any) -> str:
    """Why a document cannot be sent to the API server at all ("" when it can): kubectl refuses a
    document that is not a mapping, or lacks its kind or apiVersion, before sending it."""
    if objects := listed_objects(data):
        kinds = ", ".join(dict.fromkeys(str(item.get("kind") or "?")[:40] for item in objects))
        return (
            f"a list of {_objects(len(objects))} ({kinds:.120}): kubectl reads no list at the top "
            "of a file; write each object as its own document after a `---` line, or put them "
            "under `items:` of an `apiVersion: v1`, `kind: List`"
        )
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        return f"a manifest is a mapping with apiVersion, kind and spec, not {shape}"
    kind = data.get("kind")
    if kind is None or kind == "":
        return "the manifest has no kind: say what it is, e.g. `kind: Deployment`" + (
            describe_output_hint(data)
        )
    if not isinstance(kind, str):
        return 'kind must be a string such as Deployment (kubectl: "kind isn\'t string type")'
    if data.get("apiVersion") is None or data.get("apiVersion") == "":
        return (
            f"the manifest has no apiVersion: kind {kind:.60} needs one to say which API it "
            "belongs to (`apiVersion: v1` for a Pod, `apps/v1` for a Deployment)"
        )
    if not isinstance(data["apiVersion"], str):
        return (
            'apiVersion must be a string such as apps/v1 (kubectl: "apiVersion isn\'t string type")'
        )
    return ""


class ReadAsFile(ManifestError):
    """The text is not one Pod or workload where one was asked for (``load_object``), but it
    was read: it carries what was read, so a caller that takes files need not read it again."""

    def __init__(self, message: str, segments: list[Segment], documents: list[Document]):
        super().__init__(message)
        self.segments, self.documents = segments, documents


class MultipleDocuments(ReadAsFile):
    """The text holds more than one object."""


class OtherKind(ReadAsFile):
    """The text holds one object of a kind Pod Studio does not check (a Service, a custom
    resource)."""


def load_object(data: str | bytes, limit: int = MAX_DOCUMENTS) -> dict:
    """One Pod or workload manifest from YAML or JSON text, or ``ManifestError``.

    Empty documents around it (a trailing ``---``) are fine; a second object is not, nor a
    kind Pod Studio does not check. ``limit``: as for ``read_documents``.
    """
    text = read_text(data)
    if not text.strip():
        raise ManifestError("the input is empty: paste a Pod or workload manifest")
    segments, documents = read_documents(text, limit)
    if not documents:
        raise ManifestError("the input holds no manifest, only comments or empty documents")
    if len(documents) > 1:
        raise MultipleDocuments(
            f"found {len(documents)} documents (line {documents[1].line} starts the "
            "second): give one object at a time",
            segments,
            documents,
        )
    document = documents[0]
    if document.error:
        raise ManifestError(document.error)
    manifest = document.data
    kind = manifest.get("kind") if isinstance(manifest, dict) else None
    if isinstance(kind, str) and kind and kind_of(manifest) is None:
        api_version = manifest.get("apiVersion")
        custom = f" of {api_version:.80}, a custom resource" if is_custom_group(api_version) else ""
        raise OtherKind(
            f"this is a {kind:.60}{custom}: Pod Studio checks Pods and workloads "
            f"({', '.join(KINDS)})",
            segments,
            documents,
        )
    problem = object_problem(manifest)
    if problem:
        raise ManifestError(problem)
    return manifest
