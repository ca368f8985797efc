"""The statements list and detail, and cursor pagination walked through all 14 seed statements.

Only Peskov's "said Friday" (2017-03-03) has a known date; the other 13 are undated.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Source, Statement
from tests.events.api.conftest import API, slugs_of

pytestmark = pytest.mark.usefixtures("seeded")

GATILOV_ACTIVE_ROLE = "gatilov-active-us-role"
GATILOV_PLAYERS = "gatilov-us-most-important-players"
GATILOV_READY_LIBYA = "gatilov-ready-to-work-with-us-in-libya"
GATILOV_IRAN = "gatilov-iran-role-fighting-terrorism"
GATILOV_WELCOME = "gatilov-welcome-trump-assad-cooperation"
GATILOV_OPEN = "gatilov-open-to-contacts-on-libya"
GATILOV_HAFTAR = "gatilov-haftar-real-power"
RUSSIA_HAFTAR = "russia-haftar-role-in-libyan-leadership"
ZVYAGELSKAYA = "zvyagelskaya-need-to-cooperate-with-us"
PESKOV = "peskov-no-movement-2017-03-03"
DIPLOMAT = "western-diplomat-syria-reconstruction-costs"
TRUMP_PROMISE = "trump-promise-joint-fight-islamic-state"
TRUMP_ALLIANCE = "trump-call-alliance-with-russia"
TRUMP_IRAN = "trump-iran-no-1-terrorist-threat"

GATILOV = {
    GATILOV_ACTIVE_ROLE,
    GATILOV_PLAYERS,
    GATILOV_READY_LIBYA,
    GATILOV_IRAN,
    GATILOV_WELCOME,
    GATILOV_OPEN,
    GATILOV_HAFTAR,
}
TRUMP = {TRUMP_PROMISE, TRUMP_ALLIANCE, TRUMP_IRAN}
QUOTES = {GATILOV_ACTIVE_ROLE, GATILOV_PLAYERS, GATILOV_OPEN, GATILOV_HAFTAR, ZVYAGELSKAYA}
ALL_STATEMENTS = GATILOV | TRUMP | {RUSSIA_HAFTAR, ZVYAGELSKAYA, PESKOV, DIPLOMAT}

# The dated statement first, then the undated ones in the order they were recorded.
BY_DATE = [
    PESKOV,
    GATILOV_ACTIVE_ROLE,
    GATILOV_PLAYERS,
    GATILOV_READY_LIBYA,
    GATILOV_IRAN,
    GATILOV_WELCOME,
    GATILOV_OPEN,
    GATILOV_HAFTAR,
    RUSSIA_HAFTAR,
    ZVYAGELSKAYA,
    DIPLOMAT,
    TRUMP_PROMISE,
    TRUMP_ALLIANCE,
    TRUMP_IRAN,
]

SOURCE = "bloomberg-2017-03-03-russia-urges-trump"

PESKOV_JSON = {
    "slug": PESKOV,
    "url": f"http://testserver/api/v1/statements/{PESKOV}/",
    "speaker": {
        "slug": "dmitry-peskov",
        "name": "Dmitry Peskov",
        "url": "http://testserver/api/v1/actors/dmitry-peskov/",
    },
    "kind": "paraphrase",
    "text": (
        'There has been "no movement" on anti-terrorism cooperation with the U.S. and no substantive '
        "contacts about Syria."
    ),
    "date": {
        "start": "2017-03-03",
        "end": "2017-03-03",
        "precision": "day",
        "text": "said Friday",
        "anchor": "2017-03-03",
    },
    "occasion": None,
    "about": [
        {"slug": "russia", "name": "Russia", "url": "http://testserver/api/v1/actors/russia/"},
        {"slug": "syria", "name": "Syria", "url": "http://testserver/api/v1/actors/syria/"},
        {
            "slug": "united-states",
            "name": "United States",
            "url": "http://testserver/api/v1/actors/united-states/",
        },
    ],
    "conflicts": [
        {
            "slug": "syrian-civil-war",
            "name": "Syrian civil war",
            "url": "http://testserver/api/v1/conflicts/syrian-civil-war/",
        }
    ],
    "citations": [
        {
            "source": {
                "slug": SOURCE,
                "name": "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
                "url": f"http://testserver/api/v1/sources/{SOURCE}/",
            },
            # The article's curly quotes, exactly as received.
            "excerpt": (
                "Kremlin spokesman Dmitry Peskov said Friday there has been \u201cno movement\u201d on "
                "anti-terrorism cooperation with the U.S. and no substantive contacts about Syria."
            ),
            "start": 1930,
            "end": 2087,
        }
    ],
    "status": "published",
    "updated_at": "2017-03-04T12:00:00Z",
}


# --- shape -------------------------------------------------------------------------------


def test_statement_detail_is_the_documented_json(api):
    """Peskov's remark reads back with his brief, its date, subjects, conflict and the cited words."""
    Statement.objects.filter(slug=PESKOV).update(
        updated_at=datetime.datetime(2017, 3, 4, 12, 0, tzinfo=datetime.UTC)
    )

    response = api.get(f"{API}/statements/{PESKOV}/")

    assert response.status_code == 200
    assert response.json() == PESKOV_JSON


