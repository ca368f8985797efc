"""`manage.py prune_changes [--days N]`: remove the change log's entries older than the retention."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.changes.feed import changes_prune


class Command(BaseCommand):
    help = (
        "Remove the change feed's entries (tombstones included) recorded more than CHANGES_RETENTION_DAYS "
        "days ago, and move the log's horizon: a client holding an older cursor gets 410 Gone and starts "
        "again from the dump. Run it daily (cron, a scheduled job)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days instead (default CHANGES_RETENTION_DAYS, now {settings.CHANGES_RETENTION_DAYS}).",
        )

    def handle(self, *args, days: int | None, **options):
        report = changes_prune(days=days)
        if report.horizon is None:
            self.stdout.write("No entry is older than the retention: nothing removed.")
            return
        self.stdout.write(
            f"Removed {report.removed:,} entries; the log now begins after transaction {report.horizon.xid}."
        )
