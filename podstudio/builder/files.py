"""Designs made from files: import a file of any number of documents, edit one workload at a
time, write the whole file back.

The design keeps the imported text (``Design.source``) and the index of the document it edits
(``Design.document``); ``Design.manifest`` is that document as edited. ``render_file`` is the
one place that makes the exported text. By default it is the author's file: every document but
the edited one byte for byte as imported, and the edited one with only the values the edits
changed written anew (``textedit.rewrite``), so comments, key order and quoting survive. Asked
for the canonical form, it is what ``podstudio normalize`` makes of that file. ``shown_text`` is
the edited document as the preview shows it, in the same form as the default download.

A keystroke in the preview reads the same imported text again and again: its split into
documents is kept per text (``_layout``), and ``textedit`` keeps the places of each document's
values (``cached_source``), so a keystroke re-reads nothing of the original.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from podstudio.engine.documents import (
    Document,
    Segment,
    TooManyDocuments,
    describe_output_hint,
    is_json,
    object_problem,
    read_documents,
    read_text,
    render_stream,
)
from podstudio.engine.filefindings import SAYING_KINDS
from podstudio.engine.filefindings import file_findings as across_file
from podstudio.engine.files import FILE_OBJECT_REFUSED, kept_refusal, list_items
from podstudio.engine.kinds import (
    KINDS,
    document_path,
    is_custom_group,
    kind_of,
    shown_name,
    template_of,
)
from podstudio.engine.kubectlfiles import KUBECTL_CANNOT_READ, kubectl_refusals
from podstudio.engine.paths import as_dict
from podstudio.engine.results import Finding
from podstudio.engine.schema import resolve_version
from podstudio.engine.textedit import rewrite_kept, same
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import BOM, MAX_BYTES, ManifestError, wide_encoding
from podstudio.engine.yamlio import _parse as parse_document  # (as documents reads each)

EDITABLE = ", ".join(KINDS)
# The page lists every document with a form of its own, and a keystroke re-reads the file: an
# install file of a few hundred documents is real, ten thousand tiny ones is not.
MAX_FILE_DOCUMENTS = 500


@dataclass(frozen=True)
class Imported:
    manifest: dict
    source: str
    document: int
    encoding: str = ""  # "utf-16-le" or "utf-16-be" for a file that came as UTF-16


def _label(document: Document) -> str:
    if not isinstance(document.data, dict):
        return "a list" if isinstance(document.data, list) else "a single value"
    label = f"{document.kind or '(no kind)'} {document.name}".strip()
    api_version = document.data.get("apiVersion")
    return f"{label} of {api_version}" if is_custom_group(api_version) else label


class ListToSplit(ManifestError):
    """The file holds a List of objects and nothing else to edit: its items can be imported
    as documents of their own (``lists_as_documents``)."""


def _list_problem(kind: str, items: list) -> ManifestError:
    """What to do with a List, as `kubectl get pods -o yaml` prints several objects."""
    named = [_item_label(item) for item in items if isinstance(item, dict)]
    found = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
    if not found:
        return ManifestError(
            f"this {kind:.60} is empty: kubectl get prints one for several objects, and this "
            "one has none"
        )
    return ListToSplit(
        f"this {kind:.60} holds {found}: kubectl get prints one for several objects, and the "
        "builder edits one object at a time. Import its items as documents of their own (the "
        "button below: they are written in the builder's layout, without the List's comments), "
        "or paste one item on its own"
    )


def lists_as_documents(text: str) -> str:
    """The file with the items of each List written as documents of their own, one after
    another (as ``podstudio normalize`` writes them, comments aside); every other document is
    kept byte for byte. A List with an item that is no object is kept as it is."""
    segments, documents = read_documents(text, MAX_FILE_DOCUMENTS)
    parts = [segment.text for segment in segments]
    for document in documents:
        items = list_items(document.data)
        if not items or not all(isinstance(item, dict) for item in items):
            continue
        segment = segments[document.segment]
        body = "---\n".join(dump_manifest(item) for item in items)
        parts[document.segment] = segment.prefix + body + segment.suffix
    for number in range(len(parts) - 1):
        if not parts[number].endswith("\n"):
            parts[number] += "\n"
    return "".join(parts)


def _item_label(item: dict) -> str:
    kind = f"{item.get('kind') or '(no kind)'!s:.60}"
    name = as_dict(item.get("metadata")).get("name")
    return f"{kind} {name!s:.60}" if name else kind


def import_text(data: str | bytes) -> Imported:
    """The first Pod or workload of a file, with the file; ``ManifestError`` says why not."""
    text = read_text(data)
    if isinstance(data, bytes) and data.startswith(BOM.encode()):
        text = BOM + text  # kept with the file, as a pasted text keeps it (split_segments)
    if not text.lstrip(BOM).strip():
        raise ManifestError("the input is empty: paste a Pod or workload manifest")
    try:
        _, documents = read_documents(text, MAX_FILE_DOCUMENTS)
    except TooManyDocuments:
        raise ManifestError(
            f"the file has more than {MAX_FILE_DOCUMENTS} documents: the builder edits files of "
            f"at most {MAX_FILE_DOCUMENTS} (check a larger one with `podstudio analyze`)"
        ) from None
    if not documents:
        raise ManifestError("the input holds no manifest, only comments or empty documents")
    editable = [d for d in documents if kind_of(d.data) is not None]
    # A document that cannot be read is kept as text, like any other the builder does not
    # edit (a Secret with a {{TOKEN}} placeholder beside the Deployment); the page lists it
    # with its problem. Without anything to edit, its problem is the answer.
    broken = [document for document in documents if document.error]
    if broken and not editable:
        where = f"document {broken[0].index + 1}: " if len(documents) > 1 else ""
        raise ManifestError(f"{where}{broken[0].error}")
    if not editable:
        if len(documents) == 1:
            data_ = documents[0].data
            if not isinstance(data_, dict):
                raise ManifestError(object_problem(data_))
            kind = data_.get("kind")
            if kind is None or kind == "":
                raise ManifestError(
                    "the manifest has no kind: a Pod says `kind: Pod`, a Deployment "
                    "`kind: Deployment`" + describe_output_hint(data_)
                )
            if not isinstance(kind, str):  # as the command line says it
                raise ManifestError(object_problem(data_))
            if kind.endswith("List") and isinstance(data_.get("items"), list):
                raise _list_problem(kind, list_items(data_))
        for document in documents:  # a List beside a Service: its items can be split out too
            items = list_items(document.data)
            if items:
                problem = _list_problem(str(document.data.get("kind")), items)
                raise type(problem)(f"document {document.index + 1}: {problem}")
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
    return Imported(first.data, text, first.index, wide_encoding(data))


@lru_cache(maxsize=32)
def _layout(source: str) -> tuple[tuple[Segment, ...], tuple[Document, ...]]:
    """The imported file's segments and documents, read once per text and process.

    Shared by every request that asks, so nothing here may be changed: callers that hand a
    document's data on (``switched``) read the file themselves."""
    segments, documents = read_documents(source)
    return tuple(segments), tuple(documents)


