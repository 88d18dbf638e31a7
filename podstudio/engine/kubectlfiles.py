"""What ``kubectl apply -f`` cannot read in a file that YAML, and so the API server, reads.

kubectl does not hand a file to YAML whole: apimachinery's ``YAMLReader.Read``
(k8s.io/apimachinery/pkg/util/yaml) cuts it into pieces at the lines that start with ``---``
and hands each piece to go-yaml alone. ``documents`` splits a file as YAML does, so that each
document is read as the API server reads it when sent; this module finds the lines where
kubectl's way stops the whole file first. They are reported as the error finding
``kubectl-cannot-read`` (``files``, the builder's ``findings_across``).
"""

import json
from typing import NamedTuple

from podstudio.engine.documents import (
    _BLANK_OR_COMMENT,
    _bare_marker,
    _shifted,
    error_line,
    json_segments,
    split_segments,
)
from podstudio.engine.gospace import GO_SPACE
from podstudio.engine.jsontext import JSON_GAP, refuse_constant
from podstudio.engine.yamlio import BOM, ManifestError, _json_prefix, _parse

KUBECTL_CANNOT_READ = "kubectl-cannot-read"
_JSON_FIX = (
    "Write the file as JSON objects one after another, with no --- lines between them, or "
    "as YAML documents only."
)
_SEPARATOR_FIX = (
    "Put what follows the dashes on the lines below them (--- alone on its line), or delete "
    "the line if it is not a separator."
)


class KubectlRefusal(NamedTuple):
    """A line of a file that the API server would read but ``kubectl apply -f`` refuses."""

    line: int
    message: str
    fix: str


def kubectl_refusals(text: str) -> list[KubectlRefusal]:
    """Where kubectl stops reading a YAML file that YAML itself (and so the API server, sent
    each document) reads. apimachinery's ``YAMLReader.Read`` cuts the file into pieces at the
    lines that start with ``---``, and hands each piece to go-yaml alone:

    - a line that starts with ``---`` and has more than white space (Go's, Unicode's included)
      and a comment after the dashes stops it ("invalid Yaml document separator");
    - a piece of nothing but ``%YAML`` or ``%TAG`` directives (the ``---`` they belong to cut
      them off) is no document ("did not find expected <document start>"), and one that
      starts with a ``...`` line ends a document that has not begun;
    - a separator line read while nothing is held (the file's first line, or the line after
      another separator) is not cut: it stays in the piece, where YAML reads ``---#`` or
      ``---`` and a no-break space as text (``_read_as_text``).

    A file that starts with "{" is read as JSON as long as it is JSON, and from there on as
    YAML, by these rules (``_json_file_refusals``)."""
    text = text.removeprefix(BOM)  # (kubectl's FileVisitor drops it: unicode.BOMOverride)
    if not _json_prefix(text):
        return _yaml_refusals(text) if "---" in text or "%" in text else []
    return _json_file_refusals(text)


def _yaml_refusals(
    text: str, first_line: int = 1, json_said: str = "", intro: str = ""
) -> list[KubectlRefusal]:
    """The rules above, for ``text`` read as YAML from ``first_line`` of the file on.
    ``json_said``: what kubectl says when its first YAML piece fails (the error of the JSON
    reader it tried first), and ``intro``, why it reads this text as YAML: both for a file
    that starts with "{" (``_json_file_refusals``); there a first piece may start with ``...``
    too (the engine reads such a file as JSON, and checks no opening)."""
    found: list[KubectlRefusal] = []
    piece: list[tuple[int, str]] = []  # the lines read since the last cut, with their numbers
    reads = 0  # the pieces handed to YAML so far
    cut = False  # whether a --- line has been read

    def said() -> str:
        return json_said if json_said and not reads else ""

    def close() -> None:
        nonlocal reads
        content = [(n, line) for n, line in piece if not _BLANK_OR_COMMENT.fullmatch(line)]
        if piece and _read_as_text(piece[0][1]):
            found.append(_comment_marker_refusal(piece[0][0], said(), intro))
        elif not content:
            pass
        elif content[0][1].startswith("%"):
            if all(line.startswith("%") or _ends_document(line) for _, line in content):
                found.append(_directive_refusal(content[0][0], said(), intro))
        elif _ends_document(content[0][1]) and (piece[0][0] > 1 or intro):
            found.append(_end_refusal(content[0][0], said(), intro, cut))  # (1: _opening_problem)
        reads += bool(piece)

    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.startswith("---"):
            after = line[3:].strip(GO_SPACE)
            if after and not after.startswith("#"):
                found.append(_separator_refusal(number, after, said(), intro))
                return found  # kubectl reads no further
            if piece:
                close()
                piece, cut = [], True
                continue
            cut = True
        piece.append((number, line))
    close()
    return found


