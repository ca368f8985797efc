"""The API's anonymous rate limit: DRF's AnonRateThrottle, per real client, counted in the shared cache.

Each anonymous client (by `timeline.client_address`, which trusts X-Forwarded-For as far
as DJANGO_NUM_PROXIES says) gets API_ANON_THROTTLE_RATE requests per period, then 429
with Retry-After. Signed-in users are not throttled here.

The counts are DRF's: the times of the client's recent requests, kept in Django's default
cache (settings.CACHES), which every worker process shares (a table of the database, or
Redis). DRF reads the list, checks it, and writes it back; two requests of one client
served at the same instant by two workers may both read the same list, so a burst can
pass the rate by about the number of requests in flight at once. A steady client is held
to the rate whichever worker serves it.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle

from timeline.client_address import client_address


class AnonymousClientThrottle(AnonRateThrottle):
    """DRF's anonymous throttle (scope "anon"), keyed on the real client's address."""

    def get_ident(self, request) -> str | None:
        return client_address(request)