def test_the_occasion_is_a_brief_event(api):
    body = api.get(f"{API}/statements/{GATILOV_HAFTAR}/").json()

    assert body["occasion"] == {
        "slug": "gatilov-geneva-interview",
        "name": "Russian Deputy Foreign Minister Gennady Gatilov interviewed in Geneva",
        "url": "http://testserver/api/v1/events/gatilov-geneva-interview/",
    }
    assert body["speaker"]["slug"] == "gennady-gatilov"


# --- filters -----------------------------------------------------------------------------


def test_default_order_is_by_date_with_undated_last(list_slugs):
    assert list_slugs("statements") == BY_DATE


def test_filter_by_speaker(list_slugs):
    assert set(list_slugs("statements", speaker="donald-trump")) == TRUMP
    assert set(list_slugs("statements", speaker="gennady-gatilov")) == GATILOV
    assert list_slugs("statements", speaker="russia") == [RUSSIA_HAFTAR]
    assert set(list_slugs("statements", speaker=["dmitry-peskov", "irina-zvyagelskaya"])) == {
        PESKOV,
        ZVYAGELSKAYA,
    }
    assert list_slugs("statements", speaker="syria") == []


def test_filter_by_about(list_slugs):
    assert set(list_slugs("statements", about="iran")) == {GATILOV_IRAN, TRUMP_IRAN}
    assert set(list_slugs("statements", about="khalifa-haftar")) == {GATILOV_HAFTAR, RUSSIA_HAFTAR}
    assert set(list_slugs("statements", about="islamic-state")) == {
        GATILOV_WELCOME,
        TRUMP_PROMISE,
        TRUMP_ALLIANCE,
    }
    assert set(list_slugs("statements", about=["iran", "khalifa-haftar"])) == {
        GATILOV_IRAN,
        TRUMP_IRAN,
        GATILOV_HAFTAR,
        RUSSIA_HAFTAR,
    }


def test_filter_by_conflict(list_slugs):
    assert set(list_slugs("statements", conflict="libyan-crisis")) == {
        GATILOV_READY_LIBYA,
        GATILOV_OPEN,
        GATILOV_HAFTAR,
        RUSSIA_HAFTAR,
        ZVYAGELSKAYA,
    }
    assert set(list_slugs("statements", conflict="syrian-civil-war")) == {
        GATILOV_ACTIVE_ROLE,
        GATILOV_PLAYERS,
        GATILOV_IRAN,
        GATILOV_WELCOME,
        ZVYAGELSKAYA,
        PESKOV,
        DIPLOMAT,
        TRUMP_ALLIANCE,
    }
    # Zvyagelskaya's remark is about both conflicts but is listed once.
    assert set(list_slugs("statements", conflict=["libyan-crisis", "syrian-civil-war"])) == ALL_STATEMENTS - {
        TRUMP_PROMISE,
        TRUMP_IRAN,
    }


def test_filter_by_occasion_event(list_slugs):
    assert set(list_slugs("statements", event="gatilov-geneva-interview")) == GATILOV
    assert list_slugs("statements", event="moscow-talks-russia-serraj-2017-03-02") == []


def test_filter_by_kind(list_slugs):
    assert set(list_slugs("statements", kind="quote")) == QUOTES
    assert set(list_slugs("statements", kind="paraphrase")) == ALL_STATEMENTS - QUOTES
    assert set(list_slugs("statements", kind=["quote", "paraphrase"])) == ALL_STATEMENTS


def test_date_filters(list_slugs):
    """Peskov spoke on Friday 3 March; nothing else has a date."""
    assert list_slugs("statements", date_after="2017-03-03") == [PESKOV]
    assert list_slugs("statements", date_after="2017-03-04") == []
    assert list_slugs("statements", date_before="2017-03-02") == []
    assert list_slugs("statements", date_before="2017-03-03") == [PESKOV]
    march = {"date_after": "2017-03-01", "date_before": "2017-03-31"}
    assert list_slugs("statements", **march, date_match="within") == [PESKOV]
    assert list_slugs("statements", precision="day") == [PESKOV]
    assert set(list_slugs("statements", precision="unknown")) == ALL_STATEMENTS - {PESKOV}


def test_q_searches_the_words(list_slugs):
    assert list_slugs("statements", q="Haftar") == [GATILOV_HAFTAR, RUSSIA_HAFTAR]


def test_q_searches_the_cited_excerpts_too(list_slugs):
    """Peskov's name is only in the cited sentence; "terrorist" is in Trump's words and a shared excerpt."""
    assert list_slugs("statements", q="Peskov") == [PESKOV]
    assert list_slugs("statements", q="terrorist") == [TRUMP_ALLIANCE, TRUMP_IRAN]
    assert list_slugs("statements", q="terrorist", speaker="donald-trump") == [TRUMP_ALLIANCE, TRUMP_IRAN]


def test_relevance_ordering_of_statements(list_slugs):
    """Haftar named in the words and the excerpt of both; equal ranks newest-created first."""
    assert list_slugs("statements", q="Haftar", ordering="relevance") == [RUSSIA_HAFTAR, GATILOV_HAFTAR]


