"""What the feed follows is read off the shapes: exactly these dependencies, and no silent gap.

A shape's field that the derivation cannot follow is an error, not a record the feed
forgets; each kind's document is the one its detail endpoint serves.
"""

import pytest

from events.api import views
from events.changes import feed, kinds
from events.read_model import shapes
from events.read_model.spec import Brief, Column, Many, Shape


def _described(shows: kinds.Shows) -> tuple:
    return (
        shows.owner.name,
        shows.key,
        shows.link._meta.db_table,
        shows.owner_column,
        shows.target._meta.db_table,
        shows.target_column,
        shows.columns,
    )


def test_every_record_a_document_shows_is_followed():
    shows, links = kinds.dependencies()

    assert [_described(item) for item in shows] == [
        ("actor", "affiliation", "events_actor", "id", "events_actor", "affiliation_id", ("slug", "name")),
        ("actor", "citations", "events_citation", "actor_id", "events_source", "source_id",
         ("slug", "title", "published_on")),
        ("conflict", "parties", "events_conflict_parties", "conflict_id", "events_actor", "actor_id",
         ("slug", "name")),
        ("event", "participants", "events_eventparticipant", "event_id", "events_actor", "actor_id",
         ("slug", "name")),
        ("event", "conflicts", "events_event_conflicts", "event_id", "events_conflict", "conflict_id",
         ("slug", "name")),
        ("event", "citations", "events_citation", "event_id", "events_source", "source_id",
         ("slug", "title", "published_on")),
        ("statement", "speaker", "events_statement", "id", "events_actor", "speaker_id", ("slug", "name")),
        ("statement", "occasion", "events_statement", "id", "events_event", "occasion_id", ("slug", "title")),
        ("statement", "about", "events_statement_about", "statement_id", "events_actor", "actor_id",
         ("slug", "name")),
        ("statement", "conflicts", "events_statement_conflicts", "statement_id", "events_conflict", "conflict_id",
         ("slug", "name")),
        ("statement", "citations", "events_citation", "statement_id", "events_source", "source_id",
         ("slug", "title", "published_on")),
    ]  # fmt: skip
    assert [(link.owner.name, link.key, link.link._meta.db_table, link.owner_column) for link in links] == [
        ("actor", "citations", "events_citation", "actor_id"),
        ("conflict", "parties", "events_conflict_parties", "conflict_id"),
        ("event", "participants", "events_eventparticipant", "event_id"),
        ("event", "conflicts", "events_event_conflicts", "event_id"),
        ("event", "citations", "events_citation", "event_id"),
        ("statement", "about", "events_statement_about", "statement_id"),
        ("statement", "conflicts", "events_statement_conflicts", "statement_id"),
        ("statement", "citations", "events_citation", "statement_id"),
    ]


def test_an_events_stored_lists_are_followed_like_any_other():
    """Participants, conflicts and citations are kept on the event row, but what they show is followed as for a statement.

    The rewrite of the row by the lists' triggers is not a change of its own
    (`events.changes.triggers.RowChanged`): without these, a participant added would be missed.
    """
    shows, links = kinds.dependencies()
    stored = {key for key, value in shapes.EVENT.fields.items() if isinstance(value, Many) and value.stored}
    assert stored == {"participants", "conflicts", "citations"}
    assert {item.key for item in links if item.owner.name == "event"} == stored
    assert {item.key for item in shows if item.owner.name == "event"} == stored
    assert [item.name for item in shows if item.owner.name == "event"] == [
        "event.participants", "event.conflicts", "event.citations",
    ]  # fmt: skip


def test_each_kind_is_read_as_its_detail_endpoint_reads_it():
    viewsets = {
        "event": views.EventViewSet,
        "statement": views.StatementViewSet,
        "actor": views.ActorViewSet,
        "conflict": views.ConflictViewSet,
        "source": views.SourceViewSet,
    }
    assert [kind.name for kind in kinds.KINDS] == ["source", "actor", "conflict", "event", "statement"]
    for kind in kinds.KINDS:
        assert kind.shape is viewsets[kind.name].shape, kind.name
        assert feed.VISIBLE[kind.name] is viewsets[kind.name].visible, kind.name
    assert [kind.name for kind in kinds.KINDS if kind.reviewed] == ["event", "statement"]


def test_a_declaration_the_feed_cannot_follow_is_refused():
    """A list of lists, say, is an error at start-up rather than changes the feed would miss."""
    nested = Shape(
        "Nested",
        "events.Statement",
        {"citations": Many("citations", Many("citations", Column("excerpt"), ("id",)), ("id",))},
    )
    with pytest.raises(TypeError, match=r"cannot follow .* in statement.citations"):
        kinds._followed(kinds.Kind(nested))

    not_a_foreign_key = Shape("Wrong", "events.Statement", {"about": Brief("about", shapes.ACTOR_BRIEF)})
    with pytest.raises(TypeError, match=r"Statement.about of statement.about is not a foreign key"):
        kinds._followed(kinds.Kind(not_a_foreign_key))
