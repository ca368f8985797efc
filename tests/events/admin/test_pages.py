"""Every admin page an editor uses opens: lists, searches, add and change forms, history.

A page that fails to render (a 500 from a bad list column, a missing template, a broken
inline) stops an editor's work outright, so each model's pages are opened both as a
superuser and as a plain editor, whose permissions come only from the "Editors" group.
"""

import pytest
from django.contrib.auth.models import User

from events.models import Actor, Conflict, Event, Source, Statement

ADMIN = "/admin/events"

# model name in the URL, how to fetch the record to open, a search term that finds it.
PAGES = [
    ("source", lambda: Source.objects.get(slug="bloomberg-2017-03-03-russia-urges-trump"), "bloomberg"),
    ("actor", lambda: Actor.objects.get(slug="fayez-al-serraj"), "sarraj"),
    ("conflict", lambda: Conflict.objects.get(slug="libyan-crisis"), "libya"),
    ("event", lambda: Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02"), "serraj"),
    ("statement", lambda: Statement.objects.get(slug="peskov-no-movement-2017-03-03"), "peskov"),
]
USERS = ["superuser", "editor"]


@pytest.fixture(params=USERS)
def staff_client(request, client, seeded):
    """A client logged in as each kind of staff user in turn."""
    client.force_login(request.getfixturevalue(request.param))
    return client


def ok(response) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.content.decode()


@pytest.mark.parametrize("model, record, term", PAGES, ids=[page[0] for page in PAGES])
def test_changelist_opens_and_lists_every_record(staff_client, model, record, term):
    """The list of each model opens and shows every seed record (all fit on the first page)."""
    response = staff_client.get(f"{ADMIN}/{model}/")
    ok(response)
    model_class = record().__class__
    assert response.context["cl"].result_count == model_class.objects.count()
    assert {obj.pk for obj in response.context["cl"].result_list} == set(
        model_class.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("model, record, term", PAGES, ids=[page[0] for page in PAGES])
def test_changelist_search_opens_and_finds_the_record(staff_client, model, record, term):
    """Searching the list opens a page on which the record searched for is listed."""
    response = staff_client.get(f"{ADMIN}/{model}/", {"q": term})
    ok(response)
    assert record().pk in {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("model, record, term", PAGES, ids=[page[0] for page in PAGES])
def test_add_page_opens(staff_client, model, record, term):
    """The empty form for a new record opens."""
    html = ok(staff_client.get(f"{ADMIN}/{model}/add/"))
    assert f'id="{model}_form"' in html


@pytest.mark.parametrize("model, record, term", PAGES, ids=[page[0] for page in PAGES])
def test_change_page_opens_on_the_record(staff_client, model, record, term):
    """The form of an existing record opens, filled with that record."""
    obj = record()
    response = staff_client.get(f"{ADMIN}/{model}/{obj.pk}/change/")
    ok(response)
    assert response.context["original"] == obj
    assert response.context["adminform"].form.instance.pk == obj.pk


@pytest.mark.parametrize("model, record, term", PAGES, ids=[page[0] for page in PAGES])
def test_history_page_opens(staff_client, model, record, term):
    """The history of a record opens (simple-history's page), titled with the record."""
    obj = record()
    response = staff_client.get(f"{ADMIN}/{model}/{obj.pk}/history/")
    ok(response)
    assert response.context["object"] == obj
    assert response.context["title"] == f"Change history: {obj}"


@pytest.mark.parametrize(
    "model_name, field_name, term, expected",
    [
        # The participants inline's actor box: any spelling of a name or alias.
        ("eventparticipant", "actor", "sarraj", ["Fayez al-Serraj"]),
        # A statement's speaker box: "kremlin" is Russia's alias and in two descriptions.
        ("statement", "speaker", "kremlin", ["Dmitry Peskov", "Russia", "Russian Academy of Sciences"]),
        # An event's conflicts box.
        ("event", "conflicts", "syr", ["Syrian civil war"]),
        # A statement's occasion box searches events, by a participant's alias too.
        (
            "statement",
            "occasion",
            "Sarraj",
            ["Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow"],
        ),
        # A conflict's parties box and an actor's affiliation box.
        ("conflict", "parties", "daesh", ["Islamic State"]),
        ("actor", "affiliation", "UAE", ["United Arab Emirates"]),
    ],
)
def test_autocomplete_offers_the_matching_records(staff_client, model_name, field_name, term, expected):
    """The search-as-you-type boxes of the forms offer the records an editor is looking for."""
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "events", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert [item["text"] for item in body["results"]] == expected
    assert body["pagination"] == {"more": False}


def test_autocomplete_ids_are_the_actors_keys(staff_client):
    """Choosing an offered actor stores that actor: the id is its primary key ("Gaddafi" is an alias)."""
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "events", "model_name": "eventparticipant", "field_name": "actor", "term": "Gaddafi"},
    )
    assert response.json()["results"] == [
        {"id": str(Actor.objects.get(slug="muammar-qaddafi").pk), "text": "Muammar Qaddafi"}
    ]


def test_editor_cannot_manage_users(editor_client, seeded):
    """Editors curate the timeline but may not see or change user accounts."""
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    editor_id = User.objects.get(username="admin-tests-editor").pk
    assert editor_client.get(f"/admin/auth/user/{editor_id}/change/").status_code == 403


def test_superuser_can_manage_users(superuser_client, seeded):
    """The superuser still reaches user management (the 403 above is the group's doing)."""
    assert superuser_client.get("/admin/auth/user/").status_code == 200


def test_admin_index_lists_the_timeline_models_for_an_editor(editor_client, seeded):
    """An editor's admin home lists the five timeline models, the merge jobs, and nothing from auth."""
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    apps = {
        app["app_label"]: [m["object_name"] for m in app["models"]] for app in response.context["app_list"]
    }
    assert apps == {"events": ["Actor", "Conflict", "Event", "MergeJob", "Source", "Statement"]}
