"""The API's anonymous throttle: per real client behind a proxy, and what the shared cache costs.

In-process; tests/timeline/test_behind_a_proxy.py runs the same limits in several gunicorn
workers behind a real proxy.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

PROXY = "10.0.0.5"
CLIENT_A, CLIENT_B = "203.0.113.10", "198.51.100.20"
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "timeline_cache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


@pytest.fixture
def database_cache(db):
    """The production default: throttle counts in a table of the database (inside this test's transaction)."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        yield "timeline_cache"


def get(client_address: str, claimed: str = ""):
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    return APIClient().get("/api/v1/actors/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_a_proxy_each_client_has_its_own_count(seeded, three_per_minute, settings):
    settings.NUM_PROXIES = 1
    # Made-up entries in front of the proxy's own do not make A a new client.
    assert [get(CLIENT_A, claimed=f"192.0.2.{n}").status_code for n in range(4)] == [200, 200, 200, 429]
    assert get(CLIENT_B).status_code == 200


def test_counts_live_in_the_database_cache(seeded, three_per_minute, database_cache, settings):
    settings.NUM_PROXIES = 1
    assert [get(CLIENT_A).status_code for _ in range(4)] == [200, 200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {database_cache}")
        assert [key for (key,) in cursor.fetchall()] == [f":1:throttle_anon_{CLIENT_A}"]


def test_what_the_database_cache_costs_an_anonymous_request(seeded, database_cache):
    """One read of the client's count and one write of it: the statements the README quotes."""
    APIClient().get("/api/v1/actors/")  # the client's first request inserts its row
    with CaptureQueriesContext(connection) as queries:
        assert APIClient().get("/api/v1/actors/").status_code == 200

    throttle = [q["sql"] for q in queries.captured_queries if database_cache in q["sql"]]
    verbs = [sql.split()[0] + (" COUNT(*)" if "COUNT(*)" in sql else "") for sql in throttle]
    assert verbs == ["SELECT", "SELECT COUNT(*)", "SELECT", "UPDATE"], throttle
