"""Whole files checked: every document analyzed, or said why not, and every problem located.

``check_file`` reads a file's documents (``documents``), analyzes each Pod and workload
(``analyze``), says of every other document why it is not checked (a Service, a custom
resource, a List) and puts each error, Pod Security violation and finding at its line in the
file. The CLI's text, JSON and SARIF outputs and their exit codes are made from this.
"""

from typing import Any, NamedTuple

from podstudio.engine.documents import (
    MAX_DOCUMENTS,
    Document,
    TooManyDocuments,
    error_line,
    lines_of,
    listed_objects,
    locate,
    object_problem,
    read_documents,
    read_text,
)
from podstudio.engine.filefindings import (
    FILE_FINDINGS,
    SAYING_KINDS,
    SERVICE_FINDINGS,
    THIS_FILE,
    file_findings,
)
from podstudio.engine.ignore import ignored_ids
from podstudio.engine.kinds import KINDS, is_custom_group, kind_of, written_path
from podstudio.engine.kubectlfiles import KUBECTL_CANNOT_READ, kubectl_refusals
from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import keys_to_path, path_to_keys
from podstudio.engine.results import Finding
from podstudio.engine.yamlio import MAX_BYTES, ManifestError


class Problem(NamedTuple):
    """One thing to tell about a document, at a line of its file."""

    severity: str  # "error", "warning" or "info"
    rule: str  # a finding id, "invalid", "pod-security", "unreadable" or "not-checked"
    path: str
    message: str
    line: int | None
    fix: str = ""


class DocumentResult:
    """What was found in one document; filled in as it is checked."""

    __slots__ = (
        "document",
        "item",
        "item_keys",
        "line",
        "kind",
        "name",
        "shown_name",
        "report",
        "note",
        "unreadable",
        "problems",
    )

    def __init__(
        self,
        document: int | None,
        line: int | None,
        kind: str = "",
        name: str = "",
        shown_name: str = "",
    ):
        self.document = document  # 0-based index among the file's documents; None: whole file
        self.item: int | None = None  # 0-based index among the objects of a List document
        self.item_keys: tuple = ()  # and its place there (``list_objects``)
        self.line = line
        self.kind = kind
        self.name = name  # metadata.name, as reports give it
        self.shown_name = shown_name or name  # for people: generateName shows as "prefix…"
        self.report: Any = None  # analyze.Report when checked
        self.note = ""  # why it is not checked, or why it cannot be read
        self.unreadable = False
        self.problems: list[Problem] = []

    @property
    def checked(self) -> bool:
        return self.report is not None

    @property
    def file_findings(self) -> list[Problem]:
        """The findings of a document that is not checked itself, about the other documents
        of its file (``filefindings``: a Service's selector and ports)."""
        if self.checked:
            return []
        return [problem for problem in self.problems if problem.rule in _SAID_UNCHECKED]

    @property
    def title(self) -> str:
        """``Deployment web``, ``Pod (unnamed)``; an item of a List says which."""
        title = f"{self.kind or 'document'} {self.shown_name or '(unnamed)'}"
        if self.item is None:
            return title
        return f"{title} ({keys_to_path(self.item_keys) or f'items[{self.item}]'} of a List)"


class FileResult:
    """What was found in one file."""

    __slots__ = ("name", "documents", "error", "empty", "skipped")

    def __init__(self, name: str, error: str = "") -> None:
        self.name = name
        self.documents: list[DocumentResult] = []
        self.error = error  # the whole file cannot be read
        self.empty = ""  # a file found in a directory holds no document (not an error)
        # Why the file is left out, and how to check it: a Helm chart, a kustomize patch, YAML
        # that is no Kubernetes object (values, a Compose file). Neither an error nor a failure.
        self.skipped = ""

    @property
    def unreadable(self) -> bool:
        return bool(self.error) or any(result.unreadable for result in self.documents)

    @property
    def nothing_readable(self) -> bool:
        """Nothing in the file could be read (whatever could is reported)."""
        return (
            bool(self.error)
            or bool(self.documents)
            and all(result.unreadable for result in self.documents)
        )


