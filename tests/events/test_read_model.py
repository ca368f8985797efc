"""Every reader generated from a shape writes the same JSON: the SQL documents, the serializers, the stored lists.

`events.read_model` declares each shape once; the SQL the API reads, the DRF serializers
(the OpenAPI schema), and the triggers keeping an event's lists on its row are all
generated from it. These tests hold the generators to one another on every seed record,
on a shape with a field the project does not have (what adding a field looks like), and
the stored lists on a few thousand random events whose names tie, are empty, are not
Latin or hold control characters.
"""

import datetime
import json
import random

import pytest
from django.db import connection
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from events.api.documents import with_documents
from events.choices import ActorKind, EventType, ParticipantRole
from events.models import Actor, Conflict, Event, EventParticipant
from events.read_model import shapes, stored
from events.read_model.serializers import prefetches, serializer_for
from events.read_model.spec import Brief, BriefOf, Column, Many, Timestamp
from events.read_model.sql import model_of
from tests.conftest import cite_each

pytestmark = pytest.mark.usefixtures("seeded")


def _request() -> Request:
    return Request(APIRequestFactory().get("/api/v1/"))


def serialized(shape, queryset) -> dict[str, dict]:
    """What the shape's generated serializer writes for each record, by slug, as JSON would carry it."""
    related, prefetched = prefetches(shape)
    serializer = serializer_for(shape)
    request = _request()
    records = queryset.select_related(*related).prefetch_related(*prefetched)
    rendered = JSONRenderer().render(
        [serializer(record, context={"request": request}).data for record in records]
    )
    return {item["slug"]: item for item in json.loads(rendered)}


def documents(shape, queryset) -> dict[str, dict]:
    """What the shape's generated SQL writes for each record, by slug."""
    rows = with_documents(queryset, _request(), shape)
    return {item["slug"]: item for item in (json.loads(row["document"]) for row in rows)}


@pytest.mark.parametrize("shape", shapes.SHAPES, ids=lambda shape: shape.name)
def test_the_serializer_and_the_sql_of_each_shape_write_the_same_json_for_every_seed_record(shape):
    records = model_of(shape.label).objects.all()

    from_sql, from_serializer = documents(shape, records), serialized(shape, records)

    assert len(from_sql) == records.count() > 0
    assert from_sql == from_serializer


def test_documents_keep_the_shape_s_key_order():
    event = Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02")
    row = with_documents(event, _request(), shapes.TIMELINE_EVENT).get()

    assert list(json.loads(row["document"])) == list(shapes.TIMELINE_EVENT.fields)
    statement = with_documents(
        model_of("events.Statement").objects.all()[:1], _request(), shapes.TIMELINE_STATEMENT
    )
    assert list(json.loads(statement.get()["document"]))[:5] == [
        "kind",
        "slug",
        "url",
        "speaker",
        "statement_kind",
    ]


STATEMENT_BRIEF = BriefOf("StatementBrief", "events.Statement", "api:statement-detail", name_field="text")
# What adding fields to the event's JSON looks like: one line each in the shape.
EVENT_WITH_MORE = shapes.EVENT.with_fields(
    "EventWithMore",
    {
        **shapes.EVENT.fields,
        "version": Column("version"),
        "created_at": Timestamp("created_at"),
        "said_there": Many("statements", Brief("", STATEMENT_BRIEF), ("text", "id")),
    },
)


def test_a_shape_with_more_fields_is_written_the_same_by_every_generated_reader():
    records = Event.objects.all()

    from_sql, from_serializer = documents(EVENT_WITH_MORE, records), serialized(EVENT_WITH_MORE, records)

    assert from_sql == from_serializer
    gatilov = from_sql["gatilov-geneva-interview"]
    assert list(gatilov)[-3:] == ["version", "created_at", "said_there"]
    assert gatilov["version"] == 1
    assert [brief["slug"] for brief in gatilov["said_there"]] == sorted(
        (s.slug for s in Event.objects.get(slug="gatilov-geneva-interview").statements.all()),
        key=lambda slug: model_of("events.Statement").objects.get(slug=slug).text,
    )
    assert gatilov["said_there"][0]["url"].startswith("http://testserver/api/v1/statements/")
    schema = serializer_for(EVENT_WITH_MORE)()
    assert {"version", "created_at", "said_there"} <= set(schema.fields)


