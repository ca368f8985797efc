"""Each event row keeps the JSON of its participants, conflicts and citations.

An event's API document embeds three lists of related records. Built on every read, they
cost PostgreSQL three correlated subqueries per event, about 4 ms of a page of 50 and more
than everything else in the query (docs/SCALING.md). The database keeps them instead, on
the event's own row, as the `json` text the API sends.

This migration adds the columns. What fills them, and keeps them current, are triggers
generated from the read model (`events.read_model.stored`), installed by migration 0009.
(This migration first installed hand-written functions and triggers, with the API's URLs
written out; 0009 drops them where they were installed.)
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE events_event
    ADD COLUMN participants_json json NOT NULL DEFAULT '[]',
    ADD COLUMN conflicts_json json NOT NULL DEFAULT '[]',
    ADD COLUMN citations_json json NOT NULL DEFAULT '[]';
"""

BACKWARD = r"""
ALTER TABLE events_event DROP COLUMN participants_json, DROP COLUMN conflicts_json, DROP COLUMN citations_json;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_actor_name_search_index"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