def _not_checked(document: Document, version: str) -> tuple[str, str]:
    """Why a document is not analyzed, and how much that matters: ``error`` when kubectl or
    the API server would refuse it (no Kubernetes object at all is refused too), else
    ``info``."""
    data = document.data
    # Beside objects (a file of nothing else is skipped whole), kubectl stops at such a
    # document: `kubectl apply -f` fails, whatever it did with the documents before it.
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        return (
            f"not a Kubernetes object: this document is {shape}, not a mapping, and kubectl "
            'refuses it ("invalid object to validate")',
            "error",
        )
    kind = data.get("kind")
    api_version = data.get("apiVersion")
    if kind in (None, "") and api_version in (None, ""):
        return (
            "not a Kubernetes object: it has neither apiVersion nor kind, and kubectl refuses "
            'it ("apiVersion not set, kind not set")',
            "error",
        )
    if problem := object_problem(data):  # (a kind or apiVersion that is no string)
        return problem, "error"
    if kind == "List" or kind.endswith("List"):
        if isinstance(data.get("items"), list) or data.get("items", ...) is None:
            return f"this {kind} is empty: nothing to check", "info"
        return f"a {kind} holds its objects in a list under items:, and this one has none", "error"
    from podstudio.engine.schema import known_kinds

    if kind in KINDS and is_custom_group(api_version):
        return f"not checked: this {kind} of {api_version} is a custom resource", "info"
    known = known_kinds(version)
    if isinstance(api_version, str) and f"{api_version}/{kind}" not in known:
        meant = _meant_kind(kind, api_version, known)
        if meant:
            # A typo of a kind the apiVersion serves: kubectl says "no matches for kind".
            return (
                f'{api_version} serves no kind "{kind}" (did you mean {meant}?): kubectl '
                "refuses it",
                "error",
            )
    if f"{api_version}/{kind}" in known or any(item.endswith(f"/{kind}") for item in known):
        return f"not checked: Pod Studio checks Pods and workloads, not a {kind}", "info"
    message = f"not checked: {kind} is not a built-in kind of Kubernetes {version}"
    return message + " (a custom resource?)", "info"


# The most field errors of an object that is not checked said in its one line; the rest counted.
_FIELD_ERRORS_SAID = 3


def field_errors(data: Any, version: str) -> list:
    """What the API server cannot decode in an object of ``schemasource.FIELD_CHECKED_KINDS``
    (a field of the wrong type, an unknown field): it refuses the object before any of its
    rules is read.
    ``[]`` for an object of any other kind, which is not looked at."""
    from podstudio.engine.schema import fields_only_definition, schema_errors

    if not isinstance(data, dict):
        return []
    definition = fields_only_definition(version, data.get("apiVersion"), data.get("kind"))
    return schema_errors(data, version, definition) if definition else []


def _judged_unchecked(document: Document, version: str) -> tuple[str, str, list]:
    """``_not_checked``'s note and severity, made an error by ``field_errors`` (returned too)
    when the object is one the API server cannot decode."""
    note, severity = _not_checked(document, version)
    errors = field_errors(document.data, version) if severity == "info" else []
    return (_said_in_one_line(errors), "error", errors) if errors else (note, severity, errors)


# The builder's finding for a document of the file it keeps as is and Kubernetes would refuse.
FILE_OBJECT_REFUSED = "file-object-refused"


def kept_refusal(document: Document, version: str) -> str:
    """Why kubectl or the API server would refuse a readable document that Pod Studio does not
    check (a kind's typo, no object at all, ``field_errors``); "" when they would take it."""
    if document.error or document.data is None or kind_of(document.data) is not None:
        return ""
    note, severity, _ = _judged_unchecked(document, version)
    return note if severity == "error" else ""


def _said_in_one_line(errors: list) -> str:
    """``field_errors`` (one or more) in one line."""
    said = "; ".join(f"{error.path}: {error.message}" for error in errors[:_FIELD_ERRORS_SAID])
    more = len(errors) - _FIELD_ERRORS_SAID
    return f"Kubernetes would refuse it: {said}" + (f" (and {more} more)" if more > 0 else "")


def _meant_kind(kind: str, api_version: str, known: frozenset[str]) -> str:
    """The kind ``api_version`` serves that ``kind`` is a typo of (``pod``, ``Deploymnet``):
    at most two letters off, case aside; "" if none is that close."""
    served = [item[len(api_version) + 1 :] for item in known if item.startswith(f"{api_version}/")]
    served = [name for name in served if "/" not in name and not name.endswith("Options")]
    close = [name for name in served if _distance(name.lower(), kind.lower()) <= 2]
    return min(close, key=lambda name: _distance(name.lower(), kind.lower()), default="")


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (the strings are kind names: a few letters)."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1]


