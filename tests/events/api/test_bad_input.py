"""Bad query strings: each is a 400 whose JSON names the offending parameter, never a 500.

Decided behaviour, asserted here: an unknown actor, conflict, event or source slug is a
400 ("not one of the available choices"), not an empty list, so a typo is never taken for
"no results"; an unknown parameter is a 400 too, because a misspelt filter would
otherwise silently return everything.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.events.api.conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

EVENT_PARAMETERS = (
    "actor, actor_id, actor_mode, conflict, date_after, date_before, date_match, facet, histogram, "
    "location, ordering, precision, q, role, source, status, type, updated_since"
)
STATEMENT_PARAMETERS = (
    "about, conflict, date_after, date_before, date_match, event, facet, histogram, kind, ordering, "
    "precision, q, source, speaker, status, updated_since"
)
ACTOR_PARAMETERS = "affiliation, conflict, kind, q, updated_since"
CONFLICT_PARAMETERS = "active_on, party, q, updated_since"
SOURCE_PARAMETERS = "language, published_after, published_before, publisher"

INVALID_DATE = ["Enter a valid date."]
INVALID_CURSOR = {"cursor": ["invalid cursor: use the next or previous link of a page"]}
RELEVANCE_NEEDS_Q = {"ordering": ["relevance ordering needs a q search"]}
NULL_CHARACTERS = ["Null characters are not allowed."]


def not_a_choice(value: str) -> list[str]:
    return [f"Select a valid choice. {value} is not one of the available choices."]


def bad_page_size(raw: str) -> dict:
    return {"page_size": [f"must be a whole number from 1 to 500; got {raw!r}"]}


# (endpoint, raw query string, exact 400 body)
BAD_QUERIES = [
    # Dates: malformed, impossible, reversed.
    ("events", "date_after=2017-13-01", {"date_after": INVALID_DATE}),
    ("events", "date_after=yesterday", {"date_after": INVALID_DATE}),
    ("events", "date_before=2017-02-30", {"date_before": INVALID_DATE}),
    # Only the documented YYYY-MM-DD: "04/03/2017" is 4 March to some readers and 3 April to others.
    ("events", "date_after=04/03/2017", {"date_after": INVALID_DATE}),
    ("events", "date_before=Mar%203%202017", {"date_before": INVALID_DATE}),
    ("conflicts", "active_on=03/03/2017", {"active_on": INVALID_DATE}),
    (
        "events",
        "date_after=2017-03-03&date_before=2017-03-01",
        {"date_before": ["must not be before date_after (2017-03-03)"]},
    ),
    (
        "events",
        "date_after=2017-03-03&date_before=2017-03-01&date_match=within",
        {"date_before": ["must not be before date_after (2017-03-03)"]},
    ),
    ("events", "updated_since=garbage", {"updated_since": ["Enter a valid date/time."]}),
    # Choices.
    ("events", "type=picnic", {"type": not_a_choice("picnic")}),
    ("events", "type=talks&type=picnic", {"type": not_a_choice("picnic")}),
    ("events", "date_match=sometimes", {"date_match": not_a_choice("sometimes")}),
    ("events", "actor_mode=some", {"actor_mode": not_a_choice("some")}),
    ("events", "ordering=title", {"ordering": not_a_choice("title")}),
    ("events", "precision=decade", {"precision": not_a_choice("decade")}),
    ("events", "role=spectator", {"role": not_a_choice("spectator")}),
    ("events", "status=secret", {"status": not_a_choice("secret")}),
    ("statements", "kind=rumour", {"kind": not_a_choice("rumour")}),
    ("actors", "kind=rumour", {"kind": not_a_choice("rumour")}),
    # Unknown slugs and ids are a 400, not an empty list.
    ("events", "actor=nobody", {"actor": not_a_choice("nobody")}),
    ("events", "actor=russia&actor=nobody", {"actor": not_a_choice("nobody")}),
    ("events", "conflict=crimea", {"conflict": not_a_choice("crimea")}),
    ("events", "source=nope", {"source": not_a_choice("nope")}),
    ("events", "actor_id=abc", {"actor_id": ["\u201cabc\u201d is not a valid value."]}),
    ("events", "actor_id=99999999999999999999", {"actor_id": not_a_choice("99999999999999999999")}),
    ("statements", "speaker=nobody", {"speaker": not_a_choice("nobody")}),
    ("statements", "about=nobody", {"about": not_a_choice("nobody")}),
    ("statements", "event=nope", {"event": not_a_choice("nope")}),
    ("actors", "affiliation=nobody", {"affiliation": not_a_choice("nobody")}),
    ("actors", "conflict=crimea", {"conflict": not_a_choice("crimea")}),
    ("conflicts", "party=nobody", {"party": not_a_choice("nobody")}),
    # Page sizes.
    ("events", "page_size=abc", bad_page_size("abc")),
    ("events", "page_size=0", bad_page_size("0")),
    ("events", "page_size=-5", bad_page_size("-5")),
    ("events", "page_size=", bad_page_size("")),
    ("events", "page_size=501", bad_page_size("501")),
    ("events", "page_size=10000000000000000000", bad_page_size("10000000000000000000")),
    ("events", "page_size=2.5", bad_page_size("2.5")),
    # A digit to str.isdigit() but not to int(): superscript two.
    ("events", "page_size=%C2%B2", bad_page_size("\u00b2")),
    ("statements", "page_size=0", bad_page_size("0")),
    ("actors", "page_size=501", bad_page_size("501")),
    ("conflicts", "page_size=abc", bad_page_size("abc")),
    ("sources", "page_size=-1", bad_page_size("-1")),
    # Cursors.
    ("events", "cursor=garbage", INVALID_CURSOR),
    ("events", "cursor=", INVALID_CURSOR),
    ("actors", "cursor=garbage", INVALID_CURSOR),
    # Null bytes, in a value and in a parameter's name.
    ("events", "actor=ru%00ssia", {"actor": NULL_CHARACTERS}),
    ("events", "q=ab%00c", {"q": NULL_CHARACTERS}),
    ("events", "location=%00", {"location": NULL_CHARACTERS}),
    ("events", "date_after=2017-03-03%00", {"date_after": INVALID_DATE}),
    ("events", "page_size=%00", {"page_size": ["null characters are not allowed"]}),
    ("events", "cursor=%00", {"cursor": ["null characters are not allowed"]}),
    (
        "events",
        "act%00or=russia",
        {"act\\x00or": [f"unknown parameter; this list takes: {EVENT_PARAMETERS}"]},
    ),
    ("actors", "q=%00", {"q": NULL_CHARACTERS}),
    ("sources", "publisher=Bloom%00berg", {"publisher": NULL_CHARACTERS}),
    # Unknown parameters.
    ("events", "actr=russia", {"actr": [f"unknown parameter; this list takes: {EVENT_PARAMETERS}"]}),
    (
        "statements",
        "actor=russia",
        {"actor": [f"unknown parameter; this list takes: {STATEMENT_PARAMETERS}"]},
    ),
    ("actors", "ordering=name", {"ordering": [f"unknown parameter; this list takes: {ACTOR_PARAMETERS}"]}),
    ("conflicts", "region=Libya", {"region": [f"unknown parameter; this list takes: {CONFLICT_PARAMETERS}"]}),
    ("sources", "text=Kremlin", {"text": [f"unknown parameter; this list takes: {SOURCE_PARAMETERS}"]}),
    # Relevance needs a search to rank by.
    ("events", "ordering=relevance", RELEVANCE_NEEDS_Q),
    ("events", "ordering=relevance&q=", RELEVANCE_NEEDS_Q),
    # A blank search is no search, so there is still nothing to rank by.
    ("events", "ordering=relevance&q=%20%20", RELEVANCE_NEEDS_Q),
    ("statements", "ordering=relevance", RELEVANCE_NEEDS_Q),
    # The other lists' own parameters.
    ("conflicts", "active_on=2017-02-30", {"active_on": INVALID_DATE}),
    ("conflicts", "active_on=soon", {"active_on": INVALID_DATE}),
    ("actors", "updated_since=soon", {"updated_since": ["Enter a valid date/time."]}),
    ("sources", "published_after=yesterday", {"published_after": INVALID_DATE}),
]


@pytest.mark.parametrize(
    ("endpoint", "query", "expected"), BAD_QUERIES, ids=[f"{e}?{q}" for e, q, _ in BAD_QUERIES]
)
def test_bad_query_is_a_400_naming_the_parameter(bad_request, endpoint, query, expected):
    assert bad_request(endpoint, query) == expected


def test_every_bad_parameter_is_reported_at_once(bad_request):
    """A client fixing its query sees all its mistakes in one answer."""
    assert bad_request("events", "actr=russia&type=picnic&date_after=yesterday") == {
        "actr": [f"unknown parameter; this list takes: {EVENT_PARAMETERS}"],
        "type": not_a_choice("picnic"),
        "date_after": INVALID_DATE,
    }


# --- tampered and misused cursors ------------------------------------------------------------


def _cursor(api, path: str, **params) -> str:
    """The raw cursor of the `next` link of `path`."""
    next_link = api.get(path, {"page_size": 2, **params}).json()["next"]
    return parse_qs(urlsplit(next_link).query)["cursor"][0]


def _change_one_character(token: str, index: int) -> str:
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


@pytest.mark.parametrize("where", ["payload", "signature"])
def test_a_cursor_with_one_character_changed_is_a_400(api, bad_request, where):
    token = _cursor(api, f"{API}/events/")
    index = 5 if where == "payload" else len(token) - 3

    assert bad_request("events", cursor=_change_one_character(token, index), page_size=2) == INVALID_CURSOR


def test_the_untampered_cursor_works(api):
    token = _cursor(api, f"{API}/events/")

    assert api.get(f"{API}/events/", {"cursor": token, "page_size": 2}).status_code == 200


def test_a_cursor_is_tied_to_its_ordering(api, bad_request):
    """A cursor from the oldest-first list cannot continue a newest-first one."""
    token = _cursor(api, f"{API}/events/", ordering="date")

    assert bad_request("events", cursor=token, ordering="-date") == {
        "cursor": ["this cursor belongs to ordering=date, not -date"]
    }
    assert bad_request("events", cursor=token, ordering="relevance", q="Libya") == {
        "cursor": ["this cursor belongs to ordering=date, not relevance"]
    }


def test_a_cursor_from_another_list_is_refused(api, bad_request):
    token = _cursor(api, f"{API}/actors/")

    assert bad_request("events", cursor=token) == {
        "cursor": ["this cursor belongs to ordering=slug, not date"]
    }


# --- never a 500 ---------------------------------------------------------------------------

# Odd but harmless: each is answered with a page, not an error.
ODD_BUT_VALID = [
    ("events", "q=%29%28%26%7C%21"),
    ("events", "q=" + "a" * 5000),
    ("events", "q=%22unclosed"),
    ("events", "q=-"),
    ("events", "location=%25_%5C"),
    ("events", "date_after=0001-01-01&date_before=9999-12-31"),
    ("events", "page_size=500"),
    ("events", "page_size=1"),
    ("events", "ordering=relevance&q=the"),
    ("statements", "q=%27%3B%20DROP%20TABLE%20events_statement%3B--"),
    ("actors", "q=%5C"),
    ("actors", "q=%27"),
    ("conflicts", "q=%25"),
    ("sources", "publisher=%25"),
]


@pytest.mark.parametrize(
    ("endpoint", "query"), ODD_BUT_VALID, ids=[f"{e}?{q[:40]}" for e, q in ODD_BUT_VALID]
)
def test_odd_but_valid_queries_are_answered(api, endpoint, query):
    response = api.get(f"{API}/{endpoint}/?{query}")

    assert response.status_code == 200, response.content[:500]
    assert set(response.json()) == {"next", "previous", "results"}
