"""The seed article, loaded: the facts every user sees first, with exact dates and words."""

import datetime

import pytest

from events.models import Actor, Citation, Conflict, Event, Source, Statement

pytestmark = pytest.mark.usefixtures("seeded")

D = datetime.date


def test_the_source_is_the_article_with_its_metadata(article_text):
    source = Source.objects.get()
    assert source.slug == "bloomberg-2017-03-03-russia-urges-trump"
    assert source.title == "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks"
    assert source.publisher == "Bloomberg"
    assert source.published_on == D(2017, 3, 3)
    assert source.language == "en"
    assert source.contributors == ["Stepan Kravchenko"]
    assert source.text == article_text
    assert source.checksum == "9dce2a912700357eec3ad9d29e520f3275fc79f346edfb5edb53898ffa5accfb"


def test_record_counts():
    assert (Actor.objects.count(), Conflict.objects.count()) == (23, 2)
    assert (Event.objects.count(), Statement.objects.count()) == (9, 14)


@pytest.mark.parametrize(
    ("slug", "text", "start", "end", "precision", "roles"),
    [
        (
            "ceasefire-syria-russia-turkey-2016-12",
            "in December",
            D(2016, 12, 1),
            D(2016, 12, 31),
            "month",
            {("russia", "broker"), ("turkey", "broker")},
        ),
        (
            "moscow-talks-russia-serraj-2017-03-02",
            "on Thursday",
            D(2017, 3, 2),
            D(2017, 3, 2),
            "day",
            {("russia", "host"), ("fayez-al-serraj", "guest")},
        ),
        (
            "un-led-syria-peace-negotiations-2017-03-03-week",
            "this week",
            D(2017, 2, 27),
            D(2017, 3, 5),
            "week",
            {("united-nations", "mediator"), ("russia", "party")},
        ),
        (
            "islamic-state-loses-last-libyan-holdout-2016-12",
            "in December",
            D(2016, 12, 1),
            D(2016, 12, 31),
            "month",
            {("islamic-state", "target")},
        ),
        (
            "gatilov-geneva-interview",
            "not stated",
            None,
            None,
            "unknown",
            {("gennady-gatilov", "interviewee")},
        ),
    ],
)
def test_events_have_exact_dates_and_roles(slug, text, start, end, precision, roles):
    event = Event.objects.get(slug=slug)
    assert (event.date_text, event.date_start, event.date_end, event.date_precision) == (
        text,
        start,
        end,
        precision,
    )
    assert event.date_anchor == D(2017, 3, 3)
    assert set(event.participations.values_list("actor__slug", "role")) == roles
    assert event.status == "published"


def test_moscow_talks_cite_the_article_at_exact_offsets(article_text):
    citation = Citation.objects.get(event__slug="moscow-talks-russia-serraj-2017-03-02")
    assert (citation.start_offset, citation.end_offset) == (977, 1135)
    assert citation.excerpt == (
        "It hosted his rival, Prime Minister Fayez al-Serraj, who\u2019s recognized by the United Nations, "
        "for talks on Thursday in Moscow as it seeks to broker a solution."
    )
    assert article_text[977:1135] == citation.excerpt
    assert Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02").location == "Moscow"


def test_peskov_said_no_movement_on_friday():
    statement = Statement.objects.get(slug="peskov-no-movement-2017-03-03")
    assert statement.speaker.slug == "dmitry-peskov"
    assert statement.speaker.description == "Kremlin spokesman"
    assert statement.speaker.affiliation.slug == "russia"
    assert statement.kind == "paraphrase"
    assert (statement.date_text, statement.date_start, statement.date_end, statement.date_precision) == (
        "said Friday",
        D(2017, 3, 3),
        D(2017, 3, 3),
        "day",
    )
    citation = statement.citations.get()
    assert (citation.start_offset, citation.end_offset) == (1930, 2087)
    assert citation.excerpt.startswith(
        "Kremlin spokesman Dmitry Peskov said Friday there has been \u201cno movement\u201d"
    )


