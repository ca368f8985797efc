"""Answer 503, not 500, while the database is unreachable; recover by itself when it is back.

When PostgreSQL is down (restarting, failing over, out of connections), every query fails
with a connection-class error (`timeline.db_errors.is_connection_failure`: SQLSTATE class
08, 57P01-57P03, 53300, or a refused or unreachable server, which has no SQLSTATE).
Without this middleware each request that needs the database ends in Django's 500 page. With it, the client gets a short JSON
answer saying what happened and when to try again:

    HTTP 503, Retry-After: 5, {"detail": "the database is unavailable; try again shortly"}

Errors are caught wherever they are raised:

- in a view (including DRF views, which re-raise errors they do not handle): through
  `process_exception`;
- in another middleware (a session saved or loaded, the user looked up): Django turns
  those into a 500 response at that middleware's layer, so the error never reaches us as
  an exception. A `got_request_exception` receiver marks the request, and the 500 that
  comes back up the chain is replaced by the 503;
- anything that still propagates as an exception (DEBUG_PROPAGATE_EXCEPTIONS): around
  `get_response`.

Recovery needs no restart: on such an error the broken connections are closed at once
(Django would otherwise close them at the end of the request), and with
CONN_HEALTH_CHECKS the next request checks a reused connection before trusting it, so the
first request after the database is back reconnects. To make each attempt fail fast when
the server is unreachable (not refused), the connection should have a psycopg
`connect_timeout`.

Only those errors count. Others that Django also raises as OperationalError are not
outages and must not hide as one: a deadlock or serialization failure is run again or
answered 500 (`timeline.db_retry`), a statement timeout is a 500; Django logs each 500
with its traceback and the request id, and error reporting (SENTRY_DSN) sees it.

Place it near the top of MIDDLEWARE (right after SecurityMiddleware) so it wraps every
middleware that may touch the database.
"""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import SimpleLazyObject, empty

from timeline.db_errors import is_connection_failure, sqlstate

logger = logging.getLogger(__name__)

# Seconds a client should wait before retrying (the Retry-After header of every 503).
RETRY_AFTER_SECONDS = 5
DETAIL = "the database is unavailable; try again shortly"

# Attribute set on a request whose handling raised a database-unavailable error somewhere
# Django caught it before it reached this middleware.
_REQUEST_MARK = "_timeline_database_unavailable"


def unavailable_response() -> JsonResponse:
    """The 503 answer: JSON detail and Retry-After."""
    response = JsonResponse({"detail": DETAIL}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def close_broken_connections() -> None:
    """Close the connections a failed query left unusable, so the next use reconnects.

    The same check Django runs at the start and end of each request
    (close_if_unusable_or_obsolete), done now, on the connections where a database error
    occurred (a failed connection attempt leaves none open). A connection inside an atomic
    block is left alone: whoever opened the block (a test's transaction, a caller) owns it.
    Best effort: a failure here must not turn the 503 into a 500.
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not connection.errors_occurred or connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:
            logger.warning("could not close database connection %r", connection.alias, exc_info=True)


@receiver(got_request_exception, dispatch_uid="timeline.db_unavailable.mark_request")
def _mark_request(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Remember that Django turned a database-unavailable error into a 500 for this request.

    Sent while the error is being handled, so sys.exception() is that error.
    """
    exc = sys.exception()
    if request is not None and is_connection_failure(exc):
        setattr(request, _REQUEST_MARK, exc)


class DatabaseUnavailableMiddleware:
    """Turn database-unavailable errors into a 503 JSON answer with Retry-After (see module doc)."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:
            if not is_connection_failure(exc):
                raise
            return self._unavailable(request, exc)
        marked = getattr(request, _REQUEST_MARK, None)
        if marked is not None and response.status_code == 500:
            return self._unavailable(request, marked)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_connection_failure(exception):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request: HttpRequest, exc: BaseException) -> JsonResponse:
        # One line per request, not a traceback: an outage is not a bug in the code.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        logger.warning(
            "database unavailable, answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(exc).__name__,
            first_line,
            extra={"sqlstate": sqlstate(exc)},
        )
        close_broken_connections()
        _forget_unloaded_user(request)
        return unavailable_response()


def _forget_unloaded_user(request: HttpRequest) -> None:
    """Make `request.user` anonymous if looking it up has not succeeded yet.

    AuthenticationMiddleware sets `request.user` to a lazy object that reads the session
    and the user from the database on first use. If that first use failed because the
    database is down, the next use (a logging middleware further out reading the user id)
    would try again, fail again, and turn our 503 into a 500. The user is unknown for this
    request, so it is anonymous.
    """
    user = request.__dict__.get("user")
    if type(user) is SimpleLazyObject and user._wrapped is empty:
        request.user = AnonymousUser()
