"""Counting the items of a filtered list by facet and by period: from the summaries, or on the spot.

Both ways give the same rows, `FacetRow(value, label, count)`: the value as the list's
filter parameter takes it (an actor's or conflict's slug, a type, a precision, a kind),
its label (the record's name; None for vocabularies, labelled by `results`), and how
many items of the list have it.

- `from_summaries`: the unfiltered list or one actor's, for the public (published items
  only): one query over `events_facet_summary`, whatever the corpus size.
- `on_the_spot`: any other list: one query per facet over the filtered querysets, each
  stopped by PostgreSQL when it runs past the time budget. A facet that was stopped is
  reported as TIMED_OUT, never as a partial count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError, connections, router, transaction
from django.db.models import QuerySet

from events.models import Event

# Facets whose values are records, shown by name and filtered by slug.
RECORD_FACETS = {
    "actor": "events_actor",
    "speaker": "events_actor",
    "about": "events_actor",
    "conflict": "events_conflict",
}
# Values kept per facet; one more is fetched to know whether the list was cut.
FACET_SIZE = 30
# Milliseconds each facet query may run before PostgreSQL stops it (as Datasette's facet_time_limit_ms).
TIME_BUDGET_MS = 200


class _TimedOut:
    def __repr__(self) -> str:
        return "TIMED_OUT"


TIMED_OUT = _TimedOut()


@dataclass(frozen=True)
class FacetRow:
    value: str
    label: str | None
    count: int


@dataclass
class Counts:
    """What the facets, the histogram and the total of one list came to.

    `facets[name]` is a list of rows (most frequent first, at most FACET_SIZE + 1) or
    TIMED_OUT; `periods` maps "2017-03|day"-style periods (`events_facet_period`) to
    counts, or is TIMED_OUT, or None when no histogram was asked for; `total` likewise.
    """

    facets: dict[str, list[FacetRow] | _TimedOut] = field(default_factory=dict)
    periods: dict[str, int] | _TimedOut | None = None
    total: int | _TimedOut | None = None
    source: str = "summaries"


# -- from the summaries

_SUMMARY_FACETS = {"actor": "actor", "conflict": "conflict", "type": "type", "precision": "precision"}

_SUMMARY_SQL = """
WITH top AS MATERIALIZED (
    SELECT wanted.facet, counted.value, counted.n
    FROM unnest(%(facets)s::text[]) AS wanted (facet)
    CROSS JOIN LATERAL (
        -- A walk of events_facet_summary_top_idx: the most frequent first, the rest unread.
        SELECT value, n FROM events_facet_summary
        WHERE scope = %(scope)s AND kind = %(kind)s AND facet = wanted.facet AND n > 0
        ORDER BY n DESC, value
        LIMIT CASE WHEN wanted.facet = 'period' THEN NULL ELSE %(size)s END
    ) counted
)
SELECT top.facet, coalesce(actor.slug, conflict.slug, top.value), coalesce(actor.name, conflict.name), top.n
FROM top
LEFT JOIN events_actor actor ON actor.id = (CASE WHEN top.facet = 'actor' THEN top.value::bigint END)
LEFT JOIN events_conflict conflict ON conflict.id = (CASE WHEN top.facet = 'conflict' THEN top.value::bigint END)
UNION ALL
SELECT 'kind', kind, NULL, n FROM events_facet_summary
WHERE scope = %(scope)s AND kind = ANY(%(kinds)s) AND facet = 'all'
"""

KIND_NAMES = {"e": "event", "s": "statement"}


def from_summaries(*, scope: int, kinds: list[str], facets: list[str], histogram: bool) -> Counts:
    """Counts of the published items of `kinds` ("e", "s") concerning the actor `scope` (0: all items).

    One query. The `kind` facet and the total come from the same rows.
    """
    wanted = [_SUMMARY_FACETS[name] for name in facets if name in _SUMMARY_FACETS]
    if histogram:
        wanted.append("period")
    alias = router.db_for_read(Event)
    with connections[alias].cursor() as cursor:
        # Both kinds are counted together in rows of their own ("a").
        kind = kinds[0] if len(kinds) == 1 else "a"
        cursor.execute(
            _SUMMARY_SQL,
            {"scope": scope, "kind": kind, "kinds": kinds, "facets": wanted, "size": FACET_SIZE + 1},
        )
        rows = cursor.fetchall()
    counts = Counts(facets={name: [] for name in facets}, source="summaries")
    periods: dict[str, int] = {}
    total = 0
    for facet, value, label, n in rows:
        if facet == "kind":
            total += n
            if "kind" in counts.facets and n:
                counts.facets["kind"].append(FacetRow(KIND_NAMES[value], None, n))
        elif facet == "period":
            periods[value] = n
        else:
            counts.facets[facet].append(FacetRow(value, label, n))
    for rows_of_facet in counts.facets.values():
        rows_of_facet.sort(key=lambda row: (-row.count, row.label or row.value))
    counts.total = total
    counts.periods = periods if histogram else None
    return counts


# -- on the spot


def _ids_sql(queryset: QuerySet | None, connection) -> tuple[str, list]:
    """The SQL of the ids of a filtered queryset, or of no rows."""
    if queryset is None:
        return "SELECT NULL::bigint AS id WHERE false", []
    sql, params = queryset.order_by().values("id").query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _facet_sql(facet: str, list_kind: str) -> str | None:
    """The query counting `facet` over the items {E} (event ids) and {S} (statement ids): rows (key, n)."""
    events, statements = "SELECT id FROM ({E}) e_ids", "SELECT id FROM ({S}) s_ids"
    if facet == "total":
        return (
            f"SELECT 'total', (SELECT count(*) FROM ({events}) e) + (SELECT count(*) FROM ({statements}) s)"
        )
    if facet == "kind" and list_kind == "statements":
        return f"SELECT kind, count(*) FROM events_statement WHERE id IN ({statements}) GROUP BY kind"
    if facet == "kind":
        return (
            f"SELECT 'event', (SELECT count(*) FROM ({events}) e) "
            f"UNION ALL SELECT 'statement', (SELECT count(*) FROM ({statements}) s)"
        )
    if facet == "type":
        return f"SELECT type, count(*) FROM events_event WHERE id IN ({events}) GROUP BY type"
    if facet in ("precision", "period"):
        column = (
            "date_precision" if facet == "precision" else "events_facet_period(date_precision, date_start)"
        )
        return (
            f"SELECT key, count(*) FROM ("
            f"SELECT {column} AS key FROM events_event WHERE id IN ({events}) "
            f"UNION ALL SELECT {column} FROM events_statement WHERE id IN ({statements})) keys GROUP BY key"
        )
    if facet == "conflict":
        return (
            "SELECT conflict_id, count(*) FROM ("
            f"SELECT conflict_id FROM events_event_conflicts WHERE event_id IN ({events}) "
            f"UNION ALL SELECT conflict_id FROM events_statement_conflicts WHERE statement_id IN ({statements})"
            ") links GROUP BY conflict_id"
        )
    if facet == "actor":
        # An event's participants; a statement's speaker and the actors it is about (each once).
        return (
            "SELECT actor_id, count(*) FROM ("
            f"SELECT DISTINCT event_id, actor_id FROM events_eventparticipant WHERE event_id IN ({events}) "
            "UNION ALL (SELECT id, speaker_id FROM events_statement "
            f"WHERE id IN ({statements}) UNION SELECT statement_id, actor_id FROM events_statement_about "
            f"WHERE statement_id IN ({statements}))) pairs GROUP BY actor_id"
        )
    if facet == "speaker":
        return f"SELECT speaker_id, count(*) FROM events_statement WHERE id IN ({statements}) GROUP BY speaker_id"
    if facet == "about":
        return (
            "SELECT actor_id, count(*) FROM events_statement_about "
            f"WHERE statement_id IN ({statements}) GROUP BY actor_id"
        )
    return None


def _labelled(facet: str, sql: str) -> str:
    """Facet rows with their records' slugs and names, most frequent first, FACET_SIZE + 1 at most."""
    table = RECORD_FACETS.get(facet)
    if table is None:
        return f"SELECT key::text, NULL, n FROM ({sql}) counted (key, n) WHERE n > 0 ORDER BY n DESC, key"
    return (
        f"SELECT record.slug, record.name, counted.n FROM ({sql}) counted (key, n) "
        f"JOIN {table} record ON record.id = counted.key WHERE counted.n > 0 "
        f"ORDER BY counted.n DESC, record.name, record.slug LIMIT {FACET_SIZE + 1}"
    )


