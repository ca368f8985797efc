"""The floor: each benchmark answer built as JSON (or CSV) inside PostgreSQL, served by bare WSGI.

No framework, no ORM, no serializer on the way: one SQL statement per request whose single
value is the response body, passed through unchanged. (Django is loaded once, at start-up,
only to generate the documents' SQL from the API's read model, so the floor builds exactly
the API's JSON.) Nothing written in Python can answer the
same question faster against the same database, so the floor is what the real API's
latency is measured against. It uses the same tables and indexes as the API (the stored
sort keys and search vectors) and returns the same items with the same fields, so the
difference between the two is the price of the framework.

Run: `gunicorn bench.floor:application` with DATABASE_URL set. Routes mirror the API's:
/events/?actor_id=&date_after=&date_before=&after=&q=&page_size=, /events/<slug>/,
/actors/?q=, /timeline/?actor_id=&after=&page_size=, /timeline.csv?actor_id=&date_after=&date_before=.
Each response carries `X-SQL-Statements: 1`.
"""

from __future__ import annotations

import datetime
import os
from urllib.parse import parse_qs

import django
import psycopg

from events.sorting import day_key

# The documents are the API's own SQL, generated from its read model once, at start-up
# (Django is set up for that and nothing else: requests never go through it).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
django.setup()

from events.read_model import shapes  # noqa: E402 - needs the apps loaded
from events.read_model import sql as read_model  # noqa: E402

# Literal percent signs doubled: these statements are bound with named parameters.
EVENT_DOC = read_model.document(shapes.EVENT, "e").replace("%", "%%")
TIMELINE_EVENT_DOC = read_model.document(shapes.TIMELINE_EVENT, "e").replace("%", "%%")
STATEMENT_DOC = read_model.document(shapes.TIMELINE_STATEMENT, "st").replace("%", "%%")
ACTOR_DOC = read_model.document(shapes.ACTOR, "a").replace("%", "%%")
API_ROOT = read_model.api_root()
# Documents' URLs are relative to the API's root; the base and the root go in front.
ABSOLUTE = f"""replace({{text}}, '"url" : "', '"url" : "' || %(base)s || '{API_ROOT}')"""

PAGE = """SELECT {absolute}
FROM ({rows}) page""".format(
    absolute=ABSOLUTE.format(
        text="json_build_object('next', max(k), 'results', coalesce(json_agg(doc ORDER BY k), '[]'))::text"
    ),
    rows="{rows}",
)

# The same conditions the API writes (events.api.filters), the implied bounds on the
# stored sort key included: the floor gets every index the API gets.
EVENT_FILTERS = {
    "actor_id": "EXISTS (SELECT 1 FROM events_eventparticipant p WHERE p.event_id = e.id AND p.actor_id = %(actor_id)s)",
    "date_after": "e.date_end >= %(date_after)s AND e.date_key >= %(first_key)s",
    "date_before": "e.date_start <= %(date_before)s AND e.date_key < %(last_key)s",
    "after": "e.date_key > %(after)s",
    "q": "e.search_vector @@ websearch_to_tsquery('english', %(q)s)",
}


def events_page(params: dict) -> str:
    where = " AND ".join(
        ["e.status = 'published'"] + [sql for name, sql in EVENT_FILTERS.items() if name in params]
    )
    rows = f"SELECT e.date_key AS k, {EVENT_DOC} AS doc FROM events_event e WHERE {where} ORDER BY e.date_key LIMIT %(page_size)s"
    return PAGE.format(rows=rows)


EVENT_DETAIL = f"""SELECT {ABSOLUTE.format(text=f"({EVENT_DOC})::text")}
FROM events_event e WHERE e.slug = %(slug)s AND e.status = 'published'"""

ACTORS = f"""SELECT {ABSOLUTE.format(text="json_build_object('results', coalesce(json_agg(doc ORDER BY k), '[]'))::text")} FROM (
    SELECT a.slug COLLATE "C" AS k, {ACTOR_DOC} AS doc
    FROM events_actor a
    WHERE events_actor_search_names(a.name, a.aliases) LIKE '%%' || lower(unaccent(%(q)s)) || '%%'
    ORDER BY a.slug COLLATE "C" LIMIT %(page_size)s) page"""

