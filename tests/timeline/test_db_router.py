"""Read replicas: which connection runs each query (timeline/db_router.py), and the settings.

The replica here is real: a second connection, alias "replica1", to the test database,
configured as Django's test mirror of "default". Like a real replica it answers on its own
connection, outside the transaction each test runs in, so it sees only committed data
(the seed article, loaded once per run) and never the test's own uncommitted writes. A
read routed to it by mistake right after a write therefore misses that write, exactly as
a lagging replica would: the read-your-writes tests below rely on it.
"""

import copy
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Actor, Event
from tests.events.api.test_writes import NEW_EVENT
from timeline.db_router import PrimaryReplicaRouter, unit_of_work

REPLICA = "replica1"
ON_BOTH = pytest.mark.django_db(databases=["default", REPLICA])
RUSSIA = "Russian Federation"  # the seed description of the actor "russia"
CHANGED = "Changed within the request"


# A test-only URLconf: a GET whose view reads, writes, and reads again; the project's URLs.
def russia_description() -> str:
    # A new queryset each time: one that ran update() would carry on to the primary by itself.
    return Actor.objects.filter(slug="russia").values_list("description", flat=True).get()


def read_write_read(request):
    before = russia_description()
    Actor.objects.filter(slug="russia").update(description=CHANGED)
    return JsonResponse({"before": before, "after": russia_description()})


def read_only(request):
    return JsonResponse({"now": russia_description()})


urlpatterns = [
    path("read-write-read/", read_write_read),
    path("read-only/", read_only),
    path("", include("timeline.urls")),
]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """Declare "replica1", a mirror of the test database, for this module's tests.

    Module-scoped so it exists before pytest-django opens each test's transaction (which
    checks that every alias in `databases` is defined, and opens no transaction on a mirror).
    """
    replica = copy.deepcopy(connections["default"].settings_dict)
    replica["TEST"] = {**replica["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = replica
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def fresh_unit_of_work():
    """Outside a request the thread's context is one unit of work; each test starts a new one."""
    with unit_of_work():
        yield


@pytest.fixture
def replicas(settings):
    """Reads may go to "replica1", as with DATABASE_REPLICA_URLS set to one URL."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.ROOT_URLCONF = __name__
    return [REPLICA]


class Queries:
    """The statements each connection ran inside the block: `queries.default`, `queries.replica`."""

    def __enter__(self):
        self._contexts = [CaptureQueriesContext(connections[alias]) for alias in ("default", REPLICA)]
        for context in self._contexts:
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in reversed(self._contexts):
            context.__exit__(*exc)

    @staticmethod
    def _verbs(context) -> list[str]:
        return [query["sql"].split(maxsplit=1)[0] for query in context.captured_queries]

    @property
    def default(self) -> list[str]:
        return self._verbs(self._contexts[0])

    @property
    def replica(self) -> list[str]:
        return self._verbs(self._contexts[1])

    def sql(self, alias: str) -> list[str]:
        return [query["sql"] for query in self._contexts[0 if alias == "default" else 1].captured_queries]


# Requests


@ON_BOTH
def test_an_anonymous_list_of_events_is_read_from_the_replica(seeded, replicas, settings):
    # The same request answered by the primary alone, for comparison.
    settings.DATABASE_REPLICAS = []
    with Queries() as on_primary:
        from_primary = APIClient().get("/api/v1/events/", {"page_size": 50})
    assert on_primary.replica == []
    assert on_primary.default and set(on_primary.default) == {"SELECT"}

    settings.DATABASE_REPLICAS = [REPLICA]
    with Queries() as queries:
        response = APIClient().get("/api/v1/events/", {"page_size": 50})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 9
    # Every query of the request ran on the replica, none on the primary.
    assert queries.replica == on_primary.default
    assert queries.default == []
    # And the replica's answer is the primary's, byte for byte.
    assert response.content == from_primary.content


@ON_BOTH
def test_an_anonymous_read_counts_its_throttle_on_the_primary_and_reads_from_the_replica(
    seeded, replicas, settings
):
    """The throttle's count lives in the database cache (the production default): it is read
    and written on the primary, and writing it does not pull the request's reads there."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "timeline_cache"}
    }
    call_command("createcachetable", verbosity=0)  # in this test's transaction, on the primary
    try:
        settings.DATABASE_REPLICAS = []
        with Queries() as on_primary:
            APIClient().get("/api/v1/events/", {"page_size": 50})
        settings.DATABASE_REPLICAS = [REPLICA]
        with Queries() as queries:
            response = APIClient().get("/api/v1/events/", {"page_size": 50})
    finally:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert response.status_code == 200
    # The primary ran the count's statements and nothing else; the replica every read.
    # (SAVEPOINT and RELEASE: the count's transaction, nested in this test's.)
    counted = [sql for sql in queries.sql("default") if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    assert counted and all("timeline_cache" in sql for sql in counted)
    own_reads = [
        sql for sql in on_primary.sql("default") if sql.startswith("SELECT") and "timeline_cache" not in sql
    ]
    assert queries.sql(REPLICA) == own_reads


@ON_BOTH
def test_an_editors_post_writes_on_the_primary_and_reads_there_after(seeded, replicas):
    editor = User.objects.create_user("router-editor", password="pw-for-tests-only")
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__in=["add_event", "view_event"])
    )
    client = APIClient()
    client.force_authenticate(editor)

    with Queries() as queries:
        response = client.post("/api/v1/events/", NEW_EVENT, format="json")

    # The editor and the permissions exist only in this test's transaction: had any read
    # gone to the replica, the answer would be 403 (or a 400 for an unknown slug).
    assert response.status_code == 201, response.content[:500]
    assert response.json()["slug"] == NEW_EVENT["slug"]
    assert queries.replica == []
    # A write request reads from the primary from the start; after its first write too: the
    # answer is read back from there (the replica cannot see the new event).
    first_write = queries.default.index("INSERT")
    assert queries.sql("default")[first_write].startswith('INSERT INTO "events_event" ')
    assert queries.default[:first_write].count("SELECT") > 0
    assert queries.default[first_write:].count("SELECT") > 0


