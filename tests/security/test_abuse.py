"""Hostile input: each request is refused with a 4xx and a clear body, or answered harmlessly,
never a 500, never a traceback, and never a change to the database.

Tests run with DEBUG off, as production does, so a body shows exactly what a user would
see. Clients do not re-raise server errors (`raise_request_exception=False`): a 500 is
asserted against like any other answer. Every test compares the row count of every table
before and after.

Where the refusal comes from Django itself rather than the API (too many parameters is
Django's DATA_UPLOAD_MAX_NUMBER_FIELDS), the test asserts what the user sees: Django's
generic 400 page.
"""

import base64
import re
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import DatabaseError, connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.api import filters
from events.api.timeline.filters import TimelineFilter

API = "/api/v1"
CURSOR_SALT = "events.api.cursor"  # events.api.pagination._SALT
LISTS = {
    "events": filters.EventFilter,
    "statements": filters.StatementFilter,
    "actors": filters.ActorFilter,
    "conflicts": filters.ConflictFilter,
    "sources": filters.SourceFilter,
    "timeline": TimelineFilter,
}
# The `o` (ordering name) a cursor of each list carries.
CURSOR_ORDERING = {
    "events": "date",
    "statements": "date",
    "actors": "slug",
    "conflicts": "slug",
    "sources": "slug",
    "timeline": "timeline-date",
}
DETAILS = ("events", "statements", "actors", "conflicts", "sources")
# Free-text filters: metacharacters are searched for literally, and match nothing in the seeds.
TEXT_FILTERS = {"q", "location", "publisher", "language"}
SQL_METACHARACTERS = ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE events_event; --", '"', "*"]
TRACEBACK_MARKERS = (
    "Traceback",
    'File "/',
    "psycopg",
    "django.db",
    "Exception Value",
    "SELECT ",
    "stack depth",
)


@pytest.fixture(autouse=True)
def nothing_changes(request, seeded):
    """The row count of every table is the same after the test as before (the test's own
    superuser, if it has one, is created first)."""
    if "superuser" in request.fixturenames:
        request.getfixturevalue("superuser")
    before = table_counts()
    yield
    assert table_counts() == before


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient(raise_request_exception=False)


@pytest.fixture
def superuser() -> APIClient:
    user = User.objects.create_superuser("abuse-root", "abuse-root@example.org", "pw-for-tests-only")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def send(client: APIClient, url: str, method: str = "get", **kwargs):
    """One request, as its own savepoint (as autocommit makes it its own transaction in
    production): a database error inside it cannot poison the test's transaction, so the
    table counts can still be read; nothing it did is hidden."""
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            transaction.set_rollback(True)
    return response


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_no_traceback(response) -> None:
    text = body_text(response)
    assert not [marker for marker in TRACEBACK_MARKERS if marker in text], text[:500]


