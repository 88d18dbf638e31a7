"""Site-wide pages and the two probes the app exposes about itself."""

import logging
import re
from functools import cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from podstudio.frames import Frame, frame_context
from podstudio.middleware import refuse, say

logger = logging.getLogger(__name__)


@cache
def _home_frame() -> Frame:
    """The home page is the same for everyone: rendered once per process (podstudio.frames)."""
    context = {"nav_section": "", "k8s_version": settings.PODSTUDIO_K8S_VERSION}
    return Frame.from_html(render_to_string("podstudio/home.html", frame_context(context)))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if get_messages(request):
        return render(request, "podstudio/home.html")
    return HttpResponse(_home_frame().fill(lambda name: _home_region(name, request), request))


def _home_region(name: str, request: HttpRequest) -> str:
    """The home page's one personal part: what is due for review, and the streak (lessons)."""
    if name != "review":
        raise KeyError(f"the home page has no hole {name!r}")
    from lessons.templatetags.lessons_tags import review_status_html

    return review_status_html(request)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Deliberately touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and every migration is applied; says which check failed."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        # The details (host, port, user) go to the log, never to whoever asks.
        logger.exception("readiness: the database does not answer")
        return JsonResponse({"ready": False, "failed": "database"}, status=503)
    if pending:
        return JsonResponse({"ready": False, "failed": "migrations"}, status=503)
    return JsonResponse({"ready": True})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (``handler400``) for a request it will not read, said in words: JSON for
    the API, as every other refusal; Django's own page is a bare "Bad Request (400)"."""
    limits = {
        TooManyFieldsSent: (
            f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields, "
            "the most Pod Studio reads."
        ),
        TooManyFilesSent: (
            f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files, "
            "the most Pod Studio reads."
        ),
        RequestDataTooBig: "The request's form fields are larger than Pod Studio reads.",
    }
    message = limits.get(type(exception), "")
    if not message and isinstance(exception, SuspiciousOperation):
        message = "Pod Studio cannot read this request."
    return refuse(request, message or "The request is malformed.", 400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 (``handler404``) with the site's layout and the reason the view gave
    ("There is no design with that address."); JSON for the API."""
    message = _reason(exception) or "There is no page at this address."
    return _error(request, "Not found", message, 404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 403 (``handler403``), saying why: "The classroom has ended: its work is
    read-only." Django's own page is a bare "403 Forbidden"."""
    message = _reason(exception) or "You cannot do this here."
    return _error(request, "Not allowed", message, 403)


_CSRF_CAUSE = (
    "This page is out of date: it was opened before you signed in or out, or this browser's "
    "cookies were cleared."
)
CSRF_MESSAGE = f"{_CSRF_CAUSE} Reload the page and do it again; what was saved is kept."


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's ``CSRF_FAILURE_VIEW``: a form sent from a page whose token is no longer the
    browser's (a sign-in in another tab changes it) is refused with what to do, on the site's
    page; Django's own is a bare "CSRF verification failed". ``Podstudio-Refused`` carries the
    sentence for the scripts, which say it beside the form (htmx swaps no 403)."""
    on_its_own = f"{_CSRF_CAUSE} Go back, reload the page and do it again; what was saved is kept."
    response = say(request, on_its_own, 403, "error.html", title="Page out of date")
    response["Podstudio-Refused"] = CSRF_MESSAGE  # said on the page that sent the form
    return response


def _reason(exception: Exception | None) -> str:
    """The message a view raised, when it is one written for people (the URL resolver's 404
    carries a dict of the patterns it tried, which is not)."""
    said = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(said, str):
        return ""
    # get_object_or_404's "No Design matches the given query.", said for people
    if found := _NO_MATCH.fullmatch(said):
        return f"There is no {_WORDS.get(found[1], found[1].lower())} at this address."
    return said


_NO_MATCH = re.compile(r"No (\w+) matches the given query\.")
_WORDS = {"Design": "design", "Member": "learner", "Classroom": "classroom"}


def _error(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return say(request, message, status, "error.html", title=title)
