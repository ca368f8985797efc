"""The participants, conflicts and citations an event's JSON shows stay current through every write.

The database keeps them on the event row (migration 0008). Each test changes one thing an
event shows, the way an editor or a merge would, and reads the event through the API.
`stale_events()` (what `check_event_json` reports) must then be empty: every stored list
equals the list computed afresh from its tables.
"""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import set_script_prefix

from events.merging import actors_merge
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source
from events.read_model.stored import stale_rows as stale_events

from .conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

EVENT = "russian-military-intervention-syria"  # al-Assad (participant), Russia (party), rebels (target)


def shown(client, slug: str = EVENT) -> dict:
    response = client.get(f"{API}/events/{slug}/")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def participants(client, slug: str = EVENT) -> list[tuple[str, str, str]]:
    return [(p["actor"]["slug"], p["actor"]["name"], p["role"]) for p in shown(client, slug)["participants"]]


def row_version(slug: str) -> int:
    """The event row's transaction id: it changes whenever the row is rewritten."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text::bigint FROM events_event WHERE slug = %s", [slug])
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def lists_stay_current(seeded):
    yield
    assert stale_events() == []


def test_the_seed_events_show_their_lists(editor_api):
    # In order of role, then name.
    assert participants(editor_api) == [
        ("bashar-al-assad", "Bashar al-Assad", "participant"),
        ("russia", "Russia", "party"),
        ("syrian-rebels", "Syrian rebels", "target"),
    ]
    body = shown(editor_api)
    assert [c["slug"] for c in body["conflicts"]] == ["syrian-civil-war"]
    assert body["conflicts"][0]["url"] == "http://testserver/api/v1/conflicts/syrian-civil-war/"
    assert body["participants"][1]["actor"]["url"] == "http://testserver/api/v1/actors/russia/"
    assert [c["start"] for c in body["citations"]] == sorted(c["start"] for c in body["citations"])
    assert len(body["citations"]) == 2


def test_a_participant_added_changed_and_removed(editor_api):
    event = Event.objects.get(slug=EVENT)
    turkey = Actor.objects.get(slug="turkey")

    added = EventParticipant.objects.create(event=event, actor=turkey, role="backer")
    assert participants(editor_api)[0] == ("turkey", "Turkey", "backer")  # roles in order: backer first

    added.role = "target"
    added.save()
    assert participants(editor_api)[2:] == [
        ("syrian-rebels", "Syrian rebels", "target"),
        ("turkey", "Turkey", "target"),
    ]

    added.delete()
    assert [slug for slug, _, _ in participants(editor_api)] == ["bashar-al-assad", "russia", "syrian-rebels"]


def test_a_participant_moved_to_another_event_leaves_the_first(editor_api):
    other = "russian-push-to-end-syrian-war"
    participation = EventParticipant.objects.get(event__slug=EVENT, actor__slug="syrian-rebels")
    participation.event = Event.objects.get(slug=other)
    participation.save()

    assert [slug for slug, _, _ in participants(editor_api)] == ["bashar-al-assad", "russia"]
    assert participants(editor_api, other) == [
        ("russia", "Russia", "broker"),
        ("syrian-rebels", "Syrian rebels", "target"),
    ]


def test_renaming_an_actor_changes_every_event_showing_them(editor_api):
    russia = Actor.objects.get(slug="russia")
    events = list(Event.objects.filter(participants=russia).values_list("slug", flat=True).distinct())
    assert len(events) == 5

    russia.name = "Russian Federation"
    russia.slug = "russian-federation"
    russia.save()

    for slug in events:
        body = shown(editor_api, slug)
        mine = [p["actor"] for p in body["participants"] if p["actor"]["slug"] == "russian-federation"]
        assert mine == [
            {
                "slug": "russian-federation",
                "name": "Russian Federation",
                "url": "http://testserver/api/v1/actors/russian-federation/",
            }
        ]
        assert "russia" not in [p["actor"]["slug"] for p in body["participants"]]


def test_renaming_an_actor_reorders_the_participants(editor_api):
    Actor.objects.filter(slug="syrian-rebels").update(name="Aleppo rebels")  # a queryset update too

    EventParticipant.objects.filter(event__slug=EVENT, actor__slug="syrian-rebels").update(role="participant")
    assert participants(editor_api) == [
        ("syrian-rebels", "Aleppo rebels", "participant"),
        ("bashar-al-assad", "Bashar al-Assad", "participant"),
        ("russia", "Russia", "party"),
    ]


def test_saving_an_actor_without_renaming_leaves_their_events_alone(editor_api):
    before = row_version(EVENT)
    russia = Actor.objects.get(slug="russia")
    russia.description = "The Russian Federation, a state"
    russia.save()

    assert row_version(EVENT) == before


def test_conflict_links_and_renames(editor_api):
    event = Event.objects.get(slug=EVENT)
    libya = Conflict.objects.get(slug="libyan-crisis")

    event.conflicts.add(libya)
    assert [c["name"] for c in shown(editor_api)["conflicts"]] == ["Libyan crisis", "Syrian civil war"]

    libya.name = "Zawiya crisis"
    libya.save()
    assert [c["name"] for c in shown(editor_api)["conflicts"]] == ["Syrian civil war", "Zawiya crisis"]

    event.conflicts.remove(libya)
    assert [c["slug"] for c in shown(editor_api)["conflicts"]] == ["syrian-civil-war"]


def test_citations_added_removed_and_their_source_retitled_and_redated(editor_api):
    event = Event.objects.get(slug=EVENT)
    seed_source = Source.objects.get()
    other = Source.objects.create(
        slug="reuters-2017-03-04-other",
        title="Another report",
        publisher="Reuters",
        published_on=datetime.date(2017, 3, 4),
        language="en",
        text="Russia intervened in Syria.",
    )
    citation = Citation.objects.create(
        source=other, event=event, excerpt="Russia intervened", start_offset=0, end_offset=17
    )
    # Newest source first.
    assert [c["source"]["slug"] for c in shown(editor_api)["citations"]] == [
        other.slug,
        seed_source.slug,
        seed_source.slug,
    ]

    other.published_on = datetime.date(2017, 3, 2)
    other.title = "An earlier report"
    other.save()
    cited = shown(editor_api)["citations"]
    assert [c["source"]["slug"] for c in cited] == [seed_source.slug, seed_source.slug, other.slug]
    assert cited[2] == {
        "source": {
            "slug": other.slug,
            "name": "An earlier report",
            "url": f"http://testserver/api/v1/sources/{other.slug}/",
        },
        "excerpt": "Russia intervened",
        "start": 0,
        "end": 17,
    }

    citation.delete()
    assert [c["source"]["slug"] for c in shown(editor_api)["citations"]] == [
        seed_source.slug,
        seed_source.slug,
    ]


def test_merging_actors_moves_their_places_in_events(editor_api):
    rebels = Actor.objects.get(slug="syrian-rebels")
    target = Actor.objects.get(slug="islamic-state")

    actors_merge(target=target, others=[rebels], confirm_kinds=True)

    assert participants(editor_api) == [
        ("bashar-al-assad", "Bashar al-Assad", "participant"),
        ("russia", "Russia", "party"),
        ("islamic-state", "Islamic State", "target"),
    ]


def test_deleting_an_event_with_its_links():
    Event.objects.get(slug=EVENT).delete()

    assert not Event.objects.filter(slug=EVENT).exists()


def test_check_event_json_finds_and_repairs_stale_lists(capsys):
    call_command("check_event_json")
    assert capsys.readouterr().out == "All event JSON lists are current.\n"

    with connection.cursor() as cursor:  # as a copy made with the triggers off could leave it
        cursor.execute("UPDATE events_event SET participants_json = '[]' WHERE slug = %s", [EVENT])

    with pytest.raises(CommandError) as refused:
        call_command("check_event_json")
    assert str(refused.value) == (
        f"1 events have stale JSON lists: {EVENT}. Run with --fix to recompute them."
    )

    call_command("check_event_json", "--fix")
    assert capsys.readouterr().out == f"Recomputed the JSON lists of 1 events: {EVENT}.\n"
    assert stale_events() == []


@pytest.mark.parametrize(("prefix", "in_urls"), [("/timeline/", "/timeline"), ("/my app/", "/my%20app")])
def test_urls_in_the_lists_follow_the_script_prefix(editor_api, prefix, in_urls):
    """Behind a proxy that mounts the site below a path, every URL keeps that path, encoded."""
    set_script_prefix(prefix)  # as WSGIHandler does for each request from SCRIPT_NAME
    try:
        body = editor_api.get(f"{API}/events/{EVENT}/").json()
        listed = editor_api.get(f"{API}/events/", {"page_size": 500}).json()["results"]
    finally:
        set_script_prefix("/")

    assert body["url"] == f"http://testserver{in_urls}/api/v1/events/{EVENT}/"
    assert body["participants"][1]["actor"]["url"] == f"http://testserver{in_urls}/api/v1/actors/russia/"
    assert body["conflicts"][0]["url"] == f"http://testserver{in_urls}/api/v1/conflicts/syrian-civil-war/"
    assert body in listed


def test_saving_a_participant_unchanged_leaves_the_event_alone():
    before = row_version(EVENT)
    EventParticipant.objects.get(event__slug=EVENT, actor__slug="russia").save()

    assert row_version(EVENT) == before


def test_emptying_a_link_table_at_once_empties_the_lists(editor_api):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_event_conflicts")

    assert shown(editor_api)["conflicts"] == []
    assert [slug for slug, _, _ in participants(editor_api)] == ["bashar-al-assad", "russia", "syrian-rebels"]
