"""Search that finds what people type: accents ignored, hyphenated compounds also indexed joined.

`events_search_text(text)` is the text as the search vectors index it (events.search): the
text without accents, followed by each hyphenated compound joined ("cease-fire" adds
"ceasefire"). It is declared IMMUTABLE so generated columns can use it: unaccent itself is
only STABLE, as its dictionary could change, and this project never changes it.

PostgreSQL cannot change a generated column's expression in place, so each search vector
(and its index) is dropped and added again, computed afresh for every row.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CREATE_FUNCTION = r"""
CREATE FUNCTION events_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT public.unaccent(value) || coalesce(
        ' ' || (SELECT string_agg(translate(m[1], '-' || chr(8208) || chr(8209), ''), ' ')
                FROM regexp_matches(public.unaccent(value), '(\w+(?:[-\u2010\u2011]\w+)+)', 'g') AS m),
        '')
    $$;
"""


def vector_operations(model_name, index_name, field):
    return [
        migrations.RemoveIndex(model_name=model_name, name=index_name),
        migrations.RemoveField(model_name=model_name, name="search_vector"),
        migrations.AddField(model_name=model_name, name="search_vector", field=field),
        migrations.AddIndex(
            model_name=model_name,
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name=index_name),
        ),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0011_intake_proposals"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION events_search_text(text)"),
        *vector_operations(
            "event",
            "events_event_search_idx",
            models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(models.Func(models.F('title'), function='events_search_text', output_field=models.TextField()), config='english', weight='A'), '||', django.contrib.postgres.search.SearchVector(models.Func(models.F('summary'), function='events_search_text', output_field=models.TextField()), config='english', weight='B'), django.contrib.postgres.search.SearchConfig('english')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        *vector_operations(
            "statement",
            "events_stmt_search_idx",
            models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.SearchVector(models.Func(models.F('text'), function='events_search_text', output_field=models.TextField()), config='english', weight='A'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
    ]