def test_updated_since(list_slugs):
    Statement.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Statement.objects.filter(slug=PESKOV).update(
        updated_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )

    assert list_slugs("statements", updated_since="2024-01-01T00:00:00Z") == [PESKOV]
    assert list_slugs("statements", updated_since="2024-06-01T00:00:01Z") == []


def test_filter_by_source(list_slugs):
    Source.objects.create(
        slug="reuters-2017-03-04-other",
        title="Another report",
        publisher="Reuters",
        published_on=datetime.date(2017, 3, 4),
        language="en",
        text="Nothing here is cited.",
    )

    assert set(list_slugs("statements", source=SOURCE)) == ALL_STATEMENTS
    assert list_slugs("statements", source="reuters-2017-03-04-other") == []


def test_draft_statements_are_hidden_from_anonymous_readers(api, list_slugs, editor_api):
    Statement.objects.filter(slug=PESKOV).update(status="draft")

    assert list_slugs("statements") == BY_DATE[1:]
    assert list_slugs("statements", status="draft") == []
    assert api.get(f"{API}/statements/{PESKOV}/").status_code == 404
    assert list_slugs("statements", client=editor_api, status="draft") == [PESKOV]


# --- cursor pagination ---------------------------------------------------------------------


def _walk(api, url: str) -> list[list[str]]:
    """Follow `next` links from `url`; the slugs of each page, asserting no page counts rows."""
    pages = []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        pages.append(slugs_of(response))
        url = response.json()["next"]
        assert len(pages) < 20, "next links never end"
    return pages


def test_next_links_cover_every_statement_once_in_order(api):
    """Page by page, three at a time, a client reads all 14 statements in the unpaginated order."""
    pages = _walk(api, f"{API}/statements/?page_size=3")

    assert [len(page) for page in pages] == [3, 3, 3, 3, 2]
    assert [slug for page in pages for slug in page] == BY_DATE


def test_next_links_keep_filters_and_ordering(api, list_slugs):
    expected = list_slugs("statements", conflict="syrian-civil-war", ordering="-date")

    pages = _walk(api, f"{API}/statements/?conflict=syrian-civil-war&ordering=-date&page_size=2")

    assert [slug for page in pages for slug in page] == expected
    assert len(expected) == 8
    assert expected[0] == PESKOV


def test_next_link_carries_page_size_and_an_opaque_cursor(api):
    next_link = api.get(f"{API}/statements/", {"page_size": 3}).json()["next"]

    parts = urlsplit(next_link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/api/v1/statements/")
    query = parse_qs(parts.query)
    assert set(query) == {"cursor", "page_size"}
    assert query["page_size"] == ["3"]


def test_previous_link_of_page_two_leads_back_to_page_one(api):
    first = api.get(f"{API}/statements/", {"page_size": 3}).json()
    second = api.get(first["next"]).json()

    assert first["previous"] is None
    assert second["previous"] is not None
    back = api.get(second["previous"]).json()
    assert [item["slug"] for item in back["results"]] == [item["slug"] for item in first["results"]]
    assert [item["slug"] for item in first["results"]] == BY_DATE[:3]
    assert [item["slug"] for item in second["results"]] == BY_DATE[3:6]


def test_previous_links_walk_back_over_every_page(api):
    url = f"{API}/statements/?page_size=4"
    forward = []
    last = None
    while url:
        last = api.get(url).json()
        forward.append([item["slug"] for item in last["results"]])
        url = last["next"]

    backward = [[item["slug"] for item in last["results"]]]
    url = last["previous"]
    while url:
        body = api.get(url).json()
        backward.append([item["slug"] for item in body["results"]])
        url = body["previous"]

    assert backward[::-1] == forward


def test_a_page_runs_no_count_query(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{API}/statements/", {"page_size": 3})

    assert response.status_code == 200
    assert queries.captured_queries
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_rows_added_behind_the_cursor_do_not_shift_the_next_page(api):
    """A statement recorded while a client pages does not repeat or skip anything on the next page.

    The newcomer is dated 3 March, so it sorts among the first page's rows, behind the
    cursor: an OFFSET paginator would shift page two by one row; a keyset cursor does not.
    """
    first = api.get(f"{API}/statements/", {"page_size": 3}).json()
    template = Statement.objects.get(slug=PESKOV)
    citation = template.citations.get()
    newcomer = Statement.objects.create(
        slug="peskov-repeat",
        speaker=template.speaker,
        kind="paraphrase",
        text=template.text,
        date_text="said Friday",
        date_anchor=template.date_anchor,
        date_start=datetime.date(2017, 3, 3),
        date_end=datetime.date(2017, 3, 3),
        date_precision="day",
        status="published",
    )
    newcomer.citations.create(
        source=citation.source,
        excerpt=citation.excerpt,
        start_offset=citation.start_offset,
        end_offset=citation.end_offset,
    )

    second = api.get(first["next"]).json()

    assert [item["slug"] for item in second["results"]] == BY_DATE[3:6]