def imported_data(design) -> dict | None:
    """The edited document as the imported file holds it (shared: never changed), or None
    for a design made in the builder."""
    if not design.source:
        return None
    _, documents = _layout(design.source)
    if not 0 <= design.document < len(documents):
        return None
    data = documents[design.document].data
    return data if isinstance(data, dict) else None


class Edited(NamedTuple):
    segments: tuple[Segment, ...]
    index: int  # the edited document's segment
    body: str | None  # its new text (None while the document is unchanged)
    kept: bool = True  # False: the edit could not be placed in the author's text (written anew)


def _edited_body(design, manifest) -> Edited | None:
    """The edited document in its file (``Edited``); ``None`` for a design without a file."""
    if not design.source:
        return None
    segments, documents = _layout(design.source)
    if not 0 <= design.document < len(documents):
        return None
    document = documents[design.document]
    if same(document.data, manifest):
        return Edited(segments, document.segment, None)
    # The segment alone, as ``read_documents`` read it: the edit cannot reach another document.
    body = segments[document.segment].body
    # A change of kind moves the Pod's spec into a template (or out of one) with the file's own
    # text: the result is read back once, as an edit of a file with anchors always is.
    moved = not isinstance(document.data, dict) or document.data.get("kind") != manifest.get("kind")
    staged = _spec_as_it_was(document.data, manifest) if moved else None
    if staged is not None:
        # First the Pods' spec as the file has it, moved whole (comments and quoting too); then
        # the edits made to it since, in place, as in any other document.
        try:
            first, first_kept = rewrite_kept(body, 0, staged, check=True)
        except ManifestError:
            first_kept = False
        if first_kept:
            body = first
    try:
        text, kept = rewrite_kept(body, 0, manifest, check=moved)
    except ManifestError:  # data the author's style cannot hold: the document written anew
        return Edited(segments, document.segment, dump_manifest(manifest), kept=False)
    suffix = segments[document.segment].suffix
    if kept and _KEEP_CHOMPED.search(body) and not _reads_back(text + suffix, manifest):
        # A block scalar that keeps its final line breaks (|+) now ends the document, or a
        # list: the blank lines after it (in the file, after the body) became its text.
        return Edited(segments, document.segment, dump_manifest(manifest), kept=False)
    return Edited(segments, document.segment, text, kept)


