"""/api/v1/timeline/: events and statements of the seed article in one chronological stream.

The seed article has 9 events and 14 statements. Five items have known dates: the
December 2016 ceasefire and Islamic State's loss of its Libyan holdout (month
precision, 2016-12-01..31), the UN-led negotiations "this week" (week of 2017-02-27),
the Moscow talks "on Thursday" (day, 2017-03-02) and Peskov's statement "said Friday"
(day, 2017-03-03). The other 18 (5 events, 13 statements) are undated.
"""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from rest_framework.test import APIClient

from events.api.timeline import exports
from events.choices import EventType, ParticipantRole, ReviewStatus, StatementKind
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from tests.connections import connect

URL = "/api/v1/timeline/"
SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
SOURCE_URL = "https://www.bloomberg.com/news/articles/2017-03-03/russia-urges-trump-to-help-fix-syria-libya-crises-amid-setbacks"

# Events
INTERVENTION = "russian-military-intervention-syria"
PUSH = "russian-push-to-end-syrian-war"
IS_SEIZES_SYRIA = "islamic-state-seizes-territory-syria"
CEASEFIRE = "ceasefire-syria-russia-turkey-2016-12"
UN_TALKS = "un-led-syria-peace-negotiations-2017-03-03-week"
IS_FOOTHOLD = "islamic-state-foothold-libya"
IS_HOLDOUT = "islamic-state-loses-last-libyan-holdout-2016-12"
MOSCOW = "moscow-talks-russia-serraj-2017-03-02"
INTERVIEW = "gatilov-geneva-interview"
# Statements, in the seed file's (and so the id) order
GATILOV_ACTIVE_ROLE = "gatilov-active-us-role"
GATILOV_PLAYERS = "gatilov-us-most-important-players"
GATILOV_READY = "gatilov-ready-to-work-with-us-in-libya"
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

# The order rule: start date, then finer precision first, then kind tag (e before s), then
# id; undated last. So: the two December 2016 months (2016-12-01, by id), the week
# starting 2017-02-27, the day 2017-03-02, the day 2017-03-03, then the undated events
# by id, then the undated statements by id.
STREAM = [
    ("event", CEASEFIRE),
    ("event", IS_HOLDOUT),
    ("event", UN_TALKS),
    ("event", MOSCOW),
    ("statement", PESKOV),
    ("event", INTERVENTION),
    ("event", PUSH),
    ("event", IS_SEIZES_SYRIA),
    ("event", IS_FOOTHOLD),
    ("event", INTERVIEW),
    ("statement", GATILOV_ACTIVE_ROLE),
    ("statement", GATILOV_PLAYERS),
    ("statement", GATILOV_READY),
    ("statement", GATILOV_IRAN),
    ("statement", GATILOV_WELCOME),
    ("statement", GATILOV_OPEN),
    ("statement", GATILOV_HAFTAR),
    ("statement", RUSSIA_HAFTAR),
    ("statement", ZVYAGELSKAYA),
    ("statement", DIPLOMAT),
    ("statement", TRUMP_PROMISE),
    ("statement", TRUMP_ALLIANCE),
    ("statement", TRUMP_IRAN),
]
UNDATED = STREAM[5:]

CSV_HEADER = [
    "kind",
    "slug",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "title",
    "text",
    "type",
    "actors",
    "conflicts",
    "location",
    "citations",
    "source_urls",
    "url",
]
MOSCOW_ROW = [
    "event",
    MOSCOW,
    "2017-03-02",
    "2017-03-02",
    "day",
    "on Thursday",
    "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow",
    "Russia hosted UN-recognized Libyan Prime Minister Fayez al-Serraj, a rival of Russian-backed "
    "commander Khalifa Haftar, for talks in Moscow as it seeks to broker a solution in Libya.",
    "talks",
    "fayez-al-serraj:guest; russia:host",
    "libyan-crisis",
    "Moscow",
    "It hosted his rival, Prime Minister Fayez al-Serraj, who\u2019s recognized by the United Nations, "
    "for talks on Thursday in Moscow as it seeks to broker a solution.",
    SOURCE_URL,
    f"http://testserver/api/v1/events/{MOSCOW}/",
]

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def get_json(api: APIClient, params=None, url: str = URL) -> dict:
    response = api.get(url, params)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()


