"""Each event row keeps the JSON of its participants, conflicts and citations.

An event's API document embeds three lists of related records. Built on every read, they
cost PostgreSQL three correlated subqueries per event, about 4 ms of a page of 50 and more
than everything else in the query (docs/SCALING.md). Here the database keeps them instead,
on the event's own row, as the `json` text the API sends: `events.api.documents` reads the
columns and never builds the lists.

The columns are not model fields. The triggers below write them (and `seed_synthetic`'s
bulk load, which turns two of them off and writes the same text itself), so no path
through Django can leave one stale or write a wrong one:

- a participant, conflict link or event citation added, changed or removed refreshes its
  event (and the event it left, when one is moved); emptying a link table with TRUNCATE
  refreshes every event;
- an actor's or conflict's slug or name, or a source's slug, title or date, changed
  refreshes every event that shows it. That rewrites each of those event rows: about
  half a millisecond an event, 28 s for an actor in 48,000 of a million events
  (docs/SCALING.md, "What the stored lists cost").

Concurrency. A refresh first locks the event rows, then computes in a new statement: under
READ COMMITTED that statement sees every transaction that held the lock before it, so the
last writer always computes from all committed changes. A link trigger also takes a share
lock on the linked actor, conflict or source, so a rename and a new link to the same
record run one after the other, and whichever is second sees the first. Two limits:

- An edit that locks an event row and then links it to a record being renamed, while
  the rename waits for that event, is a deadlock: PostgreSQL aborts one of the two
  transactions with an error (the editor saves again) and leaves nothing stale.
- Under REPEATABLE READ or SERIALIZABLE a rename would look for the events to refresh
  with its transaction's first snapshot and could miss a link committed since, so
  renames refuse them: they run under READ COMMITTED, Django's default.

URLs are stored relative ("/api/v1/actors/<slug>/"); the API puts its base in front.
`events_event_*_json(id)` compute a list afresh; `manage.py check_event_json` compares them
with the stored columns.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE events_event
    ADD COLUMN participants_json json NOT NULL DEFAULT '[]',
    ADD COLUMN conflicts_json json NOT NULL DEFAULT '[]',
    ADD COLUMN citations_json json NOT NULL DEFAULT '[]';

-- The lists exactly as the API writes them (EventSerializer), in its order.
CREATE FUNCTION events_event_participants_json(event bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (
        SELECT coalesce(json_agg(json_build_object(
                   'actor', json_build_object('slug', a.slug, 'name', a.name, 'url', '/api/v1/actors/' || a.slug || '/'),
                   'role', p.role
               ) ORDER BY p.role, a.name, a.id), '[]')
        FROM events_eventparticipant p JOIN events_actor a ON a.id = p.actor_id
        WHERE p.event_id = event
    );

CREATE FUNCTION events_event_conflicts_json(event bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (
        SELECT coalesce(json_agg(json_build_object(
                   'slug', c.slug, 'name', c.name, 'url', '/api/v1/conflicts/' || c.slug || '/'
               ) ORDER BY c.name, c.id), '[]')
        FROM events_event_conflicts ec JOIN events_conflict c ON c.id = ec.conflict_id
        WHERE ec.event_id = event
    );

CREATE FUNCTION events_event_citations_json(event bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (
        SELECT coalesce(json_agg(json_build_object(
                   'source', json_build_object('slug', s.slug, 'name', s.title, 'url', '/api/v1/sources/' || s.slug || '/'),
                   'excerpt', ci.excerpt,
                   'start', ci.start_offset,
                   'end', ci.end_offset
               ) ORDER BY s.published_on DESC, s.slug, ci.start_offset, ci.id), '[]')
        FROM events_citation ci JOIN events_source s ON s.id = ci.source_id
        WHERE ci.event_id = event
    );

CREATE FUNCTION events_refresh_event_json(events bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Lock, then compute in a second statement, whose snapshot (READ COMMITTED) includes
    -- every transaction that held these rows first.
    PERFORM 1 FROM events_event WHERE id = ANY(events) ORDER BY id FOR NO KEY UPDATE;
    UPDATE events_event
    SET participants_json = events_event_participants_json(id),
        conflicts_json = events_event_conflicts_json(id),
        citations_json = events_event_citations_json(id)
    WHERE id = ANY(events);
END $$;

-- A row of a link table (events_eventparticipant, events_event_conflicts, events_citation)
-- added, changed or removed. TG_ARGV: the linked table and the link's column for it.
CREATE FUNCTION events_event_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
        RETURN NULL;  -- a save that changed nothing
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM events_refresh_event_json(ARRAY[OLD.event_id]);
        RETURN NULL;
    END IF;
    IF NEW.event_id IS NOT NULL THEN
        -- A concurrent rename of the linked record waits for this transaction, or this for it.
        EXECUTE format('SELECT 1 FROM %I WHERE id = $1 FOR SHARE', TG_ARGV[0])
            USING (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM events_refresh_event_json(ARRAY[NEW.event_id, OLD.event_id]);
    ELSE
        PERFORM events_refresh_event_json(ARRAY[NEW.event_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_participant_changed
    AFTER INSERT OR UPDATE OR DELETE ON events_eventparticipant
    FOR EACH ROW EXECUTE FUNCTION events_event_link_changed('events_actor', 'actor_id');

CREATE TRIGGER events_event_conflict_changed
    AFTER INSERT OR UPDATE OR DELETE ON events_event_conflicts
    FOR EACH ROW EXECUTE FUNCTION events_event_link_changed('events_conflict', 'conflict_id');

CREATE TRIGGER events_citation_changed
    AFTER INSERT OR UPDATE OR DELETE ON events_citation
    FOR EACH ROW EXECUTE FUNCTION events_event_link_changed('events_source', 'source_id');

-- An actor, conflict or source renamed (the WHEN clauses say which columns count).
-- TG_ARGV: the link table to the events showing it, and the link's column for it.
CREATE FUNCTION events_event_record_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    events bigint[];
BEGIN
    -- The events are found with a fresh snapshot only under READ COMMITTED; under a
    -- transaction-long snapshot a link committed since would be missed, and its event
    -- would keep the old name.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'renaming % % needs READ COMMITTED isolation', TG_TABLE_NAME, NEW.id
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    EXECUTE format('SELECT array_agg(DISTINCT event_id) FROM %I WHERE %I = $1 AND event_id IS NOT NULL',
                   TG_ARGV[0], TG_ARGV[1])
        INTO events USING NEW.id;
    PERFORM events_refresh_event_json(coalesce(events, '{}'));
    RETURN NULL;
END $$;

CREATE TRIGGER events_actor_renamed
    AFTER UPDATE ON events_actor
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION events_event_record_renamed('events_eventparticipant', 'actor_id');

CREATE TRIGGER events_conflict_renamed
    AFTER UPDATE ON events_conflict
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION events_event_record_renamed('events_event_conflicts', 'conflict_id');

CREATE TRIGGER events_source_renamed
    AFTER UPDATE ON events_source
    FOR EACH ROW WHEN (
        OLD.slug IS DISTINCT FROM NEW.slug
        OR OLD.title IS DISTINCT FROM NEW.title
        OR OLD.published_on IS DISTINCT FROM NEW.published_on
    )
    EXECUTE FUNCTION events_event_record_renamed('events_citation', 'source_id');

-- A link table emptied at once (TRUNCATE fires no row triggers).
CREATE FUNCTION events_event_links_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM events_refresh_event_json(ARRAY(SELECT id FROM events_event));
    RETURN NULL;
END $$;

CREATE TRIGGER events_participants_truncated AFTER TRUNCATE ON events_eventparticipant
    FOR EACH STATEMENT EXECUTE FUNCTION events_event_links_truncated();
CREATE TRIGGER events_event_conflicts_truncated AFTER TRUNCATE ON events_event_conflicts
    FOR EACH STATEMENT EXECUTE FUNCTION events_event_links_truncated();
CREATE TRIGGER events_citations_truncated AFTER TRUNCATE ON events_citation
    FOR EACH STATEMENT EXECUTE FUNCTION events_event_links_truncated();

-- Events already in the database.
UPDATE events_event
SET participants_json = events_event_participants_json(id),
    conflicts_json = events_event_conflicts_json(id),
    citations_json = events_event_citations_json(id);
"""

BACKWARD = r"""
DROP TRIGGER events_citations_truncated ON events_citation;
DROP TRIGGER events_event_conflicts_truncated ON events_event_conflicts;
DROP TRIGGER events_participants_truncated ON events_eventparticipant;
DROP FUNCTION events_event_links_truncated();
DROP TRIGGER events_source_renamed ON events_source;
DROP TRIGGER events_conflict_renamed ON events_conflict;
DROP TRIGGER events_actor_renamed ON events_actor;
DROP FUNCTION events_event_record_renamed();
DROP TRIGGER events_citation_changed ON events_citation;
DROP TRIGGER events_event_conflict_changed ON events_event_conflicts;
DROP TRIGGER events_participant_changed ON events_eventparticipant;
DROP FUNCTION events_event_link_changed();
DROP FUNCTION events_refresh_event_json(bigint[]);
DROP FUNCTION events_event_citations_json(bigint);
DROP FUNCTION events_event_conflicts_json(bigint);
DROP FUNCTION events_event_participants_json(bigint);
ALTER TABLE events_event DROP COLUMN participants_json, DROP COLUMN conflicts_json, DROP COLUMN citations_json;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_actor_name_search_index"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