# The actor's events and the statements they spoke or are spoken about in, merged by key.
TIMELINE_ROWS = f"""
    (SELECT e.date_key AS k, {TIMELINE_EVENT_DOC} AS doc FROM events_event e
     WHERE e.status = 'published' AND {{event_where}}
       AND EXISTS (SELECT 1 FROM events_eventparticipant p WHERE p.event_id = e.id AND p.actor_id = %(actor_id)s)
     ORDER BY e.date_key {{limit}})
    UNION ALL
    (SELECT st.date_key AS k, {STATEMENT_DOC} AS doc FROM events_statement st
     WHERE st.status = 'published' AND {{statement_where}}
       AND (st.speaker_id = %(actor_id)s OR EXISTS (
            SELECT 1 FROM events_statement_about sa WHERE sa.statement_id = st.id AND sa.actor_id = %(actor_id)s))
     ORDER BY st.date_key {{limit}})"""


def timeline_page(params: dict) -> str:
    extra = ["true"]
    if "after" in params:
        extra.append("{row}.date_key > %(after)s")
    where = " AND ".join(extra)
    rows = TIMELINE_ROWS.format(
        event_where=where.format(row="e"),
        statement_where=where.format(row="st"),
        limit="LIMIT %(page_size)s",
    )
    return PAGE.format(rows=f"SELECT k, doc FROM ({rows}) merged ORDER BY k LIMIT %(page_size)s")


def timeline_csv(params: dict) -> str:
    """CSV of the actor's timeline in a date range (overlap), built by COPY."""
    where = (
        "{row}.date_end >= %(date_after)s AND {row}.date_start <= %(date_before)s"
        " AND {row}.date_key >= %(first_key)s AND {row}.date_key < %(last_key)s"
    )
    rows = TIMELINE_ROWS.format(
        event_where=where.format(row="e"), statement_where=where.format(row="st"), limit=""
    )
    return f"""COPY (
        SELECT doc->>'kind', doc->>'slug', doc->'date'->>'start', doc->'date'->>'end',
               doc->'date'->>'precision', doc->'date'->>'text',
               coalesce(doc->>'title', doc->'speaker'->>'name'), coalesce(doc->>'summary', doc->>'text'),
               coalesce(doc->>'type', doc->>'statement_kind'),
               (SELECT string_agg((x->'actor'->>'slug') || ':' || (x->>'role'), '; ')
                FROM json_array_elements(doc->'participants') x),
               (SELECT string_agg(x->>'slug', '; ') FROM json_array_elements(doc->'conflicts') x),
               doc->>'location',
               (SELECT string_agg(x->>'excerpt', ' | ') FROM json_array_elements(doc->'citations') x),
               %(base)s || '{API_ROOT}' || (doc->>'url')
        FROM ({rows}) merged ORDER BY k) TO STDOUT WITH (FORMAT csv, HEADER false)"""


_connection: psycopg.Connection | None = None


def _conn() -> psycopg.Connection:
    # One connection per worker process, opened on first use and kept (as the API's pool does).
    global _connection
    if _connection is None or _connection.closed:
        # prepare_threshold=None: plan every query for its own values, as Django does. After
        # five runs psycopg would otherwise prepare it, and PostgreSQL may then keep a
        # generic plan blind to how common the actor is or how narrow the date range.
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, prepare_threshold=None)
    return _connection


def _params(environ) -> dict:
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    query["page_size"] = int(query.get("page_size", 50))
    if "date_after" in query:
        after = datetime.date.fromisoformat(query["date_after"])
        query["first_key"] = day_key(min(after.replace(month=1, day=1), after - datetime.timedelta(days=6)))
    if "date_before" in query:
        query["last_key"] = day_key(
            datetime.date.fromisoformat(query["date_before"]) + datetime.timedelta(days=1)
        )
    scheme = environ.get("wsgi.url_scheme", "http")
    query["base"] = f"{scheme}://{environ.get('HTTP_HOST', 'localhost')}"
    return query


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    params = _params(environ)
    headers = [("X-SQL-Statements", "1")]
    if path == "/timeline.csv":

        def body():
            with _conn().cursor() as cursor, cursor.copy(timeline_csv(params), params) as copy:
                for chunk in copy:
                    yield bytes(chunk)

        start_response("200 OK", [("Content-Type", "text/csv; charset=utf-8"), *headers])
        return body()
    if path == "/events/":
        sql = events_page(params)
    elif path.startswith("/events/") and path.count("/") == 3:
        sql, params["slug"] = EVENT_DETAIL, path.split("/")[2]
    elif path == "/actors/":
        sql = ACTORS
    elif path == "/timeline/":
        sql = timeline_page(params)
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    row = _conn().execute(sql, params).fetchone()
    if row is None or row[0] is None:
        start_response("404 Not Found", [("Content-Type", "application/json"), *headers])
        return [b'{"detail": "Not found."}']
    body = row[0].encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers]
    )
    return [body]