def _json_file_refusals(text: str) -> list[KubectlRefusal]:
    """Where kubectl stops reading a file that starts with "{", which the engine reads as JSON
    (``json_segments``, or one document whose text is JSON). apimachinery's
    ``YAMLOrJSONDecoder`` reads JSON values one after another, and switches to YAML for the
    rest of the file (``YAMLReader.Read`` and go-yaml, as above) when the first value is not
    JSON or the second is not: kubectl then stops where YAML does, or where go-yaml refuses a
    document that is JSON (a DEL character, a key on another line than its ':', a long key).
    When the first piece it reads as YAML fails, it says the JSON error. It reads JSON only if
    the "{" comes within the file's first 4096 bytes, and stops when fewer than 4 bytes that
    are not JSON follow the first object (``consumeWhitespace`` reads 4 at a time). Only the
    first stop is kept: kubectl reads no further."""
    brace = len(text) - len(text.lstrip(" \t\r\n"))
    if brace >= _SNIFF_BYTES:  # kubectl reads it as YAML, all of it
        return sorted(_as_yaml(text, 0, "", _LATE_BRACE) + _late_brace_stream(text))[:1]
    try:
        _, end = _JSON_VALUES.raw_decode(text, brace)
    except ValueError:  # not JSON: YAML reads all of it
        return _as_yaml(text, 0, _NOT_JSON, _NOT_JSON_INTRO)
    except RecursionError:  # deeper than Python reads: kubectl's own JSON reader decides
        return []
    after = JSON_GAP.match(text, end).end()
    if after == len(text) or _json_value_at(text, after):
        return []  # JSON to its end, or kubectl stays with JSON (two values or more)
    said = _json_error(text, after)
    line = text.count("\n", 0, end) + 1
    start = _after_white_space(text, end)
    if start is None:
        return [_short_tail_refusal(line, said)]
    intro = _json_then_yaml_intro(line)
    return _as_yaml(text, start, said, intro)


def _as_yaml(text: str, start: int, said: str, intro: str) -> list[KubectlRefusal]:
    """The first stop of kubectl reading ``text`` as YAML from ``start``."""
    found = _yaml_refusals(text[start:], text.count("\n", 0, start) + 1, said, intro)
    found += _yaml_refuses_json(text, start, found, said, intro)
    return sorted(found)[:1]


_SNIFF_BYTES = 4096  # NewYAMLOrJSONDecoder(r, 4096): how far kubectl looks for the "{"

# Numbers stay text: Python refuses integers of more than 4300 digits, Go's scanner does not.
_JSON_VALUES = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=refuse_constant)
_NOT_JSON = "an error of the JSON reader it tried first (the file starts with { but is not JSON)"
_NOT_JSON_INTRO = "it starts with { but is not JSON, so kubectl reads all of it as YAML; "
_LATE_BRACE = (
    "4096 bytes of white space or more come before its {, and kubectl looks no further for "
    "the { of a JSON file, so it reads all of it as YAML; "
)


def _json_then_yaml_intro(line: int) -> str:
    return (
        f"it reads the object that ends on line {line} as JSON, and, as what follows is not "
        "JSON, the rest of the file as YAML; "
    )


def _json_value_at(text: str, index: int) -> bool:
    """Whether a JSON value starts at ``index`` (a deep one counts: no claim is made)."""
    try:
        _JSON_VALUES.raw_decode(text, index)
    except ValueError:
        return False
    except RecursionError:
        return True
    return True


def _json_error(text: str, index: int) -> str:
    """What Go's JSON decoder says where a value should start at ``index``, when it is simple
    to tell (a character that starts no value, or a dash and no digit)."""
    char = text[index]
    if char == "-" and index + 1 < len(text) and not text[index + 1].isdigit():
        error = f"invalid character '{_shown(text[index + 1])}' in numeric literal"
    elif char not in '{["-0123456789tfn':
        error = f"invalid character '{_shown(char)}' looking for beginning of value"
    else:
        return "an error of the JSON reader it tried first"
    return f'the error of the JSON reader it tried first, "{error}"'


def _shown(char: str) -> str:
    return char if char.isprintable() else json.dumps(char)[1:-1]


def _after_white_space(text: str, index: int) -> int | None:
    """Where kubectl's YAML reading starts after the first JSON object: apimachinery's
    ``consumeWhitespace`` skips white space (Go's ``unicode.IsSpace``) up to and through the
    first line break, reading 4 bytes at a time; when fewer are left it gives up (None), and
    kubectl stops with the JSON error."""
    while True:
        if len(text[index : index + 4].encode()) < 4:
            return None
        char = text[index]
        if char not in GO_SPACE:
            return index
        index += 1
        if char == "\n":
            return index


def _yaml_refuses_json(
    text: str, start: int, found: list[KubectlRefusal], said: str, intro: str
) -> list[KubectlRefusal]:
    """The documents after ``start`` that are JSON, which the engine reads as JSON, and
    go-yaml, which kubectl reads them with here, refuses."""
    first_read_end = _first_read_end(text, start)
    stop = min((refusal.line for refusal in found), default=None)
    refusals = []
    for segment in split_segments(text):
        if segment.empty or stop is not None and segment.body_line >= stop:
            continue
        if segment.body_line < text.count("\n", 0, start) + 1 or not _json_prefix(segment.body):
            continue
        try:
            _parse(segment.body, json_file=False)
            continue
        except ManifestError as exc:
            problem = _shifted(str(exc), segment.body_line)
        try:
            _parse(segment.body, json_file=True)
        except ManifestError:
            continue  # the engine finds it unreadable already
        line = error_line(problem) or segment.body_line
        in_first = segment.body_line < first_read_end
        refusals.append(_yaml_json_refusal(line, problem, said if in_first else "", intro))
        break  # kubectl reads no further
    return refusals