def stream(api: APIClient, **params) -> list[tuple[str, str]]:
    """(kind, slug) of every item served, asked for on one page."""
    body = get_json(api, {"page_size": 500, **params})
    assert body["next"] is None
    return [(item["kind"], item["slug"]) for item in body["results"]]


def bad_request(api: APIClient, params) -> dict:
    response = api.get(URL, params)
    assert response.status_code == 400, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def walk(api: APIClient, url: str, link: str = "next") -> list[dict]:
    """Every page from `url` on, following `link` links."""
    pages = []
    while url:
        page = get_json(api, url=url)
        pages.append(page)
        url = page[link]
    return pages


# --------------------------------------------------------------------------- order and shape


def test_the_default_order_is_the_whole_stream_by_date_with_undated_last(api):
    assert stream(api) == STREAM
    assert len(STREAM) == 23


def test_the_default_page_holds_fifty_items(api):
    body = get_json(api)

    assert len(body["results"]) == 23
    assert (body["next"], body["previous"]) == (None, None)


def test_each_item_is_its_kind_then_the_fields_of_its_own_list(api):
    items = {item["slug"]: item for item in get_json(api)["results"]}
    event = get_json(api, url=f"/api/v1/events/{MOSCOW}/")
    statement = get_json(api, url=f"/api/v1/statements/{PESKOV}/")

    assert items[MOSCOW] == {"kind": "event", **event}
    assert list(items[MOSCOW]) == ["kind", *event]
    # A statement's own kind (quote/paraphrase) is renamed: `kind` says what the item is.
    statement["statement_kind"] = statement.pop("kind")
    assert items[PESKOV] == {"kind": "statement", **statement}
    assert items[PESKOV]["statement_kind"] == "paraphrase"


# --------------------------------------------------------------------------- filters


def test_actor_matches_event_participants_speakers_and_actors_spoken_about(api):
    # Russia takes part in five events, speaks once (RUSSIA_HAFTAR) and is spoken about in nine statements.
    assert set(stream(api, actor="russia")) == {
        ("event", INTERVENTION),
        ("event", PUSH),
        ("event", CEASEFIRE),
        ("event", UN_TALKS),
        ("event", MOSCOW),
        ("statement", RUSSIA_HAFTAR),
        ("statement", GATILOV_READY),
        ("statement", GATILOV_IRAN),
        ("statement", GATILOV_WELCOME),
        ("statement", GATILOV_OPEN),
        ("statement", ZVYAGELSKAYA),
        ("statement", PESKOV),
        ("statement", DIPLOMAT),
        ("statement", TRUMP_PROMISE),
        ("statement", TRUMP_ALLIANCE),
    }


def test_actor_as_speaker_only(api):
    assert stream(api, actor="dmitry-peskov") == [("statement", PESKOV)]
    assert stream(api, actor="gennady-gatilov") == [
        ("event", INTERVIEW),
        ("statement", GATILOV_ACTIVE_ROLE),
        ("statement", GATILOV_PLAYERS),
        ("statement", GATILOV_READY),
        ("statement", GATILOV_IRAN),
        ("statement", GATILOV_WELCOME),
        ("statement", GATILOV_OPEN),
        ("statement", GATILOV_HAFTAR),
    ]


def test_actor_mode_all_needs_every_actor_in_the_same_item(api):
    # Turkey and Russia broker the ceasefire; no statement concerns Turkey.
    assert stream(api, actor=["russia", "turkey"], actor_mode="all") == [("event", CEASEFIRE)]
    # Trump speaks about Iran (TRUMP_IRAN); Gatilov speaks about Russia and Iran.
    assert stream(api, actor=["donald-trump", "iran"], actor_mode="all") == [("statement", TRUMP_IRAN)]
    assert stream(api, actor=["gennady-gatilov", "iran"], actor_mode="all") == [("statement", GATILOV_IRAN)]
    # "any" (the default) takes the union.
    assert stream(api, actor=["dmitry-peskov", "turkey"]) == [("event", CEASEFIRE), ("statement", PESKOV)]


