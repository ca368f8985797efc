"""Finding records in the admin lists: by any spelling of a name, and dates shown as words.

Sources spell names differently ("al-Serraj", "Sarraj"); an editor looking for the
Moscow talks must find them whichever spelling they type. The list's date column shows
each date as readably as its precision allows, never a raw start..end pair.
"""

import pytest

from events.models import Statement
from tests.events.admin.conftest import row_of

ADMIN = "/admin/events"
MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"
MOSCOW_TITLE = "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow"


@pytest.fixture
def listing(editor_client, seeded):
    """`listing("event", q="serraj")` → the records of that changelist page, in order."""

    def fetch(model: str, **params) -> list:
        response = editor_client.get(f"{ADMIN}/{model}/", params)
        assert response.status_code == 200, response.content[:500]
        return list(response.context["cl"].result_list)

    return fetch


@pytest.mark.parametrize("term", ["serraj", "Serraj", "Sarraj", "sarraj", "al-Sarraj"])
def test_event_search_finds_the_moscow_talks_by_any_spelling_of_the_guest(listing, term):
    """ "serraj" is in the title; "Sarraj" only in the guest's aliases: both find the talks, alone."""
    found = listing("event", q=term)
    assert [event.slug for event in found] == [MOSCOW_TALKS]
    assert found[0].title == MOSCOW_TITLE


def test_event_search_by_alias_lists_each_event_once(listing):
    """ "kremlin" is Russia's alias and in citations: each of Russia's five events is listed once."""
    found = listing("event", q="kremlin")
    slugs = [event.slug for event in found]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == {
        # Russia participates (alias "the Kremlin").
        "russian-military-intervention-syria",
        "russian-push-to-end-syrian-war",
        "ceasefire-syria-russia-turkey-2016-12",
        "un-led-syria-peace-negotiations-2017-03-03-week",
        "moscow-talks-russia-serraj-2017-03-02",
    }


def test_event_search_without_a_match_lists_nothing(listing):
    """A name nobody in the timeline has finds no event."""
    assert listing("event", q="Lavrov") == []


def test_actor_search_kremlin_finds_russia(listing):
    """ "kremlin" finds Russia (alias "the Kremlin") and the two actors described as Kremlin-something."""
    assert [actor.name for actor in listing("actor", q="kremlin")] == [
        "Dmitry Peskov",  # "Kremlin spokesman"
        "Russia",
        "Russian Academy of Sciences",  # "Kremlin-linked ..."
    ]


@pytest.mark.parametrize("term", ["al-Sarraj", "AL-SARRAJ", "Fayez al-Sarraj", "serraj"])
def test_actor_search_finds_al_serraj_by_any_spelling(listing, term):
    """The Libyan prime minister is found under his other spelling, in any case."""
    assert [actor.slug for actor in listing("actor", q=term)] == ["fayez-al-serraj"]


def test_actor_search_ignores_accents(listing):
    """An editor typing "Sérraj" (accented) still finds al-Serraj."""
    assert [actor.slug for actor in listing("actor", q="Sérraj")] == ["fayez-al-serraj"]


@pytest.mark.parametrize(
    "title, label",
    [
        ("Russia and Turkey broker a cease-fire in Syria", "Dec 2016"),
        (MOSCOW_TITLE, "Thu 2 Mar 2017"),
        ("UN-led peace negotiations on Syria", "week of 27 Feb 2017"),
        ("Islamic State loses its last major holdout in Libya", "Dec 2016"),
        ("Russian military intervention in Syria in support of Assad", "date unknown"),
        ("Islamic State claims a foothold in Libya", "date unknown"),
    ],
)
def test_event_list_shows_dates_as_words(editor_client, seeded, title, label):
    """Each event's row shows its date as readably as its precision allows."""
    response = editor_client.get(f"{ADMIN}/event/")
    assert response.status_code == 200
    assert row_of(response, title).startswith(f"{title} {label} ")


def test_event_list_rows_are_exactly_what_an_editor_reads(editor_client, seeded):
    """The Moscow talks' row, column by column: title, date, type, location, status."""
    page = editor_client.get(f"{ADMIN}/event/")
    assert row_of(page, MOSCOW_TITLE) == f"{MOSCOW_TITLE} Thu 2 Mar 2017 Talks Moscow Published"


def test_statement_list_shows_dates_as_words(editor_client, seeded):
    """Peskov "said Friday" (Fri 3 Mar 2017); Gatilov's undated quote reads "date unknown"."""
    page = editor_client.get(f"{ADMIN}/statement/")
    peskov = Statement.objects.get(slug="peskov-no-movement-2017-03-03")
    assert row_of(page, peskov.text[:60]) == (
        f"{peskov.text[:89]}… Dmitry Peskov Paraphrase Fri 3 Mar 2017 Published"
    )
    assert row_of(page, "We would like to see an active U.S. role") == (
        "We would like to see an active U.S. role Gennady Gatilov Verbatim quote date unknown Published"
    )


def test_long_statements_are_shortened_in_the_list(editor_client, seeded):
    """A statement longer than 90 characters shows its first 89 and an ellipsis."""
    page = editor_client.get(f"{ADMIN}/statement/")
    text = Statement.objects.get(slug="gatilov-open-to-contacts-on-libya").text
    assert len(text) > 90
    assert row_of(page, text[:89] + "…").startswith(text[:89] + "… Gennady Gatilov Verbatim quote")


def test_filtering_by_participant_kind_lists_each_event_once(listing):
    """Filtering on "states take part" lists each event once, even with two state participants."""
    slugs = [event.slug for event in listing("event", participations__actor__kind="state")]
    assert sorted(slugs) == [
        "ceasefire-syria-russia-turkey-2016-12",  # Russia and Turkey, both states
        "moscow-talks-russia-serraj-2017-03-02",
        "russian-military-intervention-syria",
        "russian-push-to-end-syrian-war",
        "un-led-syria-peace-negotiations-2017-03-03-week",
    ]


def test_statement_search_by_speaker_name(listing):
    """Searching statements for "Peskov" lists his one statement."""
    assert [statement.slug for statement in listing("statement", q="Peskov")] == [
        "peskov-no-movement-2017-03-03"
    ]
