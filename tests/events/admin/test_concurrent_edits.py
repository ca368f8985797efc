"""Two editors saving the same record in the admin: the second is told, nothing is lost."""

import re

import pytest
from django.contrib.auth.models import User

from events.models import Actor


@pytest.fixture
def admin_client(client, seeded):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw-for-tests-only"))
    return client


def change_form(client, actor: Actor) -> dict:
    """The actor's change form as the browser would post it back."""
    html = client.get(f"/admin/events/actor/{actor.pk}/change/").content.decode()
    version_seen = re.search(r'name="version_seen" value="(\d+)"', html).group(1)
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "description": actor.description,
        "affiliation": actor.affiliation_id or "",
        "aliases": ",".join(actor.aliases),
        "wikidata_qid": actor.wikidata_qid,
        "version_seen": version_seen,
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }


def test_the_second_of_two_concurrent_saves_is_refused(admin_client):
    peskov = Actor.objects.get(slug="dmitry-peskov")
    first, second = change_form(admin_client, peskov), change_form(admin_client, peskov)
    url = f"/admin/events/actor/{peskov.pk}/change/"

    saved = admin_client.post(url, {**first, "description": "Kremlin spokesman (first editor)"})
    assert saved.status_code == 302
    refused = admin_client.post(url, {**second, "description": "Press secretary (second editor)"})
    assert refused.status_code == 200
    assert "Someone else saved this record since you opened it" in refused.content.decode()
    assert Actor.objects.get(slug="dmitry-peskov").description == "Kremlin spokesman (first editor)"