def looks_like_an_object(data: Any) -> bool:
    """A mapping that says apiVersion or kind means to be a Kubernetes object; one with neither
    (a compose file, some other YAML) is not one, and is only listed as not checked."""
    if isinstance(data, list):
        return bool(listed_objects(data))
    return isinstance(data, dict) and (
        data.get("apiVersion") not in (None, "") or data.get("kind") not in (None, "")
    )


def check_document(document: Document, body: str, version: str) -> DocumentResult:
    """One document of a file: analyzed if Pod Studio checks its kind, else a note why not."""
    result = DocumentResult(
        document.index, document.line, document.kind, document.name, document.shown_name
    )
    if document.error:
        result.unreadable = True
        result.note = document.error
        line = error_line(document.error) or document.line
        result.problems.append(Problem("error", "unreadable", "", document.error, line))
        return result
    data = document.data
    problem = object_problem(data) if looks_like_an_object(data) else ""
    if problem:
        # kubectl refuses it before the API server sees it: the input cannot be read.
        result.unreadable = True
        result.note = f"line {document.line}: {problem}"
        result.problems.append(Problem("error", "unreadable", "", problem, document.line))
        return result
    kind = kind_of(data)
    if kind is None:
        result.note, severity, errors = _judged_unchecked(document, version)
        line = document.line
        if errors:  # at the first field the API server cannot decode
            line = locate(document, body, _keys(errors[0].path)) or line
        rule = "invalid" if severity == "error" else "not-checked"
        result.problems.append(Problem(severity, rule, "", result.note, line))
        return result
    from podstudio.engine.analyze import analyze

    report = analyze(data, version)
    result.report = report

    def line(path: str) -> int:
        return locate(document, body, _keys(path))

    for error in report.errors:
        result.problems.append(
            Problem("error", "invalid", error.path, error.message, line(error.path))
        )
    for violation in report.pss.violations:
        result.problems.append(
            Problem(
                "warning" if violation.level == "baseline" else "info",
                f"pod-security-{violation.level}",
                violation.path,
                f"{violation.control}: {violation.message}",
                line(violation.path),
                violation.fix,
            )
        )
    for finding in report.findings:
        result.problems.append(
            Problem(
                finding.severity,
                finding.id,
                finding.path,
                finding.message,
                line(finding.path),
                finding.fix,
            )
        )
    return result


@short_text_cache(8192)
def _keys(path: str) -> list:
    """The keys of a field path as the document writes it (``kinds.written_path``); the same
    paths come back in every document of a run."""
    return path_to_keys(written_path(path))


def check_file(
    name: str, data: str | bytes, version: str, max_documents: int = MAX_DOCUMENTS
) -> FileResult:
    """Every document of one file (``name`` is what reports call it); a file of more than
    ``max_documents`` is an error, found before any is checked."""
    try:
        segments, documents = read_documents(read_text(data), max_documents, with_lines=True)
        return check_read(name, segments, documents, version, max_documents)
    except ManifestError as exc:
        result = FileResult(name)
        result.error = str(exc)
        return result


def check_read(
    name: str,
    segments: list,
    documents: list[Document],
    version: str,
    limit: int = MAX_DOCUMENTS,
) -> FileResult:
    """``check_file`` for a file already read into segments and documents. Each item of a List
    is checked as a document of its own (kubectl applies them one by one), and counts as one
    against ``limit`` (``TooManyDocuments``, raised before any is checked)."""
    listed = [list_objects(document.data) for document in documents]
    count = sum(len(items) or 1 for items in listed)
    if count > limit:
        raise TooManyDocuments(
            f"the file has more than {limit} documents (each item of a List counts as one)"
        )
    result = FileResult(name)
    objects = _objects(segments, documents, listed)
    for document, body, item, keys in objects:
        checked = check_document(document, body, version)
        checked.item, checked.item_keys = item, keys
        result.documents.append(checked)
    if any(document.kind in SAYING_KINDS for document, *_ in objects):
        _add_file_findings(result.documents, objects, THIS_FILE, result.unreadable)
    _add_kubectl_refusals(result.documents, segments, objects)
    return result


# What a document that is not checked itself still says: about the file's other documents, and
# about the file (a line kubectl cannot read).
_SAID_UNCHECKED = SERVICE_FINDINGS | {KUBECTL_CANNOT_READ}


