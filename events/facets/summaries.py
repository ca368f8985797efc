"""Facet counts kept by PostgreSQL: what the unfiltered timeline and an actor's timeline hold.

Counting a million items by actor, type, date and conflict on every page view costs
seconds; reading counts already made costs a millisecond. So the database keeps them:

- `FacetItem`: for each published event ("e") and statement ("s"), the values it is
  counted under: its type, precision, period (see `events_facet_period`), the actors it
  concerns (an event's participants; a statement's speaker and the actors it is about:
  the timeline's `actor` filter) and its conflicts. Unpublished items have no row.
- `FacetSummary`: how many published items of each kind ("e", "s", and "a" for both)
  fall under each facet value, among all items (scope 0) and among the items concerning
  each actor (scope = the actor's id). Facets: `all` (value ""), `type`, `precision`,
  `period`, `conflict` and `actor` (values: ids). An index on (scope, kind, facet, n)
  hands out a facet's most frequent values without reading the others.

Statement-level triggers on the events, statements and their link tables call
`events_facet_refresh(kind, ids)` once per statement, with every item it touched: it
locks the items' rows (in id order), computes their values afresh, and applies the
difference from their stored `FacetItem` rows to the summaries, each summary row once,
in the same transaction. Refreshing is idempotent (a second refresh of an item finds
nothing to change) and follows the committed state whatever the order of two concurrent
writers (the row locks make the second wait and then read what the first committed). So a summary equals a fresh COUNT of the published items at any
moment: `tests/events/test_facet_summaries.py` checks it after every kind of write.

The cost is on writes: each published item's write updates about eight summary rows per
actor it concerns, and every write of a published item updates the rows of scope 0, so
concurrent writers of published items take turns on them until they commit.
Bulk loads turn the triggers off and call `rebuild()` once at the end (`seed_synthetic`).
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models import F

from events.choices import ReviewStatus

# Which facets are summarized, and the kinds of item ("e" event, "s" statement).
SUMMARIZED = ("all", "type", "precision", "period", "conflict", "actor")
KINDS = ("e", "s")
BOTH_KINDS = "a"


class FacetItem(models.Model):
    """The facet values one published item is counted under (what the summaries hold of it)."""

    pk = models.CompositePrimaryKey("kind", "item_id")
    kind = models.CharField(max_length=1, help_text='"e": an event; "s": a statement.')
    item_id = models.BigIntegerField()
    type = models.CharField(max_length=32, help_text="The event's type; empty for statements.")
    date_precision = models.CharField(max_length=16)
    period = models.CharField(max_length=24, help_text='e.g. "2017-03|day" (see events_facet_period).')
    actors = models.JSONField(default=list, help_text="Ids of the actors it concerns, ascending.")
    conflicts = models.JSONField(default=list, help_text="Ids of its conflicts, ascending.")

    class Meta:
        app_label = "events"
        db_table = "events_facet_item"

    def __str__(self) -> str:
        return f"{self.kind}{self.item_id}"


class FacetSummary(models.Model):
    """How many published items of one kind fall under one facet value, in one scope."""

    pk = models.CompositePrimaryKey("scope", "kind", "facet", "value")
    scope = models.BigIntegerField(help_text="0: every published item; otherwise an actor's id.")
    # "C" collation throughout: byte comparisons, far cheaper than a language's rules for
    # keys that are codes and ids (and equal counts are ordered by the index's own order).
    kind = models.CharField(max_length=1, db_collation="C", help_text='"e" events, "s" statements, "a" both.')
    facet = models.CharField(max_length=16, db_collation="C")
    value = models.CharField(max_length=64, db_collation="C")
    n = models.BigIntegerField()

    class Meta:
        app_label = "events"
        db_table = "events_facet_summary"
        indexes = [
            models.Index(
                "scope", "kind", "facet", F("n").desc(), "value", name="events_facet_summary_top_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.kind}/{self.facet}={self.value}: {self.n}"


PUBLISHED = ReviewStatus.PUBLISHED.value

# The period of a date in the histogram: a week counts in the month holding most of its
# days (its Thursday); a year-precision item is known to its year only.
PERIOD_FUNCTION = """
CREATE OR REPLACE FUNCTION events_facet_period(prec text, start date) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE prec
        WHEN 'day' THEN to_char(start, 'YYYY-MM') || '|day'
        WHEN 'week' THEN to_char(start + 3, 'YYYY-MM') || '|week'
        WHEN 'month' THEN to_char(start, 'YYYY-MM') || '|month'
        WHEN 'year' THEN to_char(start, 'YYYY') || '|year'
        ELSE '|unknown' END;
