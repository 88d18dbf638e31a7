"""JSON API: the engine over HTTP. Thin: read the body, call the engine, answer JSON.

Both endpoints take one Pod or workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
CronJob, ReplicationController); ``analyze`` also takes a file of several documents, as
``podstudio analyze`` does."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from podstudio.engine.analyze import MAX_LISTED
from podstudio.engine.analyze import analyze as analyze_pod
from podstudio.engine.documents import MAX_DOCUMENTS, ReadAsFile, load_object
from podstudio.engine.files import check_read, document_report
from podstudio.engine.results import as_dicts
from podstudio.engine.schema import UnknownVersionError, resolve_version
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import MAX_BYTES, ManifestError

# A file of several documents costs about 0.3 ms of checking and 5 KiB of answer per document:
# a shared server answers files of a few hundred; `podstudio analyze` takes larger ones.
MAX_DOCUMENTS_PER_REQUEST = 500
# Errors, violations and findings listed in one answer, across its documents: 500 documents of
# 10 privileged containers each made an answer of 57 MB from 976 KiB. Past this, a document's
# lists are cut (``truncated`` gives their whole counts); verdicts and levels stay whole.
MAX_LISTED_PER_ANSWER = 2000


def _read_manifest(request: HttpRequest, limit: int = MAX_DOCUMENTS) -> dict:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BYTES:
        raise ManifestError(f"the input is larger than {MAX_BYTES // 1024} KiB")
    return load_object(request.body, limit)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def require_post(view: Callable[[HttpRequest], JsonResponse]) -> Callable:
    """Django's ``require_POST``, answering another method as the API answers: 405 with a JSON
    error (and the ``Allow`` header), not an empty HTML page."""

    @wraps(view)
    def checked(request: HttpRequest) -> JsonResponse:
        if request.method != "POST":
            response = _error(
                f"use POST, with the manifest as the request body (not {request.method})", 405
            )
            response["Allow"] = "POST"
            return response
        encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            return _error(
                f"the body is sent with Content-Encoding {encoding[:20]!r}, which the API does "
                "not read: send the manifest as it is (curl --data-binary @pod.yaml)",
                415,
            )
        if request.content_type == "multipart/form-data":
            return _error(
                "the manifest is sent as a form upload (multipart/form-data, as curl -F sends "
                "it), which the API does not read: send the file itself as the body (curl "
                "--data-binary @pod.yaml -H 'Content-Type: application/yaml')",
                415,
            )
        return view(request)

    return checked


@csrf_exempt
@require_post
def analyze(request: HttpRequest) -> JsonResponse:
    """``POST /api/v1/analyze?k8s_version=X.Y`` with a Pod or workload as YAML or JSON."""
    try:
        version = resolve_version(request.GET.get("k8s_version") or settings.PODSTUDIO_K8S_VERSION)
        manifest = _read_manifest(request, MAX_DOCUMENTS_PER_REQUEST)
    except ReadAsFile as read:  # several documents, or one of a kind not checked
        return _file_report(read, version)
    except (ManifestError, UnknownVersionError) as exc:
        return _error(str(exc))
    return JsonResponse(analyze_pod(manifest, version).to_dict())


def _file_report(read: ReadAsFile, version: str) -> JsonResponse:
    """A file of several documents (or of one not checked), as read already: one report per
    document (as ``podstudio analyze --format json`` writes them, without ``file``); other
    kinds are "not checked", a document that cannot be read has its ``error``. ``valid``:
    whether kubectl could apply the file."""
    try:
        result = check_read(
            "request body", read.segments, read.documents, version, MAX_DOCUMENTS_PER_REQUEST
        )
    except ManifestError as exc:  # more items in its Lists than a request may check
        return _error(str(exc))
    documents, left = [], MAX_LISTED_PER_ANSWER
    for doc in result.documents:
        item = document_report(doc, listed=min(MAX_LISTED, left // 3))  # three lists
        left -= sum(len(item.get(name) or ()) for name in ("errors", "findings"))
        left -= len((item.get("pss") or {}).get("violations") or ())
        left = max(left, 0)
        documents.append(item)
    valid = all(item["valid"] for item in documents)
    return JsonResponse({"valid": valid, "documents": documents})


@csrf_exempt
@require_post
def normalize(request: HttpRequest) -> JsonResponse:
    """``POST /api/v1/normalize``: the canonical YAML the builder would export, and whether
    Kubernetes would accept it (the CLI's exit code 0 or 1)."""
    try:
        version = resolve_version(request.GET.get("k8s_version") or settings.PODSTUDIO_K8S_VERSION)
        manifest = _read_manifest(request)
    except (ManifestError, UnknownVersionError) as exc:
        return _error(str(exc))
    errors = analyze_pod(manifest, version).errors
    answer = {
        "yaml": dump_manifest(manifest),
        "valid": not errors,
        "errors": as_dicts(errors[:MAX_LISTED]),
    }
    if len(errors) > MAX_LISTED:
        answer["truncated"] = {"errors": len(errors)}
    return JsonResponse(answer)


ENDPOINTS = ("/api/v1/analyze", "/api/v1/normalize")


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/: a JSON 404 that names the endpoints (a client that added a
    slash is told which one it meant)."""
    meant = request.path.rstrip("/")
    if meant in ENDPOINTS:
        return _error(f"no such endpoint: {meant} has no trailing slash", 404)
    return _error(f"no such endpoint: the API has POST {' and POST '.join(ENDPOINTS)}", 404)
