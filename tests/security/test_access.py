"""Who may do what: every API route and method × every kind of caller, the admin, CSRF,
what public answers must never contain, ordering, and throttling.

Callers (API requests authenticate with a token, as a script would):

- anonymous: no credentials;
- reader: a signed-in account with no permission at all;
- editor: the "Editors" group (view, add, change, delete every timeline record; may not
  publish), the role the admin gives curators;
- superuser.

Expected: everyone reads published records (lists 200, details 200); drafts are a 404 (not
a 403: their existence is not revealed) to anonymous callers and readers; writes are 401
anonymously (with WWW-Authenticate), 403 for readers, 2xx for editors and superusers with
valid payloads, and a refused write changes nothing.
"""

import json
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from events.models import Actor, Conflict, Event, Source, Statement
from events.sorting import ORDERINGS

API = "/api/v1"
SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
CALLERS = ("anonymous", "reader", "editor", "superuser")
RESOURCES = ("events", "statements", "actors", "conflicts", "sources")
MODELS = {"events": Event, "statements": Statement, "actors": Actor, "conflicts": Conflict, "sources": Source}
# A published record of each kind, from the seeds.
PUBLISHED = {
    "events": "ceasefire-syria-russia-turkey-2016-12",
    "statements": "gatilov-active-us-role",
    "actors": "russia",
    "conflicts": "syrian-civil-war",
    "sources": SOURCE,
}
DRAFTS = {"events": "moscow-talks-russia-serraj-2017-03-02", "statements": "peskov-no-movement-2017-03-03"}
READ_ONLY_ROUTES = (f"{API}/timeline/", f"{API}/schema/", f"{API}/docs/")

# Valid write payloads, one per resource: what an editor's script would send.
CREATE = {
    "events": {
        "slug": "access-kremlin-statement",
        "title": "Kremlin says there is no movement on anti-terrorism cooperation",
        "type": "other",
        "date": {"text": "said Friday"},
        "participants": [{"actor": "dmitry-peskov", "role": "participant"}],
        "citations": [
            {
                "source": SOURCE,
                "excerpt": 'said Friday there has been "no movement" on anti-terrorism cooperation',
            }
        ],
        "status": "draft",
    },
    "statements": {
        "slug": "access-peskov-paraphrase",
        "speaker": "dmitry-peskov",
        "kind": "paraphrase",
        "text": "The Kremlin sees no progress on cooperation.",
        "date": {"text": "said Friday"},
        "citations": [{"source": SOURCE, "excerpt": "Kremlin spokesman Dmitry Peskov said Friday"}],
        "status": "draft",
    },
    "actors": {"slug": "access-actor", "name": "Access Actor", "kind": "person"},
    "conflicts": {"slug": "access-conflict", "name": "Access conflict", "parties": ["russia"]},
    "sources": {
        "slug": "access-source",
        "title": "Access source",
        "publisher": "Nobody",
        "published_on": "2017-03-03",
        "language": "en",
        "text": "A short text.",
    },
}
# The field each update changes, and its new value.
CHANGE = {
    "events": ("title", "Kremlin: still no movement"),
    "statements": ("text", "The Kremlin still sees no progress."),
    "actors": ("name", "Renamed Actor"),
    "conflicts": ("name", "Renamed conflict"),
    "sources": ("title", "Renamed source"),
}
REFUSED = {"anonymous": 401, "reader": 403}
# Keys and values that are internal: never in a public answer.
INTERNAL_KEYS = {
    "email",
    "password",
    "username",
    "user",
    "user_id",
    "reviewed_by",
    "reviewed_by_id",
    "reviewed_at",
    "published_by",
    "published_by_id",
    "published_at",
    "created_by",
    "history_user",
    "history_user_id",
    "is_staff",
    "is_superuser",
    "last_login",
    "version",
}