# Each of Gatilov's verbatim quotes, as the article prints them (curly apostrophe included).
GATILOV_QUOTES = {
    "We would like to see an active U.S. role",
    "The United States is one of the most important players here.",
    "If there will be any common ground for cooperation with the United States in bringing stability "
    "in Libya, of course we would be open to all contacts",
    "For us, General Haftar is the real power and he shouldn\u2019t be ignored in the political process",
}


def test_each_gatilov_quote_is_verbatim_and_cited(article_text):
    quotes = Statement.objects.filter(speaker__slug="gennady-gatilov", kind="quote")
    assert set(quotes.values_list("text", flat=True)) == GATILOV_QUOTES
    for quote in quotes:
        (citation,) = quote.citations.all()
        assert article_text[citation.start_offset : citation.end_offset] == citation.excerpt
        assert quote.text in citation.excerpt
        assert quote.occasion.slug == "gatilov-geneva-interview"


def test_gatilov_paraphrases_are_attributed_to_him():
    assert set(
        Statement.objects.filter(speaker__slug="gennady-gatilov", kind="paraphrase").values_list(
            "slug", flat=True
        )
    ) == {
        "gatilov-ready-to-work-with-us-in-libya",
        "gatilov-iran-role-fighting-terrorism",
        "gatilov-welcome-trump-assad-cooperation",
    }


def test_first_active_us_role_quote_offsets():
    citation = Citation.objects.get(statement__slug="gatilov-active-us-role")
    assert (citation.start_offset, citation.end_offset) == (449, 581)
    # The article has a non-breaking space after "in Syria,"; the excerpt keeps it.
    assert "in Syria,\u00a0Russian Deputy Foreign Minister" in citation.excerpt


@pytest.mark.parametrize(
    ("slug", "kind", "description", "affiliation", "aliases"),
    [
        ("russia", "state", "Russian Federation", None, {"the Kremlin"}),
        ("united-states", "state", "United States of America", None, {"U.S."}),
        ("gennady-gatilov", "person", "Russian Deputy Foreign Minister", "russia", {"Gatilov"}),
        ("dmitry-peskov", "person", "Kremlin spokesman", "russia", {"Peskov"}),
        ("fayez-al-serraj", "person", None, "libya", {"al-Sarraj", "Serraj"}),
        ("khalifa-haftar", "person", None, None, {"General Haftar"}),
        ("united-nations", "international_organisation", None, None, {"UN"}),
        ("islamic-state", "armed_group", None, None, set()),
    ],
)
def test_actors_have_kind_description_affiliation_and_aliases(slug, kind, description, affiliation, aliases):
    actor = Actor.objects.get(slug=slug)
    assert actor.kind == kind
    if description is not None:
        assert actor.description == description
    assert (actor.affiliation.slug if actor.affiliation else None) == affiliation
    assert aliases <= set(actor.aliases)


def test_both_conflicts_with_their_parties():
    assert set(Conflict.objects.values_list("slug", flat=True)) == {"syrian-civil-war", "libyan-crisis"}
    syria = Conflict.objects.get(slug="syrian-civil-war")
    assert {"russia", "syria", "turkey", "iran", "islamic-state"} <= set(
        syria.parties.values_list("slug", flat=True)
    )
    libya = Conflict.objects.get(slug="libyan-crisis")
    assert {"khalifa-haftar", "fayez-al-serraj"} <= set(libya.parties.values_list("slug", flat=True))


def test_every_event_and_statement_cites_the_article():
    assert not Event.objects.filter(citations__isnull=True).exists()
    assert not Statement.objects.filter(citations__isnull=True).exists()


def test_page_furniture_is_never_cited(article_text):
    furniture = Source.objects.get().furniture
    assert furniture == [
        "The Syrian Catastrophe Explained",
        "Libya, 5 Years After Qaddafi, Still Caught in Chaos: QuickTake",
        "Before it's here, it's on the Bloomberg Terminal.",
        "LEARN MORE",
    ]
    spans = [(article_text.index(line), article_text.index(line) + len(line)) for line in furniture]
    for citation in Citation.objects.all():
        for start, end in spans:
            assert citation.end_offset <= start or citation.start_offset >= end, citation.excerpt
