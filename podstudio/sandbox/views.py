"""The builder's sandbox panel: dry run, apply, live status, logs and delete.

Every view acts in the requesting learner's own namespace, derived from the session; no request
parameter can name another. htmx requests get the panel's fragments; plain form posts and links
get a whole page, so the panel also works without JavaScript.

Each learner's requests that reach the cluster are rate limited (shared by every server process),
and each request's cluster work runs in one time budget of PODSTUDIO_SANDBOX_TIMEOUT seconds: a
hung cluster holds one server thread for that long, never more.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from lessons.progress import current_learner
from podstudio import ratelimit
from podstudio.engine.documents import load_object
from podstudio.engine.yamlio import ManifestError
from podstudio.sandbox import actions, namespaces, workloads
from podstudio.sandbox.client import SandboxUnavailable, is_configured, time_budget

TOUCH_EVERY_SECONDS = 600  # while a learner watches a Pod, mark the namespace active this often
STOP_POLLING = 286  # htmx stops an `every 2s` trigger when it gets this status
TOO_MANY_REQUESTS = 429


def how_to_enable() -> str:
    return (
        "The sandbox cluster is off: run make sandbox and set PODSTUDIO_SANDBOX_KUBECONFIG "
        "(README, “Sandbox cluster”)."
    )


def _classroom_labels(request: HttpRequest) -> dict[str, str]:
    """A learner in a classroom gets its code on the namespace (``podstudio.dev/classroom``)."""
    from classrooms.sandbox import namespace_labels

    return namespace_labels(request)


def _namespace(request: HttpRequest, *, create_session: bool) -> str | None:
    """The learner's namespace; a visitor who is not a learner yet has none until they act."""
    learner = current_learner(request, create=create_session)
    return namespaces.namespace_for(learner.key) if learner is not None else None


_LIMITED = {
    "actions": ("action (dry run, apply or delete)", "actions (dry runs, applies and deletes)"),
    "reads": ("status or log request", "status and log requests"),
}


def _over_limit(namespace: str, kind: str) -> str:
    """Counts one request of ``kind`` ("actions" or "reads") for the learner; when that is one
    too many this minute, the sentence that says so (else "")."""
    per_minute = (
        settings.PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE
        if kind == "actions"
        else settings.PODSTUDIO_SANDBOX_READS_PER_MINUTE
    )
    limit = ratelimit.Limit(count=per_minute, seconds=60)
    key = f"sandbox-{kind}:{namespace}"
    if ratelimit.allow(key, limit):
        return ""
    one, many = _LIMITED[kind]
    return (
        f"Slow down: the sandbox takes up to {per_minute} {one if per_minute == 1 else many} "
        f"a minute from each learner. Try again in {ratelimit.seconds_left(key, limit)} s."
    )


def _budget():
    return time_budget(settings.PODSTUDIO_SANDBOX_TIMEOUT)


def _design_manifest(slug: str) -> object:
    from podstudio.builder.models import Design

    design = Design.objects.filter(slug=slug).first()
    return design.manifest if design is not None else None


def _manifest_from(request: HttpRequest) -> tuple[object, str]:
    """The Pod to send: the posted YAML, or the saved builder design named by its slug."""
    text = request.POST.get("manifest")
    if text is None and request.POST.get("design"):
        manifest = _design_manifest(request.POST["design"])
        return (manifest, "") if manifest is not None else (None, "That design no longer exists.")
    if not text:
        return None, "There is no manifest to send."
    try:
        return load_object(text), ""
    except ManifestError as exc:
        return None, str(exc)


