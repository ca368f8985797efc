"""The database itself refuses records that break the timeline's rules.

Every rule here is a PostgreSQL check constraint, unique constraint or trigger, so it
holds for any writer: rows are written with the ORM's `create()` and with bulk
`filter().update()` (which skips `save()` and all Python validation), and PostgreSQL
names the rule it enforced in the error.
"""

import hashlib
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from events.choices import ActorKind, DatePrecision, EventType, ParticipantRole, StatementKind
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from tests.conftest import cite_each

# Each test starts from empty tables (the seeds are removed inside its transaction).
pytestmark = pytest.mark.usefixtures("empty_db")

SOURCE_TEXT = "On Thursday “Russia hosted talks” in Moscow, the ministry said. Nothing else happened."
CITED = "“Russia hosted talks”"
CITED_START, CITED_END = 12, 33  # SOURCE_TEXT[12:33] == CITED


# What the two triggers of migration 0002 say when they refuse a write.
TRIGGER_MESSAGES = {
    "events_citation_excerpt_in_source": r"citation excerpt is not the source text at offsets",
    "events_source_text_keeps_citations": r"text change would break its citations",
}


@contextmanager
def refused(constraint: str, match: str | None = None):
    """Expect PostgreSQL to refuse the block's write, naming `constraint` as the rule broken.

    Check and unique constraints put their name in the message; the triggers report it
    in the error's diagnostics, next to a message of their own.
    """
    expected_message = match or TRIGGER_MESSAGES.get(constraint, constraint)
    with pytest.raises(IntegrityError, match=expected_message) as excinfo, transaction.atomic():
        yield excinfo
    assert excinfo.value.__cause__.diag.constraint_name == constraint


