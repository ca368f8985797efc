"""The facet summaries PostgreSQL keeps equal a fresh COUNT after every kind of write.

After each write, every summarized list (all published items, and each actor's) is
counted both ways: read from `events_facet_summary`, and counted afresh by GROUP BY over
the filtered tables (`events.facets.counting.on_the_spot`, what an editor's page does).
The two must be the same, value for value. A transaction that commits is checked too,
from another connection, and undone.
"""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict

from events import merging
from events.api.timeline.filters import TimelineFilter
from events.choices import DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
from events.facets import counting, summaries
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Statement
from tests.connections import connect

pytestmark = pytest.mark.usefixtures("seeded")

FACETS = ["actor", "conflict", "type", "kind", "precision"]


class _Public:
    is_authenticated = False

    def has_perm(self, permission):
        return False


def _fresh(actor: Actor | None) -> counting.Counts:
    query = QueryDict(mutable=True)
    if actor is not None:
        query["actor"] = actor.slug
    filterset = TimelineFilter(query)
    assert filterset.is_valid(), filterset.errors
    streams = filterset.streams(_Public())
    return counting.on_the_spot(
        events=streams[0], statements=streams[1], facets=FACETS, histogram=True, list_kind="timeline"
    )


def _summarized(actor: Actor | None) -> counting.Counts:
    return counting.from_summaries(
        scope=actor.pk if actor else 0, kinds=["e", "s"], facets=FACETS, histogram=True
    )


def _comparable(counts: counting.Counts) -> dict:
    return {
        "facets": {name: sorted((r.value, r.count) for r in rows) for name, rows in counts.facets.items()},
        "periods": dict(sorted(counts.periods.items())),
        "total": counts.total,
    }


def assert_summaries_are_fresh() -> None:
    for actor in [None, *Actor.objects.order_by("slug")]:
        assert _comparable(_summarized(actor)) == _comparable(_fresh(actor)), actor


def _actor(slug: str) -> Actor:
    return Actor.objects.get(slug=slug)


def test_the_seeds_are_summarized():
    assert _comparable(_summarized(None))["total"] == 23
    assert_summaries_are_fresh()


def test_publishing_and_unpublishing():
    event = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    event.status = ReviewStatus.DRAFT
    event.save()
    assert _comparable(_summarized(None))["total"] == 22
    assert_summaries_are_fresh()
    event.status = ReviewStatus.PUBLISHED
    event.save()
    assert_summaries_are_fresh()


def test_participants_conflicts_and_about_added_and_removed():
    event = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    EventParticipant.objects.create(event=event, actor=_actor("turkey"), role=ParticipantRole.GUEST)
    # The same actor in a second role still counts the event once.
    EventParticipant.objects.create(event=event, actor=_actor("russia"), role=ParticipantRole.BROKER)
    event.conflicts.add(Conflict.objects.get(slug="syrian-civil-war"))
    assert_summaries_are_fresh()
    statement = Statement.objects.order_by("slug").first()
    statement.about.add(_actor("turkey"), _actor("iran"))
    statement.conflicts.clear()
    assert_summaries_are_fresh()
    EventParticipant.objects.filter(event=event, actor__slug="turkey").delete()
    statement.about.remove(_actor("iran"))
    assert_summaries_are_fresh()


def test_dates_types_and_speakers_changed():
    event = Event.objects.get(slug="ceasefire-syria-russia-turkey-2016-12")
    event.date_start, event.date_end, event.date_precision = (
        datetime.date(2016, 1, 1),
        datetime.date(2016, 12, 31),
        DatePrecision.YEAR,
    )
    event.type = EventType.AGREEMENT
    event.save()
    statement = Statement.objects.filter(speaker__slug="donald-trump").order_by("slug").first()
    statement.speaker = _actor("dmitry-peskov")
    statement.save()
    assert_summaries_are_fresh()


