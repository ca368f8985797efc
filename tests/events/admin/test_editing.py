"""Editing in the admin: correcting a record, seeing and reverting the change, dates typed as
words, citations typed as the source's words, and participants.

Each test posts the form exactly as the browser sends it (read back from the admin's own
HTML, inline management forms included), so what passes here is what an editor can do.
"""

import datetime
from html import unescape

import pytest

from events.models import Actor, Citation, Event, EventParticipant, Source, Statement
from tests.events.admin.conftest import form_errors, form_fields, messages_of, table_rows

ADMIN = "/admin/events"
MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"
NEW_SUMMARY = "Russia hosted Libyan Prime Minister Fayez al-Serraj for talks in Moscow on Thursday."


@pytest.fixture
def talks(seeded) -> Event:
    return Event.objects.get(slug=MOSCOW_TALKS)


@pytest.fixture
def source(seeded) -> Source:
    return Source.objects.get(slug="bloomberg-2017-03-03-russia-urges-trump")


def change_url(event: Event) -> str:
    return f"{ADMIN}/event/{event.pk}/change/"


def change_form(client, event: Event) -> dict:
    """The event's change form as the browser would submit it unchanged."""
    return form_fields(client.get(change_url(event)), "event_form")


def add_form(client) -> dict:
    """The empty add form (one empty citation, as min_num asks; no participants)."""
    return form_fields(client.get(f"{ADMIN}/event/add/"), "event_form")


def saved(response) -> None:
    """The admin accepted the form and redirected; on failure, show what it complained about."""
    assert response.status_code == 302, form_errors(response)


def add_citation(data: dict, source: Source, excerpt: str) -> dict:
    """Append one citation row to the citations inline of posted form `data`."""
    index = int(data["citations-TOTAL_FORMS"])
    data.update(
        {
            "citations-TOTAL_FORMS": str(index + 1),
            f"citations-{index}-id": "",
            f"citations-{index}-source": str(source.pk),
            f"citations-{index}-excerpt": excerpt,
        }
    )
    return data


def add_participant(data: dict, actor_slug: str, role: str) -> dict:
    """Append one row to the participants inline of posted form `data`."""
    index = int(data["participations-TOTAL_FORMS"])
    data.update(
        {
            "participations-TOTAL_FORMS": str(index + 1),
            f"participations-{index}-id": "",
            f"participations-{index}-actor": str(Actor.objects.get(slug=actor_slug).pk),
            f"participations-{index}-role": role,
        }
    )
    return data


def new_event(client, source: Source, **fields) -> dict:
    """An add form filled in with a valid new event citing the seed article; `fields` override."""
    data = add_form(client)
    data.update(
        {
            "slug": "moscow-talks-follow-up",
            "title": "Follow-up talks in Moscow",
            "summary": "",
            "type": "talks",
            "location": "Moscow",
            "citations-0-source": str(source.pk),
            "citations-0-excerpt": "for talks on Thursday in Moscow",
        }
    )
    data.update(fields)
    return data


# --------------------------------------------------------------------------- correct, history, revert


def test_the_forms_carry_both_inlines(editor_client, talks):
    """The change form holds the two participants and the one citation, under the expected prefixes."""
    data = change_form(editor_client, talks)
    assert data["participations-TOTAL_FORMS"] == "2"
    assert data["participations-INITIAL_FORMS"] == "2"
    assert data["citations-TOTAL_FORMS"] == "1"
    assert data["citations-INITIAL_FORMS"] == "1"
    assert data["citations-0-excerpt"] == talks.citations.get().excerpt


def test_saving_an_unchanged_form_changes_nothing(editor_client, talks):
    """Opening the talks and pressing save without touching anything keeps every value."""
    before = Event.objects.filter(pk=talks.pk).values().get()
    saved(editor_client.post(change_url(talks), change_form(editor_client, talks)))
    after = Event.objects.filter(pk=talks.pk).values().get()
    assert after.pop("version") == before.pop("version") + 1  # every save counts
    before.pop("updated_at"), after.pop("updated_at")
    assert after == before
    assert talks.participations.count() == 2
    assert talks.citations.count() == 1


def correct_summary(client, event: Event):
    """The editor opens the event, replaces its summary with NEW_SUMMARY and saves."""
    data = change_form(client, event)
    data["summary"] = NEW_SUMMARY
    response = client.post(change_url(event), data)
    saved(response)
    return response


