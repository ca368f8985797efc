"""Connections of their own to the test database, outside Django's.

Concurrency tests need a second session: a transaction held open while the code under
test runs in Django's, or a row locked as another worker would lock it. These open one
from the parameters Django connected with.
"""

from urllib.parse import quote

import psycopg
from django.db import connection


def connect(**kwargs) -> psycopg.Connection:
    """A new psycopg connection to the database Django's default connection uses; `kwargs` override (autocommit=True, dbname=...)."""
    params = connection.get_connection_params()
    # Django's own: a psycopg adaptation context and cursor class tied to its connection.
    params.pop("context", None)
    params.pop("cursor_factory", None)
    return psycopg.connect(**{**params, **kwargs})


def database_url(name: str | None = None) -> str:
    """A postgres:// URL for the test server, to database `name` (the test database by default), for subprocesses."""
    params = connection.get_connection_params()
    user = quote(str(params.get("user") or "postgres"))
    password = f":{quote(str(params['password']))}" if params.get("password") else ""
    host = quote(str(params.get("host") or "localhost"), safe="")
    return f"postgres://{user}{password}@{host}:{params.get('port') or 5432}/{name or params['dbname']}"