def test_actor_with_a_date_range(api):
    assert stream(api, actor="russia", date_after="2017-03-01", date_before="2017-03-03") == [
        ("event", UN_TALKS),
        ("event", MOSCOW),
        ("statement", PESKOV),
    ]


def test_kind_statement_keeps_only_statements(api):
    assert stream(api, kind="statement") == [item for item in STREAM if item[0] == "statement"]
    assert len(stream(api, kind="statement")) == 14
    assert stream(api, kind="event") == [item for item in STREAM if item[0] == "event"]
    assert stream(api, kind=["event", "statement"]) == STREAM


def test_type_restricts_the_stream_to_events(api):
    assert stream(api, type="ceasefire") == [("event", CEASEFIRE)]
    assert stream(api, type="territorial_change") == [
        ("event", IS_HOLDOUT),
        ("event", IS_SEIZES_SYRIA),
        ("event", IS_FOOTHOLD),
    ]
    assert stream(api, type="ceasefire", kind="statement") == []


def test_date_match_overlaps_and_within_on_the_december_ceasefire(api):
    december_middle = {"date_after": "2016-12-15", "date_before": "2016-12-20"}

    # The month may fall in the range: it overlaps ...
    assert stream(api, **december_middle) == [("event", CEASEFIRE), ("event", IS_HOLDOUT)]
    assert stream(api, date_match="overlaps", type="ceasefire", **december_middle) == [("event", CEASEFIRE)]
    # ... but it is not certainly within it.
    assert stream(api, date_match="within", **december_middle) == []
    # Within the whole month it is.
    assert stream(
        api, date_match="within", type="ceasefire", date_after="2016-12-01", date_before="2016-12-31"
    ) == [("event", CEASEFIRE)]


def test_undated_items_match_no_date_range(api):
    assert stream(api, date_after="1900-01-01") == STREAM[:5]


def test_precision_conflict_and_source(api):
    assert stream(api, precision="day") == [("event", MOSCOW), ("statement", PESKOV)]
    assert stream(api, precision="unknown") == UNDATED
    libya = stream(api, conflict="libyan-crisis")
    assert libya == [
        ("event", IS_HOLDOUT),
        ("event", MOSCOW),
        ("event", IS_FOOTHOLD),
        ("event", INTERVIEW),
        ("statement", GATILOV_READY),
        ("statement", GATILOV_OPEN),
        ("statement", GATILOV_HAFTAR),
        ("statement", RUSSIA_HAFTAR),
        ("statement", ZVYAGELSKAYA),
    ]
    assert stream(api, source=SOURCE) == STREAM


def test_q_searches_events_statements_and_excerpts(api):
    # "Haftar": the Moscow talks' summary, the words of two statements.
    assert stream(api, q="Haftar") == [
        ("event", MOSCOW),
        ("statement", GATILOV_HAFTAR),
        ("statement", RUSSIA_HAFTAR),
    ]
    # "Geneva" is in no statement's words, but in the excerpt cited for two of them.
    assert stream(api, q="Geneva") == [
        ("event", INTERVIEW),
        ("statement", GATILOV_ACTIVE_ROLE),
        ("statement", GATILOV_PLAYERS),
    ]


def test_updated_since(api):
    later = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    Statement.objects.filter(slug=PESKOV).update(updated_at=later)
    Event.objects.filter(slug=MOSCOW).update(updated_at=later)

    assert stream(api, updated_since="2029-12-31T00:00:00Z") == [("event", MOSCOW), ("statement", PESKOV)]


def test_drafts_are_hidden_from_anonymous_readers(api):
    Statement.objects.filter(slug=PESKOV).update(status=ReviewStatus.DRAFT)
    Event.objects.filter(slug=MOSCOW).update(status=ReviewStatus.DRAFT)

    assert stream(api) == [item for item in STREAM if item[1] not in {PESKOV, MOSCOW}]
    assert stream(api, status="draft") == []