@contextmanager
def without(table: str, constraint: str):
    """Within the block, drop one check constraint (rolled back after), to test another alone."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
        yield
        transaction.set_rollback(True)


def make_source(slug: str = "ministry-briefing", text: str = SOURCE_TEXT) -> Source:
    return Source.objects.create(
        slug=slug,
        title="Ministry briefing",
        publisher="Example Wire",
        published_on=date(2017, 3, 3),
        language="en",
        text=text,
    )


def make_actor(slug: str = "russia", **fields) -> Actor:
    return Actor.objects.create(slug=slug, name=slug.title(), kind=ActorKind.STATE, **fields)


def _cited(record):
    """The record with the citation every event and statement keeps (checked at commit)."""
    source = Source.objects.filter(slug="citations-of-records").first() or make_source("citations-of-records")
    cite_each([record], source=source, excerpt=CITED)
    return record


def make_event(slug: str = "moscow-talks", **fields) -> Event:
    return _cited(Event.objects.create(slug=slug, title="Moscow talks", type=EventType.TALKS, **fields))


def make_statement(slug: str = "peskov-no-movement", **fields) -> Statement:
    speaker, _ = Actor.objects.get_or_create(
        slug="speaker", defaults={"name": "Speaker", "kind": ActorKind.PERSON}
    )
    return _cited(
        Statement.objects.create(
            slug=slug, speaker=speaker, kind=StatementKind.QUOTE, text="No movement.", **fields
        )
    )


MAKERS = {"event": make_event, "statement": make_statement}
MODELS = {"event": Event, "statement": Statement}


def dated(precision: str, start: date | None, end: date | None) -> dict:
    return {"date_precision": precision, "date_start": start, "date_end": end}


# --------------------------------------------------------------------------- fuzzy dates


@pytest.mark.parametrize("kind", ["event", "statement"])
@pytest.mark.parametrize(
    "precision", [DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.YEAR]
)
def test_start_after_end_is_refused(kind, precision):
    """A date range that ends before it starts cannot be stored, whatever its precision.

    PostgreSQL checks constraints in name order, so the shape rule is the one reported;
    without it, the start-before-end rule refuses the row on its own.
    """
    backwards = dated(precision, date(2017, 3, 3), date(2017, 3, 2))
    with refused(f"events_{kind}_date_shape_matches_precision"):
        MAKERS[kind](**backwards)
    with without(f"events_{kind}", f"events_{kind}_date_shape_matches_precision"):
        with refused(f"events_{kind}_date_start_lte_end"):
            MAKERS[kind](**backwards)
        record = MAKERS[kind](**dated(precision, date(2017, 3, 2), date(2017, 3, 2)))
        with refused(f"events_{kind}_date_start_lte_end"):
            MODELS[kind].objects.filter(pk=record.pk).update(date_start=date(2017, 3, 3))
    assert MODELS[kind].objects.count() == 0


@pytest.mark.parametrize("kind", ["event", "statement"])
@pytest.mark.parametrize(
    "fields",
    [
        dated(DatePrecision.UNKNOWN, date(2017, 3, 2), date(2017, 3, 2)),
        dated(DatePrecision.UNKNOWN, date(2017, 3, 2), None),
        dated(DatePrecision.UNKNOWN, None, date(2017, 3, 2)),
        dated(DatePrecision.DAY, None, None),
        dated(DatePrecision.WEEK, date(2017, 2, 27), None),
        dated(DatePrecision.MONTH, None, date(2017, 3, 31)),
        dated(DatePrecision.YEAR, None, None),
    ],
    ids=[
        "unknown-both",
        "unknown-start",
        "unknown-end",
        "day-none",
        "week-no-end",
        "month-no-start",
        "year-none",
    ],
)
def test_bounds_exactly_when_the_date_is_known(kind, fields):
    """An unknown date has no bounds; a known one (day, week, month, year) needs both."""
    with refused(f"events_{kind}_date_bounds_iff_known"):
        MAKERS[kind](**fields)
    assert MODELS[kind].objects.count() == 0


BAD_SHAPES = [
    dated(DatePrecision.DAY, date(2017, 3, 2), date(2017, 3, 3)),
    dated(DatePrecision.WEEK, date(2017, 2, 28), date(2017, 3, 6)),  # Tuesday to Monday
    dated(DatePrecision.WEEK, date(2017, 2, 27), date(2017, 3, 4)),  # Monday, only 6 days
    dated(DatePrecision.WEEK, date(2017, 2, 27), date(2017, 3, 6)),  # Monday, 8 days
    dated(DatePrecision.MONTH, date(2016, 12, 2), date(2016, 12, 31)),
    dated(DatePrecision.MONTH, date(2016, 12, 1), date(2017, 1, 31)),
    dated(DatePrecision.MONTH, date(2017, 2, 1), date(2017, 2, 27)),
    dated(DatePrecision.MONTH, date(2015, 2, 1), date(2015, 3, 1)),  # 28-day February, one day over
    dated(DatePrecision.YEAR, date(2017, 1, 2), date(2017, 12, 31)),
    dated(DatePrecision.YEAR, date(2017, 1, 1), date(2017, 12, 30)),
    dated(DatePrecision.YEAR, date(2016, 1, 1), date(2017, 12, 31)),
]
BAD_SHAPE_IDS = [
    "day-two-days",
    "week-tuesday-start",
    "week-six-days",
    "week-eight-days",
    "month-starts-on-2nd",
    "month-spans-two-months",
    "month-ends-on-27-feb",
    "month-ends-next-month",
    "year-starts-2-jan",
    "year-ends-30-dec",
    "year-spans-two-years",
]


@pytest.mark.parametrize("kind", ["event", "statement"])
@pytest.mark.parametrize("fields", BAD_SHAPES, ids=BAD_SHAPE_IDS)
def test_range_must_fit_its_precision(kind, fields):
    """A day is one day, a week Monday to Sunday, a month first to last day, a year 1 Jan to 31 Dec."""
    with refused(f"events_{kind}_date_shape_matches_precision"):
        MAKERS[kind](**fields)
    assert MODELS[kind].objects.count() == 0


GOOD_SHAPES = [
    dated(DatePrecision.UNKNOWN, None, None),
    dated(DatePrecision.DAY, date(2017, 3, 2), date(2017, 3, 2)),
    dated(DatePrecision.WEEK, date(2017, 2, 27), date(2017, 3, 5)),  # across a month end
    dated(DatePrecision.WEEK, date(2016, 12, 26), date(2017, 1, 1)),  # across a year end
    dated(DatePrecision.MONTH, date(2016, 12, 1), date(2016, 12, 31)),
    dated(DatePrecision.MONTH, date(2016, 2, 1), date(2016, 2, 29)),  # leap February
    dated(DatePrecision.MONTH, date(2017, 2, 1), date(2017, 2, 28)),
    dated(DatePrecision.MONTH, date(2017, 4, 1), date(2017, 4, 30)),
    dated(DatePrecision.YEAR, date(2017, 1, 1), date(2017, 12, 31)),
]
GOOD_SHAPE_IDS = [
    "unknown",
    "day",
    "week-across-month",
    "week-across-year",
    "month-december",
    "month-leap-february",
    "month-february",
    "month-april",
    "year",
]


@pytest.mark.parametrize("kind", ["event", "statement"])
@pytest.mark.parametrize("fields", GOOD_SHAPES, ids=GOOD_SHAPE_IDS)
def test_ranges_that_fit_their_precision_are_stored(kind, fields):
    """Well-shaped ranges, including a leap February and a week across a month end, are kept as given."""
    record = MAKERS[kind](**fields)
    record.refresh_from_db()
    assert (record.date_precision, record.date_start, record.date_end) == (
        fields["date_precision"],
        fields["date_start"],
        fields["date_end"],
    )


@pytest.mark.parametrize("kind", ["event", "statement"])
def test_bulk_update_cannot_break_a_date(kind):
    """`filter().update()` skips save() and validation, yet the database still refuses a bad range."""
    record = MAKERS[kind](**dated(DatePrecision.MONTH, date(2016, 2, 1), date(2016, 2, 29)))
    model = MODELS[kind]

    with refused(f"events_{kind}_date_shape_matches_precision"):
        model.objects.filter(pk=record.pk).update(date_end=date(2016, 2, 28))
    with refused(f"events_{kind}_date_shape_matches_precision"):
        model.objects.filter(pk=record.pk).update(date_start=date(2016, 3, 1))
    with refused(f"events_{kind}_date_bounds_iff_known"):
        model.objects.filter(pk=record.pk).update(date_precision=DatePrecision.UNKNOWN)

    record.refresh_from_db()
    assert (record.date_precision, record.date_start, record.date_end) == (
        DatePrecision.MONTH,
        date(2016, 2, 1),
        date(2016, 2, 29),
    )
    # A change to another well-shaped range goes through.
    changed = model.objects.filter(pk=record.pk).update(
        date_precision=DatePrecision.WEEK, date_start=date(2017, 2, 27), date_end=date(2017, 3, 5)
    )
    assert changed == 1
    record.refresh_from_db()
    assert (record.date_start, record.date_end) == (date(2017, 2, 27), date(2017, 3, 5))


# --------------------------------------------------------------------------- unique slugs


@pytest.mark.parametrize(
    ("table", "make"),
    [
        ("event", lambda slug: make_event(slug)),
        ("actor", lambda slug: make_actor(slug)),
        ("statement", lambda slug: make_statement(slug)),
        ("source", lambda slug: make_source(slug)),
        ("conflict", lambda slug: Conflict.objects.create(slug=slug, name="Syrian civil war")),
    ],
)
def test_slugs_are_unique(table, make):
    """Two records of one kind cannot share a slug (their address in URLs and seed files)."""
    first = make("syria")
    with refused(f"events_{table}_slug_key"):
        make("syria")
    assert type(first).objects.filter(slug="syria").count() == 1
    make("libya")
    assert sorted(type(first).objects.values_list("slug", flat=True)) == ["libya", "syria"]


# --------------------------------------------------------------------------- actors and conflicts


def test_actor_cannot_be_affiliated_to_itself():
    """Saving an actor as its own affiliation is refused, by save() and by a bulk update alike."""
    russia = make_actor("russia")
    gatilov = make_actor("gennady-gatilov", affiliation=russia)
    assert gatilov.affiliation == russia

    russia.affiliation = russia
    with refused("events_actor_not_affiliated_to_itself"):
        russia.save()
    with refused("events_actor_not_affiliated_to_itself"):
        Actor.objects.filter(pk=gatilov.pk).update(affiliation=gatilov.pk)

    assert dict(Actor.objects.values_list("slug", "affiliation__slug")) == {
        "russia": None,
        "gennady-gatilov": "russia",
    }


@pytest.mark.parametrize("qid", ["159", "Q0", "Q0159", "q159", "Q159a", "Q 159", "Q"])
def test_bad_wikidata_qid_is_refused(qid):
    """A Wikidata QID is Q then a number without leading zeros; anything else is refused."""
    with refused("events_actor_wikidata_qid_format"):
        make_actor("russia", wikidata_qid=qid)
    actor = make_actor("russia")
    with refused("events_actor_wikidata_qid_format"):
        Actor.objects.filter(pk=actor.pk).update(wikidata_qid=qid)
    assert Actor.objects.get().wikidata_qid == ""


@pytest.mark.parametrize("qid", ["", "Q159", "Q1", "Q22686"])
def test_good_or_blank_wikidata_qid_is_stored(qid):
    """Blank (not on Wikidata) and well-formed QIDs are accepted."""
    make_actor("russia", wikidata_qid=qid)
    assert Actor.objects.get().wikidata_qid == qid


def test_conflict_cannot_end_before_it_starts():
    """A conflict's end date may be empty (ongoing) or on or after its start, never before."""
    with refused("events_conflict_start_date_lte_end_date"):
        Conflict.objects.create(
            slug="libyan-civil-war",
            name="Libyan civil war",
            start_date=date(2014, 5, 16),
            end_date=date(2014, 5, 15),
        )
    war = Conflict.objects.create(
        slug="syrian-civil-war", name="Syrian civil war", start_date=date(2011, 3, 15)
    )
    assert war.end_date is None
    assert Conflict.objects.filter(pk=war.pk).update(end_date=date(2011, 3, 15)) == 1
    with refused("events_conflict_start_date_lte_end_date"):
        Conflict.objects.filter(pk=war.pk).update(end_date=date(2011, 3, 14))
    war.refresh_from_db()
    assert (war.start_date, war.end_date) == (date(2011, 3, 15), date(2011, 3, 15))