"""

# The summary keys of an item with these values: every facet value, in scope 0 and in the
# scope of each actor it concerns.
KEYS_FUNCTION = """
CREATE OR REPLACE FUNCTION events_facet_keys(type text, prec text, period text, actors jsonb, conflicts jsonb)
    RETURNS TABLE (scope bigint, facet text, value text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT scopes.scope, keys.facet, keys.value
    FROM (SELECT 0::bigint AS scope UNION ALL SELECT a::bigint FROM jsonb_array_elements_text(actors) a) scopes
    CROSS JOIN (
        SELECT 'all', ''
        UNION ALL SELECT 'precision', prec
        UNION ALL SELECT 'period', period
        UNION ALL SELECT 'type', type WHERE type <> ''
        UNION ALL SELECT 'conflict', c FROM jsonb_array_elements_text(conflicts) c
        UNION ALL SELECT 'actor', a FROM jsonb_array_elements_text(actors) a
    ) AS keys (facet, value)
    $$;
"""

# What an item is counted under now: one row if it is published, none otherwise.
ITEMS_SQL = f"""
SELECT 'e'::text AS kind, e.id AS item_id, e.type::text AS type, e.date_precision::text AS date_precision,
       events_facet_period(e.date_precision, e.date_start) AS period,
       coalesce((SELECT jsonb_agg(DISTINCT p.actor_id ORDER BY p.actor_id)
                 FROM events_eventparticipant p WHERE p.event_id = e.id), '[]') AS actors,
       coalesce((SELECT jsonb_agg(c.conflict_id ORDER BY c.conflict_id)
                 FROM events_event_conflicts c WHERE c.event_id = e.id), '[]') AS conflicts
FROM events_event e WHERE e.status = '{PUBLISHED}' AND {{event_condition}}
UNION ALL
SELECT 's', s.id, '', s.date_precision, events_facet_period(s.date_precision, s.date_start),
       (SELECT jsonb_agg(DISTINCT x.actor_id ORDER BY x.actor_id) FROM (
            SELECT s.speaker_id AS actor_id
            UNION ALL SELECT a.actor_id FROM events_statement_about a WHERE a.statement_id = s.id) x),
       coalesce((SELECT jsonb_agg(c.conflict_id ORDER BY c.conflict_id)
                 FROM events_statement_conflicts c WHERE c.statement_id = s.id), '[]')
FROM events_statement s WHERE s.status = '{PUBLISHED}' AND {{statement_condition}}
"""

REFRESH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION events_facet_refresh(item_kind text, items bigint[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF items IS NULL OR cardinality(items) = 0 THEN
            RETURN;
        END IF;
        -- Take turns with any other writer of these items (in id order, so two writers never
        -- wait on each other in a cycle); each statement below then reads what it committed.
        IF item_kind = 'e' THEN
            PERFORM 1 FROM events_event WHERE id = ANY(items) ORDER BY id FOR UPDATE;
        ELSE
            PERFORM 1 FROM events_statement WHERE id = ANY(items) ORDER BY id FOR UPDATE;
        END IF;
        -- The difference between what the items were counted under and what they are now,
        -- applied to each summary row once, however many items share it.
        WITH was AS (
            SELECT * FROM events_facet_item WHERE kind = item_kind AND item_id = ANY(items) FOR UPDATE
        ), now_ AS (
            {
    ITEMS_SQL.format(
        event_condition="e.id = ANY(items) AND item_kind = 'e'",
        statement_condition="s.id = ANY(items) AND item_kind = 's'",
    )
}
        ), changed AS (
            SELECT k.scope, k.facet, k.value, -1 AS d
            FROM was o, LATERAL events_facet_keys(o.type, o.date_precision, o.period, o.actors, o.conflicts) k
            UNION ALL
            SELECT k.scope, k.facet, k.value, 1
            FROM now_ n, LATERAL events_facet_keys(n.type, n.date_precision, n.period, n.actors, n.conflicts) k
        )
        INSERT INTO events_facet_summary AS summary (scope, kind, facet, value, n)
        SELECT c.scope, counted_as.kind, c.facet, c.value, sum(c.d)
        FROM changed c
        -- Counted as its own kind and among items of both kinds ("a").
        CROSS JOIN (VALUES (item_kind), ('a')) AS counted_as (kind)
        GROUP BY c.scope, counted_as.kind, c.facet, c.value
        HAVING sum(c.d) <> 0
        -- One order for every writer, so two of them never wait on each other's rows in a cycle.
        ORDER BY c.scope, counted_as.kind, c.facet, c.value
        ON CONFLICT (scope, kind, facet, value) DO UPDATE SET n = summary.n + EXCLUDED.n;
        DELETE FROM events_facet_item WHERE kind = item_kind AND item_id = ANY(items);
        INSERT INTO events_facet_item (kind, item_id, type, date_precision, period, actors, conflicts)
            {
    ITEMS_SQL.format(
        event_condition="e.id = ANY(items) AND item_kind = 'e'",
        statement_condition="s.id = ANY(items) AND item_kind = 's'",
    )
};
    END
    $$;
"""

# table: (the item kind, the column holding the item's id, the columns whose change
# matters to the facets; None: every insert, update and delete matters)
TRIGGERS = {
    "events_event": ("'e'", "id", "status, type, date_precision, date_start"),
    "events_statement": ("'s'", "id", "status, date_precision, date_start, speaker_id"),
    "events_eventparticipant": ("'e'", "event_id", None),
    "events_event_conflicts": ("'e'", "event_id", None),
    "events_statement_about": ("'s'", "statement_id", None),
    "events_statement_conflicts": ("'s'", "statement_id", None),
}


def trigger_name(table: str) -> str:
    return f"{table}_facets"


def _trigger_sql(table: str, kind: str, column: str, watched: str | None) -> str:
    """Three statement-level triggers (insert, update, delete): the items a statement wrote, refreshed at once.

    One refresh per statement, however many rows it wrote: a bulk write (a merge, a set of
    links) updates each summary row once, instead of once per row, which both costs a
    statement-level aggregate and keeps the summary rows free of long chains of versions.
    """
    name = trigger_name(table)
    changed = "true"
    if watched:
        columns = [c.strip() for c in watched.split(",")]
        changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
    items = {
        "insert": f"SELECT {column} FROM new_rows",
        "delete": f"SELECT {column} FROM old_rows",
        "update": (
            f"SELECT o.{column} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
            f" UNION SELECT n.{column} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
        ),
    }
    referencing = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }
    sql = []
    for operation, query in items.items():
        function = f"{name}_{operation}"
        sql.append(f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM events_facet_refresh({kind}, ARRAY(SELECT DISTINCT x FROM ({query}) AS touched (x) WHERE x IS NOT NULL));
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER {function} AFTER {operation.upper()} ON {table} {referencing[operation]}
        FOR EACH STATEMENT EXECUTE FUNCTION {function}();""")
    return "".join(sql)


def install_sql() -> str:
    """The functions and triggers that keep the summaries (migration 0013 runs it)."""
    triggers = "\n".join(_trigger_sql(table, *spec) for table, spec in TRIGGERS.items())
    return PERIOD_FUNCTION + KEYS_FUNCTION + REFRESH_FUNCTION + triggers


def uninstall_sql() -> str:
    drops = [
        f"DROP TRIGGER IF EXISTS {trigger_name(t)}_{op} ON {t};"
        for t in TRIGGERS
        for op in ("insert", "update", "delete")
    ]
    drops += [
        f"DROP FUNCTION IF EXISTS {trigger_name(t)}_{op}();"
        for t in TRIGGERS
        for op in ("insert", "update", "delete")
    ]
    drops += [
        "DROP FUNCTION IF EXISTS events_facet_refresh(text, bigint[]);",
        "DROP FUNCTION IF EXISTS events_facet_keys(text, text, text, jsonb, jsonb);",
        "DROP FUNCTION IF EXISTS events_facet_period(text, date);",
    ]
    return "\n".join(drops)


REBUILD_SQL = f"""
-- Counting every key of every item is one large aggregate: let it sort in memory.
SELECT set_config('work_mem', '256MB', true) WHERE current_setting('work_mem') IN ('1MB', '4MB', '16MB', '64MB');
DELETE FROM events_facet_summary;
DELETE FROM events_facet_item;
INSERT INTO events_facet_item (kind, item_id, type, date_precision, period, actors, conflicts)
    {ITEMS_SQL.format(event_condition="true", statement_condition="true")};
INSERT INTO events_facet_summary (scope, kind, facet, value, n)
    SELECT k.scope, counted_as.kind, k.facet, k.value, count(*)
    FROM events_facet_item i,
         LATERAL events_facet_keys(i.type, i.date_precision, i.period, i.actors, i.conflicts) k,
         LATERAL (VALUES (i.kind), ('a')) AS counted_as (kind)
    GROUP BY k.scope, counted_as.kind, k.facet, k.value
    -- In the primary key's order: each index page is filled once rather than split at random.
    ORDER BY k.scope, counted_as.kind, k.facet, k.value;
"""


def rebuild(cursor=None) -> None:
    """Compute every summary afresh from the tables (after a bulk load with the triggers off)."""
    if cursor is None:
        with connection.cursor() as own:
            own.execute(REBUILD_SQL)
        return
    cursor.execute(REBUILD_SQL)
