"""The JSON lists PostgreSQL keeps on each event row: participants, conflicts and citations.

Triggers keep them current (migration 0008, which says how); the API sends them as they
are. These functions are for checking that, and for repairing a database whose lists were
written some other way (rows copied in with the triggers off, a restore of only some tables).
"""

from __future__ import annotations

from django.db import connection, transaction

from events.models import Event

_FRESH = {
    "participants_json": "events_event_participants_json(id)",
    "conflicts_json": "events_event_conflicts_json(id)",
    "citations_json": "events_event_citations_json(id)",
}


def stale_events() -> list[str]:
    """Slugs of the events whose stored lists differ, as text, from the lists computed afresh."""
    differs = " OR ".join(f"{column}::text <> {fresh}::text" for column, fresh in _FRESH.items())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT slug FROM {Event._meta.db_table} WHERE {differs} ORDER BY slug")
        return [slug for (slug,) in cursor.fetchall()]


def refresh_events(slugs: list[str]) -> int:
    """Recompute the stored lists of the events with these slugs; returns how many were refreshed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT array_agg(id) FROM {Event._meta.db_table} WHERE slug = ANY(%s)", [slugs])
        (ids,) = cursor.fetchone()
        cursor.execute("SELECT events_refresh_event_json(%s::bigint[])", [ids or []])
    return len(ids or [])
