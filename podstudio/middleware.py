"""Request limits enforced before a body is read into memory, the security headers, and the
reader's time zone."""

import zoneinfo
from collections.abc import Callable
from functools import cache

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.utils import timezone


class RequestBodyLimitMiddleware:
    """Refuses any request whose declared body is larger than ``PODSTUDIO_MAX_REQUEST_BYTES``.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it
    streams to disk whatever their size; this refuses both from the ``Content-Length`` header
    alone, before a byte of the body is read. A body sent without a length (``Transfer-Encoding:
    chunked``) is refused with 411: Django reads a body only as far as its Content-Length, so it
    would be taken for an empty one, and the development server cannot read it at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        limit = settings.PODSTUDIO_MAX_REQUEST_BYTES
        if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
            message = (
                "Content-Length required: send the body with its length "
                "(curl --data-binary does), not chunked."
            )
            return refuse(request, message, 411)
        if declared and not (declared.isascii() and declared.isdigit()):
            return refuse(request, "The request's Content-Length is not a number.", 400)
        if int(declared or "0") > limit:
            message = (
                f"The request is larger than {limit // 1024} KiB, the most Pod Studio accepts."
            )
            return refuse(request, message, 413)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A body that stopped arriving (the client went silent or away while sending it) is
        the client's failure, answered 400 rather than 500."""
        if isinstance(exception, UnreadablePostError):
            return refuse(request, "The request's body did not arrive whole.", 400)
        return None


def refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """Answers without reading the body: JSON for the API, a page for people.

    The body is left unread, so the connection must not carry another request. gunicorn sees
    to it (it discards at most 64 KiB of what is left, then closes); WSGI forbids the
    application a ``Connection`` header, so the answer has no ``Content-Length``, which makes
    the development server close the connection. Without ``_discard_nothing`` that server would
    first read the whole announced body (the ``Content-Length`` can say 100 GB).
    """
    response = say(request, message, status)
    _discard_nothing(request)
    return response


def say(
    request: HttpRequest, message: str, status: int, template: str = "refused.html", **context
) -> HttpResponse:
    """An answer of ``status`` that gives ``message``: JSON for the API, a page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=status)
    context = {"message": message, "status": status, **context}
    return render(request, template, context, status=status)


def _discard_nothing(request: HttpRequest) -> None:
    """Tells Django's development server (runserver) not to read the refused body: it reads
    what the application left of ``wsgi.input`` (its own ``LimitedStream``) before it answers
    the next request. Other servers' streams are left as they are."""
    stream = request.environ.get("wsgi.input")
    if isinstance(stream, LimitedStream):
        stream.limit = 0


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once per policy in the settings.

    django-csp builds the header from the settings again for every response, a tenth of what a
    lesson page costs; here no view sets a nonce or a policy of its own, so the header is the
    same every time. A response that does carry its own (a ``csp_update`` decorator, a nonce
    in a template) is still built by django-csp.
    """

    _OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
    _built: tuple[object, str] | None = None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        configured = settings.CONTENT_SECURITY_POLICY
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._OWN_POLICY)
        ):
            return super().process_response(request, response)
        if self._built is None or self._built[0] is not configured:
            self._built = (configured, build_policy())
        if CSP_HEADER not in response:
            response[CSP_HEADER] = self._built[1]
        return response


TIME_ZONE_COOKIE = "tz"


@cache
def _time_zone_names() -> frozenset[str]:
    """The IANA names this machine knows, read once: a cookie names one of them or none."""
    return frozenset(zoneinfo.available_timezones())


class LocalTimeZoneMiddleware:
    """Shows times in the reader's own time zone, which ``site.js`` keeps in a cookie.

    A workshop's "ends at" in the server's UTC sent learners an hour or more off. The cookie is
    only a hint: a name this machine does not know (or none, on a first visit or without
    JavaScript) leaves UTC, and every time shown carries its zone's abbreviation either way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = request.COOKIES.get(TIME_ZONE_COOKIE, "")
        if name and name in _time_zone_names():
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        return self.get_response(request)


NOT_STORED = "max-age=0, no-cache, no-store, must-revalidate, private"


class PrivatePagesMiddleware:
    """Marks a page built from the session (a learner's designs, progress, sandbox; an
    instructor's classrooms) ``Cache-Control: private, no-store`` unless its view said
    otherwise: on a shared computer or behind a proxy, the next person must not get it from a
    cache. Static files and ``/healthz`` read no session and are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            request.method in ("GET", "HEAD")
            and "Cache-Control" not in response
            and session is not None
            and session.accessed
        ):
            # What ``never_cache`` writes, as one string: its header builder costs a lesson page
            # a tenth of its time, and the header is known to be missing here.
            response.headers["Cache-Control"] = NOT_STORED
        return response
