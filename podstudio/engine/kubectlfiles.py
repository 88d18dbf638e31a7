"""What ``kubectl apply -f`` cannot read in a file that YAML, and so the API server, reads.

kubectl does not hand a file to YAML whole: apimachinery's ``YAMLReader.Read``
(k8s.io/apimachinery/pkg/util/yaml) cuts it into pieces at the lines that start with ``---``
and hands each piece to go-yaml alone. ``documents`` splits a file as YAML does, so that each
document is read as the API server reads it when sent; this module finds the lines where
kubectl's way stops the whole file first. They are reported as the error finding
``kubectl-cannot-read`` (``files``, the builder's ``findings_across``).
"""

from typing import NamedTuple

from podstudio.engine.documents import _BLANK_OR_COMMENT, _bare_marker
from podstudio.engine.yamlio import BOM, _json_prefix

KUBECTL_CANNOT_READ = "kubectl-cannot-read"
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

    - a line that starts with ``---`` and has more than spaces and a comment after the dashes
      stops it ("invalid Yaml document separator");
    - a piece of nothing but ``%YAML`` or ``%TAG`` directives (the ``---`` they belong to cut
      them off) is no document ("did not find expected <document start>"), and one that
      starts with a ``...`` line ends a document that has not begun;
    - a ``---#`` line that starts a piece (the file's first line) is not cut: it stays in
      the piece, where YAML reads it as text.

    A JSON file is read as JSON, by none of these rules."""
    text = text.removeprefix(BOM)  # (kubectl's FileVisitor drops it: unicode.BOMOverride)
    if _json_prefix(text) or ("---" not in text and "%" not in text):
        return []
    found: list[KubectlRefusal] = []
    piece: list[tuple[int, str]] = []  # the lines read since the last cut, with their numbers

    def close() -> None:
        content = [(n, line) for n, line in piece if not _BLANK_OR_COMMENT.fullmatch(line)]
        if piece and piece[0][1].startswith("---#"):
            found.append(_comment_marker_refusal(piece[0][0]))
        elif not content:
            return
        elif content[0][1].startswith("%"):
            if all(line.startswith("%") or _ends_document(line) for _, line in content):
                found.append(_directive_refusal(content[0][0]))
        elif _ends_document(content[0][1]) and piece[0][0] > 1:  # (the first: _opening_problem)
            found.append(_end_refusal(content[0][0]))

    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("---"):
            after = line[3:].strip()
            if after and not after.startswith("#"):
                found.append(_separator_refusal(number, after))
                return found  # kubectl reads no further
            if piece:
                close()
                piece = []
                continue
        piece.append((number, line))
    close()
    return found


def _ends_document(line: str) -> bool:
    return line.startswith("...") and _bare_marker(line)


def _end_refusal(line: int) -> KubectlRefusal:
    return KubectlRefusal(
        line,
        "kubectl cannot read this file: it cuts the file at the --- line above, and this ... "
        "line then ends a document that has not begun, which YAML refuses (kubectl stops with "
        '"did not find expected node content"). The API server would read the documents; '
        "kubectl apply -f never sends them.",
        "Delete the ... line.",
    )


def _separator_refusal(line: int, after: str) -> KubectlRefusal:
    return KubectlRefusal(
        line,
        "kubectl cannot read this file: a line that starts with --- separates documents, and "
        'kubectl allows only a comment after the dashes (it stops with "invalid Yaml document '
        f'separator: {after[:60]}"). The API server would read the document; kubectl apply '
        "-f never sends it.",
        _SEPARATOR_FIX,
    )


def _directive_refusal(line: int) -> KubectlRefusal:
    return KubectlRefusal(
        line,
        "kubectl cannot read this file: it cuts the file at the --- line below this directive "
        'and reads the directive alone, which YAML refuses (kubectl stops with "did not find '
        'expected <document start>"). The API server would read the document; kubectl apply '
        "-f never sends it.",
        "Delete the directive line: a Kubernetes manifest needs none.",
    )


def _comment_marker_refusal(line: int) -> KubectlRefusal:
    return KubectlRefusal(
        line,
        "kubectl cannot read this file: it cuts a file at a ---# line only after a document, "
        "so here, first, the line stays in the document, and YAML reads it as text, not as the "
        "start of a document (kubectl stops with an error about that text). The API server "
        "would read the document; kubectl apply -f never sends it.",
        "Put a space between the dashes and the #, or delete the line.",
    )