def test_editor_corrects_a_summary_and_the_history_names_them(editor_client, editor, talks):
    """An editor fixes the talks' summary; the history page lists the change, by them, old → new."""
    old_summary = talks.summary
    response = correct_summary(editor_client, talks)
    assert messages_of(response) == [
        f'The event “<a href="{change_url(talks)}">{talks.title}</a>” was changed successfully.'
    ]
    talks.refresh_from_db()
    assert talks.summary == NEW_SUMMARY
    # Nothing else moved: same date, same two participants, same citation.
    assert (talks.date_start, talks.date_end, talks.date_precision) == (
        datetime.date(2017, 3, 2),
        datetime.date(2017, 3, 2),
        "day",
    )
    assert sorted(talks.participations.values_list("actor__slug", "role")) == [
        ("fayez-al-serraj", "guest"),
        ("russia", "host"),
    ]
    assert talks.citations.count() == 1

    # The history: the loader's creation and its setting of the conflicts, then this editor's change.
    versions = list(talks.history.order_by("history_date"))
    assert [(v.history_type, v.history_user) for v in versions] == [("+", None), ("~", None), ("~", editor)]
    assert [v.summary for v in versions] == [old_summary, old_summary, NEW_SUMMARY]
    assert [change.field for change in versions[2].diff_against(versions[1]).changes] == ["summary"]

    page = editor_client.get(f"{ADMIN}/event/{talks.pk}/history/")
    assert page.status_code == 200
    # Newest first: the editor's change (the long old summary clipped by simple-history), then the loader's.
    rows = [row for row in table_rows(page) if row.startswith(talks.title)]
    assert len(rows) == 3
    assert rows[0].endswith(
        "Changed admin-tests-editor None Summary: Russia hosted UN-recognized Libyan Prime Minister "
        f"Fayez al-Serraj, a rival [101 chars]ibya. → {NEW_SUMMARY}"
    )
    assert rows[1].endswith("Changed None None Conflicts: [] → [Libyan crisis]")
    assert rows[2].endswith("Created None None")


def test_reverting_to_the_version_before_a_correction_restores_it(editor_client, editor, talks):
    """After a correction, the editor opens the previous version in the history and presses
    "Revert": the old summary is back, the participants and citation untouched, and the
    revert is itself a new version in the history."""
    old_summary = talks.summary
    correct_summary(editor_client, talks)
    versions = list(talks.history.order_by("history_date"))
    assert [v.version for v in versions] == [1, 1, 2]

    # Revert: open the version before the edit and press "Revert" (simple-history's form).
    revert_url = f"{ADMIN}/event/{talks.pk}/history/{versions[1].history_id}/"
    revert_page = editor_client.get(revert_url)
    assert revert_page.status_code == 200
    assert revert_page.context["title"] == f"Revert {talks.title}"
    form = form_fields(revert_page)
    assert form["summary"] == old_summary
    saved(editor_client.post(revert_url, form))

    talks.refresh_from_db()
    assert talks.summary == old_summary
    assert talks.version == 3  # the edit made 2; the revert is one more save, never a step back
    assert talks.participations.count() == 2 and talks.citations.count() == 1
    latest = talks.history.order_by("-history_date").first()
    assert (latest.history_type, latest.history_user, latest.summary) == ("~", editor, old_summary)
    assert talks.history.count() == 4


def test_a_revert_is_a_new_version_so_a_stale_form_cannot_undo_it(editor_client, talks):
    """A colleague who opened the talks before the revert and saves afterwards is told someone
    else saved, rather than silently wiping the revert out: the revert moved the version on."""
    correct_summary(editor_client, talks)
    stale = change_form(editor_client, talks)  # a colleague opens the talks (version 2)
    revert_url = f"{ADMIN}/event/{talks.pk}/history/{talks.history.order_by('history_date')[1].history_id}/"
    saved(editor_client.post(revert_url, form_fields(editor_client.get(revert_url))))
    talks.refresh_from_db()
    assert talks.version == 3

    stale["summary"] = "A colleague's summary, typed before the revert."
    response = editor_client.post(change_url(talks), stale)
    assert response.status_code == 200
    assert form_errors(response) == [
        "Someone else saved this record since you opened it (it is now at version 3, you opened version 2). "
        "Your changes were not saved: open the record again to see theirs."
    ]


# --------------------------------------------------------------------------- dates typed as words


