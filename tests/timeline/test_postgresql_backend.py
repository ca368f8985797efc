"""The project's PostgreSQL backend (timeline/postgresql): a health check without a query.

Each test opens its own connection to the test database, outside the test's transaction,
and looks at it from the test's connection through pg_stat_activity, as an operator would.
"""

import os
import resource
import time

import pytest
from django.db import connection, connections

from timeline.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection to the test database, kept as CONN_MAX_AGE keeps one between requests."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 60}
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper) -> int:
    return wrapper.connection.info.backend_pid


def last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh look, inside this transaction
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_the_project_connects_through_this_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_live_idle_connection_is_usable_and_the_check_sends_nothing(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the request before'")

    assert kept.is_usable() is True
    assert last_statement(backend_pid(kept)) == "SELECT 'the request before'"


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(kept):
    pid = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's goodbye arrives on the socket within moments.
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert kept.is_usable() is False

    # What Django does at the start of the next request, then its first query.
    kept.close_if_unusable_or_obsolete()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 42")
        assert cursor.fetchone() == (42,)
    assert backend_pid(kept) != pid


def test_a_socket_numbered_past_1024_is_checked_too(kept, monkeypatch):
    # A busy process's sockets get high numbers; select() cannot watch them, poll() can.
    high = 1500
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(limits[0], high + 1), limits[1]))
    os.dup2(kept.connection.fileno(), high)
    try:
        monkeypatch.setattr(kept.connection, "fileno", lambda: high)
        assert kept.is_usable() is True
        assert last_statement(backend_pid(kept)) != "SELECT 1"
    finally:
        os.close(high)
        resource.setrlimit(resource.RLIMIT_NOFILE, limits)


def test_inside_a_transaction_the_server_is_asked(kept):
    kept.set_autocommit(False)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'in a transaction'")

    assert kept.is_usable() is True
    assert last_statement(backend_pid(kept)) == "SELECT 1"
    kept.rollback()
    kept.set_autocommit(True)


def test_a_closed_connection_is_not_usable(kept):
    kept.connection.close()
    assert kept.is_usable() is False