def assert_refused(response, status: int | tuple[int, ...] = 400, key: str | None = None) -> dict:
    """A 4xx (the given one) with a JSON object body that says what is wrong, and no traceback."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, body_text(response)[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and body, body
    if key is not None:
        assert key in body, body
    assert_no_traceback(response)
    return body


def assert_empty_page(response) -> None:
    assert response.status_code == 200, (response.status_code, body_text(response)[:500])
    assert response.json()["results"] == []
    assert_no_traceback(response)


def parameters_of(route: str) -> list[str]:
    return sorted(LISTS[route].base_filters) + ["cursor", "page_size"]


def test_debug_is_off():
    assert settings.DEBUG is False


# -- oversized input ----------------------------------------------------------------------------

OVERSIZED = [
    ("events", "q", "a" * 100_000),
    ("events", "q", "a b " * 25_000),
    ("timeline", "q", "a b " * 25_000),
    ("statements", "q", "peace " * 20_000),
    ("events", "location", "a" * 100_000),
    ("actors", "q", "a" * 100_000),
    ("conflicts", "q", "a" * 100_000),
    ("sources", "publisher", "a" * 100_000),
]


@pytest.mark.parametrize(
    ("route", "name", "value"), OVERSIZED, ids=[f"{r}-{n}-{len(v) // 1000}KB" for r, n, v in OVERSIZED]
)
def test_an_oversized_value_is_refused(anonymous, route, name, value):
    """A 100 KB filter value is a 400 naming the parameter (or a 414), not a search.

    Today the app has no limit: a long single word is searched (200), and a `q` of some
    25,000 words makes PostgreSQL overflow its stack ("stack depth limit exceeded"), which
    the database-unavailable middleware turns into a 503 "try again shortly".
    """
    response = send(anonymous, f"{API}/{route}/", data={name: value})
    body = assert_refused(response, (400, 414))
    if response.status_code == 400:
        assert name in body


def test_an_oversized_unknown_parameter_is_refused(anonymous):
    assert_refused(send(anonymous, f"{API}/events/", data={"x": "a" * 100_000}), key="x")


# -- many parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "&".join(["actor=russia"] * 5000),
        "&".join(f"p{n}=1" for n in range(5000)),
        "&".join(["q=a"] * 1001),
    ],
    ids=["actor=russia x5000", "5000 names", "q x1001"],
)
def test_thousands_of_parameters_are_django_s_400(anonymous, query):
    """Over DATA_UPLOAD_MAX_NUMBER_FIELDS (1000): Django's own 400, a plain page with no detail."""
    response = send(anonymous, f"{API}/events/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Bad Request (400)" in body_text(response)
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" not in body_text(response)
    assert_no_traceback(response)


def test_just_under_the_parameter_limit_is_answered(anonymous):
    response = send(anonymous, f"{API}/events/?" + "&".join(["actor=russia"] * 999))
    assert response.status_code == 200
    assert response.json()["results"]


# -- SQL metacharacters and null bytes in every parameter ---------------------------------------


@pytest.mark.parametrize("value", SQL_METACHARACTERS)
@pytest.mark.parametrize("route", LISTS)
def test_sql_metacharacters_in_every_parameter(anonymous, route, value):
    """Free-text filters search for the characters literally (no match in the seeds) or refuse
    a value longer than the field; every other parameter refuses them with a 400 naming it.
    None is ever run as SQL."""
    for name in parameters_of(route):
        response = send(anonymous, f"{API}/{route}/", data={name: value})
        if name in TEXT_FILTERS and response.status_code == 200:
            assert_empty_page(response)
        else:
            assert_refused(response, key=name)
    assert_refused(send(anonymous, f"{API}/{route}/", data={value: "x"}))  # as a parameter name


@pytest.mark.parametrize("route", LISTS)
def test_null_bytes_in_every_value_and_name(anonymous, route):
    for name in parameters_of(route):
        for value in ("\x00", "a\x00b", "russia\x00"):
            assert_refused(send(anonymous, f"{API}/{route}/?{quote(name)}={quote(value)}"), key=name)
    body = assert_refused(send(anonymous, f"{API}/{route}/?na%00me=x"))
    assert list(body) == ["na\\x00me"]


# Write bodies: every slug that names a related record, with a null byte in it.
NULL_IN_REFERENCES = [
    ("events", {"conflicts": ["syrian-civil-war\x00"]}),
    ("events", {"participants": [{"actor": "russia\x00", "role": "host"}]}),
    ("events", {"citations": [{"source": "bloomberg\x00", "excerpt": "Peskov"}]}),
    ("statements", {"speaker": "dmitry-peskov\x00"}),
    ("statements", {"occasion": "x\x00"}),
    ("statements", {"about": ["russia\x00"]}),
    ("actors", {"affiliation": "russia\x00"}),
    ("conflicts", {"parties": ["russia\x00"]}),
    ("actors", {"name": "Name\x00"}),
]


@pytest.mark.parametrize(
    ("route", "change"), NULL_IN_REFERENCES, ids=[f"{r}.{next(iter(c))}" for r, c in NULL_IN_REFERENCES]
)
def test_null_bytes_in_write_bodies_are_a_400(superuser, route, change):
    """Even for a superuser: a slug with a null byte is a 400 naming the field, not a 500
    (PostgreSQL cannot compare text with NUL, so the lookup must not reach it)."""
    slug = {"events": "islamic-state-foothold-libya", "statements": "gatilov-active-us-role"}.get(
        route, {"actors": "russia", "conflicts": "libyan-crisis"}.get(route)
    )
    response = send(superuser, f"{API}/{route}/{slug}/", "patch", data=change, format="json")
    assert_refused(response, key=next(iter(change)))


def test_a_mapping_where_a_list_of_slugs_belongs_is_a_400(superuser):
    """`{"parties": {"russia": 1}}` must not be read as the list of its keys."""
    before = list(superuser.get(f"{API}/conflicts/libyan-crisis/").json()["parties"])
    response = send(
        superuser, f"{API}/conflicts/libyan-crisis/", "patch", data={"parties": {"russia": 1}}, format="json"
    )
    assert_refused(response, key="parties")
    assert superuser.get(f"{API}/conflicts/libyan-crisis/").json()["parties"] == before


def test_anonymous_hostile_writes_change_nothing(anonymous):
    for route in DETAILS:
        response = send(
            anonymous, f"{API}/{route}/", "post", data={"slug": "x' OR 1=1 --", "name": "\x00"}, format="json"
        )
        assert_refused(response, 401)


# -- odd slugs on detail routes ---------------------------------------------------------------------

ODD_SLUGS = {
    "emoji": "%F0%9F%92%A5",
    "right-to-left-mark": "%E2%80%8Fabc",
    "right-to-left-override": "abc%E2%80%AEcba",
    "combining-accent": "e%CC%81",
    "zero-width-space": "rus%E2%80%8Bsia",
    "fullwidth": "%EF%BD%92%EF%BD%95%EF%BD%93%EF%BD%93%EF%BD%89%EF%BD%81",
    "10k-characters": "a" * 10_000,
    "sql": quote("' OR '1'='1"),
    "percent": "%25",
    "space": "a%20b",
    "invalid-utf8": "%C0%AF",
    "null-byte": "%00",
    "null-inside": "rus%00sia",
    "trailing-dot": "russia.",
    "dot-dot": "..",
}


@pytest.mark.parametrize("slug", ODD_SLUGS.values(), ids=ODD_SLUGS.keys())
@pytest.mark.parametrize("route", DETAILS)
def test_odd_slugs_are_a_json_404(anonymous, route, slug):
    body = assert_refused(send(anonymous, f"{API}/{route}/{slug}/"), 404)
    assert list(body) == ["detail"]


@pytest.mark.parametrize("slug", ["%F0%9F%92%A5", "a" * 10_000, "%00", "rus%00sia", "russia."])
@pytest.mark.parametrize("route", DETAILS)
def test_odd_slugs_are_a_json_404_for_writes_too(superuser, route, slug):
    for method in ("put", "patch", "delete"):
        assert_refused(send(superuser, f"{API}/{route}/{slug}/", method, data={}, format="json"), 404)


def test_unknown_api_paths_are_a_json_404(anonymous):
    assert_refused(send(anonymous, f"{API}/no-such-list/"), 404)


# -- page sizes -------------------------------------------------------------------------------------

BAD_PAGE_SIZES = [
    "501",
    "1000000",
    "1" + "0" * 100,
    "-1",
    "0",
    "1e3",
    "0x10",
    "\u0661\u0660",
    " 5",
    "5.0",
    "",
]


@pytest.mark.parametrize("size", BAD_PAGE_SIZES[:-1], ids=repr)
@pytest.mark.parametrize("route", LISTS)
def test_page_sizes_out_of_range_are_a_400(anonymous, route, size):
    body = assert_refused(send(anonymous, f"{API}/{route}/", data={"page_size": size}), key="page_size")
    assert len(body["page_size"][0]) < 200  # the echoed value is cut short


@pytest.mark.parametrize("route", LISTS)
def test_the_largest_page_size_is_answered(anonymous, route):
    response = send(anonymous, f"{API}/{route}/", data={"page_size": "500"})
    assert response.status_code == 200


# -- forged cursors -----------------------------------------------------------------------------------


def signed(payload, key: str | None = None) -> str:
    return signing.dumps(payload, salt=CURSOR_SALT, key=key)


@pytest.mark.parametrize("route", LISTS)
def test_forged_cursors_are_a_400(anonymous, route):
    payload = {"r": 0, "p": "2017-03-03|1|e00000000000000000001", "o": CURSOR_ORDERING[route]}
    real = signed(payload)  # what a next link carries (sources has a single page: no link to take)
    assert anonymous.get(f"{API}/{route}/", {"cursor": real}).status_code == 200
    value, stamp, signature = real.split(":")
    forged = {
        "random base64": base64.urlsafe_b64encode(b"\x8f\x00garbage" * 8).decode(),
        "random base64 with colons": "eyJyIjowfQ:1abc:" + "A" * 43,
        "real payload, other key": signed(payload, key="not-the-secret-key"),
        "injected position, other key": signed({**payload, "p": "' OR 1=1 --"}, key="not-the-secret-key"),
        "injected position, real signature": signing.b64_encode(
            b'{"r":0,"p":"\' OR 1=1 --","o":"' + payload["o"].encode() + b'"}'
        ).decode()
        + f":{stamp}:{signature}",
        "truncated": real[:-5],
        "signature only": signature,
        "doubled": real + real,
        "huge": "A" * 50_000,
        "not a dict": signed([1, 2, 3]),
        "missing keys": signed({"p": "x"}),
        "another list's ordering": signed({**payload, "o": "other"}),
    }
    for name, cursor in forged.items():
        response = send(anonymous, f"{API}/{route}/", data={"cursor": cursor, "page_size": 1})
        body = assert_refused(response, key="cursor")
        assert "SELECT" not in str(body), name


ABSURD_POSITIONS = {
    "sql": "' OR 1=1 --",
    "null byte": "\x00",
    "null inside": "2017\x00",
    "empty": "",
    "10k characters": "z" * 10_000,
    "past the end": "\uffff" * 8,
    "before the start": "\x01",
    "a number": 12345,
    "null": None,
    "an object": {"p": 1},
    "surrogate-free astral": "\U0010ffff",
}


@pytest.mark.parametrize("reverse", [0, 1], ids=["next", "previous"])
@pytest.mark.parametrize("position", ABSURD_POSITIONS.values(), ids=ABSURD_POSITIONS.keys())
@pytest.mark.parametrize("route", LISTS)
def test_absurd_positions_in_validly_signed_cursors_never_fail(anonymous, route, position, reverse):
    """As if the secret key had leaked: a signed cursor may point anywhere, but the answer is
    still a page (perhaps empty) or a 400, never a 500."""
    cursor = signed({"r": reverse, "p": position, "o": CURSOR_ORDERING[route]})
    response = send(anonymous, f"{API}/{route}/", data={"cursor": cursor, "page_size": 5})
    if response.status_code == 200:
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        assert_no_traceback(response)
    else:
        assert_refused(response, key="cursor")


@pytest.mark.parametrize("route", LISTS)
def test_a_cursor_past_the_end_is_an_empty_last_page(anonymous, route):
    cursor = signed({"r": 0, "p": "\uffff" * 8, "o": CURSOR_ORDERING[route]})
    response = send(anonymous, f"{API}/{route}/", data={"cursor": cursor})
    assert_empty_page(response)
    assert response.json()["next"] is None


# -- deep pagination --------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", LISTS)
def test_following_next_links_one_item_at_a_time_reaches_the_end(anonymous, route):
    everything = [
        item["slug"] for item in anonymous.get(f"{API}/{route}/", {"page_size": 500}).json()["results"]
    ]
    seen, url, pages = [], f"{API}/{route}/?{urlencode({'page_size': 1})}", 0
    while url and pages <= len(everything) + 1:
        response = send(anonymous, url)
        assert response.status_code == 200
        body = response.json()
        seen += [item["slug"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    assert url is None, "the walk did not end"
    assert seen == everything
    # And back again with the previous links, from the last page.
    back, url = [], response.json()["previous"]
    while url and len(back) <= len(everything):
        body = send(anonymous, url).json()
        back = [item["slug"] for item in body["results"]] + back
        url = body["previous"]
    assert back == everything[:-1]


def test_cursor_links_carry_nothing_but_the_cursor_and_the_query(anonymous):
    link = anonymous.get(f"{API}/events/", {"page_size": 1, "actor": "russia"}).json()["next"]
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"actor", "cursor", "page_size"}
    assert re.fullmatch(r"[A-Za-z0-9_\-:]+", query["cursor"][0])
