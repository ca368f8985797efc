"""Slow down password guessing on the admin login: too many failures from one address → 429.

Failed logins are counted per client address in the cache for LOGIN_FAILURE_WINDOW
seconds; once LOGIN_FAILURE_LIMIT is reached, further login attempts from that address
are answered 429 with Retry-After until the window passes. A successful login clears
the count. (With several server processes, use a shared cache so they count together.)
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import reverse


def _key(request) -> str:
    return f"login-failures:{request.META.get('REMOTE_ADDR', '-')}"


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _key(request)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


@receiver(user_logged_in)
def clear_failures(sender, request, user, **kwargs):
    if request is not None:
        cache.delete(_key(request))


class LoginThrottleMiddleware:
    """Refuses login attempts (POSTs to the admin login) from an address over the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path == reverse("admin:login")
            and (cache.get(_key(request)) or 0) >= settings.LOGIN_FAILURE_LIMIT
        ):
            response = HttpResponse(
                "Too many failed login attempts from your address; try again later.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
            return response
        return self.get_response(request)