def _pod_name(params, manifest: object = None) -> str:
    """The Pod a request is about: ``pod`` if given, else the name in the design or manifest."""
    if params.get("pod"):
        return params["pod"]
    if manifest is None and params.get("design"):
        manifest = _design_manifest(params["design"])
    metadata = manifest.get("metadata") if isinstance(manifest, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else ""


def _status_url(params) -> str:
    keep = {key: params[key] for key in ("design", "pod", "kind") if params.get(key)}
    return reverse("sandbox:status") + ("?" + urlencode(keep) if keep else "")


def _kind_name(params, manifest: object = None) -> str:
    """The kind a request is about: ``kind`` if given, else the design's or manifest's."""
    if params.get("kind"):
        return params["kind"]
    if manifest is None and params.get("design"):
        manifest = _design_manifest(params["design"])
    kind = workloads.kind_of(manifest)
    return kind.name if kind is not None else "Pod"


def _doer(action: str, manifest: object):
    """Dry run or apply, of a Pod (``actions``) or a workload (``workloads``)."""
    module = workloads if workloads.workload_kind(manifest) else actions
    return module.dry_run if action == "dry-run" else module.apply


def _delete(params, namespace: str):
    kind_name = _kind_name(params)
    if kind_name != "Pod":
        return workloads.delete(kind_name=kind_name, name=_pod_name(params), namespace=namespace)
    return actions.delete(name=_pod_name(params), namespace=namespace)


def _status_context(kind_name: str, name: str, namespace: str) -> dict:
    """The live status of a Pod (``pod``) or of a workload and what it made (``workload``)."""
    if kind_name != "Pod":
        view = workloads.status(kind_name=kind_name, name=name, namespace=namespace)
        return {"workload": view, "pod": view}
    return {"pod": actions.status(name=name, namespace=namespace)}


def _back_url(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("builder:new")


def _render(request: HttpRequest, page: str, context: dict, status: int = 200) -> HttpResponse:
    if request.htmx:
        return render(request, f"sandbox/sandbox.html#{page}", context, status=status)
    context.update(page=page, back_url=_back_url(request))
    return render(request, "sandbox/sandbox.html", context, status=status)


def _act(request: HttpRequest, action: str) -> HttpResponse:
    if not is_configured():
        return _render(request, "result", {"unavailable": how_to_enable()}, status=503)
    namespace = _namespace(request, create_session=True)
    context: dict = {}
    manifest, problem = (None, "") if action == "delete" else _manifest_from(request)
    if problem:
        return _render(request, "result", {"problem": problem}, status=400)
    slow_down = _over_limit(namespace, "actions")
    if slow_down:
        return _render(request, "result", {"problem": slow_down}, status=TOO_MANY_REQUESTS)
    try:
        with _budget():
            if action == "delete":
                namespaces.ensure_namespace(namespace=namespace, labels=_classroom_labels(request))
                result = _delete(request.POST, namespace)
            else:
                if not actions.scheduling_problems(manifest):  # refused without the cluster
                    namespaces.ensure_namespace(
                        namespace=namespace, labels=_classroom_labels(request)
                    )
                result = _doer(action, manifest)(manifest=manifest, namespace=namespace)
            context["result"] = result
            context["kind"] = _kind_name(request.POST, manifest)  # (for "Go to field")
            context["warnings"] = actions.warning_items(result.warnings)
            if action != "dry-run":
                request.session["sandbox_touched"] = time.time()
            if result.pod_name and not request.htmx:
                kind_name = context["kind"]  # of the manifest sent, pasted ones too
                context.update(_status_context(kind_name, result.pod_name, namespace))
                kind = {"kind": kind_name} if kind_name != "Pod" else {}
                context["status_url"] = _status_url({"pod": result.pod_name, **kind})
    except SandboxUnavailable as exc:
        context["unavailable"] = str(exc)
    response = _render(request, "result", context)
    if action != "dry-run":
        response["HX-Trigger"] = "sandbox-refresh"  # the live status region reloads at once
    return response


@require_POST
def dry_run(request: HttpRequest) -> HttpResponse:
    return _act(request, "dry-run")


@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    return _act(request, "apply")


@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    return _act(request, "delete")


@require_safe
def status(request: HttpRequest) -> HttpResponse:
    context: dict = {"status_url": _status_url(request.GET)}
    if not is_configured():
        context["unavailable"] = how_to_enable()
        return _render(
            request, "status_body", context, status=STOP_POLLING if request.htmx else 200
        )
    name = _pod_name(request.GET)
    namespace = _namespace(request, create_session=False)
    if namespace is None:
        context["pod"] = actions.PodView(name=name, namespace="", exists=False)
        return _render(request, "status_body", context)
    slow_down = _over_limit(namespace, "reads")
    if slow_down:
        context["unavailable"] = slow_down
        return _render(request, "status_body", context, status=TOO_MANY_REQUESTS)
    try:
        with _budget():
            context.update(_status_context(_kind_name(request.GET), name, namespace))
            if context["pod"].exists and _due_for_touch(request):
                namespaces.touch_namespace(namespace=namespace)
    except SandboxUnavailable as exc:
        context["unavailable"] = str(exc)
    return _render(request, "status_body", context)


def _read(
    request: HttpRequest,
    page: str,
    context: dict,
    before_first_apply: dict,
    read: Callable[[str], dict],
) -> HttpResponse:
    """``page`` of a read of the learner's namespace: ``before_first_apply`` while they have
    none, what ``read(namespace)`` gives after; the sandbox off, too many reads in a minute or
    a cluster that does not answer said as such."""
    namespace = _namespace(request, create_session=False)
    if not is_configured():
        context["unavailable"] = how_to_enable()
    elif namespace is None:
        context.update(before_first_apply)
    elif slow_down := _over_limit(namespace, "reads"):
        context["unavailable"] = slow_down
        return _render(request, page, context, status=TOO_MANY_REQUESTS)
    else:
        try:
            with _budget():
                context.update(read(namespace))
        except SandboxUnavailable as exc:
            context["unavailable"] = str(exc)
    return _render(request, page, context)


@require_safe
def logs(request: HttpRequest) -> HttpResponse:
    name = _pod_name(request.GET)
    container = request.GET.get("container", "")
    return _read(
        request,
        "logs",
        {"pod_name": name},
        {"logs": actions.LogsView(container, unavailable="Nothing applied yet.")},
        lambda namespace: {
            "logs": actions.logs(name=name, namespace=namespace, container=container)
        },
    )


@require_safe
def everything(request: HttpRequest) -> HttpResponse:
    """Every Pod and workload the learner has in their namespace, whatever design it came
    from, each with its Delete: none is lost to a renamed design or a drill."""
    return _read(
        request,
        "everything",
        {},
        {"objects": []},
        lambda namespace: {"objects": workloads.everything(namespace=namespace)},
    )


def _due_for_touch(request: HttpRequest) -> bool:
    last = request.session.get("sandbox_touched", 0)
    if time.time() - last < TOUCH_EVERY_SECONDS:
        return False
    request.session["sandbox_touched"] = time.time()
    return True
