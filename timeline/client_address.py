"""The address of the client a request comes from, trusting X-Forwarded-For exactly as far
as settings.NUM_PROXIES (DJANGO_NUM_PROXIES) says, and never further.

Both rate limits key on it: the API's anonymous throttle (`timeline.throttles`) and the
admin's login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE). One setting, one
rule, so the two can never disagree about who a client is.

- NUM_PROXIES = 0 (the default: the app is reached directly): the connecting address,
  REMOTE_ADDR. X-Forwarded-For is ignored, since anyone can send it.
- NUM_PROXIES = N: each of the N proxies in front appends the address it received the
  request from, so the client is the N-th entry from the right. Entries further left were
  written by the client, or by proxies nobody vouches for, and are never read. A header
  shorter than N (a request that did not pass every proxy) gives its leftmost entry, the
  one the outermost proxy it did pass wrote. A request with no header at all (a health
  probe sent to the app directly) gives REMOTE_ADDR, and so does an entry that is not an
  IP address (a misconfigured proxy), rather than a made-up identity.

This is the rule of Django REST framework's own `get_ident` with NUM_PROXIES, plus the
check that the entry is an address (django-axes stores it in an IP address column).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address (see the module doc); None only if the server gave none at all."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if not forwarded:
        return remote
    return _ip_address(forwarded[-min(proxies, len(forwarded))]) or remote


def _ip_address(entry: str) -> str | None:
    """`entry` as a normalized IP address, without a port some proxies add; None if it is none."""
    if entry.startswith("[") and "]" in entry:  # [2001:db8::1]:443
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:  # 203.0.113.9:443
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None