def _add_kubectl_refusals(results: list[DocumentResult], segments: list, objects: list) -> None:
    """Each line kubectl stops at (``kubectl_refusals``), as an error finding of the document
    it opens or is in: the API server would accept the objects, but ``kubectl apply -f``
    refuses the file."""
    if not objects:
        return
    refusals = kubectl_refusals("".join(segment.text for segment in segments))
    starts = [segments[obj.document.segment].line for obj in objects]
    for refusal in refusals:
        position = max((i for i, start in enumerate(starts) if start <= refusal.line), default=0)
        result = results[position]
        if KUBECTL_CANNOT_READ in ignored_ids(objects[position].document.data)[0]:
            continue
        finding = Finding(KUBECTL_CANNOT_READ, "error", "", refusal.message, refusal.fix)
        if result.checked:
            result.report.findings.append(finding)
        result.problems.append(
            Problem("error", KUBECTL_CANNOT_READ, "", refusal.message, refusal.line, refusal.fix)
        )


class _Object(NamedTuple):
    """One object a file sends: a document, or an item of a List document (``item``)."""

    document: Document
    body: str  # the text of its document
    item: int | None
    item_keys: tuple = ()  # where the item is in its document: ("items", 1, "items", 0)


def _objects(segments: list, documents: list[Document], listed: list[list]) -> list[_Object]:
    objects = []
    for document, items in zip(documents, listed, strict=True):
        body = segments[document.segment].body
        if not items:
            objects.append(_Object(document, body, None))
            continue
        views = _item_documents(document, body, items)
        for number, (view, (keys, _)) in enumerate(zip(views, items, strict=True)):
            objects.append(_Object(view, body, number, keys))
    return objects


def file_objects(
    data: str | bytes, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_BYTES
) -> list[_Object]:
    """The objects of a file, in the order ``check_file`` reports them."""
    segments, documents = read_documents(read_text(data, max_bytes), max_documents, with_lines=True)
    return _objects(segments, documents, [list_objects(document.data) for document in documents])


def add_findings_across(
    files: list[tuple[FileResult, list[_Object]]], where: str, partial: bool
) -> None:
    """Judges the findings across files (``filefindings``) over several files sent together
    (``where``: "the files of this folder"), in place of each file's own: a Service in one
    file selects the Pods of a Deployment in another. ``files`` pairs each file's result with
    its objects (``file_objects``); ``partial``: some file sent with them cannot be read."""
    results: list[DocumentResult] = []
    objects: list[_Object] = []
    for result, found in files:
        if len(found) != len(result.documents):
            continue  # the file changed since it was checked: its own findings stand
        results.extend(result.documents)
        objects.extend(found)
    for result in results:
        result.problems = [
            problem for problem in result.problems if problem.rule not in FILE_FINDINGS
        ]
        if result.checked:
            findings = result.report.findings
            findings[:] = [finding for finding in findings if finding.id not in FILE_FINDINGS]
    _add_file_findings(results, objects, where, partial)


def _add_file_findings(
    results: list[DocumentResult], objects: list[_Object], where: str, partial: bool
) -> None:
    """What one object says of another (``filefindings``: a Service's selector and ports, the
    keys a container reads), as problems of the object that says it, at its lines."""
    found = file_findings([document.data for document, *_ in objects], where, partial)
    for position, findings in found.items():
        document, body, *_ = objects[position]
        if results[position].checked:  # a Pod or workload: among its own findings
            results[position].report.findings.extend(findings)
        results[position].problems.extend(
            Problem(
                finding.severity,
                finding.id,
                finding.path,
                finding.message,
                locate(document, body, _keys(finding.path)),
                finding.fix,
            )
            for finding in findings
        )


def list_items(data: Any) -> list:
    """The objects of a List (``kubectl get pods -o yaml`` prints ``kind: List``), as kubectl
    reads them to apply one by one (``list_objects``). ``[]`` for any other document."""
    return [item for _, item in list_objects(data)]


