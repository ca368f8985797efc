"""Health probes for the container runtime and the load balancer: /healthz and /readyz.

Both are served over plain HTTP (settings exempt them from the HTTPS redirect), answer
JSON, are never cached, and stay cheap: they read no session and look up no user.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from timeline.db_unavailable import RETRY_AFTER_SECONDS, close_broken_connections

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: GET /healthz answers 200 `{"status": "ok"}` while the process can serve requests.

    It never touches the database, so a database outage does not make the runtime restart
    healthy processes (use /readyz to take the instance out of rotation instead). A probe
    that gets no answer, or anything but 200, means the process is stuck and should be
    restarted.
    """
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: GET /readyz answers 200 `{"status": "ready"}` when this instance can serve traffic.

    Ready means the database answers a `SELECT 1` and every migration in the code is
    applied to it. Otherwise the answer is 503 with `Retry-After: 5` and
    `{"status": "unavailable", "reason": "..."}`, the reason being "database unreachable"
    or "N unapplied migration(s)"; the details (the driver's error, the migration names)
    go to the log, not to the caller.

    Cost: one connection (reused between requests), `SELECT 1`, and the two small queries
    the migration recorder makes (does django_migrations exist, which rows it holds), plus
    reading the migration graph from the code.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Error as exc:
        logger.warning("readiness: database unreachable: %s: %s", type(exc).__name__, exc)
        close_broken_connections()
        return _unavailable("database unreachable")
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan)
        logger.warning("readiness: unapplied migrations: %s", names)
        return _unavailable(f"{len(plan)} unapplied migration(s)")
    return JsonResponse({"status": "ready"})


def _unavailable(reason: str) -> JsonResponse:
    response = JsonResponse({"status": "unavailable", "reason": reason}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
