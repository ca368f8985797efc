"""The harness's rename measurement (bench.change_feed.rename_pages) reads every document a rename changed, then puts the name back."""

from bench.change_feed import rename_pages
from events.models import Actor, Conflict, Event, Statement


def test_a_rename_is_read_through_to_every_document_showing_the_actor(committed):
    russia = Actor.objects.get(slug="russia")
    showing = (
        1  # the actor itself
        + Event.objects.filter(participations__actor=russia).distinct().count()
        + (Statement.objects.filter(speaker=russia) | Statement.objects.filter(about=russia))
        .distinct()
        .count()
        + Actor.objects.filter(affiliation=russia).count()
        + Conflict.objects.filter(parties=russia).count()
    )

    result = rename_pages("russia", page_size=4)

    assert showing == 21
    assert result["entries"] == showing
    assert result["pages"]["count"] == 6  # five full pages, and one with the last entry
    assert Actor.objects.get(slug="russia").name == russia.name
