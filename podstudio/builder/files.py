"""Designs made from files: import a file of any number of documents, edit one workload at a
time, write the whole file back.

The design keeps the imported text (``Design.source``) and the index of the document it edits
(``Design.document``); ``Design.manifest`` is that document as edited. ``render_file`` is the
one place that makes the exported text: every document but the edited one byte for byte as
imported, the edited one as canonical YAML (or as imported while it is unchanged).
"""

from dataclasses import dataclass

from podstudio.engine.documents import (
    Document,
    object_problem,
    read_documents,
    read_text,
    render_stream,
)
from podstudio.engine.kinds import KINDS
from podstudio.engine.yamlio import MAX_BYTES, ManifestError, dump_manifest

EDITABLE = ", ".join(KINDS)


@dataclass(frozen=True)
class Imported:
    manifest: dict
    source: str
    document: int


def _label(document: Document) -> str:
    if not isinstance(document.data, dict):
        return "a list" if isinstance(document.data, list) else "a single value"
    return f"{document.kind or '(no kind)'} {document.name}".strip()


def import_text(data: str | bytes) -> Imported:
    """The first Pod or workload of a file, with the file; ``ManifestError`` says why not."""
    text = read_text(data)
    if not text.strip():
        raise ManifestError("the input is empty: paste a Pod or workload manifest")
    _, documents = read_documents(text)
    if not documents:
        raise ManifestError("the input holds no manifest, only comments or empty documents")
    for document in documents:
        if document.error:
            where = f"document {document.index + 1}: " if len(documents) > 1 else ""
            raise ManifestError(f"{where}{document.error}")
    editable = [d for d in documents if isinstance(d.data, dict) and d.kind in KINDS]
    if not editable:
        if len(documents) == 1:
            data_ = documents[0].data
            if not isinstance(data_, dict):
                shape = "a list" if isinstance(data_, list) else "a single value"
                raise ManifestError(
                    f"a manifest is a mapping with apiVersion, kind and spec, not {shape}"
                )
            if not documents[0].kind:
                raise ManifestError(
                    "the manifest has no kind: a Pod says `kind: Pod`, a Deployment "
                    "`kind: Deployment`"
                )
        found = ", ".join(_label(document) for document in documents[:5])
        more = f" and {len(documents) - 5} more" if len(documents) > 5 else ""
        raise ManifestError(
            f"there is no Pod or workload to edit here (found {found}{more}): the builder "
            f"edits {EDITABLE}"
        )
    first = editable[0]
    problem = object_problem(first.data)
    if problem:
        where = f"document {first.index + 1}: " if len(documents) > 1 else ""
        raise ManifestError(f"{where}line {first.line}: {problem}")
    return Imported(first.data, text, first.index)


def render_file(design) -> str:
    """The design as a file: the imported file with its edited document written back, or the
    canonical YAML of a design started in the builder."""
    if not design.source:
        return dump_manifest(design.manifest)
    segments, documents = read_documents(design.source)
    if not 0 <= design.document < len(documents):
        return dump_manifest(design.manifest)
    document = documents[design.document]
    body = None if document.data == design.manifest else dump_manifest(design.manifest)
    return render_stream(design.source, segments, document.segment, body)


def file_too_large(design, yaml_text: str) -> bool:
    """Whether the file the design downloads as would be larger than an import may be."""
    if not design.source:
        return len(yaml_text) > MAX_BYTES or len(yaml_text.encode()) > MAX_BYTES
    if len(design.source.encode()) + len(yaml_text.encode()) <= MAX_BYTES:
        return False
    segments, documents = read_documents(design.source)
    if not 0 <= design.document < len(documents):
        return True
    old = segments[documents[design.document].segment].body
    size = len(design.source.encode()) - len(old.encode()) + len(yaml_text.encode())
    return size > MAX_BYTES


@dataclass(frozen=True)
class Listed:
    index: int
    kind: str
    name: str
    line: int
    editable: bool
    current: bool


def document_list(design) -> list[Listed]:
    """The file's documents, for the page: which one is edited, which can be."""
    if not design.source:
        return []
    _, documents = read_documents(design.source)
    if len(documents) < 2:
        return []
    return [
        Listed(
            document.index,
            document.kind or "(no kind)",
            document.name,
            document.line,
            isinstance(document.data, dict) and document.kind in KINDS,
            document.index == design.document,
        )
        for document in documents
    ]


def switched(design, index: int) -> Imported | None:
    """The design editing another document of its file: the edits so far are written into the
    file first, so switching back and forth loses nothing. ``None`` if that one is no
    workload."""
    source = render_file(design)
    _, documents = read_documents(source)
    if not 0 <= index < len(documents):
        return None
    document = documents[index]
    if document.error or not isinstance(document.data, dict) or document.kind not in KINDS:
        return None
    return Imported(document.data, source, index)
