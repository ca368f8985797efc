"""Merge duplicate actors into one, keeping every link and every name.

`actors_merge(target=russia, others=[kremlin])` repoints everything that refers to the
duplicates (participations, statements spoken and spoken about, conflict parties,
affiliations, citations) to the target, adds the duplicates' names and aliases to the
target's aliases, and deletes the duplicates, in one transaction. The links are moved
set-based (one UPDATE or DELETE per kind of link, with a history row for each record
moved); the many-to-many links (statements about the actor, conflict parties) are moved
record by record, so their records' histories show them.

Every event a moved participation changes has its stored lists rewritten, and every
record moved is counted again and logged for the change feed, so a merge takes time in
proportion to the links it moves: 73 s for the million-event corpus's most frequent
actor (47,921 participations, 28,506 statements; docs/SCALING.md), past a request's 30 s.
The admin therefore merges in the request only up to `MERGE_IN_REQUEST_LINKS` links
(`links_to_move`) and queues larger merges for a worker (`events.merge_jobs`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from events.changes.feed import change_log_merge
from events.models import Actor, Citation, EventParticipant, Statement

MERGE_REASON = "merge"
# The steps of merging one duplicate, as `on_step` names them.
STEPS = (
    "participations",
    "statements spoken",
    "statements about",
    "conflict parties",
    "affiliates",
    "citations",
    "names, and the duplicate deleted",
)

# on_step(what, done, total): called before each step; `done` steps of `total` are finished.
StepHook = Callable[[str, int, int], None]


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


def merge_refusal(*, target: Actor, others: Sequence[Actor], confirm_kinds: bool = False) -> str | None:
    """Why merging `others` into `target` is refused (a self-merge, nothing to merge, kinds
    differing without confirmation), or None."""
    if any(other.pk == target.pk for other in others):
        return f"cannot merge {target.name} into itself"
    if not others:
        return "choose at least one actor to merge into the target"
    problems = merge_problems(target=target, others=others)
    if problems and not confirm_kinds:
        return "actors of different kinds need confirmation: " + "; ".join(problems)
    return None


def links_to_move(others: Sequence[Actor]) -> int:
    """How many links a merge of `others` moves: what its time grows with."""
    ids = [other.pk for other in others]
    return (
        EventParticipant.objects.filter(actor__in=ids).count()
        + Statement.objects.filter(speaker__in=ids).count()
        + Statement.about.through.objects.filter(actor__in=ids).count()
        + Citation.objects.filter(actor__in=ids).count()
    )


@transaction.atomic
def actors_merge(
    *,
    target: Actor,
    others: Sequence[Actor],
    confirm_kinds: bool = False,
    on_step: StepHook | None = None,
) -> MergeReport:
    """Merge `others` into `target`; refuses self-merges, and different kinds unless confirmed.

    The actors are locked first, in id order, and read again under the lock: the target
    kept is its latest saved version, so an edit another editor saved a moment before is
    kept, not overwritten by the copy the merge was asked with; an edit saved meanwhile
    waits for the merge, and a participation, statement or citation added to a duplicate
    by a concurrent transaction waits too (its link takes a share lock on the actor)
    instead of appearing after the moves and blocking the delete.
    """
    refusal = merge_refusal(target=target, others=others, confirm_kinds=confirm_kinds)
    if refusal:
        raise MergeError(refusal)

    locked = {
        actor.pk: actor
        for actor in Actor.objects.select_for_update()
        .filter(pk__in=[target.pk, *(other.pk for other in others)])
        .order_by("pk")
    }
    target = locked[target.pk]
    report = MergeReport(target=target.slug)
    total = len(STEPS) * len(others)

    def step(index: int, other_index: int) -> None:
        if on_step is not None:
            name = (
                STEPS[index] if len(others) == 1 else f"{STEPS[index]} ({other_index + 1} of {len(others)})"
            )
            on_step(name, other_index * len(STEPS) + index, total)

    for other_index, other in enumerate(others):
        _merge_one(target, locked[other.pk], report, lambda index, i=other_index: step(index, i))
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


def _merge_one(target: Actor, other: Actor, report: MergeReport, step: Callable[[int], None]) -> None:
    # Participations: where the target already has the same role in the same event, the
    # duplicate's is dropped; every other moves.
    step(0)
    taken = EventParticipant.objects.filter(actor=target, event=OuterRef("event"), role=OuterRef("role"))
    participations = other.participations.annotate(taken=Exists(taken))
    report.participations += _deleted(participations.filter(taken=True))
    report.participations += _moved(other.participations.all(), "actor", target)
    step(1)
    report.statements += _moved(other.statements.all(), "speaker", target)
    step(2)
    for statement in other.mentioned_in.all():
        statement.about.remove(other)
        statement.about.add(target)
        report.mentions += 1
    step(3)
    for conflict in other.conflicts.all():
        conflict.parties.remove(other)
        conflict.parties.add(target)
        report.conflicts += 1
    step(4)
    report.affiliates += _moved(other.affiliates.exclude(pk=target.pk), "affiliation", target)
    if other.affiliates.filter(pk=target.pk).exists():  # the target was the duplicate's affiliate
        target.affiliation = None
        report.affiliates += 1
    # Citations: a passage the target is already cited by is dropped; the others move.
    step(5)
    same_passage = Citation.objects.filter(
        actor=target,
        source=OuterRef("source"),
        start_offset=OuterRef("start_offset"),
        end_offset=OuterRef("end_offset"),
    )
    citations = other.citations.annotate(same=Exists(same_passage))
    report.citations += _deleted(citations.filter(same=True))
    report.citations += _moved(other.citations.all(), "actor", target)

    step(6)
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
