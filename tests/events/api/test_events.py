"""The events list and detail: every filter finds exactly the seed events a reader expects.

The seed article has 9 events. Four have known dates: the December 2016 ceasefire and
Islamic State's loss of its Libyan holdout (month precision), the UN-led negotiations
"this week" (week of 2017-02-27) and the Moscow talks "on Thursday" (2017-03-02). The
other five are undated and never match a date range.
"""

import datetime

import pytest

from events.models import Actor, Event, Source
from tests.events.api.conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

INTERVENTION = "russian-military-intervention-syria"
PUSH = "russian-push-to-end-syrian-war"
IS_SEIZES_SYRIA = "islamic-state-seizes-territory-syria"
CEASEFIRE = "ceasefire-syria-russia-turkey-2016-12"
UN_TALKS = "un-led-syria-peace-negotiations-2017-03-03-week"
IS_FOOTHOLD = "islamic-state-foothold-libya"
IS_HOLDOUT = "islamic-state-loses-last-libyan-holdout-2016-12"
MOSCOW = "moscow-talks-russia-serraj-2017-03-02"
INTERVIEW = "gatilov-geneva-interview"

UNDATED = {INTERVENTION, PUSH, IS_SEIZES_SYRIA, IS_FOOTHOLD, INTERVIEW}
ALL_EVENTS = UNDATED | {CEASEFIRE, UN_TALKS, IS_HOLDOUT, MOSCOW}

# Oldest first; within a start day finer precision first; undated last; ties by creation.
BY_DATE = [
    CEASEFIRE,
    IS_HOLDOUT,
    UN_TALKS,
    MOSCOW,
    INTERVENTION,
    PUSH,
    IS_SEIZES_SYRIA,
    IS_FOOTHOLD,
    INTERVIEW,
]
# Newest first; undated still last; ties newest-created first (the whole key is reversed).
BY_DATE_DESC = [
    MOSCOW,
    UN_TALKS,
    IS_HOLDOUT,
    CEASEFIRE,
    INTERVIEW,
    IS_FOOTHOLD,
    IS_SEIZES_SYRIA,
    PUSH,
    INTERVENTION,
]

SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
SOURCE_BRIEF = {
    "slug": SOURCE,
    "name": "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
    "url": f"http://testserver/api/v1/sources/{SOURCE}/",
}
FIXED_UPDATED_AT = datetime.datetime(2017, 3, 4, 12, 0, tzinfo=datetime.UTC)

MOSCOW_TALKS_JSON = {
    "slug": MOSCOW,
    "url": f"http://testserver/api/v1/events/{MOSCOW}/",
    "title": "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow",
    "summary": (
        "Russia hosted UN-recognized Libyan Prime Minister Fayez al-Serraj, a rival of Russian-backed "
        "commander Khalifa Haftar, for talks in Moscow as it seeks to broker a solution in Libya."
    ),
    "type": "talks",
    "date": {
        "start": "2017-03-02",
        "end": "2017-03-02",
        "precision": "day",
        "text": "on Thursday",
        "anchor": "2017-03-03",
    },
    "location": "Moscow",
    "participants": [
        {
            "actor": {
                "slug": "fayez-al-serraj",
                "name": "Fayez al-Serraj",
                "url": "http://testserver/api/v1/actors/fayez-al-serraj/",
            },
            "role": "guest",
        },
        {
            "actor": {"slug": "russia", "name": "Russia", "url": "http://testserver/api/v1/actors/russia/"},
            "role": "host",
        },
    ],
    "conflicts": [
        {
            "slug": "libyan-crisis",
            "name": "Libyan crisis",
            "url": "http://testserver/api/v1/conflicts/libyan-crisis/",
        }
    ],
    "citations": [
        {
            "source": SOURCE_BRIEF,
            # The article's typographic apostrophe, exactly as received.
            "excerpt": (
                "It hosted his rival, Prime Minister Fayez al-Serraj, who\u2019s recognized by the United "
                "Nations, for talks on Thursday in Moscow as it seeks to broker a solution."
            ),
            "start": 977,
            "end": 1135,
        }
    ],
    "status": "published",
    "updated_at": "2017-03-04T12:00:00Z",
}


# --- shape -------------------------------------------------------------------------------


