"""Writes through the API, visibility of drafts, and HTTP caching.

The permission matrix: anonymous users read published records only and write nothing;
authenticated users without model permissions read like anonymous users and write
nothing; editors (model permissions) see drafts and write, with the loader's rules.
"""

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from events.models import Actor, Event, Statement

SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
TALKS = "moscow-talks-russia-serraj-2017-03-02"

NEW_EVENT = {
    "slug": "kremlin-statement-2017-03-03",
    "title": "Kremlin says there is no movement on anti-terrorism cooperation",
    "summary": "Peskov's remarks on Friday.",
    "type": "other",
    "date": {"text": "said Friday"},
    "location": "Moscow",
    "conflicts": ["syrian-civil-war"],
    "participants": [{"actor": "dmitry-peskov", "role": "participant"}],
    # Straight quotes, as an editor types them; the source has curly ones.
    "citations": [
        {
            "source": SOURCE,
            "excerpt": 'said Friday there has been "no movement" on anti-terrorism cooperation',
        }
    ],
    "status": "draft",
}


def make_user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-only")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )
    return user


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def reader(db):
    client = APIClient()
    client.force_authenticate(make_user("reader"))
    return client


@pytest.fixture
def editor(db):
    client = APIClient()
    perms = [
        f"{action}_{model}"
        for action in ("view", "add", "change", "delete")
        for model in ("event", "statement", "actor", "conflict", "source")
    ]
    client.force_authenticate(make_user("editor", *perms))
    return client


@pytest.fixture
def draft(seeded):
    Event.objects.filter(slug=TALKS).update(status="draft")
    return TALKS


@pytest.mark.parametrize(("who", "visible"), [("anonymous", False), ("reader", False), ("editor", True)])
def test_drafts_are_seen_by_editors_only(request, draft, who, visible):
    client = request.getfixturevalue(who)
    listed = [e["slug"] for e in client.get("/api/v1/events/", {"page_size": 50}).json()["results"]]
    assert (draft in listed) is visible
    assert client.get(f"/api/v1/events/{draft}/").status_code == (200 if visible else 404)
    drafts = client.get("/api/v1/events/", {"status": "draft"}).json()["results"]
    assert [e["slug"] for e in drafts] == ([draft] if visible else [])


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 201)])
def test_only_editors_create(request, seeded, who, status):
    response = request.getfixturevalue(who).post("/api/v1/events/", NEW_EVENT, format="json")
    assert response.status_code == status
    assert Event.objects.filter(slug=NEW_EVENT["slug"]).exists() is (status == 201)


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 200)])
def test_only_editors_update(request, seeded, who, status):
    response = request.getfixturevalue(who).patch(
        f"/api/v1/events/{TALKS}/", {"summary": "Corrected."}, format="json"
    )
    assert response.status_code == status
    assert (Event.objects.get(slug=TALKS).summary == "Corrected.") is (status == 200)


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 204)])
def test_only_editors_delete(request, seeded, who, status):
    response = request.getfixturevalue(who).delete("/api/v1/statements/peskov-no-movement-2017-03-03/")
    assert response.status_code == status
    assert Statement.objects.filter(slug="peskov-no-movement-2017-03-03").exists() is (status != 204)


