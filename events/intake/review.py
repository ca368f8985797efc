"""Accepting intake proposals into draft records, and rejecting them, recording who and when.

Accepting goes through the services every writer uses (`events.services`), so a proposal
becomes an ordinary record under the ordinary rules:

- a **statement** becomes a draft Statement (`services.statement_save`), cited by the
  proposal's exact excerpt at its offsets; a quote's words must be in it, as always;
- an **event** becomes a draft Event (`services.event_save`), cited the same way, with its
  participants, conflicts, location and date (words, bounds and precision as proposed);
- a **new actor** becomes an Actor (with a citation of the passage that names it) only now:
  actors have no review status and are public once they exist. If an actor of that name
  (or alias) exists by then (another article's proposal accepted meanwhile), the proposal
  is linked to it instead of making a duplicate.

A statement or event that names a new actor still pending accepts that actor with it,
in the same transaction, and says so (`Accepted.with_actors`): accepting "Lavrov said ..."
is the editor's word that Lavrov is its speaker, and a second click would add nothing but
a way to leave the statement without one. A rejected new actor is never created behind the
editor's back: a statement whose speaker was rejected is refused until another speaker is
chosen, and an event or "about" list simply leaves it out (`Accepted.left_out` says so).

Permissions: accepting or rejecting a proposal needs the right to add what it would become
(`events.add_statement`, `add_event`, `add_actor`; `add_actor` too for the actors accepted
with it). `user` None is the operator at the shell, as in `events.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from events import services
from events.choices import ProposalKind, ProposalState, ReviewStatus
from events.intake.store import unique_slug
from events.models import Actor, Citation, Conflict, Event, IntakeProposal, Source, Statement

PENDING, ACCEPTED, REJECTED = ProposalState.PENDING, ProposalState.ACCEPTED, ProposalState.REJECTED
_MODEL = {ProposalKind.ACTOR: Actor, ProposalKind.STATEMENT: Statement, ProposalKind.EVENT: Event}

# Who speaks, when the editor chooses: an actor, or a new-actor proposal of the same source.
SpeakerChoice = Actor | IntakeProposal


class ReviewError(ValueError):
    """A proposal cannot be accepted or rejected as it is; the message says why."""


@dataclass(frozen=True)
class Accepted:
    """One accepted proposal: the draft record (or actor) it became, the new actors accepted
    with it, and the actors it named that were left out (with why)."""

    proposal: IntakeProposal
    record: Actor | Event | Statement
    with_actors: tuple[Actor, ...] = ()
    left_out: tuple[str, ...] = ()
    linked_to_existing: bool = False


@dataclass
class BulkOutcome:
    """What a bulk decision did: each proposal accepted (or rejected), and each refused with why."""

    done: list[Accepted | IntakeProposal] = field(default_factory=list)
    refused: list[tuple[IntakeProposal, str]] = field(default_factory=list)


def proposal_accept(
    *,
    proposal: IntakeProposal,
    user: AbstractBaseUser | None,
    speaker: SpeakerChoice | None = None,
) -> Accepted:
    """Turn a pending proposal into a draft record (see the module docstring); all or nothing.

    `speaker` (statements only) replaces the proposed speaker: needed when none was found.
    Raises ReviewError (nothing written) or PermissionDenied."""
    _require_add(user, proposal.kind)
    try:
        with transaction.atomic():
            acceptance = _Acceptance(proposal, user)
            return acceptance.run(speaker)
    except services.RuleError as err:
        raise ReviewError(f"{err.field}: {err}") from err
    except IntegrityError as err:
        raise ReviewError(f"the database refused it: {_database_message(err)}") from err


def proposal_reject(*, proposal: IntakeProposal, user: AbstractBaseUser | None) -> IntakeProposal:
    """Mark a pending proposal rejected, by `user`, now. Nothing else changes."""
    _require_add(user, proposal.kind)
    with transaction.atomic():
        locked = _locked_pending(proposal)
        _decide(locked, REJECTED, user)
    return locked


def proposals_accept(
    *,
    proposals: Iterable[IntakeProposal],
    user: AbstractBaseUser | None,
    speakers: Mapping[int, SpeakerChoice] | None = None,
) -> BulkOutcome:
    """Accept each proposal on its own (one failing leaves the others accepted): new actors
    first, then in text order. One already accepted with another (an actor accepted with its
    statement) is not reported twice."""
    outcome = BulkOutcome()
    ordered = sorted(proposals, key=lambda p: (p.kind != ProposalKind.ACTOR, p.start_offset, p.pk))
    accepted_along: set[int] = set()
    for proposal in ordered:
        if proposal.pk in accepted_along:
            continue
        try:
            accepted = proposal_accept(
                proposal=proposal, user=user, speaker=(speakers or {}).get(proposal.pk)
            )
        except (ReviewError, PermissionDenied) as err:
            outcome.refused.append((proposal, str(err)))
            continue
        outcome.done.append(accepted)
        accepted_along.update(
            p.pk
            for p in IntakeProposal.objects.filter(actor__in=accepted.with_actors, source=proposal.source_id)
        )
    return outcome


def proposals_reject(*, proposals: Iterable[IntakeProposal], user: AbstractBaseUser | None) -> BulkOutcome:
    """Reject each pending proposal; those already decided (or not the user's to decide) are refused."""
    outcome = BulkOutcome()
    for proposal in proposals:
        try:
            outcome.done.append(proposal_reject(proposal=proposal, user=user))
        except (ReviewError, PermissionDenied) as err:
            outcome.refused.append((proposal, str(err)))
    return outcome


# --------------------------------------------------------------------------- the work


class _Acceptance:
    """One accept: the proposal, locked, and the new actors of its source, resolved as needed."""

    def __init__(self, proposal: IntakeProposal, user: AbstractBaseUser | None):
        self.proposal = _locked_pending(proposal)
        self.source: Source = self.proposal.source
        self.user = user
        self.with_actors: list[Actor] = []
        self.left_out: list[str] = []
        self._new_actors: dict[str, IntakeProposal] | None = None
        self.linked_to_existing = False

    def run(self, speaker: SpeakerChoice | None) -> Accepted:
        kind = self.proposal.kind
        if kind == ProposalKind.ACTOR:
            if speaker is not None:
                raise ReviewError("only a statement has a speaker")
            record: Actor | Event | Statement = self.accept_actor(self.proposal)
        elif kind == ProposalKind.STATEMENT:
            record = self.statement(speaker)
            _decide(self.proposal, ACCEPTED, self.user, statement=record)
        else:
            if speaker is not None:
                raise ReviewError("only a statement has a speaker")
            record = self.event()
            _decide(self.proposal, ACCEPTED, self.user, event=record)
        return Accepted(
            proposal=self.proposal,
            record=record,
            with_actors=tuple(self.with_actors),
            left_out=tuple(self.left_out),
            linked_to_existing=self.linked_to_existing,
        )

    # -- actors

    def new_actor_proposals(self) -> dict[str, IntakeProposal]:
        """The source's new-actor proposals by provisional slug, locked (one query, on first need)."""
        if self._new_actors is None:
            rows = IntakeProposal.objects.select_for_update().filter(
                source=self.source, kind=ProposalKind.ACTOR
            )
            self._new_actors = {row.ref: row for row in rows}
            if self.proposal.kind == ProposalKind.ACTOR:
                self._new_actors[self.proposal.ref] = self.proposal
        return self._new_actors

    def actor_for(self, ref: dict | None) -> Actor | None:
        """The actor a proposal names (an `ActorRef` as JSON), accepting a pending new actor;
        None (and a note in `left_out`) for a rejected one or one no longer in the database."""
        if ref is None:
            return None
        if not ref["new"]:
            actor = Actor.objects.filter(slug=ref["slug"]).first()
            if actor is None:
                self.left_out.append(f"{ref['name']} (no longer in the database)")
            return actor
        proposal = self.new_actor_proposals().get(ref["slug"])
        return self.actor_of_proposal(proposal, name=ref["name"])

    def actor_of_proposal(self, proposal: IntakeProposal | None, *, name: str) -> Actor | None:
        if proposal is None or (proposal.state == ACCEPTED and proposal.actor is None):
            self.left_out.append(f"{name} (no longer in the database)")
            return None
        if proposal.state == REJECTED:
            self.left_out.append(f"{name} (rejected)")
            return None
        if proposal.state == ACCEPTED:
            return proposal.actor
        return self.accept_actor(proposal)

    def accept_actor(self, proposal: IntakeProposal) -> Actor:
        _require_add(self.user, ProposalKind.ACTOR)
        data = proposal.data
        # Marked accepted before its affiliation is looked up, so two new actors naming each
        # other cannot loop.
        proposal.state = ACCEPTED
        affiliation = self.actor_for(data.get("affiliation"))
        name = data["name"]
        actor = (
            Actor.objects.filter(Q(name__iexact=name) | Q(aliases__contains=[name])).order_by("pk").first()
        )
        if actor is not None:
            if proposal is self.proposal:
                self.linked_to_existing = True
        else:
            actor = Actor(
                slug=unique_slug(Actor, name),
                name=name,
                kind=data["kind"],
                description=data.get("description", "")[:500],
                affiliation=affiliation,
            )
            actor._history_user = self.user
            actor.save()
        (span,) = services.citation_spans(
            [services.CitationInput(self.source, proposal.excerpt, start=proposal.start_offset)]
        )
        _, start, end, excerpt = span
        Citation.objects.get_or_create(
            source=self.source, actor=actor, start_offset=start, end_offset=end, defaults={"excerpt": excerpt}
        )
        _decide(proposal, ACCEPTED, self.user, actor=actor)
        if proposal is not self.proposal:
            self.with_actors.append(actor)
        return actor

    # -- statements and events

    def statement(self, speaker: SpeakerChoice | None) -> Statement:
        data = self.proposal.data
        if isinstance(speaker, IntakeProposal):
            if speaker.source_id != self.source.pk or speaker.kind != ProposalKind.ACTOR:
                raise ReviewError("the speaker chosen is not a new actor proposed from this source")
            chosen = self.actor_of_proposal(
                self.new_actor_proposals().get(speaker.ref), name=speaker.data["name"]
            )
        elif speaker is not None:
            chosen = speaker
        elif data["speaker"] is None:
            raise ReviewError("no speaker was found for this statement: choose one")
        else:
            chosen = self.actor_for(data["speaker"])
        if chosen is None:
            raise ReviewError(f"its speaker is {self.left_out[-1]}: choose another speaker")
        about = _unique(self.actor_for(ref) for ref in data["about"])
        words = data["words"]
        fields = {
            "slug": unique_slug(Statement, f"{chosen.slug} {_first_words(words)} {self._day(data)}"),
            "speaker": chosen,
            "kind": data["kind"],
            "text": words,
            "status": ReviewStatus.DRAFT,
            **_date_fields(data["date"]),
        }
        return services.statement_save(
            statement=None,
            fields=fields,
            user=self.user,
            about=about,
            conflicts=list(Conflict.objects.filter(slug__in=data["conflicts"])),
            citations=[self.citation()],
        )

    def event(self) -> Event:
        data = self.proposal.data
        participants: dict[tuple[int, str], tuple[Actor, str]] = {}
        for participant in data["participants"]:
            actor = self.actor_for(participant["actor"])
            if actor is not None:
                participants.setdefault((actor.pk, participant["role"]), (actor, participant["role"]))
        title = data["title"] if len(data["title"]) <= 500 else data["title"][:499] + "…"
        fields = {
            "slug": unique_slug(Event, f"{_first_words(title)} {self._day(data)}"),
            "title": title,
            "type": data["type"],
            "location": data["location"][:300],
            "status": ReviewStatus.DRAFT,
            **_date_fields(data["date"]),
        }
        return services.event_save(
            event=None,
            fields=fields,
            user=self.user,
            conflicts=list(Conflict.objects.filter(slug__in=data["conflicts"])),
            participants=list(participants.values()),
            citations=[self.citation()],
        )

    def citation(self) -> services.CitationInput:
        """The proposal's exact excerpt, at its offsets: what the record cites."""
        return services.CitationInput(self.source, self.proposal.excerpt, start=self.proposal.start_offset)

    def _day(self, data: dict) -> str:
        return data["date"].get("start") or self.source.published_on.isoformat()


# --------------------------------------------------------------------------- helpers


def _require_add(user: AbstractBaseUser | None, kind: str) -> None:
    if user is None:
        return
    model = _MODEL[ProposalKind(kind)]
    if not user.has_perm(f"events.add_{model._meta.model_name}"):
        raise PermissionDenied(
            f"deciding on a proposed {ProposalKind(kind).label.lower()} needs the permission to add "
            f"{model._meta.verbose_name_plural}"
        )


def _locked_pending(proposal: IntakeProposal) -> IntakeProposal:
    locked = IntakeProposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)
    if locked.state != PENDING:
        raise ReviewError(f"this proposal was already {locked.state}")
    return locked


def _decide(proposal: IntakeProposal, state: str, user: AbstractBaseUser | None, **record) -> None:
    proposal.state = state
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    for name, value in record.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["state", "decided_by", "decided_at", *record])


def _date_fields(date: dict) -> dict:
    """The model's date fields for a proposed date (words, bounds and precision as proposed)."""

    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    return services.fuzzy_date_fields(
        text=date["words"],
        start=day(date["start"]),
        end=day(date["end"]),
        precision=date["precision"],
        anchor=day(date["anchor"]),
    )


def _first_words(text: str, count: int = 8) -> str:
    return " ".join(text.split()[:count])


def _unique(actors: Iterable[Actor | None]) -> list[Actor]:
    seen: dict[int, Actor] = {}
    for actor in actors:
        if actor is not None:
            seen.setdefault(actor.pk, actor)
    return list(seen.values())


def _database_message(err: IntegrityError) -> str:
    cause = err.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and diag.message_primary:
        return diag.message_primary
    return str(err).splitlines()[0]