def test_event_detail_is_the_documented_json(api):
    """The Moscow talks read back with their date, brief participants, conflict and the exact cited words."""
    Event.objects.filter(slug=MOSCOW).update(updated_at=FIXED_UPDATED_AT)

    response = api.get(f"{API}/events/{MOSCOW}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == MOSCOW_TALKS_JSON


def test_list_items_have_the_same_shape_as_the_detail(api):
    """A list item is the detail's JSON, not a cut-down version."""
    Event.objects.filter(slug=MOSCOW).update(updated_at=FIXED_UPDATED_AT)

    items = api.get(f"{API}/events/").json()["results"]

    assert [item for item in items if item["slug"] == MOSCOW] == [MOSCOW_TALKS_JSON]


def test_a_list_page_is_results_with_next_and_previous_links(api):
    body = api.get(f"{API}/events/").json()

    assert set(body) == {"next", "previous", "results"}
    assert (body["next"], body["previous"]) == (None, None)
    assert len(body["results"]) == 9


def test_related_records_are_brief_objects_never_bare_ids(api):
    """Participants, conflicts and citation sources are {slug, name, url} objects with absolute urls."""
    items = api.get(f"{API}/events/").json()["results"]

    briefs = []
    for item in items:
        assert not any(key == "id" or key.endswith("_id") for key in item)
        briefs += [participant["actor"] for participant in item["participants"]]
        briefs += item["conflicts"]
        briefs += [citation["source"] for citation in item["citations"]]
    assert len(briefs) == 14 + 10 + 10
    for brief in briefs:
        assert set(brief) == {"slug", "name", "url"}
        assert brief["url"].startswith("http://testserver/api/v1/")
        assert brief["url"].endswith(f"/{brief['slug']}/")


def test_an_unknown_event_is_a_404(api):
    response = api.get(f"{API}/events/no-such-event/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Event matches the given query."}


# --- actors and roles ----------------------------------------------------------------------


def test_filter_by_one_actor(list_slugs):
    """Every event Russia took part in, whatever its role."""
    assert set(list_slugs("events", actor="russia")) == {INTERVENTION, PUSH, CEASEFIRE, UN_TALKS, MOSCOW}


def test_repeated_actor_matches_any_of_them_by_default(list_slugs):
    expected = {IS_SEIZES_SYRIA, IS_FOOTHOLD, IS_HOLDOUT, CEASEFIRE}

    assert set(list_slugs("events", actor=["islamic-state", "turkey"])) == expected
    assert set(list_slugs("events", actor=["islamic-state", "turkey"], actor_mode="any")) == expected


def test_actor_mode_all_needs_every_actor(list_slugs):
    """Events where Russia and Turkey both took part: only the ceasefire they brokered."""
    assert list_slugs("events", actor=["russia", "turkey"], actor_mode="all") == [CEASEFIRE]
    assert list_slugs("events", actor=["russia", "fayez-al-serraj"], actor_mode="all") == [MOSCOW]
    assert list_slugs("events", actor=["turkey", "fayez-al-serraj"], actor_mode="all") == []


def test_filter_by_actor_id(list_slugs):
    turkey = Actor.objects.get(slug="turkey")

    assert list_slugs("events", actor_id=turkey.pk) == [CEASEFIRE]


def test_actor_id_and_actor_slug_combine(list_slugs):
    turkey = Actor.objects.get(slug="turkey")

    assert set(list_slugs("events", actor="islamic-state", actor_id=turkey.pk)) == {
        IS_SEIZES_SYRIA,
        IS_FOOTHOLD,
        IS_HOLDOUT,
        CEASEFIRE,
    }


def test_filter_by_role(list_slugs):
    """Events with any participant in the given role(s)."""
    assert set(list_slugs("events", role="broker")) == {PUSH, CEASEFIRE}
    assert set(list_slugs("events", role="party")) == {INTERVENTION, IS_SEIZES_SYRIA, UN_TALKS, IS_FOOTHOLD}
    assert set(list_slugs("events", role=["host", "interviewee"])) == {MOSCOW, INTERVIEW}
    assert list_slugs("events", role="backer") == []


def test_actor_with_role_means_that_actor_in_that_role(list_slugs):
    assert set(list_slugs("events", actor="russia", role="broker")) == {PUSH, CEASEFIRE}
    assert list_slugs("events", actor="russia", role="host") == [MOSCOW]
    # Turkey took part only as a broker; Serraj was a guest, not the host.
    assert list_slugs("events", actor="turkey", role="host") == []
    assert list_slugs("events", actor=["russia", "fayez-al-serraj"], role="host") == [MOSCOW]
    assert list_slugs("events", actor=["russia", "turkey"], role="broker", actor_mode="all") == [CEASEFIRE]


# --- conflicts, type, location, source ---------------------------------------------------------


def test_filter_by_conflict(list_slugs):
    assert set(list_slugs("events", conflict="libyan-crisis")) == {IS_FOOTHOLD, IS_HOLDOUT, MOSCOW, INTERVIEW}
    assert set(list_slugs("events", conflict="syrian-civil-war")) == {
        INTERVENTION,
        PUSH,
        IS_SEIZES_SYRIA,
        CEASEFIRE,
        UN_TALKS,
        INTERVIEW,
    }


def test_repeated_conflict_matches_either_and_lists_each_event_once(list_slugs):
    """The Geneva interview is in both conflicts but appears once."""
    assert sorted(list_slugs("events", conflict=["libyan-crisis", "syrian-civil-war"])) == sorted(ALL_EVENTS)


def test_filter_by_type(list_slugs):
    assert set(list_slugs("events", type="territorial_change")) == {IS_SEIZES_SYRIA, IS_FOOTHOLD, IS_HOLDOUT}
    assert set(list_slugs("events", type=["talks", "ceasefire"])) == {MOSCOW, CEASEFIRE}
    assert list_slugs("events", type="election") == []


def test_filter_by_location_is_a_case_insensitive_part_of_the_place(list_slugs):
    assert list_slugs("events", location="moscow") == [MOSCOW]
    assert set(list_slugs("events", location="LIB")) == {IS_HOLDOUT, IS_FOOTHOLD}
    assert list_slugs("events", location="Syria") == [INTERVENTION]
    assert list_slugs("events", location="%") == []


def test_filter_by_source(list_slugs):
    """Events citing the seed article: all of them; events citing an uncited source: none."""
    Source.objects.create(
        slug="reuters-2017-03-04-other",
        title="Another report",
        publisher="Reuters",
        published_on=datetime.date(2017, 3, 4),
        language="en",
        text="Nothing here is cited.",
    )

    assert set(list_slugs("events", source=SOURCE)) == ALL_EVENTS
    assert list_slugs("events", source="reuters-2017-03-04-other") == []


# --- dates ------------------------------------------------------------------------------


def test_date_after_keeps_events_that_may_fall_on_or_after_the_day(list_slugs):
    assert list_slugs("events", date_after="2017-01-01") == [UN_TALKS, MOSCOW]
    # The week of 27 Feb runs to Sunday 5 March: it may still fall on 3 March.
    assert list_slugs("events", date_after="2017-03-03") == [UN_TALKS]
    assert list_slugs("events", date_after="2017-03-06") == []


def test_date_before_keeps_events_that_may_fall_on_or_before_the_day(list_slugs):
    assert list_slugs("events", date_before="2016-12-31") == [CEASEFIRE, IS_HOLDOUT]
    assert list_slugs("events", date_before="2017-02-27") == [CEASEFIRE, IS_HOLDOUT, UN_TALKS]
    assert list_slugs("events", date_before="2016-11-30") == []


def test_a_month_overlaps_a_range_inside_it_but_is_not_within_it(list_slugs):
    """The December ceasefire may have fallen on 15–20 December, but not certainly."""
    december_range = {"date_after": "2016-12-15", "date_before": "2016-12-20"}

    assert list_slugs("events", **december_range) == [CEASEFIRE, IS_HOLDOUT]
    assert list_slugs("events", **december_range, date_match="overlaps") == [CEASEFIRE, IS_HOLDOUT]
    assert list_slugs("events", **december_range, date_match="within") == []


def test_within_keeps_only_events_certainly_in_the_range(list_slugs):
    december = {"date_after": "2016-12-01", "date_before": "2016-12-31"}
    assert list_slugs("events", **december, date_match="within") == [CEASEFIRE, IS_HOLDOUT]

    # 27 Feb – 3 Mar holds the Moscow talks; the week of the negotiations runs past it.
    late_feb = {"date_after": "2017-02-27", "date_before": "2017-03-03"}
    assert list_slugs("events", **late_feb, date_match="within") == [MOSCOW]
    assert list_slugs("events", **late_feb, date_match="overlaps") == [UN_TALKS, MOSCOW]


def test_undated_events_never_match_a_date_range(list_slugs):
    widest = {"date_after": "0001-01-01", "date_before": "9999-12-31"}

    assert set(list_slugs("events", **widest)) == ALL_EVENTS - UNDATED
    assert set(list_slugs("events", **widest, date_match="within")) == ALL_EVENTS - UNDATED


def test_filter_by_precision(list_slugs):
    assert list_slugs("events", precision="month") == [CEASEFIRE, IS_HOLDOUT]
    assert list_slugs("events", precision=["day", "week"]) == [UN_TALKS, MOSCOW]
    assert set(list_slugs("events", precision="unknown")) == UNDATED
    assert list_slugs("events", precision="year") == []


# --- full-text search and ordering -----------------------------------------------------------


def test_q_finds_a_hyphenated_word(list_slugs):
    assert list_slugs("events", q="cease-fire") == [CEASEFIRE]
    assert list_slugs("events", q='"cease fire"') == [CEASEFIRE]


def test_q_finds_a_place_in_title_and_summary(list_slugs):
    assert list_slugs("events", q="Moscow") == [MOSCOW]
    assert list_slugs("events", q="moscow") == [MOSCOW]


def test_q_also_searches_the_cited_excerpts(list_slugs):
    """ "Soviet-era" is only in the article's words cited by these two events."""
    assert list_slugs("events", q="Soviet-era") == [INTERVENTION, PUSH]


def test_q_uses_web_search_syntax(list_slugs):
    assert set(list_slugs("events", q="-Moscow")) == ALL_EVENTS - {MOSCOW}
    assert list_slugs("events", q="Turkey Moscow") == []
    assert list_slugs("events", q="Turkey or Moscow") == [CEASEFIRE, MOSCOW]


def test_q_of_only_stop_words_finds_nothing(list_slugs):
    assert list_slugs("events", q="the") == []


def test_default_ordering_is_by_date_with_undated_last(list_slugs):
    assert list_slugs("events") == BY_DATE
    assert list_slugs("events", ordering="date") == BY_DATE


def test_ordering_newest_first_keeps_undated_last(list_slugs):
    assert list_slugs("events", ordering="-date") == BY_DATE_DESC


def test_relevance_ordering_puts_title_matches_first(list_slugs):
    """Libya in title and summary, then in the summary only, then only in a cited excerpt.

    Equal ranks come newest-created first (the relevance key is sorted descending).
    """
    assert list_slugs("events", q="Libya", ordering="relevance") == [
        IS_HOLDOUT,
        IS_FOOTHOLD,
        INTERVIEW,
        MOSCOW,
        PUSH,
        INTERVENTION,
    ]


def test_q_without_relevance_keeps_date_order(list_slugs):
    assert list_slugs("events", q="Libya") == [IS_HOLDOUT, MOSCOW, INTERVENTION, PUSH, IS_FOOTHOLD, INTERVIEW]


def test_filters_combine(list_slugs):
    assert list_slugs("events", type="talks", precision="day", q="Moscow", ordering="relevance") == [MOSCOW]
    assert list_slugs(
        "events", actor="islamic-state", conflict="libyan-crisis", date_before="2017-01-01"
    ) == [IS_HOLDOUT]


# --- changes and review status -----------------------------------------------------------------


def test_updated_since_lists_events_changed_since_then(list_slugs):
    Event.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Event.objects.filter(slug__in=[MOSCOW, CEASEFIRE]).update(
        updated_at=datetime.datetime(2024, 6, 1, 8, 30, tzinfo=datetime.UTC)
    )

    assert list_slugs("events", updated_since="2024-06-01T08:30:00Z") == [CEASEFIRE, MOSCOW]
    assert list_slugs("events", updated_since="2024-06-01T10:30:00+02:00") == [CEASEFIRE, MOSCOW]
    assert list_slugs("events", updated_since="2024-06-01T08:30:01Z") == []
    assert set(list_slugs("events", updated_since="2019-12-31T23:59:59Z")) == ALL_EVENTS


def test_a_draft_event_disappears_for_anonymous_readers(api, list_slugs):
    Event.objects.filter(slug=MOSCOW).update(status="draft")

    assert list_slugs("events") == [slug for slug in BY_DATE if slug != MOSCOW]
    assert list_slugs("events", actor="fayez-al-serraj") == []
    assert api.get(f"{API}/events/{MOSCOW}/").status_code == 404


def test_anonymous_readers_cannot_ask_for_drafts(list_slugs):
    Event.objects.filter(slug=MOSCOW).update(status="draft")

    assert list_slugs("events", status="draft") == []
    assert list_slugs("events", status="reviewed") == []
    assert set(list_slugs("events", status="published")) == ALL_EVENTS - {MOSCOW}


def test_editors_see_drafts_and_can_filter_by_status(editor_api, list_slugs):
    Event.objects.filter(slug=MOSCOW).update(status="draft")

    assert list_slugs("events", client=editor_api) == BY_DATE
    assert list_slugs("events", client=editor_api, status="draft") == [MOSCOW]
    assert list_slugs("events", client=editor_api, status=["draft", "reviewed"]) == [MOSCOW]
    assert editor_api.get(f"{API}/events/{MOSCOW}/").json()["status"] == "draft"


@pytest.mark.parametrize(
    "params",
    [{"ordering": "date"}, {"ordering": "-date"}, {"q": "Libya", "ordering": "relevance"}],
    ids=["date", "-date", "relevance"],
)
def test_next_links_page_through_each_ordering_without_gaps(api, list_slugs, params):
    """Two at a time, a client reads the same events in the same order as one big page."""
    url, seen = f"{API}/events/", []
    response = api.get(url, {**params, "page_size": 2})
    while True:
        body = response.json()
        seen += [item["slug"] for item in body["results"]]
        if not body["next"]:
            break
        response = api.get(body["next"])

    assert seen == list_slugs("events", **params)
