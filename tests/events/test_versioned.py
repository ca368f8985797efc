"""A record read from the database is updated when saved, never inserted again (`Versioned.save`).

Django's save falls back to an INSERT when its UPDATE finds no row. For a copy read
before another editor deleted the record (or a merge removed it), that INSERT would bring
it back, under its old id and slug, as if the deletion had not happened.
"""

import pytest
from django.db import transaction
from rest_framework import status

from events.api.exceptions import api_exception_handler
from events.models import Actor

GONE = (
    "actor gone-meanwhile no longer exists: it was deleted (or merged into another) while this copy "
    "was being edited"
)


@pytest.fixture
def stale_copy(db) -> Actor:
    """A copy of an actor read before another editor deleted it."""
    actor = Actor.objects.create(slug="gone-meanwhile", name="Gone meanwhile", kind="state")
    copy = Actor.objects.get(pk=actor.pk)
    Actor.objects.filter(pk=actor.pk).delete()
    return copy


def test_saving_a_copy_of_a_deleted_record_does_not_bring_it_back(stale_copy):
    stale_copy.description = "Edited after the deletion"
    with pytest.raises(Actor.DoesNotExist) as raised, transaction.atomic():
        stale_copy.save()
    assert str(raised.value) == GONE
    assert not Actor.objects.filter(slug="gone-meanwhile").exists()


def test_the_same_with_update_fields(stale_copy):
    with pytest.raises(Actor.DoesNotExist) as raised:
        stale_copy.save(update_fields=["description"])
    assert str(raised.value) == GONE


def test_a_new_record_and_an_existing_one_save_as_before(db):
    actor = Actor(slug="new-actor", name="New actor", kind="state")
    actor.save()
    assert actor.version == 1
    actor.description = "Edited"
    actor.save()
    assert Actor.objects.get(slug="new-actor").version == 2


def test_the_api_answers_404_naming_the_record(stale_copy):
    try:
        stale_copy.save()
    except Actor.DoesNotExist as err:
        response = api_exception_handler(err, {})
    assert (response.status_code, response.data) == (status.HTTP_404_NOT_FOUND, {"detail": GONE})
