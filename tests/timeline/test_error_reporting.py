"""Error reporting: with SENTRY_DSN, a 500 reaches the Sentry server tagged with its request id;
without it, sentry_sdk is not even imported.

The Sentry server is a small HTTP server of our own on 127.0.0.1 that keeps what it is
sent; the app runs in a subprocess (sentry_sdk is set up once per process, by settings).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

# A request to a view that raises (tests/timeline/test_request_log.py's /boom/), as the app serves it.
SCRIPT = """
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings

with override_settings(ROOT_URLCONF="tests.timeline.test_request_log"):
    status = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="report-42").status_code
if "sentry_sdk" in sys.modules:
    sys.modules["sentry_sdk"].flush(timeout=10)
print(status, "sentry_sdk" in sys.modules)
"""


@pytest.fixture
def sentry_server():
    """A stand-in for Sentry's ingestion endpoint; yields its DSN and the bodies it received."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://public-key@127.0.0.1:{server.server_port}/1", received
    finally:
        server.shutdown()
        server.server_close()


def serve_one_error(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "timeline.settings",
            "DJANGO_SECRET_KEY": "tests-only",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "CRITICAL",
            "no_proxy": "127.0.0.1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_with_sentry_dsn_a_500_is_reported_with_its_request_id(sentry_server):
    dsn, received = sentry_server

    assert serve_one_error(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="test") == "500 True"

    reports = [body for body in received if b'"exception"' in body]
    assert len(reports) == 1, received
    assert b"RuntimeError" in reports[0] and b"a bug" in reports[0]
    assert b'"request_id":"report-42"' in reports[0].replace(b" ", b"")


def test_without_sentry_dsn_nothing_is_imported_or_sent():
    assert serve_one_error() == "500 False"