def test_new_event_dated_on_thursday_resolves_against_its_citation(editor_client, source):
    """ "on Thursday" with no precision and no anchor: the cited article (3 Mar 2017) anchors it to Thu 2 Mar."""
    data = new_event(editor_client, source, date_text="on Thursday", date_precision="", date_anchor="")
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    saved(response)
    event = Event.objects.get(slug="moscow-talks-follow-up")
    assert (event.date_text, event.date_anchor, event.date_start, event.date_end, event.date_precision) == (
        "on Thursday",
        datetime.date(2017, 3, 3),
        datetime.date(2017, 3, 2),
        datetime.date(2017, 3, 2),
        "day",
    )
    assert 'Date "on Thursday" is Thu 2 Mar 2017 (day precision).' in messages_of(response)
    assert event.status == "draft"
    citation = event.citations.get()
    assert (citation.excerpt, citation.start_offset, citation.end_offset) == (
        "for talks on Thursday in Moscow",
        1070,
        1101,
    )
    assert source.text[citation.start_offset : citation.end_offset] == citation.excerpt


def test_new_event_dated_december_2016(editor_client, source):
    """ "December 2016" is the whole month: 1 to 31 December, month precision."""
    data = new_event(editor_client, source, date_text="December 2016", date_precision="")
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    saved(response)
    event = Event.objects.get(slug="moscow-talks-follow-up")
    assert (event.date_start, event.date_end, event.date_precision) == (
        datetime.date(2016, 12, 1),
        datetime.date(2016, 12, 31),
        "month",
    )
    assert 'Date "December 2016" is Dec 2016 (month precision).' in messages_of(response)


@pytest.mark.parametrize("precision", ["", "day"])
def test_retyped_words_win_over_the_old_bounds(editor_client, talks, precision):
    """Changing the talks' words to "December 2016" (bounds left as they were, or precision cleared)
    re-dates them to the month."""
    data = change_form(editor_client, talks)
    data.update(date_text="December 2016", date_precision=precision)
    response = editor_client.post(change_url(talks), data)
    saved(response)
    talks.refresh_from_db()
    assert (talks.date_text, talks.date_start, talks.date_end, talks.date_precision) == (
        "December 2016",
        datetime.date(2016, 12, 1),
        datetime.date(2016, 12, 31),
        "month",
    )
    assert 'Date "December 2016" is Dec 2016 (month precision).' in messages_of(response)


def test_clearing_the_precision_re_resolves_unchanged_words(editor_client, talks):
    """Emptying only the precision re-reads "on Thursday" against the anchor: same day again."""
    data = change_form(editor_client, talks)
    data.update(date_precision="", date_start="", date_end="")
    saved(editor_client.post(change_url(talks), data))
    talks.refresh_from_db()
    assert (talks.date_start, talks.date_end, talks.date_precision) == (
        datetime.date(2017, 3, 2),
        datetime.date(2017, 3, 2),
        "day",
    )


SHAPE_MESSAGE = (
    "a month-precision date must run from the first to the last day of one month (got 2016-12-02..2016-12-31)"
)


def test_explicit_bounds_that_do_not_fit_the_precision_are_refused(editor_client, seeded):
    """The cease-fire set by hand to 2 to 31 December "month" is refused with the shape rule; nothing saved."""
    ceasefire = Event.objects.get(slug="ceasefire-syria-russia-turkey-2016-12")
    before = Event.objects.filter(pk=ceasefire.pk).values().get()
    data = change_form(editor_client, ceasefire)
    assert (data["date_text"], data["date_precision"]) == ("in December", "month")
    data.update(date_start="2016-12-02", date_end="2016-12-31", date_precision="month")
    response = editor_client.post(change_url(ceasefire), data)
    assert response.status_code == 200
    assert form_errors(response) == [SHAPE_MESSAGE]
    assert response.context["adminform"].form.errors["date_precision"] == [SHAPE_MESSAGE]
    assert Event.objects.filter(pk=ceasefire.pk).values().get() == before


def test_new_event_with_misshapen_bounds_is_not_created(editor_client, source):
    """Without words, bounds that do not fit their precision refuse the whole new event."""
    data = new_event(
        editor_client,
        source,
        date_text="",
        date_start="2016-12-02",
        date_end="2016-12-31",
        date_precision="month",
    )
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    assert response.status_code == 200
    assert form_errors(response) == [SHAPE_MESSAGE]
    assert not Event.objects.filter(slug="moscow-talks-follow-up").exists()