def test_same_actor_cannot_take_the_same_role_twice_in_one_event():
    """Russia can be host and party to the Moscow talks, but not host twice."""
    talks = make_event()
    russia = make_actor("russia")
    EventParticipant.objects.create(event=talks, actor=russia, role=ParticipantRole.HOST)
    with refused("events_eventparticipant_unique_actor_role_per_event"):
        EventParticipant.objects.create(event=talks, actor=russia, role=ParticipantRole.HOST)

    EventParticipant.objects.create(event=talks, actor=russia, role=ParticipantRole.PARTY)
    other_talks = make_event("geneva-talks")
    EventParticipant.objects.create(event=other_talks, actor=russia, role=ParticipantRole.HOST)

    assert sorted(talks.participations.values_list("actor__slug", "role")) == [
        ("russia", "host"),
        ("russia", "party"),
    ]
    assert list(other_talks.participations.values_list("actor__slug", "role")) == [("russia", "host")]


# --------------------------------------------------------------------------- citations


def cite(source: Source, excerpt: str = CITED, start: int = CITED_START, end: int = CITED_END, **record):
    if not record:
        record = {"actor": make_actor("russia")}
    return Citation.objects.create(
        source=source, excerpt=excerpt, start_offset=start, end_offset=end, **record
    )


def test_valid_citation_is_stored():
    """A citation whose excerpt is exactly the source text between its offsets is kept."""
    source = make_source()
    citation = cite(source, event=make_event())
    citation.refresh_from_db()
    assert (citation.excerpt, citation.start_offset, citation.end_offset) == (CITED, 12, 33)
    assert SOURCE_TEXT[12:33] == CITED