def _spec_as_it_was(old: Any, new: dict) -> dict | None:
    """``new`` (another kind than ``old``) with its Pods' spec as ``old`` holds it, ``None``
    when that is ``new`` itself or there is no such spec. Rewriting the file to this moves the
    spec's text whole; moved with its edits, every part of it the edits changed (a renamed
    volume, a restartPolicy a Job needs) would be written anew, comments and quotes gone."""
    old_kind, new_kind = kind_of(old), kind_of(new)
    if old_kind is None or new_kind is None or old_kind.template == new_kind.template:
        return None
    was, now = template_of(old, old_kind), template_of(new, new_kind)
    if not isinstance(was, dict) or not isinstance(now, dict) or "spec" not in was:
        return None
    if "spec" not in now or same(was["spec"], now["spec"]):
        return None
    staged = dict(new)
    holder = staged
    for key in new_kind.template:
        holder[key] = dict(holder[key])
        holder = holder[key]
    holder["spec"] = was["spec"]
    return staged


# A block scalar's header that keeps trailing line breaks: ``|+``, ``>+2``, ``|2+``.
_KEEP_CHOMPED = re.compile(r"(?:^|[ \t:-])[|>](?:[1-9]?\+|\+[1-9])[ \t]*(?:#.*)?$", re.M)


def _reads_back(text: str, manifest: dict) -> bool:
    """Whether ``text`` reads as ``manifest``, as kubectl would read it."""
    try:
        return same(parse_document(text), manifest)
    except ManifestError:
        return False


def shown_text(design, manifest: dict | None = None) -> str:
    """What the preview shows for ``manifest`` (the design's own by default): the edited
    document as the author wrote it, with the edits (its comments before and after it
    included), or the canonical YAML of a design started in the builder."""
    return shown(design, manifest)[0]


def shown(design, manifest: dict | None = None) -> tuple[str, bool]:
    """``shown_text``, and whether it kept the author's text (False: written anew)."""
    manifest = design.manifest if manifest is None else manifest
    edited = _edited_body(design, manifest)
    if edited is None:
        return dump_manifest(manifest), True
    segment = edited.segments[edited.index]
    if edited.body is None:
        return segment.text, True
    return render_stream(segment.text, [segment], 0, edited.body), edited.kept


@lru_cache(maxsize=32)
def source_is_json(source: str) -> bool:
    """Whether an imported file is JSON (one object or a stream): worked out once per file,
    not on every keystroke."""
    return is_json(source)


