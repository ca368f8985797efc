"""The admin applies the write rules the API and the loader apply, and the database backs them up.

- a quote's words must be in one of its citations (`events.services.quote_as_printed`);
- an event or a statement keeps at least one citation: the admin refuses deleting the last
  one, and PostgreSQL refuses any writer that leaves a record without one
  (`events.rules`, checked at commit);
- publishing or unpublishing needs the publish permission, also when a revert from the
  history would bring another status back (`events.services.require_publish_right`).
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from events.choices import ReviewStatus
from events.models import Actor, Citation, Event, Statement

from .conftest import form_errors, form_fields

PESKOV = "peskov-no-movement-2017-03-03"
MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"
SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
ADMIN = "/admin/events"


def statement_form(client, slug: str) -> tuple[str, dict]:
    statement = Statement.objects.get(slug=slug)
    url = f"{ADMIN}/statement/{statement.pk}/change/"
    return url, form_fields(client.get(url), "statement_form")


def new_quote(client, text: str, excerpt: str):
    data = form_fields(client.get(f"{ADMIN}/statement/add/"), "statement_form")
    data.update(
        {
            "slug": "gatilov-quoted-again",
            "speaker": str(Actor.objects.get(slug="gennady-gatilov").pk),
            "kind": "quote",
            "text": text,
            "date_text": "not stated",
            "date_precision": "",
            "citations-0-source": str(Citation.objects.filter(source__slug=SOURCE).first().source_id),
            "citations-0-excerpt": excerpt,
        }
    )
    return client.post(f"{ADMIN}/statement/add/", data)


def test_a_quote_none_of_whose_citations_holds_its_words_is_refused(editor_client, seeded):
    response = new_quote(
        editor_client,
        text="We would like to see a passive U.S. role",
        excerpt="“We would like to see an active U.S. role” in Syria",
    )

    assert response.status_code == 200
    assert "Not saved: a quote must appear word for word in one of its citations." in form_errors(response)
    assert not Statement.objects.filter(slug="gatilov-quoted-again").exists()


def test_a_quote_found_in_its_citation_is_stored_as_the_source_prints_it(editor_client, seeded):
    response = new_quote(
        editor_client,
        text='"We would like to see an active U.S. role"',
        excerpt="“We would like to see an active U.S. role” in Syria",
    )

    assert response.status_code == 302, form_errors(response)
    assert (
        Statement.objects.get(slug="gatilov-quoted-again").text
        == "“We would like to see an active U.S. role”"
    )


def test_editing_a_quote_away_from_its_citation_is_refused(editor_client, seeded):
    quote = Statement.objects.filter(kind="quote").first()
    url = f"{ADMIN}/statement/{quote.pk}/change/"
    data = form_fields(editor_client.get(url), "statement_form")
    data["text"] = "Words nobody said"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Not saved: a quote must appear word for word in one of its citations." in form_errors(response)
    quote.refresh_from_db()
    assert quote.text != "Words nobody said"


def test_deleting_the_last_citation_of_a_statement_is_refused(editor_client, seeded):
    url, data = statement_form(editor_client, PESKOV)
    assert data["citations-TOTAL_FORMS"] == "1"
    data["citations-0-DELETE"] = "on"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Please submit at least 1 form." in form_errors(response)
    assert Statement.objects.get(slug=PESKOV).citations.count() == 1


def test_the_database_refuses_a_record_left_without_a_citation_whoever_writes(seeded):
    event = Event.objects.get(slug=MOSCOW_TALKS)
    with pytest.raises(
        IntegrityError,
        match="has no citation left: every event keeps at least one citation, the words of a source",
    ):
        with transaction.atomic():
            Citation.objects.filter(event=event).delete()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would check
    assert event.citations.count() == 1


def test_the_database_refuses_a_new_event_without_a_citation(seeded):
    with pytest.raises(IntegrityError, match="event uncited has no citation left"):
        with transaction.atomic():
            day = datetime.date(2017, 3, 2)
            Event.objects.create(
                slug="uncited",
                title="Uncited",
                type="talks",
                date_start=day,
                date_end=day,
                date_precision="day",
            )
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_citation_replaced_in_the_same_transaction_is_accepted(seeded):
    event = Event.objects.get(slug=MOSCOW_TALKS)
    kept = event.citations.get()
    with transaction.atomic():
        kept.delete()
        Citation.objects.create(
            source=kept.source,
            event=event,
            excerpt=kept.excerpt,
            start_offset=kept.start_offset,
            end_offset=kept.end_offset,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert event.citations.count() == 1


def test_an_editor_cannot_republish_by_reverting_to_a_published_version(editor_client, reviewer, seeded):
    """Editors may not publish; a revert to the version before an unpublish would publish again."""
    from events import review

    event = Event.objects.get(slug=MOSCOW_TALKS)
    assert event.status == ReviewStatus.PUBLISHED
    published_version = event.history.order_by("-history_date").first()
    review.records_unpublish(records=Event.objects.filter(pk=event.pk), user=reviewer)

    url = f"{ADMIN}/event/{event.pk}/history/{published_version.history_id}/"
    response = editor_client.post(url, form_fields(editor_client.get(url)))

    assert response.status_code == 200
    assert "Not saved: publishing events needs the publish permission." in form_errors(response)
    event.refresh_from_db()
    assert event.status == ReviewStatus.REVIEWED


def test_a_reviewer_may_revert_to_a_published_version(reviewer_client, reviewer, seeded):
    from events import review

    event = Event.objects.get(slug=MOSCOW_TALKS)
    published_version = event.history.order_by("-history_date").first()
    review.records_unpublish(records=Event.objects.filter(pk=event.pk), user=reviewer)

    url = f"{ADMIN}/event/{event.pk}/history/{published_version.history_id}/"
    response = reviewer_client.post(url, form_fields(reviewer_client.get(url)))

    assert response.status_code == 302, form_errors(response)
    event.refresh_from_db()
    assert event.status == ReviewStatus.PUBLISHED