def list_objects(data: Any) -> list[tuple[tuple, Any]]:
    """Each object a List sends, with its keys from the document's root (``("items", 2)``).

    A List inside a List is flattened in kubectl's order (cli-runtime's FlattenListVisitor
    walks breadth first: a List's own objects, then those of the Lists among its items). An
    item with neither kind nor apiVersion takes those its List's kind implies (a ``PodList``'s
    items are ``v1`` Pods), as apimachinery's unstructured decoding does. ``[]`` for a
    document that is no List.
    """
    if _own_items(data) is None:
        return []
    found: list[tuple[tuple, Any]] = []
    queue: list[tuple[tuple, Any]] = [((), data)]
    for keys, value in queue:  # grows as Lists are met: breadth first
        items = _own_items(value)
        if items is None:
            found.append((keys, value))
        else:
            queue.extend(((*keys, "items", number), item) for number, item in enumerate(items))
    return found


def _own_items(data: Any) -> list | None:
    """A List's items, each with the kind its List implies when it names none; None when
    ``data`` is no List with a list of items."""
    if not isinstance(data, dict):
        return None
    kind, items = data.get("kind"), data.get("items")
    if not isinstance(kind, str) or not kind.endswith("List") or not isinstance(items, list):
        return None
    implied = {"kind": kind.removesuffix("List"), "apiVersion": data.get("apiVersion")}
    return [
        {**implied, **item}
        if isinstance(item, dict)
        and item.get("kind") in (None, "")
        and item.get("apiVersion") in (None, "")
        else item
        for item in items
    ]


def _item_documents(document: Document, body: str, objects: list) -> list[Document]:
    """Each object of a List (``list_objects``) as a document of its own: its line is the
    object's, and ``locate`` finds its fields in the List's text."""
    lines = lines_of(document, body)
    places = {keys: number for number, (keys, _) in enumerate(objects)}
    starts = [lines.get(keys, 0) for keys, _ in objects]
    by_item: list[dict] = [{} for _ in objects]
    for keys, line in lines.items():
        # An object's fields are under its keys (``items``, n, maybe ``items``, m, ...).
        for depth in range(2, len(keys), 2):
            number = places.get(keys[:depth])
            if number is not None:
                by_item[number][keys[depth:]] = line - starts[number]
                break
    views = []
    for number, (_, item) in enumerate(objects):
        view = Document(document.index, document.segment, document.line + starts[number])
        view.data, view._lines = item, by_item[number]
        views.append(view)
    return views


def _generated(doc: DocumentResult) -> bool:
    return not doc.name and doc.shown_name.endswith("…")


def document_report(
    doc: DocumentResult, file: str | None = None, listed: int | None = None
) -> dict:
    """One document's report as JSON data: where it is (``file`` when given), what it is, and
    the analysis keys with the line of each problem (the CLI's ``--format json``, the API's
    answer for a file of several documents). ``listed``: the most entries of each list
    (``analyze.MAX_LISTED`` unless given)."""
    item: dict = {"file": file} if file is not None else {}
    item.update(
        {
            "document": doc.document,
            **({"item": doc.item} if doc.item is not None else {}),
            # An object of a List inside a List: its place, as ``items[1].items[0]``.
            **({"item_path": keys_to_path(doc.item_keys)} if len(doc.item_keys) > 2 else {}),
            "kind": doc.kind,
            "name": doc.name,
            # An object named by the API server (``generateName``) is told apart by its prefix.
            **({"generateName": doc.shown_name[:-1]} if _generated(doc) else {}),
            "line": doc.line,
            "checked": doc.checked,
        }
    )
    if not doc.checked:
        # A document that cannot be read is not valid: kubectl refuses the whole file.
        item["valid"] = not doc.unreadable and not any(
            problem.rule == "invalid" for problem in doc.problems
        )
        item["note"] = doc.note
        if doc.unreadable:
            item["error"] = doc.note
        if findings := doc.file_findings:
            item["findings"] = [
                {
                    "id": problem.rule,
                    "severity": problem.severity,
                    "path": problem.path,
                    "message": problem.message,
                    "fix": problem.fix,
                    "line": problem.line,
                }
                for problem in findings
            ]
        return item
    report = doc.report.to_dict() if listed is None else doc.report.to_dict(listed)
    by_path = {}
    for problem in doc.problems:
        by_path.setdefault((problem.rule, problem.path), problem.line)
    for error in report["errors"]:
        error["line"] = by_path.get(("invalid", error["path"]))
    for violation in report["pss"]["violations"]:
        violation["line"] = by_path.get((f"pod-security-{violation['level']}", violation["path"]))
    for finding in report["findings"]:
        finding["line"] = by_path.get((finding["id"], finding["path"]))
    item.update(report)
    return item
