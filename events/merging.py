"""Merge duplicate actors into one, keeping every link and every name.

`actors_merge(target=russia, others=[kremlin])` repoints everything that refers to the
duplicates (participations, statements spoken and spoken about, conflict parties,
affiliations, citations) to the target, adds the duplicates' names and aliases to the
target's aliases, and deletes the duplicates, in one transaction. The links are moved
set-based (one UPDATE or DELETE per kind of link, with a history row for each record
moved), so an actor in tens of thousands of events is merged within a request; the
many-to-many links (statements about the actor, conflict parties) are moved record by
record, so their records' histories show them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from events.changes.feed import change_log_merge
from events.models import Actor, Citation, EventParticipant

MERGE_REASON = "merge"


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
    """Merge `others` into `target`; refuses self-merges, and different kinds unless confirmed.

    The actors are locked first, in id order, and read again under the lock: the target
    kept is its latest saved version, so an edit another editor saved a moment before is
    kept, not overwritten by the copy the merge was asked with; an edit saved meanwhile
    waits for the merge, and a participation, statement or citation added to a duplicate
    by a concurrent transaction waits too (its link takes a share lock on the actor)
    instead of appearing after the moves and blocking the delete.
    """
    if any(other.pk == target.pk for other in others):
        raise MergeError(f"cannot merge {target.name} into itself")
    if not others:
        raise MergeError("choose at least one actor to merge into the target")
    problems = merge_problems(target=target, others=others)
    if problems and not confirm_kinds:
        raise MergeError("actors of different kinds need confirmation: " + "; ".join(problems))

    locked = {
        actor.pk: actor
        for actor in Actor.objects.select_for_update()
        .filter(pk__in=[target.pk, *(other.pk for other in others)])
        .order_by("pk")
    }
    target = locked[target.pk]
    report = MergeReport(target=target.slug)
    for other in others:
        _merge_one(target, locked[other.pk], report)
    return report


def _moved(queryset: QuerySet, field: str, target: Actor) -> int:
    """Point `field` of every row of `queryset` at `target` in one UPDATE, with one history row each.

    One statement, so the triggers keeping stored lists and counts run once for the whole
    set, not once a row; the history rows are written in bulk, as saves would have.
    """
    rows = list(queryset)
    if not rows:
        return 0
    queryset.model.objects.filter(pk__in=[row.pk for row in rows]).update(**{field: target})
    for row in rows:
        setattr(row, field, target)
    queryset.model.history.bulk_history_create(rows, update=True, default_change_reason=MERGE_REASON)
    return len(rows)


def _deleted(queryset: QuerySet) -> int:
    """Delete the rows of `queryset` in one DELETE (with a history row each, from Django's delete signals)."""
    count = queryset.count()
    if count:
        queryset.delete()
    return count


def _merge_one(target: Actor, other: Actor, report: MergeReport) -> None:
    # Participations: where the target already has the same role in the same event, the
    # duplicate's is dropped; every other moves.
    taken = EventParticipant.objects.filter(actor=target, event=OuterRef("event"), role=OuterRef("role"))
    participations = other.participations.annotate(taken=Exists(taken))
    report.participations += _deleted(participations.filter(taken=True))
    report.participations += _moved(other.participations.all(), "actor", target)
    report.statements += _moved(other.statements.all(), "speaker", target)
    for statement in other.mentioned_in.all():
        statement.about.remove(other)
        statement.about.add(target)
        report.mentions += 1
    for conflict in other.conflicts.all():
        conflict.parties.remove(other)
        conflict.parties.add(target)
        report.conflicts += 1
    report.affiliates += _moved(other.affiliates.exclude(pk=target.pk), "affiliation", target)
    if other.affiliates.filter(pk=target.pk).exists():  # the target was the duplicate's affiliate
        target.affiliation = None
        report.affiliates += 1
    # Citations: a passage the target is already cited by is dropped; the others move.
    same_passage = Citation.objects.filter(
        actor=target,
        source=OuterRef("source"),
        start_offset=OuterRef("start_offset"),
        end_offset=OuterRef("end_offset"),
    )
    citations = other.citations.annotate(same=Exists(same_passage))
    report.citations += _deleted(citations.filter(same=True))
    report.citations += _moved(other.citations.all(), "actor", target)

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
