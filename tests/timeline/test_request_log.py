"""Structured request logs: one JSON line per request, its id echoed, errors carrying it."""

import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import include, path

from timeline.request_log import JsonFormatter, RequestIdFilter


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("", include("timeline.urls"))]


@pytest.fixture
def log_lines():
    """What the request and error loggers write, as parsed JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("timeline.requests"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_request_is_one_json_line_with_its_id(seeded, client, log_lines):
    response = client.get("/api/v1/events/", {"page_size": 2}, HTTP_X_REQUEST_ID="trace-abc-123")
    assert response["X-Request-ID"] == "trace-abc-123"
    (line,) = log_lines()
    assert {
        k: line[k] for k in ("logger", "message", "request_id", "method", "path", "status", "user_id")
    } == {
        "logger": "timeline.requests",
        "message": "request",
        "request_id": "trace-abc-123",
        "method": "GET",
        "path": "/api/v1/events/",
        "status": 200,
        "user_id": None,
    }
    assert line["duration_ms"] >= 0


def test_an_unusable_request_id_is_replaced(seeded, client, log_lines):
    response = client.get("/api/v1/actors/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert len(response["X-Request-ID"]) == 32
    assert log_lines()[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.urls("tests.timeline.test_request_log")
def test_errors_are_logged_with_the_request_id_and_no_traceback_reaches_the_client(db, log_lines):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="err-42")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "err-42"
    assert "RuntimeError" not in response.content.decode()
    error = next(line for line in log_lines() if line["logger"] == "django.request")
    assert error["request_id"] == "err-42"
    assert error["level"] == "ERROR"
    assert "RuntimeError: a bug" in error["exception"]


def test_every_extra_field_is_kept_and_times_have_milliseconds():
    """What a caller passes as `extra` is what operators get to search on."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.request_log.extras")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(
            "database unavailable", extra={"sqlstate": "57P01", "attempt": 2, "client": {"ip": "203.0.113.9"}}
        )
    finally:
        logger.removeHandler(handler)
        logger.propagate = True

    line = json.loads(stream.getvalue())
    assert {k: line[k] for k in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING",
        "logger": "tests.request_log.extras",
        "message": "database unavailable",
        "request_id": "-",
    }
    assert (line["sqlstate"], line["attempt"], line["client"]) == ("57P01", 2, {"ip": "203.0.113.9"})
    # ISO 8601 in UTC, to the millisecond: 2026-11-25T10:00:00.123+00:00
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"]), line["time"]