def _first_read_end(text: str, start: int) -> int:
    """The line of the ``---`` that ends the first piece kubectl hands to YAML from ``start``
    (past the file's end when none does)."""
    held = False
    for number, line in enumerate(text[start:].split("\n"), start=text.count("\n", 0, start) + 1):
        if line.startswith("---") and held:
            return number
        held = held or not line.startswith("---")
    return text.count("\n") + 2


def _late_brace_stream(text: str) -> list[KubectlRefusal]:
    """JSON objects one after another, read as YAML: go-yaml reads the first document of a
    piece and no further, so kubectl drops the others, and says nothing."""
    segments = json_segments(text)
    if not segments:
        return []
    return [
        KubectlRefusal(
            segments[1].body_line,
            "kubectl cannot read this file whole: 4096 bytes of white space or more come "
            "before its {, and kubectl looks no further for the { of a JSON file, so it reads "
            "the file as YAML, which reads the first object and silently drops this one and "
            "any after it. The API server would read them; kubectl apply -f never sends them.",
            "Delete the blank lines before the first {.",
        )
    ]


def _ends_document(line: str) -> bool:
    return line.startswith("...") and _bare_marker(line)


def _refusal(
    line: int, intro: str, why: str, says: str, said: str, *, fix: str, documents: bool = False
) -> KubectlRefusal:
    """kubectl's refusal at ``line`` in words: ``says`` is its own error, unless ``said`` (the
    JSON error it met first, in a file that starts with "{") is what it shows instead."""
    stops = f"{said}, as YAML fails here too" if said else says
    sent = (
        "the documents; kubectl apply -f never sends them"
        if documents
        else ("the document; kubectl apply -f never sends it")
    )
    return KubectlRefusal(
        line,
        f"kubectl cannot read this file: {intro}{why} (kubectl stops with {stops}). The API "
        f"server would read {sent}.",
        fix,
    )


def _end_refusal(line: int, said: str = "", intro: str = "", cut: bool = True) -> KubectlRefusal:
    where = (
        "it cuts the file at the --- line above, and this ... line then"
        if cut
        else ("this ... line, the first it reads as YAML,")
    )
    why = f"{where} ends a document that has not begun, which YAML refuses"
    says = '"did not find expected node content"'
    return _refusal(line, intro, why, says, said, fix="Delete the ... line.", documents=True)


def _read_as_text(line: str) -> bool:
    """A separator line YAML does not read as a bare document start (``---#``, ``---`` and a
    no-break space, ``--- `` and one): kubectl keeps it in the piece when nothing is held
    before it, and YAML reads text there."""
    rest = line[3:]
    if not line.startswith("---") or rest in ("", "\r"):
        return False
    if rest[0] not in " \t\r":
        return True
    after = rest.strip(" \t\r")
    return bool(after) and not after.startswith("#")


def _separator_refusal(line: int, after: str, said: str = "", intro: str = "") -> KubectlRefusal:
    why = (
        "a line that starts with --- separates documents, and kubectl allows only a comment "
        "after the dashes"
    )
    says = f'"invalid Yaml document separator: {after[:60]}{"…" if len(after) > 60 else ""}"'
    return _refusal(line, intro, why, says, said, fix=_SEPARATOR_FIX)


def _directive_refusal(line: int, said: str = "", intro: str = "") -> KubectlRefusal:
    why = (
        "it cuts the file at the --- line below this directive and reads the directive alone, "
        "which YAML refuses"
    )
    says = '"did not find expected <document start>"'
    fix = "Delete the directive line: a Kubernetes manifest needs none."
    return _refusal(line, intro, why, says, said, fix=fix)


def _comment_marker_refusal(line: int, said: str = "", intro: str = "") -> KubectlRefusal:
    why = (
        "it cuts the file at a --- line only once it has read something, so this line stays "
        "in the document, and YAML reads it as text, not as the start of a document"
    )
    fix = "Make the line --- alone (or ---, a space and a comment), or delete it."
    return _refusal(line, intro, why, "an error about that text", said, fix=fix)


def _yaml_json_refusal(line: int, problem: str, said: str, intro: str) -> KubectlRefusal:
    why = f"YAML refuses this document, though it is JSON: {problem}"
    says = '"error converting YAML to JSON"'
    return _refusal(line, intro, why, says, said, fix=_JSON_FIX)


def _short_tail_refusal(line: int, said: str) -> KubectlRefusal:
    return KubectlRefusal(
        line,
        "kubectl cannot read this file: after the JSON object that ends on this line come "
        "fewer than 4 bytes that are not JSON, and kubectl reads 4 bytes at a time where it "
        f"would switch from JSON to YAML (kubectl stops with {said}). The API server would "
        "read the document; kubectl apply -f never sends it.",
        "Delete what follows the object's closing }.",
    )