@pytest.fixture
def people(seeded) -> dict[str, User]:
    reader = User.objects.create_user("access-reader", "reader@access.example", "pw-for-tests-only")
    editor = User.objects.create_user("access-editor", "editor@access.example", "pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editors"))
    superuser = User.objects.create_superuser(
        "access-root", "root-secret@access.example", "pw-for-tests-only"
    )
    return {"reader": reader, "editor": editor, "superuser": superuser}


def token_client(user: User | None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def clients(people) -> dict[str, APIClient]:
    return {"anonymous": token_client(None), **{name: token_client(user) for name, user in people.items()}}


@pytest.fixture
def drafts(seeded) -> dict[str, str]:
    Event.objects.filter(slug=DRAFTS["events"]).update(status="draft")
    Statement.objects.filter(slug=DRAFTS["statements"]).update(status="draft")
    return DRAFTS


@pytest.fixture
def made(clients) -> dict[str, str]:
    """One unreferenced record of each kind, created through the API by the superuser."""
    for resource, payload in CREATE.items():
        response = clients["superuser"].post(f"{API}/{resource}/", payload, format="json")
        assert response.status_code == 201, (resource, response.content[:300])
    return {resource: payload["slug"] for resource, payload in CREATE.items()}


def json_of(response):
    assert response["Content-Type"].startswith("application/json"), (
        response.status_code,
        response.content[:200],
    )
    return response.json()


def assert_refused(response, caller: str) -> None:
    assert response.status_code == REFUSED[caller], (response.status_code, response.content[:300])
    assert "detail" in json_of(response)
    if caller == "anonymous":
        assert response["WWW-Authenticate"].startswith("Token")


# -- reads --------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_lists_and_published_details_are_open_to_everyone(clients, caller, resource):
    client = clients[caller]
    listed = client.get(f"{API}/{resource}/")
    assert listed.status_code == 200
    assert json_of(listed)["results"]
    detail = client.get(f"{API}/{resource}/{PUBLISHED[resource]}/")
    assert detail.status_code == 200
    assert json_of(detail)["slug"] == PUBLISHED[resource]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", READ_ONLY_ROUTES)
def test_timeline_schema_and_docs_are_open_to_everyone(clients, caller, route):
    assert clients[caller].get(route).status_code == 200


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", ["events", "statements"])
def test_drafts_are_a_404_to_the_public_and_visible_to_editors(clients, drafts, caller, resource):
    client, slug = clients[caller], drafts[resource]
    can_see = caller in ("editor", "superuser")
    detail = client.get(f"{API}/{resource}/{slug}/")
    assert detail.status_code == (200 if can_see else 404)  # 404, not 403: existence is not revealed
    assert "detail" in json_of(detail) or can_see
    listed = [
        item["slug"] for item in json_of(client.get(f"{API}/{resource}/", {"page_size": 500}))["results"]
    ]
    assert (slug in listed) is can_see
    asked = json_of(client.get(f"{API}/{resource}/", {"status": "draft"}))["results"]
    assert [item["slug"] for item in asked] == ([slug] if can_see else [])
    timeline = json_of(client.get(f"{API}/timeline/", {"page_size": 500}))["results"]
    assert (slug in [item["slug"] for item in timeline]) is can_see


@pytest.mark.parametrize("caller", CALLERS)
def test_the_csv_and_timelinejs_exports_hide_drafts_from_the_public(clients, drafts, caller):
    client = clients[caller]
    can_see = caller in ("editor", "superuser")
    csv = client.get(f"{API}/timeline/", {"format": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8")
    assert (drafts["events"] in text) is can_see
    assert (drafts["statements"] in text) is can_see
    document = client.get(f"{API}/timeline/", {"format": "timelinejs"})
    assert document.status_code == 200
    assert (drafts["events"] in document.content.decode()) is can_see


def test_a_bad_token_is_a_401_not_an_anonymous_read(seeded):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(f"{API}/events/")
    assert response.status_code == 401
    assert json_of(response) == {"detail": "Invalid token."}


# -- writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_create(clients, caller, resource):
    response = clients[caller].post(f"{API}/{resource}/", CREATE[resource], format="json")
    exists = MODELS[resource].objects.filter(slug=CREATE[resource]["slug"]).exists()
    if caller in REFUSED:
        assert_refused(response, caller)
        assert not exists
    else:
        assert response.status_code == 201, response.content[:500]
        assert json_of(response)["slug"] == CREATE[resource]["slug"]
        assert exists


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_full_update(clients, made, caller, resource):
    field, value = CHANGE[resource]
    response = clients[caller].put(
        f"{API}/{resource}/{made[resource]}/", {**CREATE[resource], field: value}, format="json"
    )
    stored = getattr(MODELS[resource].objects.get(slug=made[resource]), field)
    if caller in REFUSED:
        assert_refused(response, caller)
        assert stored == CREATE[resource][field]
    else:
        assert response.status_code == 200, response.content[:500]
        assert stored == value


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_partial_update(clients, made, caller, resource):
    field, value = CHANGE[resource]
    response = clients[caller].patch(f"{API}/{resource}/{made[resource]}/", {field: value}, format="json")
    stored = getattr(MODELS[resource].objects.get(slug=made[resource]), field)
    if caller in REFUSED:
        assert_refused(response, caller)
        assert stored != value
    else:
        assert response.status_code == 200, response.content[:500]
        assert stored == value


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_delete(clients, made, caller, resource):
    response = clients[caller].delete(f"{API}/{resource}/{made[resource]}/")
    exists = MODELS[resource].objects.filter(slug=made[resource]).exists()
    if caller in REFUSED:
        assert_refused(response, caller)
        assert exists
    else:
        assert response.status_code == 204, response.content[:500]
        assert not exists


@pytest.mark.parametrize("caller", ["anonymous", "reader"])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_writes_to_published_seed_records_are_refused(clients, caller, method, resource):
    slug = PUBLISHED[resource]
    before = MODELS[resource].objects.get(slug=slug)
    response = getattr(clients[caller], method)(
        f"{API}/{resource}/{slug}/", {CHANGE[resource][0]: CHANGE[resource][1]}, format="json"
    )
    assert_refused(response, caller)
    after = MODELS[resource].objects.get(slug=slug)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


@pytest.mark.parametrize("caller", ["anonymous", "reader"])
def test_writes_to_a_draft_are_refused_without_revealing_it(clients, drafts, caller):
    """The permission check comes first: a draft and a missing slug get the same 401/403."""
    for slug in (drafts["events"], "no-such-event"):
        assert_refused(clients[caller].patch(f"{API}/events/{slug}/", {"title": "x"}, format="json"), caller)
        assert_refused(clients[caller].delete(f"{API}/events/{slug}/"), caller)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", READ_ONLY_ROUTES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_routes_refuse_writes(clients, caller, route, method):
    response = getattr(clients[caller], method)(route, {"x": 1}, format="json")
    assert response.status_code == 405, (response.status_code, response.content[:200])


@pytest.mark.parametrize("resource", ["events", "statements"])
def test_editors_without_the_publish_permission_cannot_publish_through_the_api(clients, drafts, resource):
    """The "Editors" group curates but may not publish (events.review, the admin's rule).

    The API must hold the same rule: a PATCH of `status` to "published" (or a create
    that says so) by an editor is refused, and the draft stays a draft.
    """
    slug = drafts[resource]
    response = clients["editor"].patch(f"{API}/{resource}/{slug}/", {"status": "published"}, format="json")
    assert response.status_code in (400, 403), response.content[:300]
    assert MODELS[resource].objects.get(slug=slug).status == "draft"
    created = clients["editor"].post(
        f"{API}/{resource}/", {**CREATE[resource], "status": "published"}, format="json"
    )
    assert created.status_code in (400, 403), created.content[:300]
    assert not MODELS[resource].objects.filter(slug=CREATE[resource]["slug"], status="published").exists()


# -- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def session_editor(people) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    # django-axes checks every password login against its client's lockout, so it needs the
    # request; the test client's login has none of its own.
    assert client.login(request=HttpRequest(), username="access-editor", password="pw-for-tests-only")
    return client


@pytest.mark.parametrize("resource", RESOURCES)
def test_session_writes_without_a_csrf_token_are_refused(session_editor, resource):
    response = session_editor.post(f"{API}/{resource}/", CREATE[resource], format="json")
    assert response.status_code == 403
    assert json_of(response)["detail"].startswith("CSRF Failed")
    assert not MODELS[resource].objects.filter(slug=CREATE[resource]["slug"]).exists()
    slug = PUBLISHED[resource]
    before = MODELS[resource].objects.get(slug=slug).version
    field, value = CHANGE[resource]
    assert session_editor.patch(f"{API}/{resource}/{slug}/", {field: value}, format="json").status_code == 403
    assert session_editor.delete(f"{API}/{resource}/{slug}/").status_code == 403
    assert MODELS[resource].objects.get(slug=slug).version == before


def test_session_writes_with_the_csrf_token_are_accepted(session_editor):
    """The refusal above is the CSRF check, not the session: with the token the same write passes."""
    session_editor.get("/admin/login/")  # any form page sets the csrftoken cookie
    token = session_editor.cookies["csrftoken"].value
    response = session_editor.post(f"{API}/actors/", CREATE["actors"], format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_token_writes_need_no_csrf_token(people):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['editor']).key}")
    assert client.post(f"{API}/actors/", CREATE["actors"], format="json").status_code == 201


# -- the admin ----------------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/",
    "/admin/events/event/",
    "/admin/events/statement/",
    "/admin/events/actor/",
    "/admin/events/conflict/",
    "/admin/events/source/",
    "/admin/auth/user/",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("caller", ["anonymous", "reader", "editor-without-staff"])
def test_admin_pages_send_non_staff_to_the_login(client, people, page, caller):
    """Anonymous visitors and accounts without is_staff (whatever their permissions) get the login page."""
    if caller != "anonymous":
        client.force_login(people["reader" if caller == "reader" else "editor"])
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={page}"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_open_to_staff(client, people, page):
    client.force_login(people["superuser"])
    assert client.get(page).status_code == 200


def test_admin_login_is_throttled_after_repeated_failures(client, people, settings):
    login = reverse("admin:login")
    good = {"username": "access-root", "password": "pw-for-tests-only", "next": "/admin/"}
    bad = {**good, "password": "wrong"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert client.post(login, bad).status_code == 200  # the form again, with an error
    refused = client.post(login, bad)  # the last failure allowed locks the address out
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Locked out means locked out: the right password is refused too while the window lasts,
    assert client.post(login, good).status_code == 429
    # and a made-up X-Forwarded-For does not make a new client.
    assert client.post(login, good, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another address is not affected.
    assert client.post(login, good, REMOTE_ADDR="198.51.100.20").status_code == 302


# -- what public answers contain ------------------------------------------------------------


def internal_keys(value, path="$") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key).lower() in INTERNAL_KEYS:
                yield f"{path}.{key}"
            yield from internal_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from internal_keys(item, f"{path}[{index}]")


def test_internal_keys_finds_nested_keys():
    assert list(internal_keys({"a": [{"b": {"reviewed_by": 1}}], "Email": "x"})) == [
        "$.a[0].b.reviewed_by",
        "$.Email",
    ]


@pytest.mark.parametrize("caller", CALLERS)
def test_no_answer_carries_users_or_review_stamps(clients, people, drafts, caller):
    """Every record reviewed and published by the superuser; no answer may say who."""
    root = people["superuser"]
    for model in (Event, Statement):
        model.objects.exclude(slug__in=drafts.values()).update(reviewed_by=root, published_by=root)
    client = clients[caller]
    urls = [f"{API}/{resource}/?page_size=500" for resource in RESOURCES]
    urls += [f"{API}/{resource}/{slug}/" for resource, slug in PUBLISHED.items()]
    urls += [f"{API}/timeline/?page_size=500", f"{API}/timeline/?format=timelinejs"]
    if caller in ("editor", "superuser"):
        urls += [f"{API}/{resource}/{slug}/" for resource, slug in drafts.items()]
    bodies = {url: client.get(url) for url in urls}
    bodies[f"POST {API}/actors/"] = client.post(f"{API}/actors/", CREATE["actors"], format="json")
    secrets = {user.email for user in people.values()} | {user.username for user in people.values()}
    for where, response in bodies.items():
        text = response.content.decode("utf-8")
        assert not [secret for secret in secrets if secret in text], where
        assert list(internal_keys(json.loads(text))) == [], where
    csv = b"".join(client.get(f"{API}/timeline/", {"format": "csv"}).streaming_content).decode("utf-8")
    assert not [secret for secret in secrets if secret in csv]
    header = csv.splitlines()[0].lower()
    assert not [key for key in INTERNAL_KEYS if key in header.split(",")]


def test_the_schema_documents_no_internal_field(clients):
    response = clients["anonymous"].get(f"{API}/schema/", {"format": "json"})
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    properties = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert properties & INTERNAL_KEYS == set()


# -- ordering -------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["events", "statements"])
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_listed_orderings_are_accepted(clients, resource, ordering):
    params = {"ordering": ordering, **({"q": "Russia"} if ordering == "relevance" else {})}
    assert clients["anonymous"].get(f"{API}/{resource}/", params).status_code == 200


@pytest.mark.parametrize("resource", ["events", "statements"])
@pytest.mark.parametrize(
    "ordering",
    [
        "password",
        "id",
        "-id",
        "pk",
        "slug",
        "reviewed_by",
        "published_by__email",
        "date,password",
        "?",
        "DATE",
    ],
)
def test_other_orderings_are_a_400(clients, resource, ordering):
    response = clients["superuser"].get(f"{API}/{resource}/", {"ordering": ordering})
    assert response.status_code == 400
    assert list(json_of(response)) == ["ordering"]


@pytest.mark.parametrize("route", ["actors", "conflicts", "sources", "timeline"])
def test_lists_without_an_ordering_refuse_one(clients, route):
    response = clients["anonymous"].get(f"{API}/{route}/", {"ordering": "password"})
    assert response.status_code == 400
    assert list(json_of(response)) == ["ordering"]


# -- throttling -----------------------------------------------------------------------------

THROTTLED_ROUTES = [
    *(f"{API}/{resource}/" for resource in RESOURCES),
    *(f"{API}/{resource}/{slug}/" for resource, slug in PUBLISHED.items()),
    *READ_ONLY_ROUTES,
]


@pytest.fixture
def two_per_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})


@pytest.mark.parametrize("route", THROTTLED_ROUTES)
def test_anonymous_clients_get_429_with_retry_after(seeded, two_per_minute, route):
    client = APIClient()
    assert [client.get(route).status_code for _ in range(2)] == [200, 200]
    refused = client.get(route)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    if refused["Content-Type"].startswith("application/json"):
        assert refused.json()["detail"].startswith("Request was throttled")


def test_a_throttled_client_cannot_write_either(seeded, two_per_minute):
    client = APIClient()
    client.get(f"{API}/events/")
    client.get(f"{API}/events/")
    response = client.post(f"{API}/actors/", CREATE["actors"], format="json")
    assert response.status_code in (401, 429)
    assert not Actor.objects.filter(slug=CREATE["actors"]["slug"]).exists()


def test_a_made_up_x_forwarded_for_does_not_escape_the_throttle(seeded, two_per_minute):
    """Each request claims another client address in front of the proxy's own entry.

    With DRF's NUM_PROXIES unset, the whole X-Forwarded-For header is the client's
    identity, so a client that invents a new first entry per request is never throttled.
    """
    client = APIClient()
    codes = [
        client.get(f"{API}/events/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7").status_code
        for n in range(5)
    ]
    assert 429 in codes, codes