def test_create_resolves_words_and_offsets(editor, seeded):
    body = editor.post("/api/v1/events/", NEW_EVENT, format="json").json()
    assert body["date"] == {
        "start": "2017-03-03",
        "end": "2017-03-03",
        "precision": "day",
        "text": "said Friday",
        "anchor": "2017-03-03",
    }
    assert (
        body["citations"][0]["excerpt"]
        == "said Friday there has been \u201cno movement\u201d on anti-terrorism cooperation"
    )
    assert (body["citations"][0]["start"], body["citations"][0]["end"]) == (1962, 2032)
    assert body["participants"] == [
        {
            "actor": {
                "slug": "dmitry-peskov",
                "name": "Dmitry Peskov",
                "url": "http://testserver/api/v1/actors/dmitry-peskov/",
            },
            "role": "participant",
        }
    ]
    assert body["status"] == "draft"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"citations": [{"source": SOURCE, "excerpt": "Peskov said Saturday"}]},
            {
                "citations[0].excerpt": [
                    "excerpt not found in the source text: 'Peskov said Saturday'; the closest passage is 'Peskov said Friday t'"
                ]
            },
        ),
        ({"date": {"text": "sometime soon"}}, "date"),
        (
            {"date": {"start": "2016-12-02", "end": "2016-12-31", "precision": "month"}},
            {
                "date": [
                    "a month-precision date must run from the first to the last day of one month (got 2016-12-02..2016-12-31)"
                ]
            },
        ),
        (
            {"participants": [{"actor": "russia", "role": "host"}, {"actor": "russia", "role": "host"}]},
            {"participants": ["an actor takes a given role in an event once"]},
        ),
        ({"participants": [{"actor": "nobody", "role": "host"}]}, "participants"),
        ({"slug": TALKS}, {"slug": ["a event with this slug already exists"]}),
        ({"citations": []}, "citations"),
    ],
)
def test_create_applies_the_loaders_rules(editor, seeded, change, errors):
    response = editor.post("/api/v1/events/", {**NEW_EVENT, **change}, format="json")
    assert response.status_code == 400
    if isinstance(errors, dict):
        assert response.json() == errors
    else:
        assert list(response.json()) == [errors]
    assert not Event.objects.filter(slug=NEW_EVENT["slug"]).exists()


def test_a_quote_must_be_verbatim(editor, seeded):
    payload = {
        "slug": "peskov-quote",
        "speaker": "dmitry-peskov",
        "kind": "quote",
        "text": "no progress",
        "date": {"text": "said Friday"},
        "citations": [{"source": SOURCE, "excerpt": "Kremlin spokesman Dmitry Peskov said Friday"}],
    }
    response = editor.post("/api/v1/statements/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"text": ["a quote must appear word for word in one of its citations"]}


def test_deleting_a_speaker_is_refused_with_409(editor, seeded):
    response = editor.delete("/api/v1/actors/dmitry-peskov/")
    assert response.status_code == 409
    assert response.json() == {"detail": "cannot delete: still referred to by statements"}
    assert Actor.objects.filter(slug="dmitry-peskov").exists()


def test_editing_source_text_that_moves_a_citation_is_a_400(editor, seeded):
    response = editor.patch(f"/api/v1/sources/{SOURCE}/", {"text": "Rewritten."}, format="json")
    assert response.status_code == 400
    assert "would break its citations" in response.json()["non_field_errors"][0]


def test_etag_allows_conditional_gets(anonymous, seeded):
    first = anonymous.get(f"/api/v1/events/{TALKS}/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert anonymous.get(f"/api/v1/events/{TALKS}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    listing = anonymous.get("/api/v1/events/")
    assert anonymous.get("/api/v1/events/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    Event.objects.get(slug=TALKS).save()  # a change makes the old ETag stale
    assert anonymous.get(f"/api/v1/events/{TALKS}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_anonymous_clients_are_throttled_at_the_configured_rate(anonymous, seeded, monkeypatch):
    # The rate comes from API_ANON_THROTTLE_RATE at start-up; here we set it directly.
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert [anonymous.get("/api/v1/actors/").status_code for _ in range(3)] == [200, 200, 429]
    refused = anonymous.get("/api/v1/actors/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_a_stale_if_match_is_refused_with_412_and_nothing_is_overwritten(editor, seeded):
    """Two editors read the talks; the first saves; the second, still holding the old ETag, is told."""
    etag = editor.get(f"/api/v1/events/{TALKS}/")["ETag"]
    first = editor.patch(f"/api/v1/events/{TALKS}/", {"summary": "First."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = editor.patch(
        f"/api/v1/events/{TALKS}/", {"summary": "Second."}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert second.json() == {
        "detail": "the record changed since you read it (its ETag no longer matches If-Match); read it again"
    }
    assert Event.objects.get(slug=TALKS).summary == "First."
    fresh = editor.get(f"/api/v1/events/{TALKS}/")["ETag"]
    assert editor.delete(f"/api/v1/events/{TALKS}/", HTTP_IF_MATCH=etag).status_code == 412
    assert editor.delete(f"/api/v1/events/{TALKS}/", HTTP_IF_MATCH=fresh).status_code == 204


def test_every_save_counts_a_version(editor, seeded):
    event = Event.objects.get(slug=TALKS)
    before = event.version
    editor.patch(f"/api/v1/events/{TALKS}/", {"summary": "Corrected."}, format="json")
    assert Event.objects.get(slug=TALKS).version == before + 1