def original_text(design) -> str | None:
    """The edited document's text as imported (the preview's highlighter reuses its markup)."""
    if not design.source:
        return None
    segments, documents = _layout(design.source)
    if not 0 <= design.document < len(documents):
        return None
    return segments[documents[design.document].segment].text


class Across(NamedTuple):
    """What the file's documents say of one another while the design is edited."""

    findings: list[Finding]  # among the design's own findings
    notes: dict[int, tuple[str, ...]]  # what the list of documents says of a Service, by index


NOTHING_ACROSS = Across([], {})

# How the list of documents names a Service's finding, next to the Service.
_SERVICE_NOTES = {
    "service-selects-nothing": "selects none of the Pods in this file",
    "service-target-port-unknown": "names a target port the Pods do not declare",
}


def findings_across(design, manifest: dict) -> Across:
    """What the file's other documents make of the design as edited now (``filefindings``):
    a Service whose selector the Pods' labels no longer match, or whose named targetPort they
    no longer declare, and a key it reads that a ConfigMap or Secret of the file lacks (at
    its field). The Service is kept as it is, so a selector that matches nothing is said at
    the Pod labels, the side the form edits, and marked beside the Service in the list of
    documents; another workload's findings wait for its turn."""
    if design is None or not design.source:
        return NOTHING_ACROSS
    unread = list(_kubectl_findings(design.source)) + list(_refused_findings(design.source))
    _, documents = _layout(design.source)
    if len(documents) < 2 or not any(document.kind in SAYING_KINDS for document in documents):
        return Across(unread, {}) if unread else NOTHING_ACROSS
    objects = [
        manifest if document.index == design.document else document.data for document in documents
    ]
    kind = kind_of(manifest)
    labels = document_path(kind, "metadata.labels") if kind else ""
    found = across_file(objects)
    services = {
        position: findings
        for position, findings in found.items()
        if documents[position].kind == "Service"
    }
    said = [
        Finding(
            finding.id,
            finding.severity,
            labels if finding.id == "service-selects-nothing" else "",
            f"In this file: {finding.message}",
            finding.fix,
        )
        for findings in services.values()
        for finding in findings
    ]
    notes = {
        documents[position].index: tuple(
            dict.fromkeys(_SERVICE_NOTES[finding.id] for finding in findings)
        )
        for position, findings in services.items()
    }
    return Across(unread + said + found.get(design.document, []), notes)  # its own: at fields


@lru_cache(maxsize=32)
def _kubectl_findings(source: str) -> tuple[Finding, ...]:
    """The lines of the imported file that ``kubectl apply -f`` stops at (``kubectl_refusals``):
    the download as imported keeps them, so the builder says so (the canonical one has none)."""
    return tuple(
        Finding(
            KUBECTL_CANNOT_READ,
            "error",
            "",
            f"Line {refusal.line} of the imported file: {refusal.message}",
            f"{refusal.fix} Or download the canonical YAML, which has no such line.",
        )
        for refusal in kubectl_refusals(source)
    )


@lru_cache(maxsize=32)
def _refused_findings(source: str) -> tuple[Finding, ...]:
    """The documents kept as is that kubectl or the API server would refuse (``_refusals``):
    the download carries them, so the builder says so among the edited Pod's findings, not
    only in the list of documents (its green "Valid" is the edited document's)."""
    _, documents = _layout(source)
    return tuple(
        Finding(
            FILE_OBJECT_REFUSED,
            "error",
            "",
            f"In this file: {document.kind or 'a document'} {document.shown_name} (line "
            f"{document.line}), kept as it is: {refusal}",
            "Mend it in your editor (the builder edits Pods and workloads only): kubectl "
            "apply -f fails on it.",
        )
        for document, refusal in zip(documents, _refusals(source), strict=True)
        if refusal
    )


