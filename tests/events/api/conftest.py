"""Fixtures for the read API: a client, an editor's client, and helpers that list slugs.

Every request goes to host "testserver" (pytest-django adds it to ALLOWED_HOSTS). The
throttle history is cleared before each test by the autouse fixture in tests/conftest.py.
"""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

API = "/api/v1"


@pytest.fixture
def api() -> APIClient:
    """An anonymous client: reads published records only."""
    return APIClient()


@pytest.fixture
def editor_api(db) -> APIClient:
    """A client logged in as an editor who may view drafts of events and statements."""
    user = User.objects.create_user("api-tests-editor", password="pw-for-tests-only")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=["view_event", "view_statement"]
        )
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    """The items of a 200 list response (one page)."""
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()["results"]


def slugs_of(response) -> list[str]:
    """The slugs of a 200 list response, in the order served."""
    return [item["slug"] for item in results(response)]


@pytest.fixture
def list_slugs(api) -> Callable[..., list[str]]:
    """`list_slugs("events", actor=["russia", "turkey"], role="broker")` → slugs served, in order.

    Lists are asked for with page_size=500, so one page holds every seed record.
    """

    def fetch(endpoint: str, client: APIClient | None = None, **params) -> list[str]:
        response = (client or api).get(f"{API}/{endpoint}/", {"page_size": 500, **params})
        body = response.json()
        assert body.get("next") is None, "expected every match on one page"
        return slugs_of(response)

    return fetch


@pytest.fixture
def bad_request(api) -> Callable[..., dict]:
    """`bad_request("events", type="picnic")` → the JSON body of the 400 it must answer."""

    def fetch(endpoint: str, query: str | None = None, **params) -> dict:
        path = f"{API}/{endpoint}/" + (f"?{query}" if query is not None else "")
        response = api.get(path, params or None)
        assert response.status_code == 400, (response.status_code, response.content[:500])
        assert response["Content-Type"] == "application/json"
        return response.json()

    return fetch