def test_words_that_cannot_be_resolved_are_refused(editor_client, source):
    """Words that name no date say what was expected, on the date text."""
    data = new_event(editor_client, source, date_text="around teatime", date_precision="")
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date_text"]
    assert len(errors) == 1 and errors[0].startswith(
        'cannot resolve date "around teatime": expected an ISO date'
    )
    assert not Event.objects.filter(slug="moscow-talks-follow-up").exists()


# --------------------------------------------------------------------------- citations


def test_a_misquoted_excerpt_is_refused_with_the_closest_passage(editor_client, talks, source):
    """A typo ("Dmitri" for "Dmitry") is refused, the message shows the passage meant; nothing is saved."""
    data = change_form(editor_client, talks)
    data["summary"] = NEW_SUMMARY
    add_citation(data, source, "Kremlin spokesman Dmitri Peskov said Friday")
    response = editor_client.post(change_url(talks), data)
    assert response.status_code == 200
    message = (
        "excerpt not found in the source text: 'Kremlin spokesman Dmitri Peskov said Friday'; "
        "the closest passage is 'Kremlin spokesman Dmitry Peskov said Friday'"
    )
    assert form_errors(response) == [message]
    assert message in unescape(response.content.decode())
    talks.refresh_from_db()
    assert talks.summary != NEW_SUMMARY
    assert talks.citations.count() == 1
    assert talks.version == 1


def test_an_ambiguous_excerpt_is_refused(editor_client, talks, source):
    """ "the Kremlin" is in the article five times: the editor is told to quote more words."""
    data = add_citation(change_form(editor_client, talks), source, "the Kremlin")
    response = editor_client.post(change_url(talks), data)
    assert response.status_code == 200
    assert form_errors(response) == [
        "excerpt occurs 5 times in the source text (at offsets "
        + ", ".join(str(o) for o in _occurrences(source.text, "the Kremlin"))
        + "): 'the Kremlin'; quote more words so it names one passage"
    ]
    assert talks.citations.count() == 1


def test_an_excerpt_of_page_furniture_is_refused(editor_client, talks, source):
    """A video title on the page is not the article's claim, and cannot be cited."""
    data = add_citation(change_form(editor_client, talks), source, "The Syrian Catastrophe Explained")
    response = editor_client.post(change_url(talks), data)
    assert response.status_code == 200
    assert form_errors(response) == [
        "excerpt 'The Syrian Catastrophe Explained' quotes page furniture "
        "('The Syrian Catastrophe Explained'), not the source's claims"
    ]
    assert talks.citations.count() == 1


def test_an_excerpt_typed_with_straight_quotes_is_stored_as_the_source_writes_it(
    editor_client, talks, source
):
    """ "who's" typed with a straight apostrophe matches the article's curly one; offsets are found."""
    data = add_citation(change_form(editor_client, talks), source, "who's recognized by the United Nations")
    saved(editor_client.post(change_url(talks), data))
    citation = talks.citations.get(start_offset=1030)
    assert citation.excerpt == "who\u2019s recognized by the United Nations"
    assert citation.end_offset == 1030 + len(citation.excerpt)
    assert source.text[citation.start_offset : citation.end_offset] == citation.excerpt


def test_an_event_needs_a_citation(editor_client, source):
    """A new event with its only citation row left empty is refused: the row's source and words are required."""
    data = new_event(editor_client, source, date_text="December 2016")
    data.update({"citations-0-source": "", "citations-0-excerpt": ""})
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    assert response.status_code == 200
    assert form_errors(response) == [
        "Please submit at least 1 form.",
        "This field is required.",
        "This field is required.",
    ]
    citation_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert sorted(citation_form.errors) == ["excerpt", "source"]
    assert not Event.objects.filter(slug="moscow-talks-follow-up").exists()


def _occurrences(text: str, needle: str) -> list[int]:
    found, position = [], text.find(needle)
    while position != -1:
        found.append(position)
        position = text.find(needle, position + 1)
    return found


# --------------------------------------------------------------------------- participants


def test_the_same_actor_in_the_same_role_twice_is_refused(editor_client, talks):
    """Adding Russia as host again (it already hosts) is refused, and nothing is saved."""
    data = add_participant(change_form(editor_client, talks), "russia", "host")
    data["summary"] = NEW_SUMMARY
    response = editor_client.post(change_url(talks), data)
    assert response.status_code == 200
    assert form_errors(response) == [
        "Please correct the duplicate data for actor and role, which must be unique.",
        "Please correct the duplicate values below.",
    ]
    talks.refresh_from_db()
    assert talks.summary != NEW_SUMMARY
    assert EventParticipant.objects.filter(event=talks).count() == 2


