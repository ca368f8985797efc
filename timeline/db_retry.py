"""Run a read request again, once, when PostgreSQL aborted it as a deadlock or serialization failure.

A deadlock (SQLSTATE 40P01) or serialization failure (40001) is PostgreSQL choosing one
transaction to abort so that another can finish: the same work run again normally
succeeds. Which requests may simply be run again:

- **GET, HEAD and OPTIONS: yes, once.** They change no records here (reads are open, writes
  need another method), so running one twice shows the client the same kind of answer it
  asked for. Their only writes are bookkeeping that a repeat merely repeats: an anonymous
  client's throttle count goes up by two instead of one, a session's expiry is refreshed.
- **Every other method: no.** Nothing makes a write request one transaction (there is no
  ATOMIC_REQUESTS, which would also send every read of a transaction to the primary; see
  `timeline/db_router.py`): a request may commit part of its work (a history row, one of
  several saves) before another part deadlocks, and repeating it would apply that part
  twice. Its error goes on to Django: a 500, logged with its traceback and the request id
  (and reported, with SENTRY_DSN). An editor saves again, as the README says.

A second conflict on the repeat is answered the same way, a 500 with its traceback: two
in a row mean contention worth seeing, not bad luck.

How: the view's error reaches `process_exception` before Django turns it into a 500 (and
logs it), so a first conflict of a safe request is answered with a placeholder that marks
the request, and `__call__`, which wraps the rest of the middleware and the view, runs
them again. Errors raised by other middleware are not retried (Django has already made
them a 500). Place this near the top of MIDDLEWARE, above the replica router, so the
repeat is a new unit of work for it.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse

from timeline.db_errors import is_transaction_conflict, sqlstate

logger = logging.getLogger(__name__)

# Methods whose requests change no records, and so may be run twice.
REPEATABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Request attributes: the conflict that stopped the first attempt, and that a repeat is running.
_CONFLICT = "_timeline_transaction_conflict"
_REPEATING = "_timeline_repeating"


class TransactionConflictRetryMiddleware:
    """Runs a GET, HEAD or OPTIONS request once more after a deadlock or serialization failure."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        conflict = request.__dict__.pop(_CONFLICT, None)
        if conflict is None:
            return response
        logger.warning(
            "transaction conflict, running %s %s again: %s",
            request.method,
            request.path,
            str(conflict).strip().splitlines()[0] if str(conflict).strip() else type(conflict).__name__,
            extra={"sqlstate": sqlstate(conflict)},
        )
        setattr(request, _REPEATING, True)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if (
            request.method not in REPEATABLE_METHODS
            or getattr(request, _REPEATING, False)
            or not is_transaction_conflict(exception)
        ):
            return None  # Django's 500, logged with the traceback
        setattr(request, _CONFLICT, exception)
        # Goes back up through the inner middleware, then is thrown away for the repeat's
        # answer. A 500, so that none of them takes it for a success (SessionMiddleware does
        # not save the session of a 500).
        return HttpResponse(status=500)
