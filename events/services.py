"""Writes: the rules every writer applies (the loader, the API, the admin, intake), and saving events and statements.

- an excerpt must be in its source (`events.excerpts`): `citation_spans`;
- a date is either words resolved against the source's publication date or explicit
  bounds whose shape fits their precision (`events.dates`): `fuzzy_date_fields`;
- a quote's words must be in one of its citations, and are stored as the source prints
  them: `quote_as_printed`;
- publishing or unpublishing needs the publish permission: `require_publish_right`.

Every writer calls these same functions. PostgreSQL enforces what it can again underneath
(see `events.models`): date shapes, excerpts at their offsets, and that every event and
statement keeps at least one citation.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from simple_history.utils import bulk_create_with_history

from events import dates
from events.choices import ReviewStatus
from events.excerpts import fold, locate_excerpt
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement


class RuleError(ValueError):
    """Input breaks a curation rule; `field` names the input field, the message says why."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class PublishDenied(PermissionDenied):
    """Publishing or unpublishing without the publish permission; the message says which."""


def can_publish(user, model: type) -> bool:
    """Whether `user` may publish and unpublish records of `model` (`events.publish_<model>`)."""
    return user.has_perm(f"events.publish_{model._meta.model_name}")


def require_publish_right(user, model: type, *, current: str | None, wanted: str | None) -> None:
    """Refuse a change of status into or out of "published" by a user without the publish permission.

    `user` None is a trusted command run by the operator (the seed loader, ingest_article
    from the shell). A new record starts from `current` None.
    """
    if user is None or wanted is None or wanted == current:
        return
    if ReviewStatus.PUBLISHED not in (current, wanted):
        return
    if not can_publish(user, model):
        verb = "publishing" if wanted == ReviewStatus.PUBLISHED else "unpublishing"
        raise PublishDenied(f"{verb} {model._meta.verbose_name_plural} needs the publish permission")


def quote_as_printed(text: str, excerpts: Sequence[str]) -> str:
    """A quote's words as the source prints them (curly quotes and all), found in one of the excerpts.

    Straight and curly quotes and plain and non-breaking spaces match each other; nothing
    else does. Raises RuleError("text") when no excerpt holds the words.
    """
    words = text.strip()
    for excerpt in excerpts:
        position = fold(excerpt).find(fold(words))
        if words and position != -1:
            return excerpt[position : position + len(words)]
    raise RuleError("text", "a quote must appear word for word in one of its citations")


@dataclass(frozen=True)
class CitationInput:
    source: Source
    excerpt: str


def fuzzy_date_fields(
    *,
    text: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    precision: str | None = None,
    anchor: datetime.date | None,
) -> dict:
    """Model fields for a date given as words (resolved against `anchor`) or as explicit bounds.

    Words win when both are given and must then agree with any explicit bounds.
    """
    if text.strip() and precision is None and start is None and end is None:
        try:
            resolved = dates.resolve(text, anchor=anchor)
        except dates.DateResolutionError as err:
            raise RuleError("date", str(err)) from err
        start, end, precision, text = resolved.start, resolved.end, str(resolved.precision), resolved.text
    elif precision is None:
        raise RuleError("date", 'give the date as text (e.g. "on Thursday") or as start, end and precision')
    else:
        if precision != "unknown" and (start is None or end is None):
            raise RuleError("date", f"a {precision}-precision date needs a start and an end")
        if precision == "unknown" and (start is not None or end is not None):
            raise RuleError("date", "an unknown date has no start or end")
        problem = dates.shape_error(start, end, precision)
        if problem:
            raise RuleError("date", problem)
    return {
        "date_text": text.strip(),
        "date_anchor": anchor,
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
    }


def citation_spans(citations: Sequence[CitationInput]) -> list[tuple[Source, int, int, str]]:
    """Each excerpt placed in its source: (source, start, end, excerpt as the source writes it)."""
    spans = []
    for index, citation in enumerate(citations):
        try:
            span = locate_excerpt(citation.source.text, citation.excerpt, furniture=citation.source.furniture)
        except ValueError as err:
            raise RuleError(f"citations[{index}].excerpt", str(err)) from err
        spans.append((citation.source, span.start, span.end, span.excerpt))
    if not spans:
        raise RuleError("citations", "at least one citation is required: the source words that support this")
    return spans


def rows_replace(*, old: QuerySet, new: Sequence[models.Model]) -> None:
    """Replace the rows `old` with `new`, leaving a history row for each deletion and creation.

    Plain bulk deletes and inserts bypass the model signals that history relies on.
    """
    for row in old:
        row.delete()
    if new:
        bulk_create_with_history(list(new), type(new[0]))


def _replace_citations(
    instance: Event | Statement, link: str, spans: list[tuple[Source, int, int, str]]
) -> None:
    rows_replace(
        old=Citation.objects.filter(**{link: instance}),
        new=[
            Citation(source=source, start_offset=start, end_offset=end, excerpt=excerpt, **{link: instance})
            for source, start, end, excerpt in dict.fromkeys(spans)
        ],
    )


@transaction.atomic
def event_save(
    *,
    event: Event | None,
    fields: dict,
    user=None,
    conflicts: Sequence[Conflict] | None = None,
    participants: Sequence[tuple[Actor, str]] | None = None,
    citations: Sequence[CitationInput] | None = None,
) -> Event:
    """Create (event=None) or update an event as `user`; relations given as None are left as they are."""
    require_publish_right(user, Event, current=event.status if event else None, wanted=fields.get("status"))
    spans = citation_spans(citations) if citations is not None else None
    if participants is not None:
        pairs = [(actor.pk, role) for actor, role in participants]
        if len(set(pairs)) != len(pairs):
            raise RuleError("participants", "an actor takes a given role in an event once")
    event = event or Event()
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    if conflicts is not None:
        event.conflicts.set(conflicts)
    if participants is not None:
        rows_replace(
            old=event.participations.all(),
            new=[EventParticipant(event=event, actor=actor, role=role) for actor, role in participants],
        )
    if spans is not None:
        _replace_citations(event, "event", spans)
    return event


@transaction.atomic
def statement_save(
    *,
    statement: Statement | None,
    fields: dict,
    user=None,
    about: Sequence[Actor] | None = None,
    conflicts: Sequence[Conflict] | None = None,
    citations: Sequence[CitationInput] | None = None,
) -> Statement:
    """Create (statement=None) or update a statement as `user`; a quote must be word for word in a citation."""
    require_publish_right(
        user, Statement, current=statement.status if statement else None, wanted=fields.get("status")
    )
    spans = citation_spans(citations) if citations is not None else None
    kind = fields.get("kind", statement.kind if statement else None)
    text = fields.get("text", statement.text if statement else "")
    if kind == "quote":
        cited = (
            [excerpt for *_, excerpt in spans]
            if spans is not None
            else list(statement.citations.values_list("excerpt", flat=True))
        )
        fields = {**fields, "text": quote_as_printed(text, cited)}
    statement = statement or Statement()
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.save()
    if about is not None:
        statement.about.set(about)
    if conflicts is not None:
        statement.conflicts.set(conflicts)
    if spans is not None:
        _replace_citations(statement, "statement", spans)
    return statement
