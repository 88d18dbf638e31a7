"""Request limits enforced before a body is read into memory, and the security headers."""

from collections.abc import Callable

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class RequestBodyLimitMiddleware:
    """Refuses any request whose declared body is larger than ``PODSTUDIO_MAX_REQUEST_BYTES``.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it
    streams to disk whatever their size; this refuses both from the ``Content-Length`` header
    alone, before a byte of the body is read. A body without a length is not read at all (WSGI).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.PODSTUDIO_MAX_REQUEST_BYTES
        if not declared.isdigit():
            return refuse(request, "The request's Content-Length is not a number.", 400)
        if int(declared) > limit:
            message = (
                f"The request is larger than {limit // 1024} KiB, the most Pod Studio accepts."
            )
            return refuse(request, message, 413)
        return self.get_response(request)


def refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """Answers without reading the body: JSON for the API, a page for people."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": message}, status=status)
    else:
        response = render(request, "refused.html", {"message": message}, status=status)
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response


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
