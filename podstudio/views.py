"""Site-wide pages and the two probes the app exposes about itself."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    """Readiness: the database answers and every migration is applied."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return JsonResponse({"ready": False, "reason": f"database unreachable: {exc}"}, status=503)
    if pending:
        return JsonResponse(
            {"ready": False, "reason": f"{len(pending)} migration(s) not applied"}, status=503
        )
    return JsonResponse({"ready": True})
