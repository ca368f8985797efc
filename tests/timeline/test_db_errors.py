"""Database errors are told apart by their SQLSTATE: outages get a 503, conflicts a retry, bugs a 500.

Every error here is a real one from the real server: a deadlock between a request and a
second connection, a statement timeout, a server that terminates the session, a port
nobody listens on. Requests that must run outside the test's transaction (the deadlock:
two transactions on two connections) are served by the test client in a thread of their
own, which opens its own connection to the test database; they commit, so the table they
lock is made for the test and dropped after it.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import uuid

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError
from django.http import JsonResponse
from django.test import Client
from django.urls import include, path

from tests.connections import connect
from timeline.db_errors import is_connection_failure, is_transaction_conflict, sqlstate
from timeline.request_log import JsonFormatter, RequestIdFilter

# The table the deadlock views lock rows of, named per test (set by the `probe` fixture).
PROBE = {"table": "", "attempts": 0}


def lock_two_rows(request):
    """Adds 1 to row 1, then to row 2, in one transaction; counts how often it ran."""
    PROBE["attempts"] += 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {PROBE['table']} SET n = n + 1 WHERE id = 1")
        cursor.execute(f"UPDATE {PROBE['table']} SET n = n + 1 WHERE id = 2")
    return JsonResponse({"attempts": PROBE["attempts"]})


def slow_query(request):
    """A query that outlives its statement_timeout (57014: query_canceled)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '50ms'")
        cursor.execute("SELECT pg_sleep(5)")
    return JsonResponse({"slept": True})


urlpatterns = [
    path("lock-two-rows/", lock_two_rows),
    path("slow-query/", slow_query),
    path("", include("timeline.urls")),
]
handler500 = "timeline.errors.server_error"


@pytest.fixture
def log_lines():
    """What Django's request logger and the project's loggers write, as parsed JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("django.request", "timeline")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def probe(db):
    """A two-row table (id 1 and 2, n = 0), committed, dropped after the test."""
    table = f"deadlock_probe_{uuid.uuid4().hex[:10]}"
    with connect(autocommit=True) as admin:
        admin.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, n int NOT NULL)")
        admin.execute(f"INSERT INTO {table} VALUES (1, 0), (2, 0)")
    PROBE.update(table=table, attempts=0)
    try:
        yield table
    finally:
        with connect(autocommit=True) as admin:
            admin.execute(f"DROP TABLE IF EXISTS {table}")


def _in_thread(work) -> tuple[threading.Thread, list]:
    """Runs `work()` in a new thread (its own database connection, closed after); its result in the list."""
    result: list = []

    def run():
        try:
            result.append(work())
        except BaseException as exc:  # noqa: B036 - handed to the test thread
            result.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def _wait_for_lock_wait(observer: psycopg.Connection, table: str, *, not_pid: int) -> None:
    """Until a session other than `not_pid` waits for a row lock of `table` (bounded)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        waiting = observer.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s "
            "AND query LIKE %s",
            [not_pid, f"%{table}%"],
        ).fetchone()[0]
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the request never waited for the row lock")


def _deadlock_a_request(method: str, table: str) -> tuple[object, dict[int, int]]:
    """Sends `method /lock-two-rows/` while another transaction takes the same rows in the other order.

    The other transaction holds row 2; the request takes row 1 and waits for row 2; then the
    other transaction asks for row 1: a deadlock. The request has waited longest, so its
    session runs PostgreSQL's deadlock check first and is the one aborted (the other
    session's check is put off further still, where the server lets us). The other then
    gets row 1 and commits. Returns the response and the rows' final counts.
    """
    with connect() as other, connect(autocommit=True) as observer:
        try:
            other.execute("SET deadlock_timeout = '10s'")
        except psycopg.errors.InsufficientPrivilege:
            other.rollback()  # the request still waits longer, so it is still checked first
        other.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 2")
        client = Client(raise_request_exception=False)
        request, reply = _in_thread(
            lambda: getattr(client, method.lower())("/lock-two-rows/", HTTP_X_REQUEST_ID=f"deadlock-{method}")
        )
        _wait_for_lock_wait(observer, table, not_pid=other.info.backend_pid)
        other.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1")  # waits until the request is aborted
        other.commit()
        request.join(timeout=30)
        assert not request.is_alive(), "the request did not finish"
        counts = dict(observer.execute(f"SELECT id, n FROM {table}").fetchall())
    (response,) = reply
    assert not isinstance(response, BaseException), response
    return response, counts


