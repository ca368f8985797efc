"""One JSON line per request, and a request id that ties it to the response and to errors.

Each request gets an id: the caller's `X-Request-ID` when it is a sane token (so a proxy's
id carries through), otherwise a new UUID. The id is echoed in the response's
`X-Request-ID` header, written on the request's log line (stdout), and added to every
log record emitted while the request runs — Django's error reports on stderr included.

Records are written as JSON by python-json-logger (`JsonFormatter`): every field a caller
passes as `extra` is kept, at the top level of the object.
"""

import contextvars
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
logger = logging.getLogger("timeline.requests")


class RequestLogMiddleware:
    """Outermost middleware: times the request and logs it as one JSON line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = _loaded_user(request)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _loaded_user(request):
    """The request's user if something already loaded it; never a query of our own.

    Reading `request.user` would load the session and the user for every request
    (health probes and static files included), and fail while the database is down.
    """
    user = request.__dict__.get("user")
    user = getattr(user, "_wrapped", user)
    return None if user is empty else user


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record (or "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(_LibraryJsonFormatter):
    """A log record as one JSON object: `time`, `level`, `logger`, `message`, `request_id`,
    then every `extra` field, and `exception` (the traceback) when there is one.

    `time` is ISO 8601 in UTC to the millisecond (2026-11-25T10:00:00.123+00:00), so lines
    from several processes sort and line up with the database's own logs.
    """

    FIELDS = ("asctime", "levelname", "name", "message", "request_id")
    RENAMED = {"asctime": "time", "levelname": "level", "name": "logger", "exc_info": "exception"}

    def __init__(self, **kwargs):
        super().__init__(list(self.FIELDS), rename_fields=self.RENAMED, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