# Names that sort against each other in the database's collation, not only in Python's:
# ties, case, accents, scripts other than Latin, quotes, backslashes and control characters.
AWKWARD_NAMES = [
    "Al-Assad",
    "al-Assad",
    "Al-Assad",
    "Алексей Навальный",
    "Дмитрий Песков",
    "حفتر",
    "習近平",
    'The "Quartet"',
    "Back\\slash",
    "Tab\tand\nnewline",
    "Émile Zola",
    "emile zola",
    "Zero\u200bwidth",
    "😀 Emoji",
    "",
]


def test_stored_lists_equal_the_shapes_sql_on_thousands_of_random_events():
    rng = random.Random(16)
    actors = Actor.objects.bulk_create(
        Actor(slug=f"awkward-{number}", name=name or "-", kind=ActorKind.PERSON)
        for number, name in enumerate(AWKWARD_NAMES * 3)
    )
    conflicts = Conflict.objects.bulk_create(
        Conflict(slug=f"awkward-conflict-{number}", name=rng.choice(AWKWARD_NAMES) or "-")
        for number in range(8)
    )
    day = datetime.date(2020, 1, 1)
    events = Event.objects.bulk_create(
        Event(
            slug=f"random-{number}",
            title=f"Random event {number}",
            type=EventType.OTHER,
            date_text="2020-01-01",
            date_start=day,
            date_end=day,
            date_precision="day",
        )
        for number in range(3000)
    )
    cite_each(events)
    roles = list(ParticipantRole.values)
    EventParticipant.objects.bulk_create(
        EventParticipant(event=event, actor=actor, role=rng.choice(roles))
        for event in events
        for actor in rng.sample(actors, rng.randint(0, 4))
    )
    Event.conflicts.through.objects.bulk_create(
        Event.conflicts.through(event_id=event.pk, conflict_id=conflict.pk)
        for event in events
        for conflict in rng.sample(conflicts, rng.choice([0, 0, 1, 2]))
    )
    # A rename that ties two names, and one that empties a name to a control character.
    Actor.objects.filter(slug="awkward-3").update(name="Al-Assad")
    Conflict.objects.filter(slug="awkward-conflict-0").update(name="\x01")

    assert stored.stale_rows() == []
    sample = Event.objects.filter(slug__in=[f"random-{number}" for number in range(0, 3000, 97)])
    assert documents(shapes.EVENT, sample) == serialized(shapes.EVENT, sample)
    lists = [len(item["participants"]) for item in documents(shapes.EVENT, sample).values()]
    assert 0 in lists and max(lists) == 4


def test_the_triggers_of_link_tables_django_creates_are_frozen_as_generated_now():
    """Migration 0017 froze the triggers of Event.conflicts' link table (migrations cannot see that table)."""
    import importlib

    frozen = importlib.import_module(
        "events.migrations.0017_change_feed_shown_records"
    ).STORED_THROUGH_TRIGGERS
    generated = [trigger.compile(model) for model, trigger in stored.triggers() if model._meta.auto_created]

    assert [trigger.name for trigger in frozen] == [trigger.name for trigger in generated]
    assert frozen == generated, "regenerate THROUGH_TRIGGERS in a new migration (events.read_model.stored)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t"
            " WHERE t.tgrelid = 'events_event_conflicts'::regclass AND t.tgname LIKE 'pgtrigger_%'"
            " AND t.tgname NOT LIKE 'pgtrigger_changes_%'"  # the change log's (events.changes.triggers)
            " ORDER BY t.tgname"
        )
        installed = sorted(hash_ for (hash_,) in cursor.fetchall())
    assert installed == sorted(trigger.hash for trigger in generated)


def test_after_migrate_the_lists_stored_by_older_sql_are_recomputed():
    """A shape that changes a stored list needs no data migration: migrate recomputes the rows."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        # What rows filled by an earlier version of the participants' SQL look like.
        cursor.execute("UPDATE events_event SET participants_json = '[]'")
        cursor.execute("COMMENT ON COLUMN events_event.participants_json IS 'read model 0000'")
    assert len(stored.stale_rows()) == 9

    call_command("migrate", verbosity=0)

    assert stored.stale_rows() == []
    assert stored.refresh_changed_lists() == []  # nothing changed since