def test_two_new_rows_with_the_same_actor_and_role_are_refused(editor_client, source):
    """On a new event, Turkey entered twice as broker is refused; no event is created."""
    data = new_event(editor_client, source, date_text="on Thursday")
    add_participant(data, "turkey", "broker")
    add_participant(data, "turkey", "broker")
    response = editor_client.post(f"{ADMIN}/event/add/", data)
    assert response.status_code == 200
    assert form_errors(response) == [
        "Please correct the duplicate data for actor and role, which must be unique.",
        "Please correct the duplicate values below.",
    ]
    assert not Event.objects.filter(slug="moscow-talks-follow-up").exists()


def test_the_same_actor_in_another_role_is_accepted(editor_client, talks):
    """Russia may also be a broker of the talks it hosts: a different role is a different part."""
    data = add_participant(change_form(editor_client, talks), "russia", "broker")
    saved(editor_client.post(change_url(talks), data))
    assert sorted(talks.participations.values_list("actor__slug", "role")) == [
        ("fayez-al-serraj", "guest"),
        ("russia", "broker"),
        ("russia", "host"),
    ]


def test_citations_are_unchanged_by_a_failed_save(editor_client, talks):
    """Counting every citation in the database: a refused form adds none anywhere."""
    before = Citation.objects.count()
    data = add_participant(change_form(editor_client, talks), "russia", "host")
    add_citation(data, Source.objects.get(), "a leading power in the region")
    assert editor_client.post(change_url(talks), data).status_code == 200
    assert Citation.objects.count() == before


# --------------------------------------------------------------------------- statements and actors


def test_new_statement_said_friday_resolves_against_its_citation(editor_client, source):
    """A statement "said Friday", citing the article of Friday 3 March 2017, is dated that day."""
    data = form_fields(editor_client.get(f"{ADMIN}/statement/add/"), "statement_form")
    data.update(
        {
            "slug": "peskov-said-friday-again",
            "speaker": str(Actor.objects.get(slug="dmitry-peskov").pk),
            "kind": "paraphrase",
            "text": "There has been no movement on anti-terrorism cooperation with the U.S.",
            "date_text": "said Friday",
            "date_precision": "",
            "citations-0-source": str(source.pk),
            "citations-0-excerpt": "Kremlin spokesman Dmitry Peskov said Friday",
        }
    )
    response = editor_client.post(f"{ADMIN}/statement/add/", data)
    saved(response)
    statement = Statement.objects.get(slug="peskov-said-friday-again")
    assert (statement.date_start, statement.date_end, statement.date_precision, statement.date_anchor) == (
        datetime.date(2017, 3, 3),
        datetime.date(2017, 3, 3),
        "day",
        datetime.date(2017, 3, 3),
    )
    assert (statement.status, statement.version) == ("draft", 1)
    assert 'Date "said Friday" is Fri 3 Mar 2017 (day precision).' in messages_of(response)
    citation = statement.citations.get()
    assert (citation.start_offset, citation.end_offset) == (1930, 1973)


def test_reverting_an_actor_restores_its_description(editor_client, editor, seeded):
    """Revert works for actors too: Peskov's description, changed, comes back from the history."""
    peskov = Actor.objects.get(slug="dmitry-peskov")
    assert peskov.version == 2  # the loader created him, then set his affiliation
    url = f"{ADMIN}/actor/{peskov.pk}/change/"
    data = form_fields(editor_client.get(url), "actor_form")
    assert data["aliases"] == "Peskov"
    data["description"] = "Press secretary"
    saved(editor_client.post(url, data))
    peskov.refresh_from_db()
    assert (peskov.description, peskov.version) == ("Press secretary", 3)

    before = peskov.history.order_by("-history_date")[1]
    assert before.description == "Kremlin spokesman"
    revert_url = f"{ADMIN}/actor/{peskov.pk}/history/{before.history_id}/"
    saved(editor_client.post(revert_url, form_fields(editor_client.get(revert_url))))
    peskov.refresh_from_db()
    assert (peskov.description, peskov.version) == ("Kremlin spokesman", 4)