def render_file(design, *, canonical: bool = False) -> str:
    """The design as a file: the imported file with its edited document changed only where
    the edits changed it, or (``canonical``) every document of it as canonical YAML; a design
    started in the builder is canonical YAML either way."""
    if canonical:
        return canonical_file(design)
    edited = _edited_body(design, design.manifest)
    if edited is None:
        return dump_manifest(design.manifest)
    return render_stream(design.source, list(edited.segments), edited.index, edited.body)


def canonical_file(design) -> str:
    """What ``podstudio normalize`` prints for the design's file: each document as canonical
    YAML (the edited one as edited), joined by ``---``. Comments and formatting are the
    price; no value is lost."""
    if not design.source:
        return dump_manifest(design.manifest)
    segments, documents = _layout(design.source)
    if not 0 <= design.document < len(documents):
        return dump_manifest(design.manifest)
    texts = [
        dump_manifest(design.manifest)
        if document.index == design.document
        else dump_manifest(document.data)
        if not document.error
        else segments[document.segment].body  # unreadable: kept as it is
        for document in documents
    ]
    return "---\n".join(texts)


def file_too_large(design, shown: str) -> bool:
    """Whether the file the design downloads as would be larger than an import may be;
    ``shown`` is the preview's text of the edited document (``shown_text``)."""
    if not design.source:
        return len(shown) > MAX_BYTES or len(shown.encode()) > MAX_BYTES
    size = len(design.source.encode())
    if size + len(shown.encode()) <= MAX_BYTES:
        return False
    segments, documents = _layout(design.source)
    if not 0 <= design.document < len(documents):
        return True
    old = segments[documents[design.document].segment].text
    return size - len(old.encode()) + len(shown.encode()) > MAX_BYTES


@dataclass(frozen=True)
class Listed:
    index: int
    kind: str
    name: str
    line: int
    editable: bool
    current: bool
    problem: str = ""  # why it cannot be read (it is kept as text all the same)
    refused: str = ""  # why kubectl or the API server would refuse it (a ConfigMap's PORT: 8080)
    notes: tuple[str, ...] = ()  # what it says of the edited Pods (a Service's selector)


def document_list(design, manifest: dict | None = None, notes=None) -> list[Listed]:
    """The file's documents, for the page: which one is edited (as ``manifest`` is now),
    which can be, and the ``notes`` of ``findings_across``."""
    if not design.source:
        return []
    _, documents = _layout(design.source)
    if len(documents) < 2:
        return []
    manifest = design.manifest if manifest is None else manifest
    listed = []
    for document in documents:
        current = document.index == design.document
        if current:  # as the design holds it now: its kind changed, it was renamed
            kind, name = str(manifest.get("kind") or ""), shown_name(manifest)
        else:
            kind = document.kind or ("Document" if document.error else "(no kind)")
            name = document.shown_name
        editable = kind_of(document.data) is not None
        said = (notes or {}).get(document.index, ())
        listed.append(
            Listed(
                document.index,
                kind,
                name,
                document.line,
                editable,
                current,
                problem=document.error,
                refused="" if editable else _refusals(design.source)[document.index],
                notes=said,
            )
        )
    return listed


@lru_cache(maxsize=32)
def _refusals(source: str) -> tuple[str, ...]:
    """Why kubectl or the API server would refuse each document of the file that is kept as
    is (``kept_refusal``: a Service's ``port: "80"``, a stray ``EOF``); "" for one they would
    take. Read once per text and process, as ``_layout``: those documents never change while
    one is edited."""
    _, documents = _layout(source)
    version = resolve_version(None)
    return tuple(kept_refusal(document, version) for document in documents)


def switched(design, index: int) -> Imported | None:
    """The design editing another document of its file: the edits so far are written into the
    file first, so switching back and forth loses nothing. ``None`` if that one is no
    workload."""
    source = render_file(design)
    _, documents = read_documents(source)
    if not 0 <= index < len(documents):
        return None
    document = documents[index]
    if document.error or kind_of(document.data) is None:
        return None
    return Imported(document.data, source, index)