def on_the_spot(
    *,
    events: QuerySet | None,
    statements: QuerySet | None,
    facets: list[str],
    histogram: bool,
    list_kind: str,
    budget_ms: int | None = None,
) -> Counts:
    """Counts of the items of the filtered querysets, one query per facet, each within `budget_ms`.

    `list_kind` is "timeline", "events" or "statements": it decides what `kind` means
    (event or statement; a statement's quote or paraphrase).
    """
    budget_ms = budget_ms or TIME_BUDGET_MS
    alias = router.db_for_read(Event)
    connection = connections[alias]
    e_sql, e_params = _ids_sql(events, connection)
    s_sql, s_params = _ids_sql(statements, connection)
    counts = Counts(source="on the spot")
    wanted = [*facets, *(["period"] if histogram else []), "total"]
    with connection.cursor() as cursor:
        # One setting for this connection's next queries, put back afterwards; inside a
        # transaction, each query gets a savepoint so a stopped one spoils nothing else.
        cursor.execute(f"SET statement_timeout = {int(budget_ms)}")
        try:
            for facet in wanted:
                template = _facet_sql(facet, list_kind)
                if template is None:
                    counts.facets[facet] = []
                    continue
                params: list = []
                # Each {E} and {S} placeholder takes its subquery's parameters, in order.
                pieces = []
                for chunk in template.replace("{S}", "\x00S\x00").replace("{E}", "\x00E\x00").split("\x00"):
                    if chunk == "E":
                        pieces.append(e_sql)
                        params += e_params
                    elif chunk == "S":
                        pieces.append(s_sql)
                        params += s_params
                    else:
                        pieces.append(chunk)
                sql = "".join(pieces)
                if facet not in ("total", "period"):
                    sql = _labelled(facet, sql)
                try:
                    with transaction.atomic(using=alias) if connection.in_atomic_block else _nothing():
                        cursor.execute(sql, params)
                        rows = cursor.fetchall()
                except DatabaseError as error:
                    if not _cancelled(error):
                        raise
                    rows = TIMED_OUT
                if facet == "total":
                    counts.total = TIMED_OUT if rows is TIMED_OUT else int(rows[0][1])
                elif facet == "period":
                    counts.periods = TIMED_OUT if rows is TIMED_OUT else {key: int(n) for key, n in rows}
                else:
                    counts.facets[facet] = (
                        TIMED_OUT
                        if rows is TIMED_OUT
                        else [
                            FacetRow(str(value), label, int(n)) for value, label, n in rows[: FACET_SIZE + 1]
                        ]
                    )
        finally:
            cursor.execute("RESET statement_timeout")
    return counts


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _cancelled(error: DatabaseError) -> bool:
    """Whether PostgreSQL stopped the query for running past statement_timeout (SQLSTATE 57014)."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "57014"