def test_citation_must_support_exactly_one_record():
    """A citation that supports nothing, or two records at once, is refused."""
    source = make_source()
    russia = make_actor("russia")
    talks = make_event()
    with refused("events_citation_cites_one_record"):
        cite(source, actor=None)
    with refused("events_citation_cites_one_record"):
        cite(source, actor=russia, event=talks)
    with refused("events_citation_cites_one_record"):
        cite(source, statement=make_statement(), conflict=Conflict.objects.create(slug="c", name="C"))

    citation = cite(source, actor=russia)
    with refused("events_citation_cites_one_record"):
        Citation.objects.filter(pk=citation.pk).update(event=talks)
    with refused("events_citation_cites_one_record"):
        Citation.objects.filter(pk=citation.pk).update(actor=None)
    # The actor's citation, and the one the talks keep (every event keeps one).
    assert list(Citation.objects.order_by("id").values_list("actor__slug", "event__slug")) == [
        (None, "moscow-talks"),
        ("russia", None),
    ]


def test_offsets_must_span_the_excerpt():
    """Offsets whose distance is not the excerpt's length are refused.

    The citation trigger runs before the check constraints, so it is the one reported;
    with the trigger switched off the check constraint still refuses the row.
    """
    source = make_source()
    actor = make_actor("russia")
    with refused("events_citation_excerpt_in_source", match=r"not the source text at offsets \[12, 34\)"):
        cite(source, start=CITED_START, end=CITED_END + 1, actor=actor)
    with refused("events_citation_excerpt_in_source", match=r"not the source text at offsets \[12, 32\)"):
        cite(source, start=CITED_START, end=CITED_END - 1, actor=actor)
    # An empty excerpt at an empty span matches the text, but a citation must quote something.
    with refused("events_citation_offsets_span_excerpt"):
        cite(source, excerpt="", start=5, end=5, actor=actor)

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE events_citation DISABLE TRIGGER events_citation_matches_source")
        with refused("events_citation_offsets_span_excerpt"):
            cite(source, start=CITED_START, end=CITED_END + 1, actor=actor)
        with refused("events_citation_offsets_span_excerpt"):
            cite(source, start=CITED_START + 1, end=CITED_END, actor=actor)
        with refused("events_citation_offsets_span_excerpt"):
            cite(source, start=CITED_END, end=CITED_START, actor=actor)
        transaction.set_rollback(True)  # switches the trigger back on
    assert Citation.objects.count() == 0


