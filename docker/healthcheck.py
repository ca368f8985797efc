"""The container's health check: GET /healthz from the local gunicorn; exit 0 on a 200, 1 otherwise.

Docker's HEALTHCHECK runs it (the slim image has no curl). It asks the address gunicorn
listens on (GUNICORN_BIND, default 0.0.0.0:8000, reached through 127.0.0.1), and sends the
first of DJANGO_ALLOWED_HOSTS as the Host header, so Django does not refuse the probe as
coming from a host it does not serve. /healthz never touches the database: an outage does
not make a healthy process look dead (/readyz is the probe for that).
"""

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4


def probe_url() -> str:
    bind = os.environ.get("GUNICORN_BIND", "").strip() or "0.0.0.0:8000"
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "*"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


def host_header() -> str:
    for entry in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(","):
        entry = entry.strip()
        if entry == "*":
            return "localhost"
        if entry:
            return entry.lstrip(".")  # ".example.org" allows example.org and its subdomains
    return "localhost"


def main() -> int:
    request = urllib.request.Request(probe_url(), headers={"Host": host_header()})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except (urllib.error.URLError, OSError) as exc:  # HTTPError (any non-2xx) is a URLError
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"unhealthy: HTTP {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
