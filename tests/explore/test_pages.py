"""The explore pages through Django's test client: one rule with the API, drafts, statements per page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from events.choices import ReviewStatus
from events.models import Event
from explore import citing, passages
from explore.views import _as_chosen

pytestmark = pytest.mark.usefixtures("seeded")

MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"


def _page_slugs(client, query: str) -> list[str]:
    response = client.get("/?" + query)
    assert response.status_code == 200, response.content[:300]
    return [item["slug"] for item in response.context["page"].items]


def _api_slugs(client, query: str) -> list[str]:
    return [item["slug"] for item in client.get("/api/v1/timeline/?" + query).json()["results"]]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "actor=russia",
        "actor=russia&actor=united-states&actor_mode=all",
        "conflict=libyan-crisis&kind=statement",
        "type=talks&type=ceasefire",
        "date_after=2016-12-15&date_before=2016-12-20",
        "date_after=2016-12-15&date_before=2016-12-20&date_match=within",
        "precision=unknown&page_size=4",
        "q=cease-fire",
        "source=bloomberg-2017-03-03-russia-urges-trump&page_size=7",
    ],
)
def test_the_page_shows_what_the_api_serves_for_the_same_parameters(client, query):
    assert _page_slugs(client, query) == _api_slugs(client, query)


def test_bad_parameters_are_a_400_naming_them(client):
    response = client.get("/?date_after=yesterday&colour=red")

    assert response.status_code == 400
    errors = response.context["page"].errors
    assert errors["date_after"] == ["Enter a valid date."]
    assert errors["colour"][0].startswith("unknown parameter; this list takes: actor, actor_mode, conflict,")
    assert b"This view could not be shown" in response.content


def test_an_unknown_actor_offers_the_closest_in_place(client):
    response = client.get("/?actor=russia&actor=haftar&kind=event")

    assert response.status_code == 400
    assert response.context["page"].suggestions == [
        {
            "parameter": "actor",
            "value": "haftar",
            "options": [("khalifa-haftar", "/?actor=russia&actor=khalifa-haftar&kind=event")],
        }
    ]


def test_form_leftovers_are_dropped_from_the_address(client):
    response = client.get("/?q=&actor=&actor_mode=any&kind=event&date_match=overlaps&date_after=")

    assert response.status_code == 302
    assert response["Location"] == "/?kind=event"
    assert _as_chosen(client.get("/?kind=event").wsgi_request.GET) is None


def test_drafts_are_invisible_to_the_public_exactly_as_in_the_api(client):
    Event.objects.filter(slug=MOSCOW_TALKS).update(status=ReviewStatus.DRAFT)
    event_page = reverse("explore:event", kwargs={"slug": MOSCOW_TALKS})

    assert client.get(event_page).status_code == 404
    assert client.get(f"/api/v1/events/{MOSCOW_TALKS}/").status_code == 404
    assert MOSCOW_TALKS not in _page_slugs(client, "actor=russia")
    source = client.get("/sources/bloomberg-2017-03-03-russia-urges-trump/").content.decode()
    assert "It hosted his rival" in source  # the text is public...
    assert f'href="{event_page}"' not in source  # ...the draft it supports is not
    editor = User.objects.create_user("explore-tests-editor")
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=["view_event", "view_statement"]
        )
    )
    client.force_login(editor)
    assert client.get(event_page).status_code == 200
    assert MOSCOW_TALKS in _page_slugs(client, "actor=russia")


@pytest.mark.parametrize(("query", "statements"), [("", 3), ("actor=russia", 4)])
def test_a_page_takes_at_most_five_sql_statements(client, django_assert_max_num_queries, query, statements):
    # Validating the actor (1), the page of items (1), the counts from the summaries (1), the
    # conflicts of the filters form (1): the same at any corpus size.
    with django_assert_max_num_queries(statements):
        response = client.get("/?" + query)
    assert response.status_code == 200


def test_the_same_url_gives_the_same_items_and_version_until_the_data_changes(client):
    first = client.get("/?actor=russia").context["page"].citation
    again = client.get("/?actor=russia").context["page"].citation
    Event.objects.filter(slug=MOSCOW_TALKS).update(title="Russia hosts al-Serraj")
    after = client.get("/?actor=russia").context["page"].citation

    assert first == again
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", first["version"])
    assert after["version"] != first["version"]


def test_the_citation_pins_url_retrieval_and_version():
    cited = citing.citation(
        url="http://testserver/?actor=russia",
        cleaned={"q": "cease_fire & 100%"},
        documents=['{"slug": "a"}', '{"slug": "b"}'],
        total=15,
        today=datetime.date(2026, 12, 1),
    )

    version = citing.data_version(['{"slug": "a"}', '{"slug": "b"}'])
    assert cited["text"] == (
        f"Event timeline: search “cease_fire & 100%”. 2 items shown of 15. http://testserver/?actor=russia "
        f"(retrieved 1 December 2026; data version {version})."
    )
    assert cited["bibtex"] == "\n".join(
        [
            f"@misc{{timeline-20261201-{version[7:15]},",
            "  title = {{Event timeline}: search “cease\\_fire \\& 100\\%”},",
            "  howpublished = {\\url{http://testserver/?actor=russia}},",
            "  year = {2026},",
            f"  note = {{Retrieved 1 December 2026; data version {version}; 2 items shown of 15}},",
            "}",
        ]
    )


def test_passages_are_marked_piece_by_piece_across_lines_and_overlaps():
    text = "One two.\nThree four five.\nAd here"
    cited = passages.passages_of(
        [
            {"start": 4, "end": 14, "record": {"label": "a"}},  # "two.\nThree"
            {"start": 10, "end": 20, "record": {"label": "b"}},  # "hree four "
            {"start": 4, "end": 14, "record": {"label": "c"}},  # the same passage, another record
        ]
    )
    lines = passages.lines(text, cited, furniture=["Ad here"])

    assert [p.anchor for p in cited] == ["passage-4-14", "passage-10-20"]
    assert [r["label"] for r in cited[0].records] == ["a", "c"]
    shown = [
        [
            (piece.text, [p.anchor for p in piece.passages], [p.anchor for p in piece.closes])
            for piece in line.pieces
        ]
        for line in lines
    ]
    assert shown == [
        [("One ", [], []), ("two.", ["passage-4-14"], [])],
        [
            ("T", ["passage-4-14"], []),
            ("hree", ["passage-4-14", "passage-10-20"], ["passage-4-14"]),
            (" four ", ["passage-10-20"], ["passage-10-20"]),
            ("five.", [], []),
        ],
        [("Ad here", [], [])],
    ]
    assert [line.furniture for line in lines] == [False, False, True]


def test_the_admins_view_site_link_leads_to_the_timeline(admin_client, client):
    admin = admin_client.get("/admin/").content.decode()

    assert '<a href="/">View site</a>' in admin
    assert client.get("/").status_code == 200
