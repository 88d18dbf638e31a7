"""Site-wide pages and the two probes the app exposes about itself."""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "podstudio/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Deliberately touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_GET
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