def test_excerpt_must_be_the_source_text_at_its_offsets():
    """An excerpt that differs from the source between its offsets is refused by trigger."""
    source = make_source()
    actor = make_actor("russia")
    straight = '"Russia hosted talks"'  # same length, straight quotes instead of the source's curly ones
    assert len(straight) == len(CITED)
    with refused("events_citation_excerpt_in_source", match=r"not the source text at offsets \[12, 33\)"):
        cite(source, excerpt=straight, actor=actor)
    with refused("events_citation_excerpt_in_source", match=r"not the source text at offsets \[13, 34\)"):
        cite(source, start=CITED_START + 1, end=CITED_END + 1, actor=actor)

    citation = cite(source, actor=actor)
    with refused("events_citation_excerpt_in_source"):
        Citation.objects.filter(pk=citation.pk).update(start_offset=0, end_offset=len(CITED))
    with refused("events_citation_excerpt_in_source"):
        Citation.objects.filter(pk=citation.pk).update(source=make_source("another", text="x" * 100))
    assert list(Citation.objects.values_list("excerpt", "start_offset", "end_offset")) == [(CITED, 12, 33)]


def test_offsets_past_the_end_of_the_text_are_refused():
    """A citation cannot point beyond the end of its source's text."""
    source = make_source(text="Short text.")
    with refused("events_citation_excerpt_in_source", match=r"offsets \[6, 16\)"):
        cite(source, excerpt="text.extra", start=6, end=16)
    with refused("events_citation_excerpt_in_source", match=r"offsets \[11, 12\)"):
        cite(source, excerpt="!", start=11, end=12)
    assert cite(source, excerpt="text.", start=6, end=11).excerpt == "text."


