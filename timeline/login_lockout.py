"""The admin login's answer to a locked-out client: 429, Retry-After, and a plain sentence.

django-axes counts failed logins per client address (`timeline.client_address`) in the
database, which every worker process shares; after LOGIN_FAILURE_LIMIT failures with no
gap of LOGIN_FAILURE_WINDOW seconds between them, logins from that address are refused,
the right password included, until LOGIN_FAILURE_WINDOW seconds after the last one. A
success before the limit clears the address's count. Other addresses are never affected.
Settings name this function as AXES_LOCKOUT_CALLABLE.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MESSAGE = "Too many failed login attempts from your address; try again later.\n"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """429 with Retry-After: the lockout lasts LOGIN_FAILURE_WINDOW seconds after the last failure."""
    response = HttpResponse(MESSAGE, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
    return response
