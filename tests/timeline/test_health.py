"""The health probes (/healthz, /readyz) and the 503 answer while the database is unavailable.

Database failures are simulated in-process here (a cursor that raises, a view that raises,
a session that cannot be saved); test_db_faults.py stops a real PostgreSQL server under a
real gunicorn.
"""

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from timeline.db_unavailable import DETAIL

UNAVAILABLE = {"detail": "the database is unavailable; try again shortly"}
REFUSED = 'connection failed: connection to server at "10.1.2.3", port 5432 failed: Connection refused'


# A test-only URLconf: views that fail the way a view does while the database is down.
def plain_view_raising(request):
    raise OperationalError(REFUSED)


def interface_error_view(request):
    raise InterfaceError("connection already closed")


def value_error_view(request):
    raise ValueError("a bug, not an outage")


def session_writing_view(request):
    request.session["seen"] = True  # saved by SessionMiddleware after the view returns
    return HttpResponse("ok")


def user_reading_view(request):
    return HttpResponse(str(request.user.is_authenticated))


class DrfViewRaising(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise OperationalError(REFUSED)


class DrfFine(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"fine": True})


urlpatterns = [
    path("plain/", plain_view_raising),
    path("interface/", interface_error_view),
    path("bug/", value_error_view),
    path("session/", session_writing_view),
    path("user/", user_reading_view),
    path("drf/", DrfViewRaising.as_view()),
    path("drf-fine/", DrfFine.as_view()),
    path("", include("timeline.urls")),
]


@pytest.fixture
def faulty_urls(settings):
    settings.ROOT_URLCONF = __name__


def assert_unavailable(response, body=None):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json() == (body if body is not None else UNAVAILABLE)


# /healthz


def test_healthz_needs_no_database(client):
    """No `db` fixture: pytest-django makes any database access an error."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # No session was read (SessionMiddleware adds Vary: Cookie when one is).
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_runs_no_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_head_is_allowed_and_post_is_not(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# /readyz


def test_readyz_ready(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(4) as captured:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ready"}
    assert "no-cache" in response["Cache-Control"]
    # Cheap: no session, no user looked up.
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "django_session" not in sql
    assert "auth_user" not in sql


def test_readyz_unavailable_with_an_unapplied_migration(client, db):
    # Forget the newest applied migration of `events` (inside the test's transaction,
    # rolled back afterwards): the code now has one migration the database lacks.
    newest = MigrationRecorder.Migration.objects.filter(app="events").order_by("-applied", "-id").first()
    MigrationRecorder(connection).record_unapplied("events", newest.name)

    response = client.get("/readyz")

    assert_unavailable(response, {"status": "unavailable", "reason": "1 unapplied migration(s)"})


@pytest.mark.parametrize("error", [OperationalError(REFUSED), InterfaceError("connection already closed")])
def test_readyz_unavailable_when_the_database_fails(client, db, monkeypatch, error):
    def execute(self, sql, params=None):
        raise error

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", execute)
        response = client.get("/readyz")

    assert_unavailable(response, {"status": "unavailable", "reason": "database unreachable"})
    # The driver's message (server addresses) is logged, not shown.
    assert b"10.1.2.3" not in response.content


def test_probes_are_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/actors/").status_code == 301


# The middleware


@pytest.mark.parametrize("url", ["/plain/", "/interface/", "/drf/"])
def test_database_errors_in_views_become_503(client, faulty_urls, url):
    assert_unavailable(client.get(url))


def test_the_503_does_not_show_the_drivers_message(client, faulty_urls):
    response = client.get("/drf/")
    assert b"10.1.2.3" not in response.content
    assert response.json()["detail"] == DETAIL


def test_other_errors_are_left_alone(faulty_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_views_that_work_are_untouched(client, faulty_urls):
    response = client.get("/drf-fine/")
    assert response.status_code == 200
    assert response.json() == {"fine": True}
    assert "Retry-After" not in response


def test_database_error_in_a_middleware_becomes_503(faulty_urls, monkeypatch):
    """SessionMiddleware saves the session after the view: Django turns that error into a
    500 inside the middleware chain; the middleware must still answer 503."""
    from django.contrib.sessions.backends.db import SessionStore

    def save(self, must_create=False):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(SessionStore, "save", save)
    client = Client(raise_request_exception=False)

    assert_unavailable(client.get("/session/"))


def test_session_lookup_failing_in_a_view_becomes_503(faulty_urls, monkeypatch):
    """A logged-in client (session cookie) while the database is down: loading the session
    fails when the view asks for the user."""
    from django.contrib.sessions.backends.db import SessionStore

    def load(self):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(SessionStore, "load", load)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32

    assert_unavailable(client.get("/user/"))
    assert_unavailable(client.get("/api/v1/actors/"))