# --------------------------------------------------------------------------- sources


def test_source_edit_that_moves_a_cited_passage_is_refused():
    """Once a passage is cited, the source text cannot change so the offsets no longer hold it."""
    source = make_source()
    cite(source)
    source.text = "Earlier: " + SOURCE_TEXT  # the passage shifts right
    with refused("events_source_text_keeps_citations", match="source ministry-briefing text change"):
        source.save()
    for broken in [
        SOURCE_TEXT.replace("Russia", "Moscow"),  # the passage itself altered, same length
        SOURCE_TEXT[:CITED_START],  # the passage cut off
        SOURCE_TEXT.replace("On Thursday", "Thursday"),  # text before it shortened
    ]:
        with refused("events_source_text_keeps_citations"):
            Source.objects.filter(pk=source.pk).update(text=broken)
    source.refresh_from_db()
    assert source.text == SOURCE_TEXT
    assert source.checksum == hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()


def test_source_edit_outside_cited_passages_is_allowed():
    """Editing text after a cited passage, or before it without moving it, is allowed."""
    source = make_source()
    cite(source)
    after = SOURCE_TEXT.replace("Nothing else happened.", "Nothing more happened today.")
    source.text = after
    source.save()
    before = after.replace("On Thursday", "On Thursdax")  # same length: offsets still hold
    assert Source.objects.filter(pk=source.pk).update(text=before) == 1

    source.refresh_from_db()
    assert (
        source.text
        == "On Thursdax “Russia hosted talks” in Moscow, the ministry said. Nothing more happened today."
    )
    assert source.text[CITED_START:CITED_END] == CITED
    assert source.checksum == hashlib.sha256(before.encode("utf-8")).hexdigest()


def test_source_without_citations_can_be_rewritten_freely():
    """The trigger only guards cited passages; an uncited source may change completely."""
    source = make_source()
    cite(make_source("other"))  # a citation of another source does not matter
    assert Source.objects.filter(pk=source.pk).update(text="Completely new text.") == 1
    source.refresh_from_db()
    assert source.text == "Completely new text."


def test_checksum_is_set_by_the_database():
    """The checksum is the SHA-256 (hex) of the UTF-8 text, even when save() is bypassed."""
    source = make_source()
    source.refresh_from_db()
    assert source.checksum == hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()

    new_text = (
        "Kremlin spokesman Dmitry Peskov said Friday there has been \u201cno movement\u201d\u00a0\u2014 ok"
    )
    assert Source.objects.filter(pk=source.pk).update(text=new_text) == 1
    source.refresh_from_db()
    assert source.text == new_text
    assert source.checksum == hashlib.sha256(new_text.encode("utf-8")).hexdigest()

    # A checksum written directly is replaced by the real one.
    assert Source.objects.filter(pk=source.pk).update(checksum="0" * 64) == 1
    source.refresh_from_db()
    assert source.checksum == hashlib.sha256(new_text.encode("utf-8")).hexdigest()


def test_checksum_of_empty_text():
    """Even an empty text gets the well-known SHA-256 of no bytes."""
    source = make_source(text="")
    Source.objects.filter(pk=source.pk).update(checksum="")
    source.refresh_from_db()
    assert source.checksum == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