@ON_BOTH
def test_after_a_write_the_rest_of_a_get_reads_from_the_primary(seeded, replicas):
    client = APIClient()
    with Queries() as queries:
        response = client.get("/read-write-read/")

    assert response.status_code == 200
    # Read on the replica, written on the primary, read back from the primary: the request
    # sees its own write, which the replica does not have.
    assert response.json() == {"before": RUSSIA, "after": CHANGED}
    assert queries.replica == ["SELECT"]
    assert queries.default == ["UPDATE", "SELECT"]

    # The next request is a new unit of work: it reads from the replica again, and there the
    # change is not (yet) visible. This is replication lag, which one request cannot hide from another.
    with Queries() as queries:
        response = client.get("/read-only/")
    assert response.json() == {"now": RUSSIA}
    assert (queries.replica, queries.default) == (["SELECT"], [])


@ON_BOTH
def test_the_admin_reads_from_the_primary(seeded, replicas):
    staff = User.objects.create_superuser("router-admin", password="pw-for-tests-only")
    client = APIClient()
    client.force_login(staff)

    with Queries() as queries:
        response = client.get("/admin/events/actor/")

    # The superuser and their session exist only in this test's transaction: a read on the
    # replica would have answered with a redirect to the login page.
    assert response.status_code == 200
    assert b"Dmitry Peskov" in response.content
    assert queries.replica == []
    assert "SELECT" in queries.default


# Transactions


@ON_BOTH
def test_reads_inside_an_atomic_block_run_on_the_primary(seeded, replicas):
    russia = Actor.objects.filter(slug="russia").values_list("description", flat=True)

    with Queries() as queries:
        assert russia.get() == RUSSIA
    assert (queries.replica, queries.default) == (["SELECT"], [])

    with Queries() as queries:
        with transaction.atomic():
            # Raw SQL: the router never hears of this write, only the open transaction counts.
            with connections["default"].cursor() as cursor:
                cursor.execute("UPDATE events_actor SET description = %s WHERE slug = 'russia'", [CHANGED])
            assert russia.get() == CHANGED
    assert queries.replica == []
    assert queries.default == ["SAVEPOINT", "UPDATE", "SELECT", "RELEASE"]

    # After the block the router knows of no write: reads go back to the replica, which
    # does not have the change.
    with Queries() as queries:
        assert russia.get() == RUSSIA
    assert (queries.replica, queries.default) == (["SELECT"], [])


