"""Actors, conflicts and sources: their filters, their JSON, and the source text behind citations.

The seed article names 23 actors and 2 conflicts (the Syrian civil war and the Libyan
crisis, both ongoing) and is itself the one source. These lists are ordered by slug.
"""

import datetime

import pytest
from django.db import connection

from events import selectors
from events.models import Actor, Conflict, Source
from tests.events.api.conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
FIXED_UPDATED_AT = datetime.datetime(2017, 3, 4, 12, 0, tzinfo=datetime.UTC)

ALL_ACTORS = [
    "bashar-al-assad",
    "dmitry-peskov",
    "donald-trump",
    "egypt",
    "fayez-al-serraj",
    "gennady-gatilov",
    "institute-of-oriental-studies",
    "iran",
    "irina-zvyagelskaya",
    "islamic-state",
    "khalifa-haftar",
    "libya",
    "muammar-qaddafi",
    "russia",
    "russian-academy-of-sciences",
    "senior-western-diplomat",
    "syria",
    "syrian-rebels",
    "trump-administration",
    "turkey",
    "united-arab-emirates",
    "united-nations",
    "united-states",
]
STATES = ["egypt", "iran", "libya", "russia", "syria", "turkey", "united-arab-emirates", "united-states"]

GATILOV_JSON = {
    "slug": "gennady-gatilov",
    "url": "http://testserver/api/v1/actors/gennady-gatilov/",
    "name": "Gennady Gatilov",
    "kind": "person",
    "description": "Russian Deputy Foreign Minister",
    "affiliation": {"slug": "russia", "name": "Russia", "url": "http://testserver/api/v1/actors/russia/"},
    "aliases": ["Gatilov"],
    "wikidata_qid": "",
    "citations": [
        {
            "source": {
                "slug": SOURCE,
                "name": "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
                "url": f"http://testserver/api/v1/sources/{SOURCE}/",
            },
            "excerpt": "Russian Deputy Foreign Minister Gennady Gatilov",
            "start": 502,
            "end": 549,
        }
    ],
    "updated_at": "2017-03-04T12:00:00Z",
}

LIBYAN_CRISIS_PARTIES = [
    "egypt",
    "fayez-al-serraj",
    "islamic-state",
    "khalifa-haftar",
    "russia",
    "united-arab-emirates",
]

SOURCE_LIST_ITEM_JSON = {
    "slug": SOURCE,
    "url": f"http://testserver/api/v1/sources/{SOURCE}/",
    "title": "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
    "publisher": "Bloomberg",
    "source_url": (
        "https://www.bloomberg.com/news/articles/2017-03-03/russia-urges-trump-to-help-fix-syria-libya-crises-amid-setbacks"
    ),
    "published_on": "2017-03-03",
    "language": "en",
    "contributors": ["Stepan Kravchenko"],
    "checksum": "9dce2a912700357eec3ad9d29e520f3275fc79f346edfb5edb53898ffa5accfb",
    "updated_at": "2017-03-04T12:00:00Z",
}
SOURCE_FURNITURE = [
    "The Syrian Catastrophe Explained",
    "Libya, 5 Years After Qaddafi, Still Caught in Chaos: QuickTake",
    "Before it's here, it's on the Bloomberg Terminal.",
    "LEARN MORE",
]


# --- actors ----------------------------------------------------------------------------------


def test_actors_are_listed_by_slug(list_slugs):
    assert list_slugs("actors") == ALL_ACTORS


def test_actor_detail_is_the_documented_json(api):
    """Gatilov reads back with Russia as a brief affiliation and the words that name him."""
    Actor.objects.filter(slug="gennady-gatilov").update(updated_at=FIXED_UPDATED_AT)

    response = api.get(f"{API}/actors/gennady-gatilov/")

    assert response.status_code == 200
    assert response.json() == GATILOV_JSON


def test_actor_citations_point_into_the_source_text(api, article_text):
    citation = api.get(f"{API}/actors/gennady-gatilov/").json()["citations"][0]

    assert article_text[citation["start"] : citation["end"]] == citation["excerpt"]


