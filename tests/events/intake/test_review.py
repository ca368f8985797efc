"""Accepting and rejecting intake proposals (`events.intake.review`), on the long BBC article:
drafts through the ordinary services, cited by the proposal's exact words, invisible to the
public; new actors made only when accepted; who decided, and when."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.test import Client

from events.intake import review
from events.intake.store import article_ingest
from events.models import Actor, Citation, Event, IntakeProposal, Statement
from tests.events.intake.ingest_helpers import LONG, article


@pytest.fixture
def source(seeded):
    raw, metadata = article(LONG)
    return article_ingest(text=raw, metadata=metadata).source


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("intake-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


QUOTE = '"I believe that Putin has already started it.'


def proposal(source, kind: str, excerpt_start: str) -> IntakeProposal:
    (found,) = [p for p in source.proposals.filter(kind=kind) if p.excerpt.startswith(excerpt_start)]
    return found


def test_a_quote_becomes_a_draft_statement_cited_by_its_excerpt(source, editor):
    quote = proposal(source, "statement", QUOTE)
    accepted = review.proposal_accept(proposal=quote, user=editor)

    statement = accepted.record
    assert isinstance(statement, Statement)
    assert (statement.status, statement.kind, statement.speaker.name) == (
        "draft",
        "quote",
        "Volodymyr Zelensky",
    )
    assert statement.text == quote.data["words"]
    (citation,) = statement.citations.all()
    assert (citation.source_id, citation.excerpt, citation.start_offset, citation.end_offset) == (
        source.pk,
        quote.excerpt,
        quote.start_offset,
        quote.end_offset,
    )
    # Zelensky was a pending new actor: accepted with his words, Ukraine with him (his
    # affiliation), and Putin, whom the quote is about with Russia (a known actor).
    assert [a.name for a in accepted.with_actors] == ["Ukraine", "Volodymyr Zelensky", "Vladimir Putin"]
    assert [a.name for a in statement.about.order_by("name")] == ["Russia", "Vladimir Putin"]
    assert statement.speaker.affiliation.name == "Ukraine"
    zelensky = IntakeProposal.objects.get(source=source, kind="actor", ref="volodymyr-zelensky")
    assert (zelensky.state, zelensky.actor, zelensky.decided_by) == ("accepted", statement.speaker, editor)
    quote.refresh_from_db()
    assert (quote.state, quote.statement, quote.decided_by) == ("accepted", statement, editor)
    assert quote.decided_at is not None
    # the actor cites where the article names him
    assert list(Citation.objects.filter(actor=statement.speaker).values_list("excerpt", flat=True)) == [
        "Ukraine's President Volodymyr Zelensky"
    ]
    # its history, as any record's: created, then its "about" links set
    assert [h.history_type for h in statement.history.order_by("history_id")] == ["+", "~"]


def test_drafts_are_invisible_to_the_public_and_accepted_actors_are_not(source, editor):
    quote = proposal(source, "statement", QUOTE)
    statement = review.proposal_accept(proposal=quote, user=editor).record
    anonymous = Client()
    assert anonymous.get(f"/api/v1/statements/{statement.slug}/").status_code == 404
    assert [
        s["slug"]
        for s in anonymous.get("/api/v1/statements/", {"speaker": statement.speaker.slug}).json()["results"]
    ] == []
    # the actor is a record now: public, as every actor is
    assert anonymous.get(f"/api/v1/actors/{statement.speaker.slug}/").json()["name"] == "Volodymyr Zelensky"


def test_an_event_becomes_a_draft_with_its_participants_and_date(source, editor):
    talks = proposal(
        source, "event", "US President Donald Trump said on the eve of the most recent ceasefire talks"
    )
    event = review.proposal_accept(proposal=talks, user=editor).record
    assert isinstance(event, Event)
    assert (event.status, event.type, event.title) == ("draft", talks.data["type"], talks.data["title"])
    assert (event.date_text, event.date_precision) == (
        talks.data["date"]["words"],
        talks.data["date"]["precision"],
    )
    assert list(event.citations.values_list("excerpt", "start_offset")) == [
        (talks.excerpt, talks.start_offset)
    ]
    assert sorted((p.actor.slug, p.role) for p in event.participations.select_related("actor")) == sorted(
        (participant["actor"]["slug"], participant["role"]) for participant in talks.data["participants"]
    )


def test_a_rejected_new_actor_is_never_created(source, editor):
    zelensky = IntakeProposal.objects.get(source=source, kind="actor", ref="volodymyr-zelensky")
    review.proposal_reject(proposal=zelensky, user=editor)
    zelensky.refresh_from_db()
    assert (zelensky.state, zelensky.decided_by, zelensky.actor) == ("rejected", editor, None)
    assert zelensky.decided_at is not None
    assert not Actor.objects.filter(name="Volodymyr Zelensky").exists()
    # his statement cannot be accepted with him as speaker, and nothing is written trying
    quote = proposal(source, "statement", QUOTE)
    with pytest.raises(
        review.ReviewError, match=r"^its speaker is Volodymyr Zelensky \(rejected\): choose another speaker$"
    ):
        review.proposal_accept(proposal=quote, user=editor)
    assert not Statement.objects.filter(status="draft").exists()
    assert not Actor.objects.filter(name="Ukraine").exists()  # his affiliation was not accepted either
    # ... until the editor names another speaker
    gatilov = Actor.objects.get(slug="gennady-gatilov")
    statement = review.proposal_accept(proposal=quote, user=editor, speaker=gatilov).record
    assert statement.speaker == gatilov


def test_a_statement_without_a_speaker_needs_one_chosen(source, editor):
    asked = proposal(source, "statement", "I asked Zelensky whether Trump and the others had a point")
    assert asked.data["speaker"] is None
    with pytest.raises(review.ReviewError, match="^no speaker was found for this statement: choose one$"):
        review.proposal_accept(proposal=asked, user=editor)
    bbc = IntakeProposal.objects.get(source=source, kind="actor", ref="bbc")
    statement = review.proposal_accept(proposal=asked, user=editor, speaker=bbc).record
    assert statement.speaker.name == "BBC"
    bbc.refresh_from_db()
    assert bbc.state == "accepted" and bbc.actor == statement.speaker


def test_a_decision_is_made_once(source, editor):
    putin = IntakeProposal.objects.get(source=source, kind="actor", ref="vladimir-putin")
    review.proposal_accept(proposal=putin, user=editor)
    with pytest.raises(review.ReviewError, match="^this proposal was already accepted$"):
        review.proposal_accept(proposal=putin, user=editor)
    with pytest.raises(review.ReviewError, match="^this proposal was already accepted$"):
        review.proposal_reject(proposal=putin, user=editor)


def test_a_new_actor_that_exists_by_now_is_linked_not_duplicated(source, editor):
    Actor.objects.create(slug="nato", name="NATO", kind="international_organisation")
    nato = IntakeProposal.objects.get(source=source, kind="actor", ref="nato")
    accepted = review.proposal_accept(proposal=nato, user=editor)
    assert accepted.linked_to_existing and accepted.record.slug == "nato"
    assert Actor.objects.filter(name="NATO").count() == 1


def test_deciding_needs_the_right_to_add_what_it_becomes(source):
    reader = User.objects.create_user("intake-reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_source"))
    quote = proposal(source, "statement", QUOTE)
    with pytest.raises(PermissionDenied, match="needs the permission to add statements"):
        review.proposal_accept(proposal=quote, user=reader)
    with pytest.raises(PermissionDenied, match="needs the permission to add statements"):
        review.proposal_reject(proposal=quote, user=reader)
    # may add statements, not actors: the new speaker cannot come with it
    reader.user_permissions.add(Permission.objects.get(codename="add_statement"))
    reader = User.objects.get(pk=reader.pk)  # permissions are cached per instance
    with pytest.raises(
        PermissionDenied, match="^deciding on a proposed new actor needs the permission to add actors$"
    ):
        review.proposal_accept(proposal=quote, user=reader)
    quote.refresh_from_db()
    assert quote.state == "pending" and not Statement.objects.filter(status="draft").exists()


def test_bulk_accept_takes_each_on_its_own(source, editor):
    chosen = [
        proposal(source, "statement", QUOTE),
        proposal(
            source, "statement", "I asked Zelensky whether Trump and the others had a point"
        ),  # no speaker
        IntakeProposal.objects.get(source=source, kind="actor", ref="volodymyr-zelensky"),
    ]
    outcome = review.proposals_accept(proposals=chosen, user=editor)
    assert [type(item.record).__name__ for item in outcome.done] == ["Actor", "Statement"]
    assert [(p.pk, problem) for p, problem in outcome.refused] == [
        (chosen[1].pk, "no speaker was found for this statement: choose one")
    ]
    assert IntakeProposal.objects.filter(source=source, state="accepted").count() == 4  # with Ukraine
