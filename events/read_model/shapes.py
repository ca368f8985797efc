"""Every JSON shape the API reads out, declared once.

What is here is the public contract: the fields of each document, in the order they are
written, where each value comes from, the order of every list with its tie-breaker, and
the route of every URL. Everything that writes or describes these documents is generated
from it: the SQL that builds them (`sql`), the DRF serializers and the OpenAPI schema
(`serializers`), the triggers that keep an event's stored lists current (`stored`), and
the prefetches of the serializer path.

To add a field to the event's JSON, add one line to EVENT below and run
`python manage.py makemigrations events` (docs/CONTRIBUTING.md walks through it).
"""

from events.read_model.spec import Brief, BriefOf, Column, Constant, Group, Link, Many, Shape, Timestamp

# How records are shown where another record refers to them: {slug, name, url}.
ACTOR_BRIEF = BriefOf("ActorBrief", "events.Actor", "api:actor-detail")
CONFLICT_BRIEF = BriefOf("ConflictBrief", "events.Conflict", "api:conflict-detail")
EVENT_BRIEF = BriefOf("EventBrief", "events.Event", "api:event-detail", name_field="title")
SOURCE_BRIEF = BriefOf("SourceBrief", "events.Source", "api:source-detail", name_field="title")

DATE = Group(
    "FuzzyDate",
    {
        "start": Column("date_start"),
        "end": Column("date_end"),
        "precision": Column("date_precision"),
        "text": Column("date_text"),
        "anchor": Column("date_anchor"),
    },
    doc="The item's date: inclusive start and end, precision, and the source's own words.",
)

CITATIONS_ORDER = ("-source__published_on", "source__slug", "start_offset", "id")
# Newest source first, then by place in its text.
CITATION = Group(
    "Citation",
    {
        "source": Brief("source", SOURCE_BRIEF),
        "excerpt": Column("excerpt"),
        "start": Column("start_offset"),
        "end": Column("end_offset"),
    },
    doc="The exact words of a source supporting the item; text[start:end] == excerpt.",
)


def citations(stored: str | None = None) -> Many:
    return Many("citations", CITATION, CITATIONS_ORDER, stored=stored)


def briefs(relation: str, target: BriefOf, stored: str | None = None) -> Many:
    """The briefs of the records of a many-to-many field, by name (then id, for equal names)."""
    return Many(relation, Brief("", target), (target.name_field, "id"), stored=stored)


EVENT = Shape(
    "Event",
    "events.Event",
    {
        "slug": Column("slug"),
        "url": Link("api:event-detail"),
        "title": Column("title"),
        "summary": Column("summary"),
        "type": Column("type"),
        "date": DATE,
        "location": Column("location"),
        # The three lists are kept on the event row by the database (events.read_model.stored).
        "participants": Many(
            "participations",
            Group("Participant", {"actor": Brief("actor", ACTOR_BRIEF), "role": Column("role")}),
            ("role", "actor__name", "actor__id"),
            stored="participants_json",
        ),
        "conflicts": briefs("conflicts", CONFLICT_BRIEF, stored="conflicts_json"),
        "citations": citations(stored="citations_json"),
        "status": Column("status"),
        "updated_at": Timestamp("updated_at"),
    },
)

STATEMENT = Shape(
    "Statement",
    "events.Statement",
    {
        "slug": Column("slug"),
        "url": Link("api:statement-detail"),
        "speaker": Brief("speaker", ACTOR_BRIEF),
        "kind": Column("kind"),
        "text": Column("text"),
        "date": DATE,
        "occasion": Brief("occasion", EVENT_BRIEF),
        "about": briefs("about", ACTOR_BRIEF),
        "conflicts": briefs("conflicts", CONFLICT_BRIEF),
        "citations": citations(),
        "status": Column("status"),
        "updated_at": Timestamp("updated_at"),
    },
)

ACTOR = Shape(
    "Actor",
    "events.Actor",
    {
        "slug": Column("slug"),
        "url": Link("api:actor-detail"),
        "name": Column("name"),
        "kind": Column("kind"),
        "description": Column("description"),
        "affiliation": Brief("affiliation", ACTOR_BRIEF),
        "aliases": Column("aliases"),
        "wikidata_qid": Column("wikidata_qid"),
        "citations": citations(),
        "updated_at": Timestamp("updated_at"),
    },
)

CONFLICT = Shape(
    "Conflict",
    "events.Conflict",
    {
        "slug": Column("slug"),
        "url": Link("api:conflict-detail"),
        "name": Column("name"),
        "region": Column("region"),
        "description": Column("description"),
        "start_date": Column("start_date"),
        "end_date": Column("end_date"),
        "parties": briefs("parties", ACTOR_BRIEF),
        "updated_at": Timestamp("updated_at"),
    },
)

_SOURCE_FIELDS = {
    "slug": Column("slug"),
    "url": Link("api:source-detail"),
    "title": Column("title"),
    "publisher": Column("publisher"),
    # The document's own address (may be empty); "url" is the API's.
    "source_url": Column("url"),
    "published_on": Column("published_on"),
    "language": Column("language"),
    "contributors": Column("contributors"),
    "checksum": Column("checksum"),
    "updated_at": Timestamp("updated_at"),
}
SOURCE = Shape(
    "Source",
    "events.Source",
    _SOURCE_FIELDS,
    doc="A source; lists leave out the full text, which the detail carries.",
)
SOURCE_DETAIL = SOURCE.with_fields(
    "SourceDetail", {**_SOURCE_FIELDS, "furniture": Column("furniture"), "text": Column("text")}
)

# The timeline's items: `kind` first, then the fields of /events/ or /statements/ (a
# statement's own kind, quote or paraphrase, is `statement_kind` there).
TIMELINE_EVENT = EVENT.with_fields(
    "TimelineEvent",
    {"kind": Constant("event"), **EVENT.fields},
    doc='An event in the timeline: `kind` "event", then the fields of /events/.',
)
TIMELINE_STATEMENT = STATEMENT.with_fields(
    "TimelineStatement",
    {
        "kind": Constant("statement"),
        **{("statement_kind" if key == "kind" else key): value for key, value in STATEMENT.fields.items()},
    },
    doc='A statement in the timeline: `kind` "statement", then the fields of /statements/.\n\n'
    "The statement's own `kind` (quote or paraphrase) is `statement_kind` here.",
)

SHAPES = (EVENT, STATEMENT, ACTOR, CONFLICT, SOURCE, SOURCE_DETAIL, TIMELINE_EVENT, TIMELINE_STATEMENT)
