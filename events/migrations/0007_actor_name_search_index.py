"""A trigram index for actor name searches (substring, any case, any accents).

The searched text is a database function, declared IMMUTABLE so an index can hold it
(events.models.ActorSearchNames). Being IMMUTABLE while calling the STABLE unaccent, it
is never inlined: queries and the index both see the same function call.
"""

import django.contrib.postgres.indexes
from django.db import migrations
from django.db.models import F

import events.models

CREATE_FUNCTION = """
CREATE FUNCTION events_actor_search_names(name text, aliases text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN public.unaccent(lower(concat_ws(' | ', name, array_to_string(aliases, ' | '))));
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_derived_search_and_sort_keys"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION events_actor_search_names(text, text[])"),
        migrations.AddIndex(
            model_name="actor",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    events.models.ActorSearchNames(F("name"), F("aliases")), name="gin_trgm_ops"
                ),
                name="events_actor_names_trgm",
            ),
        ),
    ]
