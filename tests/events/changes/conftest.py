"""Fixtures for the change feed's tests: committing writes, clients, and a cursor at the feed's head.

The feed shows an entry only once its transaction has ended, and never one of the
reader's own transaction: its tests cannot run inside a transaction that is rolled back
at the end. They use `committed` (tests/conftest.py), Django's transactional tests: every write commits, and
the database is emptied afterwards (pytest-django runs them after the others). The seed
article is loaded again at the start of each one.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.db import connection
from rest_framework.test import APIClient

from events.changes import feed

API = "/api/v1"
READER_DRAFTS = ("event", "statement")


def database_oid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid::bigint FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def cursor_here(user=None) -> str:
    """The feed's head for `user` (anonymous by default): what commits from now on comes after it."""
    return feed.head_cursor(user=user or AnonymousUser()).encode()


def page(client: APIClient, after: str | None = None, **params) -> dict:
    """A 200 page of the feed, parsed."""
    query = {**({"after": after} if after is not None else {}), "page_size": 500, **params}
    response = client.get(f"{API}/changes/", query)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return json.loads(response.content)


def ops(body: dict) -> list[tuple]:
    """(op, kind, slug[, into]) of each entry of a page."""
    return [
        (entry["op"], entry["kind"], entry["slug"], *([entry["into"]] if entry["op"] == "merge" else []))
        for entry in body["results"]
    ]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def editor(committed) -> User:
    """An editor who may view drafts of events and statements (and so sees their changes)."""
    user = User.objects.create_user("changes-editor", password="pw-for-tests-only")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=["view_event", "view_statement"]
        )
    )
    return user


@pytest.fixture
def editor_api(editor) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client
