"""The editorial workflow: draft → reviewed → published, recording who moved a record and when.

Each record is saved one by one (not a bulk UPDATE) so its history keeps every step.
Publishing and unpublishing need the model's publish permission
(`events.publish_event`, `events.publish_statement`); marking reviewed needs change.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from events.choices import ReviewStatus


@dataclass(frozen=True)
class ReviewResult:
    """How many records changed, and how many were left as they were (with why)."""

    changed: int
    skipped: int
    reason: str = ""


def can_publish(user: AbstractBaseUser, model: type) -> bool:
    return user.has_perm(f"events.publish_{model._meta.model_name}")


@transaction.atomic
def records_mark_reviewed(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Drafts become reviewed, by `user`, now. Other records are left alone."""
    changed = 0
    for record in records.select_for_update():
        if record.status != ReviewStatus.DRAFT:
            continue
        record.status, record.reviewed_by, record.reviewed_at = ReviewStatus.REVIEWED, user, timezone.now()
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        changed += 1
    return ReviewResult(changed, records.count() - changed, "only drafts can be marked reviewed")


@transaction.atomic
def records_publish(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Reviewed records become published. Drafts must be reviewed first; needs the publish permission."""
    if not can_publish(user, records.model):
        raise PermissionDenied(
            f"publishing {records.model._meta.verbose_name_plural} needs the publish permission"
        )
    changed = 0
    for record in records.select_for_update():
        if record.status != ReviewStatus.REVIEWED:
            continue
        record.status, record.published_by, record.published_at = ReviewStatus.PUBLISHED, user, timezone.now()
        record.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        changed += 1
    return ReviewResult(changed, records.count() - changed, "only reviewed records can be published")


@transaction.atomic
def records_unpublish(*, records: QuerySet, user: AbstractBaseUser) -> ReviewResult:
    """Published records go back to reviewed (hidden from the public); needs the publish permission."""
    if not can_publish(user, records.model):
        raise PermissionDenied(
            f"unpublishing {records.model._meta.verbose_name_plural} needs the publish permission"
        )
    changed = 0
    for record in records.select_for_update():
        if record.status != ReviewStatus.PUBLISHED:
            continue
        record.status = ReviewStatus.REVIEWED
        record.save(update_fields=["status", "updated_at"])
        changed += 1
    return ReviewResult(changed, records.count() - changed, "only published records can be unpublished")
