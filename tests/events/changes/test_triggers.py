"""The triggers log exactly the records a write changes, with the right `public` flag, whoever writes.

Each test writes through the ORM, the services or plain SQL inside the test's transaction
and reads the log rows of that transaction. The expected rows are exact: a missing record
is a change the feed would never show, an extra one a record it would show needlessly.
"""

import importlib

import pytest
from django.db import connection

from events import services
from events.changes import feed, triggers
from events.merging import actors_merge
from events.models import Actor, Citation, Conflict, Event, Source, Statement

pytestmark = pytest.mark.usefixtures("seeded")

MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"


def logged() -> set[tuple[str, str, bool | None, str]]:
    """(kind, slug, public, merged_into) of every entry this transaction logged, as the feed reads them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        (xid,) = cursor.fetchone()
    return feed.transaction_entries(xid)


def rows(table: str) -> int:
    """How many rows of `table` this transaction wrote."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE xid = pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


def events_showing(actor: str) -> set[str]:
    return set(Event.objects.filter(participations__actor__slug=actor).values_list("slug", flat=True))


def test_editing_an_event_logs_it_once_however_often_its_row_is_written():
    event = Event.objects.get(slug=MOSCOW_TALKS)
    services.event_save(
        event=event,
        fields={"title": "Russia hosts al-Serraj"},
        conflicts=list(event.conflicts.all()),
        participants=[(p.actor, p.role) for p in event.participations.all()],
    )
    assert logged() == {("event", MOSCOW_TALKS, True, "")}


def test_a_draft_is_logged_as_not_public_and_publishing_it_as_public():
    source = Source.objects.get()
    draft = services.event_save(
        event=None,
        fields={
            "slug": "a-draft",
            "title": "A draft",
            "type": "talks",
            "date_text": "",
            "date_precision": "unknown",
        },
        citations=[
            services.CitationInput(source=source, excerpt="Russia is urging U.S. President Donald Trump")
        ],
    )
    assert logged() == {("event", "a-draft", False, "")}

    draft.status = "published"
    draft.save()
    assert logged() == {("event", "a-draft", True, "")}


def test_a_draft_deleted_stays_not_public():
    source = Source.objects.get()
    draft = services.event_save(
        event=None,
        fields={
            "slug": "a-draft",
            "title": "A draft",
            "type": "talks",
            "date_text": "",
            "date_precision": "unknown",
        },
        citations=[
            services.CitationInput(source=source, excerpt="Russia is urging U.S. President Donald Trump")
        ],
    )
    draft.delete()
    assert logged() == {("event", "a-draft", False, "")}


def test_a_new_slug_logs_the_old_one_and_the_new_one():
    Conflict.objects.filter(slug="libyan-crisis").update(slug="libyan-civil-war")
    libya_events = set(
        Event.objects.filter(conflicts__slug="libyan-civil-war").values_list("slug", flat=True)
    )
    libya_statements = set(
        Statement.objects.filter(conflicts__slug="libyan-civil-war").values_list("slug", flat=True)
    )

    assert logged() == {
        ("conflict", "libyan-crisis", True, ""),
        ("conflict", "libyan-civil-war", True, ""),
        # An event's status is not read either when a record it shows changes.
        *(("event", slug, None, "") for slug in libya_events),
        *(("statement", slug, None, "") for slug in libya_statements),
    }
    assert (len(libya_events), len(libya_statements)) == (4, 5)


def test_renaming_an_actor_logs_every_document_that_shows_it():
    actor = Actor.objects.get(slug="russia")
    spoken_about = set(Statement.objects.filter(about=actor).values_list("slug", flat=True))
    spoken = set(Statement.objects.filter(speaker=actor).values_list("slug", flat=True))
    affiliates = set(Actor.objects.filter(affiliation=actor).values_list("slug", flat=True))
    parties = set(Conflict.objects.filter(parties=actor).values_list("slug", flat=True))
    assert (len(events_showing("russia")), len(spoken_about), len(spoken), len(affiliates), len(parties)) == (
        5, 9, 1, 3, 2,
    )  # fmt: skip

    actor.name = "Russian Federation"
    actor.save()

    assert logged() == {
        ("actor", "russia", True, ""),
        # An event's or statement's status is not read by a rename: its reader decides (see Change.public).
        *(("event", slug, None, "") for slug in events_showing("russia")),
        *(("statement", slug, None, "") for slug in spoken_about | spoken),
        *(("actor", slug, True, "") for slug in affiliates),
        *(("conflict", slug, True, "") for slug in parties),
    }
    # What the rename wrote: the actor's own row, and one row per way documents show actors.
    assert (rows("events_change"), rows("events_shownchange")) == (1, 5)


def test_the_rewrite_of_stored_lists_is_passed_over_and_an_edit_after_it_is_not():
    """The events a rename rewrites are logged by the rename's shown-record row; a later edit of one by its own."""
    showing = sorted(events_showing("russia"))
    Actor.objects.filter(slug="russia").update(name="Russian Federation")
    assert rows("events_change") == 1  # the actor's own row: the 5 rewritten events wrote none

    Event.objects.filter(slug=showing[0]).update(title="Edited after the rename")
    assert rows("events_change") == 2
    assert ("event", showing[0], True, "") in logged()
    assert ("event", showing[1], None, "") in logged()