def test_editors_see_drafts_and_can_filter_by_status(api, django_user_model):
    from django.contrib.auth.models import Permission

    Statement.objects.filter(slug=PESKOV).update(status=ReviewStatus.DRAFT)
    editor = django_user_model.objects.create_user("timeline-editor", password="pw-for-tests-only")
    editor.user_permissions.set(Permission.objects.filter(codename__in=["view_event", "view_statement"]))
    api.force_authenticate(editor)

    assert stream(api) == STREAM
    assert stream(api, status="draft") == [("statement", PESKOV)]


# --------------------------------------------------------------------------- 400s


def test_an_unknown_parameter_is_a_400_naming_it(api):
    body = bad_request(api, {"speaker": "russia"})

    assert list(body) == ["speaker"]
    assert body["speaker"][0].startswith("unknown parameter; this list takes: actor, actor_mode, conflict,")
    # Parameters of the other lists that the timeline does not take are unknown too.
    assert list(bad_request(api, {"ordering": "-date"})) == ["ordering"]


def test_an_unknown_actor_slug_is_a_400(api):
    body = bad_request(api, {"actor": ["russia", "atlantis"]})

    assert body == {"actor": ["Select a valid choice. atlantis is not one of the available choices."]}


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"date_after": "2017-02-30"}, "date_after"),
        ({"date_after": "04/03/2017"}, "date_after"),  # ISO dates only
        ({"date_after": "2017-03-05", "date_before": "2017-03-01"}, "date_before"),
        ({"date_match": "sometime"}, "date_match"),
        ({"actor_mode": "most"}, "actor_mode"),
        ({"kind": "rumour"}, "kind"),
        ({"type": "picnic"}, "type"),
        ({"precision": "hour"}, "precision"),
        ({"conflict": "atlantis-war"}, "conflict"),
        ({"source": "no-such-source"}, "source"),
        ({"status": "secret"}, "status"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "\u00b2"}, "page_size"),  # a digit to str.isdigit(), not to int()
        ({"actor": "russia\x00"}, "actor"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(api, params, parameter):
    body = bad_request(api, params)

    assert list(body) == [parameter]
    assert all(isinstance(message, str) and message for message in body[parameter])


def test_errors_are_json_whatever_the_format(api):
    for export in ("csv", "timelinejs"):
        body = bad_request(api, {"format": export, "actor": "atlantis"})
        assert list(body) == ["actor"]


# --------------------------------------------------------------------------- pagination


def test_next_links_walk_the_whole_stream_once_in_order(api):
    pages = walk(api, f"{URL}?page_size=5")

    assert [len(page["results"]) for page in pages] == [5, 5, 5, 5, 3]
    served = [(item["kind"], item["slug"]) for page in pages for item in page["results"]]
    assert served == STREAM
    assert len(set(served)) == len(served)
    assert pages[0]["previous"] is None
    assert all(page["previous"] for page in pages[1:])


def test_next_links_keep_the_filters_and_page_size(api):
    first = get_json(api, {"actor": "russia", "page_size": 4})
    query = parse_qs(urlsplit(first["next"]).query)

    assert set(query) == {"actor", "page_size", "cursor"}
    assert (query["actor"], query["page_size"]) == (["russia"], ["4"])
    pages = walk(api, first["next"])
    served = [(item["kind"], item["slug"]) for page in [first, *pages] for item in page["results"]]
    assert served == stream(api, actor="russia")


def test_previous_links_walk_back_over_every_page(api):
    forward = walk(api, f"{URL}?page_size=5")
    backward = walk(api, forward[-1]["previous"], link="previous")

    assert [[item["slug"] for item in page["results"]] for page in reversed(backward)] == [
        [item["slug"] for item in page["results"]] for page in forward[:-1]
    ]
    # A page reached backwards links forward again.
    assert [item["slug"] for item in get_json(api, url=backward[0]["next"])["results"]] == [
        item["slug"] for item in forward[-1]["results"]
    ]


def test_a_tampered_cursor_is_a_400(api):
    next_link = get_json(api, {"page_size": 5})["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]

    body = bad_request(
        api, {"page_size": 5, "cursor": cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")}
    )
    assert list(body) == ["cursor"]
    assert list(bad_request(api, {"cursor": "not-a-cursor"})) == ["cursor"]


def test_a_cursor_of_another_list_is_refused(api):
    events_next = get_json(api, {"page_size": 2}, url="/api/v1/events/")["next"]
    cursor = parse_qs(urlsplit(events_next).query)["cursor"][0]

    assert list(bad_request(api, {"cursor": cursor})) == ["cursor"]


def test_a_cursor_is_signed_and_of_the_lists_form(api):
    next_link = get_json(api, {"page_size": 5})["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]

    data = signing.loads(cursor, salt="events.api.cursor")
    assert set(data) == {"r", "p", "o"}
    assert data["r"] == 0
    # Peskov's statement ends the first page: 2017-03-03 is day 736390 after 0001-01-01,
    # precision rank 0 (a day), a statement ("s").
    assert data["p"].startswith("0736390|0|s")


# --------------------------------------------------------------------------- CSV


def csv_export(api: APIClient, **params) -> tuple[object, str]:
    response = api.get(URL, {"format": "csv", **params})
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response, b"".join(response.streaming_content).decode("utf-8")


def test_csv_streams_every_item_with_a_bom_and_a_header(api):
    response, text = csv_export(api)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="timeline.csv"'
    assert text.startswith("\ufeffkind,slug,date_start,")
    lines = text.splitlines()
    assert len(lines) == 24
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == CSV_HEADER
    assert [(row[0], row[1]) for row in rows[1:]] == STREAM
    assert rows[4] == MOSCOW_ROW


def test_csv_rows_of_statements_and_undated_items(api):
    _, text = csv_export(api)
    rows = {row[1]: row for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")))}

    peskov = dict(zip(CSV_HEADER, rows[PESKOV], strict=True))
    assert peskov["title"] == "Dmitry Peskov"
    assert peskov["type"] == "paraphrase"
    assert peskov["actors"] == "dmitry-peskov:speaker; russia:about; syria:about; united-states:about"
    assert peskov["conflicts"] == "syrian-civil-war"
    assert peskov["location"] == ""
    assert peskov["url"] == f"http://testserver/api/v1/statements/{PESKOV}/"
    interview = dict(zip(CSV_HEADER, rows[INTERVIEW], strict=True))
    assert (interview["date_start"], interview["date_end"], interview["date_precision"]) == (
        "",
        "",
        "unknown",
    )
    assert interview["conflicts"] == "libyan-crisis; syrian-civil-war"


def test_csv_applies_the_filters_and_ignores_paging(api):
    _, text = csv_export(api, actor="russia", page_size=2)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))

    assert [(row[0], row[1]) for row in rows[1:]] == stream(api, actor="russia")


def test_csv_cells_that_look_like_formulas_are_quoted(api):
    Statement.objects.filter(slug=PESKOV).update(text='=HYPERLINK("http://evil.example","click")')
    Event.objects.filter(slug=MOSCOW).update(title="+1 talks", summary="-minus", location="@Moscow")

    _, text = csv_export(api)
    rows = {row[1]: dict(zip(CSV_HEADER, row, strict=True)) for row in csv.reader(io.StringIO(text[1:]))}

    assert rows[PESKOV]["text"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (rows[MOSCOW]["title"], rows[MOSCOW]["text"], rows[MOSCOW]["location"]) == (
        "'+1 talks",
        "'-minus",
        "'@Moscow",
    )


def test_csv_read_in_small_chunks_is_the_same_document(api, monkeypatch):
    _, whole = csv_export(api)
    monkeypatch.setattr(exports, "CSV_CHUNK_SIZE", 2)

    _, chunked = csv_export(api)

    assert chunked == whole


def test_csv_says_how_many_items_it_holds_before_sending_them(api):
    response, text = csv_export(api)

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert response["X-Export-Items"] == str(len(rows) - 1) == "23"


def test_a_csv_export_broader_than_the_limit_is_refused_before_anything_is_sent(api, settings):
    settings.API_EXPORT_MAX_ITEMS = 22

    response = api.get(URL, {"format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "format": [
            "more than 22 items match, and an export holds at most 22: narrow the filters (a date range "
            "with date_after and date_before, an actor, a conflict, a type), or download every record at "
            "once from /api/v1/dump/"
        ]
    }
    narrower, text = csv_export(api, actor="russia")
    assert narrower["X-Export-Items"] == str(len(text.splitlines()) - 1)
    settings.API_EXPORT_MAX_ITEMS = 23
    assert csv_export(api)[0]["X-Export-Items"] == "23"


# --------------------------------------------------------------------------- TimelineJS


def timelinejs(api: APIClient, **params) -> dict:
    response = api.get(URL, {"format": "timelinejs", **params})
    assert response.status_code == 200, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_timelinejs_places_dated_items_and_counts_the_undated(api):
    document = timelinejs(api)
    slides = {slide["unique_id"]: slide for slide in document["events"]}

    assert list(slides) == [f"{kind}-{slug}" for kind, slug in STREAM[:5]]
    assert document["title"]["text"]["headline"] == "Event timeline"
    assert "18 undated items omitted" in document["title"]["text"]["text"]
    assert all(slide["text"]["headline"] for slide in document["events"])

    ceasefire = slides[f"event-{CEASEFIRE}"]
    assert ceasefire["start_date"] == {"year": 2016, "month": 12}
    assert ceasefire["end_date"] == {"year": 2016, "month": 12}
    assert ceasefire["display_date"] == "in December (Dec 2016)"
    assert ceasefire["group"] == "Syrian civil war"

    moscow = slides[f"event-{MOSCOW}"]
    assert moscow["start_date"] == {"year": 2017, "month": 3, "day": 2}
    assert moscow["display_date"] == "on Thursday (Thu 2 Mar 2017)"
    assert moscow["group"] == "Libyan crisis"
    assert moscow["text"]["headline"] == "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow"
    assert moscow["text"]["text"].startswith("<p>Russia hosted UN-recognized Libyan Prime Minister")
    assert "<blockquote>It hosted his rival, Prime Minister Fayez al-Serraj," in moscow["text"]["text"]
    assert "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks</a>" in moscow["text"]["text"]

    week = slides[f"event-{UN_TALKS}"]
    assert week["start_date"] == {"year": 2017, "month": 2, "day": 27}
    assert week["end_date"] == {"year": 2017, "month": 3, "day": 5}
    assert week["display_date"] == "this week (week of 27 Feb 2017)"

    peskov = slides[f"statement-{PESKOV}"]
    assert peskov["text"]["headline"] == "Dmitry Peskov"
    assert peskov["text"]["text"].startswith("<p>There has been &quot;no movement&quot; on anti-terrorism")


def test_timelinejs_leaves_out_group_when_there_is_no_conflict(api):
    Statement.objects.filter(slug=PESKOV).get().conflicts.clear()

    slide = timelinejs(api, kind="statement")["events"][0]
    assert slide["unique_id"] == f"statement-{PESKOV}"
    assert "group" not in slide


def test_timelinejs_year_precision_and_escaping(api):
    Event.objects.filter(slug=CEASEFIRE).update(
        date_precision="year",
        date_start=datetime.date(2016, 1, 1),
        date_end=datetime.date(2016, 12, 31),
        date_text="in 2016",
        title="<script>alert(1)</script>",
    )

    slide = timelinejs(api, type="ceasefire")["events"][0]
    assert slide["start_date"] == slide["end_date"] == {"year": 2016}
    assert slide["display_date"] == "in 2016 (2016)"
    assert slide["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


MARKUP = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
LABEL = "\u2039img src=x onerror=alert(1)\u203a"


@pytest.fixture
def markup_everywhere(db):
    """A published event and statement holding markup in every text TimelineJS shows."""
    source = Source.objects.create(
        slug="markup-source",
        title=f"Title {MARKUP}",
        publisher="Publisher",
        published_on=datetime.date(2017, 3, 3),
        language="en",
        text=f"The words {MARKUP} of the source.",
    )
    conflict = Conflict.objects.create(slug="markup-conflict", name=f"War {MARKUP}")
    speaker = Actor.objects.create(slug="markup-speaker", name=f"Speaker {MARKUP}", kind="person")
    event = Event.objects.create(
        slug="markup-event",
        title=f"Talks {MARKUP}",
        summary=f"Summary {MARKUP}",
        type=EventType.TALKS,
        location=f"Place {MARKUP}",
        date_text=f"on {MARKUP} Thursday",
        date_start=datetime.date(2017, 3, 2),
        date_end=datetime.date(2017, 3, 2),
        date_precision="day",
        status=ReviewStatus.PUBLISHED,
    )
    event.conflicts.add(conflict)
    statement = Statement.objects.create(
        slug="markup-statement",
        speaker=speaker,
        kind=StatementKind.PARAPHRASE,
        text=f"Said {MARKUP}",
        date_text=f"said {MARKUP} Friday",
        date_start=datetime.date(2017, 3, 3),
        date_end=datetime.date(2017, 3, 3),
        date_precision="day",
        status=ReviewStatus.PUBLISHED,
    )
    statement.conflicts.add(conflict)
    excerpt = f"words {MARKUP} of"
    start = source.text.index(excerpt)
    for record in ({"event": event}, {"statement": statement}):
        Citation.objects.create(
            source=source, excerpt=excerpt, start_offset=start, end_offset=start + len(excerpt), **record
        )


def test_timelinejs_carries_no_markup_from_the_data(api, markup_everywhere):
    response = api.get(URL, {"format": "timelinejs", "source": "markup-source"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<img" not in body
    slides = response.json()["events"]
    assert len(slides) == 2
    for slide in slides:
        # Labels: angle brackets become guillemets (TimelineJS 3.9 decodes labels before
        # setting them as HTML, so an escaped bracket would become an element there).
        assert LABEL in slide["display_date"]
        assert slide["group"] == f"War {LABEL}"
        assert ESCAPED in slide["text"]["headline"]
        # The text's own markup (paragraphs, quoted excerpts, links) stays; the data's is escaped.
        assert slide["text"]["text"].count(ESCAPED) == 3  # the body, the excerpt, the source's title
        assert slide["text"]["text"].startswith("<p>")


def test_timelinejs_applies_the_filters(api):
    document = timelinejs(api, actor="russia")

    assert [slide["unique_id"] for slide in document["events"]] == [
        f"event-{CEASEFIRE}",
        f"event-{UN_TALKS}",
        f"event-{MOSCOW}",
        f"statement-{PESKOV}",
    ]
    assert "11 undated items omitted" in document["title"]["text"]["text"]


# --------------------------------------------------------------------------- query counts


@pytest.fixture
def many_items():
    """60 more events and 60 more statements, dated one a day through 2015, each cited."""
    source = Source.objects.get(slug=SOURCE)
    passage = Citation.objects.get(event__slug=MOSCOW)  # a real excerpt of the source
    russia, turkey = Actor.objects.get(slug="russia"), Actor.objects.get(slug="turkey")
    libya = Conflict.objects.get(slug="libyan-crisis")

    def dated(i: int) -> dict:
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=i)
        return {"date_start": day, "date_end": day, "date_precision": "day", "status": ReviewStatus.PUBLISHED}

    events = Event.objects.bulk_create(
        Event(slug=f"bulk-event-{i:03}", title=f"Bulk event {i}", type=EventType.TALKS, **dated(i))
        for i in range(60)
    )
    statements = Statement.objects.bulk_create(
        Statement(
            slug=f"bulk-statement-{i:03}",
            speaker=turkey,
            kind=StatementKind.PARAPHRASE,
            text=f"Said {i}",
            **dated(i),
        )
        for i in range(60)
    )
    EventParticipant.objects.bulk_create(
        EventParticipant(event=event, actor=actor, role=ParticipantRole.PARTY)
        for event in events
        for actor in (russia, turkey)
    )
    Event.conflicts.through.objects.bulk_create(
        Event.conflicts.through(event=event, conflict=libya) for event in events
    )
    Statement.about.through.objects.bulk_create(
        Statement.about.through(statement=statement, actor=russia) for statement in statements
    )
    Statement.conflicts.through.objects.bulk_create(
        Statement.conflicts.through(statement=statement, conflict=libya) for statement in statements
    )
    passage_fields = {"source": source, "excerpt": passage.excerpt, "start_offset": passage.start_offset}
    Citation.objects.bulk_create(
        [Citation(event=event, end_offset=passage.end_offset, **passage_fields) for event in events]
        + [
            Citation(statement=statement, end_offset=passage.end_offset, **passage_fields)
            for statement in statements
        ]
    )
    return 23 + 120


# Per page: one query, the union of the events' and the statements' first rows past the
# cursor, each item's JSON (related records included) built by PostgreSQL.
PAGE_QUERIES = 1
# With actor and conflict given: each slug parameter is checked once.
FILTER_QUERIES = 2


@pytest.mark.parametrize("page_size", [5, 500])
def test_a_page_runs_the_same_queries_whatever_its_size(
    api, many_items, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(PAGE_QUERIES):
        body = get_json(api, {"page_size": page_size})

    assert len(body["results"]) == min(page_size, many_items)
    assert {item["kind"] for item in body["results"]} == {"event", "statement"}


@pytest.mark.parametrize("page_size", [5, 500])
def test_a_filtered_page_runs_the_same_queries_whatever_its_size(
    api, many_items, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(PAGE_QUERIES + FILTER_QUERIES):
        body = get_json(api, {"page_size": page_size, "actor": "russia", "conflict": "libyan-crisis"})

    # 120 bulk items plus the Moscow talks and four statements of the seed article.
    assert len(body["results"]) == min(page_size, 125)


def test_a_later_page_runs_the_same_queries(api, many_items, django_assert_max_num_queries):
    next_link = get_json(api, {"page_size": 100})["next"]

    with django_assert_max_num_queries(PAGE_QUERIES):
        body = get_json(api, url=next_link)

    assert len(body["results"]) == many_items - 100
    assert body["next"] is None


def test_the_csv_export_runs_two_queries_per_table(api, many_items, django_assert_num_queries):
    # Each table is counted (at most the export limit's rows) and read through one
    # server-side cursor, in chunks, whatever the export's length; the snapshot they share
    # is a savepoint here, inside the test's transaction.
    with django_assert_num_queries(2 * 2 + 2):
        _, text = csv_export(api)

    assert len(text.splitlines()) == 1 + many_items


def test_the_timelinejs_export_runs_a_fixed_number_of_queries(api, many_items, django_assert_num_queries):
    # Dated items of both tables, as documents, and a count of each table's undated items.
    with django_assert_num_queries(2 + 2):
        document = timelinejs(api)

    assert len(document["events"]) == 120 + 5
    assert "18 undated items omitted" in document["title"]["text"]["text"]


def test_timelinejs_is_capped(api, many_items, monkeypatch):
    monkeypatch.setattr(exports, "TIMELINEJS_MAX_ITEMS", 10)

    document = timelinejs(api)

    assert len(document["events"]) == 10
    assert "only the first 10 dated items are shown" in document["title"]["text"]["text"]


def test_a_csv_export_holds_the_items_it_counted_while_others_write(api):
    """The count in X-Export-Items and the rows are one snapshot: a change committed meanwhile is in neither.

    The export runs on a thread of its own, so on a connection of its own, outside this
    test's transaction (as in production); the change is committed by a third connection
    between the count and the first row, and undone at the end.
    """
    import threading

    from django.db import connections

    writer = connect(autocommit=True)
    counted, written, result = threading.Event(), threading.Event(), {}

    def export():
        try:
            response = APIClient().get(URL, {"format": "csv"})  # counted; no row read yet
            counted.set()
            written.wait(10)
            result["header"] = response["X-Export-Items"]
            result["text"] = b"".join(response.streaming_content).decode("utf-8")
        finally:
            counted.set()
            connections.close_all()

    thread = threading.Thread(target=export)
    try:
        thread.start()
        counted.wait(10)
        writer.execute("UPDATE events_event SET slug = 'renamed-meanwhile' WHERE slug = %s", [MOSCOW])
        written.set()
        thread.join(10)
    finally:
        writer.execute("UPDATE events_event SET slug = %s WHERE slug = 'renamed-meanwhile'", [MOSCOW])
        writer.close()

    rows = list(csv.reader(io.StringIO(result["text"].removeprefix("\ufeff"))))[1:]
    assert result["header"] == str(len(rows)) == "23"
    assert MOSCOW in {row[1] for row in rows}
    assert "renamed-meanwhile" not in result["text"]