def test_records_created_and_deleted():
    event = Event.objects.create(
        slug="new-talks",
        title="New talks",
        type=EventType.TALKS,
        status=ReviewStatus.PUBLISHED,
        date_text="2017-03-06",
        date_start=datetime.date(2017, 3, 6),
        date_end=datetime.date(2017, 3, 6),
        date_precision=DatePrecision.DAY,
    )
    EventParticipant.objects.bulk_create(
        [
            EventParticipant(event=event, actor=_actor("iran"), role=ParticipantRole.HOST),
            EventParticipant(event=event, actor=_actor("turkey"), role=ParticipantRole.GUEST),
        ]
    )
    words = Statement.objects.create(
        slug="new-words",
        speaker=_actor("iran"),
        kind=StatementKind.PARAPHRASE,
        text="We talk.",
        occasion=event,
        status=ReviewStatus.PUBLISHED,
    )
    # Every event and statement keeps a citation: these borrow a passage of the seed article.
    passage = Citation.objects.filter(event__slug="moscow-talks-russia-serraj-2017-03-02").first()
    for record in ({"event": event}, {"statement": words}):
        Citation.objects.create(
            source=passage.source,
            excerpt=passage.excerpt,
            start_offset=passage.start_offset,
            end_offset=passage.end_offset,
            **record,
        )
    assert_summaries_are_fresh()
    Statement.objects.filter(slug="new-words").delete()
    event.delete()
    Event.objects.filter(slug="russian-military-intervention-syria").delete()
    assert_summaries_are_fresh()


def test_actors_merged():
    merging.actors_merge(target=_actor("russia"), others=[_actor("dmitry-peskov")], confirm_kinds=True)
    assert_summaries_are_fresh()


def test_a_rebuild_gives_what_the_triggers_kept():
    EventParticipant.objects.create(
        event=Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02"),
        actor=_actor("turkey"),
        role=ParticipantRole.GUEST,
    )
    kept = sorted(
        summaries.FacetSummary.objects.filter(n__gt=0).values_list("scope", "kind", "facet", "value", "n")
    )
    summaries.rebuild()
    rebuilt = sorted(summaries.FacetSummary.objects.values_list("scope", "kind", "facet", "value", "n"))
    assert kept == rebuilt


def test_a_concurrent_publish_and_participant_leave_fresh_counts():
    """One transaction publishes an event while another adds a participant to it; both commit."""
    slug = "russian-military-intervention-syria"
    with connect() as first, connect() as second:
        event_id, actor_id = first.execute(
            "SELECT (SELECT id FROM events_event WHERE slug = %s), (SELECT id FROM events_actor WHERE slug = 'iran')",
            [slug],
        ).fetchone()
        first.execute("UPDATE events_event SET status = 'draft' WHERE id = %s", [event_id])
        first.commit()
        try:
            first.execute("UPDATE events_event SET status = 'published' WHERE id = %s", [event_id])
            done = []
            import threading

            def add_participant():
                second.execute(
                    "INSERT INTO events_eventparticipant (event_id, actor_id, role) VALUES (%s, %s, 'party')",
                    [event_id, actor_id],
                )
                second.commit()
                done.append(True)

            thread = threading.Thread(target=add_participant)
            thread.start()
            thread.join(timeout=1)
            assert not done, "the second writer must wait for the first"
            first.commit()
            thread.join(timeout=10)
            assert done
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # this test's own transaction sees both commits
            assert_summaries_are_fresh()
        finally:
            first.rollback()
            first.execute(
                "DELETE FROM events_eventparticipant WHERE event_id = %s AND actor_id = %s",
                [event_id, actor_id],
            )
            first.execute("UPDATE events_event SET status = 'published' WHERE id = %s", [event_id])
            first.commit()


def test_the_migration_holds_the_summaries_sql_as_the_module_writes_it():
    """Migration 0013 froze the module's SQL; a change to it needs a migration of its own."""
    import importlib

    frozen = importlib.import_module("events.migrations.0013_facet_summaries")

    assert frozen.INSTALL == summaries.install_sql()
    assert frozen.UNINSTALL == summaries.uninstall_sql()
    assert frozen.REBUILD == summaries.REBUILD_SQL
