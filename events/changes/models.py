"""The change log's tables: the records a transaction touched, what it changed that documents show, and how far back the log reaches.

The rows are written by triggers only (`events.changes.triggers`), in the transaction that
changed the record, so a change cannot be committed without its row nor a row without
its change. What a row means to a reader is decided when it is read (`events.changes.feed`).
"""

from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models.functions import Now


class Change(models.Model):
    """The record of kind `kind` known as `slug` may look different after transaction `xid`.

    One row per (transaction, kind, slug), however often the transaction touched the
    record; a rename writes two (the old slug and the new). The feed orders rows by
    (xid, kind, slug) and reads each record's document as it is when the row is read.

    `public` says whether anonymous readers may be affected: true when the transaction
    touched the record while it was published (or it is of a kind with no review
    status), false when it touched only a draft or reviewed record, null when the
    record's document shows a record that changed (a renamed speaker) and the record's
    own status was not read: then only a reader who can see the record now is told.
    """

    pk = models.CompositePrimaryKey("xid", "kind", "slug")
    xid = models.BigIntegerField(help_text="The writing transaction's id, pg_current_xact_id().")
    kind = models.CharField(
        max_length=16, db_collation="C", help_text="event, statement, actor, conflict or source."
    )
    slug = models.CharField(
        max_length=200, db_collation="C", help_text="The record's slug in that transaction."
    )
    public = models.BooleanField(null=True)
    merged_into = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="The slug of the record this one was merged into, when a merge removed it.",
    )
    recorded_at = models.DateTimeField(db_default=Now(), help_text="When the transaction started.")

    class Meta:
        indexes = [
            # Retention prunes by age. A block range index costs writers almost nothing: rows
            # are appended roughly in time order.
            BrinIndex(fields=["recorded_at"], name="events_change_recorded_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug} in transaction {self.xid}"


class ShownChange(models.Model):
    """In transaction `xid`, the record `target_id` changed columns that documents show through `shows`.

    `shows` names one way a document shows another record (`events.changes.kinds.Shows`,
    "statement.speaker"): renaming an actor changes every statement it speaks. One row
    stands for all of those documents; the feed reads which they are when it reads the
    row (`events.changes.feed`), so a rename costs its writer one row however many
    documents show the record. The first page that reads the row writes those entries
    into the log (`expanded`), so the pages after it read them as any other.
    """

    pk = models.CompositePrimaryKey("xid", "shows", "target_id")
    xid = models.BigIntegerField(help_text="The writing transaction's id, pg_current_xact_id().")
    shows = models.CharField(
        max_length=64, db_collation="C", help_text="The owner kind and document key, as 'statement.speaker'."
    )
    target_id = models.BigIntegerField(help_text="The id of the record whose shown columns changed.")
    expanded = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Whether the feed has written the entries this row stands for into the log itself.",
    )

    def __str__(self) -> str:
        return f"{self.shows} of record {self.target_id} in transaction {self.xid}"


class ChangeHorizon(models.Model):
    """Where the change log begins: every row at or before this position is gone.

    Retention (`changes_prune`) removes old rows and a TRUNCATE of a record table removes
    what no row can describe; either moves the horizon forward. A cursor from before it
    could have missed a change, and is answered 410 Gone. One row, id 1, or none while
    nothing was ever removed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    xid = models.BigIntegerField()
    kind = models.CharField(max_length=16, db_collation="C", blank=True)
    slug = models.CharField(max_length=200, db_collation="C", blank=True)
    reason = models.CharField(max_length=200)
    moved_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.CheckConstraint(name="events_changehorizon_single_row", condition=models.Q(id=1)),
        ]

    def __str__(self) -> str:
        return f"change log horizon ({self.xid}, {self.kind}, {self.slug}): {self.reason}"