@ON_BOTH
def test_a_transaction_reads_its_own_writes_and_locks_rows_on_the_primary(seeded, replicas):
    with Queries() as queries:
        with transaction.atomic():
            locked = Actor.objects.select_for_update().filter(slug="russia").values_list("slug", flat=True)
            assert list(locked) == ["russia"]
            Actor.objects.create(slug="router-new-actor", name="New actor", kind="person")
            created = Actor.objects.filter(slug="router-new-actor").values_list("name", flat=True)
            assert list(created) == ["New actor"]

    assert queries.replica == []
    # The lock, the actor and its history row, the read back.
    assert queries.default == ["SAVEPOINT", "SELECT", "INSERT", "INSERT", "SELECT", "RELEASE"]
    assert queries.sql("default")[1].endswith("FOR UPDATE")

    # This unit of work wrote: from now on it reads from the primary, inside a block or not.
    with Queries() as queries:
        assert Actor.objects.filter(slug="router-new-actor").exists()
    assert (queries.replica, queries.default) == ([], ["SELECT"])


# The rules, one by one


@ON_BOTH
def test_sessions_and_tokens_are_read_from_the_primary(replicas):
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(Token) == "default"
    assert router.db_for_read(Actor) == REPLICA


@ON_BOTH
def test_a_unit_of_work_reads_from_one_replica_and_replicas_take_turns(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    picks = []
    for _ in range(4):
        with unit_of_work():
            first = router.db_for_read(Actor)
            assert router.db_for_read(Event) == router.db_for_read(User) == first
            picks.append(first)
    assert picks in (["replica1", "replica2"] * 2, ["replica2", "replica1"] * 2)


@ON_BOTH
def test_a_write_request_reads_from_the_primary_from_the_start(replicas):
    with unit_of_work(primary=True):
        assert router.db_for_read(Actor) == "default"
    with unit_of_work():
        assert router.db_for_read(Actor) == REPLICA
        assert router.db_for_write(Actor) == "default"
        assert router.db_for_read(Actor) == "default"


@ON_BOTH
def test_without_replicas_everything_runs_on_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert PrimaryReplicaRouter().db_for_read(Actor) is None
    assert PrimaryReplicaRouter().db_for_write(Actor) is None
    assert (router.db_for_read(Actor), router.db_for_write(Actor)) == ("default", "default")


@ON_BOTH
def test_objects_from_the_primary_and_a_replica_may_be_related(seeded, replicas, settings):
    peskov = Actor.objects.using("default").get(slug="dmitry-peskov")
    russia = Actor.objects.using(REPLICA).get(slug="russia")
    assert router.allow_relation(peskov, russia) is True

    peskov.affiliation = russia
    peskov.save()
    assert Actor.objects.using("default").get(slug="dmitry-peskov").affiliation_id == russia.pk

    # Without the replica declared, Django refuses a relation across two databases.
    settings.DATABASE_REPLICAS = []
    with pytest.raises(ValueError, match="the current database router prevents this relation"):
        peskov.affiliation = Actor.objects.using(REPLICA).get(slug="russia")


@ON_BOTH
def test_migrations_run_on_the_primary_only(replicas):
    assert router.allow_migrate("default", "events") is True
    assert router.allow_migrate_model("default", Actor) is True
    assert router.allow_migrate(REPLICA, "events") is False
    assert router.allow_migrate_model(REPLICA, Actor) is False
    assert router.allow_migrate(REPLICA, "auth", model_name="user") is False
    # Another database that is not a replica is not this router's business.
    assert PrimaryReplicaRouter().allow_migrate("analytics", "events") is None


def test_the_router_and_its_middleware_are_installed():
    assert django_settings.DATABASE_ROUTERS == ["timeline.db_router.PrimaryReplicaRouter"]
    # Before anything that touches the database; the retry of a conflicting read (which
    # touches none itself) wraps it, so that each attempt is a new unit of work.
    assert django_settings.MIDDLEWARE[:3] == [
        "timeline.request_log.RequestLogMiddleware",
        "timeline.db_retry.TransactionConflictRetryMiddleware",
        "timeline.db_router.ReplicaRoutingMiddleware",
    ]


# Settings: DATABASE_REPLICA_URLS, read by importing the settings in a fresh process

PRIMARY_URL = "postgres://timeline:secret@db.example.org:5432/timeline"
REPLICA_URLS = (
    "postgres://reader:one@replica-a.example.org:5433/timeline,"
    " postgresql://reader:two@replica-b.example.org/timeline_copy"
)
PRINT_DATABASES = (
    "import json; from timeline import settings as s; "
    "print(json.dumps({'DATABASES': s.DATABASES, 'DATABASE_REPLICAS': s.DATABASE_REPLICAS}))"
)


def import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        cwd=django_settings.BASE_DIR,
        env={**clean, "DJANGO_SECRET_KEY": "tests-only-secret-key-not-for-any-deployment", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def replica_settings(user: str, password: str, host: str, port, name: str, max_age: int, timeout: int):
    return {
        "NAME": name,
        "USER": user,
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
        "CONN_MAX_AGE": max_age,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
        "ENGINE": "timeline.postgresql",
        "OPTIONS": {"connect_timeout": timeout},
        "TEST": {"MIRROR": "default"},
    }


def test_two_replica_urls_become_replica1_and_replica2():
    result = import_settings(DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URLS=REPLICA_URLS)
    assert result.returncode == 0, result.stderr

    loaded = json.loads(result.stdout)
    databases = loaded["DATABASES"]
    assert list(databases) == ["default", "replica1", "replica2"]
    assert loaded["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    assert databases["replica1"] == replica_settings(
        "reader", "one", "replica-a.example.org", 5433, "timeline", max_age=60, timeout=5
    )
    assert databases["replica2"] == replica_settings(
        "reader", "two", "replica-b.example.org", "", "timeline_copy", max_age=60, timeout=5
    )
    assert (databases["default"]["HOST"], databases["default"]["PORT"]) == ("db.example.org", 5432)
    assert "TEST" not in databases["default"]


def test_replicas_share_the_primarys_connection_options():
    result = import_settings(
        DATABASE_URL=PRIMARY_URL,
        DATABASE_REPLICA_URLS="postgres://reader:one@replica-a.example.org:5433/timeline",
        DATABASE_CONN_MAX_AGE="30",
        DATABASE_CONNECT_TIMEOUT="2",
    )
    assert result.returncode == 0, result.stderr

    databases = json.loads(result.stdout)["DATABASES"]
    assert databases["replica1"] == replica_settings(
        "reader", "one", "replica-a.example.org", 5433, "timeline", max_age=30, timeout=2
    )
    assert (databases["default"]["CONN_MAX_AGE"], databases["default"]["OPTIONS"]) == (
        30,
        {"connect_timeout": 2},
    )


@pytest.mark.parametrize("blank", ["", " , "])
def test_no_replica_urls_means_no_replicas(blank):
    result = import_settings(DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URLS=blank)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert (list(loaded["DATABASES"]), loaded["DATABASE_REPLICAS"]) == (["default"], [])


def test_the_embedded_server_has_no_replicas():
    result = import_settings(EMBEDDED_PG_NAME="timeline")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert (list(loaded["DATABASES"]), loaded["DATABASE_REPLICAS"]) == (["default"], [])


def test_replica_urls_without_a_primary_url_are_refused():
    result = import_settings(DATABASE_REPLICA_URLS=REPLICA_URLS)
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        "django.core.exceptions.ImproperlyConfigured: DATABASE_REPLICA_URLS is set but DATABASE_URL is "
        "not. Replicas copy a primary server: set DATABASE_URL to the primary, or unset "
        "DATABASE_REPLICA_URLS to use the embedded server (which has no replicas)."
    ) in result.stderr


def test_a_replica_url_that_is_not_postgresql_is_refused():
    result = import_settings(
        DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URLS=f"{PRIMARY_URL},mysql://reader@replica/timeline"
    )
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: each URL of DATABASE_REPLICA_URLS must be a PostgreSQL URL "
        "(postgres://...), got mysql://"
    ) in result.stderr
