"""Merge duplicate actors into one, keeping every link and every name.

`actors_merge(target=russia, others=[kremlin])` repoints everything that refers to the
duplicates (participations, statements spoken and spoken about, conflict parties,
affiliations, citations) to the target, adds the duplicates' names and aliases to the
target's aliases, and deletes the duplicates — in one transaction, saving record by
record so the history shows each change.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from events.changes.feed import change_log_merge
from events.models import Actor, Citation


class MergeError(ValueError):
    """The merge was refused; the message says why."""


@dataclass
class MergeReport:
    """What a merge moved onto the target, by kind of link."""

    target: str
    merged: list[str] = field(default_factory=list)
    participations: int = 0
    statements: int = 0
    mentions: int = 0
    conflicts: int = 0
    affiliates: int = 0
    citations: int = 0
    aliases_added: list[str] = field(default_factory=list)


def merge_problems(*, target: Actor, others: Sequence[Actor]) -> list[str]:
    """Why merging `others` into `target` needs confirmation: differing kinds."""
    return [
        f"{other.name} is a {other.get_kind_display().lower()}, {target.name} a {target.get_kind_display().lower()}"
        for other in others
        if other.kind != target.kind
    ]


@transaction.atomic
def actors_merge(*, target: Actor, others: Sequence[Actor], confirm_kinds: bool = False) -> MergeReport:
    """Merge `others` into `target`; refuses self-merges, and different kinds unless confirmed."""
    if any(other.pk == target.pk for other in others):
        raise MergeError(f"cannot merge {target.name} into itself")
    if not others:
        raise MergeError("choose at least one actor to merge into the target")
    problems = merge_problems(target=target, others=others)
    if problems and not confirm_kinds:
        raise MergeError("actors of different kinds need confirmation: " + "; ".join(problems))

    # Locked first, in id order: a participation, statement or citation added to a duplicate
    # by a concurrent transaction waits for the merge (its link takes a share lock on the
    # actor), instead of appearing after the merge moved the others and blocking the delete.
    list(
        Actor.objects.select_for_update()
        .filter(pk__in=[target.pk, *(other.pk for other in others)])
        .order_by("pk")
    )
    report = MergeReport(target=target.slug)
    for other in others:
        _merge_one(target, other, report)
    return report


def _merge_one(target: Actor, other: Actor, report: MergeReport) -> None:
    for participation in other.participations.select_related("event"):
        if target.participations.filter(event=participation.event, role=participation.role).exists():
            participation.delete()  # the target already has this role in this event
        else:
            participation.actor = target
            participation.save()
        report.participations += 1
    for statement in other.statements.all():
        statement.speaker = target
        statement.save()
        report.statements += 1
    for statement in other.mentioned_in.all():
        statement.about.remove(other)
        statement.about.add(target)
        report.mentions += 1
    for conflict in other.conflicts.all():
        conflict.parties.remove(other)
        conflict.parties.add(target)
        report.conflicts += 1
    for affiliate in other.affiliates.all():
        affiliate.affiliation = None if affiliate.pk == target.pk else target
        affiliate.save()
        report.affiliates += 1
    for citation in other.citations.all():
        duplicate = Citation.objects.filter(
            actor=target,
            source=citation.source_id,
            start_offset=citation.start_offset,
            end_offset=citation.end_offset,
        ).exists()
        if duplicate:
            citation.delete()
        else:
            citation.actor = target
            citation.save()
        report.citations += 1

    known = {name.casefold() for name in [target.name, *target.aliases]}
    for name in [other.name, *other.aliases]:
        if name.casefold() not in known:
            target.aliases.append(name)
            report.aliases_added.append(name)
            known.add(name.casefold())
    if target.affiliation_id == other.pk:
        target.affiliation = None
    if not target.wikidata_qid and other.wikidata_qid:
        target.wikidata_qid = other.wikidata_qid
    report.merged.append(other.slug)
    other.delete()
    # The change feed says "merged into the target" rather than "deleted".
    change_log_merge(kind="actor", slug=other.slug, into=target.slug)
    target.save()
