"""Warms a server's master process before it forks its workers.

Every process otherwise pays on its first requests for what it keeps afterwards: compiled
templates, the lesson pages rendered once per process (``podstudio.frames``), the engine's
schemas. That is about 0.4 s, and gunicorn restarts a worker every ``max_requests`` requests:
each restart stalled the requests queued on that worker for as long. Done once in the master
(gunicorn's ``preload_app``), every worker is forked warm, and the pages it shares with its
siblings stay in shared memory.

The pages are asked for as a first-time visitor, who has no session: none of them reads or
writes the database (the tests hold it to that).
"""

import io
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

from podstudio.builder.services import make_preview
from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import KINDS, wrap

_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "warm", "labels": {"app": "warm"}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def warm_process(application: WSGIHandler) -> list[str]:
    """Renders the pages every visitor reads and runs the engine once; returns the paths that
    did not answer 200 (a warm-up that fails leaves the process as it was, only colder)."""
    missed = [path for path in _public_paths() if _get(application, path) != 200]
    for name in KINDS:
        analyze(_POD if name == "Pod" else wrap(_POD, name), settings.PODSTUDIO_K8S_VERSION)
    make_preview(_POD)  # the builder's highlighter and diagram
    connections.close_all()  # a forked worker must not share the master's connections
    return missed


def _public_paths() -> list[str]:
    from lessons import catalog

    lessons = [f"/lessons/{lesson.slug}/" for lesson in catalog.course().lessons]
    return ["/", "/healthz", "/lessons/", *lessons, "/builder/"]


def _get(application: WSGIHandler, path: str) -> int:
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = environ["SERVER_NAME"] = _host()
    statuses: list[str] = []
    response = application(environ, lambda status, headers, exc=None: statuses.append(status))
    try:
        b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0])


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if not host.startswith("."):
            return host
    return "localhost"