def test_filter_actors_by_kind(list_slugs):
    assert list_slugs("actors", kind="state") == STATES
    assert list_slugs("actors", kind="armed_group") == ["islamic-state", "syrian-rebels"]
    assert list_slugs("actors", kind=["government_body", "international_organisation"]) == [
        "trump-administration",
        "united-nations",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # "the Kremlin" is one of Russia's aliases.
        ("kremlin", ["russia"]),
        ("KREMLIN", ["russia"]),
        ("serraj", ["fayez-al-serraj"]),
        ("al-Sarraj", ["fayez-al-serraj"]),
        ("SARRAJ", ["fayez-al-serraj"]),
        ("Sarrāj", ["fayez-al-serraj"]),
        ("hifter", ["khalifa-haftar"]),
        ("U.S.", ["donald-trump", "united-states"]),
        # A part of a word, anywhere in the name: "Institute of ... the Russian Academy ...".
        ("rus", ["institute-of-oriental-studies", "russia", "russian-academy-of-sciences"]),
        # Wildcards are plain characters.
        ("%", []),
        ("_", []),
        ("nobody at all", []),
    ],
)
def test_actor_q_matches_names_and_aliases_in_any_case_and_accents(list_slugs, q, expected):
    assert list_slugs("actors", q=q) == expected


def test_actor_name_search_can_use_its_trigram_index():
    # With 23 actors PostgreSQL would rather read them all; forbid that to see whether the
    # search's expression is the one the index holds (a changed expression loses the index).
    query = selectors.actors_matching(Actor.objects.all(), "sarraj").values("slug")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on events_actor_names_trgm" in plan


def test_actor_q_ignores_accents_in_the_stored_name(list_slugs):
    """An actor stored as "Fayez al-Sarrāj" is found by plain "sarraj"."""
    Actor.objects.create(slug="fayez-al-sarraj-accented", name="Fayez al-Sarrāj", kind="person")

    assert list_slugs("actors", q="sarraj") == ["fayez-al-sarraj-accented", "fayez-al-serraj"]
    assert list_slugs("actors", q="SARRĀJ") == ["fayez-al-sarraj-accented", "fayez-al-serraj"]
    assert list_slugs("actors", q="al-sarraj") == ["fayez-al-sarraj-accented", "fayez-al-serraj"]


def test_actor_q_ignores_accents_in_aliases(list_slugs):
    Actor.objects.create(
        slug="ankara", name="Turkish government", kind="government_body", aliases=["Türkiye"]
    )

    assert list_slugs("actors", q="turkiye") == ["ankara"]


def test_filter_actors_by_affiliation(list_slugs):
    assert list_slugs("actors", affiliation="russia") == [
        "dmitry-peskov",
        "gennady-gatilov",
        "russian-academy-of-sciences",
    ]
    assert list_slugs("actors", affiliation="united-states") == ["donald-trump", "trump-administration"]
    assert list_slugs("actors", affiliation=["libya", "syria"]) == [
        "bashar-al-assad",
        "fayez-al-serraj",
        "muammar-qaddafi",
    ]
    assert list_slugs("actors", affiliation="turkey") == []


def test_filter_actors_by_conflict(list_slugs):
    assert list_slugs("actors", conflict="libyan-crisis") == LIBYAN_CRISIS_PARTIES
    assert list_slugs("actors", conflict="syrian-civil-war") == [
        "bashar-al-assad",
        "iran",
        "islamic-state",
        "russia",
        "syria",
        "syrian-rebels",
        "turkey",
    ]


def test_actor_filters_combine(list_slugs):
    assert list_slugs("actors", kind="state", q="rus") == ["russia"]
    assert list_slugs("actors", affiliation="russia", q="g") == ["gennady-gatilov"]
    assert list_slugs("actors", conflict="libyan-crisis", kind="person") == [
        "fayez-al-serraj",
        "khalifa-haftar",
    ]


def test_actor_updated_since(list_slugs):
    Actor.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Actor.objects.filter(slug="iran").update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))

    assert list_slugs("actors", updated_since="2023-12-31T00:00:00Z") == ["iran"]


# --- conflicts ------------------------------------------------------------------------------


def test_conflict_detail_lists_parties_as_briefs(api):
    body = api.get(f"{API}/conflicts/libyan-crisis/").json()

    assert body["slug"] == "libyan-crisis"
    assert (body["name"], body["region"]) == ("Libyan crisis", "North Africa")
    assert (body["start_date"], body["end_date"]) == ("2011-02-15", None)
    assert [party["slug"] for party in body["parties"]] == LIBYAN_CRISIS_PARTIES
    assert body["parties"][0] == {
        "slug": "egypt",
        "name": "Egypt",
        "url": "http://testserver/api/v1/actors/egypt/",
    }


