"""The floor: each benchmark answer built as JSON (or CSV) inside PostgreSQL, served by bare WSGI.

No framework, no ORM, no serializer: one SQL statement per request whose single value is
the response body, passed through unchanged. Nothing written in Python can answer the
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

import psycopg

from events.sorting import day_key

ACTOR_BRIEF = (
    "json_build_object('slug', a.slug, 'name', a.name, 'url', %(base)s || '/api/v1/actors/' || a.slug || '/')"
)
CONFLICT_BRIEFS = """
    (SELECT coalesce(json_agg(json_build_object('slug', c.slug, 'name', c.name,
            'url', %(base)s || '/api/v1/conflicts/' || c.slug || '/') ORDER BY c.slug), '[]')
     FROM {link} l JOIN events_conflict c ON c.id = l.conflict_id WHERE l.{column} = {row}.id)"""
CITATIONS = """
    (SELECT coalesce(json_agg(json_build_object(
            'source', json_build_object('slug', s.slug, 'name', s.title,
                                        'url', %(base)s || '/api/v1/sources/' || s.slug || '/'),
            'excerpt', ci.excerpt, 'start', ci.start_offset, 'end', ci.end_offset) ORDER BY ci.id), '[]')
     FROM events_citation ci JOIN events_source s ON s.id = ci.source_id WHERE ci.{column} = {row}.id)"""
DATE = """json_build_object('start', {row}.date_start, 'end', {row}.date_end,
    'precision', {row}.date_precision, 'text', {row}.date_text, 'anchor', {row}.date_anchor)"""

# Events read the JSON lists the database keeps on their rows (migration 0008), as the
# API does: their URLs, and so the event's own, are paths until PAGE prefixes the base.
EVENT_DOC = f"""json_build_object(
    'kind', 'event',
    'slug', e.slug,
    'url', '/api/v1/events/' || e.slug || '/',
    'title', e.title,
    'summary', e.summary,
    'type', e.type,
    'date', {DATE.format(row="e")},
    'location', e.location,
    'participants', e.participants_json,
    'conflicts', e.conflicts_json,
    'citations', e.citations_json,
    'status', e.status,
    'updated_at', e.updated_at)"""

STATEMENT_DOC = f"""json_build_object(
    'kind', 'statement',
    'slug', st.slug,
    'url', %(base)s || '/api/v1/statements/' || st.slug || '/',
    'speaker', (SELECT {ACTOR_BRIEF} FROM events_actor a WHERE a.id = st.speaker_id),
    'statement_kind', st.kind,
    'text', st.text,
    'date', {DATE.format(row="st")},
    'occasion', (SELECT json_build_object('slug', o.slug, 'name', o.title,
                        'url', %(base)s || '/api/v1/events/' || o.slug || '/')
                 FROM events_event o WHERE o.id = st.occasion_id),
    'about', (SELECT coalesce(json_agg({ACTOR_BRIEF} ORDER BY a.name), '[]')
              FROM events_statement_about sa JOIN events_actor a ON a.id = sa.actor_id
              WHERE sa.statement_id = st.id),
    'conflicts', {CONFLICT_BRIEFS.format(link="events_statement_conflicts", column="statement_id", row="st")},
    'citations', {CITATIONS.format(column="statement_id", row="st")},
    'status', st.status,
    'updated_at', st.updated_at)"""

PAGE = """SELECT replace(
    json_build_object('next', max(k), 'results', coalesce(json_agg(doc ORDER BY k), '[]'))::text,
    '"url" : "/', '"url" : "' || %(base)s || '/')
FROM ({rows}) page"""

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


EVENT_DETAIL = f"""SELECT replace({EVENT_DOC}::text, '"url" : "/', '"url" : "' || %(base)s || '/')
FROM events_event e WHERE e.slug = %(slug)s AND e.status = 'published'"""

ACTORS = f"""SELECT json_build_object('results', coalesce(json_agg(doc ORDER BY k), '[]'))::text FROM (
    SELECT a.slug COLLATE "C" AS k, json_build_object(
        'slug', a.slug, 'url', %(base)s || '/api/v1/actors/' || a.slug || '/', 'name', a.name, 'kind', a.kind,
        'description', a.description,
        'affiliation', (SELECT {ACTOR_BRIEF.replace("a.", "af.")} FROM events_actor af
                        WHERE af.id = a.affiliation_id),
        'aliases', a.aliases, 'wikidata_qid', a.wikidata_qid,
        'citations', {CITATIONS.format(column="actor_id", row="a")},
        'updated_at', a.updated_at) AS doc
    FROM events_actor a
    WHERE events_actor_search_names(a.name, a.aliases) LIKE '%%' || lower(unaccent(%(q)s)) || '%%'
    ORDER BY a.slug COLLATE "C" LIMIT %(page_size)s) page"""

# The actor's events and the statements they spoke or are spoken about in, merged by key.
TIMELINE_ROWS = f"""
    (SELECT e.date_key AS k, {EVENT_DOC} AS doc FROM events_event e
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
               CASE WHEN doc->>'url' LIKE '/%%' THEN %(base)s || (doc->>'url') ELSE doc->>'url' END
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
