"""Request limits enforced before a body is read into memory."""

from collections.abc import Callable

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