def test_conflicts_are_listed_by_slug(list_slugs):
    assert list_slugs("conflicts") == ["libyan-crisis", "syrian-civil-war"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("libya", ["libyan-crisis"]),
        ("Syrian", ["syrian-civil-war"]),
        ("líbyan", ["libyan-crisis"]),
        # In both descriptions.
        ("Islamic State", ["libyan-crisis", "syrian-civil-war"]),
        ("300,000 people", ["syrian-civil-war"]),
        ("crimea", []),
    ],
)
def test_conflict_q_matches_name_or_description(list_slugs, q, expected):
    assert list_slugs("conflicts", q=q) == expected


def test_filter_conflicts_by_party(list_slugs):
    assert list_slugs("conflicts", party="turkey") == ["syrian-civil-war"]
    assert list_slugs("conflicts", party="egypt") == ["libyan-crisis"]
    assert list_slugs("conflicts", party="russia") == ["libyan-crisis", "syrian-civil-war"]
    assert list_slugs("conflicts", party=["turkey", "egypt"]) == ["libyan-crisis", "syrian-civil-war"]
    assert list_slugs("conflicts", party="united-nations") == []


def test_filter_conflicts_active_on_a_day(list_slugs):
    """Both are ongoing; the Libyan crisis began a month before the Syrian war."""
    assert list_slugs("conflicts", active_on="2017-03-03") == ["libyan-crisis", "syrian-civil-war"]
    assert list_slugs("conflicts", active_on="2010-01-01") == []
    assert list_slugs("conflicts", active_on="2011-03-01") == ["libyan-crisis"]
    assert list_slugs("conflicts", active_on="2011-03-15") == ["libyan-crisis", "syrian-civil-war"]


def test_a_conflict_that_ended_is_not_active_after_its_end(list_slugs):
    Conflict.objects.filter(slug="libyan-crisis").update(end_date=datetime.date(2020, 10, 23))

    assert list_slugs("conflicts", active_on="2020-10-23") == ["libyan-crisis", "syrian-civil-war"]
    assert list_slugs("conflicts", active_on="2020-10-24") == ["syrian-civil-war"]


# --- sources --------------------------------------------------------------------------------


def test_source_list_leaves_out_the_text(api):
    """Lists stay light: the full text and furniture come only with the detail."""
    Source.objects.update(updated_at=FIXED_UPDATED_AT)

    body = api.get(f"{API}/sources/").json()

    assert body == {"next": None, "previous": None, "results": [SOURCE_LIST_ITEM_JSON]}


def test_source_detail_carries_the_full_text(api, article_text):
    Source.objects.update(updated_at=FIXED_UPDATED_AT)

    response = api.get(f"{API}/sources/{SOURCE}/")

    assert response.status_code == 200
    assert response.json() == {**SOURCE_LIST_ITEM_JSON, "furniture": SOURCE_FURNITURE, "text": article_text}


def test_every_event_citation_is_the_source_text_at_its_offsets(api):
    """A reader can check each cited passage against the source detail's text."""
    text = api.get(f"{API}/sources/{SOURCE}/").json()["text"]

    citations = [c for item in api.get(f"{API}/events/").json()["results"] for c in item["citations"]]

    assert len(citations) == 10
    for citation in citations:
        assert text[citation["start"] : citation["end"]] == citation["excerpt"]


def test_an_unknown_source_is_a_404(api):
    response = api.get(f"{API}/sources/no-such-source/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Source matches the given query."}


def test_filter_sources_by_publisher(list_slugs):
    Source.objects.create(
        slug="reuters-2017-03-04-other",
        title="Another report",
        publisher="Reuters",
        published_on=datetime.date(2017, 3, 4),
        language="ru",
        text="Nothing here is cited.",
    )

    assert list_slugs("sources") == [SOURCE, "reuters-2017-03-04-other"]
    assert list_slugs("sources", publisher="bloomberg") == [SOURCE]
    assert list_slugs("sources", publisher="REUTERS") == ["reuters-2017-03-04-other"]
    # The whole publisher name, not a part of it.
    assert list_slugs("sources", publisher="Bloom") == []
    assert list_slugs("sources", published_after="2017-03-04") == ["reuters-2017-03-04-other"]
    assert list_slugs("sources", published_before="2017-03-03") == [SOURCE]
    assert list_slugs("sources", language="ru") == ["reuters-2017-03-04-other"]


@pytest.mark.parametrize("endpoint", ["events", "statements", "actors", "conflicts", "timeline"])
def test_updated_since_takes_any_offset_python_accepts(api, endpoint):
    # -23:10 is a valid ISO 8601 offset that PostgreSQL cannot store: it is compared in UTC.
    response = api.get(f"/api/v1/{endpoint}/", {"updated_since": "3497-04-20T12:08:55-23:10"})

    assert response.status_code == 200, response.content[:300]
    assert response.json()["results"] == []
