"""The editorial workflow: draft → reviewed → published, recording who moved a record and when.

Each record is saved one by one (not a bulk UPDATE) so its history keeps every step.
Publishing and unpublishing need the model's publish permission
(`events.publish_event`, `events.publish_statement`); marking reviewed needs change.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from events import services
from events.choices import ReviewStatus

DRAFT, REVIEWED, PUBLISHED = ReviewStatus.DRAFT, ReviewStatus.REVIEWED, ReviewStatus.PUBLISHED


@dataclass(frozen=True)
class ReviewResult:
    """How many records changed, and how many were left as they were (with why)."""

    changed: int
    skipped: int
    reason: str = ""


def _move(records: QuerySet, *, source: str, target: str, stamps: dict, reason: str) -> ReviewResult:
    """Move the `records` in status `source` to `target`, setting `stamps`; others are left alone."""
    changed = 0
    for record in records.select_for_update():
        if record.status != source:
            continue
        record.status = target
        for name, value in stamps.items():
            setattr(record, name, value)
        record.save(update_fields=["status", *stamps, "updated_at"])
        changed += 1
    return ReviewResult(changed, records.count() - changed, reason)


def _require_publish(user: AbstractBaseUser, records: QuerySet, verb: str) -> None:
    # The rule every writer applies (events.services), asked for the whole selection at once.
    if not services.can_publish(user, records.model):
        raise services.PublishDenied(
            f"{verb} {records.model._meta.verbose_name_plural} needs the publish permission"
        )


@transaction.atomic
def records_mark_reviewed(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Drafts become reviewed, by `user`, now. Other records are left alone."""
    stamps = {"reviewed_by": user, "reviewed_at": timezone.now()}
    return _move(
        records, source=DRAFT, target=REVIEWED, stamps=stamps, reason="only drafts can be marked reviewed"
    )


@transaction.atomic
def records_publish(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Reviewed records become published. Drafts must be reviewed first; needs the publish permission."""
    _require_publish(user, records, "publishing")
    stamps = {"published_by": user, "published_at": timezone.now()}
    return _move(
        records,
        source=REVIEWED,
        target=PUBLISHED,
        stamps=stamps,
        reason="only reviewed records can be published",
    )


@transaction.atomic
def records_unpublish(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Published records go back to reviewed (hidden from the public); needs the publish permission."""
    _require_publish(user, records, "unpublishing")
    return _move(
        records,
        source=PUBLISHED,
        target=REVIEWED,
        stamps={},
        reason="only published records can be unpublished",
    )