def test_a_change_an_actor_document_does_not_show_logs_nothing_else():
    Actor.objects.filter(slug="russia").update(description="A state")
    assert logged() == {("actor", "russia", True, "")}


def test_renaming_a_source_logs_the_records_citing_it():
    source = Source.objects.get()
    source.title = "Russia urges Trump"
    source.save()
    citing = {
        *(("event", slug, None, "") for slug in Event.objects.values_list("slug", flat=True)),
        *(("statement", slug, None, "") for slug in Statement.objects.values_list("slug", flat=True)),
        *(
            ("actor", slug, True, "")
            for slug in Actor.objects.filter(citations__isnull=False)
            .values_list("slug", flat=True)
            .distinct()
        ),
    }
    assert logged() == {("source", source.slug, True, ""), *citing}
    assert len(citing) == 9 + 14 + 21


def test_a_link_changed_logs_its_owner():
    statement = Statement.objects.get(slug="peskov-no-movement-2017-03-03")
    statement.about.add(Actor.objects.get(slug="turkey"))
    assert logged() == {("statement", statement.slug, None, "")}


def test_a_citation_of_an_actor_logs_the_actor_and_one_of_a_conflict_logs_nothing():
    """A conflict's document shows no citations: adding one changes no document."""
    source = Source.objects.get()
    text = source.text
    start = text.index("Syria")
    Citation.objects.create(source=source, actor=Actor.objects.get(slug="turkey"), excerpt="Syria",
                            start_offset=start, end_offset=start + 5)  # fmt: skip
    Citation.objects.create(source=source, conflict=Conflict.objects.get(slug="libyan-crisis"), excerpt="Syria",
                            start_offset=start, end_offset=start + 5)  # fmt: skip
    assert logged() == {("actor", "turkey", True, "")}


def test_a_merge_names_the_survivor():
    """Merging Trump into the Trump administration: he is removed, named as merged, and what showed him changes."""
    trump = Actor.objects.get(slug="donald-trump")
    showing = {
        *(("event", slug, True, "") for slug in events_showing("donald-trump")),
        *(
            ("statement", slug, None, "")
            for slug in Statement.objects.filter(about=trump).values_list("slug", flat=True)
        ),
        # His statements are his target's now: their own rows change (and they are published).
        *(
            ("statement", slug, True, "")
            for slug in Statement.objects.filter(speaker=trump).values_list("slug", flat=True)
        ),
    }
    report = actors_merge(
        target=Actor.objects.get(slug="trump-administration"), others=[trump], confirm_kinds=True
    )

    assert report.merged == ["donald-trump"]
    assert logged() == {
        ("actor", "donald-trump", True, "trump-administration"),
        ("actor", "trump-administration", True, ""),
        *showing,
    }
    assert len(showing) == 4


def test_a_truncate_moves_the_horizon_to_its_transaction():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_change")
        cursor.execute(
            "SELECT xid = pg_current_xact_id()::text::bigint, kind, slug, reason FROM events_changehorizon"
        )
        assert cursor.fetchall() == [(True, "", "", "TRUNCATE of events_change")]


def test_the_installed_link_table_triggers_are_those_generated_now():
    """Migration 0017 froze the triggers of Django's many-to-many tables: they must not drift."""
    frozen = importlib.import_module("events.migrations.0017_change_feed_shown_records").THROUGH_TRIGGERS
    generated = [trigger.compile(model) for model, trigger in triggers.triggers() if model._meta.auto_created]

    assert [trigger.name for trigger in frozen] == [trigger.name for trigger in generated]
    assert frozen == generated, "regenerate THROUGH_TRIGGERS in a new migration (events.changes.triggers)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t"
            " WHERE t.tgrelid = ANY(%s::regclass[]) AND t.tgname LIKE 'pgtrigger_changes_%%'",
            [
                [
                    "events_statement_about",
                    "events_statement_conflicts",
                    "events_conflict_parties",
                    "events_event_conflicts",
                ]
            ],
        )
        installed = sorted(hash_ for (hash_,) in cursor.fetchall())
    assert installed == sorted(trigger.hash for trigger in generated)
    assert len(installed) == 16


def test_after_a_migration_that_changes_the_documents_every_record_is_logged():
    """A new field in a shape changes every document although no row changed: the copy must fetch them all."""
    from events.changes import feed

    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON TABLE events_change IS 'documents of an older read model'")

    assert feed.log_everything_if_documents_changed() == 49
    assert len(logged()) == 49
    assert {(kind, public) for kind, _, public, _ in logged()} == {
        ("source", True), ("actor", True), ("conflict", True), ("event", True), ("statement", True),
    }  # fmt: skip
    assert feed.log_everything_if_documents_changed() == 0  # the fingerprint is recorded