@pytest.mark.urls("tests.timeline.test_db_errors")
def test_a_read_aborted_by_a_deadlock_is_run_again_once(probe, log_lines):
    response, counts = _deadlock_a_request("GET", probe)

    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"attempts": 2}
    # The other transaction's update and the second attempt's both count; the first attempt's is gone.
    assert counts == {1: 2, 2: 2}
    (retry,) = [line for line in log_lines() if "again" in line["message"]]
    assert retry["level"] == "WARNING"
    assert (retry["request_id"], retry["sqlstate"]) == ("deadlock-GET", "40P01")


@pytest.mark.urls("tests.timeline.test_db_errors")
def test_a_write_aborted_by_a_deadlock_is_a_500_with_its_traceback(probe, log_lines):
    """Nothing says a write request's work all ran in the transaction that failed: it is not repeated."""
    response, counts = _deadlock_a_request("POST", probe)

    assert response.status_code == 500
    assert PROBE["attempts"] == 1
    assert counts == {1: 1, 2: 1}  # only the other transaction's
    (error,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert (error["level"], error["request_id"], error["status_code"]) == ("ERROR", "deadlock-POST", 500)
    assert "DeadlockDetected" in error["exception"] and "Traceback" in error["exception"]


@pytest.mark.urls("tests.timeline.test_db_errors")
def test_a_statement_timeout_is_a_500_with_its_traceback_not_an_outage(db, log_lines):
    client = Client(raise_request_exception=False)

    response = client.get("/slow-query/", HTTP_X_REQUEST_ID="slow-1")

    assert response.status_code == 500
    assert "Retry-After" not in response
    (error,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert (error["level"], error["request_id"]) == ("ERROR", "slow-1")
    assert "QueryCanceled" in error["exception"] and "statement timeout" in error["exception"]


# -- Telling errors apart: real errors from the real server ---------------------------------


def _error_of(work) -> BaseException:
    try:
        work()
    except Exception as exc:
        return exc
    raise AssertionError("no error")


def test_a_refused_connection_is_a_connection_failure_with_no_sqlstate():
    error = _error_of(lambda: psycopg.connect(host="127.0.0.1", port=1, user="nobody", connect_timeout=2))

    assert sqlstate(error) is None
    assert is_connection_failure(error) and not is_transaction_conflict(error)


def test_a_session_terminated_by_the_server_is_a_connection_failure():
    with connect(autocommit=True) as victim, connect(autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [victim.info.backend_pid])
        error = _error_of(lambda: victim.execute("SELECT 1"))

    # 57P01 (admin_shutdown), or no SQLSTATE when the client reads a closed socket first.
    assert sqlstate(error) in ("57P01", None)
    assert is_connection_failure(error)


def test_errors_wrapped_by_django_keep_their_sqlstate(db):
    """Django re-raises the driver's error as its own; the SQLSTATE is read from the cause."""

    def timeout():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '10ms'")
            cursor.execute("SELECT pg_sleep(1)")

    error = _error_of(timeout)

    assert isinstance(error, OperationalError)
    assert sqlstate(error) == "57014"
    assert not is_connection_failure(error) and not is_transaction_conflict(error)


def test_a_query_error_is_neither():
    with connect(autocommit=True) as conn:
        error = _error_of(lambda: conn.execute("SELECT 1 / 0"))

    assert sqlstate(error) == "22012"
    assert not is_connection_failure(error) and not is_transaction_conflict(error)
